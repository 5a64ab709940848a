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

    key: str
    due: Due
    channel: str
    send_at: datetime  # naive UTC
    email: str


@dataclass
class ScanResult:
    due: int = 0
    inserted: list[Wanted] = field(default_factory=list)
    rearmed: list[int] = field(default_factory=list)
    rescheduled: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    # What re-armed and rescheduled rows become (row id -> wanted reminder).
    updates: dict[int, Wanted] = field(default_factory=dict, repr=False)


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
    times: dict[tuple[date, int], datetime] = {}
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
        at = times.get((due.due_on, hour))
        if at is None:
            at = times[(due.due_on, hour)] = send_time(due.due_on, hour)
        # Due.key, inlined: this line runs for every due reminder every minute.
        key = f"{due.rule}:{due.subject_type}:{due.subject_id}:{due.recipient_user_id}:{due.due_on}"
        result[key] = Wanted(
            key, due, "digest" if digest else "immediate", at, person.email
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
    ctx = context_for(now)
    snapshots = load_snapshots({rule.source for rule in RULES.values()}, ctx=ctx)
    want = wanted(evaluate(snapshots, ctx), load_recipients())
    pending, others = _existing_rows(want)
    result = ScanResult(due=len(want))
    for key, item in want.items():
        row = pending.get(key)
        if row is not None:
            row_id, channel, digest_id = row
            if digest_id is None and channel != item.channel:
                result.rescheduled.append(row_id)
                result.updates[row_id] = item
            continue
        other = others.get(key)
        if other is None:
            result.inserted.append(item)
        elif other[0] == "cancelled":
            result.rearmed.append(other[1])
            result.updates[other[1]] = item
    result.cancelled = [row[0] for key, row in pending.items() if key not in want]
    if not dry_run:
        _apply(result, now)
        db.session.commit()
    return result


def _existing_rows(want: dict[str, Wanted]) -> tuple[dict, dict]:
    """Pending reminders (key -> id, channel, digest_id), and the others on the due
    dates the rules produced (key -> status, id). Plain tuples: this runs every
    minute over every reminder due."""
    reminder = EmailMessage.kind == "reminder"
    connection = db.session.connection()
    pending = {
        key: (row_id, channel, digest_id)
        for key, row_id, channel, digest_id in connection.execute(
            select(
                EmailMessage.key,
                EmailMessage.id,
                EmailMessage.channel,
                EmailMessage.digest_id,
            ).where(reminder, EmailMessage.status == "pending")
        ).all()
    }
    others = {}
    days = sorted({item.due.due_on for item in want.values()})
    for start in range(0, len(days), CHUNK):
        query = select(EmailMessage.key, EmailMessage.status, EmailMessage.id).where(
            reminder,
            EmailMessage.status != "pending",
            EmailMessage.due_on.in_(days[start : start + CHUNK]),
        )
        others.update(
            (key, (status, row_id))
            for key, status, row_id in connection.execute(query).all()
        )
    return pending, others


def _apply(result: ScanResult, now: datetime) -> None:
    table = EmailMessage.__table__
    # In key order: the unique index of keys is filled from left to right.
    insert_ignoring_duplicates(sorted(result.inserted), now)
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
                    "new_channel": result.updates[row_id].channel,
                    "send_at": result.updates[row_id].send_at,
                    "address": result.updates[row_id].email,
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


# The columns a new reminder fills; the others get their constant default in the SQL.
NEW_ROW_COLUMNS = (
    "key",
    "rule",
    "subject_type",
    "subject_id",
    "recipient_user_id",
    "recipient_email",
    "due_on",
    "channel",
    "due_at",
    "next_attempt_at",
    "created_at",
)
NEW_ROW_CONSTANTS = {
    "kind": "'reminder'",
    "status": "'pending'",
    "subject": "''",
    "body_text": "''",
    "body_html": "''",
    "is_sensitive": "false",
    "attempts": "0",
}


def insert_ignoring_duplicates(items: list[Wanted], now: datetime) -> None:
    """INSERT … ON CONFLICT (key) DO NOTHING of new reminders, on PostgreSQL and on
    SQLite.

    The first scan of a large territory inserts tens of thousands of rows, so they go
    straight to the driver's executemany, skipping SQLAlchemy's per-row processing.
    SQLite gets dates in SQLAlchemy's own storage format (tests read them back)."""
    if not items:
        return
    dialect = db.engine.dialect
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    columns = (*NEW_ROW_COLUMNS, *NEW_ROW_CONSTANTS)
    values = [marker] * len(NEW_ROW_COLUMNS) + list(NEW_ROW_CONSTANTS.values())
    sql = (
        f"INSERT INTO {EmailMessage.__tablename__} ({', '.join(columns)}) "  # noqa: S608  (constants only)
        f"VALUES ({', '.join(values)}) ON CONFLICT (key) DO NOTHING"
    )
    stored = _sqlite_text() if dialect.name == "sqlite" else _same
    created = stored(now)
    rows = [
        (
            key,
            due.rule,
            due.subject_type,
            due.subject_id,
            due.recipient_user_id,
            email,
            stored(due.due_on),
            channel,
            stored(send_at),
            stored(send_at),
            created,
        )
        for key, due, channel, send_at, email in items
    ]
    connection = db.session.connection()
    for start in range(0, len(rows), CHUNK):
        connection.exec_driver_sql(sql, rows[start : start + CHUNK])


def _same(value):
    return value


def _sqlite_text():
    """Dates and datetimes as SQLAlchemy stores them in SQLite; the few distinct
    values of a scan are formatted once each."""
    text: dict = {}

    def stored(value) -> str:
        found = text.get(value)
        if found is None:
            found = text[value] = (
                f"{value:%Y-%m-%d %H:%M:%S.%f}"
                if isinstance(value, datetime)
                else value.isoformat()
            )
        return found

    return stored


def insert_ignoring_statement():
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(EmailMessage.__table__).on_conflict_do_nothing(index_elements=["key"])
