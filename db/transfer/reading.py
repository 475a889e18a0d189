"""Reading a table of partners or activities from the bytes of a .csv or .xlsx file.

Pure: bytes in, rows and problems out; nothing here touches the database. The exchange
format (its columns, declared with the fields in db.fields, and the words it accepts for
roles, statuses and yes/no) is defined here too, so that the export writes exactly what
this reads back.

Files come from Bulgarian school offices: CSV saved by Excel on Bulgarian Windows
(Windows-1251, `;`), UTF-8 with or without BOM, `,` or `;`, and .xlsx workbooks. The
encoding is never guessed silently: text that only decodes as nonsense is a problem.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from typing import IO, Any, Literal

from db.fields import LONG_TEXT_LIMIT, Column, exchange_columns
from db.validation import Problem

MEGABYTE = 1024 * 1024
MAX_BYTES = 2 * MEGABYTE  # the Streamlit server's own limit (.streamlit/config.toml) is the same
MAX_ROWS = 5_000
# Room beside the declared columns for blank and unknown ones (each told by name); a value further
# right is refused, so that a row reaching column XFD is never spread out 16,384 cells wide.
COLUMN_MARGIN = 20
# No field holds more than LONG_TEXT_LIMIT characters; twice that leaves room for a list of partners.
# A longer cell is refused where it is read, with its row and column, before any check copies it.
MAX_CELL_CHARACTERS = 2 * LONG_TEXT_LIMIT
# An .xlsx is a ZIP: 40 KB of it can unpack to hundreds of MB of XML (a "zip bomb"). Its declared
# sizes are checked before anything is unpacked (Python's zipfile never unpacks more than a member
# declares: a member that lies fails its CRC check). 5,000 rows of text fit in far less.
MAX_UNPACKED_BYTES = 20 * MEGABYTE
# Parts that openpyxl reads whole into objects (the styles, the workbook, the manifest): about
# 20 bytes of memory for each byte of XML, so they get a tighter bound than the rows, which stream.
MAX_PART_BYTES = 1 * MEGABYTE
# Deflate packs repeated XML up to about 1,000:1; real workbooks stay near 10:1.
MAX_RATIO = 100
MAX_MEMBERS = 1_000
# An import's rows hold at most (MAX_ROWS + 1) × max_columns() texts; a workbook may have other sheets too.
MAX_SHARED_STRINGS = 200_000
# XML elements held at once while a sheet streams: one cell's parts, or one part of the sheet outside its rows.
MAX_HELD_ELEMENTS = 10_000
FILE = "file"  # the field of problems with the file as a whole; its label is `field.file`

Table = Literal["partners", "activities"]
TABLES: tuple[Table, ...] = ("partners", "activities")
Cells = list[tuple[int, list[Any]]]  # (spreadsheet row number, cell values) of the non-empty rows


class _Columns(Mapping[Table, tuple[Column, ...]]):
    """Each table's columns, from the fields declared in db.fields, read there on every use."""

    def __getitem__(self, table: Table) -> tuple[Column, ...]:
        return exchange_columns(table)

    def __iter__(self) -> Iterator[Table]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


COLUMNS: Mapping[Table, tuple[Column, ...]] = _Columns()
SHEET_NAMES: dict[Table, dict[str, str]] = {
    "partners": {"bg": "Партньори", "en": "Partners"},
    "activities": {"bg": "Дейности", "en": "Activities"},
}
# The words a file may use for codes; the first of each pair is what the Bulgarian export writes.
ROLE_WORDS = {
    "organizer": ("организатор", "organizer"),
    "partner": ("партньор", "partner"),
    "funder": ("финансира", "funder"),
    "guest": ("гост", "guest"),
}
STATUS_WORDS = {
    "planned": ("планирана", "planned"),
    "held": ("проведена", "held"),
    "cancelled": ("отменена", "cancelled"),
}
YES_NO_WORDS = {
    True: ("да", "yes", "true", "1", "активен", "active"),
    False: ("не", "no", "false", "0", "неактивен", "inactive"),
}
LIST_SEPARATOR = ";"
# A cell starting with one of these is a formula to Excel (CSV injection): the export writes `'` before it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# An OLE compound file: an old .xls (Excel 97–2003), or an .xlsx encrypted with a password.
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_NOT_TEXT = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Besides Cyrillic and ASCII, what Bulgarian text saved from Excel in Windows-1251 holds.
_CP1251_PUNCTUATION = frozenset("„“”‘’«»–—…№§°±•€·©®™\u00a0")
_NOT_BULGARIAN = re.compile(r"[ЫЭыэ]|[Ьь](?![Оо])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
# А to я: bytes C0–FF in Windows-1251, never UTF-8 once re-encoded, and not Windows-1252 at all.
_CYRILLIC_LETTERS = re.compile(r"[\u0410-\u044f]+")


class Refused(Exception):
    """Reading stopped at the first thing that makes the file unreadable as a whole."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def max_columns() -> int:
    """The widest row an import reads: the most columns a table declares in db.fields, and a margin."""
    return max(len(COLUMNS[table]) for table in TABLES) + COLUMN_MARGIN


def header_key(text: object) -> str:
    """A header as compared: without case, spaces, underscores or a BOM (`Кратко име` = `кратко_име`)."""
    return re.sub(r"[\s_]+", "", str(text or "").replace("\ufeff", "")).casefold()


def read_table(data: bytes, filename: str, *, table: Table | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The rows of a .csv or .xlsx file and every problem with the file.

    Each row is keyed by the fields of the columns the file has (COLUMNS: `name`,
    `short_name`, … for partners; `start_date`, `title`, `type`, `organizations`, … for
    activities), plus `_row`, its row number in the spreadsheet (the header is row 1).
    Values are as the file holds them: text from a CSV; text, numbers or datetimes from
    an .xlsx. `table` says which columns to expect; without it the table is recognised
    by its required columns.
    """
    cells, problems = read_cells(data, filename, table=table)
    if problems:
        return [], problems
    (header_row, header), *body = cells
    if table is None:
        table = _recognise(header)
        if table is None:
            return [], [Problem(FILE, "unknown_table", row=header_row)]
    fields, problems = _match_header(header, COLUMNS[table], header_row)
    if not body:
        problems.append(Problem(FILE, "no_rows"))
    rows = []
    for number, values in body:
        row, extra = _row(fields, values, number)
        rows.append(row)
        problems += extra
    return rows, problems


def read_cells(data: bytes, filename: str, *, table: Table | None = None) -> tuple[Cells, list[Problem]]:
    """The non-empty rows of the file's sheet as (row number, values), or the problem that stops reading it."""
    if len(data) > MAX_BYTES:
        return [], [Problem(FILE, "file_too_large", {"limit": MAX_BYTES // MEGABYTE})]
    if not data.strip(b" \t\r\n" + codecs.BOM_UTF8):
        return [], [Problem(FILE, "empty_file")]
    suffix = filename.lower().rpartition(".")[2] if "." in filename else ""
    if data.startswith(_COMPOUND_FILE) and suffix in ("xlsx", "xls", "csv"):
        # Both look the same from outside; the encrypted one names its `EncryptedPackage` stream.
        return [], [Problem(FILE, "encrypted_workbook" if _ENCRYPTED_STREAM in data else "old_excel")]
    if suffix not in ("csv", "xlsx"):
        return [], [Problem(FILE, "unsupported_format", {"value": filename})]
    is_zip = data.startswith(_ZIP)
    if suffix == "xlsx" and not is_zip:
        looks_like_text = not data.startswith(_NOT_TEXT) and not decode_text(data)[1]
        if looks_like_text:
            return [], [Problem(FILE, "wrong_extension", {"named": ".xlsx", "actual": ".csv"})]
        return [], [Problem(FILE, "not_a_spreadsheet")]
    if suffix == "csv" and is_zip and b"[Content_Types].xml" in data:  # a workbook's ZIP names its manifest
        return [], [Problem(FILE, "wrong_extension", {"named": ".csv", "actual": ".xlsx"})]
    if suffix == "csv" and (is_zip or data.startswith(_NOT_TEXT)):
        return [], [Problem(FILE, "not_a_spreadsheet")]
    try:
        cells = _xlsx_cells(data, table) if suffix == "xlsx" else _csv_cells(data)
    except Refused as refused:
        return [], [refused.problem]
    if not cells:
        return [], [Problem(FILE, "empty_file")]
    if len(cells) > MAX_ROWS + 1:
        return [], [Problem(FILE, "too_many_rows", {"limit": MAX_ROWS})]
    mojibake = _first_mojibake(cells)
    return ([], [mojibake]) if mojibake else (cells, [])


def _bounded(values: Sequence[Any], number: int, width: int) -> list[Any]:
    """The row's values, at most `width` (max_columns()) of them; Refused if one is too long or too far right."""
    for index, value in enumerate(values):
        if value != "":
            _check_cell(value, number, index, width)
    return list(values[:width])


def _check_cell(value: Any, number: int, index: int, width: int) -> None:
    if index >= width:
        raise Refused(
            Problem(
                FILE,
                "too_many_columns",
                {"column": column_letter(index), "limit": width, "last": column_letter(width - 1)},
                number,
            )
        )
    if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
        raise Refused(
            Problem(
                FILE,
                "cell_too_long",
                {"column": column_letter(index), "length": len(value), "limit": LONG_TEXT_LIMIT},
                number,
            )
        )


# ---- CSV --------------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, list[Problem]]:
    """The text of a CSV file: UTF-8 (with or without BOM), else Windows-1251 if it reads as Bulgarian.

    Anything else is a `bad_encoding` problem, never a guess.
    """
    if data.startswith(_UTF16_BOMS):
        # Excel's "Unicode text" is UTF-16 and tab-separated: not the CSV asked for.
        return "", [Problem(FILE, "utf16_text")]
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        if data.startswith(codecs.BOM_UTF8):
            return "", [Problem(FILE, "bad_encoding")]
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            return "", [Problem(FILE, "bad_encoding")]
        if not _reads_as_bulgarian(text):
            return "", [Problem(FILE, "bad_encoding")]
    control = _CONTROL.search(text)
    if control:
        # A NUL or another control character: a binary file, or text pasted out of one.
        line = text.count("\n", 0, control.start()) + 1
        return "", [Problem(FILE, "not_text", {"code": f"{ord(control.group()):02X}"}, line)]
    return text, []


def _reads_as_bulgarian(text: str) -> bool:
    """Whether Windows-1251 gave Bulgarian text, not the odd letters and symbols that other bytes map to.

    Only the Bulgarian alphabet counts: bytes of another code page (Greek, Western) land
    on ы, э and ь, which Bulgarian does not use (ь only before о).
    """
    cyrillic = False
    for character in text:
        if "А" <= character <= "я":
            cyrillic = True
        elif not (character.isascii() or character in _CP1251_PUNCTUATION):
            return False
    return cyrillic and not _NOT_BULGARIAN.search(text)


def _csv_cells(data: bytes) -> Cells:
    text, problems = decode_text(data)
    if problems:
        raise Refused(problems[0])
    delimiter = _sniff_delimiter(text.partition("\n")[0])
    if delimiter is None:
        raise Refused(Problem(FILE, "bad_separator", row=1))
    # The csv module refuses a field over 128 KB with an error that reads like a quoting one; the
    # whole file is at most MAX_BYTES, so any field of it may be read, and a long one is told as such.
    # (A process-wide setting, only ever raised here: a larger limit refuses nothing another reader accepts.)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    cells: Cells = []
    number, width = 0, max_columns()
    try:
        for number, values in enumerate(reader, start=1):
            row = _bounded([_csv_value(value) for value in values], number, width)
            if any(value != "" for value in row):
                cells.append((number, row))
            if len(cells) > MAX_ROWS + 1:
                break
    except csv.Error:
        raise Refused(Problem(FILE, "bad_quotes", row=number + 1)) from None
    return cells


def _sniff_delimiter(header_line: str) -> str | None:
    """`;` or `,`, whichever the header line uses (outside quotes); None if it is split by tabs."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {sep: outside.count(sep) for sep in (";", ",", "\t")}
    best = ";" if counts[";"] >= counts[","] else ","
    if counts["\t"] > counts[best]:
        return None
    return best


def _csv_value(value: str) -> str:
    value = value.strip()
    # The export writes `'` before text that Excel would take for a formula; reading it back removes it.
    if value.startswith("'") and value[1:2] and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


# ---- xlsx -------------------------------------------------------------------------------------


def safe_openpyxl() -> Any:
    """openpyxl, loaded after the standard XML parsers are defused (no entity expansion, no external DTDs)."""
    import defusedxml

    with warnings.catch_warnings():
        # defuse_stdlib imports its deprecated cElementTree shim; the warning is about that import only.
        warnings.simplefilter("ignore", DeprecationWarning)
        defusedxml.defuse_stdlib()
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl does not use defusedxml; refusing to read workbooks")
    return openpyxl


def _xlsx_cells(data: bytes, table: Table | None) -> Cells:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Refused(Problem(FILE, "not_a_spreadsheet")) from None
    with archive:
        _check_unpacked_sizes(members)
    safe_openpyxl()
    from openpyxl.reader.excel import ExcelReader, _find_workbook_part
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    reader: Any = None
    try:
        # openpyxl's reader a step at a time (openpyxl is pinned in requirements.txt): load_workbook
        # would also read every sheet's size, the theme, the properties and external links' cached sheets.
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        _check_part(reader.archive, "[Content_Types].xml")
        reader.read_manifest()
        reader.shared_strings = _shared_strings(reader.archive, reader.package)
        _check_part(reader.archive, _find_workbook_part(reader.package).PartName[1:])
        reader.read_workbook()
        _check_part(reader.archive, "xl/styles.xml")
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [
            (sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets() if "chartsheet" not in rel.Type
        ]
        target = _sheet_for(sheets, table)
        if target is None:
            raise Refused(Problem(FILE, "not_a_spreadsheet"))
        workbook = reader.wb
        cells = WorkSheetParser(
            None,
            reader.shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        with reader.archive.open(target) as source:
            return _non_empty(_sheet_rows(source, cells))
    except Refused:
        raise
    except Exception:  # openpyxl raises many kinds of errors on a ZIP that is not a workbook, or a damaged sheet
        raise Refused(Problem(FILE, "not_a_spreadsheet")) from None
    finally:
        if reader is not None:
            reader.archive.close()


def _shared_strings(archive: zipfile.ZipFile, package: Any) -> list[str]:
    """The workbook's table of shared strings, read as openpyxl's read_string_table does, but bounded.

    openpyxl builds an object for each string (700,000 short strings: 15 s and 74 MB); this reads
    their text straight from the XML, and refuses more strings than an import's rows can hold.
    """
    from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse  # defused (safe_openpyxl)

    part = package.find(SHARED_STRINGS)
    if part is None:
        return []
    item, text, run = (f"{{{SHEET_MAIN_NS}}}{name}" for name in ("si", "t", "r"))
    strings: list[str] = []
    with archive.open(part.PartName[1:]) as source:
        root = None
        for event, element in iterparse(source, events=("start", "end")):
            if root is None:
                root = element
            if event != "end" or element.tag != item:
                continue
            # Its plain text and the text of its formatted runs; not its phonetic guide (`rPh`).
            parts = [element.findtext(text) or "", *(each.findtext(text) or "" for each in element.iterfind(run))]
            strings.append("".join(parts).replace("x005F_", ""))
            root.clear()
            if len(strings) > MAX_SHARED_STRINGS:
                raise Refused(Problem(FILE, "too_many_texts", {"limit": MAX_SHARED_STRINGS}))
    return strings


def _check_unpacked_sizes(members: Sequence[zipfile.ZipInfo]) -> None:
    """Refuse a ZIP that would unpack to more than an import can hold, before unpacking any of it."""
    unpacked = sum(member.file_size for member in members)
    bomb = any(
        member.file_size > MEGABYTE and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or bomb:
        raise Refused(_too_large(members))


def _too_large(members: Sequence[zipfile.ZipInfo]) -> Problem:
    unpacked = sum(member.file_size for member in members)
    return Problem(FILE, "workbook_too_large", {"size": _megabytes(unpacked), "limit": MAX_UNPACKED_BYTES // MEGABYTE})


def _megabytes(size: int) -> str:
    """`0.3`, `12`, `300`: a size as the message says it."""
    return f"{size / MEGABYTE:.1f}" if size < 10 * MEGABYTE else str(round(size / MEGABYTE))


def _check_part(archive: zipfile.ZipFile, name: str) -> None:
    try:
        size = archive.getinfo(name).file_size
    except KeyError:
        return  # openpyxl tells a missing part itself
    if size > MAX_PART_BYTES:
        raise Refused(Problem(FILE, "workbook_part_too_large", {"size": _megabytes(size)}))


def _sheet_for(sheets: Sequence[tuple[str, str]], table: Table | None) -> str | None:
    """The part of the sheet named for the table (`Дейности`, `activities`), else of the first sheet."""
    if table is not None:
        names = {header_key(name) for name in (*SHEET_NAMES[table].values(), table)}
        for title, target in sheets:
            if header_key(title) in names:
                return target
    return sheets[0][1] if sheets else None


def _sheet_rows(source: IO[bytes], cells: Any) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of each row of a worksheet's XML, as it streams.

    Never trusts the sheet: not its declared dimension (rows are numbered as they come, missing
    ones are not filled in), not its width (a value right of max_columns() stops reading), and
    only one cell, or one part outside the rows, is held at a time. `cells` is openpyxl's
    WorkSheetParser, for its reading of a cell (shared strings, dates, inline text).
    """
    from openpyxl.xml.functions import iterparse  # defused (safe_openpyxl)

    depth = held = number = 0
    width = max_columns()
    root: Any = None
    sheet_data: Any = None
    row: Any = None
    in_sheet_data = False
    values: dict[int, Any] = {}
    for event, element in iterparse(source, events=("start", "end")):
        name = element.tag.rpartition("}")[2]
        if event == "start":
            depth += 1
            held += 1
            if held > MAX_HELD_ELEMENTS:
                raise Refused(Problem(FILE, "not_a_spreadsheet"))
            if depth == 1:
                root = element
            elif depth == 2 and name == "sheetData":
                sheet_data, in_sheet_data = element, True
            elif depth == 3 and in_sheet_data and name == "row":
                row, values = element, {}
                number = _row_number(element.get("r"), number)
                cells.row_counter, cells.col_counter = number, 0
            continue
        depth -= 1
        if depth == 3 and row is not None and name == "c":
            cell = cells.parse_cell(element)
            value = _xlsx_value(cell["value"])
            if value != "":
                _check_cell(value, number, cell["column"] - 1, width)
                values[cell["column"] - 1] = value
            row.clear()  # the cell is read: let it go
            held = 0
        elif depth == 2 and row is not None and name == "row":
            if values:
                line = [""] * (max(values) + 1)
                for index, value in values.items():
                    line[index] = value
                yield number, line
            row = None
            sheet_data.clear()  # the row is read: let it go
            held = 0
        elif depth == 1:
            in_sheet_data = False
            root.clear()
            held = 0


def _row_number(written: str | None, previous: int) -> int:
    if written is None:
        return previous + 1
    if not written.isascii() or not written.isdigit() or not 0 < int(written) <= 1_048_576:
        raise Refused(Problem(FILE, "not_a_spreadsheet"))
    return int(written)


def _non_empty(rows: Iterable[tuple[int, list[Any]]]) -> Cells:
    cells: Cells = []
    for number, values in rows:
        if any(value != "" for value in values):
            cells.append((number, values))
            if len(cells) > MAX_ROWS + 1:
                break
    return cells


def _xlsx_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime) and value.time() == time():
        return value.date()
    if isinstance(value, (int, float, date, datetime)):
        return value
    return str(value)


# ---- header and rows ----------------------------------------------------------------------------


def _recognise(header: Sequence[Any]) -> Table | None:
    keys = {header_key(cell) for cell in header}
    found = [
        table
        for table in TABLES
        if all(header_key(c.bg) in keys or header_key(c.en) in keys for c in COLUMNS[table] if c.required)
    ]
    return found[0] if len(found) == 1 else None


def _match_header(header: Sequence[Any], columns: Sequence[Column], row: int) -> tuple[list[str | None], list[Problem]]:
    """The field of each header cell, and the unknown, repeated and missing columns.

    A blank header cell gives None (a value under it is a problem in its row); an unknown or
    repeated one gives "" (reported once, here, and its values left out).
    """
    by_key = {header_key(name): column for column in columns for name in (column.bg, column.en, column.field)}
    fields: list[str | None] = []
    problems: list[Problem] = []
    for cell in header:
        text = str(cell).strip()
        column = by_key.get(header_key(text))
        if not text:
            fields.append(None)
        elif column is None:
            problems.append(Problem(FILE, "unknown_column", {"value": _shorten(text)}, row))
            fields.append("")
        elif column.field in fields:
            problems.append(Problem(column.field, "duplicate_column", {"value": _shorten(text)}, row))
            fields.append("")
        else:
            fields.append(column.field)
    for column in columns:
        if column.required and column.field not in fields:
            problems.append(Problem(column.field, "missing_column", {"bg": column.bg, "en": column.en}, row))
    return fields, problems


def _row(fields: Sequence[str | None], values: Sequence[Any], number: int) -> tuple[dict[str, Any], list[Problem]]:
    row: dict[str, Any] = {"_row": number}
    problems = []
    for index, value in enumerate(values):
        field = fields[index] if index < len(fields) else None
        if field:
            row[field] = value
        elif field is None and value != "":
            problems.append(
                Problem(FILE, "extra_cell", {"value": _shorten(value), "column": column_letter(index)}, number)
            )
    return row, problems


def column_letter(index: int) -> str:
    """`A` for the first column (index 0), `AA` for the 27th, as Excel names them."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _shorten(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- mojibake -----------------------------------------------------------------------------------


def _first_mojibake(cells: Cells) -> Problem | None:
    """The first cell whose text is UTF-8 that was once read in the wrong encoding and saved (`РљСЂ…`, `Ð`)."""
    for number, values in cells:
        for value in values:
            if isinstance(value, str):
                run = mojibake_in(value)
                if run:
                    return Problem(FILE, "mojibake", {"value": _shorten(run)}, number)
    return None


def mojibake_in(text: str) -> str | None:
    """The first run of `text` that is UTF-8 bytes shown as Windows-1251 or -1252 characters, if any.

    Genuine Bulgarian never passes: its letters are all bytes 0xC0–0xFF in Windows-1251,
    and two such bytes in a row are never valid UTF-8.
    """
    for match in _NON_ASCII_RUN.finditer(text):
        run = match.group()
        if _CYRILLIC_LETTERS.fullmatch(run):
            continue  # a plain Bulgarian word, most runs of a Bulgarian file: no need to try re-encoding it
        for encoding, letters_needed in (("cp1251", 2), ("cp1252", 1)):
            try:
                original = run.encode(encoding).decode("utf-8")
            except UnicodeError:
                continue
            if sum(1 for ch in original if ch.isalpha() and not ch.isascii()) >= letters_needed:
                return run
    return None
