"""Audit events: one row per view of sensitive fields, export, erasure or consent."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matching.accounts.models import User
from matching.core.timeutils import utcnow
from matching.extensions import db

# What an event can say it did; the trail page shows their labels.
AUDIT_ACTIONS = (
    "candidate.view",
    "candidate.view_employer",
    "candidate.search",
    "candidate.export",
    # The person read their own data on the "Mes données" page (not a download).
    "candidate.view_data",
    "candidate.erase",
    "consent.give",
    "consent.withdraw",
    # A table downloaded (subject_type names it) or a spreadsheet imported.
    "data.export",
    "data.import",
)


class AuditEvent(db.Model):
    """Who did what to which record, and when (UTC). ``details`` never holds the
    sensitive text itself: only field names, formats, stages and record ids."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # "officer", "admin", "employer", "candidate" or "system" (a scheduled job).
    actor_role: Mapped[str] = mapped_column(String(20))
    # The employer's organisation at the time, so a candidate learns who saw what.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action}>"
