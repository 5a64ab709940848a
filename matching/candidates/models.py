"""Candidates (future or current peer workers) and what belongs to their profile.

Lived experience is special-category data: experience domains and the person's own
texts exist only while a consent is active (``services`` enforces it), each with a
sharing level chosen by the person.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matching.accounts.models import User
from matching.core.timeutils import utcnow
from matching.extensions import db

ANONYMISED_NAME = "Candidat·e anonymisé·e"


class Candidate(db.Model):
    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a person registered by an officer who has not claimed the profile yet.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    display_name: Mapped[str] = mapped_column(String(120))
    # Contact: officers see it; an employer only after an accepted introduction.
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    # Digits only, "+33 6…" written "06…": the duplicate check compares these.
    phone_key: Mapped[str | None] = mapped_column(String(20), index=True)
    # The commune is copied from matching/communes at save time (the matching engine
    # reads the coordinates without loading the communes file).
    commune_insee: Mapped[str | None] = mapped_column(String(5), index=True)
    commune: Mapped[str | None] = mapped_column(String(120))
    department: Mapped[str | None] = mapped_column(String(3), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    mobility_radius_km: Mapped[int | None] = mapped_column(Integer)
    available_from: Mapped[date | None] = mapped_column(Date, index=True)
    fte_min: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    fte_max: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    contract_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    titles: Mapped[list[str]] = mapped_column(JSON, default=list)
    functions: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Sensitive: only with an active consent, each with its own sharing level.
    background_text: Mapped[str | None] = mapped_column(Text)
    background_sharing: Mapped[str] = mapped_column(String(30), default="prive")
    peer_help_text: Mapped[str | None] = mapped_column(Text)
    peer_help_sharing: Mapped[str] = mapped_column(String(30), default="prive")
    status: Mapped[str] = mapped_column(String(12), index=True, default="actif")
    # Folded (casefold, no accents) copies for search, computed on save.
    name_search: Mapped[str] = mapped_column(String(120), default="", index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Normalised copies the matching engine reads (matching.scoring.text.normalise),
    # one per text because each has its own sharing level.
    match_background: Mapped[str] = mapped_column(Text, default="", server_default="")
    match_peer_help: Mapped[str] = mapped_column(Text, default="", server_default="")
    match_trainings: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The guided registration: the furthest step saved, and when it was finished.
    registration_step: Mapped[int] = mapped_column(Integer, default=1)
    # indexed: the dashboard counts complete profiles among 50,000 people
    completed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # Profiles unconfirmed for 24 months are flagged, then anonymised.
    last_confirmed_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The claim invitation last e-mailed; its time is part of the link's signature.
    invited_at: Mapped[datetime | None] = mapped_column(DateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # Indexed: the latest update tells the per-process caches to reload.
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, index=True
    )

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    domains: Mapped[list["CandidateDomain"]] = relationship(
        back_populates="candidate",
        cascade="all, delete-orphan",
        order_by="CandidateDomain.id",
    )
    trainings: Mapped[list["Training"]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", order_by="Training.id"
    )
    consents: Mapped[list["ConsentRecord"]] = relationship(
        back_populates="candidate",
        cascade="all, delete-orphan",
        order_by="ConsentRecord.id",
    )
    events: Mapped[list["CandidateEvent"]] = relationship(
        back_populates="candidate",
        cascade="all, delete-orphan",
        order_by="CandidateEvent.occurred_at.desc()",
    )

    def __repr__(self) -> str:
        return f"<Candidate {self.id} {self.status}>"

    @property
    def active_consent(self) -> "ConsentRecord | None":
        for record in reversed(self.consents):
            if record.is_active:
                return record
        return None

    @property
    def consent_purposes(self) -> frozenset[str]:
        consent = self.active_consent
        return frozenset(consent.purposes) if consent else frozenset()

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def has_sensitive_data(self) -> bool:
        return bool(self.domains or self.background_text or self.peer_help_text)


# Duplicate checks and account linking compare e-mail addresses case-blind.
Index("ix_candidates_email_lower", func.lower(Candidate.email))


class CandidateDomain(db.Model):
    """One domain of lived experience, and who may see it."""

    __tablename__ = "candidate_domains"
    __table_args__ = (UniqueConstraint("candidate_id", "domain"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    domain: Mapped[str] = mapped_column(String(40), index=True)
    sharing: Mapped[str] = mapped_column(String(30), default="prive")

    candidate: Mapped[Candidate] = relationship(back_populates="domains")


class Training(db.Model):
    __tablename__ = "candidate_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="souhaitee")

    candidate: Mapped[Candidate] = relationship(back_populates="trainings")


class ConsentRecord(db.Model):
    """Proof of consent: which notice version, for which purposes, given how and when.

    A change of purposes adds a new record and marks the previous one superseded; a
    withdrawal marks the record withdrawn (and the sensitive fields are deleted).
    """

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[str] = mapped_column(String(20))
    purposes: Mapped[list[str]] = mapped_column(JSON, default=list)
    method: Mapped[str] = mapped_column(String(10), default="en_ligne")
    # For an oral consent: the day the person said yes to the officer.
    given_on: Mapped[date | None] = mapped_column(Date)
    given_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    candidate: Mapped[Candidate] = relationship(back_populates="consents")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and self.superseded_at is None


class CandidateEvent(db.Model):
    """One entry of a candidate's timeline: a note, meeting or call written by an
    officer, or an event recorded automatically (consent, invitation, interest…)."""

    __tablename__ = "candidate_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Only officers' notes have a body; automatic events keep ids in ``data``.
    body: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    candidate: Mapped[Candidate] = relationship(back_populates="events")
    author: Mapped[User | None] = relationship()
