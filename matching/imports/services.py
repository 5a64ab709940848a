"""Spreadsheet imports: store the upload, map its columns, dry-run it in steps, then
write every row in one transaction or nothing.

Each row goes through the checkers of ``records.py`` (the JSON command's, so a record
is judged the same way everywhere) and is written by ``writer.py``. The dry run never
writes a record: it stores its report (errors by line and column, duplicates) on the
ImportJob. Functions here flush; the view commits once.
"""

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matching.accounts.models import User
from matching.audit.services import record_audit
from matching.candidates.search import find_duplicates, names_are_close
from matching.candidates.services import phone_key
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.imports.columns import build_raw, column_label, guess_mapping
from matching.imports.models import ImportJob
from matching.imports.reading import Formula, inspect_upload, open_table
from matching.imports.records import (
    Record,
    check_candidate,
    check_organisation,
    check_posting,
)
from matching.imports.writer import (
    create_candidate,
    create_posting,
    find_organisation,
    publication_errors,
    save_organisation,
    unknown_organisation_error,
)
from matching.postings.models import JobPosting
from matching.vocab import fold

# Rows checked per step of the dry run (the browser asks for the next step).
STEP_ROWS = 250
# The import tells the progress bar every this many rows.
PROGRESS_EVERY = 50
MAX_STORED_ERRORS = 5000
KEEP_FILES_FOR = timedelta(days=1)


class RowsRefused(ValueError):
    """The import met rows that are wrong: ``errors`` are [line, column, message]."""

    def __init__(self, errors: list):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


CHECKERS = {
    "organisations": check_organisation,
    "postings": check_posting,
    "candidates": check_candidate,
}


# ---------------------------------------------------------------- stored files


def storage_dir() -> Path:
    """Uploads wait in the instance folder (never under static/), or in the folder
    the ``IMPORT_FOLDER`` setting names."""
    return Path(
        current_app.config.get("IMPORT_FOLDER")
        or Path(current_app.instance_path) / "imports"
    )


def stored_path(job: ImportJob) -> Path | None:
    if not job.stored_name:
        return None
    path = storage_dir() / job.stored_name
    return path if path.is_file() else None


def progress_path(job: ImportJob) -> Path:
    """A small file beside the upload, where a running import tells its progress."""
    return storage_dir() / f"{job.stored_name or job.id}.progress"


def delete_file(job: ImportJob) -> None:
    for path in (stored_path(job), progress_path(job)):
        if path is not None:
            path.unlink(missing_ok=True)
    job.stored_name = None


def display_filename(filename: str | None) -> str:
    """The uploaded file's own name, for the officer's eyes only."""
    name = os.path.basename((filename or "").replace("\\", "/"))
    name = "".join(c for c in name if c.isprintable())
    return name[:200] or _("fichier sans nom")


def create_job(officer: User, kind: str, data: bytes, filename: str) -> ImportJob:
    """Check the upload's real content, store it under a random name, guess the
    column mapping. Raises reading.FileRefused with a French message."""
    inspection = inspect_upload(data, filename)
    stored_name = f"{secrets.token_hex(16)}.{inspection.file_format}"
    storage_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
    path = storage_dir() / stored_name
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    job = ImportJob(
        created_by=officer,
        kind=kind,
        file_format=inspection.file_format,
        filename=display_filename(filename),
        stored_name=stored_name,
        headers=inspection.headers,
        mapping=guess_mapping(kind, inspection.headers),
        row_count=inspection.row_count,
        status="depose",
    )
    db.session.add(job)
    db.session.flush()
    return job


def purge_stale_imports(now=None) -> int:
    """Delete the files of imports older than a day, and stray files; return how
    many files were deleted. Cheap: called on each upload and listing."""
    limit = (now or utcnow()) - KEEP_FILES_FOR
    deleted = 0
    stale = db.session.scalars(
        select(ImportJob).where(
            ImportJob.stored_name.is_not(None), ImportJob.created_at < limit
        )
    )
    for job in stale:
        delete_file(job)
        if job.status != "importe":
            job.status = "expire"
        deleted += 1
    known = set(
        db.session.scalars(
            select(ImportJob.stored_name).where(ImportJob.stored_name.is_not(None))
        )
    )
    cutoff = limit.timestamp()
    folder = storage_dir()
    for path in folder.iterdir() if folder.is_dir() else ():
        stem = path.name.removesuffix(".progress")
        if stem not in known and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    db.session.flush()
    return deleted


def list_jobs(officer: User, limit: int = 20) -> list[ImportJob]:
    return list(
        db.session.scalars(
            select(ImportJob)
            .where(ImportJob.created_by_id == officer.id)
            .order_by(ImportJob.created_at.desc(), ImportJob.id.desc())
            .limit(limit)
        )
    )


def save_mapping(job: ImportJob, mapping: dict[str, int]) -> None:
    """Keep the officer's column choices; the dry run starts again."""
    job.mapping = {name: index for name, index in mapping.items() if index is not None}
    job.status = "associe"
    reset_report(job)


def reset_report(job: ImportJob) -> None:
    job.checked_rows = 0
    job.error_count = 0
    job.duplicate_count = 0
    job.report = {"errors": [], "duplicates": [], "seen": {}}


# ---------------------------------------------------------------- one row


@dataclass
class CheckedRow:
    line: int
    record: Record
    # [column, message] pairs, in the order of the columns.
    errors: list = field(default_factory=list)
    # {"existing": [[id, label]], "lines": [earlier lines of the file]} or None.
    duplicate: dict | None = None


class RowChecker:
    """Judges the rows of one job; remembers what earlier rows held (duplicates
    within the file) and the organisations already looked up."""

    def __init__(self, job: ImportJob, seen: dict | None = None):
        self.job = job
        self.seen = seen if seen is not None else {}
        self._organisations: dict[str, object] = {}

    def check(self, line: int, cells: list, duplicates: bool = True) -> CheckedRow:
        job = self.job
        formulas = {i for i, cell in enumerate(cells) if isinstance(cell, Formula)}
        if formulas:  # never read as text, never "Ce champ est obligatoire."
            cells = ["" if i in formulas else cell for i, cell in enumerate(cells)]
        raw = build_raw(job.kind, cells, job.mapping, job.headers)
        record = CHECKERS[job.kind](raw.values)
        if job.kind == "postings":
            self._check_organisation(record)
        for name, index in job.mapping.items():
            if index in formulas:
                field_name = _field_of_column(name)
                record.errors.pop(field_name, None)
                record.errors[name] = FORMULA_ERROR
        row = CheckedRow(line, record)
        for name, message in record.errors.items():
            row.errors.append([self._column(name, raw.sources), _sentence(message)])
        if duplicates and not record.errors:
            row.duplicate = self._duplicate(line, record)
        return row

    def _column(self, name: str, sources: dict) -> str:
        if sources.get(name):
            return ", ".join(sources[name])
        alias = {"consent": "consent_given_at"}.get(name, name)
        index = self.job.mapping.get(alias)
        if index is not None and index < len(self.job.headers):
            return self.job.headers[index]
        return column_label(self.job.kind, alias)

    def _check_organisation(self, record: Record) -> None:
        given = str(record.raw.get("organisation") or "").strip()
        organisation = self._organisation(given) if given else None
        if not given:
            record.errors["organisation"] = _("Ce champ est obligatoire.")
        elif organisation is None:
            record.errors["organisation"] = unknown_organisation_error(given)
        record.values["organisation"] = organisation
        if not record.errors:
            record.errors.update(publication_errors(record.values))

    def _organisation(self, name: str):
        key = fold(name)
        if key not in self._organisations:
            self._organisations[key] = find_organisation(name)
        return self._organisations[key]

    # ------------------------------------------------------------ duplicates

    def _duplicate(self, line: int, record: Record) -> dict | None:
        keys, existing = DUPLICATE_FINDERS[self.job.kind](record.values)
        earlier = {self.seen[key] for key in keys if key in self.seen}
        for key in keys:
            self.seen.setdefault(key, line)
        earlier |= self._same_phone_close_name(line, record)
        earlier = sorted(earlier - {line})
        if not (existing or earlier):
            return None
        return {"existing": existing, "lines": earlier}

    def _same_phone_close_name(self, line: int, record: Record) -> set[int]:
        """Earlier lines with this phone and a close name. A phone alone (a service's
        switchboard, a family phone) does not make two people one record."""
        if self.job.kind != "candidates":
            return set()
        key = phone_key(record.values.get("phone"))
        if not key:
            return set()
        name = record.values.get("display_name") or ""
        sharing = self.seen.setdefault("t:" + key, [])
        if not isinstance(sharing, list):  # a report checked before this rule
            sharing = self.seen["t:" + key] = []
        found = {earlier for earlier, other in sharing if names_are_close(name, other)}
        sharing.append([line, name])
        return found


FORMULA_ERROR = _l(
    "Cette cellule contient une formule : remplacez-la par sa valeur "
    "(copier, puis collage spécial des valeurs seulement)."
)


def _field_of_column(name: str) -> str:
    """The record field a mapped column feeds ("domain:rue" feeds "domains")."""
    if name.startswith("domain:"):
        return "domains"
    if name.startswith("consent_"):
        return "consent"
    return name


def _sentence(message) -> str:
    text = str(message)
    return text[:1].upper() + text[1:]


def _organisation_duplicates(values: dict):
    organisation = find_organisation(values["name"])
    existing = [[organisation.id, organisation.name]] if organisation else []
    return ["o:" + fold(values["name"])], existing


def _posting_duplicates(values: dict):
    organisation = values["organisation"]
    custom = fold(values.get("custom_title") or "")
    found = db.session.scalars(
        select(JobPosting)
        .where(
            JobPosting.organisation_id == organisation.id,
            JobPosting.title == values["title"],
        )
        .order_by(JobPosting.id)
    )
    existing = [
        [posting.id, f"{posting.custom_title or posting.title} – {organisation.name}"]
        for posting in found
        if fold(posting.custom_title or "") == custom
    ]
    return [f"p:{organisation.id}:{values['title']}:{custom}"], existing[:5]


def _candidate_duplicates(values: dict):
    commune = values.get("commune")
    insee = commune.insee if commune else None
    found = find_duplicates(
        values["display_name"],
        values.get("email"),
        values.get("phone"),
        insee,
        limit=3,
        phone_needs_close_name=True,
    )
    existing = [
        [candidate.id, f"{candidate.display_name} – {candidate.commune or '?'}"]
        for candidate in found
    ]
    keys = []
    if values.get("email"):
        keys.append("e:" + values["email"].strip().lower())
    if insee:
        keys.append(f"n:{fold(values['display_name'])}:{insee}")
    return keys, existing


DUPLICATE_FINDERS: dict[str, Callable] = {
    "organisations": _organisation_duplicates,
    "postings": _posting_duplicates,
    "candidates": _candidate_duplicates,
}


# ---------------------------------------------------------------- the dry run


def check_step(job: ImportJob, limit: int | None = STEP_ROWS) -> None:
    """Check the next ``limit`` rows (all of them when None) and add what was found
    to the job's report; the job is "verifie" once every row was checked."""
    path = stored_path(job)
    if path is None:
        raise FileNotFoundError(job.stored_name)
    report = {
        "errors": list((job.report or {}).get("errors", [])),
        "duplicates": list((job.report or {}).get("duplicates", [])),
        "seen": dict((job.report or {}).get("seen", {})),
    }
    checker = RowChecker(job, report["seen"])
    table = open_table(path, job.file_format)
    for line, cells in table.rows(start=job.checked_rows, limit=limit):
        row = checker.check(line, cells)
        job.error_count += len(row.errors)
        for column, message in row.errors:
            if len(report["errors"]) < MAX_STORED_ERRORS:
                report["errors"].append([line, column, message])
        if row.duplicate:
            job.duplicate_count += 1
            report["duplicates"].append({"line": line, **row.duplicate})
        job.checked_rows += 1
    if limit is None or job.checked_rows >= job.row_count:
        job.checked_rows = job.row_count
        job.status = "verifie"
    job.report = report


def progress(job: ImportJob) -> dict:
    """Where the dry run or the import stands, for the progress bar."""
    if job.status == "importe":
        done = job.row_count
    elif job.status == "verifie" and progress_path(job).is_file():
        done = _written_so_far(job)  # an import is running
    else:
        done = job.checked_rows
    return {
        "status": job.status,
        "done": done,
        "total": job.row_count,
        "percent": min(100, done * 100 // max(job.row_count, 1)),
    }


def _written_so_far(job: ImportJob) -> int:
    """Rows written by an import still running (it reports to a small file)."""
    try:
        return int(json.loads(progress_path(job).read_text())["done"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def error_lines(job: ImportJob) -> list[str]:
    """The dry run's errors as sentences: "ligne 12, colonne « Commune » : …"."""
    return [
        _(
            "ligne %(line)s, colonne « %(column)s » : %(message)s",
            line=line,
            column=column,
            message=message,
        )
        for line, column, message in (job.report or {}).get("errors", [])
    ]


# ---------------------------------------------------------------- the import


def duplicate_lines(job: ImportJob) -> set[int]:
    return {entry["line"] for entry in (job.report or {}).get("duplicates", [])}


def import_job(job: ImportJob, officer: User) -> dict:
    """Check every row again and write it; raise RowsRefused when one row is wrong
    (the caller then rolls back, so nothing is saved)."""
    path = stored_path(job)
    if path is None:
        raise FileNotFoundError(job.stored_name)
    skipped = duplicate_lines(job) if job.skip_duplicates else set()
    checker = RowChecker(job, {})
    summary = {"created": 0, "updated": 0, "skipped": 0}
    errors = []
    table = open_table(path, job.file_format)
    for done, (line, cells) in enumerate(table.rows(), 1):
        if line in skipped:
            summary["skipped"] += 1
        else:
            row = checker.check(line, cells, duplicates=False)
            errors += [[line, column, message] for column, message in row.errors]
            if not errors:
                summary[_write(job.kind, row.record.values, officer)] += 1
        if done % PROGRESS_EVERY == 0:
            _report_progress(job, done)
    if errors:
        raise RowsRefused(errors)
    db.session.flush()
    record_audit(
        officer,
        "data.import",
        job.kind,
        None,
        format=job.file_format,
        count=summary["created"] + summary["updated"],
    )
    return summary


def _write(kind: str, values: dict, officer: User) -> str:
    if kind == "organisations":
        _organisation, created = save_organisation(values)
        db.session.flush()  # a later row of the same name finds it
        return "created" if created else "updated"
    # The writers flush when they need ids; loading the empty collections of a new
    # record need not flush everything first (it made the import three times slower).
    with db.session.no_autoflush:
        if kind == "postings":
            create_posting(values["organisation"], values, officer)
        else:
            create_candidate(values, officer)
    return "created"


def _report_progress(job: ImportJob, done: int) -> None:
    """Written outside the transaction, so the browser's polling can read it."""
    try:
        progress_path(job).write_text(json.dumps({"done": done}))
    except OSError:  # the progress bar is a comfort, never a reason to fail
        current_app.logger.warning("import %s: progress not written", job.id)


def finish_import(job: ImportJob, summary: dict) -> None:
    job.status = "importe"
    job.summary = summary
    job.imported_at = utcnow()
    delete_file(job)


def refuse_import(job: ImportJob, errors: list) -> None:
    """After a failed import (and its rollback): the errors become the report."""
    report = dict(job.report or {})
    report["errors"] = errors[:MAX_STORED_ERRORS]
    job.report = report
    job.error_count = len(errors)
    progress_path(job).unlink(missing_ok=True)
