"""Hostile spreadsheets and odd office files, built here rather than kept as binaries.

Each builder returns the bytes of one file as an attacker or a bad day would make it. The
workbooks are written as raw XML in a ZIP, so that what they declare (a dimension, a size)
can differ from what they hold, which Excel and openpyxl would never write.
"""

from __future__ import annotations

import codecs
import functools
import io
import struct
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Партньори" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
PARTNER_HEADER = ("Име", "Вид", "Град")


def column_name(number: int) -> str:
    """`A` for column 1, `XFD` for column 16,384."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cell(reference: str, value: str | None) -> str:
    if value is None:  # a formatted cell with nothing in it, as Excel leaves after "format the whole row"
        return f'<c r="{reference}" s="0"/>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def row(number: int, cells: Iterable[str]) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def workbook(rows: Iterable[str], *, dimension: str = "A1:C3", extra: dict[str, bytes] | None = None) -> bytes:
    """An .xlsx with one sheet `Партньори` of these `<row>` elements and the declared `dimension`."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{"".join(rows)}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def header_row() -> str:
    return row(1, (cell(f"{column_name(n)}1", text) for n, text in enumerate(PARTNER_HEADER, start=1)))


def partner_row(number: int, *, far: int | None = None, far_value: str | None = "x") -> str:
    cells = [
        cell(f"A{number}", f"Сдружение {number}"),
        cell(f"B{number}", "сдружение"),
        cell(f"C{number}", "Кюстендил"),
    ]
    if far is not None:
        cells.append(cell(f"{column_name(far)}{number}", far_value))
    return row(number, cells)


@functools.cache  # built once for every test that sends it
def xfd_wide(rows: int = 5_000, *, far_value: str | None = "x") -> bytes:
    """Partners whose every row also has a cell in column XFD, the last Excel has (42 KB; rows 16,384 wide)."""
    body = (partner_row(n, far=16_384, far_value=far_value) for n in range(2, rows + 2))
    return workbook([header_row(), *body], dimension=f"A1:XFD{rows + 1}")


def million_rows_declared() -> bytes:
    """Three real rows in a sheet that declares 1,048,576 rows and 16,384 columns."""
    return workbook([header_row(), partner_row(2), partner_row(3)], dimension="A1:XFD1048576")


def last_row_of_the_sheet() -> bytes:
    """A header, one partner, and one more in row 1,048,576, Excel's last."""
    return workbook([header_row(), partner_row(2), partner_row(1_048_576)], dimension="A1:C1048576")


@functools.cache  # deflating 200 MB takes seconds: once is enough
def zip_bomb(unpacked_megabytes: int = 200) -> bytes:
    """A workbook whose sheet is 200 MB of XML in a ZIP of 200 KB (deflate's best, ~1000:1)."""
    filler = b" " * (unpacked_megabytes * 1024 * 1024)  # whitespace between elements: valid XML
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main">' + filler + b"<sheetData/></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def lying_zip_bomb() -> bytes:
    """A small bomb whose central directory declares each member a few bytes long: the ZIP must not be believed."""
    data = bytearray(zip_bomb(20))
    # Rewrite the declared uncompressed size (offset 24 in each central directory record) to 100 bytes.
    position = data.find(b"PK\x01\x02")
    while position != -1:
        data[position + 24 : position + 28] = struct.pack("<I", 100)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def styles_bomb(count: int = 200_000) -> bytes:
    """A workbook whose styles.xml declares 200,000 cell formats: openpyxl builds an object for each."""
    xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * count
    styles = (
        '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        f'<cellXfs count="{count}">{xfs}</cellXfs></styleSheet>'
    ).encode()
    rels = _WORKBOOK_RELS.replace(
        "</Relationships>",
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'styles" Target="styles.xml"/></Relationships>',
    )
    data = workbook([header_row(), partner_row(2)], extra={"xl/styles.xml": styles})
    return _replace_member(data, "xl/_rels/workbook.xml.rels", rels.encode())


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, content if member.filename == name else source.read(member))
    return buffer.getvalue()


def compound_file(stream_names: Iterable[str]) -> bytes:
    """The start of an OLE compound file (what .xls and password-protected .xlsx are) naming these streams.

    Enough of the format for what the import looks at: the signature, then directory entries whose
    names are UTF-16 (the encrypted workbook's `EncryptionInfo` and `EncryptedPackage`, an .xls's `Workbook`).
    """
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    header = header.ljust(512, b"\x00")
    entries = b""
    for name in ("Root Entry", *stream_names):
        encoded = (name + "\x00").encode("utf-16-le")
        entries += (encoded.ljust(64, b"\x00") + struct.pack("<H", len(encoded))).ljust(128, b"\x00")
    return header + entries.ljust(4096, b"\x00")


def password_protected_xlsx() -> bytes:
    return compound_file(["\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"])


def old_xls() -> bytes:
    return compound_file(["Workbook", "\x05SummaryInformation"])


CSV_HEADER = "Име;Вид;Град\r\n"
CSV_ROW = "Сдружение „Ларго“;сдружение;Кюстендил\r\n"


def utf16_csv() -> bytes:
    """Excel's "Unicode text": UTF-16 with a BOM (here with `;`, as some offices then rename it .csv)."""
    return (CSV_HEADER + CSV_ROW).encode("utf-16")


def cp1251_csv() -> bytes:
    return (CSV_HEADER + CSV_ROW).encode("cp1251")


def nul_byte_csv() -> bytes:
    return (CSV_HEADER + "Сдружение\x00„Ларго“;сдружение;Кюстендил\r\n").encode()


def mixed_line_endings_csv() -> bytes:
    """Rows ended by CRLF, LF and a lone CR, as files pasted together from Windows, Linux and old Mac."""
    return (
        "Име;Вид;Град\r\n"
        "Сдружение „Ларго“;сдружение;Кюстендил\n"
        "Фондация „Амалипе“;сдружение;Велико Търново\r"
        "Читалище „Братство“;друго;Кюстендил\r\n"
    ).encode()


def wide_csv_header(columns: int = 10_000) -> bytes:
    header = ";".join(["Име", "Вид", "Град", *(f"колона {n}" for n in range(columns - 3))])
    return (header + "\r\n" + CSV_ROW).encode()


def long_cell_csv(length: int = 900_000) -> bytes:
    return (CSV_HEADER + f"Сдружение;сдружение;{'К' * length}\r\n").encode()


def utf8_bom() -> bytes:
    return codecs.BOM_UTF8


def xfd_formatted(rows: int = 5_000) -> bytes:
    """The same rows with nothing in column XFD but its formatting, as "format the whole row" leaves it."""
    return xfd_wide(rows, far_value=None)


@functools.cache
def many_shared_strings(count: int = 700_000) -> bytes:
    """As many short shared strings as fit under the bounds: the most a workbook makes openpyxl hold at once."""
    strings = "".join(f"<si><t>{n}</t></si>" for n in range(count)).encode()
    table = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main">' + strings + b"</sst>"
    )
    types = _CONTENT_TYPES.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    data = workbook([header_row(), partner_row(2)], extra={"xl/sharedStrings.xml": table})
    return _replace_member(data, "[Content_Types].xml", types.encode())


def many_empty_rows(count: int = 400_000) -> bytes:
    """Formatted empty rows down the sheet, then one partner: rows are numbered as they come, none made up."""
    body = "".join(f'<row r="{n}" s="1" customFormat="1" ht="15"/>' for n in range(3, count + 3))
    return workbook([header_row(), partner_row(2), body, partner_row(count + 3)], dimension=f"A1:C{count + 3}")


def cell_of_many_runs(runs: int = 20_000) -> bytes:
    """One cell of 20,000 formatted runs of text: parts an XML reader would hold all at once."""
    text = "".join(f"<r><t>{n}</t></r>" for n in range(runs))
    return workbook([header_row(), row(2, [f'<c r="A2" t="inlineStr"><is>{text}</is></c>'])])


def unclosed_quote_csv(rows: int = 650) -> bytes:
    """A quotation mark opened in row 2 and closed only at the end: the rest of the file is one cell."""
    body = "Сдружение;сдружение;Кюстендил\r\n" * rows
    return (CSV_HEADER + '"Ларго;сдружение;Кюстендил\r\n' + body + '"\r\n').encode()
