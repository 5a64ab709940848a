"""One way to send a table as a spreadsheet: ``download(filename, headers, rows, fmt)``.

CSV is written for French spreadsheets (UTF-8 with a BOM, ``;`` between cells, decimal
commas, dates as 31/12/2026) and streamed as rows are read; XLSX is built with
openpyxl's write-only mode (constant memory) in a temporary file, then streamed.
Every text cell goes through ``safe_cell`` so no spreadsheet evaluates it as a formula
(SECURITY.md row 19); numbers and dates stay numbers and dates in XLSX. The response
is an attachment, never cached (``no-store``), never sniffed (``nosniff``).

Other features (the dashboard's tables) call ``download`` from their views: ``rows``
may be any iterable, read lazily while the response is sent. ``download_workbook``
sends several tables as one XLSX file, one sheet each.
"""

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from flask import Response, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from matching.core.timeutils import to_paris
from matching.vocab import fold

FORMATS = ("csv", "xlsx")
MIMETYPES = {
    "csv": "text/csv",  # Werkzeug adds "; charset=utf-8" to text types
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
XLSX_CELL_LIMIT = 32767
CSV_ROWS_PER_CHUNK = 500
STREAM_CHUNK = 64 * 1024


def safe_cell(value):
    """Prefix with ``'`` a text that a spreadsheet would evaluate; keep anything else."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def plain(value):
    """A cell value: text, number, date or None (lists joined, yes/no in words,
    datetimes in Paris time without a time zone)."""
    if value is None or isinstance(value, int | float | Decimal | str):
        if isinstance(value, bool):
            return "oui" if value else "non"
        return value
    if isinstance(value, datetime):
        return to_paris(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)  # lazy translations, vocabulary labels


def ascii_filename(name: str, fmt: str) -> str:
    """A plain file name: accents dropped, anything but letters and digits a dash."""
    stem = re.sub(r"\.(csv|xlsx)$", "", fold(name))
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-") or "export"
    return f"{stem[:80]}.{fmt}"


def download(
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    fmt: str,
    sheet_title: str | None = None,
) -> Response:
    """A streamed spreadsheet attachment: ``fmt`` is "csv" or "xlsx"; ``filename`` is
    given without its extension; ``rows`` are sequences as long as ``headers``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "csv":
        body = csv_chunks(headers, rows)
    else:
        body = xlsx_chunks(headers, rows, sheet_title or filename)
    return _attachment(body, filename, fmt)


def download_workbook(
    filename: str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]
) -> Response:
    """A streamed XLSX attachment with one sheet per ``(title, headers, rows)``."""
    return _attachment(workbook_chunks(sheets), filename, "xlsx")


def _attachment(body: Iterator[bytes], filename: str, fmt: str) -> Response:
    response = Response(stream_with_context(body), mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_filename(filename, fmt)}"'
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- CSV


def csv_text(value) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        # The shortest form that reads back as the same number: 4.0 is "4,0",
        # not "4,000000" ("f" alone pads floats to six decimals).
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return safe_cell(value)


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([csv_text(str(header)) for header in headers])
    for count, row in enumerate(rows, 1):
        writer.writerow([csv_text(value) for value in row])
        if count % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


# ---------------------------------------------------------------- XLSX

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def xlsx_cell(sheet, value) -> WriteOnlyCell:
    value = plain(value)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_LIMIT]
        cell = WriteOnlyCell(sheet, value=safe_cell(text))
        cell.data_type = "s"  # never a formula, whatever openpyxl guessed
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()[:31] or "Export"


def xlsx_chunks(
    headers: Sequence[str], rows: Iterable[Sequence], title: str
) -> Iterator[bytes]:
    return workbook_chunks([(title, headers, rows)])


def workbook_chunks(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]],
) -> Iterator[bytes]:
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        _write_sheet(workbook, title, headers, rows)
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(STREAM_CHUNK):
            yield chunk


def _write_sheet(workbook, title: str, headers: Sequence[str], rows) -> None:
    # openpyxl renames a title already taken ("Sheet" -> "Sheet1"): no clash.
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = xlsx_cell(sheet, str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
