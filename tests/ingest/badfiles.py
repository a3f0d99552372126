"""Generators of messy and broken input files for ingest tests.

Each ``write_*`` function takes a folder, writes one file into it and returns its path, so
tests can build exactly the awkward file they need in ``tmp_path``. ``*_bytes`` functions
return the content only. Nothing here reads the real-data folder.

Two binary formats are built by hand because no library here writes them:
``ole_compound_file`` (the OLE/CFB container of legacy .xls files and of password-protected
Office files) and ``biff8_workbook_stream`` (the legacy .xls "Workbook" stream).
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl

Cell = str | int | float | bool | None

# --------------------------------------------------------------------------------------
# Workbooks written with openpyxl
# --------------------------------------------------------------------------------------


def write_xlsx(
    folder: Path,
    name: str,
    sheets: dict[str, Sequence[Sequence[Any]]],
    hidden: Iterable[str] = (),
    cells: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """A workbook with one sheet per ``sheets`` entry (rows appended from A1).

    ``cells`` places single values at addresses (``{"Data": {"C5": 3}}``) after the rows.
    ``hidden`` names sheets to hide. An empty row list leaves the sheet empty.
    """
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    hidden = set(hidden)
    for sheet_name, rows in sheets.items():
        ws = wb.create_sheet(sheet_name)
        for row in rows:
            ws.append(list(row))
        for address, value in (cells or {}).get(sheet_name, {}).items():
            ws[address] = value
        if sheet_name in hidden:
            ws.sheet_state = "hidden"
    path = folder / name
    wb.save(path)
    return path


def write_xlsm(folder: Path, name: str = "survey.xlsm") -> Path:
    """A macro-enabled workbook: an xlsx package with the macro content type (no VBA)."""
    plain = write_xlsx(folder, "plain_for_xlsm.xlsx", {"Data": [["id", "nps"], [1, 9], [2, 6]]})
    source = zipfile.ZipFile(plain)
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            out.writestr(item, content)
    source.close()
    plain.unlink()
    return path


def write_empty_workbook(folder: Path, name: str = "empty.xlsx") -> Path:
    """A workbook whose every sheet is empty."""
    return write_xlsx(folder, name, {"Sheet1": [], "Sheet2": []})


def write_truncated_xlsx(folder: Path, name: str = "cut.xlsx", keep: float = 0.5) -> Path:
    """A real workbook cut short, like an interrupted download."""
    full = write_xlsx(
        folder, "full_" + name, {"Data": [["id", "comment"]] + [[i, "x" * 40] for i in range(300)]}
    )
    content = full.read_bytes()
    full.unlink()
    path = folder / name
    path.write_bytes(content[: int(len(content) * keep)])
    return path


def write_corrupt_xlsx(folder: Path, name: str = "corrupt.xlsx") -> Path:
    """A ZIP that names itself an xlsx workbook but whose XML is garbage."""
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "this is not xml <<<")
        archive.writestr("xl/worksheets/sheet1.xml", "\x00\x01 broken")
    return path


# --------------------------------------------------------------------------------------
# Files that are not spreadsheets
# --------------------------------------------------------------------------------------

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32


def write_bytes(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def write_pdf(folder: Path, name: str = "report.xlsx") -> Path:
    """A PDF document wearing a spreadsheet name."""
    return write_bytes(folder, name, PDF_BYTES)


def write_png(folder: Path, name: str = "chart.csv") -> Path:
    return write_bytes(folder, name, PNG_BYTES)


def write_zip(
    folder: Path, name: str = "export.xlsx", members: dict[str, str] | None = None
) -> Path:
    """A ZIP archive that is not a workbook (by default: two CSV files inside)."""
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in (members or {"a.csv": "id\n1\n", "b.csv": "id\n2\n"}).items():
            archive.writestr(member, text)
    return path


def write_docx(folder: Path, name: str = "notes.docx") -> Path:
    """The skeleton of a Word document (what matters to sniffing is the package layout)."""
    return write_zip(
        folder,
        name,
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document><w:body><w:p>Hello</w:p></w:body></w:document>",
        },
    )


def write_binary_garbage(folder: Path, name: str = "data.bin") -> Path:
    return write_bytes(folder, name, bytes(range(256)) * 8)


# --------------------------------------------------------------------------------------
# OLE compound files (legacy .xls and encrypted Office files)
# --------------------------------------------------------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_FATSECT = 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF
_SECTOR = 512
_MINI_CUTOFF = 4096


def ole_compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal version-3 compound file holding ``streams`` in its root storage.

    Streams shorter than the 4096-byte mini-stream cutoff are padded with zeros so every
    stream lives in regular sectors (no mini FAT needed). One FAT sector: up to ~60 KB.
    """
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    payloads = [streams[n].ljust(_MINI_CUTOFF, b"\x00") for n in names]
    stream_sectors = [-(-len(p) // _SECTOR) for p in payloads]
    dir_sectors = -(-(len(names) + 1) // 4)
    total = 1 + dir_sectors + sum(stream_sectors)
    if total > _SECTOR // 4:
        raise ValueError("ole_compound_file supports up to about 60 KB of streams")

    fat = [_FREESECT] * (_SECTOR // 4)
    fat[0] = _FATSECT
    _chain(fat, 1, dir_sectors)
    starts = []
    next_sector = 1 + dir_sectors
    for count in stream_sectors:
        starts.append(next_sector)
        _chain(fat, next_sector, count)
        next_sector += count

    entries = [
        _dir_entry("Root Entry", 5, child=1 if names else _NOSTREAM, start=_ENDOFCHAIN, size=0)
    ]
    for i, (name, payload, start) in enumerate(zip(names, payloads, starts, strict=True)):
        right = i + 2 if i + 1 < len(names) else _NOSTREAM
        entries.append(_dir_entry(name, 2, right=right, start=start, size=len(payload)))
    while len(entries) % 4:
        entries.append(_dir_entry("", 0, start=0, size=0))

    header = _ole_header(first_dir_sector=1)
    body = struct.pack("<128I", *fat) + b"".join(entries)
    for payload, count in zip(payloads, stream_sectors, strict=True):
        body += payload.ljust(count * _SECTOR, b"\x00")
    return header + body


def _chain(fat: list[int], first: int, count: int) -> None:
    for k in range(count):
        fat[first + k] = first + k + 1 if k + 1 < count else _ENDOFCHAIN


def _ole_header(first_dir_sector: int) -> bytes:
    difat = [0] + [_FREESECT] * 108
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack(
            "<IIIIIIIII", 0, 1, first_dir_sector, 0, _MINI_CUTOFF, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0
        )
        + struct.pack("<109I", *difat)
    )


def _dir_entry(
    name: str,
    kind: int,
    *,
    left: int = _NOSTREAM,
    right: int = _NOSTREAM,
    child: int = _NOSTREAM,
    start: int,
    size: int,
) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", left, right, child)
        + b"\x00" * 16  # CLSID
        + struct.pack("<I", 0)  # state bits
        + b"\x00" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def encrypted_xlsx_bytes() -> bytes:
    """What Excel writes for a password-protected workbook: an OLE file whose data sits in an
    ``EncryptedPackage`` stream (the cipher text here is random-looking filler)."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<?xml version='1.0'?><encryption/>"
    package = struct.pack("<Q", 5000) + bytes((i * 73 + 11) % 256 for i in range(5000))
    return ole_compound_file({"EncryptionInfo": info, "EncryptedPackage": package})


def write_encrypted_xlsx(folder: Path, name: str = "locked.xlsx") -> Path:
    return write_bytes(folder, name, encrypted_xlsx_bytes())


def write_word97_doc(folder: Path, name: str = "letter.xls") -> Path:
    """A legacy Word document (OLE with a WordDocument stream) named as a workbook."""
    return write_bytes(
        folder, name, ole_compound_file({"WordDocument": b"\xec\xa5" + b"\x00" * 100})
    )


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(sheet_type: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, sheet_type, 0x0DBB, 0x07CC, 0, 6))


def _xl_unicode_string(text: str, length_bytes: int) -> bytes:
    length = struct.pack("<B" if length_bytes == 1 else "<H", len(text))
    return length + b"\x01" + text.encode("utf-16-le")


def biff8_workbook_stream(
    sheets: dict[str, Sequence[Sequence[Cell]]], hidden: Iterable[str] = ()
) -> bytes:
    """A legacy Excel 97-2003 ``Workbook`` stream: text via the shared-string table,
    numbers as NUMBER records, booleans as BOOLERR records, None as no record."""
    strings: list[str] = []
    index: dict[str, int] = {}
    for rows in sheets.values():
        for row in rows:
            for value in row:
                if isinstance(value, str) and value not in index:
                    index[value] = len(strings)
                    strings.append(value)
    sheet_streams = [_biff8_sheet(rows, index) for rows in sheets.values()]

    hidden = set(hidden)
    sst_total = sum(
        1 for rows in sheets.values() for row in rows for v in row if isinstance(v, str)
    )
    sst = struct.pack("<II", sst_total, len(strings)) + b"".join(
        _xl_unicode_string(s, 2) for s in strings
    )
    if len(sst) > 8224:
        raise ValueError("biff8_workbook_stream keeps the string table in one record (< 8 KB)")

    def globals_part(offsets: list[int]) -> bytes:
        boundsheets = b"".join(
            _record(
                0x0085,
                struct.pack("<IBB", offset, 1 if name in hidden else 0, 0)
                + _xl_unicode_string(name, 1),
            )
            for name, offset in zip(sheets, offsets, strict=True)
        )
        return (
            _bof(0x0005)
            + _record(0x0042, struct.pack("<H", 1200))
            + boundsheets
            + _record(0x00FC, sst)
            + _record(0x000A, b"")
        )

    size = len(globals_part([0] * len(sheets)))
    offsets = []
    for stream in sheet_streams:
        offsets.append(size)
        size += len(stream)
    return globals_part(offsets) + b"".join(sheet_streams)


def _biff8_sheet(rows: Sequence[Sequence[Cell]], index: dict[str, int]) -> bytes:
    width = max((len(r) for r in rows), default=0)
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                cells += _record(0x0205, struct.pack("<HHHBB", r, c, 0, int(value), 0))
            elif isinstance(value, int | float):
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
            else:
                cells += _record(0x00FD, struct.pack("<HHHI", r, c, 0, index[value]))
    dims = _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    return _bof(0x0010) + dims + cells + _record(0x000A, b"")


def write_xls(
    folder: Path,
    name: str,
    sheets: dict[str, Sequence[Sequence[Cell]]],
    hidden: Iterable[str] = (),
) -> Path:
    """A legacy .xls workbook (BIFF8 inside an OLE compound file)."""
    return write_bytes(
        folder, name, ole_compound_file({"Workbook": biff8_workbook_stream(sheets, hidden)})
    )


# --------------------------------------------------------------------------------------
# Text files
# --------------------------------------------------------------------------------------


def csv_text(rows: Sequence[Sequence[str]], delimiter: str = ",", line_end: str = "\n") -> str:
    """Rows joined with minimal quoting (quotes only where a cell needs them)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    return buffer.getvalue()


def write_text(
    folder: Path, name: str, text: str, encoding: str = "utf-8", bom: bool = False
) -> Path:
    """Text in ``encoding``; ``bom`` prefixes the byte-order mark of UTF-8/UTF-16."""
    content = text.encode(encoding)
    if bom:
        content = {
            "utf-8": b"\xef\xbb\xbf",
            "utf-16-le": b"\xff\xfe",
            "utf-16-be": b"\xfe\xff",
        }[encoding] + content
    return write_bytes(folder, name, content)


def write_unicode_text(folder: Path, name: str, rows: Sequence[Sequence[str]]) -> Path:
    """Excel's "Unicode Text" export: UTF-16LE with BOM, tab-separated, CRLF."""
    return write_text(folder, name, csv_text(rows, "\t", "\r\n"), "utf-16-le", bom=True)


def write_cut_off_csv(folder: Path, name: str = "cut.csv", rows: int = 20) -> Path:
    """A CSV whose last record stops in the middle (no final line break, fewer cells)."""
    lines = ["id,stage,nps,comment"] + [f"{i},Purchase,{i % 11},fine" for i in range(1, rows + 1)]
    return write_text(folder, name, "\n".join(lines) + f"\n{rows + 1},Deliv")


def write_html_table(folder: Path, name: str = "export.xls") -> Path:
    """What some web tools call an Excel export: an HTML page with a table."""
    html = "<html><body><table><tr><td>id</td><td>nps</td></tr><tr><td>1</td><td>9</td></tr></table></body></html>"
    return write_text(folder, name, html)


def write_spreadsheet_2003_xml(folder: Path, name: str = "legacy.xls") -> Path:
    """Excel 2003 "XML Spreadsheet", which some tools still export under an .xls name."""
    xml = (
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="Data"><Table><Row><Cell><Data ss:Type="String">id</Data></Cell>'
        "</Row></Table></Worksheet></Workbook>"
    )
    return write_text(folder, name, xml)
