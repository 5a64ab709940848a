"""A candidate's interest in a published posting.

The matching issue turns interests into introduction requests in its pipeline; until
then an interest is a record linked to the posting and the candidate.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matching.candidates.models import Candidate
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.postings.models import JobPosting

INTEREST_STATUSES = ("nouvelle", "prise_en_compte", "retiree")


class Interest(db.Model):
    __tablename__ = "interests"
    __table_args__ = (UniqueConstraint("posting_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("job_postings.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    # Seen by officers only; deleted when the candidate's data is erased.
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="nouvelle", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )

    posting: Mapped[JobPosting] = relationship()
    candidate: Mapped[Candidate] = relationship()

    def __repr__(self) -> str:
        return f"<Interest {self.id} {self.status}>"
