"""Notification preferences: how a person receives reminders, and which.

Everyone chooses one e-mail per reminder or one daily digest at an hour of their choice
(officers start with the digest at 8:00 Europe/Paris), and may switch optional
reminders off. Essential reminders (a next step due, a filing deadline in 3 days, a
report due) stay on; security and data-rights e-mails are not reminders: they are
always sent at once.
"""

from flask import current_app
from sqlalchemy import select

from matching.accounts.models import REMINDER_MODES, User
from matching.extensions import db
from matching.reminders.models import EmailMessage
from matching.reminders.rules import RULES
from matching.reminders.scan import send_time


class PreferenceError(ValueError):
    pass


def update_preferences(
    user: User, mode: str, digest_hour: int, has_optional_reminders: bool
) -> None:
    """Save the preferences and move the reminders waiting to be sent; the next scan
    cancels optional ones switched off (and re-arms them if switched on again)."""
    if mode not in REMINDER_MODES or not 0 <= int(digest_hour) <= 23:
        raise PreferenceError(mode)
    user.reminder_mode = mode
    user.digest_hour = int(digest_hour)
    user.has_optional_reminders = bool(has_optional_reminders)
    reschedule_pending(user)


def reschedule_pending(user: User) -> None:
    """Give the person's waiting reminders their new channel and send time."""
    send_hour = current_app.config["REMINDER_SEND_HOUR"]
    waiting = db.session.scalars(
        select(EmailMessage).where(
            EmailMessage.recipient_user_id == user.id,
            EmailMessage.kind == "reminder",
            EmailMessage.status == "pending",
            EmailMessage.digest_id.is_(None),
        )
    )
    for row in waiting:
        rule = RULES.get(row.rule or "")
        digest = user.reminder_mode == "digest" and not (rule and rule.immediate_only)
        hour = user.digest_hour if digest else send_hour
        row.channel = "digest" if digest else "immediate"
        row.due_at = row.next_attempt_at = send_time(row.due_on, hour)


def essential_rules(role: str | None = None) -> list[str]:
    """The reminders that cannot be switched off (those that can reach ``role``)."""
    return [
        name
        for name, rule in RULES.items()
        if rule.essential and (role is None or role in rule.audience)
    ]


def optional_rules(role: str | None = None) -> list[str]:
    """The reminders that can be switched off (those that can reach ``role``)."""
    return [
        name
        for name, rule in RULES.items()
        if not rule.essential and (role is None or role in rule.audience)
    ]
