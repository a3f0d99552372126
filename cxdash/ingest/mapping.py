"""Which column is which: sheet classification and column-to-field mapping.

:func:`plan_sheet` finds the header (:mod:`cxdash.ingest.header`), looks at a sample of
at most ``SAMPLE_ROWS`` data rows and gives every column a role:

* a canonical field of ``FEEDBACK_FIELDS``, ``TOUCHPOINT_FIELDS`` or ``PROMISE_FIELDS``,
  found by the synonym tables of :mod:`cxdash.ingest.synonyms` and checked against the
  values (an "ID" must be nearly unique, a "Date" must hold dates, a score must hold
  numbers or short labels);
* ``touchpoint_rating`` (wide layout): two or more numeric columns on a shared small scale
  (whole numbers from 0 or 1 up to at most 10) whose headers are not metric names; the
  touchpoint is a clean display name made from the header;
* ``segment``: a dimension worth filtering by: a known dimension name (region, class,
  status, product, ...) or text with few, repeated values;
* ``extra``: kept but not read: personal data (names, emails), free numbers (age,
  distance, delays, counts, ZIP codes), long text that is not the comment, and every
  column that lost a tie for a field;
* ``ignore``: empty columns, a saved row index with an empty header, columns with one
  value in every row.

Decisions worth knowing:

* When several columns match one field, the strongest synonym wins (ties: the leftmost);
  the others become ``extra`` and the plan says so in a warning. So with both an overall
  rating ("OverallRating") and a recommend yes/no ("Recommended"), the rating is
  ``overall`` and the yes/no is ``extra``.
* A single "Rating"/"Score"/"Star" column is ``rating`` when the sheet has a touchpoint
  column (long layout: each row rates its touchpoint, e.g. app-store stars per store) and
  ``overall`` otherwise (a review site's star rating).
* Reason codes such as Twitter's ``negativereason`` are ``segment``, not ``theme``: the
  theme field is reserved for the ten experience themes, and a reason code would mislabel
  them.
* A feedback sheet needs a score column (nps, csat, ces, rating, overall or touchpoint
  ratings), or else a real free-text column (complaint logs): a sheet of placeholder
  text and no score (the bank survey's "Abandonment" sheet) is ``unknown``, with a warning
  that names the missing score column.
* Brand promise sheets come in two shapes: a table with a header ("Brand promise",
  "Reason to believe", "Description"), planned with ``layout="long"``; or label/value
  pairs down the rows ("Brand promise" | "The smart choice...", "Reason to believe" |
  "Safety"), planned with ``layout="wide"``, no header, column 1 = the label, column 2 =
  the value, column 3 (if any) = a description. :func:`promise_entries` reads both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxdash.ingest.header import (
    BOOL,
    DATE,
    EMPTY,
    NUMBER,
    TEXT,
    HeaderInfo,
    cell_text,
    classify_block,
    detect_header,
    header_fingerprint,
)
from cxdash.ingest.model import (
    COLUMN_ROLES,
    FEEDBACK_FIELDS,
    PROMISE_FIELDS,
    TOUCHPOINT_FIELDS,
    ColumnMap,
    RawSheet,
    SheetPlan,
)
from cxdash.ingest.synonyms import (
    ANALYSIS_MARKERS,
    EXTRA_LABELS,
    EXTRA_PHRASES,
    FEEDBACK_LABELS,
    FEEDBACK_PHRASES,
    PROMISE_LABELS,
    PROMISE_PHRASES,
    SEGMENT_LABELS,
    TOUCHPOINT_LABELS,
    TOUCHPOINT_PHRASES,
    SynonymMatch,
    best_synonym,
    match_key,
    normalise_label,
    single_table_match,
)

__all__ = [
    "display_touchpoint",
    "header_fingerprint",
    "normalise_label",
    "plan_sheet",
    "plan_workbook",
    "promise_entries",
]

SAMPLE_ROWS = 500  # data rows looked at per sheet
KIND_THRESHOLD = 0.5  # a sheet scoring below this for every kind is "unknown"
METRICS = ("nps", "csat", "ces", "rating", "overall")
MULTI_ROLES = ("touchpoint_rating", "segment", "extra", "ignore")
MAX_SEGMENT_VALUES = 30
MAX_NAMED_SEGMENT_VALUES = 100
KINDS = ("auto", "feedback", "touchpoints", "promise")


# --- column profiles --------------------------------------------------------------------


@dataclass
class ColumnProfile:
    """What the sampled cells of one column look like."""

    filled: int  # non-empty cells in the sample
    rows: int  # sampled rows
    distinct: int
    numeric_share: float  # of the filled cells
    date_share: float
    text_share: float  # text or true/false
    integer: bool  # every number is a whole number
    low: float | None
    high: float | None
    avg_len: float  # average length of the filled cells as text

    @property
    def fill_share(self) -> float:
        return self.filled / self.rows if self.rows else 0.0

    @property
    def unique_ratio(self) -> float:
        return self.distinct / self.filled if self.filled else 0.0


def _sample(data: pd.DataFrame, start: int) -> pd.DataFrame:
    """At most ``SAMPLE_ROWS`` data rows: the first half in order, the rest spread evenly."""
    body = data.iloc[start:]
    n = len(body)
    if n <= SAMPLE_ROWS:
        return body
    head = SAMPLE_ROWS // 2
    spread = np.linspace(head, n - 1, SAMPLE_ROWS - head).astype(int)
    return body.iloc[np.unique(np.r_[np.arange(head), spread])]


def _profile(text: pd.Series, kinds: pd.Series) -> ColumnProfile:
    """Profile one sampled column from its cell texts and kinds."""
    filled_mask = kinds.ne(EMPTY)
    filled = int(filled_mask.sum())
    if filled == 0:
        return ColumnProfile(0, len(text), 0, 0.0, 0.0, 0.0, False, None, None, 0.0)
    values = text[filled_mask].astype(str)
    filled_kinds = kinds[filled_mask]
    numeric_mask = filled_kinds.eq(NUMBER)
    numbers = pd.to_numeric(
        values[numeric_mask].str.rstrip("%").str.replace(",", ".", regex=False),
        errors="coerce",
    ).dropna()
    has_numbers = not numbers.empty
    return ColumnProfile(
        filled=filled,
        rows=len(text),
        distinct=int(values.nunique()),
        numeric_share=float(numeric_mask.mean()),
        date_share=float(filled_kinds.eq(DATE).mean()),
        text_share=float(filled_kinds.isin([TEXT, BOOL]).mean()),
        integer=bool(has_numbers and (numbers == np.floor(numbers)).all()),
        low=float(numbers.min()) if has_numbers else None,
        high=float(numbers.max()) if has_numbers else None,
        avg_len=float(values.str.len().mean()),
    )


def _profiles(sample: pd.DataFrame) -> list[ColumnProfile]:
    texts, kinds = classify_block(sample)
    return [_profile(texts[j], kinds[j]) for j in sample.columns]


def _data_row_count(data: pd.DataFrame, start: int) -> int:
    """Rows from ``start`` up to the last row with any non-empty cell."""
    tail = data.iloc[start:]
    if tail.empty:
        return 0
    window = tail.iloc[-1000:]
    filled = window.notna() & window.map(lambda v: not (isinstance(v, str) and not v.strip()))
    rows_filled = np.flatnonzero(filled.any(axis=1).to_numpy())
    if rows_filled.size:
        return len(tail) - len(window) + int(rows_filled[-1]) + 1
    return _data_row_count(tail.iloc[: len(tail) - len(window)], 0)


def _is_small_scale(p: ColumnProfile) -> bool:
    """Whole numbers between 0 and 10 with at least three values: a rating scale."""
    return (
        p.numeric_share >= 0.9
        and p.integer
        and p.low is not None
        and p.high is not None
        and p.low >= 0
        and p.high <= 10
        and p.distinct >= 3
    )


def _scale_top(p: ColumnProfile) -> int:
    high = p.high or 0
    return 5 if high <= 5 else 7 if high <= 7 else 10


def _is_free_text(p: ColumnProfile, min_length: float = 30) -> bool:
    """Mostly distinct text of some length (``min_length`` characters on average)."""
    return p.text_share >= 0.8 and p.avg_len >= min_length and p.unique_ratio >= 0.5


def _is_constant(p: ColumnProfile, column: pd.Series) -> bool:
    """One value in every row: checked on the sample, then confirmed on the whole column."""
    if not (p.distinct == 1 and p.filled >= 10 and p.fill_share >= 0.95):
        return False
    texts = column.dropna().astype(str).str.strip()
    return bool(texts[texts.ne("")].nunique() <= 1)


def _looks_like_index(p: ColumnProfile) -> bool:
    return p.numeric_share >= 0.99 and p.integer and p.unique_ratio >= 0.99


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# --- synonym candidates -------------------------------------------------------------------


@dataclass
class _Candidate:
    index: int
    field: str
    score: float
    synonym: str
    whole: bool
    note: str = ""

    def reason(self) -> str:
        how = "synonym" if self.whole else "phrase"
        return f"{how} '{self.synonym}'{self.note}"


def _values_fit(field: str, match: SynonymMatch, p: ColumnProfile) -> bool:
    """Do the sampled values fit the field the header suggests?"""
    if p.filled == 0:
        return field not in ("response_id",)
    if field == "response_id":
        return p.avg_len <= 60 and (
            p.unique_ratio >= 0.9 or (match.whole_label and match.weight >= 0.9)
        )
    if field == "timestamp":
        serial = p.numeric_share >= 0.9 and (p.low or 0) >= 20000 and (p.high or 0) <= 80000
        return p.date_share >= 0.5 or serial
    if field in METRICS:
        short_labels = p.avg_len <= 30 and p.distinct <= 15
        return p.numeric_share >= 0.5 or short_labels
    if field == "comment":
        return p.text_share >= 0.5
    if field in ("stage", "touchpoint", "channel", "language", "theme"):
        return p.avg_len <= 200
    return True


def _feedback_candidate(j: int, label: str, p: ColumnProfile) -> _Candidate | None:
    match = best_synonym(label, FEEDBACK_LABELS, FEEDBACK_PHRASES)
    if match is None:
        return None
    field = match.field
    if not _values_fit(field, match, p):
        if field == "nps" and p.numeric_share < 0.5 and p.distinct <= 3:
            return _Candidate(
                j, "overall", 0.4, match.synonym, match.whole_label
            )  # recommend yes/no
        return None
    return _Candidate(j, field, match.weight, match.synonym, match.whole_label)


# --- feedback mapping ---------------------------------------------------------------------


@dataclass
class _Draft:
    """Columns being mapped, with the warnings gathered on the way."""

    labels: list[str]
    columns: dict[int, ColumnMap]
    warnings: list[str]

    def set(self, j: int, role: str, reason: str, touchpoint: str | None = None) -> None:
        self.columns[j] = ColumnMap(j, self.labels[j], role, touchpoint, reason)

    def free(self, indices: Iterable[int]) -> list[int]:
        return [j for j in indices if j not in self.columns]

    def result(self) -> list[ColumnMap]:
        return [self.columns[j] for j in sorted(self.columns)]


def _map_feedback(
    info: HeaderInfo, profiles: list[ColumnProfile], body: pd.DataFrame
) -> tuple[list[ColumnMap], list[str]]:
    """Feedback roles for every column (``body`` = the data rows, for whole-column checks)."""
    draft = _Draft(info.labels, {}, [])
    everything = range(len(profiles))
    _mark_ignored(draft, info, profiles)
    candidates = _synonym_candidates(draft, profiles)
    _rating_without_touchpoint(candidates)
    _matrix_questions(draft, info, candidates)
    _resolve_single_fields(draft, candidates)
    named_extra = _named_extras(draft, profiles)
    _wide_ratings(draft, info, profiles, named_extra)
    _generic_columns(draft, profiles, body, draft.free(everything))
    return draft.result(), draft.warnings


def _mark_ignored(draft: _Draft, info: HeaderInfo, profiles: list[ColumnProfile]) -> None:
    for j, p in enumerate(profiles):
        if p.filled == 0:
            draft.set(j, "ignore", "empty column")
        elif info.blank and info.blank[j] and info.header_rows and _looks_like_index(p):
            draft.set(j, "ignore", "saved row numbers with an empty header")


def _synonym_candidates(draft: _Draft, profiles: list[ColumnProfile]) -> list[_Candidate]:
    out = []
    for j in draft.free(range(len(profiles))):
        label = draft.labels[j]
        cand = _feedback_candidate(j, label, profiles[j])
        if cand is None:
            continue
        if not cand.whole and (
            single_table_match(label, EXTRA_LABELS) or single_table_match(label, SEGMENT_LABELS)
        ):
            continue  # "Date_month_year" is a date phrase, but "Month" alone is not
        out.append(cand)
    return out


def _rating_without_touchpoint(candidates: list[_Candidate]) -> None:
    """A lone rating with no touchpoint column rates the whole experience: overall."""
    if any(c.field == "touchpoint" for c in candidates):
        return
    for c in candidates:
        if c.field == "rating":
            c.field, c.score = "overall", 0.7 * c.score
            c.note = " and no touchpoint column: the overall rating"


def _matrix_questions(draft: _Draft, info: HeaderInfo, candidates: list[_Candidate]) -> None:
    """One metric question asked about several options (SurveyMonkey matrix): wide ratings."""
    if not any(info.stems):
        return
    by_stem: dict[str, list[_Candidate]] = {}
    for c in candidates:
        if c.field in METRICS and info.stems[c.index]:
            by_stem.setdefault(info.stems[c.index], []).append(c)
    for stem_cands in by_stem.values():
        if len(stem_cands) < 2:
            continue
        for c in stem_cands:
            tp = display_touchpoint(info.labels[c.index], info.options[c.index])
            reason = f"wide rating: one {c.field} question about {len(stem_cands)} options"
            draft.set(c.index, "touchpoint_rating", reason, tp)
            candidates.remove(c)


def _resolve_single_fields(draft: _Draft, candidates: list[_Candidate]) -> None:
    """Each canonical field gets its best column; the others are kept as extra."""
    by_field: dict[str, list[_Candidate]] = {}
    for c in candidates:
        by_field.setdefault(c.field, []).append(c)
    for field, cands in by_field.items():
        cands.sort(key=lambda c: (-c.score, not c.whole, c.index))
        best, rest = cands[0], cands[1:]
        draft.set(best.index, field, best.reason())
        for c in rest:
            draft.set(c.index, "extra", f"also looks like {field} ({c.reason()})")
            draft.warnings.append(
                f"'{draft.labels[c.index]}' also looks like {_FIELD_WORDS.get(field, field)}; "
                f"'{draft.labels[best.index]}' is used and '{draft.labels[c.index]}' is kept "
                "as an extra column."
            )


def _named_extras(draft: _Draft, profiles: list[ColumnProfile]) -> set[int]:
    """Columns whose name says they are personal data or a free measure (age, delay...)."""
    named = set()
    for j in draft.free(range(len(profiles))):
        syn = single_table_match(draft.labels[j], EXTRA_LABELS, EXTRA_PHRASES)
        if syn:
            named.add(j)
            draft.set(j, "extra", f"'{syn}' is kept but is not a score or a dimension")
    return named


def _wide_ratings(
    draft: _Draft, info: HeaderInfo, profiles: list[ColumnProfile], named_extra: set[int]
) -> None:
    """Numeric columns sharing a small scale are touchpoint ratings (wide layout)."""
    groups: dict[int, list[int]] = {}
    for j in draft.free(range(len(profiles))):
        if j not in named_extra and _is_small_scale(profiles[j]):
            groups.setdefault(_scale_top(profiles[j]), []).append(j)
    for members in groups.values():
        if len(members) < 2:
            continue
        low = min(profiles[j].low or 0 for j in members)
        high = max(profiles[j].high or 0 for j in members)
        reason = f"wide rating: {_fmt(low)}-{_fmt(high)} values shared by {len(members)} columns"
        for j in members:
            option = info.options[j] if info.options else ""
            tp = display_touchpoint(draft.labels[j], option)
            draft.set(j, "touchpoint_rating", reason, tp)


def _generic_columns(
    draft: _Draft, profiles: list[ColumnProfile], body: pd.DataFrame, free: list[int]
) -> None:
    """Columns no synonym explained: segments, comments, dates, extras, constants."""
    free_text: list[int] = []
    dates: list[int] = []
    for j in free:
        p = profiles[j]
        segment_syn = single_table_match(draft.labels[j], SEGMENT_LABELS)
        if _is_constant(p, body.iloc[:, j]):
            draft.set(j, "ignore", "the same value in every row")
        elif p.fill_share < 0.05 and p.filled < 20:
            draft.set(j, "extra", f"almost empty ({p.filled} of {p.rows} sampled rows filled)")
        elif segment_syn and p.distinct <= MAX_NAMED_SEGMENT_VALUES and p.numeric_share < 0.5:
            draft.set(j, "segment", f"dimension '{segment_syn}': {p.distinct} values")
        elif p.numeric_share >= 0.9:
            _numeric_extra(draft, j, p)
        elif p.date_share >= 0.8:
            dates.append(j)
        elif _is_low_cardinality(p):
            draft.set(j, "segment", f"low-cardinality text: {p.distinct} values")
        elif _is_free_text(p):
            free_text.append(j)
        else:
            draft.set(j, "extra", f"text with many different values ({p.distinct} in the sample)")
    _fallback_comment(draft, profiles, free_text)
    _fallback_timestamp(draft, dates)


def _numeric_extra(draft: _Draft, j: int, p: ColumnProfile) -> None:
    if _is_small_scale(p):
        reason = (
            f"a single column of small numbers ({_fmt(p.low)}-{_fmt(p.high)}); "
            "set it as a rating if it is one"
        )
    elif p.distinct <= 2 and (p.high or 0) <= 10:
        plural = "s" if p.distinct != 1 else ""
        reason = f"only {p.distinct} distinct number{plural}: not a rating scale"
    else:
        reason = f"numbers outside a rating scale ({_fmt(p.low)} to {_fmt(p.high)})"
    draft.set(j, "extra", reason)


def _is_low_cardinality(p: ColumnProfile) -> bool:
    repeated = p.distinct < p.filled
    return repeated and p.distinct <= MAX_SEGMENT_VALUES and p.distinct <= max(2, 0.5 * p.filled)


def _fallback_comment(draft: _Draft, profiles: list[ColumnProfile], free_text: list[int]) -> None:
    has_comment = any(c.role == "comment" for c in draft.columns.values())
    ranked = sorted(free_text, key=lambda j: -profiles[j].avg_len * profiles[j].fill_share)
    for rank, j in enumerate(ranked):
        p = profiles[j]
        if rank == 0 and not has_comment:
            draft.set(j, "comment", f"long free text (about {p.avg_len:.0f} characters)")
        else:
            draft.set(j, "extra", f"free text (about {p.avg_len:.0f} characters)")


def _fallback_timestamp(draft: _Draft, dates: list[int]) -> None:
    has_time = any(c.role == "timestamp" for c in draft.columns.values())
    for rank, j in enumerate(dates):
        if rank == 0 and not has_time:
            draft.set(j, "timestamp", "values are dates")
        else:
            draft.set(j, "extra", "dates (another column is the response date)")


_FIELD_WORDS = {
    "response_id": "the response id",
    "respondent_id": "the customer id",
    "timestamp": "the response date",
    "nps": "the NPS question",
    "csat": "the CSAT question",
    "ces": "the effort (CES) question",
    "rating": "the rating",
    "overall": "the overall measure",
    "comment": "the comment",
}


# --- touchpoint map and promise mapping ---------------------------------------------------


def _map_with_tables(
    info: HeaderInfo,
    profiles: list[ColumnProfile],
    labels_table: dict[str, dict[str, float]],
    phrases_table: dict[str, dict[str, float]],
) -> tuple[list[ColumnMap], list[str]]:
    """Map columns by one pair of synonym tables; the rest is extra (or ignored if empty)."""
    draft = _Draft(info.labels, {}, [])
    _mark_ignored(draft, info, profiles)
    candidates = []
    for j in draft.free(range(len(profiles))):
        match = best_synonym(info.labels[j], labels_table, phrases_table)
        if match:
            candidates.append(
                _Candidate(j, match.field, match.weight, match.synonym, match.whole_label)
            )
    _resolve_single_fields(draft, candidates)
    for j in draft.free(range(len(profiles))):
        draft.set(j, "extra", "not a field of this kind of sheet")
    return draft.result(), draft.warnings


_STRONG_MAP_FIELDS = ("stage", "stage_order", "owner", "importance", "pillar", "target", "provider")


def _touchpoint_score(
    columns: list[ColumnMap], feedback_columns: list[ColumnMap], dates: bool
) -> float:
    roles = {c.role for c in columns}
    if "touchpoint" not in roles or not roles & set(_STRONG_MAP_FIELDS):
        return 0.0
    map_fields = roles & (set(TOUCHPOINT_FIELDS) - {"touchpoint"})
    score = min(1.0, 0.45 + 0.15 * len(map_fields))
    feedback_roles = {c.role for c in feedback_columns}
    if feedback_roles & {"nps", "csat", "ces", "touchpoint_rating", "response_id"}:
        score *= 0.5
    if dates:
        score *= 0.5
    return score


def _promise_table_score(columns: list[ColumnMap]) -> float:
    roles = {c.role for c in columns}
    if not roles & {"statement", "pillar"}:
        return 0.0
    score = 0.45 + 0.25 * len(roles & {"statement", "pillar"}) + 0.1 * ("description" in roles)
    others = sum(c.role == "extra" for c in columns)
    return round(min(1.0, max(0.0, score - 0.1 * others)), 3)


def _promise_key(text: str) -> str | None:
    """'statement' / 'pillar' / 'description' when a cell names a promise field."""
    match = best_synonym(text, PROMISE_LABELS, PROMISE_PHRASES) if text else None
    return match.field if match and match.whole_label else None


def _key_value_rows(sheet: RawSheet) -> list[int]:
    """Rows of a label/value promise sheet ("Brand promise" | "..."), if it is one."""
    data = sheet.data
    if data.shape[1] == 0:
        return []
    top = data.iloc[:60]
    texts = pd.DataFrame({j: cell_text(top[j]) for j in top.columns})
    used = texts.ne("").any(axis=0)
    if int(used.sum()) > 3 or not bool(used.iloc[0]):
        return []
    if texts.shape[1] < 2:
        return []
    keys, values = texts.iloc[:, 0].tolist(), texts.iloc[:, 1].tolist()
    rows = [
        i
        for i, (key, value) in enumerate(zip(keys, values, strict=True))
        if key and value and _promise_key(key) in ("statement", "pillar")
    ]
    return rows if len(rows) >= 2 else []


# --- classification -----------------------------------------------------------------------


def _analysis_markers(sheet: RawSheet) -> int:
    """How many cells read like a pivot table or analysis output ("Grand Total", "Sum of")."""
    data = sheet.data
    block = pd.concat([data.iloc[:60], data.iloc[-5:]]) if len(data) > 65 else data
    hits = 0
    for j in block.columns:
        for text in cell_text(block[j]):
            if text and len(text) <= 60:
                key = match_key(text)
                hits += any(key == m or key.startswith(m + " ") for m in _MARKER_KEYS)
    return hits


_MARKER_KEYS = tuple(match_key(m) for m in ANALYSIS_MARKERS)


def _feedback_score(
    columns: list[ColumnMap], profiles: list[ColumnProfile], n_rows: int, markers: int
) -> float:
    roles = {c.role for c in columns}
    has_metric = bool(roles & {*METRICS, "touchpoint_rating"})
    comment = next((c for c in columns if c.role == "comment"), None)
    real_comment = comment is not None and _is_free_text(profiles[comment.index], 15)
    score = 0.55 if has_metric else 0.35 if real_comment else 0.0
    if roles & {"response_id", "timestamp", "respondent_id"}:
        score += 0.15
    if comment is not None:
        score += 0.1
    if roles & {"touchpoint", "channel", "stage"}:
        score += 0.05
    score += 0.15 if n_rows >= 20 else 0.08 if n_rows >= 5 else 0.0
    if markers:
        score *= 0.3
    return round(min(score, 1.0), 3)


# --- public API -----------------------------------------------------------------------------


def plan_sheet(
    sheet: RawSheet, *, kind: str = "auto", overrides: dict[str, str] | None = None
) -> SheetPlan:
    """How to read ``sheet``: its kind, header, layout and the role of every column.

    ``kind`` is "auto" (classify), "feedback", "touchpoints" or "promise". ``overrides``
    maps a column label to a role ("csat", "segment", "ignore", ...) or to
    "touchpoint_rating:Display name"; they are applied after detection.
    """
    if kind not in KINDS:
        raise ValueError(f"The sheet kind {kind!r} is not known; use one of {', '.join(KINDS)}.")
    info = detect_header(sheet)
    kv_rows = _key_value_rows(sheet) if kind in ("auto", "promise") else []
    if kv_rows and kind in ("auto", "promise"):
        plan = _key_value_promise_plan(sheet, kv_rows)
    else:
        plan = _plan_from_header(sheet, info, kind)
    if overrides:
        _apply_overrides(plan, overrides, sheet)
    return plan


def _plan_from_header(sheet: RawSheet, info: HeaderInfo, kind: str) -> SheetPlan:
    sample = _sample(sheet.data, info.data_start)
    profiles = _profiles(sample)
    n_rows = _data_row_count(sheet.data, info.data_start)
    markers = _analysis_markers(sheet)

    fb_columns, fb_warnings = _map_feedback(info, profiles, sheet.data.iloc[info.data_start :])
    tp_columns, tp_warnings = _map_with_tables(
        info, profiles, TOUCHPOINT_LABELS, TOUCHPOINT_PHRASES
    )
    pr_columns, pr_warnings = _map_with_tables(info, profiles, PROMISE_LABELS, PROMISE_PHRASES)
    has_dates = any(p.date_share >= 0.8 for p in profiles)
    scores = {
        "feedback": _feedback_score(fb_columns, profiles, n_rows, markers),
        "touchpoints": _touchpoint_score(tp_columns, fb_columns, has_dates),
        "promise": _promise_table_score(pr_columns),
    }
    options = {
        "feedback": (fb_columns, fb_warnings),
        "touchpoints": (tp_columns, tp_warnings),
        "promise": (pr_columns, pr_warnings),
    }
    chosen = max(scores, key=lambda k: scores[k]) if kind == "auto" else kind
    columns, warnings = options[chosen]
    final_kind = chosen
    if kind == "auto" and scores[chosen] < KIND_THRESHOLD:
        final_kind = "unknown"
        columns, warnings = fb_columns, list(fb_warnings)
        warnings.insert(0, _unknown_message(sheet, fb_columns, n_rows, markers))
    elif final_kind == "feedback":
        warnings = [*_feedback_notes(sheet, columns), *warnings]
    plan = SheetPlan(
        sheet=sheet.name,
        kind=final_kind,  # type: ignore[arg-type]
        score=scores.get(chosen, 0.0),
        header_row=info.header_row,
        header_rows=info.header_rows,
        layout=_layout(columns),
        columns=columns,
        fingerprint=header_fingerprint(info.labels),
        warnings=warnings,
    )
    if info.header_rows == 0 and n_rows:
        plan.warnings.append(
            f"No header row was found in '{sheet.name}'; the columns are named Column 1, Column 2, ..."
        )
    return plan


def _layout(columns: list[ColumnMap]) -> str:
    return "wide" if sum(c.role == "touchpoint_rating" for c in columns) >= 2 else "long"


def _has_score(columns: list[ColumnMap]) -> bool:
    return any(c.role in (*METRICS, "touchpoint_rating") for c in columns)


def _feedback_notes(sheet: RawSheet, columns: list[ColumnMap]) -> list[str]:
    if _has_score(columns):
        return []
    return [
        f"The sheet '{sheet.name}' has no score column (NPS, CSAT, CES, rating or overall); "
        "only its comments and details will be imported."
    ]


def _unknown_message(sheet: RawSheet, columns: list[ColumnMap], n_rows: int, markers: int) -> str:
    """Why a sheet is not read, in one sentence."""
    name = sheet.name
    if n_rows == 0:
        return f"The sheet '{name}' is empty."
    if markers:
        return (
            f"The sheet '{name}' looks like a pivot table or an analysis summary, "
            "not individual responses."
        )
    if not _has_score(columns):
        return (
            f"The sheet '{name}' has no score column (NPS, CSAT, CES, rating or overall), "
            "so it is not read as feedback."
        )
    return f"The sheet '{name}' does not look like feedback, a touchpoint map or a brand promise."


def _key_value_promise_plan(sheet: RawSheet, kv_rows: list[int]) -> SheetPlan:
    width = sheet.data.shape[1]
    roles = ["extra", "statement", "description"]
    reasons = [
        "label/value layout: names the promise field of each row",
        "label/value layout: the promise statement or reason to believe",
        "label/value layout: a description",
    ]
    columns = [
        ColumnMap(
            j, f"Column {j + 1}", roles[j] if j < 3 else "ignore", None, reasons[j] if j < 3 else ""
        )
        for j in range(width)
    ]
    labels = [c.source for c in columns]
    return SheetPlan(
        sheet=sheet.name,
        kind="promise",
        score=0.9,
        header_row=kv_rows[0],
        header_rows=0,
        layout="wide",
        columns=columns,
        fingerprint=header_fingerprint(labels),
        warnings=[],
    )


# --- overrides ----------------------------------------------------------------------------


def _allowed_roles(kind: str) -> tuple[str, ...]:
    if kind == "touchpoints":
        return (*TOUCHPOINT_FIELDS, "extra", "ignore")
    if kind == "promise":
        return (*PROMISE_FIELDS, "extra", "ignore")
    return (*FEEDBACK_FIELDS, *COLUMN_ROLES)


def _find_column(plan: SheetPlan, label: str) -> ColumnMap:
    for c in plan.columns:
        if c.source == label:
            return c
    wanted = normalise_label(label)
    hits = [c for c in plan.columns if normalise_label(c.source) == wanted]
    if len(hits) == 1:
        return hits[0]
    names = ", ".join(repr(c.source) for c in plan.columns)
    raise ValueError(
        f"There is no column named {label!r} in sheet '{plan.sheet}'; its columns are {names}."
    )


def _apply_overrides(plan: SheetPlan, overrides: dict[str, str], sheet: RawSheet) -> None:
    allowed = _allowed_roles(plan.kind)
    chosen: dict[str, ColumnMap] = {}
    touched: set[int] = set()
    for label, wanted in overrides.items():
        column = _find_column(plan, label)
        role, _, touchpoint = str(wanted).partition(":")
        role = role.strip()
        if role not in allowed:
            raise ValueError(
                f"{wanted!r} is not a column role for a {plan.kind} sheet; "
                f"choose one of {', '.join(allowed)}."
            )
        column.role = role
        column.touchpoint = (
            (touchpoint.strip() or display_touchpoint(column.source))
            if role == "touchpoint_rating"
            else None
        )
        column.reason = "set by you"
        touched.add(column.index)
        if role not in MULTI_ROLES:
            if role in chosen:
                raise ValueError(
                    f"You chose {role} for both {chosen[role].source!r} and {column.source!r}; "
                    "a field can come from one column only."
                )
            chosen[role] = column
    for role, column in chosen.items():
        for other in plan.columns:
            if other.role == role and other.index != column.index and other.index not in touched:
                other.role, other.reason = "extra", f"you chose {column.source!r} as {role}"
                plan.warnings.append(
                    f"'{other.source}' is kept as an extra column because you chose "
                    f"'{column.source}' as {role}."
                )
    plan.layout = _layout(plan.columns)  # type: ignore[assignment]
    if plan.kind == "unknown" and _has_score(plan.columns):
        plan.kind = "feedback"
        plan.warnings = [w for w in plan.warnings if "no score column" not in w]


# --- workbook -----------------------------------------------------------------------------


def plan_workbook(
    sheets: list[RawSheet], *, kind: str = "auto", sheet: str | None = None
) -> list[SheetPlan]:
    """Every sheet planned, best first (known kinds before unknown, then by score).

    ``sheet`` plans only that sheet (an unknown name is a ValueError naming the sheets).
    """
    if sheet is not None:
        picked = [s for s in sheets if s.name == sheet]
        if not picked:
            names = ", ".join(repr(s.name) for s in sheets)
            raise ValueError(f"There is no sheet named {sheet!r}; the file has {names}.")
        sheets = picked
    plans = [plan_sheet(s, kind=kind) for s in sheets]
    order = {id(p): i for i, p in enumerate(plans)}
    return sorted(plans, key=lambda p: (p.kind == "unknown", -p.score, order[id(p)]))


# --- touchpoint names and promise entries -------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_DROP_SUFFIXES = {"rating", "ratings", "score", "scores"}


def display_touchpoint(label: str, option: str = "") -> str:
    """A readable touchpoint name from a column header.

    "SeatComfortRating" -> "Seat comfort", "Food&Beverages" -> "Food & beverages",
    "Inflight wifi service" stays as written. Words the user typed with spaces are kept as
    they are; only run-together headers (camelCase, "A&B") are split and sentence-cased. A
    trailing "Rating"/"Score" is dropped when other words remain. For a multi-row header
    the option ("... / Check-in") is the touchpoint.
    """
    text = (option or label).strip()
    if " / " in text and not option:
        text = text.rsplit(" / ", 1)[1].strip()
    run_together = " " not in text and bool(_CAMEL.search(text) or "&" in text)
    text = re.sub(r"\s*&\s*", " & ", text)
    if run_together:
        text = _CAMEL.sub(" ", text)
    words = text.split()
    if len(words) > 1 and words[-1].casefold() in _DROP_SUFFIXES:
        words = words[:-1]
    if run_together:
        words = [words[0]] + [w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:]]
    return " ".join(words) or label


def promise_entries(sheet: RawSheet, plan: SheetPlan) -> list[dict[str, str | None]]:
    """The brand promise and its reasons to believe, in sheet order.

    Each entry: ``{"kind": "statement" | "reason_to_believe", "name": ..., "description": ...}``
    (the shape of the workspace ``promise`` table). Works for both promise layouts.
    """
    body = sheet.data.iloc[plan.data_start :]
    texts = pd.DataFrame({j: cell_text(body[j]) for j in body.columns})
    if plan.layout == "wide":
        return _entries_from_pairs(texts)
    return _entries_from_table(texts, plan)


def _entries_from_pairs(texts: pd.DataFrame) -> list[dict[str, str | None]]:
    entries: list[dict[str, str | None]] = []
    for row in texts.itertuples(index=False):
        cells = [str(v) for v in row]
        key = _promise_key(cells[0]) if cells else None
        value = cells[1] if len(cells) > 1 else ""
        note = (cells[2] if len(cells) > 2 else "") or None
        if key == "statement" and value:
            entries.append({"kind": "statement", "name": value, "description": note})
        elif key == "pillar" and value:
            entries.append({"kind": "reason_to_believe", "name": value, "description": note})
        elif key == "description" and value and entries:
            entries[-1]["description"] = value
    return entries


def _entries_from_table(texts: pd.DataFrame, plan: SheetPlan) -> list[dict[str, str | None]]:
    statement, pillar, description = (plan.first(r) for r in ("statement", "pillar", "description"))
    entries: list[dict[str, str | None]] = []
    seen: set[tuple[str, str]] = set()
    for _, row in texts.iterrows():
        note = (row[description.index] if description else "") or None
        if statement and row[statement.index] and ("statement", row[statement.index]) not in seen:
            seen.add(("statement", row[statement.index]))
            entries.append(
                {
                    "kind": "statement",
                    "name": row[statement.index],
                    "description": None if pillar else note,
                }
            )
        if pillar and row[pillar.index] and ("rtb", row[pillar.index]) not in seen:
            seen.add(("rtb", row[pillar.index]))
            entries.append(
                {"kind": "reason_to_believe", "name": row[pillar.index], "description": note}
            )
    return entries
