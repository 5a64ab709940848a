"""Read an uploaded spreadsheet: CSV or XLSX, judged by its content, not its name.

- XLSX must be a zip holding a workbook (``[Content_Types].xml`` and
  ``xl/workbook.xml``), not too large once uncompressed; only the first sheet is read,
  in openpyxl's read-only mode.
- CSV must decode as text: UTF-8 (with or without a BOM), else Windows-1252 as Excel
  writes it in France; ``;``, ``,`` or tab between cells, told from the header line.

Rows are numbered as the spreadsheet shows them: the header is line 1, so the first
record is line 2; blank rows are skipped but still counted. Cells come out as text
(numbers written plainly, yes/no in words) or as dates.
"""

import csv
import io
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask_babel import gettext as _
from openpyxl import load_workbook

from matching.exports.writer import DANGEROUS_PREFIXES

FORMATS = ("csv", "xlsx")
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# A workbook this large once unzipped is refused (a "zip bomb" is a few kilobytes).
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


class FileRefused(ValueError):
    """The upload cannot be read; the message says why, in French."""


@dataclass
class Inspection:
    file_format: str
    headers: list[str]
    row_count: int


# ---------------------------------------------------------------- recognising a file


def inspect_upload(data: bytes, filename: str) -> Inspection:
    """Check that ``data`` really is the spreadsheet its name says, and read its
    header and number of rows; raise FileRefused otherwise."""
    if not data.strip():
        raise FileRefused(_("Le fichier est vide."))
    extension = Path(filename or "").suffix.lower()
    if extension == ".xls":
        raise FileRefused(
            _(
                "Les fichiers .xls (Excel 97-2003) ne sont pas lus : enregistrez le "
                "tableau au format .xlsx ou CSV."
            )
        )
    if extension not in (".csv", ".txt", ".xlsx"):
        raise FileRefused(
            _("Déposez un tableau au format CSV ou XLSX (fichier .csv ou .xlsx).")
        )
    looks_like_zip = data[:4] == b"PK\x03\x04"
    if extension == ".xlsx":
        if not (looks_like_zip and _is_workbook(data)):
            raise FileRefused(
                _(
                    "Ce fichier n'est pas un classeur .xlsx valide. Enregistrez-le à "
                    "nouveau depuis votre tableur, au format .xlsx ou CSV."
                )
            )
        file_format = "xlsx"
    else:
        if looks_like_zip:
            raise FileRefused(
                _(
                    "Ce fichier est un classeur et non un texte CSV : donnez-lui "
                    "l'extension .xlsx ou enregistrez-le au format CSV."
                )
            )
        decode_text(data)
        file_format = "csv"
    table = open_table(data, file_format)
    headers = table.headers
    rows = sum(1 for _row in table.rows(limit=MAX_ROWS + 1))
    if rows > MAX_ROWS:
        limit = f"{MAX_ROWS:,}".replace(",", "\u202f")  # 20 000, as French writes it
        raise FileRefused(
            _(
                "Le fichier dépasse %(max)s lignes : découpez-le en plusieurs fichiers.",
                max=limit,
            )
        )
    if rows == 0:
        raise FileRefused(
            _("Le fichier ne contient aucune ligne après la ligne des titres.")
        )
    return Inspection(file_format, headers, rows)


def _is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    names = {info.filename for info in infos}
    unzipped = sum(info.file_size for info in infos)
    return all(part in names for part in XLSX_PARTS) and (
        unzipped <= XLSX_MAX_UNCOMPRESSED
    )


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not), else Windows-1252; refuse binary or markup."""
    unreadable = FileRefused(
        _(
            "Ce fichier n'est pas un texte lisible. Enregistrez le tableau au format "
            "« CSV UTF-8 » (ou CSV) et déposez-le à nouveau."
        )
    )
    if b"\x00" in data:
        raise unreadable
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise unreadable from None
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        raise unreadable
    if text.lstrip().startswith("<"):
        raise FileRefused(
            _("Ce fichier ressemble à une page web, pas à un tableau CSV ou XLSX.")
        )
    return text


# ---------------------------------------------------------------- reading rows


class Formula(str):
    """A workbook cell holding a formula (its text): never imported as a value. The
    value a spreadsheet shows is not always saved with it (openpyxl then reads
    nothing), and ``=HYPERLINK(…)`` is no name anyway."""


def clean_cell(value) -> str | date:
    """A cell as the record checkers take it: text, or a date."""
    if isinstance(value, Formula):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    # Our own exports protect formulas with an apostrophe: take it off again.
    if text.startswith("'") and text[1:2] and text[1:].startswith(DANGEROUS_PREFIXES):
        text = text[1:]
    return text


def _is_blank(cells) -> bool:
    return all(cell in ("", None) for cell in cells)


class Table:
    """The header and the rows of a stored or uploaded file."""

    def __init__(self, source: bytes | Path, file_format: str):
        self.source = source
        self.file_format = file_format
        self.headers = self._headers()

    def _raw_rows(self) -> Iterator[list]:
        if self.file_format == "csv":
            yield from _csv_rows(self._bytes())
        else:
            yield from _xlsx_rows(self.source)

    def _bytes(self) -> bytes:
        if isinstance(self.source, bytes):
            return self.source
        return Path(self.source).read_bytes()

    def _headers(self) -> list[str]:
        with closing(self._raw_rows()) as raw_rows:
            first = next(raw_rows, None)
        if first is None or _is_blank(first):
            raise FileRefused(
                _("La première ligne doit donner le nom de chaque colonne.")
            )
        if len(first) > MAX_COLUMNS:
            raise FileRefused(
                _("Le tableau a trop de colonnes (%(max)s au plus).", max=MAX_COLUMNS)
            )
        while first and first[-1] in ("", None):
            first.pop()
        return [
            str(clean_cell(cell)) or _("Colonne %(n)s", n=number)
            for number, cell in enumerate(first, 1)
        ]

    def rows(self, start: int = 0, limit: int | None = None):
        """(line, cells) of the records from the ``start``-th one (0-based, blank
        rows not counted), at most ``limit`` of them; cells padded to the header."""
        width = len(self.headers)
        index = 0
        with closing(self._raw_rows()) as raw_rows:
            for line, raw in enumerate(raw_rows, 1):
                if line == 1 or _is_blank(raw):
                    continue
                if index >= start:
                    if limit is not None and index >= start + limit:
                        return
                    cells = [clean_cell(cell) for cell in raw[:width]]
                    yield line, cells + [""] * (width - len(cells))
                index += 1


def open_table(source: bytes | Path, file_format: str) -> Table:
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}")
    return Table(source, file_format)


def _delimiter(header_line: str) -> str:
    """The separator used in the header line, outside quotes (``;`` on a tie)."""
    counts = dict.fromkeys(";,\t", 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: (counts[c], c == ";"))
    return best if counts[best] else ";"


def _csv_rows(data: bytes) -> Iterator[list]:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        yield from reader
    except csv.Error as error:
        raise FileRefused(
            _("Le fichier CSV est mal formé : %(error)s.", error=str(error))
        ) from None


def _xlsx_rows(source) -> Iterator[list]:
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with warnings.catch_warnings():
            # Styles or extensions openpyxl does not know are not our business.
            warnings.simplefilter("ignore")
            # Formulas as formulas, not their saved values: they are refused.
            workbook = load_workbook(handle, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(
            _(
                "Ce classeur ne peut pas être lu. Enregistrez-le à nouveau depuis "
                "votre tableur."
            )
        ) from error
    try:
        if not workbook.worksheets:
            raise FileRefused(_("Ce classeur n'a aucune feuille de calcul."))
        rows = workbook.worksheets[0].iter_rows()
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as error:  # a damaged sheet inside a valid zip
                raise FileRefused(
                    _(
                        "Ce classeur ne peut pas être lu. Enregistrez-le à nouveau "
                        "depuis votre tableur."
                    )
                ) from error
            yield [_cell_value(cell) for cell in row]
    finally:
        workbook.close()


def _cell_value(cell):
    if cell.data_type == "f":
        return Formula(getattr(cell.value, "text", None) or cell.value or "=")
    return cell.value
