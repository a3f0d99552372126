"""Where the header is: title rows, single headers and multi-row survey headers.

:func:`find_header` looks at the top of a :class:`RawSheet` and returns the index of the
first header row, how many rows the header takes and one label per column, as a user
would name the column.

Header layouts recognised:

* **plain**: one row of labels (most files), possibly below title rows, blank rows or a
  title merged across the sheet. The header is the first row with (nearly) the most
  distinct text labels whose cells look like labels of the rows below: text above
  numbers or dates, text not repeated in the column below.
* **none**: the first non-empty row already holds data (numbers under numbers): the
  header is 0 rows and the labels are "Column 1", "Column 2", ...
* **Qualtrics** (current exports): field names, question texts, then a row of
  ``{"ImportId":"..."}``: 3 rows.
* **Qualtrics legacy**: ``V1..V10, Q1..`` over a row of labels: 2 rows.
* **SurveyMonkey**: question texts (merged over the options of a multi-choice question,
  so blank cells follow them) over "Response" / "Open-Ended Response" / option labels:
  2 rows.

Label convention for multi-row headers (one rule for all of them):

* a column whose first row is a **question code** (``Q1``, ``QID12``, ``Q3_2``) is labelled
  ``"<code> / <question text>"``, e.g. ``"Q1 / How likely are you to recommend us?"``,
  so both the code the analyst knows and the text a manager reads stay visible;
* a column whose first row is a **field name** is labelled with it (``"StartDate"``);
  legacy ``V1..V10`` codes are replaced by the label below them (``"ResponseID"``);
* SurveyMonkey: ``"<question> / <option>"`` for multi-column questions; the question alone
  when the second row is just "Response" or "Open-Ended Response" of a one-column question.

Empty header cells become ``"Column N"`` (N = 1-based column number) and repeated labels
get a ``" (2)"``, ``" (3)"`` suffix, so every label names exactly one column (overrides
are keyed by label).

The cell helpers at the top (:func:`cell_text`, :func:`cell_kinds`) are shared with
:mod:`cxdash.ingest.mapping`; they work column by column on small samples.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

import numpy as np
import pandas as pd

from cxdash.ingest.model import RawSheet
from cxdash.ingest.synonyms import normalise_label

__all__ = [
    "HeaderInfo",
    "cell_kinds",
    "cell_text",
    "classify_block",
    "detect_header",
    "find_header",
    "header_fingerprint",
    "normalise_label",
]

SCAN_ROWS = 30  # a header is looked for in the first rows only
PROBE_ROWS = 50  # data rows looked at to judge a candidate header

EMPTY, NUMBER, DATE, TEXT, BOOL = "empty", "number", "date", "text", "bool"

_QUESTION_CODE = re.compile(r"^(?:Q|QID)\d+(?:[_.]\d+)*(?:_TEXT)?$", re.IGNORECASE)
_LEGACY_CODE = re.compile(r"^(?:V\d+|Q\d+(?:[_.]\d+)*)$", re.IGNORECASE)
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"', re.IGNORECASE)
_SURVEYMONKEY_MARKERS = frozenset({"response", "open-ended response", "open ended response"})
_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?%?$")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_TEXT = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    rf"|\d{{1,2}}[-/ ]{_MONTH}[-/ ]\d{{2,4}}|\d{{4}}年\d{{1,2}}月(?:\d{{1,2}}日)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{4}}|\d{{1,2}}-{_MONTH})"
    r"(?:[ T]\d{1,2}:\d{2}.*)?$",
    re.IGNORECASE,
)


# --- cells ----------------------------------------------------------------------------


def text_of(value: object) -> str:
    """One cell as stripped text: "" for empty; 4.0 -> "4"; TRUE/FALSE; dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if value is pd.NaT:
        return ""
    return str(value).strip()


def cell_text(column: pd.Series) -> pd.Series:
    """Each cell as stripped text ("" for empty; 4.0 -> "4"; dates in ISO form)."""
    return column.map(text_of).astype(object)


def cell_kinds(column: pd.Series, text: pd.Series | None = None) -> pd.Series:
    """Each cell's kind: ``empty``, ``number``, ``date``, ``text`` or ``bool``.

    Numbers and dates stored as text ("4", "4,5", "2024-05-01", "19th November 2023")
    count as numbers and dates.
    """
    if text is None:
        text = cell_text(column)
    types = column.map(type)
    kinds = pd.Series(TEXT, index=column.index, dtype=object)
    str_text = text.astype(str)
    kinds[str_text.str.match(_NUMBER_TEXT)] = NUMBER
    kinds[str_text.str.match(_DATE_TEXT)] = DATE
    kinds[types.isin([datetime, date, pd.Timestamp])] = DATE
    kinds[types.isin([int, float, np.int64, np.float64])] = NUMBER
    kinds[types.isin([bool, np.bool_])] = BOOL
    kinds[str_text.eq("")] = EMPTY
    return kinds


def classify_block(block: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cell texts, cell kinds) of a block of rows, computed in one pass over all its cells."""
    flat = pd.Series(block.to_numpy(dtype=object).ravel(order="F"), dtype=object)
    text = cell_text(flat)
    kinds = cell_kinds(flat, text)
    shape = block.shape

    def frame(values: pd.Series) -> pd.DataFrame:
        grid = values.to_numpy(dtype=object).reshape(shape, order="F")
        return pd.DataFrame(grid, index=block.index, columns=block.columns, dtype=object)

    return frame(text), frame(kinds)


# --- header detection -----------------------------------------------------------------


@dataclass
class HeaderInfo:
    """Where the header is and what it says, column by column."""

    header_row: int
    header_rows: int
    labels: list[str]
    style: str = "plain"  # plain | none | qualtrics | qualtrics_legacy | surveymonkey | empty
    blank: list[bool] = field(default_factory=list)  # the header cells of the column were empty
    stems: list[str] = field(default_factory=list)  # question shared by several columns, else ""
    options: list[str] = field(default_factory=list)  # the column's own part of such a question

    @property
    def data_start(self) -> int:
        return self.header_row + self.header_rows


def find_header(sheet: RawSheet) -> tuple[int, int, list[str]]:
    """(index of the first header row, number of header rows, one label per column)."""
    info = detect_header(sheet)
    return info.header_row, info.header_rows, info.labels


def header_fingerprint(labels: list[str]) -> str:
    """A stable id of a source layout: a hash of its normalised labels, in order."""
    joined = "\x1f".join(normalise_label(label) for label in labels)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def detect_header(sheet: RawSheet) -> HeaderInfo:
    """Find the header of ``sheet`` (see the module docstring for the layouts)."""
    data = sheet.data
    width = data.shape[1]
    top = data.iloc[: SCAN_ROWS + PROBE_ROWS]
    texts, kinds = classify_block(top)
    filled = kinds.ne(EMPTY)
    counts = filled.sum(axis=1).to_numpy()
    if width == 0 or not counts.any():
        labels = [f"Column {j + 1}" for j in range(width)]
        return HeaderInfo(0, 0, labels, "empty", [True] * width, [""] * width, [""] * width)
    if sheet.header_hint is not None:
        return _hinted_header(sheet, width)

    for r in _candidate_rows(texts, kinds):
        rows = _header_block_size(texts, kinds, r)
        if _looks_like_header(texts, kinds, r, rows):
            return _build_labels(texts, r, rows)
    first = int(np.argmax(counts > 0))
    labels = [f"Column {j + 1}" for j in range(width)]
    return HeaderInfo(first, 0, labels, "none", [True] * width, [""] * width, [""] * width)


def _hinted_header(sheet: RawSheet, width: int) -> HeaderInfo:
    """The header where the user says it is (``RawSheet.header_hint``)."""
    first_row, rows = sheet.header_hint or (sheet.first_row, 1)
    r = max(0, min(first_row - sheet.first_row, len(sheet.data) - 1))
    rows = max(0, min(rows, 3, len(sheet.data) - r))  # 1 plain, 2 SurveyMonkey, 3 Qualtrics
    if rows == 0:
        labels = [f"Column {j + 1}" for j in range(width)]
        return HeaderInfo(r, 0, labels, "none", [True] * width, [""] * width, [""] * width)
    texts, _ = classify_block(sheet.data.iloc[: r + rows])
    return _build_labels(texts, r, rows)


def _candidate_rows(texts: pd.DataFrame, kinds: pd.DataFrame) -> list[int]:
    """Rows in the scan window with nearly the most distinct text labels, top first."""
    scan = kinds.iloc[:SCAN_ROWS]
    text_cells = texts.iloc[:SCAN_ROWS].where(scan.eq(TEXT))
    distinct = text_cells.nunique(axis=1).to_numpy()
    filled = scan.ne(EMPTY).sum(axis=1).to_numpy()
    if not distinct.any():
        return []
    best = distinct.max()
    widest = filled.max()
    need = max(1, int(np.ceil(0.6 * best)))
    return [
        int(pos)
        for pos in range(len(distinct))
        if distinct[pos] >= need and filled[pos] >= max(1, 0.5 * widest)
    ]


def _row_values(texts: pd.DataFrame, r: int) -> list[str]:
    return [str(v) for v in texts.iloc[r].tolist()]


def _header_block_size(texts: pd.DataFrame, kinds: pd.DataFrame, r: int) -> int:
    """1, or 2-3 when the rows under ``r`` continue a survey header."""
    n = len(texts)
    first = [v for v in _row_values(texts, r) if v]
    for extra in (1, 2):
        if r + extra < n:
            below = [v for v in _row_values(texts, r + extra) if v]
            if below and sum(bool(_IMPORT_ID.match(v)) for v in below) >= 0.5 * len(below):
                return extra + 1
    if r + 1 >= n:
        return 1
    second_kinds = kinds.iloc[r + 1]
    second_is_text = bool((second_kinds.isin([TEXT, EMPTY])).all()) and bool(
        second_kinds.eq(TEXT).any()
    )
    if not second_is_text:
        return 1
    if sum(bool(_LEGACY_CODE.match(v)) for v in first) >= 0.5 * len(first):
        return 2
    second = [v.casefold() for v in _row_values(texts, r + 1) if v]
    if any(v in _SURVEYMONKEY_MARKERS for v in second):
        return 2
    return 1


def _looks_like_header(texts: pd.DataFrame, kinds: pd.DataFrame, r: int, rows: int) -> bool:
    """Do the cells of row ``r`` read as labels of the data rows under the header block?"""
    below_kinds = kinds.iloc[r + rows : r + rows + PROBE_ROWS]
    below_texts = texts.iloc[r + rows : r + rows + PROBE_ROWS]
    votes: list[float] = []
    for j in kinds.columns:
        kind = kinds.at[kinds.index[r], j]
        if kind == EMPTY:
            continue
        if kind != TEXT:
            votes.append(-1.0)
            continue
        col_kinds = below_kinds[j]
        filled = col_kinds[col_kinds.ne(EMPTY)]
        if filled.empty:
            votes.append(0.25)
            continue
        typed = filled.isin([NUMBER, DATE, BOOL]).mean()
        if typed >= 0.6:
            votes.append(1.0)
        elif texts.at[texts.index[r], j] in set(below_texts[j]):
            votes.append(-1.0)
        else:
            votes.append(0.25)
    return bool(votes) and sum(votes) > 0


def _build_labels(texts: pd.DataFrame, r: int, rows: int) -> HeaderInfo:
    width = texts.shape[1]
    block = [_row_values(texts, r + k) for k in range(rows)]
    first = block[0]
    stems = [""] * width
    options = [""] * width
    if rows == 1:
        style = "plain"
        raw = first
    elif rows == 3 or (rows == 2 and _is_legacy(first)):
        style = "qualtrics" if rows == 3 else "qualtrics_legacy"
        raw = [_qualtrics_label(first[j], block[1][j], legacy=rows == 2) for j in range(width)]
    else:
        style = "surveymonkey"
        raw, stems, options = _surveymonkey_labels(first, block[1])
    blank = [not v for v in raw]
    labels = _unique([v or f"Column {j + 1}" for j, v in enumerate(raw)])
    return HeaderInfo(r, rows, labels, style, blank, stems, options)


def _is_legacy(first: list[str]) -> bool:
    codes = [v for v in first if v]
    return bool(codes) and sum(bool(_LEGACY_CODE.match(v)) for v in codes) >= 0.5 * len(codes)


def _qualtrics_label(code: str, text: str, *, legacy: bool) -> str:
    if not code:
        return text
    if not text or text == code:
        return code
    if _QUESTION_CODE.match(code):
        return f"{code} / {text}"
    if legacy and re.match(r"^V\d+$", code, re.IGNORECASE):
        return text
    return code


def _surveymonkey_labels(first: list[str], second: list[str]) -> tuple[list[str], ...]:
    """Carry each question over the blank cells of its merged range; join with the options."""
    width = len(first)
    question = [""] * width
    current = ""
    for j in range(width):
        if first[j]:
            current = first[j]
        elif not second[j]:
            current = ""
        question[j] = current
    span = {q: question.count(q) for q in set(question) if q}
    labels, stems, options = [], [], []
    for q, opt in zip(question, second, strict=True):
        generic = opt.casefold() in _SURVEYMONKEY_MARKERS
        if not opt or (generic and span.get(q, 0) == 1):
            labels.append(q)
        elif not q:
            labels.append(opt)
        else:
            labels.append(f"{q} / {opt}")
        several = span.get(q, 0) > 1 and bool(opt)
        stems.append(q if several else "")
        options.append(opt if several else "")
    return labels, stems, options


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out
