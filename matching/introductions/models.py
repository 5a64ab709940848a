"""Introductions (mises en relation) between a posting and a candidate, their history,
and the placements (hires) with their follow-up milestones."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matching.accounts.models import User
from matching.candidates.models import Candidate
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.organisations.models import Organisation
from matching.postings.models import JobPosting

# Where the introduction started: the officer's suggestion list, or the candidate's
# "je suis intéressé·e" on a published offer.
ORIGINS = ("suggestion", "interet")
OPEN_STATUSES = (
    "suggeree",
    "proposee_candidat",
    "acceptee_candidat",
    "transmise_employeur",
    "entretien",
)
# Closed without a hire: the person's details in it are purged 3 months after the
# decision (matching.retention).
NOT_RETAINED = ("refusee_candidat", "non_retenue", "retiree")
# Statuses at which the employer knows of the introduction (and sees what the
# candidate shared "after an accepted introduction", and the contact details).
EMPLOYER_STATUSES = ("transmise_employeur", "entretien", "embauche", "non_retenue")


class Introduction(db.Model):
    __tablename__ = "introductions"
    __table_args__ = (UniqueConstraint("posting_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("job_postings.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(24), index=True, default="suggeree")
    origin: Mapped[str] = mapped_column(String(12), default="suggestion")
    # The score and its breakdown when the officer proposed it (officer's view).
    score: Mapped[float | None] = mapped_column(Float)
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    proposed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    transmitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    interview_on: Mapped[date | None] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Retention: a refused or not-retained person's details here are purged later.
    purged_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )

    posting: Mapped[JobPosting] = relationship()
    candidate: Mapped[Candidate] = relationship()
    proposed_by: Mapped[User | None] = relationship()
    events: Mapped[list["IntroductionEvent"]] = relationship(
        back_populates="introduction",
        cascade="all, delete-orphan",
        order_by="IntroductionEvent.id",
    )
    placement: Mapped["Placement | None"] = relationship(
        back_populates="introduction", uselist=False
    )

    def __repr__(self) -> str:
        return f"<Introduction {self.id} {self.status}>"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def employer_knows(self) -> bool:
        return self.status in EMPLOYER_STATUSES


class IntroductionEvent(db.Model):
    """One dated step of an introduction: from, to, who, and an optional note; or a
    reminder sent about it (``kind="reminder"``, its status unchanged)."""

    __tablename__ = "introduction_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(
        String(12), default="transition", server_default="transition"
    )
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    introduction: Mapped[Introduction] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


PLACEMENT_STATUSES = ("en_cours", "termine", "rompu")


class Placement(db.Model):
    """A hire, and the follow-up plan that comes with it."""

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), unique=True
    )
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("job_postings.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date, index=True)
    contract_type: Mapped[str] = mapped_column(String(40))
    fte: Mapped[Decimal] = mapped_column(Numeric(3, 2))
    end_date: Mapped[date | None] = mapped_column(Date)
    trial_end_date: Mapped[date | None] = mapped_column(Date)
    funding_end_date: Mapped[date | None] = mapped_column(Date)
    # The employer's referent for the follow-up (receives the milestone reminders).
    referent_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="en_cours", index=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )

    introduction: Mapped[Introduction] = relationship(back_populates="placement")
    posting: Mapped[JobPosting] = relationship()
    candidate: Mapped[Candidate] = relationship()
    organisation: Mapped[Organisation] = relationship()
    referent: Mapped[User | None] = relationship(foreign_keys=[referent_id])
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="placement",
        cascade="all, delete-orphan",
        order_by="Milestone.due_on",
    )


class Milestone(db.Model):
    """A dated point of the follow-up plan (day 1, week 1, month 1, trial end…)."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("placement_id", "kind", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)

    placement: Mapped[Placement] = relationship(back_populates="milestones")
    done_by: Mapped[User | None] = relationship()
