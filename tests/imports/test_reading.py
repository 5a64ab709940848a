"""Reading uploads: the content decides, never the extension; CSV as spreadsheets
write it in France; XLSX first sheet; French reasons for every refusal."""

import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from matching.imports.reading import (
    FileRefused,
    clean_cell,
    inspect_upload,
    open_table,
)
from tests.imports.spreadsheets import to_csv, to_xlsx

HEADERS = ["Nom", "Commune", "Date de l'accord"]
ROWS = [["Élodie Café", "Toulouse", "02/10/2026"], ["Noé", "Muret", ""]]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8-sig", ";"),
        ("utf-8", ";"),
        ("utf-8", ","),
        ("utf-8", "\t"),
        ("cp1252", ";"),  # Excel's "CSV (séparateur : point-virgule)" in France
    ],
)
def test_csv_encodings_and_separators(app, encoding, delimiter):
    data = to_csv(HEADERS, ROWS, delimiter=delimiter, encoding=encoding)
    found = inspect_upload(data, "personnes.csv")
    assert (found.file_format, found.headers, found.row_count) == ("csv", HEADERS, 2)
    rows = list(open_table(data, "csv").rows())
    assert rows == [(2, ROWS[0]), (3, ROWS[1])]


def test_csv_header_with_quoted_separators(app):
    data = b'"Nom, prenom";Commune\r\n"Lou, P.";Toulouse\r\n'
    table = open_table(data, "csv")
    assert table.headers == ["Nom, prenom", "Commune"]
    assert list(table.rows()) == [(2, ["Lou, P.", "Toulouse"])]


def test_blank_rows_are_skipped_but_counted(app):
    data = to_csv(HEADERS, [ROWS[0], ["", "", ""], ROWS[1]])
    assert [line for line, _cells in open_table(data, "csv").rows()] == [2, 4]
    assert inspect_upload(data, "x.csv").row_count == 2


def test_rows_can_be_read_in_steps(app):
    data = to_csv(["N"], [[str(n)] for n in range(10)])
    table = open_table(data, "csv")
    assert [cells[0] for _line, cells in table.rows(start=4, limit=3)] == [
        "4",
        "5",
        "6",
    ]


def test_xlsx_first_sheet_with_typed_cells(app):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Rayon", "ETP", "Disponible", "Actif", None])
    sheet.append(["Lou", 30, 0.5, date(2027, 3, 1), True, None])
    workbook.create_sheet("Autre").append(["ignorée"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    found = inspect_upload(data, "classeur.XLSX")
    assert found.file_format == "xlsx"
    assert found.headers == ["Nom", "Rayon", "ETP", "Disponible", "Actif"]
    assert list(open_table(data, "xlsx").rows()) == [
        (2, ["Lou", "30", "0.5", date(2027, 3, 1), "oui"])
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("'=1+1", "=1+1"),  # our exports' protection is taken off again
        ("'+33 6 12", "+33 6 12"),
        ("'-", "-"),
        ("'bonjour", "'bonjour"),
        ("  Toulouse ", "Toulouse"),
        (12.0, "12"),
        (None, ""),
    ],
)
def test_clean_cell(value, expected):
    assert clean_cell(value) == expected


def _zip(parts: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


REFUSALS = [
    (b"", "x.csv", "Le fichier est vide."),
    (b"  \r\n", "x.csv", "Le fichier est vide."),
    (
        b"<!doctype html><html><script>alert(1)</script></html>",
        "tableau.xlsx",
        "n'est pas un classeur .xlsx valide",
    ),
    (
        b"<html><body>Nom;Commune</body></html>",
        "tableau.csv",
        "ressemble à une page web",
    ),
    ("Nom;Commune\r\nLou;Toulouse".encode("utf-16"), "x.csv", "pas un texte lisible"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "pas un texte lisible"),
    (b"Nom;Commune\r\nLou;Toulouse\x81\x8d", "x.csv", "pas un texte lisible"),
    (_zip({"word/document.xml": "<w/>"}), "lettre.xlsx", "pas un classeur .xlsx"),
    (to_xlsx(["Nom"], [["Lou"]]), "tableau.csv", "est un classeur et non un texte"),
    (b"Nom;Commune\r\n", "x.csv", "aucune ligne après la ligne des titres"),
    (b";;\r\nLou;Toulouse\r\n", "x.csv", "La première ligne doit donner le nom"),
    (b"\xd0\xcf\x11\xe0", "ancien.xls", "Les fichiers .xls (Excel 97-2003)"),
    (b"Nom\nLou", "personnes.ods", "Déposez un tableau au format CSV ou XLSX"),
    (b"Nom\nLou", "sans-extension", "Déposez un tableau au format CSV ou XLSX"),
]


@pytest.mark.parametrize(("data", "name", "message"), REFUSALS)
def test_refused_uploads_say_why_in_french(app, data, name, message):
    with pytest.raises(FileRefused, match=re.escape(message)):
        inspect_upload(data, name)


def test_zip_bomb_is_refused(app, monkeypatch):
    monkeypatch.setattr("matching.imports.reading.XLSX_MAX_UNCOMPRESSED", 1000)
    data = to_xlsx(["Nom"], [["x" * 5000]])
    with pytest.raises(FileRefused, match="pas un classeur .xlsx valide"):
        inspect_upload(data, "gros.xlsx")


def test_too_many_rows(app, monkeypatch):
    monkeypatch.setattr("matching.imports.reading.MAX_ROWS", 3)
    data = to_csv(["Nom"], [["a"], ["b"], ["c"], ["d"]])
    with pytest.raises(FileRefused, match="dépasse 3 lignes"):
        inspect_upload(data, "x.csv")


def test_damaged_sheet_inside_a_valid_zip_is_refused(app):
    good = to_xlsx(["Nom"], [["Lou"]])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row><c"
    with pytest.raises(FileRefused, match="ne peut pas être lu"):
        inspect_upload(_zip(parts), "abime.xlsx")


def test_workbook_without_a_worksheet_is_refused(app):
    good = to_xlsx(["Nom"], [["Lou"]])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/workbook.xml"] = re.sub(
        rb"<sheets>.*</sheets>", b"<sheets />", parts["xl/workbook.xml"]
    )
    with pytest.raises(FileRefused, match="aucune feuille"):
        inspect_upload(_zip(parts), "vide.xlsx")
