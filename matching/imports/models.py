"""A spreadsheet import in progress: the stored file, the column mapping, the dry
run's report and, once written, the summary. The file itself lives in the instance
folder under a random name (``stored_name``) and is deleted after the import or
after a day."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matching.accounts.models import User
from matching.core.timeutils import utcnow
from matching.extensions import db

IMPORT_KINDS = ("organisations", "candidates", "postings")
# depose: uploaded, columns to map; associe: mapped, dry run to do or in progress;
# verifie: dry run finished (errors or not); importe: written; expire: file deleted.
IMPORT_STATUSES = ("depose", "associe", "verifie", "importe", "expire")


class ImportJob(db.Model):
    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    file_format: Mapped[str] = mapped_column(String(4))
    # The name the officer's file had (shown back to them only).
    filename: Mapped[str] = mapped_column(String(200))
    # Random name of the stored copy; None once the file is deleted.
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="depose", index=True)
    headers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Field name -> index of the file's column.
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    checked_rows: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_count: Mapped[int] = mapped_column(Integer, default=0)
    # The dry run: {"errors": [[line, column, message]], "duplicates": [...],
    # "seen": {...}} (no copy of the rows themselves).
    report: Mapped[dict] = mapped_column(JSON, default=dict)
    skip_duplicates: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default="1"
    )
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )
    imported_at: Mapped[datetime | None] = mapped_column(DateTime)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ImportJob {self.id} {self.kind} {self.status}>"

    @property
    def is_checked(self) -> bool:
        return self.status == "verifie" and self.checked_rows >= self.row_count

    @property
    def can_be_imported(self) -> bool:
        return self.is_checked and self.error_count == 0 and bool(self.stored_name)
