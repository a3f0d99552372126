"""What a file really is, and its raw cells.

``read_file`` looks at the *content* (magic bytes) first and the extension second, then
returns a :class:`~cxdash.ingest.model.RawWorkbook` with every sheet's cells exactly as
read: no header interpretation, no number or date parsing of text.

Workbooks (xlsx, xlsm, xlsb, xls, ods) are read with python-calamine. Text files (csv, tsv,
txt) are decoded (BOM, then strict UTF-8, then a guess between Windows-1252, GB18030 and
Big5 with charset-normalizer), their delimiter is sniffed (comma, semicolon, tab, pipe),
and they are parsed with the pandas C parser, falling back to the ``csv`` module for
ragged or broken input.

Row numbers: ``RawSheet.first_row + i`` is the number a user sees. For workbooks that is the
Excel row (every row from row 1 is kept, blank rows included; only trailing empty rows and
columns are dropped). For text files row ``i`` is the ``i``-th record (blank lines count as
records), so ``first_row + i`` is the row Excel shows when it opens the CSV, and also the line
in a text editor unless a quoted cell above holds a line break (then it is the record number,
not the starting line). ``first_row`` is 2 when an Excel ``sep=;`` line precedes the data.

Anything that cannot be read raises :class:`~cxdash.errors.ImportRejected` with a plain
sentence naming the file; no library exception escapes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxdash.errors import ImportRejected
from cxdash.ingest.model import RawSheet, RawWorkbook

__all__ = ["decode_text", "detect_kind", "read_file", "sniff_delimiter"]

EXPORT_HINT = "Export the data from your survey tool as .xlsx or .csv."

WORKBOOK_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".ods"})
TEXT_EXTENSIONS = frozenset({".csv", ".tsv", ".txt", ".tab", ".psv", ".dat", ""})
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Content that is certainly not a spreadsheet: magic prefix -> what it looks like.
_BINARY_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a compressed (gzip) archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"SQLite format 3\x00", "a database file"),
)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


# Stream names in an OLE compound file's directory (UTF-16LE).
_OLE_ENCRYPTED = _utf16("EncryptedPackage")
_OLE_WORKBOOK = (_utf16("Workbook"), _utf16("Book"))
_OLE_OTHERS: tuple[tuple[bytes, str], ...] = (
    (_utf16("WordDocument"), "a Word document"),
    (_utf16("PowerPoint Document"), "a PowerPoint presentation"),
    (_utf16("__substg1.0_"), "an Outlook message"),
)

# Sample sizes for sniffing.
_ENCODING_SAMPLE_BYTES = 256 * 1024
_DELIMITER_SAMPLE_CHARS = 64 * 1024
_DELIMITER_SAMPLE_LINES = 200

# Legacy code pages tried (in this order of preference) when a file is not UTF-8.
_LEGACY_ENCODINGS: tuple[str, ...] = ("cp1252", "gb18030", "big5")
_ENCODING_LABELS = {
    "cp1252": "Windows-1252 (Western European)",
    "gb18030": "GB18030 (Simplified Chinese)",
    "big5": "Big5 (Traditional Chinese)",
}


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def read_file(source: str | os.PathLike[str] | bytes, file_name: str | None = None) -> RawWorkbook:
    """Read a spreadsheet or delimited text file into raw sheets.

    ``source`` is a path or the file's bytes (uploads); ``file_name`` is the name the user
    gave (used in messages and for the extension hint). Raises ``ImportRejected`` with a
    sentence naming the file when the file cannot be read.
    """
    data, name = _load_source(source, file_name)
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        raise ImportRejected(f"{name} is empty (0 bytes). {EXPORT_HINT}")
    try:
        kind = detect_kind(data, name)
        if kind == "text":
            return _read_text_file(data, name, digest)
        return _read_workbook_file(data, name, digest, kind)
    except ImportRejected:
        raise
    except MemoryError as err:
        raise ImportRejected(f"{name} is too large to read on this computer.") from err
    except Exception as err:  # last line of defence: no library exception reaches the user
        raise ImportRejected(
            f"{name} could not be read: its content is not laid out the way a spreadsheet or "
            f"CSV file should be. {EXPORT_HINT}"
        ) from err


# --------------------------------------------------------------------------------------
# Source and type detection
# --------------------------------------------------------------------------------------


def _load_source(
    source: str | os.PathLike[str] | bytes, file_name: str | None
) -> tuple[bytes, str]:
    """Return the file's bytes and the name to show the user."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), file_name or "The uploaded file"
    path = Path(source)
    name = file_name or path.name
    try:
        return path.read_bytes(), name
    except FileNotFoundError as err:
        raise ImportRejected(f"{name} could not be found.") from err
    except IsADirectoryError as err:
        raise ImportRejected(f"{name} is a folder, not a file. {EXPORT_HINT}") from err
    except OSError as err:
        raise ImportRejected(
            f"{name} could not be opened: {err.strerror or 'read error'}."
        ) from err


def _extension(name: str) -> str:
    return Path(name).suffix.lower()


def detect_kind(data: bytes, name: str) -> str:
    """Decide what the bytes are: "xlsx", "xlsb", "ods", "xls" or "text".

    Content decides; the extension is only used for the wording of messages. Raises
    ``ImportRejected`` for content that is not a readable spreadsheet.
    """
    ext = _extension(name)
    for magic, what in _BINARY_MAGICS:
        if data.startswith(magic):
            raise _not_a_spreadsheet(name, what)
    if data.startswith(_ZIP_MAGICS):
        return _zip_kind(data, name)
    if data.startswith(_OLE_MAGIC):
        return _ole_kind(data, name)
    if ext in WORKBOOK_EXTENSIONS and not _looks_like_text(data):
        raise ImportRejected(
            f"{name} is damaged or is not a real {ext} workbook, so it cannot be read. Open it "
            "in Excel and save a copy as .xlsx, or export the data again as .xlsx or .csv."
        )
    if not _looks_like_text(data):
        raise _not_a_spreadsheet(name, "a file type cxdash cannot read")
    return "text"


def _not_a_spreadsheet(name: str, what: str) -> ImportRejected:
    return ImportRejected(f"{name} is not a spreadsheet: it looks like {what}. {EXPORT_HINT}")


def _damaged(name: str) -> ImportRejected:
    return ImportRejected(
        f"{name} is damaged or incomplete, so it cannot be read (it may not have finished "
        "downloading). Download or export it again, or open it in Excel and save a copy."
    )


def _password_protected(name: str) -> ImportRejected:
    return ImportRejected(
        f"{name} is protected with a password; open it in Excel, remove the password "
        "(File > Info > Protect Workbook) and save a copy, then import that copy."
    )


def _zip_kind(data: bytes, name: str) -> str:
    """Tell an Office Open XML / OpenDocument workbook from other ZIP files."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except Exception as err:  # BadZipFile, zlib.error, EOFError, NotImplementedError, ...
        raise _damaged(name) from err
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if any(n.startswith("word/") for n in names):
        raise _not_a_spreadsheet(name, "a Word document")
    if any(n.startswith("ppt/") for n in names):
        raise _not_a_spreadsheet(name, "a PowerPoint presentation")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise _not_a_spreadsheet(name, "an OpenDocument file that is not a spreadsheet")
    raise _not_a_spreadsheet(name, "a ZIP archive")


def _ole_kind(data: bytes, name: str) -> str:
    """Tell a legacy .xls from an encrypted workbook or another OLE compound file.

    An Office file saved with a password is an OLE file holding an ``EncryptedPackage``
    stream (xlsx) whatever its extension; stream names are stored in UTF-16LE.
    """
    if _OLE_ENCRYPTED in data:
        raise _password_protected(name)
    if any(stream in data for stream in _OLE_WORKBOOK):
        return "xls"
    for stream, what in _OLE_OTHERS:
        if stream in data:
            raise _not_a_spreadsheet(name, what)
    if len(data) < 1536:  # header + FAT + directory sectors: anything shorter is cut off
        raise _damaged(name)
    raise _not_a_spreadsheet(name, "an Office file that is not a workbook")


def _looks_like_text(data: bytes) -> bool:
    """True when the start of the data is text in some encoding (not binary)."""
    sample = data[:8192]
    if sample.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if _utf16_without_bom(sample):
        return True
    # A stray NUL or control byte happens in real exports; binary files are full of them.
    controls = sum(sample.count(bytes([c])) for c in range(32) if c not in (9, 10, 12, 13))
    return controls <= max(2, len(sample) * 0.01)


def _utf16_without_bom(sample: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when the sample is UTF-16 of mostly ASCII text."""
    head = sample[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    even_nul = even.count(0) / len(even)
    odd_nul = odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


# --------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------


def _read_workbook_file(data: bytes, name: str, digest: str, kind: str) -> RawWorkbook:
    sheets, warnings = _read_workbook_sheets(data, name)
    if not any(len(s.data) for s in sheets):
        raise ImportRejected(f"{name} has no data: every sheet in it is empty.")
    ext = _extension(name)
    if ext in TEXT_EXTENSIONS - {""}:
        warnings.insert(
            0, f"{name} is really an Excel workbook, not a text file; it was read as one."
        )
    return RawWorkbook(
        file_name=name, sha256=digest, file_type=kind, sheets=sheets, warnings=warnings
    )


def _read_workbook_sheets(data: bytes, name: str) -> tuple[list[RawSheet], list[str]]:
    """Every sheet, in workbook order, as raw cells. Library errors become ImportRejected."""
    import python_calamine as pc

    warnings: list[str] = []
    sheets: list[RawSheet] = []
    try:
        workbook = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError as err:
        raise _password_protected(name) from err
    except Exception as err:  # calamine raises CalamineError, ValueError, OSError, ...
        raise _damaged(name) from err
    with workbook:
        for sheet_name in workbook.sheet_names:
            try:
                rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            except pc.PasswordError as err:
                raise _password_protected(name) from err
            except Exception:  # one unreadable sheet must not sink the file; keep its place
                warnings.append(
                    f"The sheet '{sheet_name}' could not be read; it is treated as empty."
                )
                rows = []
            sheets.append(RawSheet(name=sheet_name, data=_frame_from_rows(rows)))
    return sheets, warnings


def _frame_from_rows(rows: list[list[Any]]) -> pd.DataFrame:
    """Cells as an object DataFrame: "" -> None, trailing empty rows/columns dropped."""
    if not rows:
        return _empty_frame()
    cells = np.array(rows, dtype=object)
    if cells.ndim != 2:  # rows of different lengths (or of lists): pad them to one width
        width = max(len(r) for r in rows)
        cells = np.empty((len(rows), width), dtype=object)
        cells[:] = [[*r, *([None] * (width - len(r)))] for r in rows]
    return _tidy_cells(cells)


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame(np.empty((0, 0), dtype=object))


def _tidy_cells(cells: np.ndarray) -> pd.DataFrame:
    """Blank strings and NaN become None; fully empty trailing rows and columns go."""
    if cells.size == 0:
        return _empty_frame()
    empty = pd.isna(cells) | (cells == "")
    cells[empty] = None
    filled = ~empty
    rows_used = np.flatnonzero(filled.any(axis=1))
    cols_used = np.flatnonzero(filled.any(axis=0))
    if rows_used.size == 0:
        return _empty_frame()
    cells = cells[: rows_used[-1] + 1, : cols_used[-1] + 1]
    return pd.DataFrame(cells, dtype=object)


# --------------------------------------------------------------------------------------
# Text files
# --------------------------------------------------------------------------------------


def _read_text_file(data: bytes, name: str, digest: str) -> RawWorkbook:
    text, encoding, warnings = decode_text(data, name)
    _reject_known_text_formats(text, name)
    sep_hint, text = _strip_sep_line(text)
    first_row = 2 if sep_hint else 1
    if not text.strip():
        raise ImportRejected(f"{name} has no data: it contains only blank lines.")
    ext = _extension(name)
    delimiter = sep_hint or sniff_delimiter(text, ext)
    if ext not in TEXT_EXTENSIONS:
        if delimiter is None:
            raise _not_a_spreadsheet(name, f"a {ext} file holding plain text, not a table")
        warnings.insert(
            0,
            f"{name} is really a delimited text (CSV) file, not a {ext} file; it was read as one.",
        )
    delimiter = delimiter or ","
    cells = _parse_delimited(text, delimiter)
    cut_line = _cut_off_last_line(text, delimiter, cells.shape[1])
    if cut_line is not None:
        warnings.append(
            f"The last line looks cut off: the row starting on line {first_row - 1 + cut_line} "
            "stops part-way and the file does not end with a line break, so the export may be "
            "incomplete."
        )
    frame = _tidy_cells(cells)
    if frame.empty:
        raise ImportRejected(f"{name} has no data: it contains only blank lines.")
    sheet = RawSheet(
        name=Path(name).stem or "data",
        data=frame,
        first_row=first_row,
        cut_off=cut_line is not None,
    )
    return RawWorkbook(
        file_name=name,
        sha256=digest,
        file_type="csv",
        sheets=[sheet],
        encoding=encoding,
        delimiter=delimiter,
        warnings=warnings,
    )


def decode_text(data: bytes, name: str = "The file") -> tuple[str, str, list[str]]:
    """Decode text bytes: BOM, then strict UTF-8, then a legacy code page guess.

    Returns ``(text, codec name, warnings)``. The codec is "utf-8-sig" when a UTF-8 BOM was
    present, "utf-16-le"/"utf-16-be" for UTF-16 (BOM removed from the text).
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            text, warnings = _decode_known(data[len(bom) :], codec, name)
            return text, label, warnings
    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        text, warnings = _decode_known(data, utf16, name)
        return text, utf16, warnings
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            # A file cut off in the middle of a character: keep everything before it.
            return data[: err.start].decode("utf-8"), "utf-8", []
    return _decode_legacy(data, name)


_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)


def _decode_known(data: bytes, encoding: str, name: str) -> tuple[str, list[str]]:
    """Decode in an encoding the file announces; bad bytes become U+FFFD with a warning."""
    if encoding.startswith("utf-16") and len(data) % 2:
        data = data[:-1]  # a cut-off UTF-16 file ends in half a character
    try:
        return data.decode(encoding), []
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), [
            f"{name} is marked as {encoding.upper()} text but some of its bytes are not; "
            "those characters were replaced by '\ufffd'. Save it from Excel as 'CSV UTF-8' "
            "to fix this."
        ]


def _decode_legacy(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Guess between Windows-1252, GB18030 and Big5 and decode the whole file."""
    encoding = _guess_legacy_encoding(data)
    label = _ENCODING_LABELS.get(encoding, encoding)
    note = (
        f"{name} is not saved as UTF-8; it was read as {label}. If letters look wrong, "
        "open it in Excel and save it as 'CSV UTF-8'."
    )
    try:
        return data.decode(encoding), encoding, [note]
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return (
            text,
            encoding,
            [note + " Some characters could not be read and were replaced by '\ufffd'."],
        )


def _guess_legacy_encoding(data: bytes) -> str:
    """charset-normalizer limited to the code pages our users meet; cp1252 by default."""
    from charset_normalizer import from_bytes

    sample = data[:_ENCODING_SAMPLE_BYTES]
    if len(data) > len(sample):
        cut = sample.rfind(b"\n")
        if cut > 0:
            sample = sample[: cut + 1]  # do not split a multi-byte character
    best = from_bytes(sample, cp_isolation=list(_LEGACY_ENCODINGS)).best()
    if best is None:
        best = from_bytes(sample).best()
    if best is None or best.encoding in ("ascii", "utf_8"):
        return "cp1252"
    return _canonical_codec(best.encoding)


def _canonical_codec(encoding: str) -> str:
    import codecs

    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return "cp1252"


def _reject_known_text_formats(text: str, name: str) -> None:
    """Text that is a web page, XML, JSON or RTF is not a table we can read."""
    head = text[:2048].lstrip().lower()
    if head.startswith("{\\rtf"):
        raise _not_a_spreadsheet(name, "a rich-text (RTF) document")
    if head.startswith("<"):
        _reject_markup(head, name)
    if head.startswith(("{", "[")) and (
        _extension(name) in (".json", ".jsonl", ".ndjson") or _is_json(text)
    ):
        raise _not_a_spreadsheet(name, "JSON data")


def _reject_markup(head: str, name: str) -> None:
    """HTML tables and XML that some tools save under an .xls name."""
    if "urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise ImportRejected(
            f"{name} is an old Excel 2003 XML spreadsheet. Open it in Excel and save a copy "
            "as .xlsx, then import that copy."
        )
    if head.startswith(("<!doctype html", "<html")) or "<table" in head[:512]:
        raise ImportRejected(
            f"{name} is a web page saved with a spreadsheet name, not a real workbook. Open it "
            "in Excel and save a copy as .xlsx, or export the data from your survey tool as .csv."
        )
    if _XML_START.match(head) and ("</" in head or "/>" in head):
        raise _not_a_spreadsheet(name, "an XML document")


_XML_START = re.compile(r"<[?!a-z]")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _strip_sep_line(text: str) -> tuple[str | None, str]:
    """Excel's optional first line ``sep=;`` names the delimiter; drop it."""
    match = re.match(r"sep=(.)\r?\n", text[:8])
    if match:
        return match.group(1), text[match.end() :]
    return None, text


_QUOTED = re.compile(r'"[^"]*"')


def sniff_delimiter(text: str, ext: str = "") -> str | None:
    """The delimiter of delimited text: the candidate with the most consistent count per line.

    Quoted text is ignored. Returns None when no candidate appears at all (a single column).
    """
    sample = _QUOTED.sub("", text[:_DELIMITER_SAMPLE_CHARS])
    lines = [ln for ln in sample.splitlines() if ln.strip()][:_DELIMITER_SAMPLE_LINES]
    if len(text) > _DELIMITER_SAMPLE_CHARS and len(lines) > 1:
        lines = lines[:-1]  # the sample may cut the last line short
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for rank, delim in enumerate(DELIMITERS):
        counts = [ln.count(delim) for ln in lines]
        # The most frequent count; on a tie the smaller count wins (0 = not a delimiter).
        modal, hits = max(Counter(counts).items(), key=lambda kv: (kv[1], -kv[0]), default=(0, 0))
        if modal == 0:
            continue  # absent from most lines: a comma inside free text, not a delimiter
        consistency = hits / len(lines)
        if (ext in (".tsv", ".tab") and delim == "\t") or (ext == ".psv" and delim == "|"):
            consistency += 0.5  # the extension breaks near-ties
        score = (round(consistency, 2), modal, -rank)
        if best is None or score > best:
            best, chosen = score, delim
    return chosen


def _parse_delimited(text: str, delimiter: str) -> np.ndarray:
    """Parse records into a 2-D object array of str (None where a short row has no cell)."""
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
            doublequote=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error):
        return _parse_with_csv_module(text, delimiter)  # ragged, leading blank lines, open quote
    cells = frame.to_numpy(dtype=object, copy=True)
    if '"' not in text and _physical_lines(text) != len(cells):
        return _parse_with_csv_module(text, delimiter)  # defensive: never lose or add a line
    return cells


def _physical_lines(text: str) -> int:
    """Lines a text editor shows (a final line break does not start a new line)."""
    breaks = text.count("\n") or text.count("\r")
    return breaks + (0 if text.endswith(("\n", "\r")) else 1)


def _parse_with_csv_module(text: str, delimiter: str) -> np.ndarray:
    """Slow but forgiving: ragged rows, leading blank lines, an unclosed quote at the end."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        rows = list(reader)
    except csv.Error:  # e.g. a NUL character: read without quote handling rather than fail
        plain = text.replace("\x00", "")
        rows = list(
            csv.reader(io.StringIO(plain, newline=""), delimiter=delimiter, quoting=csv.QUOTE_NONE)
        )
    width = max((len(r) for r in rows), default=0)
    cells = np.full((len(rows), width), None, dtype=object)
    for i, row in enumerate(rows):
        cells[i, : len(row)] = row
    return cells


def _cut_off_last_line(text: str, delimiter: str, width: int) -> int | None:
    """Line number (1-based, in ``text``) of a last record cut off mid-row, else None.

    Cut off means: no final line break, and either an unclosed quote or fewer cells than
    the widest record.
    """
    if not text or text.endswith(("\n", "\r")):
        return None
    newline = "\n" if "\n" in text else "\r"
    if text.count('"') % 2:  # stopped inside a quoted cell, opened by the last quote
        start = _last_record_start(text[: text.rfind('"')])
        return text.count(newline, 0, start) + 1
    start = _last_record_start(text)
    last = next(csv.reader([text[start:]], delimiter=delimiter), [])
    return text.count(newline, 0, start) + 1 if 0 < len(last) < width else None


def _last_record_start(text: str) -> int:
    """Index where the last record starts: after the last line break outside quotes."""
    pos = len(text)
    quotes_after = 0
    while True:
        newline = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos))
        if newline < 0:
            return 0
        quotes_after += text.count('"', newline + 1, pos)
        if quotes_after % 2 == 0:
            return newline + 1
        pos = newline
