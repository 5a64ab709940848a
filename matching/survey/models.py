"""The diagnostic survey: campaigns, invitations (one signed link per organisation),
responses and their barrier ratings (a table of its own, so the chart is a GROUP BY)."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
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


class SurveyCampaign(db.Model):
    """One run of the diagnostic (the 2023 survey, a 2026 follow-up…)."""

    __tablename__ = "survey_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer, index=True)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    # Organisations asked, including those contacted outside Passerelle (106 in 2023).
    invited_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    description: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )

    created_by: Mapped[User | None] = relationship()
    invitations: Mapped[list["SurveyInvitation"]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )
    responses: Mapped[list["SurveyResponse"]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<SurveyCampaign {self.id} {self.year}>"

    def status_on(self, day: date) -> str:
        """``a_venir``, ``ouverte`` or ``close`` on that (Paris) day."""
        if day < self.opens_on:
            return "a_venir"
        if day > self.closes_on:
            return "close"
        return "ouverte"

    def is_open_on(self, day: date) -> bool:
        return self.status_on(day) == "ouverte"


class SurveyInvitation(db.Model):
    """An organisation asked to answer a campaign; its signed link names this row."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("campaign_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("survey_campaigns.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Last time the link was e-mailed to the organisation's members.
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    campaign: Mapped[SurveyCampaign] = relationship(back_populates="invitations")
    organisation: Mapped[Organisation] = relationship()
    response: Mapped["SurveyResponse | None"] = relationship(
        back_populates="invitation", uselist=False
    )


class SurveyResponse(db.Model):
    """One organisation's answers to one campaign (kept, anonymous, if it is deleted)."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("campaign_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("survey_campaigns.id", ondelete="CASCADE"), index=True
    )
    # None for answers collected outside Passerelle (the 2023 online form).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_invitations.id", ondelete="SET NULL"), index=True
    )
    # The respondent's sector (the diagnostic counts "dont 14 du social").
    sector: Mapped[str] = mapped_column(String(40), index=True)
    knows_peer_work: Mapped[bool] = mapped_column(Boolean)
    worked_with_volunteer_peers: Mapped[bool] = mapped_column(Boolean)
    employed_peer_worker: Mapped[bool] = mapped_column(Boolean)
    has_peer_worker_in_post: Mapped[bool] = mapped_column(Boolean)
    sees_added_value: Mapped[bool] = mapped_column(Boolean)
    # Asked only of organisations without a peer worker in post.
    considers_hiring: Mapped[bool | None] = mapped_column(Boolean)
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    contributions_text: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )

    campaign: Mapped[SurveyCampaign] = relationship(back_populates="responses")
    organisation: Mapped[Organisation | None] = relationship()
    invitation: Mapped[SurveyInvitation | None] = relationship(
        back_populates="response"
    )
    barrier_ratings: Mapped[list["SurveyBarrierRating"]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<SurveyResponse {self.id} campaign={self.campaign_id}>"


class SurveyBarrierRating(db.Model):
    """How much one of the 12 barriers holds a respondent back, from 1 to 4."""

    __tablename__ = "survey_barrier_ratings"
    __table_args__ = (
        UniqueConstraint("response_id", "barrier"),
        CheckConstraint("rating BETWEEN 1 AND 4", name="rating_1_to_4"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    barrier: Mapped[str] = mapped_column(String(40), index=True)
    rating: Mapped[int] = mapped_column(SmallInteger)

    response: Mapped[SurveyResponse] = relationship(back_populates="barrier_ratings")
