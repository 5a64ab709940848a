"""`make run` loads the demo data then runs one pass of the reminders: the admin's
outbox page must show reminders of the follow-up and of the introductions."""

from sqlalchemy import select

from matching.extensions import db
from matching.reminders.models import EmailMessage


def test_demo_data_has_milestone_and_introduction_reminders(runner, client, login):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    result = runner.invoke(args=["reminders", "run", "--digest-now"])
    assert result.exit_code == 0, result.output
    rules = set(
        db.session.scalars(
            select(EmailMessage.rule).where(EmailMessage.kind == "reminder")
        )
    )
    assert "placement_milestone_t7" in rules
    assert "funding_period_end_d90" in rules
    assert {
        "introduction_answer_candidate",
        "introduction_answer_officer",
        "introduction_employer_decision",
    } <= rules
    from matching.accounts.models import User

    admin = db.session.scalar(select(User).where(User.is_admin.is_(True)))
    login(admin)
    page = client.get("/admin/emails?rule=placement_milestone_t7")
    assert page.status_code == 200
    assert "Suivi d&#39;embauche" in page.text or "Suivi d'embauche" in page.text
