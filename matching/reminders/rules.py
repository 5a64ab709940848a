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

from matching.cases.funding import add_months

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
    # The roles its recipients can have: the notification settings show each person
    # only the reminders that can reach them.
    audience: frozenset[str] = frozenset()


RULES: dict[str, Rule] = {}

# Who a rule's hits can name: officers; the organisation's members (funding contacts,
# the referent of a hire); the person, once they have an account.
OFFICER = ("officer",)
EMPLOYER = ("employer",)
CANDIDATE = ("candidate",)
STAFF = ("officer", "employer")
CANDIDATE_OR_OFFICER = ("candidate", "officer")


def rule(
    name: str,
    *,
    source: str,
    subject_type: str,
    audience: tuple[str, ...],
    essential: bool = False,
    immediate_only: bool = False,
):
    """Register a rule function under ``name`` (the first part of its outbox key);
    ``audience``: the roles of the people its hits name."""

    def register(check):
        if name in RULES:
            raise ValueError(f"Reminder rule {name!r} is already registered.")
        RULES[name] = Rule(
            name,
            source,
            subject_type,
            check,
            essential,
            immediate_only,
            frozenset(audience),
        )
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


@rule(
    "case_next_step_due",
    audience=OFFICER,
    source="cases",
    subject_type="case",
    essential=True,
)
def case_next_step_due(case: CaseSnapshot, ctx: Context) -> Hit | None:
    """The next step is due today, or late and still neither done nor moved: the
    officer is told once (digests list it again every day while it is late)."""
    if case.stage in CLOSED_STAGES or case.next_step_due is None:
        return None
    if case.next_step_due > ctx.today:
        return None
    return Hit(case.next_step_due, (case.officer_id,))


@rule("case_inactive", audience=OFFICER, source="cases", subject_type="case")
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


@rule(
    "funding_filing_d14",
    audience=STAFF,
    source="funding_lines",
    subject_type="funding_line",
)
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
    audience=STAFF,
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


@rule(
    "funding_decision_overdue",
    audience=STAFF,
    source="funding_lines",
    subject_type="funding_line",
)
def funding_decision_overdue(line: FundingLineSnapshot, ctx: Context) -> Hit | None:
    """The expected decision day has passed and the line still awaits a decision."""
    if line.case_stage in CLOSED_STAGES or line.status not in AWAITING_DECISION:
        return None
    due = after(line.expected_decision_on, 1, ctx)
    return Hit(due, _funding_people(line)) if due else None


@rule(
    "funding_report_due",
    audience=STAFF,
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


@rule(
    "posting_without_introduction",
    audience=OFFICER,
    source="postings",
    subject_type="posting",
)
def posting_without_introduction(posting: PostingSnapshot, ctx: Context) -> Hit | None:
    """Published for 30 days and nobody introduced yet: the officer looks for people."""
    if posting.status != "publiee" or posting.has_introduction:
        return None
    due = after(posting.published_on, POSTING_QUIET_DAYS, ctx)
    return Hit(due, (posting.officer_id,)) if due else None


# ---------------------------------------------------------------- placements
# Mirrors of matching.introductions and matching.cases.funding (checked by the tests).

PLACEMENT_IN_PROGRESS = "en_cours"
# The contract-end and funding-end points of the follow-up plan have rules of their own.
DEADLINE_MILESTONES = frozenset({"echeance_contrat", "echeance_financement"})
FUNDED_STATUSES = frozenset({"accorde", "accorde_partiel", "conventionne", "verse"})
MILESTONE_DAYS = 7
CONTRACT_EARLY_DAYS = 60
CONTRACT_LATE_DAYS = 30
FUNDING_END_DAYS = 90


class MilestoneSnapshot(NamedTuple):
    id: int
    kind: str
    due_on: date
    is_done: bool
    placement_status: str
    officer_id: int | None  # the introduction's officer, else the case's
    referent_id: int | None  # the employer's referent named on the placement


@rule(
    "placement_milestone_t7",
    audience=STAFF,
    source="milestones",
    subject_type="milestone",
    essential=True,
)
def placement_milestone_t7(milestone: MilestoneSnapshot, ctx: Context) -> Hit | None:
    """A point of the follow-up plan in 7 days (until its day), not done yet. Points
    sooner than that after the hire (day 1, week 1) are announced at once."""
    if (
        milestone.is_done
        or milestone.placement_status != PLACEMENT_IN_PROGRESS
        or milestone.kind in DEADLINE_MILESTONES
    ):
        return None
    due = ahead(milestone.due_on, MILESTONE_DAYS, ctx)
    return Hit(due, (milestone.officer_id, milestone.referent_id)) if due else None


class PlacementSnapshot(NamedTuple):
    id: int
    status: str
    officer_id: int | None
    referent_id: int | None
    contract_end_on: date | None  # the end of a fixed-term contract
    # When the post's funding ends: the date given at the hire, else the ends of the
    # case's granted funding lines (see snapshots.load_placements), earliest first.
    funding_ends: tuple[date, ...]


def _followers(placement: PlacementSnapshot) -> tuple[int | None, ...]:
    return (placement.officer_id, placement.referent_id)


@rule(
    "contract_end_d60",
    audience=STAFF,
    source="placements",
    subject_type="placement",
    essential=True,
)
def contract_end_d60(placement: PlacementSnapshot, ctx: Context) -> Hit | None:
    """A fixed-term contract ends in 60 days (the D-30 reminder takes over)."""
    if placement.status != PLACEMENT_IN_PROGRESS:
        return None
    due = ahead(
        placement.contract_end_on,
        CONTRACT_EARLY_DAYS,
        ctx,
        until=CONTRACT_LATE_DAYS + 1,
    )
    return Hit(due, _followers(placement)) if due else None


@rule(
    "contract_end_d30",
    audience=STAFF,
    source="placements",
    subject_type="placement",
    essential=True,
)
def contract_end_d30(placement: PlacementSnapshot, ctx: Context) -> Hit | None:
    """A fixed-term contract ends in 30 days (until the day itself)."""
    if placement.status != PLACEMENT_IN_PROGRESS:
        return None
    due = ahead(placement.contract_end_on, CONTRACT_LATE_DAYS, ctx)
    return Hit(due, _followers(placement)) if due else None


@rule(
    "funding_period_end_d90",
    audience=STAFF,
    source="placements",
    subject_type="placement",
    essential=True,
)
def funding_period_end_d90(placement: PlacementSnapshot, ctx: Context) -> Hit | None:
    """The funding of the post ends in 90 days (until the day itself): the nearest
    end first, the next one once it has passed."""
    if placement.status != PLACEMENT_IN_PROGRESS:
        return None
    for end in placement.funding_ends:
        due = ahead(end, FUNDING_END_DAYS, ctx)
        if due:
            return Hit(due, _followers(placement))
    return None


# ---------------------------------------------------------------- introductions

PROPOSED = "proposee_candidat"
SENT_TO_EMPLOYER = "transmise_employeur"
CANDIDATE_ANSWER_DAYS = 7
OFFICER_ANSWER_DAYS = 14
EMPLOYER_DECISION_DAYS = 14


class IntroductionSnapshot(NamedTuple):
    id: int
    status: str
    candidate_user_id: int | None  # None while the person has no account
    officer_id: int | None  # the officer who proposed it, else the case's
    contact_ids: tuple[int, ...]  # the organisation's active members
    proposed_on: date | None  # Europe/Paris
    transmitted_on: date | None  # Europe/Paris


@rule(
    "introduction_answer_candidate",
    audience=CANDIDATE,
    source="introductions",
    subject_type="introduction",
    essential=True,
)
def introduction_answer_candidate(
    intro: IntroductionSnapshot, ctx: Context
) -> Hit | None:
    """Proposed a week ago and still unanswered: the person is asked once."""
    if intro.status != PROPOSED or intro.candidate_user_id is None:
        return None
    due = after(intro.proposed_on, CANDIDATE_ANSWER_DAYS, ctx)
    return Hit(due, (intro.candidate_user_id,)) if due else None


@rule(
    "introduction_answer_officer",
    audience=OFFICER,
    source="introductions",
    subject_type="introduction",
)
def introduction_answer_officer(
    intro: IntroductionSnapshot, ctx: Context
) -> Hit | None:
    """Still unanswered two weeks after the proposal: the officer follows it up."""
    if intro.status != PROPOSED:
        return None
    due = after(intro.proposed_on, OFFICER_ANSWER_DAYS, ctx)
    return Hit(due, (intro.officer_id,)) if due else None


@rule(
    "introduction_employer_decision",
    audience=EMPLOYER,
    source="introductions",
    subject_type="introduction",
)
def introduction_employer_decision(
    intro: IntroductionSnapshot, ctx: Context
) -> Hit | None:
    """Passed on to the employer two weeks ago, and neither interview nor decision."""
    if intro.status != SENT_TO_EMPLOYER:
        return None
    due = after(intro.transmitted_on, EMPLOYER_DECISION_DAYS, ctx)
    return Hit(due, intro.contact_ids) if due else None


# ---------------------------------------------------------------- candidates
# SECURITY.md (row 25): asked to confirm at 12 months, warned at 24 months minus 30
# days, anonymised at 24 months (matching.retention) unless confirmed in between.

CONFIRM_MONTHS = 12
RETENTION_MONTHS = 24
NOTICE_DAYS = 30


class CandidateSnapshot(NamedTuple):
    id: int
    user_id: int | None  # the person's account, if any
    registered_by_id: int | None  # the officer who registered the profile
    last_confirmed_on: date  # Europe/Paris
    is_anonymised: bool


def anonymisation_day(last_confirmed_on: date) -> date:
    """The day an unconfirmed profile is anonymised."""
    return add_months(last_confirmed_on, RETENTION_MONTHS)


def notice_day(last_confirmed_on: date) -> date:
    """The day the person (or their officer) is warned of the anonymisation."""
    return anonymisation_day(last_confirmed_on) - timedelta(days=NOTICE_DAYS)


@rule(
    "candidate_confirm_12m",
    audience=CANDIDATE,
    source="candidates",
    subject_type="candidate",
    essential=True,
    immediate_only=True,
)
def candidate_confirm_12m(candidate: CandidateSnapshot, ctx: Context) -> Hit | None:
    """A year without confirmation: the person is asked whether their information is
    still correct (the anonymisation notice takes over at its own date)."""
    if candidate.is_anonymised or candidate.user_id is None:
        return None
    due = add_months(candidate.last_confirmed_on, CONFIRM_MONTHS)
    if due <= ctx.today < notice_day(candidate.last_confirmed_on):
        return Hit(due, (candidate.user_id,))
    return None


@rule(
    "candidate_anonymisation_notice",
    audience=CANDIDATE_OR_OFFICER,
    source="candidates",
    subject_type="candidate",
    essential=True,
    immediate_only=True,
)
def candidate_anonymisation_notice(
    candidate: CandidateSnapshot, ctx: Context
) -> Hit | None:
    """30 days before the anonymisation: the person, or the officer who registered a
    profile without an account (who contacts the person)."""
    if candidate.is_anonymised:
        return None
    due = notice_day(candidate.last_confirmed_on)
    if due > ctx.today:
        return None
    person = candidate.user_id
    return Hit(due, (person if person is not None else candidate.registered_by_id,))
