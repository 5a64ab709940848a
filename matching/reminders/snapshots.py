"""Snapshots for the reminder rules: a few aggregated queries, never one per record.

Each loader returns plain named tuples (``rules.py``); ``ids`` restricts it to some
subjects, which is how a reminder is checked again just before it is sent. Loaders may
leave out records that no rule could fire for (closed cases, unpublished postings): a
pending reminder whose subject is left out is cancelled, as it should be.
"""

from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import aliased

from matching.accounts.models import User
from matching.cases.models import CLOSED_STAGES, FundingLine, SupportCase
from matching.core.timeutils import PARIS
from matching.extensions import db
from matching.organisations.models import Membership
from matching.postings.models import JobPosting
from matching.reminders.rules import (
    CaseSnapshot,
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
    """UTC datetimes -> Europe/Paris dates, memoised per hour (100,000 rows fast)."""

    def __init__(self):
        self._cache: dict[datetime, date] = {}

    def __call__(self, value: datetime | None) -> date | None:
        if value is None:
            return None
        hour = value.replace(minute=0, second=0, microsecond=0)
        day = self._cache.get(hour)
        if day is None:
            day = hour.replace(tzinfo=UTC).astimezone(PARIS).date()
            self._cache[hour] = day
        return day


def _restrict(query, column, ids: Collection[int] | None):
    return query if ids is None else query.where(column.in_(list(ids)))


def load_cases(ids: Collection[int] | None = None) -> list[CaseSnapshot]:
    query = select(
        SupportCase.id,
        SupportCase.officer_id,
        SupportCase.stage,
        SupportCase.next_step_due,
        SupportCase.last_activity_at,
    ).where(SupportCase.stage.not_in(CLOSED_STAGES))
    paris_date = ParisDates()
    return [
        CaseSnapshot(case_id, officer_id, stage, due, paris_date(last_activity))
        for case_id, officer_id, stage, due, last_activity in db.session.execute(
            _restrict(query, SupportCase.id, ids)
        )
    ]


def organisation_contacts() -> dict[int, tuple[int, ...]]:
    """The active members of every organisation: the employer's contacts."""
    contacts: dict[int, list[int]] = defaultdict(list)
    rows = db.session.execute(
        select(Membership.organisation_id, Membership.user_id)
        .where(Membership.status == "active")
        .order_by(Membership.organisation_id, Membership.user_id)
    )
    for organisation_id, user_id in rows:
        contacts[organisation_id].append(user_id)
    return {org: tuple(users) for org, users in contacts.items()}


def load_funding_lines(ids: Collection[int] | None = None) -> list[FundingLineSnapshot]:
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
    contacts = organisation_contacts()
    return [
        FundingLineSnapshot(
            line_id, case_id, stage, officer_id, contacts.get(org_id, ()), *rest
        )
        for line_id, case_id, stage, officer_id, org_id, *rest in db.session.execute(
            _restrict(query, FundingLine.id, ids)
        )
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


def load_postings(ids: Collection[int] | None = None) -> list[PostingSnapshot]:
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
    rows = db.session.execute(_restrict(query, JobPosting.id, ids)).all()
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
    sources: Collection[str], ids: dict[str, set[int]] | None = None
) -> dict[str, list]:
    """Snapshots of each source (all of them, or only ``ids[source]``)."""
    return {
        source: LOADERS[source](None if ids is None else ids.get(source, set()))
        for source in sources
    }


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
        for row in db.session.execute(_restrict(query, User.id, ids))
    }
