"""Retention jobs (SECURITY.md row 25, README "Privacy"): plain functions run each
night by the scheduler (``scheduler.py``), by ``flask --app matching retention run``
and by tests, which pass ``now``. Each one flushes; its caller commits.

- Candidate profiles not confirmed for 24 months are anonymised with the one erasure
  service, ``erase_candidate(candidate, by=None)``. The person (or, without an account,
  the officer who registered them) was warned 30 days before by the reminder
  ``candidate_anonymisation_notice``; a profile is never anonymised less than 30 days
  after that notice went out, nor while it waits to go out.
- Introductions that did not lead to a hire (refused by the person, not retained by
  the employer, withdrawn) lose the person's details 3 months after the decision:
  see ``matching.introductions.services.purge_introduction``.
- Audit rows are deleted after 12 months.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import delete, func, select

from matching.audit.models import AuditEvent
from matching.candidates.models import Candidate
from matching.candidates.services import erase_candidate
from matching.cases.funding import add_months
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.introductions.models import NOT_RETAINED, Introduction
from matching.introductions.services import purge_introduction
from matching.reminders.loading import ParisDates, paris_midnight
from matching.reminders.models import EmailMessage
from matching.reminders.pipeline_snapshots import load_candidates
from matching.reminders.rules import (
    NOTICE_DAYS,
    RULES,
    CandidateSnapshot,
    Context,
    anonymisation_day,
    evaluate,
    notice_day,
)
from matching.reminders.scan import paris_date, wanted
from matching.reminders.snapshots import load_recipients

NOTICE_RULE = "candidate_anonymisation_notice"
PURGE_AFTER_MONTHS = 3
AUDIT_MONTHS = 12


@dataclass
class RetentionResult:
    anonymised: list[int] = field(default_factory=list)
    waiting_for_notice: list[int] = field(default_factory=list)
    purged: list[int] = field(default_factory=list)
    audit_deleted: int = 0


# ---------------------------------------------------------------- candidates


def anonymise_unconfirmed(
    now: datetime | None = None, dry_run: bool = False
) -> RetentionResult:
    """Anonymise the profiles whose 24 months without confirmation have passed, once
    their anonymisation notice went out 30 days ago or more, or could go to nobody
    (no account and no officer to tell, address refused for good)."""
    now = now or utcnow()
    today = paris_date(now)
    result = RetentionResult()
    due = [
        snapshot
        for snapshot in load_candidates(ctx=Context(today))
        if anonymisation_day(snapshot.last_confirmed_on) <= today
    ]
    waiting = _notices_waiting(due, today)
    for snapshot in due:
        if snapshot.id in waiting:
            result.waiting_for_notice.append(snapshot.id)
            continue
        candidate = db.session.get(Candidate, snapshot.id)
        # Read again: a confirmation restarts the clock and stops the anonymisation.
        if not _still_unconfirmed(candidate, today):
            continue
        result.anonymised.append(candidate.id)
        if not dry_run:
            erase_candidate(candidate, by=None)
    return result


def _still_unconfirmed(candidate: Candidate | None, today: date) -> bool:
    if candidate is None or candidate.is_anonymised:
        return False
    last = paris_date(candidate.last_confirmed_at)
    return anonymisation_day(last) <= today


def _notices_waiting(due: list[CandidateSnapshot], today: date) -> set[int]:
    """The candidates whose notice is wanted but not stored or not sent yet, or sent
    less than 30 days ago: their anonymisation waits."""
    if not due:
        return set()
    ctx = Context(today)
    dues = evaluate({"candidates": due}, ctx, [RULES[NOTICE_RULE]])
    wanted_keys = {
        item.key: item.due.subject_id
        for item in wanted(
            dues, load_recipients({d.recipient_user_id for d in dues})
        ).values()
    }
    current = {snapshot.id: notice_day(snapshot.last_confirmed_on) for snapshot in due}
    sent_date = ParisDates()
    stored: set[str] = set()
    waiting: set[int] = set()
    rows = db.session.execute(
        select(
            EmailMessage.key,
            EmailMessage.subject_id,
            EmailMessage.due_on,
            EmailMessage.status,
            EmailMessage.sent_at,
        ).where(
            EmailMessage.rule == NOTICE_RULE,
            EmailMessage.subject_id.in_(list(current)),
        )
    )
    for key, candidate_id, due_on, status, sent_at in rows:
        if due_on != current.get(candidate_id):
            continue  # a notice of an earlier period, before a confirmation
        stored.add(key)
        about_to_go = status in ("pending", "sending") or (
            status == "cancelled" and key in wanted_keys  # the scan re-arms it
        )
        recent = status == "sent" and sent_date(sent_at) > today - timedelta(
            NOTICE_DAYS
        )
        if about_to_go or recent:
            waiting.add(candidate_id)
    waiting.update(
        candidate_id for key, candidate_id in wanted_keys.items() if key not in stored
    )
    return waiting


# ---------------------------------------------------------------- introductions


def purge_closed_introductions(
    now: datetime | None = None, dry_run: bool = False
) -> RetentionResult:
    """Purge the person's details from introductions decided 3 months ago or more
    that did not lead to a hire; their status and dates stay, for statistics."""
    now = now or utcnow()
    today = paris_date(now)
    result = RetentionResult()
    # 3 months are at least 89 days: the SQL keeps a superset, Python decides.
    candidates = db.session.scalars(
        select(Introduction)
        .where(
            Introduction.status.in_(NOT_RETAINED),
            Introduction.purged_at.is_(None),
            Introduction.decided_at < paris_midnight(today - timedelta(days=88)),
        )
        .order_by(Introduction.id)
    )
    for intro in candidates:
        if add_months(paris_date(intro.decided_at), PURGE_AFTER_MONTHS) > today:
            continue
        result.purged.append(intro.id)
        if not dry_run:
            purge_introduction(intro, now)
    return result


# ---------------------------------------------------------------- audit


def purge_audit(now: datetime | None = None, dry_run: bool = False) -> RetentionResult:
    """Delete audit rows older than 12 months (from the start of that Paris day)."""
    now = now or utcnow()
    cutoff = paris_midnight(add_months(paris_date(now), -AUDIT_MONTHS))
    old = AuditEvent.created_at < cutoff
    if dry_run:
        count = db.session.scalar(select(func.count(AuditEvent.id)).where(old))
    else:
        count = db.session.execute(delete(AuditEvent).where(old)).rowcount
    return RetentionResult(audit_deleted=count or 0)


# ---------------------------------------------------------------- one pass


def run_retention(now: datetime | None = None, dry_run: bool = False):
    """Every retention job once (the command line); the caller commits."""
    now = now or utcnow()
    profiles = anonymise_unconfirmed(now, dry_run)
    introductions = purge_closed_introductions(now, dry_run)
    audit = purge_audit(now, dry_run)
    return RetentionResult(
        anonymised=profiles.anonymised,
        waiting_for_notice=profiles.waiting_for_notice,
        purged=introductions.purged,
        audit_deleted=audit.audit_deleted,
    )


# ---------------------------------------------------------------- command line

retention_cli = AppGroup(
    "retention", help="Durées de conservation : une passe, ou ce qu'elle ferait."
)


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Show what would go; change nothing.")
def run_command(dry_run: bool):
    """Anonymise unconfirmed profiles, purge old introductions and audit rows."""
    result = run_retention(utcnow(), dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(
        ("Simulation — " if dry_run else "")
        + f"profils anonymisés : {len(result.anonymised)} "
        f"(en attente du préavis : {len(result.waiting_for_notice)}) ; "
        f"mises en relation purgées : {len(result.purged)} ; "
        f"lignes du journal d'accès supprimées : {result.audit_deleted}"
    )
