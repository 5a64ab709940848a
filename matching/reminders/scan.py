"""The scan: store the reminders the rules say are due, cancel and re-arm the others.

It runs every minute (``jobs.tick``) and is idempotent: the outbox key is unique and new
rows go in with INSERT … ON CONFLICT DO NOTHING, so a second scan, or a second
scheduler started by mistake, adds nothing. A pending reminder that the rules no longer
produce (step done or moved, line decided, case closed, reminders switched off) is
cancelled; a cancelled one that is due again is re-armed. ``wanted_now`` runs the same
rules for a few subjects, so the dispatcher checks a reminder once more just before
sending it.

Each reminder row gets its channel from the recipient's preferences: "immediate" rows
are sent at ``REMINDER_SEND_HOUR`` (Europe/Paris) on the due day, "digest" rows wait for
the recipient's daily digest.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import NamedTuple

from flask import current_app
from sqlalchemy import bindparam, select

from matching.admin.settings import get_setting
from matching.core.timeutils import paris_to_utc, to_paris, utcnow
from matching.extensions import db
from matching.reminders.models import EmailMessage
from matching.reminders.rules import RULES, Context, Due, evaluate
from matching.reminders.snapshots import Recipient, load_recipients, load_snapshots

INACTIVITY_SETTING = "reminders.inactivity_days"
CHUNK = 1000


class Wanted(NamedTuple):
    """A due reminder its recipient accepts, with its channel and its send time."""

    due: Due
    channel: str
    send_at: datetime  # naive UTC
    email: str


class ExistingRow(NamedTuple):
    id: int
    key: str
    status: str
    channel: str
    due_at: datetime
    digest_id: int | None


@dataclass
class ScanResult:
    due: int = 0
    inserted: list[Wanted] = field(default_factory=list)
    rearmed: list[int] = field(default_factory=list)
    rescheduled: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)


def paris_date(now: datetime) -> date:
    return to_paris(now).date()


def send_time(day: date, hour: int) -> datetime:
    """``hour`` o'clock in Paris on ``day``, as naive UTC. A time skipped by the
    change to summer time is read with the winter offset (02:00 -> 03:00)."""
    return paris_to_utc(datetime.combine(day, time(hour)))


def context_for(now: datetime) -> Context:
    days = get_setting(INACTIVITY_SETTING, None)
    return Context(
        today=paris_date(now),
        inactivity_days=int(days) if days else Context.inactivity_days,
    )


def wanted(dues: Iterable[Due], recipients: dict[int, Recipient]) -> dict[str, Wanted]:
    """Keep the reminders each recipient accepts; give each its channel and time."""
    send_hour = current_app.config["REMINDER_SEND_HOUR"]
    result = {}
    for due in dues:
        person = recipients.get(due.recipient_user_id)
        rule = RULES[due.rule]
        if person is None or not person.can_receive:
            continue
        if not rule.essential and not person.has_optional_reminders:
            continue
        digest = person.reminder_mode == "digest" and not rule.immediate_only
        hour = person.digest_hour if digest else send_hour
        result[due.key] = Wanted(
            due,
            "digest" if digest else "immediate",
            send_time(due.due_on, hour),
            person.email,
        )
    return result


def wanted_now(rows: Iterable[EmailMessage], now: datetime) -> dict[str, Wanted]:
    """Run the rules again for the subjects of these reminder rows only."""
    ids: dict[str, set[int]] = defaultdict(set)
    rules, recipients = set(), set()
    for row in rows:
        rule = RULES.get(row.rule or "")
        if rule is not None and row.subject_id is not None:
            ids[rule.source].add(row.subject_id)
            rules.add(rule)
            recipients.add(row.recipient_user_id)
    if not rules:
        return {}
    dues = evaluate(load_snapshots(ids.keys(), ids), context_for(now), rules)
    return wanted(dues, load_recipients(recipients))


def scan(now: datetime | None = None, dry_run: bool = False) -> ScanResult:
    """Bring the outbox's reminders in line with the rules; commit unless dry_run."""
    now = now or utcnow()
    snapshots = load_snapshots({rule.source for rule in RULES.values()})
    want = wanted(evaluate(snapshots, context_for(now)), load_recipients())
    rows = _existing_rows(want)
    result = ScanResult(due=len(want))
    for key, item in want.items():
        row = rows.get(key)
        if row is None:
            result.inserted.append(item)
        elif row.status == "cancelled":
            result.rearmed.append(row.id)
        elif (
            row.status == "pending"
            and row.digest_id is None
            and (row.channel, row.due_at) != (item.channel, item.send_at)
        ):
            result.rescheduled.append(row.id)
    result.cancelled = [
        row.id
        for key, row in rows.items()
        if row.status == "pending" and key not in want
    ]
    if not dry_run:
        _apply(result, rows, want, now)
        db.session.commit()
    return result


def _existing_rows(want: dict[str, Wanted]) -> dict[str, ExistingRow]:
    """Pending reminders, and every reminder on the due dates the rules produced."""
    columns = select(
        EmailMessage.id,
        EmailMessage.key,
        EmailMessage.status,
        EmailMessage.channel,
        EmailMessage.due_at,
        EmailMessage.digest_id,
    ).where(EmailMessage.kind == "reminder")
    rows = {
        row.key: ExistingRow(*row)
        for row in db.session.execute(columns.where(EmailMessage.status == "pending"))
    }
    days = sorted({item.due.due_on for item in want.values()})
    for start in range(0, len(days), CHUNK):
        query = columns.where(
            EmailMessage.status != "pending",
            EmailMessage.due_on.in_(days[start : start + CHUNK]),
        )
        rows.update((row.key, ExistingRow(*row)) for row in db.session.execute(query))
    return rows


def _apply(result: ScanResult, rows, want, now: datetime) -> None:
    table = EmailMessage.__table__
    insert_ignoring_duplicates([_new_row(item, now) for item in result.inserted])
    by_id = {row.id: want[key] for key, row in rows.items() if key in want}
    for ids, status in ((result.rearmed, "cancelled"), (result.rescheduled, "pending")):
        if not ids:
            continue
        statement = (
            table.update()
            .where(table.c.id == bindparam("row_id"), table.c.status == status)
            .values(
                status="pending",
                channel=bindparam("new_channel"),
                due_at=bindparam("send_at"),
                next_attempt_at=bindparam("send_at"),
                recipient_email=bindparam("address"),
                attempts=0,
                last_error=None,
                claimed_at=None,
            )
        )
        db.session.execute(
            statement,
            [
                {
                    "row_id": row_id,
                    "new_channel": by_id[row_id].channel,
                    "send_at": by_id[row_id].send_at,
                    "address": by_id[row_id].email,
                }
                for row_id in ids
            ],
        )
    for start in range(0, len(result.cancelled), CHUNK):
        db.session.execute(
            table.update()
            .where(
                table.c.id.in_(result.cancelled[start : start + CHUNK]),
                table.c.status == "pending",
            )
            .values(status="cancelled", claimed_at=None)
        )


def _new_row(item: Wanted, now: datetime) -> dict:
    due = item.due
    return {
        "key": due.key,
        "kind": "reminder",
        "rule": due.rule,
        "subject_type": due.subject_type,
        "subject_id": due.subject_id,
        "recipient_user_id": due.recipient_user_id,
        "recipient_email": item.email,
        "subject": "",
        "body_text": "",
        "body_html": "",
        "is_sensitive": False,
        "status": "pending",
        "due_on": due.due_on,
        "channel": item.channel,
        "due_at": item.send_at,
        "next_attempt_at": item.send_at,
        "attempts": 0,
        "created_at": now,
    }


def insert_ignoring_duplicates(values: list[dict]) -> int:
    """INSERT … ON CONFLICT (key) DO NOTHING, on PostgreSQL and on SQLite."""
    if not values:
        return 0
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(EmailMessage.__table__).on_conflict_do_nothing(
        index_elements=["key"]
    )
    inserted = 0
    for start in range(0, len(values), CHUNK):
        result = db.session.execute(statement, values[start : start + CHUNK])
        inserted += max(result.rowcount or 0, 0)
    return inserted
