"""Snapshots of the introduction pipeline (introductions, hires, their follow-up)
and of the candidates' retention, for the reminder rules.

Same contract as ``snapshots.py``: Core queries, no query per record; with ``ctx``
an SQL pre-filter that only leaves out what no rule could fire for today
(``tests/reminders/test_snapshots.py`` proves it hides nothing).
"""

from collections import defaultdict
from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from matching.accounts.models import User
from matching.candidates.models import Candidate
from matching.cases.models import FundingLine, SupportCase
from matching.extensions import db
from matching.introductions.models import Introduction, Milestone, Placement
from matching.organisations.models import Membership
from matching.postings.models import JobPosting
from matching.reminders.loading import (
    CHUNK,
    ParisDates,
    fetch,
    organisation_contacts,
    paris_midnight,
)
from matching.reminders.rules import (
    CANDIDATE_ANSWER_DAYS,
    CONTRACT_EARLY_DAYS,
    DEADLINE_MILESTONES,
    EMPLOYER_DECISION_DAYS,
    FUNDED_STATUSES,
    FUNDING_END_DAYS,
    MILESTONE_DAYS,
    PLACEMENT_IN_PROGRESS,
    PROPOSED,
    SENT_TO_EMPLOYER,
    CandidateSnapshot,
    Context,
    IntroductionSnapshot,
    MilestoneSnapshot,
    PlacementSnapshot,
)


def _officer_columns():
    """The columns ``_officer`` reads, and the joins they need (on Introduction and
    JobPosting)."""
    proposer, publisher = aliased(User), aliased(User)
    columns = (
        Introduction.proposed_by_id,
        proposer.role,
        SupportCase.officer_id,
        publisher.id,
        publisher.role,
    )

    def join(query):
        return (
            query.outerjoin(SupportCase, SupportCase.id == JobPosting.case_id)
            .outerjoin(proposer, proposer.id == Introduction.proposed_by_id)
            .outerjoin(publisher, publisher.id == JobPosting.published_by_id)
        )

    return columns, join


def _officer(proposer_id, proposer_role, case_officer_id, publisher_id, publisher_role):
    """The officer of an introduction or a hire: who proposed it, else the officer of
    the posting's case, else the officer who published the posting."""
    if proposer_id is not None and proposer_role == "officer":
        return proposer_id
    if case_officer_id is not None:
        return case_officer_id
    return publisher_id if publisher_role == "officer" else None


def _referent_column():
    """The placement's referent, while still an active member of the organisation."""
    member = aliased(Membership)
    column = member.user_id

    def join(query):
        return query.outerjoin(
            member,
            and_(
                member.user_id == Placement.referent_id,
                member.organisation_id == Placement.organisation_id,
                member.status == "active",
            ),
        )

    return column, join


def load_milestones(
    ids: Collection[int] | None = None, ctx: Context | None = None
) -> list[MilestoneSnapshot]:
    officer_columns, join_officer = _officer_columns()
    referent, join_referent = _referent_column()
    query = select(
        Milestone.id,
        Milestone.kind,
        Milestone.due_on,
        Milestone.done_at,
        Placement.status,
        referent,
        *officer_columns,
    ).select_from(Milestone)
    query = query.join(Placement, Placement.id == Milestone.placement_id)
    query = query.join(Introduction, Introduction.id == Placement.introduction_id)
    query = query.join(JobPosting, JobPosting.id == Placement.posting_id)
    query = join_referent(join_officer(query)).where(
        Placement.status == PLACEMENT_IN_PROGRESS
    )
    condition = None
    if ctx is not None:  # not done, within the next week
        condition = and_(
            Milestone.done_at.is_(None),
            Milestone.kind.not_in(DEADLINE_MILESTONES),
            Milestone.due_on.between(ctx.today, ctx.today + timedelta(MILESTONE_DAYS)),
        )
    return [
        MilestoneSnapshot(
            milestone_id,
            kind,
            due_on,
            done_at is not None,
            status,
            _officer(*officer),
            referent_id,
        )
        for milestone_id, kind, due_on, done_at, status, referent_id, *officer in fetch(
            query, ids, Milestone.id, condition
        ).all()
    ]


def _placement_condition(ctx: Context):
    today = ctx.today
    funded_cases = select(FundingLine.case_id).where(
        FundingLine.status.in_(FUNDED_STATUSES),
        FundingLine.period_end.between(today, today + timedelta(FUNDING_END_DAYS)),
    )
    return or_(
        Placement.end_date.between(today, today + timedelta(CONTRACT_EARLY_DAYS)),
        Placement.funding_end_date.between(today, today + timedelta(FUNDING_END_DAYS)),
        and_(
            Placement.funding_end_date.is_(None),
            JobPosting.case_id.in_(funded_cases.scalar_subquery()),
        ),
    )


def _funding_ends(case_ids: set[int]) -> dict[int, tuple[date, ...]]:
    """The period ends of each case's granted funding lines, earliest first."""
    ends: dict[int, set[date]] = defaultdict(set)
    ids = sorted(case_ids)
    for start in range(0, len(ids), CHUNK):
        rows = db.session.connection().execute(
            select(FundingLine.case_id, FundingLine.period_end).where(
                FundingLine.case_id.in_(ids[start : start + CHUNK]),
                FundingLine.status.in_(FUNDED_STATUSES),
                FundingLine.period_end.is_not(None),
            )
        )
        for case_id, period_end in rows:
            ends[case_id].add(period_end)
    return {case_id: tuple(sorted(days)) for case_id, days in ends.items()}


def load_placements(
    ids: Collection[int] | None = None, ctx: Context | None = None
) -> list[PlacementSnapshot]:
    """Hires in progress. The funding end is the one given at the hire; without it,
    the post is taken to be funded by the case's granted lines (accorde,
    accorde_partiel, conventionne, verse), each of which ends at its period end."""
    officer_columns, join_officer = _officer_columns()
    referent, join_referent = _referent_column()
    query = select(
        Placement.id,
        Placement.status,
        referent,
        Placement.end_date,
        Placement.funding_end_date,
        JobPosting.case_id,
        *officer_columns,
    ).select_from(Placement)
    query = query.join(Introduction, Introduction.id == Placement.introduction_id)
    query = query.join(JobPosting, JobPosting.id == Placement.posting_id)
    query = join_referent(join_officer(query)).where(
        Placement.status == PLACEMENT_IN_PROGRESS
    )
    rows = fetch(
        query, ids, Placement.id, _placement_condition(ctx) if ctx else None
    ).all()
    lines = _funding_ends(
        {row.case_id for row in rows if row.funding_end_date is None and row.case_id}
    )
    return [
        PlacementSnapshot(
            placement_id,
            status,
            _officer(*officer),
            referent_id,
            end_date,
            (funding_end,) if funding_end else lines.get(case_id, ()),
        )
        for placement_id, status, referent_id, end_date, funding_end, case_id, *officer in rows
    ]


def load_introductions(
    ids: Collection[int] | None = None, ctx: Context | None = None
) -> list[IntroductionSnapshot]:
    officer_columns, join_officer = _officer_columns()
    query = select(
        Introduction.id,
        Introduction.status,
        Candidate.user_id,
        JobPosting.organisation_id,
        Introduction.proposed_at,
        Introduction.transmitted_at,
        *officer_columns,
    ).select_from(Introduction)
    query = query.join(Candidate, Candidate.id == Introduction.candidate_id)
    query = query.join(JobPosting, JobPosting.id == Introduction.posting_id)
    query = join_officer(query).where(
        Introduction.status.in_((PROPOSED, SENT_TO_EMPLOYER))
    )
    condition = None
    if ctx is not None:  # waiting for long enough
        proposed_by = paris_midnight(ctx.today - timedelta(CANDIDATE_ANSWER_DAYS - 1))
        sent_by = paris_midnight(ctx.today - timedelta(EMPLOYER_DECISION_DAYS - 1))
        condition = or_(
            and_(
                Introduction.status == PROPOSED,
                Introduction.proposed_at < proposed_by,
            ),
            and_(
                Introduction.status == SENT_TO_EMPLOYER,
                Introduction.transmitted_at < sent_by,
            ),
        )
    rows = fetch(query, ids, Introduction.id, condition).all()
    contacts = organisation_contacts() if rows else {}
    paris_date = ParisDates()
    return [
        IntroductionSnapshot(
            intro_id,
            status,
            user_id,
            _officer(*officer),
            contacts.get(organisation_id, ()),
            paris_date(proposed_at),
            paris_date(transmitted_at),
        )
        for intro_id, status, user_id, organisation_id, proposed_at, transmitted_at, *officer in rows
    ]


# ---------------------------------------------------------------- candidates


def load_candidates(
    ids: Collection[int] | None = None, ctx: Context | None = None
) -> list[CandidateSnapshot]:
    registrar = aliased(User)
    query = (
        select(
            Candidate.id,
            Candidate.user_id,
            Candidate.created_by_id,
            registrar.role,
            Candidate.last_confirmed_at,
        )
        .outerjoin(registrar, registrar.id == Candidate.created_by_id)
        .where(Candidate.anonymised_at.is_(None))
    )
    condition = None
    if ctx is not None:  # unconfirmed for a year at least (12 months >= 365 days)
        condition = Candidate.last_confirmed_at < paris_midnight(
            ctx.today - timedelta(days=364)
        )
    paris_date = ParisDates()
    return [
        CandidateSnapshot(
            candidate_id,
            user_id,
            registrar_id if registrar_role == "officer" else None,
            paris_date(last_confirmed_at),
            False,
        )
        for candidate_id, user_id, registrar_id, registrar_role, last_confirmed_at in fetch(
            query, ids, Candidate.id, condition
        ).all()
    ]
