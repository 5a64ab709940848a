"""Every transition of the pipeline is a service with its refusals."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from matching.candidates.models import CandidateEvent
from matching.cases.models import Activity
from matching.extensions import db
from matching.introductions import services
from matching.introductions.models import Introduction, Milestone
from matching.introductions.services import IntroductionError
from matching.reminders.models import EmailMessage
from tests.factories import DraftJobPostingFactory, SupportCaseFactory

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


def statuses(intro):
    return [(e.from_status, e.to_status) for e in intro.events]


def queued_to() -> list[str]:
    return db.session.scalars(
        select(EmailMessage.recipient_email).order_by(EmailMessage.id)
    ).all()


def test_propose_accept_interview_hire(officer, posting_of, street_candidate):
    posting, employer = posting_of
    intro = services.propose(posting, street_candidate, officer, None, "Bon profil")
    assert intro.status == "proposee_candidat"
    assert intro.proposed_by_id == officer.id
    assert queued_to() == [street_candidate.email]
    services.accept(intro, street_candidate.user)
    assert intro.status == "transmise_employeur"
    assert employer.email in queued_to()
    assert officer.email in queued_to()
    services.record_interview(intro, employer, date(2027, 1, 10))
    placement = services.hire(intro, employer, HIRE)
    db.session.commit()
    assert statuses(intro) == [
        (None, "proposee_candidat"),
        ("proposee_candidat", "acceptee_candidat"),
        ("acceptee_candidat", "transmise_employeur"),
        ("transmise_employeur", "entretien"),
        ("entretien", "embauche"),
    ]
    assert intro.events[0].note == "Bon profil"
    assert placement.start_date == date(2027, 2, 1)
    assert street_candidate.status == "en_poste"
    assert posting.status == "pourvue"
    kinds = db.session.scalars(select(Milestone.kind).order_by(Milestone.due_on)).all()
    assert kinds[:2] == ["j0_accueil", "s1_point_integration"]
    events = db.session.scalars(select(CandidateEvent.kind)).all()
    assert events.count("introduction") == 5


def test_posting_stays_published_until_every_position_is_filled(
    officer, posting_of, make_candidate
):
    posting, employer = posting_of
    posting.positions = 2
    first = make_candidate()
    intro = services.propose(posting, first, officer, None)
    services.accept(intro, first.user)
    second = make_candidate()
    waiting = services.propose(posting, second, officer, None)
    services.hire(intro, employer, HIRE)
    assert posting.status == "publiee"
    assert waiting.status == "proposee_candidat"  # one position is still open


def test_filling_the_last_position_closes_the_other_open_introductions(
    officer, posting_of, make_candidate
):
    posting, employer = posting_of
    hired, waiting, kept = (make_candidate() for _ in range(3))
    met = make_candidate(user=None, email="rencontre@example.org")  # no account
    intro = services.propose(posting, hired, officer, None)
    services.accept(intro, hired.user)
    waiting_intro = services.propose(posting, waiting, officer, None)
    kept_intro = services.shortlist(posting, kept, officer, None)
    met_intro = services.propose(posting, met, officer, None)
    services.accept(met_intro, officer)
    refused = services.propose(posting, make_candidate(), officer, None)
    services.refuse(refused, refused.candidate.user)
    db.session.commit()
    before = len(queued_to())
    services.hire(intro, employer, HIRE)
    db.session.commit()
    assert posting.status == "pourvue"
    for other in (waiting_intro, kept_intro, met_intro):
        assert other.status == "retiree"
        assert other.events[-1].note == "Poste pourvu."
        assert other.decided_at is not None
    assert refused.status == "refusee_candidat"  # closed already: left as it was
    # only the person who was told of the offer and has an account hears of it
    assert queued_to()[before:] == [waiting.email]
    message = db.session.scalars(
        select(EmailMessage).order_by(EmailMessage.id.desc())
    ).first()
    assert message.subject == "Une offre qui vous était proposée est pourvue"
    assert f"/candidat/mises-en-relation/{waiting_intro.id}" in message.body_text


def test_case_timeline_shows_the_steps_employer_side_only_when_passed_on(
    officer, make_employer, street_candidate
):
    from tests.factories import JobPostingFactory

    employer = make_employer()
    case = SupportCaseFactory(organisation=employer.membership.organisation)
    posting = JobPostingFactory(organisation=case.organisation, case=case)
    intro = services.propose(posting, street_candidate, officer, None)
    services.accept(intro, street_candidate.user)
    db.session.commit()
    rows = db.session.scalars(
        select(Activity).where(Activity.data["introduction_id"].isnot(None))
    ).all()
    visibility = {row.data["to"]: row.visibility for row in rows}
    assert visibility["proposee_candidat"] == "officers"
    assert visibility["transmise_employeur"] == "employer"
    assert all(street_candidate.display_name not in row.title for row in rows)


def test_refusal_keeps_the_reason_and_closes(officer, posting_of, street_candidate):
    posting, _ = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    services.refuse(intro, street_candidate.user, "Trop loin")
    assert intro.status == "refusee_candidat"
    assert intro.refusal_reason == "Trop loin"
    assert intro.decided_at is not None
    with pytest.raises(IntroductionError):
        services.accept(intro, street_candidate.user)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("suggeree", lambda i, u: services.accept(i, u)),
        ("proposee_candidat", lambda i, u: services.transmit(i, u)),
        ("proposee_candidat", lambda i, u: services.hire(i, u, HIRE)),
        ("acceptee_candidat", lambda i, u: services.record_interview(i, u, None)),
        ("embauche", lambda i, u: services.withdraw(i, u)),
        ("refusee_candidat", lambda i, u: services.not_retained(i, u)),
        ("non_retenue", lambda i, u: services.hire(i, u, HIRE)),
        ("retiree", lambda i, u: services.refuse(i, u)),
    ],
)
def test_invalid_transitions_are_refused(
    officer, posting_of, street_candidate, status, action
):
    posting, _ = posting_of
    intro = Introduction(posting=posting, candidate=street_candidate, status=status)
    db.session.add(intro)
    db.session.flush()
    with pytest.raises(IntroductionError, match="plus possible"):
        action(intro, officer)
    assert intro.status == status


def test_cannot_propose_twice_an_unpublished_posting_or_an_inactive_person(
    officer, posting_of, make_candidate, street_candidate
):
    posting, _ = posting_of
    services.propose(posting, street_candidate, officer, None)
    with pytest.raises(IntroductionError, match="déjà en relation"):
        services.propose(posting, street_candidate, officer, None)
    with pytest.raises(IntroductionError, match="publiée"):
        services.propose(DraftJobPostingFactory(), make_candidate(), officer, None)
    with pytest.raises(IntroductionError, match="recherche active"):
        services.propose(posting, make_candidate(status="en_pause"), officer, None)


def test_interview_date_is_required_and_not_before_the_transmission(
    officer, posting_of, street_candidate
):
    posting, employer = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    services.accept(intro, street_candidate.user)
    with pytest.raises(IntroductionError, match="Indiquez la date"):
        services.record_interview(intro, employer, None)
    with pytest.raises(IntroductionError, match="avant le"):
        services.record_interview(intro, employer, date(1999, 5, 1))
    assert (intro.status, intro.interview_on) == ("transmise_employeur", None)


def test_fixed_term_hire_needs_an_end_date(officer, posting_of, street_candidate):
    posting, employer = posting_of
    intro = services.propose(posting, street_candidate, officer, None)
    services.accept(intro, street_candidate.user)
    with pytest.raises(IntroductionError, match="fin d'un contrat"):
        services.hire(intro, employer, {**HIRE, "contract_type": "cdd"})
    with pytest.raises(IntroductionError, match="après le début"):
        services.hire(intro, employer, {**HIRE, "end_date": date(2027, 1, 1)})
    with pytest.raises(IntroductionError, match="période d'essai"):
        services.hire(
            intro,
            employer,
            {
                **HIRE,
                "contract_type": "cdd",
                "end_date": date(2027, 7, 31),
                "trial_end_date": date(2027, 8, 31),
            },
        )
    with pytest.raises(IntroductionError, match="financement"):
        services.hire(intro, employer, {**HIRE, "funding_end_date": date(2027, 1, 1)})
    assert intro.status == "transmise_employeur"


def test_interest_enters_the_pipeline_already_agreed(
    officer, posting_of, street_candidate
):
    posting, _ = posting_of
    intro = services.request_from_interest(
        street_candidate, posting, street_candidate.user
    )
    assert (intro.origin, intro.status) == ("interet", "acceptee_candidat")
    services.transmit(intro, officer)
    assert intro.status == "transmise_employeur"
    again = services.request_from_interest(
        street_candidate, posting, street_candidate.user
    )
    assert again is intro
    assert intro.status == "transmise_employeur"


def test_withdrawing_an_interest_withdraws_the_request(posting_of, street_candidate):
    posting, _ = posting_of
    intro = services.request_from_interest(
        street_candidate, posting, street_candidate.user
    )
    services.withdraw_interest(street_candidate, posting, street_candidate.user)
    assert intro.status == "retiree"


def test_shortlist_then_propose(officer, posting_of, street_candidate):
    posting, _ = posting_of
    intro = services.shortlist(posting, street_candidate, officer, None)
    assert intro.status == "suggeree"
    services.propose(posting, street_candidate, officer, None)
    assert intro.status == "proposee_candidat"


def test_erasure_forgets_what_was_written_in_introductions_and_hires(
    officer, posting_of, street_candidate
):
    from matching.candidates.services import erase_candidate

    posting, employer = posting_of
    intro = services.propose(posting, street_candidate, officer, None, "Bon profil")
    services.accept(intro, street_candidate.user)
    placement = services.hire(intro, employer, {**HIRE, "note": "Embauche rapide"})
    placement.end_reason = "Raison écrite sur la personne"
    placement.milestones[0].note = "Première semaine difficile"
    intro.snapshot = {"reasons": ["Expérience de la rue : recherchée et partagée"]}
    db.session.commit()
    erase_candidate(street_candidate, officer)
    db.session.commit()
    db.session.expire_all()
    intro = db.session.get(Introduction, intro.id)
    assert intro.status == "embauche"  # statuses and dates stay, for the counts
    assert intro.snapshot == {}
    assert [event.note for event in intro.events] == [None] * len(intro.events)
    assert intro.placement.end_reason is None
    assert {m.note for m in intro.placement.milestones} == {None}
    assert intro.purged_at is None  # not the 3-month purge: its notice would be wrong


def test_erasure_withdraws_open_introductions_and_closes_interests(
    officer, posting_of, street_candidate
):
    from matching.candidates.services import erase_candidate
    from matching.offers.models import Interest

    posting, _employer = posting_of
    intro = services.request_from_interest(street_candidate, posting, None)
    db.session.add(Interest(candidate=street_candidate, posting=posting))
    other_posting = DraftJobPostingFactory(status="publiee")
    proposed = services.propose(other_posting, street_candidate, officer, None, None)
    db.session.commit()
    erase_candidate(street_candidate, street_candidate.user)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Introduction, intro.id).status == "retiree"
    assert db.session.get(Introduction, proposed.id).status == "retiree"
    interest = db.session.scalar(select(Interest))
    assert interest.status == "retiree"


def test_marking_a_posting_filled_by_hand_also_closes_its_open_introductions(
    officer, posting_of, make_candidate
):
    from matching.postings.services import transition_posting

    posting, _employer = posting_of
    waiting = make_candidate()
    intro = services.propose(posting, waiting, officer, None)
    db.session.commit()
    transition_posting(posting, "pourvue", officer)
    db.session.commit()
    assert intro.status == "retiree"
    assert intro.events[-1].note == "Poste pourvu."
