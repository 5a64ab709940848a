"""Organisations (structures employeuses) and the employers who belong to them."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matching.accounts.models import User
from matching.core.timeutils import utcnow
from matching.extensions import db


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Casefolded, accent-free name: the fuzzy search reads it, never recomputes it.
    name_search: Mapped[str] = mapped_column(String(200), index=True, default="")
    sector: Mapped[str] = mapped_column(String(40), index=True)
    structure_type: Mapped[str | None] = mapped_column(String(40))
    legal_status: Mapped[str | None] = mapped_column(String(60))
    commune_insee: Mapped[str | None] = mapped_column(String(5))
    commune: Mapped[str | None] = mapped_column(String(120))
    department: Mapped[str | None] = mapped_column(String(3), index=True)
    headcount_band: Mapped[str | None] = mapped_column(String(10))
    peer_workers_count: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id}>"


MEMBERSHIP_STATUSES = ("pending", "active", "refused")


class Membership(db.Model):
    """An employer account's link to its organisation (one organisation per account)."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="pending")
    is_org_admin: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0"
    )
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    user: Mapped[User] = relationship(
        foreign_keys=[user_id], back_populates="membership"
    )
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_active(self) -> bool:
        return self.status == "active"
