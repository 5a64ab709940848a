"""Demo introductions at every status, and a few hires with their follow-up, so a new
user sees the whole pipeline. Built with the engine and the pipeline's services.

Some are dated back so that `make run` shows their reminders at once: proposals and
transmissions waiting for two weeks, hires whose three-month review is next week and
whose funding ends within 90 days."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from matching.accounts.models import User
from matching.candidates.models import Candidate
from matching.core.timeutils import paris_today, utcnow
from matching.extensions import db
from matching.introductions import services, suggestions
from matching.introductions.models import Introduction
from matching.postings.models import JobPosting
from matching.postings.services import transition_posting
from matching.vocab import FIXED_TERM_CONTRACTS

# For each published posting, what happens to its best suggestions, in rank order.
PUBLISHED_PLAN = [
    "entretien", "transmise_employeur", "proposee_candidat", "refusee_candidat",
    "suggeree", "retiree",
]  # fmt: skip
FILLED_PLAN = ["non_retenue", "embauche"]  # the hire last: it fills the posting
# How long ago the demo's waiting introductions happened (days), and its hires began:
# 85 days ago, the three-month review falls within the coming week.
WAITING_FOR = {"proposee_candidat": 15, "transmise_employeur": 15}
CANDIDATE_WAITING_FOR = 8
HIRED_DAYS_AGO = 85
FUNDED_DAYS = 160


def _officer() -> User:
    return db.session.scalar(
        select(User).where(User.role == "officer").order_by(User.id)
    )


def _employer_of(posting: JobPosting) -> User | None:
    from matching.organisations.models import Membership

    return db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == posting.organisation_id,
            Membership.status == "active",
        )
    )


def _walk(posting, candidate, target: str, officer, employer, match) -> None:
    if target == "suggeree":
        services.shortlist(posting, candidate, officer, match)
        return
    intro = services.propose(posting, candidate, officer, match)
    if target == "proposee_candidat":
        _age(intro, WAITING_FOR[target])
        return
    if target == "retiree":
        services.withdraw(intro, officer, "La personne a trouvé un autre poste.")
        return
    # People met in person have no account: the officer records their answer.
    user = candidate.user or officer
    if target == "refusee_candidat":
        services.refuse(intro, user, "Le trajet est trop long pour moi.")
        return
    services.accept(intro, user)
    actor = employer or officer
    if target == "transmise_employeur":
        _age(intro, WAITING_FOR[target])
        return
    _age(intro, 10)  # passed on ten days ago, met three days ago
    services.record_interview(intro, actor, paris_today() - timedelta(days=3))
    if target == "entretien":
        return
    if target == "non_retenue":
        services.not_retained(
            intro, actor, "Un autre profil correspondait mieux à l'équipe."
        )
        return
    start = paris_today() - timedelta(days=HIRED_DAYS_AGO)
    placement = services.hire(
        intro,
        actor,
        {
            "start_date": start,
            "contract_type": posting.contract_type or "cdi",
            "fte": posting.fte or Decimal("0.8"),
            "end_date": start + timedelta(days=365)
            if posting.contract_type in FIXED_TERM_CONTRACTS
            else None,
            "trial_end_date": None,
            "funding_end_date": start + timedelta(days=FUNDED_DAYS),
            "referent_id": employer.id if employer else None,
            "note": None,
        },
    )
    for milestone in placement.milestones:  # the past of the follow-up is done
        if milestone.due_on < paris_today() - timedelta(days=7):
            milestone.done_at, milestone.done_by_id = utcnow(), officer.id


def _age(intro: Introduction, days: int) -> None:
    """Move an introduction and its log ``days`` into the past."""
    db.session.flush()  # the log's times are filled in at the flush
    shift = timedelta(days=days)
    for name in (
        "created_at",
        "proposed_at",
        "answered_at",
        "transmitted_at",
        "status_changed_at",
    ):
        if getattr(intro, name) is not None:
            setattr(intro, name, getattr(intro, name) - shift)
    for event in intro.events:
        event.at -= shift


def load_introductions() -> dict[str, int]:
    if db.session.scalar(select(func.count(Introduction.id))):
        return {"mises en relation": 0}
    officer = _officer()
    postings = db.session.scalars(
        select(JobPosting)
        .where(JobPosting.status.in_(("publiee", "pourvue")))
        .order_by(JobPosting.id)
    ).all()
    created = 0
    for posting in postings:
        filled = posting.status == "pourvue"
        if filled:  # reopen for a moment: an introduction needs a published posting
            posting.status = "publiee"
        plan = FILLED_PLAN if filled else PUBLISHED_PLAN
        ranking, records = suggestions.suggest_candidates(posting, k=len(plan) + 5)
        employer = _employer_of(posting)
        for target, match in zip(plan, ranking.matches, strict=False):
            _walk(
                posting, records[match.candidate_id], target, officer, employer, match
            )
            created += 1
        if filled and posting.status == "publiee":
            transition_posting(posting, "pourvue", officer)
        db.session.flush()
    _propose_to_demo_candidate(officer)
    _interest_of_demo_candidate()
    return {"mises en relation": created + 2}


def _propose_to_demo_candidate(officer) -> None:
    """Alex Martin, the demo candidate, finds an offer waiting for an answer."""
    candidate = db.session.scalar(
        select(Candidate)
        .join(User, User.id == Candidate.user_id)
        .where(User.email == "alex.martin@example.org")
    )
    if candidate is None or candidate.status != "actif":
        return
    for posting, match in suggestions.suggest_postings(candidate, limit=3):
        if posting.is_published:
            intro = services.propose(posting, candidate, officer, match)
            _age(intro, CANDIDATE_WAITING_FOR)  # a week without an answer
            candidate.updated_at = utcnow()
            return


def _interest_of_demo_candidate() -> None:
    """Yasmina Belkacem says "je suis intéressée" for a published offer."""
    from matching.offers.services import express_interest

    candidate = db.session.scalar(
        select(Candidate)
        .join(User, User.id == Candidate.user_id)
        .where(User.email == "yasmina.belkacem@example.org")
    )
    if candidate is None or candidate.status != "actif":
        return
    taken = set(
        db.session.scalars(
            select(Introduction.posting_id).where(
                Introduction.candidate_id == candidate.id
            )
        )
    )
    for posting in db.session.scalars(
        select(JobPosting).where(JobPosting.status == "publiee").order_by(JobPosting.id)
    ):
        if posting.id not in taken:
            express_interest(candidate, posting, "Je connais bien ce quartier.")
            return
