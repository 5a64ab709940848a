"""Retention jobs with a frozen Paris clock (SECURITY.md row 25): unconfirmed profiles
warned at 24 months minus 30 days and anonymised at 24 months, introductions without
a hire purged 3 months after the decision, audit rows deleted after 12 months."""

from datetime import date
from decimal import Decimal

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select

from matching import access, retention, scheduler
from matching.audit.models import AuditEvent
from matching.audit.services import record_audit
from matching.candidates.models import ANONYMISED_NAME
from matching.extensions import db
from matching.introductions import services
from matching.offers.services import express_interest
from matching.reminders.jobs import tick
from matching.reminders.models import EmailMessage
from tests.conftest import paris
from tests.factories import CandidateFactory, JobPostingFactory, MembershipFactory


def notices() -> list[EmailMessage]:
    return list(
        db.session.scalars(
            select(EmailMessage)
            .where(EmailMessage.rule == "candidate_anonymisation_notice")
            .order_by(EmailMessage.id)
        )
    )


def anonymise(now) -> retention.RetentionResult:
    result = retention.anonymise_unconfirmed(now)
    db.session.commit()
    return result


# ---------------------------------------------------------------- candidates


@pytest.fixture
def unconfirmed(make_candidate):
    """A candidate with an account, last confirmed on 9 April 2025 (Paris): warned on
    10 March 2027, anonymised on 9 April 2027."""

    def make(**values):
        return make_candidate(
            consent=["equipe"],
            domains={"addictions": "prive"},
            **{
                "display_name": "Solène Vautrin",
                "phone": "06 11 22 33 44",
                "last_confirmed_at": paris(2025, 4, 9, 12),
                **values,
            },
        )

    return make


def test_warned_at_24_months_minus_30_days_anonymised_at_24_months(
    clock, unconfirmed, outbox
):
    candidate = unconfirmed()
    user = candidate.user
    tick(clock(2027, 3, 10, 8, 0))
    assert [n.status for n in notices()] == ["sent"]
    assert "9 avril 2027" in outbox[0].subject
    assert anonymise(clock(2027, 4, 8, 3)).anonymised == []
    result = anonymise(clock(2027, 4, 9, 3))
    assert result.anonymised == [candidate.id]
    db.session.refresh(candidate)
    assert candidate.is_anonymised
    assert (candidate.display_name, candidate.email, candidate.phone) == (
        ANONYMISED_NAME,
        None,
        None,
    )
    assert candidate.domains == []
    assert user.active is False
    erased = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "candidate.erase")
    )
    assert (erased.actor_id, erased.actor_role) == (None, "system")
    assert anonymise(clock(2027, 4, 10, 3)).anonymised == []  # once


def test_confirming_stops_the_anonymisation(clock, unconfirmed, client, login):
    candidate = unconfirmed()
    tick(clock(2027, 3, 10, 8, 0))
    clock(2027, 3, 20, 18)
    login(candidate.user)
    assert client.post("/candidat/profil/confirmer").status_code == 302
    assert anonymise(clock(2027, 4, 9, 3)).anonymised == []
    db.session.refresh(candidate)
    assert not candidate.is_anonymised
    assert [n.status for n in notices()] == ["sent"]  # the next one is in 2029
    tick(clock(2029, 2, 18, 8, 0))
    assert [n.due_on for n in notices()] == [date(2027, 3, 10), date(2029, 2, 18)]


def test_a_late_notice_still_gives_30_days(clock, unconfirmed, outbox):
    """First run on a territory with old profiles: nobody is anonymised unwarned."""
    candidate = unconfirmed(last_confirmed_at=paris(2024, 1, 5, 12))
    now = clock(2027, 3, 10, 2)
    result = anonymise(now)  # before the scan has stored the notice
    assert (result.anonymised, result.waiting_for_notice) == ([], [candidate.id])
    tick(clock(2027, 3, 10, 8, 0))
    (message,) = outbox
    assert "9 avril 2027" in message.subject  # today + 30 days, not the past
    assert anonymise(clock(2027, 4, 8, 3)).anonymised == []
    assert anonymise(clock(2027, 4, 9, 3)).anonymised == [candidate.id]


def test_a_pending_notice_holds_the_anonymisation(clock, unconfirmed):
    candidate = unconfirmed(last_confirmed_at=paris(2024, 1, 5, 12))
    from matching.reminders.scan import scan

    scan(clock(2027, 3, 10, 2))
    (row,) = notices()
    assert row.status == "pending"  # sent at 08:00
    assert anonymise(clock(2027, 3, 10, 3)).waiting_for_notice == [candidate.id]


def test_profile_nobody_can_be_told_about_is_anonymised_at_24_months(app, clock):
    walk_in = CandidateFactory(
        user=None, created_by=None, last_confirmed_at=paris(2025, 4, 9, 12)
    )
    db.session.commit()
    tick(clock(2027, 3, 10, 8, 0))
    assert notices() == []
    assert anonymise(clock(2027, 4, 8, 3)).anonymised == []
    assert anonymise(clock(2027, 4, 9, 3)).anonymised == [walk_in.id]


def test_walk_in_is_anonymised_30_days_after_its_officer_was_told(clock, make_user):
    officer = make_user(role="officer")
    walk_in = CandidateFactory(
        user=None, created_by=officer, last_confirmed_at=paris(2025, 4, 9, 12)
    )
    db.session.commit()
    tick(clock(2027, 3, 10, 8, 0))
    (row,) = notices()
    assert (row.recipient_user_id, row.status) == (officer.id, "sent")
    assert anonymise(clock(2027, 4, 9, 3)).anonymised == [walk_in.id]


def test_a_notice_refused_for_good_does_not_keep_the_profile(clock, unconfirmed):
    candidate = unconfirmed()
    tick(clock(2027, 3, 10, 8, 0))
    (row,) = notices()
    row.status, row.sent_at = "failed", None
    db.session.commit()
    assert anonymise(clock(2027, 4, 9, 3)).anonymised == [candidate.id]


def test_dry_run_anonymises_nobody(clock, unconfirmed):
    candidate = unconfirmed()
    tick(clock(2027, 3, 10, 8, 0))
    result = retention.anonymise_unconfirmed(clock(2027, 4, 9, 3), dry_run=True)
    assert result.anonymised == [candidate.id]
    db.session.rollback()
    db.session.refresh(candidate)
    assert not candidate.is_anonymised


# ---------------------------------------------------------------- introductions


HIRE = {
    "start_date": date(2027, 2, 1),
    "contract_type": "cdi",
    "fte": Decimal("0.8"),
    "end_date": None,
    "trial_end_date": None,
    "funding_end_date": None,
    "referent_id": None,
    "note": None,
}


@pytest.fixture
def introduced(clock, officer, make_candidate):
    """On 15 January 2027, a candidate (with a message on the offer) and an employer
    who met through Passerelle."""
    clock(2027, 1, 10, 10)
    employer = MembershipFactory().user
    posting = JobPostingFactory(organisation=employer.membership.organisation)
    candidate = make_candidate(
        consent=["equipe", "mise_en_relation"],
        domains={"rue_sans_abrisme": "apres_mise_en_relation"},
        phone="06 12 34 56 78",
    )
    express_interest(candidate, posting, "Je connais bien ce quartier.")
    intro = services.get_introduction(posting, candidate)
    intro.snapshot = {"score": 80, "breakdown": {"experience": {"code": "x"}}}
    intro.score = 80.0
    services.transmit(intro, officer, "Très bon profil, à rencontrer vite.")
    db.session.commit()
    return intro, employer


def purge(now) -> list[int]:
    result = retention.purge_closed_introductions(now)
    db.session.commit()
    return result.purged


def test_not_retained_details_are_purged_three_months_after_the_decision(
    clock, introduced
):
    intro, employer = introduced
    clock(2027, 1, 15, 23, 30)  # 15 January in Paris
    services.not_retained(intro, employer, "Pas assez d'expérience en équipe.")
    db.session.commit()
    decided, transmitted = intro.decided_at, intro.transmitted_at
    before = access.candidate_view_for_employer(
        intro.candidate, access.employer_stage(intro)
    )
    assert before["phone"] == "06 12 34 56 78"
    assert purge(clock(2027, 4, 14, 23)) == []
    assert purge(clock(2027, 4, 15, 3)) == [intro.id]
    db.session.refresh(intro)
    assert intro.purged_at == paris(2027, 4, 15, 3)
    assert [event.note for event in intro.events] == [None] * len(intro.events)
    assert intro.snapshot == {}
    from matching.offers.models import Interest

    assert db.session.scalar(select(Interest.message)) is None
    # Kept for statistics: the status, the dates, the bare score.
    assert (intro.status, intro.decided_at, intro.transmitted_at, intro.score) == (
        "non_retenue",
        decided,
        transmitted,
        80.0,
    )
    # The employer sees the anonymous profile again.
    after = access.candidate_view_for_employer(
        intro.candidate, access.employer_stage(intro)
    )
    assert after["stage"] == "anonymous"
    assert "phone" not in after or after["phone"] is None
    assert purge(clock(2027, 5, 1, 3)) == []  # once


def test_the_employer_page_no_longer_shows_the_person(clock, introduced, client, login):
    intro, employer = introduced
    clock(2027, 1, 15, 10)
    services.not_retained(intro, employer)
    db.session.commit()
    login(employer)
    page = client.get(f"/employeur/candidatures/{intro.id}")
    assert "06 12 34 56 78" in page.text
    purge(clock(2027, 4, 15, 3))
    login(employer)  # the session above has long expired
    page = client.get(f"/employeur/candidatures/{intro.id}")
    assert page.status_code == 200
    assert "06 12 34 56 78" not in page.text
    assert intro.candidate.display_name not in page.text


def test_refused_introduction_loses_the_reason(clock, officer, make_candidate):
    clock(2027, 1, 10, 10)
    posting = JobPostingFactory()
    candidate = make_candidate()
    intro = services.propose(posting, candidate, officer, None, "Idéal pour elle")
    clock(2027, 1, 31, 10)
    services.refuse(intro, candidate.user, "Ma santé ne le permet pas en ce moment.")
    db.session.commit()
    assert purge(clock(2027, 4, 29, 23)) == []
    assert purge(clock(2027, 4, 30, 3)) == [intro.id]  # 31 January + 3 months
    db.session.refresh(intro)
    assert intro.refusal_reason is None
    assert intro.purged_at is not None


def test_hires_and_open_introductions_are_kept(clock, introduced):
    intro, employer = introduced
    clock(2027, 1, 15, 10)
    services.hire(intro, employer, HIRE)
    db.session.commit()
    assert purge(clock(2027, 6, 1, 3)) == []
    db.session.refresh(intro)
    assert intro.purged_at is None
    assert intro.events[1].note == "Très bon profil, à rencontrer vite."


def test_withdrawn_then_asked_again_is_no_longer_purged(clock, introduced):
    intro, employer = introduced
    clock(2027, 1, 15, 10)
    services.withdraw(intro, employer, "Poste gelé.")
    db.session.commit()
    purge(clock(2027, 4, 15, 3))
    assert intro.purged_at is not None
    clock(2027, 5, 2, 10)
    services.request_from_interest(intro.candidate, intro.posting, None)
    db.session.commit()
    assert (intro.status, intro.purged_at) == ("acceptee_candidat", None)


def test_purge_refuses_an_introduction_that_led_to_a_hire(clock, introduced):
    intro, employer = introduced
    services.hire(intro, employer, HIRE)
    with pytest.raises(services.IntroductionError):
        services.purge_introduction(intro)


# ---------------------------------------------------------------- audit


def test_audit_rows_are_deleted_after_twelve_months(clock, officer):
    clock(2026, 3, 9, 23, 59)  # Paris
    old = record_audit(officer, "candidate.view", "candidate", 1)
    clock(2026, 3, 10, 0, 1)
    kept = record_audit(officer, "candidate.view", "candidate", 1)
    db.session.commit()
    old_id, kept_id = old.id, kept.id
    dry = retention.purge_audit(clock(2027, 3, 10, 3), dry_run=True)
    assert dry.audit_deleted == 1
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 2
    result = retention.purge_audit(clock(2027, 3, 10, 3))
    db.session.commit()
    assert result.audit_deleted == 1
    ids = db.session.scalars(select(AuditEvent.id)).all()
    assert old_id not in ids
    assert ids == [kept_id]


# ---------------------------------------------------------------- jobs, command


def test_retention_jobs_run_each_night_in_paris(app):
    jobs = {job.id: job for job in scheduler.JOBS}
    assert set(jobs) >= {"candidates-anonymise", "introductions-purge", "audit-purge"}
    for name in ("candidates-anonymise", "introductions-purge", "audit-purge"):
        trigger = jobs[name].trigger
        assert isinstance(trigger, CronTrigger)
        assert str(trigger.timezone) == "Europe/Paris"
        assert str(trigger.fields[5]) == "3"  # the hour
    built = scheduler.build_scheduler(app)
    assert {job.id for job in built.get_jobs()} == set(jobs)


def test_a_scheduled_retention_job_commits(clock, app):
    walk_in = CandidateFactory(
        user=None, created_by=None, last_confirmed_at=paris(2025, 4, 9, 12)
    )
    db.session.commit()
    clock(2027, 4, 9, 3)
    scheduler.run_job(app, scheduler.Job("x", scheduler.anonymise_unconfirmed, None))
    db.session.refresh(walk_in)
    assert walk_in.is_anonymised


def test_retention_run_command(clock, runner):
    walk_in = CandidateFactory(
        user=None, created_by=None, last_confirmed_at=paris(2025, 4, 9, 12)
    )
    db.session.commit()
    clock(2027, 4, 9, 3)
    result = runner.invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Simulation" in result.output
    assert "profils anonymisés : 1" in result.output
    db.session.refresh(walk_in)
    assert not walk_in.is_anonymised
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "profils anonymisés : 1" in result.output
    db.session.refresh(walk_in)
    assert walk_in.is_anonymised


def test_the_officer_sees_that_the_details_were_purged(
    clock, introduced, officer, client, login
):
    intro, employer = introduced
    clock(2027, 1, 15, 10)
    services.not_retained(intro, employer, "Pas de place dans l'équipe.")
    db.session.commit()
    purge(clock(2027, 4, 15, 3))
    login(officer)
    page = client.get(f"/mises-en-relation/{intro.id}")
    assert page.status_code == 200
    assert "ont été effacées le 15 avril 2027" in page.text
    assert "Pas de place dans l" not in page.text
    assert "Très bon profil" not in page.text
