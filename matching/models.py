"""Every model of the application, imported once so Alembic and tests see them all."""

from matching.accounts.models import User
from matching.organisations.models import Membership, Organisation
from matching.reminders.models import EmailMessage

__all__ = ["EmailMessage", "Membership", "Organisation", "User"]
