"""The outbox: every e-mail the application sends is first a row here.

Transactional e-mails (password reset, invitations, notifications), reminders and daily
digests share this table, so admins read one outbox at /admin/emails, and a message is
never lost when SMTP is down: the dispatcher retries rows that are still pending.

A reminder row is written by the scan with an empty subject and body: both are rendered
when it is sent, so nothing stale goes out. A reminder of a person who reads digests
(``channel="digest"``) is never sent alone: the day's digest row takes it
(``digest_id``) and marks it sent with itself.
"""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matching.accounts.models import User
from matching.core.timeutils import utcnow
from matching.extensions import db

EMAIL_STATUSES = ("pending", "sending", "sent", "failed", "cancelled")
EMAIL_KINDS = ("transactional", "reminder", "digest")
CHANNELS = ("immediate", "digest")


class EmailMessage(db.Model):
    __tablename__ = "email_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique key: "tx:<random>" for transactional messages; for reminders
    # "<rule>:<subject type>:<subject id>:<recipient>:<due date>" so a second scan
    # inserts nothing; for digests "digest:<recipient>:<date>", one a day.
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="transactional")
    # Reminders: the day the rule made them due (Europe/Paris), part of the key.
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(
        String(10), default="immediate", server_default="immediate"
    )
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("email_messages.id", ondelete="SET NULL"), index=True
    )
    rule: Mapped[str | None] = mapped_column(String(60), index=True)
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    recipient_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    # Security messages (reset links, invitations) lose their body once sent by SMTP.
    is_sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    due_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    transport: Mapped[str | None] = mapped_column(String(10))
    message_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    recipient: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<EmailMessage {self.id} {self.status}>"
