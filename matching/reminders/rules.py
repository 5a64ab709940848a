"""Reminder rules: pure functions from plain snapshots to the reminders that should exist.

No Flask and no SQLAlchemy here. A rule takes one snapshot (a named tuple built by
``snapshots.py`` with a few aggregated queries) and the ``Context`` (today in
Europe/Paris, the settings) and returns a ``Hit`` — the day the reminder is due and who
should get it — or None. ``evaluate`` turns hits into ``Due`` items, one per recipient;
``scan.scan`` stores them in the outbox, cancels the pending ones that are no longer due
and re-arms cancelled ones that are due again.

A rule returns a hit only while the reminder is worth sending: from its due date until
the event it announces, or until the condition ends (step done or moved, line decided,
case closed…). A moved date gives another due date, so another key: the reminder is
re-armed. ``README.md`` in this folder explains how to add a rule.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

# Mirrors of matching.cases.models and matching.cases.funding, so this module stays pure
# (tests/reminders/test_rules.py checks that they agree).
CLOSED_STAGES = frozenset({"cloture", "abandonne"})
PAUSED_STAGE = "en_pause"
NOT_FILED = frozenset({"repere", "en_preparation"})
AWAITING_DECISION = frozenset({"depose", "en_instruction"})
REPORT_OWED = frozenset(
    {"accorde", "accorde_partiel", "conventionne", "verse", "bilan_a_rendre"}
)

DEFAULT_INACTIVITY_DAYS = 30
POSTING_QUIET_DAYS = 30
FILING_EARLY_DAYS = 14
FILING_LATE_DAYS = 3
REPORT_DAYS = 30


class Due(NamedTuple):
    """One reminder that should exist: the outbox key is made of all five fields."""

    rule: str
    subject_type: str
    subject_id: int
    recipient_user_id: int
    due_on: date

    @property
    def key(self) -> str:
        return (
            f"{self.rule}:{self.subject_type}:{self.subject_id}:"
            f"{self.recipient_user_id}:{self.due_on.isoformat()}"
        )


class Hit(NamedTuple):
    """What a rule returns: the due date and the users to tell (None entries skipped)."""

    due_on: date
    recipients: tuple[int | None, ...]


@dataclass(frozen=True)
class Context:
    today: date  # in Europe/Paris
    inactivity_days: int = DEFAULT_INACTIVITY_DAYS


@dataclass(frozen=True)
class Rule:
    name: str
    source: str  # which snapshots feed it (a loader of snapshots.py)
    subject_type: str  # what the reminder is about: its link and its timeline
    check: Callable[[Any, Context], Hit | None]
    # Essential reminders cannot be switched off in the notification settings.
    essential: bool = False
    # Data-rights notices never wait for a digest.
    immediate_only: bool = False


RULES: dict[str, Rule] = {}


def rule(
    name: str,
    *,
    source: str,
    subject_type: str,
    essential: bool = False,
    immediate_only: bool = False,
):
    """Register a rule function under ``name`` (the first part of its outbox key)."""

    def register(check):
        if name in RULES:
            raise ValueError(f"Reminder rule {name!r} is already registered.")
        RULES[name] = Rule(name, source, subject_type, check, essential, immediate_only)
        return check

    return register


def evaluate(
    snapshots: Mapping[str, Iterable], ctx: Context, rules: Iterable[Rule] | None = None
) -> list[Due]:
    """Every reminder due today: each rule over the snapshots of its source."""
    dues = []
    for current in RULES.values() if rules is None else rules:
        check, name, subject_type = current.check, current.name, current.subject_type
        for snapshot in snapshots.get(current.source, ()):
            hit = check(snapshot, ctx)
            if hit is None:
                continue
            due_on, recipients = hit
            if len(recipients) > 1:  # the same person twice is told once
                recipients = dict.fromkeys(recipients)
            for recipient in recipients:
                if recipient is not None:
                    dues.append(Due(name, subject_type, snapshot.id, recipient, due_on))
    return dues


def ahead(event: date | None, days: int, ctx: Context, until: int = 0) -> date | None:
    """The day ``days`` before ``event``, if today lies between it and ``until`` days
    before the event (inclusive); else None."""
    if event is None:
        return None
    start = event - timedelta(days=days)
    if start <= ctx.today <= event - timedelta(days=until):
        return start
    return None


def after(start: date | None, days: int, ctx: Context) -> date | None:
    """The day ``days`` after ``start``, if it has come; else None."""
    if start is None:
        return None
    due = start + timedelta(days=days)
    return due if due <= ctx.today else None


# ---------------------------------------------------------------- support cases


class CaseSnapshot(NamedTuple):
    id: int
    officer_id: int | None
    stage: str
    next_step_due: date | None
    last_activity_on: date  # Europe/Paris


@rule("case_next_step_due", source="cases", subject_type="case", essential=True)
def case_next_step_due(case: CaseSnapshot, ctx: Context) -> Hit | None:
    """The next step is due today, or late and still neither done nor moved: the
    officer is told once (digests list it again every day while it is late)."""
    if case.stage in CLOSED_STAGES or case.next_step_due is None:
        return None
    if case.next_step_due > ctx.today:
        return None
    return Hit(case.next_step_due, (case.officer_id,))


@rule("case_inactive", source="cases", subject_type="case")
def case_inactive(case: CaseSnapshot, ctx: Context) -> Hit | None:
    """Nothing noted on an active case for ``inactivity_days``: once per silence."""
    if case.stage in CLOSED_STAGES or case.stage == PAUSED_STAGE:
        return None
    due = after(case.last_activity_on, ctx.inactivity_days, ctx)
    return Hit(due, (case.officer_id,)) if due else None


# ---------------------------------------------------------------- funding lines


class FundingLineSnapshot(NamedTuple):
    id: int
    case_id: int
    case_stage: str
    officer_id: int | None
    contact_ids: tuple[int, ...]  # the organisation's active members
    status: str
    filing_deadline: date | None
    expected_decision_on: date | None
    report_due_on: date | None


def _funding_people(line: FundingLineSnapshot) -> tuple[int | None, ...]:
    return (line.officer_id, *line.contact_ids)


@rule("funding_filing_d14", source="funding_lines", subject_type="funding_line")
def funding_filing_d14(line: FundingLineSnapshot, ctx: Context) -> Hit | None:
    """Filing deadline in 14 days, file not sent; the D-3 reminder takes over at D-3."""
    if line.case_stage in CLOSED_STAGES or line.status not in NOT_FILED:
        return None
    due = ahead(
        line.filing_deadline, FILING_EARLY_DAYS, ctx, until=FILING_LATE_DAYS + 1
    )
    return Hit(due, _funding_people(line)) if due else None


@rule(
    "funding_filing_d3",
    source="funding_lines",
    subject_type="funding_line",
    essential=True,
)
def funding_filing_d3(line: FundingLineSnapshot, ctx: Context) -> Hit | None:
    """Filing deadline in 3 days (until the day itself), file not sent."""
    if line.case_stage in CLOSED_STAGES or line.status not in NOT_FILED:
        return None
    due = ahead(line.filing_deadline, FILING_LATE_DAYS, ctx)
    return Hit(due, _funding_people(line)) if due else None


@rule("funding_decision_overdue", source="funding_lines", subject_type="funding_line")
def funding_decision_overdue(line: FundingLineSnapshot, ctx: Context) -> Hit | None:
    """The expected decision day has passed and the line still awaits a decision."""
    if line.case_stage in CLOSED_STAGES or line.status not in AWAITING_DECISION:
        return None
    due = after(line.expected_decision_on, 1, ctx)
    return Hit(due, _funding_people(line)) if due else None


@rule(
    "funding_report_due",
    source="funding_lines",
    subject_type="funding_line",
    essential=True,
)
def funding_report_due(line: FundingLineSnapshot, ctx: Context) -> Hit | None:
    """The report to the funder is due in 30 days (until the day itself)."""
    if line.case_stage in CLOSED_STAGES or line.status not in REPORT_OWED:
        return None
    due = ahead(line.report_due_on, REPORT_DAYS, ctx)
    return Hit(due, _funding_people(line)) if due else None


# ---------------------------------------------------------------- job postings


class PostingSnapshot(NamedTuple):
    id: int
    status: str
    officer_id: int | None  # the case's officer, else the officer who published it
    published_on: date | None  # Europe/Paris
    has_introduction: bool


@rule("posting_without_introduction", source="postings", subject_type="posting")
def posting_without_introduction(posting: PostingSnapshot, ctx: Context) -> Hit | None:
    """Published for 30 days and nobody introduced yet: the officer looks for people."""
    if posting.status != "publiee" or posting.has_introduction:
        return None
    due = after(posting.published_on, POSTING_QUIET_DAYS, ctx)
    return Hit(due, (posting.officer_id,)) if due else None
