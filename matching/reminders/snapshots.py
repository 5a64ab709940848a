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

from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from matching.accounts.models import User
from matching.cases.models import CLOSED_STAGES, FundingLine, SupportCase
from matching.core.timeutils import PARIS, paris_to_utc
from matching.extensions import db
from matching.organisations.models import Membership
from matching.postings.models import JobPosting
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


class ParisDates:
    """UTC datetimes -> Europe/Paris dates, fast for 100,000 rows: the offset is looked
    up once per UTC day (per hour on the two days the clocks change)."""

    def __init__(self):
        self._offsets: dict[date, timedelta | None] = {}

    def __call__(self, value: datetime | None) -> date | None:
        if value is None:
            return None
        day = value.date()
        offset = self._offsets.get(day, False)
        if offset is False:
            offset = self._offsets[day] = self._day_offset(day)
        if offset is None:  # the clocks change this day
            offset = _paris_offset(value.replace(minute=0, second=0, microsecond=0))
        return (value + offset).date()

    @staticmethod
    def _day_offset(day: date) -> timedelta | None:
        start = datetime.combine(day, time())
        first, last = _paris_offset(start), _paris_offset(start + timedelta(hours=23))
        return first if first == last else None


def _paris_offset(utc: datetime) -> timedelta:
    return utc.replace(tzinfo=UTC).astimezone(PARIS).utcoffset()


def paris_midnight(day: date) -> datetime:
    """The start of a Paris day, as naive UTC."""
    return paris_to_utc(datetime.combine(day, time()))


def _rows(query, ids: Collection[int] | None, column, condition=None):
    """Run a Core query (no ORM objects: 100,000 rows must load fast)."""
    if ids is not None:
        query = query.where(column.in_(list(ids)))
    elif condition is not None:
        query = query.where(condition)
    return db.session.connection().execute(query)


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
        for case_id, officer_id, stage, due, last_activity in _rows(
            query, ids, SupportCase.id, condition
        ).all()
    ]


def organisation_contacts() -> dict[int, tuple[int, ...]]:
    """The active members of every organisation: the employer's contacts."""
    contacts: dict[int, list[int]] = defaultdict(list)
    rows = db.session.connection().execute(
        select(Membership.organisation_id, Membership.user_id)
        .where(Membership.status == "active")
        .order_by(Membership.organisation_id, Membership.user_id)
    )
    for organisation_id, user_id in rows:
        contacts[organisation_id].append(user_id)
    return {org: tuple(users) for org, users in contacts.items()}


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
    rows = _rows(
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

    Introductions are built in another branch: until they exist no posting has one.
    That branch replaces this body with a query such as
    ``select(Introduction.posting_id).where(Introduction.posting_id.in_(ids))``.
    """
    return set()


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
    rows = _rows(query, ids, JobPosting.id, condition).all()
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
        for row in _rows(query, ids, User.id)
    }
