"""Snapshots for the reminder rules: a few aggregated queries, never one per record.

Each loader returns plain named tuples (``rules.py``). Two ways to call it:

- ``ctx`` given (the scan): the query leaves out, in SQL, records that no rule could
  fire for today (closed cases, lines far from their dates, recent postings). This is
  only a speed-up and must stay a superset of what the rules need:
  ``tests/reminders/test_snapshots.py`` checks that the rules give the same reminders
  with and without it. Change it together with the rules it mirrors.
- ``ids`` given (the dispatcher checking a reminder again): those records only.

A pending reminder whose subject is left out is cancelled, as it should be.
"""

from collections.abc import Collection
from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from matching.accounts.models import User
from matching.cases.models import CLOSED_STAGES, FundingLine, SupportCase
from matching.extensions import db
from matching.introductions.models import Introduction
from matching.postings.models import JobPosting
from matching.reminders.loading import (
    CHUNK,
    ParisDates,
    fetch,
    organisation_contacts,
    paris_midnight,
)
from matching.reminders.pipeline_snapshots import (
    load_candidates,
    load_introductions,
    load_milestones,
    load_placements,
)
from matching.reminders.rules import (
    AWAITING_DECISION,
    FILING_EARLY_DAYS,
    NOT_FILED,
    POSTING_QUIET_DAYS,
    REPORT_DAYS,
    REPORT_OWED,
    CaseSnapshot,
    Context,
    FundingLineSnapshot,
    PostingSnapshot,
)


class Recipient(NamedTuple):
    id: int
    email: str
    role: str
    locale: str
    can_receive: bool  # active account with a confirmed address
    reminder_mode: str
    digest_hour: int
    has_optional_reminders: bool


def load_cases(
    ids: Collection[int] | None = None, ctx: Context | None = None
) -> list[CaseSnapshot]:
    query = select(
        SupportCase.id,
        SupportCase.officer_id,
        SupportCase.stage,
        SupportCase.next_step_due,
        SupportCase.last_activity_at,
    ).where(SupportCase.stage.not_in(CLOSED_STAGES))
    condition = None
    if ctx is not None:  # a step due by today, or quiet for long enough
        quiet_since = paris_midnight(ctx.today - timedelta(ctx.inactivity_days - 1))
        condition = or_(
            SupportCase.next_step_due <= ctx.today,
            SupportCase.last_activity_at < quiet_since,
        )
    paris_date = ParisDates()
    return [
        CaseSnapshot(case_id, officer_id, stage, due, paris_date(last_activity))
        for case_id, officer_id, stage, due, last_activity in fetch(
            query, ids, SupportCase.id, condition
        ).all()
    ]


def _funding_condition(ctx: Context):
    today = ctx.today
    return or_(
        and_(
            FundingLine.status.in_(NOT_FILED),
            FundingLine.filing_deadline.between(
                today, today + timedelta(FILING_EARLY_DAYS)
            ),
        ),
        and_(
            FundingLine.status.in_(AWAITING_DECISION),
            FundingLine.expected_decision_on < today,
        ),
        and_(
            FundingLine.status.in_(REPORT_OWED),
            FundingLine.report_due_on.between(today, today + timedelta(REPORT_DAYS)),
        ),
    )


def load_funding_lines(
    ids: Collection[int] | None = None, ctx: Context | None = None
) -> list[FundingLineSnapshot]:
    query = (
        select(
            FundingLine.id,
            FundingLine.case_id,
            SupportCase.stage,
            SupportCase.officer_id,
            SupportCase.organisation_id,
            FundingLine.status,
            FundingLine.filing_deadline,
            FundingLine.expected_decision_on,
            FundingLine.report_due_on,
        )
        .join(SupportCase, SupportCase.id == FundingLine.case_id)
        .where(SupportCase.stage.not_in(CLOSED_STAGES))
    )
    rows = fetch(
        query, ids, FundingLine.id, _funding_condition(ctx) if ctx else None
    ).all()
    contacts = organisation_contacts() if rows else {}
    return [
        FundingLineSnapshot(
            line_id, case_id, stage, officer_id, contacts.get(org_id, ()), *rest
        )
        for line_id, case_id, stage, officer_id, org_id, *rest in rows
    ]


def introduced_posting_ids(posting_ids: Collection[int]) -> set[int]:
    """The postings, among these, for which someone was introduced (one query).

    Counted: every introduction proposed to the candidate (``proposed_at``) or asked
    for by the candidate's own interest (``answered_at``), whatever became of it
    since (accepted, refused, not retained, withdrawn). Not counted: a suggestion the
    officer only kept aside (``suggeree``), or withdrew before proposing it, which
    nobody outside the team ever saw.
    """
    ids = list(posting_ids)
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(
            db.session.connection()
            .execute(
                select(Introduction.posting_id)
                .where(
                    Introduction.posting_id.in_(ids[start : start + CHUNK]),
                    or_(
                        Introduction.proposed_at.is_not(None),
                        Introduction.answered_at.is_not(None),
                    ),
                )
                .distinct()
            )
            .scalars()
        )
    return found


def has_introduction(posting_id: int) -> bool:
    """Whether someone was introduced for this posting (see introduced_posting_ids)."""
    return posting_id in introduced_posting_ids([posting_id])


def load_postings(
    ids: Collection[int] | None = None, ctx: Context | None = None
) -> list[PostingSnapshot]:
    publisher = aliased(User)
    query = (
        select(
            JobPosting.id,
            JobPosting.status,
            SupportCase.officer_id,
            publisher.id,
            publisher.role,
            JobPosting.published_at,
        )
        .outerjoin(SupportCase, SupportCase.id == JobPosting.case_id)
        .outerjoin(publisher, publisher.id == JobPosting.published_by_id)
        .where(JobPosting.status == "publiee")
    )
    condition = None
    if ctx is not None:
        since = paris_midnight(ctx.today - timedelta(POSTING_QUIET_DAYS - 1))
        condition = JobPosting.published_at < since
    rows = fetch(query, ids, JobPosting.id, condition).all()
    introduced = introduced_posting_ids([row[0] for row in rows])
    paris_date = ParisDates()
    return [
        PostingSnapshot(
            posting_id,
            status,
            officer_id or (publisher_id if publisher_role == "officer" else None),
            paris_date(published_at),
            posting_id in introduced,
        )
        for posting_id, status, officer_id, publisher_id, publisher_role, published_at in rows
    ]


LOADERS = {
    "cases": load_cases,
    "funding_lines": load_funding_lines,
    "postings": load_postings,
    "milestones": load_milestones,
    "placements": load_placements,
    "introductions": load_introductions,
    "candidates": load_candidates,
}


def load_snapshots(
    sources: Collection[str],
    ids: dict[str, set[int]] | None = None,
    ctx: Context | None = None,
) -> dict[str, list]:
    """Snapshots of each source: all that may be due for ``ctx``, or ``ids[source]``."""
    if ids is not None:
        return {source: LOADERS[source](ids.get(source, set())) for source in sources}
    return {source: LOADERS[source](None, ctx) for source in sources}


def load_recipients(ids: Collection[int] | None = None) -> dict[int, Recipient]:
    query = select(
        User.id,
        User.email,
        User.role,
        User.locale,
        User.active,
        User.email_verified_at,
        User.reminder_mode,
        User.digest_hour,
        User.has_optional_reminders,
    )
    return {
        row.id: Recipient(
            row.id,
            row.email,
            row.role,
            row.locale,
            bool(row.active and row.email_verified_at),
            row.reminder_mode,
            row.digest_hour,
            bool(row.has_optional_reminders),
        )
        for row in fetch(query, ids, User.id)
    }
