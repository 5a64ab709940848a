"""Employer support cases: stage, readiness, barriers, funding lines, timeline."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matching.accounts.models import User
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.organisations.models import Organisation

ACTIVE_STAGES = (
    "premier_contact",
    "diagnostic",
    "preparation_equipe",
    "conception_poste",
    "recherche_financement",
    "recrutement",
    "integration",
    "suivi_post_embauche",
    "perennisation",
)
CLOSED_STAGES = ("cloture", "abandonne")


class SupportCase(db.Model):
    """One accompaniment of one organisation for one project of peer work."""

    __tablename__ = "support_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    stage: Mapped[str] = mapped_column(
        String(30), index=True, default="premier_contact"
    )
    # Where the case was before a pause, so it can resume there.
    stage_before_pause: Mapped[str | None] = mapped_column(String(30))
    stop_reason: Mapped[str | None] = mapped_column(String(30))
    stop_note: Mapped[str | None] = mapped_column(Text)
    stage_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    next_step: Mapped[str | None] = mapped_column(String(300))
    next_step_due: Mapped[date | None] = mapped_column(Date, index=True)
    sessions_planned: Mapped[int] = mapped_column(Integer, default=0)
    sessions_done: Mapped[int] = mapped_column(Integer, default=0)
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    barriers_note: Mapped[str | None] = mapped_column(Text)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )

    organisation: Mapped[Organisation] = relationship()
    officer: Mapped[User | None] = relationship()
    readiness_items: Mapped[list["ReadinessItem"]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    barrier_ratings: Mapped[list["BarrierRating"]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    funding_lines: Mapped[list["FundingLine"]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    activities: Mapped[list["Activity"]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<SupportCase {self.id} {self.stage}>"

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES


class ReadinessItem(db.Model):
    __tablename__ = "readiness_items"
    __table_args__ = (UniqueConstraint("case_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("support_cases.id", ondelete="CASCADE"), index=True
    )
    item: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="non_commence")
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    case: Mapped[SupportCase] = relationship(back_populates="readiness_items")


class BarrierRating(db.Model):
    """How much one of the 12 barriers of the diagnostic holds this employer back."""

    __tablename__ = "barrier_ratings"
    __table_args__ = (UniqueConstraint("case_id", "barrier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("support_cases.id", ondelete="CASCADE"), index=True
    )
    barrier: Mapped[str] = mapped_column(String(40), index=True)
    rating: Mapped[int] = mapped_column(SmallInteger)

    case: Mapped[SupportCase] = relationship(back_populates="barrier_ratings")


class FundingLine(db.Model):
    __tablename__ = "funding_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("support_cases.id", ondelete="CASCADE"), index=True
    )
    funder: Mapped[str] = mapped_column(String(40), index=True)
    instrument: Mapped[str | None] = mapped_column(String(200))
    amount_requested: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    amount_granted: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    status: Mapped[str] = mapped_column(String(30), index=True, default="repere")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    filing_deadline: Mapped[date | None] = mapped_column(Date)
    expected_decision_on: Mapped[date | None] = mapped_column(Date)
    agreement_on: Mapped[date | None] = mapped_column(Date)
    report_due_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )

    case: Mapped[SupportCase] = relationship(back_populates="funding_lines")


ACTIVITY_KINDS = (
    "note",
    "meeting",
    "call",
    "training",
    "document",
    "stage_change",
    "edit",
    "reminder",
)


class Activity(db.Model):
    """One event of a case's timeline: written by someone, or recorded automatically."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("support_cases.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str | None] = mapped_column(Text)
    # "officers": only the Passerelle team; "employer": the organisation sees it too.
    visibility: Mapped[str] = mapped_column(String(10), default="officers")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    case: Mapped[SupportCase] = relationship(back_populates="activities")
    author: Mapped[User | None] = relationship()
