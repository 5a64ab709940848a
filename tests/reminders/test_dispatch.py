"""Reminders are checked again, rendered and recorded when they are sent; digests."""

from datetime import date, timedelta
from unittest import mock

from sqlalchemy import select

from matching.cases import services as cases
from matching.cases.models import Activity
from matching.extensions import db
from matching.reminders.digest import queue_digests
from matching.reminders.jobs import tick
from matching.reminders.models import EmailMessage
from matching.reminders.outbox import PermanentFailure, dispatch
from matching.reminders.scan import scan
from matching.reminders.services import retry_message
from tests.factories import FundingLineFactory, SupportCaseFactory
from tests.reminders.conftest import paris


def rows(kind="reminder") -> list[EmailMessage]:
    query = select(EmailMessage).where(EmailMessage.kind == kind)
    return list(db.session.scalars(query.order_by(EmailMessage.id)))


def activities(case) -> list[Activity]:
    query = select(Activity).where(
        Activity.case_id == case.id, Activity.kind == "reminder"
    )
    return list(db.session.scalars(query))


def test_immediate_reminder_goes_out_at_eight_not_at_midnight(
    clock, officer_case, outbox
):
    clock(2027, 3, 10, 0, 1)
    officer, case, _ = officer_case()
    tick(clock(2027, 3, 10, 0, 1))
    tick(clock(2027, 3, 10, 7, 59))
    assert outbox == []
    tick(clock(2027, 3, 10, 8, 0))
    (message,) = outbox
    assert message.recipients == [officer.email]
    assert "Foyer du Canal" in message.subject
    assert f"http://passerelle.test/accompagnements/{case.id}#etape" in message.body
    assert "http://passerelle.test/compte/notifications" in message.body
    assert "/compte/notifications" in message.html
    # The next step's wording can name a person: it never goes in an e-mail.
    assert "Mme X." not in message.body + message.html
    assert message.extra_headers == {"Auto-Submitted": "auto-generated"}
    (row,) = rows()
    assert (row.status, row.sent_at) == ("sent", paris(2027, 3, 10, 8, 0))
    assert row.subject == message.subject
    tick(clock(2027, 3, 11, 8, 0))  # late the next day: not sent again
    assert len(outbox) == 1


def test_sent_reminder_is_on_the_timeline_without_counting_as_activity(
    clock, officer_case
):
    clock(2027, 3, 10, 0, 1)
    officer, case, _ = officer_case()
    last_activity = case.last_activity_at
    tick(clock(2027, 3, 10, 8, 0))
    (activity,) = activities(case)
    assert activity.title.startswith(f"Rappel envoyé à {officer.display_name}")
    assert (activity.visibility, activity.author_id) == ("officers", None)
    assert activity.data["rule"] == "case_next_step_due"
    db.session.refresh(case)
    assert case.last_activity_at == last_activity  # silence is still silence


def test_step_done_after_the_scan_is_not_sent(clock, officer_case, outbox):
    clock(2027, 3, 10, 0, 1)
    officer, case, _ = officer_case()
    scan(clock(2027, 3, 10, 0, 1))
    cases.update_case(case, officer, next_step=None, next_step_due=None)
    db.session.commit()
    # The dispatcher checks the rules again, even before the next scan.
    sent = dispatch(now=clock(2027, 3, 10, 8, 0))
    assert sent.cancelled == [rows()[0].id]
    assert outbox == []
    assert rows()[0].status == "cancelled"


def test_recipient_language_is_used(clock, officer_case, outbox):
    clock(2027, 3, 10, 0, 1)
    officer, _, _ = officer_case()
    officer.locale = "en"
    db.session.commit()
    tick(clock(2027, 3, 10, 8, 0))
    assert outbox[0].subject.startswith("Passerelle reminder")
    assert "next step" in outbox[0].body


def test_employer_reminder_is_visible_to_the_employer_on_the_timeline(
    clock, officer_case, outbox
):
    clock(2027, 3, 10, 0, 1)
    officer, case, contact = officer_case(due=None)
    FundingLineFactory(
        case=case, status="en_preparation", filing_deadline=date(2027, 3, 13)
    )
    tick(clock(2027, 3, 10, 8, 0))
    assert {m.recipients[0] for m in outbox} == {officer.email, contact.email}
    assert "#financements" in outbox[0].body
    assert {a.visibility for a in activities(case)} == {"officers", "employer"}


# ---------------------------------------------------------------- digests


def test_digest_at_its_hour_with_new_reminders_and_late_steps(
    clock, officer_case, outbox
):
    clock(2027, 3, 10, 0, 1)
    officer, case, _ = officer_case(mode="digest")
    late = SupportCaseFactory(
        organisation=case.organisation, officer=officer, next_step_due=date(2027, 3, 2)
    )
    db.session.commit()
    tick(clock(2027, 3, 10, 7, 59))
    assert outbox == []
    assert [r.channel for r in rows()] == ["digest", "digest"]
    tick(clock(2027, 3, 10, 8, 0))
    (message,) = outbox
    assert message.recipients == [officer.email]
    assert message.subject == "Vos rappels Passerelle du 10 mars 2027"
    assert "prévue aujourd'hui" in message.body  # the new reminder
    assert f"/accompagnements/{late.id}#etape" in message.body
    (digest,) = rows("digest")
    assert digest.key == f"digest:{officer.id}:2027-03-10"
    assert {r.status for r in rows()} == {"sent"}
    assert {r.digest_id for r in rows()} == {digest.id}
    assert len(activities(case)) == 1
    assert len(activities(late)) == 1
    tick(clock(2027, 3, 10, 9, 0))  # once a day
    assert len(outbox) == 1
    # The next day the step is late: listed again, as a late step, not re-sent.
    tick(clock(2027, 3, 11, 8, 0))
    assert len(outbox) == 2
    assert f"/accompagnements/{case.id}#etape" in outbox[1].body
    assert "Étapes en retard" in outbox[1].body
    assert len(activities(case)) == 1


def test_digest_is_created_once_even_by_two_schedulers(clock, officer_case):
    clock(2027, 3, 10, 0, 1)
    officer_case(mode="digest")
    now = clock(2027, 3, 10, 8, 0)
    scan(now)
    assert len(queue_digests(now)) == 1
    assert queue_digests(now) == []
    assert queue_digests(now, force=True) == []


def test_no_digest_when_there_is_nothing_to_say(clock, officer_case):
    clock(2027, 3, 10, 0, 1)
    officer_case(mode="digest", due=date(2027, 3, 20))
    tick(clock(2027, 3, 10, 8, 0))
    assert rows("digest") == []


def test_digest_whose_reminders_vanished_is_cancelled(clock, officer_case, outbox):
    clock(2027, 3, 10, 0, 1)
    officer, case, _ = officer_case(mode="digest")
    now = clock(2027, 3, 10, 8, 0)
    scan(now)
    queue_digests(now)
    cases.update_case(case, officer, next_step_due=date(2027, 3, 20))
    db.session.commit()
    result = dispatch(now=now)
    (digest,) = rows("digest")
    assert result.cancelled == [digest.id]
    assert digest.status == "cancelled"
    assert outbox == []


def test_digest_hour_is_each_persons(clock, officer_case, outbox):
    clock(2027, 3, 10, 0, 1)
    officer, _, _ = officer_case(mode="digest")
    officer.digest_hour = 18
    db.session.commit()
    tick(clock(2027, 3, 10, 17, 59))
    assert outbox == []
    tick(clock(2027, 3, 10, 18, 0))
    assert len(outbox) == 1


def test_failed_digest_fails_its_reminders_and_retry_brings_them_back(
    clock, officer_case
):
    clock(2027, 3, 10, 0, 1)
    officer_case(mode="digest")
    now = clock(2027, 3, 10, 8, 0)
    scan(now)
    queue_digests(now)
    refusal = PermanentFailure("550 mailbox unavailable")
    with mock.patch("matching.reminders.outbox._send_smtp", side_effect=refusal):
        dispatch(now=now)
    (digest,) = rows("digest")
    assert digest.status == "failed"
    assert {r.status for r in rows()} == {"failed"}
    retry_message(digest, now + timedelta(minutes=5))
    db.session.commit()
    assert {r.status for r in rows()} == {"pending"}
    dispatch(now=now + timedelta(minutes=5))
    assert {r.status for r in rows() + rows("digest")} == {"sent"}


def test_a_name_with_a_line_break_never_reaches_a_header(clock, officer_case, outbox):
    clock(2027, 3, 10, 0, 1)
    officer, case, _ = officer_case()
    case.organisation.name = "Foyer\r\nBcc: evil@example.org"
    db.session.commit()
    tick(clock(2027, 3, 10, 8, 0))
    (message,) = outbox
    assert "\n" not in message.subject
    assert (message.recipients, message.bcc) == ([officer.email], [])
    assert not message.has_bad_headers()


def test_a_bad_header_fails_the_message_without_stopping_the_batch(
    clock, make_email, outbox
):
    now = clock(2027, 3, 10, 9)
    bad = make_email(subject="Bonjour\r\nBcc: evil@example.org", due_at=now)
    good = make_email(subject="Bonjour", due_at=now)
    result = dispatch(now=now)
    assert (result.failed, result.sent) == ([bad.id], [good.id])
    assert len(outbox) == 1
