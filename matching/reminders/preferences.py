"""Notification preferences: how a person receives reminders, and which.

Everyone chooses one e-mail per reminder or one daily digest at an hour of their choice
(officers start with the digest at 8:00 Europe/Paris), and may switch optional
reminders off. Essential reminders (a next step due, a filing deadline in 3 days, a
report due) stay on; security and data-rights e-mails are not reminders: they are
always sent at once.
"""

from matching.accounts.models import REMINDER_MODES, User
from matching.reminders.rules import RULES


class PreferenceError(ValueError):
    pass


def update_preferences(
    user: User, mode: str, digest_hour: int, has_optional_reminders: bool
) -> None:
    """Save the preferences; the next scan moves pending reminders accordingly."""
    if mode not in REMINDER_MODES or not 0 <= int(digest_hour) <= 23:
        raise PreferenceError(mode)
    user.reminder_mode = mode
    user.digest_hour = int(digest_hour)
    user.has_optional_reminders = bool(has_optional_reminders)


def essential_rules() -> list[str]:
    return [name for name, rule in RULES.items() if rule.essential]


def optional_rules() -> list[str]:
    return [name for name, rule in RULES.items() if not rule.essential]
