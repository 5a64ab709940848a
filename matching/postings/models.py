"""Job descriptions (fiches de poste) and the roles posted from them."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matching.accounts.models import User
from matching.cases.models import SupportCase
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.organisations.models import Organisation

POSTING_STATUSES = ("brouillon", "publiee", "pourvue", "fermee")


class JobPosting(db.Model):
    __tablename__ = "job_postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("support_cases.id", ondelete="SET NULL"), index=True
    )
    # The title of the vocabulary, and the wording the employer uses on the post.
    title: Mapped[str] = mapped_column(String(40), index=True)
    custom_title: Mapped[str | None] = mapped_column(String(200))
    functions: Mapped[list[str]] = mapped_column(JSON, default=list)
    sector: Mapped[str] = mapped_column(String(40), index=True)
    commune_insee: Mapped[str | None] = mapped_column(String(5))
    commune: Mapped[str | None] = mapped_column(String(120))
    department: Mapped[str | None] = mapped_column(String(3), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    contract_type: Mapped[str | None] = mapped_column(String(40))
    contract_months: Mapped[int | None] = mapped_column(Integer)
    fte: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    positions: Mapped[int] = mapped_column(Integer, default=1)
    collective_agreement: Mapped[str | None] = mapped_column(String(30))
    classification: Mapped[str | None] = mapped_column(String(200))
    salary: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date | None] = mapped_column(Date)
    context: Mapped[str | None] = mapped_column(Text)
    missions: Mapped[str | None] = mapped_column(Text)
    experience_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    experience_text: Mapped[str | None] = mapped_column(Text)
    savoir_etre: Mapped[str | None] = mapped_column(Text)
    diploma_required: Mapped[bool] = mapped_column(Boolean, default=False)
    binome: Mapped[bool] = mapped_column(Boolean, default=False)
    supervision_planned: Mapped[bool] = mapped_column(Boolean, default=False)
    how_to_apply: Mapped[str | None] = mapped_column(Text)
    # Normalised copies the matching engine reads, computed when the posting is saved.
    match_experience: Mapped[str] = mapped_column(Text, default="", server_default="")
    match_missions: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(12), index=True, default="brouillon")
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    filled_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )

    organisation: Mapped[Organisation] = relationship()
    case: Mapped[SupportCase | None] = relationship()
    published_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<JobPosting {self.id} {self.status}>"

    @property
    def is_published(self) -> bool:
        return self.status == "publiee"
