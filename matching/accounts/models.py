"""User accounts."""

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matching.core.timeutils import utcnow
from matching.extensions import db

if TYPE_CHECKING:
    from matching.organisations.models import Membership

ROLES = ("officer", "employer", "candidate")
# How reminders reach a person: one e-mail each ("immediate") or one daily digest.
REMINDER_MODES = ("immediate", "digest")
DEFAULT_DIGEST_HOUR = 8  # Europe/Paris


def default_reminder_mode(context) -> str:
    """Officers get one digest a day; everyone else gets each reminder when due."""
    role = context.get_current_parameters().get("role")
    return "digest" if role == "officer" else "immediate"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so uniqueness is case-insensitive on every engine.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), index=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    locale: Mapped[str] = mapped_column(String(5), default="fr", server_default="fr")
    # Part of the Flask-Login id: rotating it ends every session and remember cookie.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # None until the address is confirmed through the e-mailed link.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Notification preferences (matching/reminders): security and data-rights e-mails
    # ignore them and are always sent at once.
    reminder_mode: Mapped[str] = mapped_column(
        String(10), default=default_reminder_mode, server_default="immediate"
    )
    digest_hour: Mapped[int] = mapped_column(
        SmallInteger,
        default=DEFAULT_DIGEST_HOUR,
        server_default=str(DEFAULT_DIGEST_HOUR),
    )
    has_optional_reminders: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default="1"
    )

    membership: Mapped["Membership | None"] = relationship(
        back_populates="user", foreign_keys="Membership.user_id", uselist=False
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_officer(self) -> bool:
        return self.role == "officer"

    @property
    def is_employer(self) -> bool:
        return self.role == "employer"

    @property
    def is_candidate(self) -> bool:
        return self.role == "candidate"

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()
