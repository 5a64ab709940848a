"""Importing a spreadsheet of candidates: a file of 1,000 with broken rows, the
French error list, the fixed file imported all or nothing, exported back safely."""

import csv
import io

import pytest
from markupsafe import escape
from openpyxl import load_workbook
from sqlalchemy import func, select

from matching.audit.models import AuditEvent
from matching.candidates.models import Candidate, ConsentRecord
from matching.exports.writer import DANGEROUS_PREFIXES
from matching.extensions import db
from matching.imports import services
from tests.imports.spreadsheets import (
    BROKEN,
    CANDIDATE_HEADERS,
    candidate_rows,
    to_csv,
    to_xlsx,
)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def read_export(response, fmt: str) -> list[list]:
    assert response.status_code == 200
    if fmt == "csv":
        text = response.data.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.slow
def test_thousand_candidates_broken_fixed_imported_and_exported(
    app, client, importer, officer
):
    # 1. The file with broken rows: every problem listed in French, nothing saved.
    job = importer.through_check(
        to_csv(CANDIDATE_HEADERS, candidate_rows(1000)), "candidats.csv"
    )
    assert (job.status, job.row_count, job.error_count) == ("verifie", 1000, 7)
    page = client.get(f"/imports/{job.id}").get_data(as_text=True)
    assert (
        str(escape("ligne 12, colonne « Ville » : Commune introuvable : « Gotham »."))
        in page
    )
    for line, (column, _value, message) in BROKEN.items():
        assert str(escape(f"ligne {line}, colonne « {column} » : ")) in page
        assert str(escape(message)) in page
    assert "ligne 13," not in page
    assert count(Candidate) == 0
    importer.commit(job)
    assert count(Candidate) == 0

    # 2. The fixed file (saved as XLSX this time) goes in at once.
    rows = candidate_rows(1000, broken=False)
    job = importer.through_check(to_xlsx(CANDIDATE_HEADERS, rows), "corrigé.xlsx")
    assert (job.error_count, job.duplicate_count) == (0, 0)
    stored = services.storage_dir() / job.stored_name
    assert stored.is_file()
    response = importer.commit(job)
    assert response.headers["Location"] == f"/imports/{job.id}"
    assert count(Candidate) == 1000
    db.session.refresh(job)
    assert (job.status, job.summary["created"], job.stored_name) == (
        "importe",
        1000,
        None,
    )
    assert not stored.exists()
    sharing = db.session.scalar(
        select(Candidate).where(Candidate.email == "personne0003@exemple.org")
    )
    assert {d.domain: d.sharing for d in sharing.domains} == {
        "rue_sans_abrisme": "public_employeurs",
        "addictions": "prive",
    }
    assert sharing.background_text == "- accueilli en CHRS"
    consent = sharing.active_consent
    assert (consent.method, str(consent.given_on), consent.recorded_by_id) == (
        "oral",
        "2026-10-02",
        officer.id,
    )
    assert count(ConsentRecord) == 334
    assert sharing.sectors == ["ahi_hebergement", "sante_mentale_psychiatrie"]
    audit = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "data.import")
    )
    assert (audit.subject_type, audit.details) == (
        "candidates",
        {"format": "xlsx", "count": 1000},
    )

    # 3. Exported back, in both formats: no cell can become a formula.
    for fmt in ("csv", "xlsx"):
        table = read_export(
            client.post(f"/exports/candidats.{fmt}", data={"sensibles": "1"}), fmt
        )
        assert len(table) == 1001
        cells = [cell for row in table for cell in row if isinstance(cell, str)]
        assert not [cell for cell in cells if cell.startswith(DANGEROUS_PREFIXES)]
        assert "'=Dix ans à la rue" in cells
        assert "'- accueilli en CHRS" in cells
        assert "'+33 6 00 00 03 00" in cells
