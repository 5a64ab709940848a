"""The outbox as admins read it (/admin/emails): states, filters, retry."""

from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select

from matching.admin.settings import get_setting, set_setting
from matching.extensions import db
from matching.reminders.models import EMAIL_STATUSES, EmailMessage
from matching.reminders.rules import DEFAULT_INACTIVITY_DAYS
from matching.reminders.scan import INACTIVITY_SETTING

# Beyond the stored states: pending rows whose time has come, and the others.
VIEWS = ("due", "scheduled", *EMAIL_STATUSES)
KINDS = ("transactional", "digest")


class RetryError(ValueError):
    pass


def _due(now: datetime):
    return and_(
        EmailMessage.status == "pending",
        EmailMessage.due_at <= now,
        EmailMessage.next_attempt_at <= now,
        EmailMessage.digest_id.is_(None),
        or_(EmailMessage.kind != "reminder", EmailMessage.channel == "immediate"),
    )


def _view_condition(view: str, now: datetime):
    if view == "due":
        return _due(now)
    if view == "scheduled":
        return and_(EmailMessage.status == "pending", ~_due(now))
    return EmailMessage.status == view


def outbox_query(filters: dict, now: datetime) -> Select:
    """Messages, newest first, filtered by view (state), rule or kind, recipient."""
    query = select(EmailMessage).order_by(EmailMessage.id.desc())
    if filters.get("view") in VIEWS:
        query = query.where(_view_condition(filters["view"], now))
    rule = filters.get("rule")
    if rule in KINDS:
        query = query.where(EmailMessage.kind == rule)
    elif rule:
        query = query.where(EmailMessage.rule == rule)
    if filters.get("recipient"):
        pattern = f"%{filters['recipient'].lower()}%"
        query = query.where(EmailMessage.recipient_email.like(pattern))
    return query


def outbox_counts(now: datetime) -> dict[str, int]:
    """How many messages in each view (one query)."""
    columns = [
        func.count(EmailMessage.id).filter(_view_condition(view, now)).label(view)
        for view in ("due", "scheduled", "sending", "sent", "failed", "cancelled")
    ]
    row = db.session.execute(select(*columns)).one()
    return dict(row._mapping)


def carried_by(digest: EmailMessage) -> list[EmailMessage]:
    """The reminders a digest took."""
    return list(
        db.session.scalars(
            select(EmailMessage)
            .where(EmailMessage.digest_id == digest.id)
            .order_by(EmailMessage.id)
        )
    )


def retry_message(message: EmailMessage, now: datetime) -> None:
    """Queue a failed message again; a digest takes its failed reminders with it, a
    reminder that had failed inside a digest goes out on its own channel."""
    if message.status != "failed":
        raise RetryError(message.status)
    message.status, message.attempts = "pending", 0
    message.next_attempt_at, message.claimed_at = now, None
    message.last_error = None
    if message.kind == "digest":
        for reminder in carried_by(message):
            if reminder.status == "failed":
                reminder.status, reminder.last_error = "pending", None
    else:
        message.digest_id = None


def get_inactivity_days() -> int:
    return int(get_setting(INACTIVITY_SETTING, DEFAULT_INACTIVITY_DAYS))


def set_inactivity_days(days: int, user) -> None:
    """The next scan cancels or creates the reminders of quiet cases accordingly."""
    set_setting(INACTIVITY_SETTING, int(days), user)
