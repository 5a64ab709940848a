"""The spreadsheet writer: no cell is ever a formula, numbers and dates stay typed,
the file is a streamed attachment that is never cached (SECURITY.md row 19)."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from matching.exports.writer import (
    DANGEROUS_PREFIXES,
    ascii_filename,
    csv_text,
    download,
    download_workbook,
    safe_cell,
)

ATTACKS = [
    '=HYPERLINK("http://evil.test","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(body: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def make(app, rows, fmt, headers=("A", "B")):
    with app.test_request_context():
        response = download("essai", list(headers), rows, fmt)
        assert response.is_streamed
        body = response.get_data()
    return response, body


@pytest.mark.parametrize("prefix", DANGEROUS_PREFIXES)
def test_safe_cell_prefixes_every_dangerous_start(prefix):
    assert safe_cell(prefix + "1+1") == "'" + prefix + "1+1"


@pytest.mark.parametrize("value", [12, Decimal("0.8"), 1.5, date(2027, 3, 1), None])
def test_safe_cell_keeps_numbers_dates_and_blanks(value):
    assert safe_cell(value) == value


def test_safe_cell_keeps_ordinary_text():
    assert safe_cell("Toulouse = ville rose") == "Toulouse = ville rose"
    assert safe_cell("") == ""


@pytest.mark.parametrize(
    ("value", "text"),
    [(4.0, "4,0"), (25.5, "25,5"), (1e-05, "0,00001"), (Decimal("2500.50"), "2500,50")],
)
def test_csv_numbers_keep_their_own_decimals(value, text):
    assert csv_text(value) == text


EXPECTED_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_download_headers(app, fmt):
    response, _ = make(app, [["x", "y"]], fmt)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="essai.{fmt}"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == EXPECTED_TYPES[fmt]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_cell_can_be_a_formula(app, fmt):
    rows = [[attack, "ok"] for attack in ATTACKS]
    _, body = make(app, rows, fmt)
    table = read_csv(body) if fmt == "csv" else read_xlsx(body)
    cells = [row[0] for row in table[1:]]
    if fmt == "xlsx":  # XML reads a carriage return as a line feed
        cells = [cell.replace("\n", "\r") for cell in cells]
    assert cells == ["'" + attack for attack in ATTACKS]
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).worksheets[0]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_is_for_french_spreadsheets(app):
    rows = [
        [Decimal("0.8"), date(2027, 3, 1)],
        [True, ["Aller-vers", "Plaidoyer"]],
        [None, 'texte ; avec « guillemets » "doubles"'],
        [datetime(2026, 7, 1, 10, 0), -5],
    ]
    _, body = make(app, rows, "csv")
    assert read_csv(body) == [
        ["A", "B"],
        ["0,8", "01/03/2027"],
        ["oui", "Aller-vers; Plaidoyer"],
        ["", 'texte ; avec « guillemets » "doubles"'],
        ["01/07/2026 12:00", "-5"],  # 10:00 UTC is noon in Paris (summer time)
    ]
    assert b"\r\n" in body


def test_xlsx_keeps_numbers_and_dates(app):
    rows = [[Decimal("0.8"), date(2027, 3, 1)], [12, "\x00texte\x07 propre"]]
    _, body = make(app, rows, "xlsx")
    table = read_xlsx(body)
    assert table[1][0] == pytest.approx(0.8)
    assert table[1][1] == datetime(2027, 3, 1)
    assert table[2] == [12, "texte propre"]
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["A1"].font.bold


def test_rows_are_read_lazily(app):
    def rows():
        for n in range(1200):
            yield [n, f"ligne {n}"]

    _, body = make(app, rows(), "csv")
    assert len(read_csv(body)) == 1201


def test_workbook_has_one_safe_sheet_per_table(app):
    sheets = [
        ("Structures", ["Secteur", "Nombre"], [["Santé", 3], [ATTACKS[0], 1]]),
        ("Financements", ["Financeur", "Accordé"], [["ARS", Decimal("2500.50")]]),
        ("Structures", ["Vide"], []),
    ]
    with app.test_request_context():
        response = download_workbook("tableaux", sheets)
        assert response.is_streamed
        body = response.get_data()
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="tableaux.xlsx"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Structures", "Financements", "Structures1"]
    first = [[cell.value for cell in row] for row in workbook.worksheets[0].iter_rows()]
    assert first == [["Secteur", "Nombre"], ["Santé", 3], ["'" + ATTACKS[0], 1]]
    assert workbook.worksheets[1]["B2"].value == pytest.approx(2500.5)
    assert workbook.worksheets[2]["A1"].font.bold


def test_unknown_format_is_refused(app):
    with app.test_request_context(), pytest.raises(ValueError, match="format"):
        download("x", ["A"], [], "ods")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("candidats-2026", "candidats-2026.csv"),
        ("../../etc/passwd", "etc-passwd.csv"),
        ("Réponses été.csv", "reponses-ete.csv"),
        ("", "export.csv"),
    ],
)
def test_file_names_are_plain_ascii(name, expected):
    assert ascii_filename(name, "csv") == expected
