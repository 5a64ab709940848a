"""Reminders of the pipeline, end to end with a Paris clock: hires and their follow-up,
introductions waiting for an answer or a decision, candidates' confirmations."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from matching.candidates import services as candidates
from matching.candidates.models import CandidateEvent
from matching.cases.models import Activity
from matching.extensions import db
from matching.introductions import services
from matching.introductions.models import IntroductionEvent
from matching.reminders.jobs import tick
from matching.reminders.models import EmailMessage
from matching.reminders.outbox import dispatch, dispatch_all
from matching.reminders.scan import scan
from tests.factories import (
    FundingLineFactory,
    JobPostingFactory,
    MembershipFactory,
    OrganisationFactory,
    SupportCaseFactory,
)
from tests.reminders.conftest import paris

HIRE = {
    "start_date": date(2027, 3, 1),
    "contract_type": "cdi",
    "fte": Decimal("0.8"),
    "end_date": None,
    "trial_end_date": None,
    "funding_end_date": None,
    "note": None,
}


def reminders(**where) -> list[EmailMessage]:
    query = select(EmailMessage).where(EmailMessage.kind == "reminder")
    for name, value in where.items():
        query = query.where(getattr(EmailMessage, name) == value)
    return list(db.session.scalars(query.order_by(EmailMessage.id)))


@pytest.fixture
def pipeline(clock, make_user, make_candidate):
    """On 1 March 2027: an officer who wants each reminder at once, an organisation
    with one employer (the referent), its case and published posting, and a
    candidate with an account."""
    clock(2027, 3, 1, 9)
    officer = make_user(role="officer", reminder_mode="immediate")
    organisation = OrganisationFactory(name="Foyer du Canal")
    employer = MembershipFactory(organisation=organisation).user
    case = SupportCaseFactory(organisation=organisation, officer=officer)
    posting = JobPostingFactory(
        organisation=organisation, case=case, custom_title="Médiatrice de nuit"
    )
    candidate = make_candidate(display_name="Solène Vautrin")
    db.session.commit()
    return officer, employer, posting, candidate


def without_transactional(outbox) -> None:
    """Send the pipeline's own e-mails (proposal, transmission…) and forget them."""
    dispatch_all()
    outbox.clear()


def hire(pipeline, **values):
    officer, employer, posting, candidate = pipeline
    intro = services.propose(posting, candidate, officer, None)
    services.accept(intro, candidate.user)
    placement = services.hire(
        intro, employer, {**HIRE, "referent_id": employer.id, **values}
    )
    db.session.commit()
    return placement


# ---------------------------------------------------------------- hires


def test_milestone_reminder_a_week_ahead_to_officer_and_referent(
    clock, pipeline, outbox
):
    officer, employer, posting, candidate = pipeline
    clock(2027, 3, 20, 10)  # recorded late: day 1 and week 1 are past
    placement = hire(pipeline)
    without_transactional(outbox)
    tick(clock(2027, 3, 20, 10, 1))
    assert reminders(rule="placement_milestone_t7") == []
    tick(clock(2027, 3, 25, 8, 0))  # month 1 is on 1 April
    rows = reminders(rule="placement_milestone_t7", status="sent")
    assert {row.recipient_user_id for row in rows} == {officer.id, employer.id}
    milestone = next(m for m in placement.milestones if m.kind == "m1_point")
    assert {row.key for row in rows} == {
        f"placement_milestone_t7:milestone:{milestone.id}:{user.id}:2027-03-25"
        for user in (officer, employer)
    }
    message = next(m for m in outbox if m.recipients == [employer.email])
    assert "Mois 1 : point d'étape" in message.subject
    assert f"http://passerelle.test/embauches/{placement.id}" in message.body
    assert candidate.display_name not in message.body + message.html
    seen_by = {
        activity.visibility
        for activity in db.session.scalars(
            select(Activity).where(Activity.kind == "reminder")
        )
    }
    assert seen_by == {"officers", "employer"}


def test_a_milestone_done_cancels_its_reminder(clock, pipeline, outbox):
    clock(2027, 3, 20, 10)
    placement = hire(pipeline)
    without_transactional(outbox)
    scan(clock(2027, 3, 25, 0, 5))
    assert len(reminders(status="pending")) == 2
    milestone = next(m for m in placement.milestones if m.kind == "m1_point")
    milestone.done_at = paris(2027, 3, 25, 7)
    db.session.commit()
    dispatch(now=clock(2027, 3, 25, 8))  # checked again just before sending
    assert outbox == []
    assert {row.status for row in reminders()} == {"cancelled"}


def test_contract_and_funding_ends(clock, pipeline):
    officer, employer, posting, _ = pipeline
    clock(2027, 3, 1, 10)
    placement = hire(pipeline, contract_type="cdd", end_date=date(2027, 12, 31))
    # Without a funding end given at the hire, the case's granted lines count.
    FundingLineFactory(case=posting.case, status="conventionne", period_end=None)
    FundingLineFactory(
        case=posting.case, status="conventionne", period_end=date(2027, 9, 30)
    )
    FundingLineFactory(case=posting.case, status="refuse", period_end=date(2027, 8, 1))
    db.session.commit()

    def due(rule, day):
        scan(clock(*day.timetuple()[:3], 9))
        return {
            (row.recipient_user_id, row.due_on, row.status)
            for row in reminders(rule=rule, subject_id=placement.id)
        }

    assert due("funding_period_end_d90", date(2027, 7, 1)) == set()
    assert due("funding_period_end_d90", date(2027, 7, 2)) == {
        (officer.id, date(2027, 7, 2), "pending"),
        (employer.id, date(2027, 7, 2), "pending"),
    }
    assert due("contract_end_d60", date(2027, 11, 1)) == {
        (officer.id, date(2027, 11, 1), "pending"),
        (employer.id, date(2027, 11, 1), "pending"),
    }
    assert due("contract_end_d60", date(2027, 12, 1)) == {
        (officer.id, date(2027, 11, 1), "cancelled"),  # D-30 took over
        (employer.id, date(2027, 11, 1), "cancelled"),
    }
    assert len(reminders(rule="contract_end_d30", status="pending")) == 2
    # The date given at the hire wins over the lines; the old key is cancelled.
    placement.funding_end_date = date(2028, 3, 31)
    db.session.commit()
    assert due("funding_period_end_d90", date(2027, 12, 1)) == {
        (officer.id, date(2027, 7, 2), "cancelled"),
        (employer.id, date(2027, 7, 2), "cancelled"),
    }


def test_referent_who_left_the_organisation_is_not_told(clock, pipeline):
    officer, employer, *_ = pipeline
    clock(2027, 3, 20, 10)
    hire(pipeline)
    employer.membership.status = "refused"
    db.session.commit()
    scan(clock(2027, 3, 25, 0, 5))
    assert {row.recipient_user_id for row in reminders()} == {officer.id}


# ---------------------------------------------------------------- introductions


def test_candidate_then_officer_are_reminded_of_an_unanswered_proposal(
    clock, pipeline, outbox
):
    officer, employer, posting, candidate = pipeline
    clock(2027, 3, 1, 10)
    intro = services.propose(posting, candidate, officer, None)
    db.session.commit()
    without_transactional(outbox)
    tick(clock(2027, 3, 7, 23, 59))
    assert outbox == []
    tick(clock(2027, 3, 8, 8, 0))
    (message,) = outbox
    assert message.recipients == [candidate.user.email]
    assert message.subject == "Rappel Passerelle : Une proposition attend votre réponse"
    assert f"http://passerelle.test/candidat/mises-en-relation/{intro.id}" in (
        message.body
    )
    # Nothing about the post or its organisation: the app shows them.
    for detail in ("Foyer du Canal", "Médiatrice de nuit"):
        assert detail not in message.body + message.html
    tick(clock(2027, 3, 15, 8, 0))
    assert [m.recipients for m in outbox] == [[candidate.user.email], [officer.email]]
    assert f"C-{candidate.id:05d}" in outbox[1].subject
    assert candidate.display_name not in outbox[1].body + outbox[1].html
    tick(clock(2027, 3, 22, 8, 0))  # once each
    assert len(outbox) == 2
    # Both are in the introduction's own log, which counts no new transition.
    db.session.refresh(intro)
    logged = [(e.kind, e.to_status) for e in intro.events]
    assert logged == [
        ("transition", "proposee_candidat"),
        ("reminder", "proposee_candidat"),
        ("reminder", "proposee_candidat"),
    ]
    assert intro.events[1].note.startswith("Rappel envoyé à")


def test_an_answer_stops_the_officers_reminder(clock, pipeline):
    officer, employer, posting, candidate = pipeline
    clock(2027, 3, 1, 10)
    intro = services.propose(posting, candidate, officer, None)
    db.session.commit()
    scan(clock(2027, 3, 8, 9))
    clock(2027, 3, 10, 10)
    services.refuse(intro, candidate.user, "Trop loin")
    db.session.commit()
    scan(clock(2027, 3, 15, 9))
    assert [(row.rule, row.status) for row in reminders()] == [
        ("introduction_answer_candidate", "cancelled")
    ]


def test_employer_contacts_are_reminded_two_weeks_after_sending(
    clock, pipeline, make_employer, outbox
):
    officer, employer, posting, candidate = pipeline
    colleague = MembershipFactory(organisation=posting.organisation).user
    clock(2027, 3, 1, 10)
    intro = services.propose(posting, candidate, officer, None)
    services.accept(intro, candidate.user)
    db.session.commit()
    without_transactional(outbox)
    tick(clock(2027, 3, 15, 8, 0))
    assert sorted(m.recipients[0] for m in outbox) == sorted(
        [employer.email, colleague.email]
    )
    message = outbox[0]
    assert "Médiatrice de nuit" in message.subject
    assert f"http://passerelle.test/employeur/candidatures/{intro.id}" in message.body
    assert candidate.display_name not in message.body + message.html


def test_an_interview_before_two_weeks_means_no_employer_reminder(clock, pipeline):
    officer, employer, posting, candidate = pipeline
    clock(2027, 3, 1, 10)
    intro = services.propose(posting, candidate, officer, None)
    services.accept(intro, candidate.user)
    clock(2027, 3, 10, 10)
    services.record_interview(intro, employer, date(2027, 3, 20))
    db.session.commit()
    scan(clock(2027, 3, 15, 9))
    assert reminders(rule="introduction_employer_decision") == []


def test_a_proposed_introduction_stops_the_quiet_posting_reminder(clock, pipeline):
    officer, employer, posting, candidate = pipeline
    posting.published_at = paris(2027, 2, 1, 10)
    db.session.commit()
    clock(2027, 3, 3, 9)
    services.shortlist(posting, candidate, officer, None)  # the team's own list
    db.session.commit()
    scan(clock(2027, 3, 3, 9, 1))
    (row,) = reminders(rule="posting_without_introduction")
    assert row.status == "pending"
    services.propose(posting, candidate, officer, None)
    db.session.commit()
    scan(clock(2027, 3, 3, 9, 2))
    assert row.status == "cancelled"


# ---------------------------------------------------------------- candidates


def test_confirmation_asked_after_a_year(clock, pipeline, outbox):
    candidate = pipeline[3]
    candidate.last_confirmed_at = paris(2026, 3, 10, 12)
    db.session.commit()
    tick(clock(2027, 3, 10, 8, 0))
    (message,) = outbox
    assert message.recipients == [candidate.user.email]
    assert "toujours exactes" in message.subject
    assert "http://passerelle.test/candidat/profil#confirmation" in message.body
    (event,) = db.session.scalars(
        select(CandidateEvent).where(CandidateEvent.kind == "reminder")
    )
    assert event.data["rule"] == "candidate_confirm_12m"
    assert event.body is None


def test_anonymisation_notice_is_immediate_even_for_digest_readers(
    clock, pipeline, outbox
):
    candidate = pipeline[3]
    candidate.user.reminder_mode = "digest"
    candidate.user.digest_hour = 18
    candidate.last_confirmed_at = paris(2025, 4, 9, 12)
    db.session.commit()
    tick(clock(2027, 3, 10, 8, 0))
    (message,) = outbox
    assert message.subject == (
        "Rappel Passerelle : Votre profil sera anonymisé le 9 avril 2027"
    )
    (row,) = reminders()
    assert (row.rule, row.channel) == ("candidate_anonymisation_notice", "immediate")


def test_notice_for_a_profile_without_account_goes_to_its_officer(
    clock, make_user, outbox
):
    from tests.factories import CandidateFactory

    officer = make_user(role="officer")  # reads digests: the notice does not wait
    walk_in = CandidateFactory(
        user=None,
        display_name="Aurèle Quintard",
        email="aurele@example.org",
        created_by=officer,
        last_confirmed_at=paris(2025, 4, 9, 12),
    )
    db.session.commit()
    tick(clock(2027, 3, 10, 8, 0))
    (message,) = outbox
    assert message.recipients == [officer.email]
    assert f"C-{walk_in.id:05d}" in message.subject
    assert f"http://passerelle.test/equipe/candidats/{walk_in.id}#confirmation" in (
        message.body
    )
    for detail in ("Aurèle", "Quintard", "aurele@example.org"):
        assert detail not in message.body + message.html


def test_confirming_cancels_the_pending_notice(clock, pipeline, client, login, outbox):
    candidate = pipeline[3]
    candidate.last_confirmed_at = paris(2025, 4, 9, 12)
    db.session.commit()
    scan(clock(2027, 3, 10, 0, 5))
    (row,) = reminders()
    assert row.status == "pending"
    login(candidate.user)
    response = client.post("/candidat/profil/confirmer")
    assert response.status_code == 302
    dispatch(now=clock(2027, 3, 10, 8, 0))  # not sent, even before the next scan
    assert outbox == []
    db.session.refresh(row)
    assert row.status == "cancelled"
    scan(clock(2027, 3, 10, 8, 1))
    assert reminders(status="pending") == []


def test_an_officer_records_a_confirmation(clock, make_user, client, login):
    from tests.factories import CandidateFactory

    officer = make_user(role="officer")
    walk_in = CandidateFactory(
        user=None, created_by=officer, last_confirmed_at=paris(2025, 4, 9, 12)
    )
    db.session.commit()
    clock(2027, 3, 10, 11)
    login(officer)
    response = client.post(f"/equipe/candidats/{walk_in.id}/confirmer")
    assert response.headers["Location"].endswith(
        f"/equipe/candidats/{walk_in.id}#confirmation"
    )
    db.session.refresh(walk_in)
    assert walk_in.last_confirmed_at == paris(2027, 3, 10, 11)
    assert walk_in.events[0].kind == "confirmed"
    assert walk_in.events[0].author_id == officer.id


def test_confirm_service_restarts_the_clock(clock, pipeline):
    candidate = pipeline[3]
    now = clock(2027, 3, 10, 11)
    candidates.confirm_profile(candidate, candidate.user)
    assert candidate.last_confirmed_at == now
    assert isinstance(candidate.last_confirmed_at, datetime)


def test_reminder_events_are_not_transitions_in_the_funnel(clock, pipeline):
    from matching.dashboard.queries import Filters, funnel

    officer, employer, posting, candidate = pipeline
    clock(2027, 3, 1, 10)
    services.propose(posting, candidate, officer, None)
    db.session.commit()
    tick(clock(2027, 3, 8, 8, 0))
    events = db.session.scalars(select(IntroductionEvent.kind)).all()
    assert sorted(events) == ["reminder", "transition"]
    assert funnel(Filters())["proposed"] == 1
    # The week of the reminder saw no proposal.
    week = Filters(start=date(2027, 3, 5), end=date(2027, 3, 11))
    assert funnel(week)["proposed"] == 0
