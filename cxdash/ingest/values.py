"""Numbers, text scores, scales and dates from raw spreadsheet columns.

Input columns come straight from the reader (``RawSheet.data``): object dtype cells that are
None, str, int, float, bool, or datetime/date/time objects (xlsx), or only strings (CSV).

Everything works column-wise. Text is parsed once per *distinct* value and the result is
broadcast back with ``pd.factorize`` codes, so a 100,000-row CSV column with a few hundred
distinct values costs a few milliseconds.

- ``to_number``: numbers, numeric text (decimal commas, thousands separators, percentages) and
  leading text scores ("10 - Extremely likely", "4 stars", "4/5", "★★★★").
- ``label_scores``: text answers (yes/no, satisfied/dissatisfied, Likert agreement, effort,
  sentiment; English, Vietnamese with or without diacritics, Simplified and Traditional Chinese)
  mapped to an ordered numeric scale.
- ``detect_scale`` / ``normalise`` / ``reverse_values``: the scale of a rating column and its
  0-100 score.
- ``parse_dates`` / ``looks_like_dates``: dates decided per column from the data, never by
  pandas' per-element guessing.

Date conventions (documented here because they are choices, not facts):

- Numeric dates such as 03/04/2021 are read day-first unless the column proves month-first
  (a second field above 12) or the caller passes ``prefer="mdy"``; the note says so.
- Two-digit years follow the POSIX ``%y`` rule: 00-68 are 2000-2068, 69-99 are 1969-1999.
- "23-Nov" (no day, as in the Skytrax "Month Flown" columns) is two-digit year then month:
  November 2023. A date without a day ("November 2017") is dated the 1st of the month.
- Time-zone suffixes ("Z", "+07:00") are dropped and the clock time as written is kept;
  fractions of a second are dropped. Years outside 1900-2100 are not accepted.
- Excel day numbers (1899-12-30 origin) are only read from numeric cells, and only when at least
  80% of the column's non-empty cells are numbers between 20000 and 80000 (1954-2119).
"""

from __future__ import annotations

import datetime as dt
import decimal as _decimal
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------------------------
# Cell kinds
# --------------------------------------------------------------------------------------------

_EMPTY, _TEXT, _NUMBER, _BOOL, _MOMENT, _TIME, _OTHER = range(7)


def _kind_of_type(t: type) -> int:
    """The kind code of one Python type found in an object column."""
    if issubclass(t, (bool, np.bool_)):
        return _BOOL
    if issubclass(t, str):
        return _TEXT
    if issubclass(t, (int, float, np.integer, np.floating, _decimal.Decimal)):
        return _NUMBER
    if issubclass(t, (dt.datetime, dt.date, np.datetime64)):  # pd.Timestamp is a datetime
        return _MOMENT
    if issubclass(t, dt.time):
        return _TIME
    return _OTHER


def _cell_kinds(col: pd.Series) -> np.ndarray:
    """One kind code per cell (``_EMPTY``, ``_TEXT``, ...), computed without per-cell parsing."""
    n = len(col)
    missing = col.isna().to_numpy()
    dtype = col.dtype
    if pd.api.types.is_bool_dtype(dtype):
        kinds = np.full(n, _BOOL, dtype=np.int8)
    elif pd.api.types.is_numeric_dtype(dtype):
        kinds = np.full(n, _NUMBER, dtype=np.int8)
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        kinds = np.full(n, _MOMENT, dtype=np.int8)
    elif isinstance(dtype, pd.StringDtype):
        kinds = np.full(n, _TEXT, dtype=np.int8)
    else:
        inferred = pd.api.types.infer_dtype(col, skipna=True)
        if inferred == "string":
            kinds = np.full(n, _TEXT, dtype=np.int8)
        elif inferred == "empty":
            kinds = np.full(n, _EMPTY, dtype=np.int8)
        else:
            codes, types = pd.factorize(col.map(type, na_action="ignore"))
            table = np.array([_kind_of_type(t) for t in types] + [_EMPTY], dtype=np.int8)
            kinds = table[codes]  # code -1 (missing) picks the trailing _EMPTY
    kinds[missing] = _EMPTY
    return kinds


def _factorize_text(values: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """Codes and stripped distinct strings (a ``str`` Series indexed 0..k-1)."""
    codes, uniques = pd.factorize(values)
    stripped = pd.Series(np.asarray(uniques, dtype=object), dtype="str").str.strip()
    return codes, stripped


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

_GROUP_SEPS = " '’\u202f\u00a0"
_SCORE_RE = r"^(?P<sign>[+-]?)(?P<num>\d+(?:[" + _GROUP_SEPS + r".,]\d+)*)\s*(?P<rest>.*?)$"
# What may follow the number for the cell to still be a score.
_REST_LABEL = r"^[-–—=:(\[.)|]\s*[^\W\d_]"  # "10 - Extremely likely", "5 (Very satisfied)"
_REST_UNIT = r"^(?:(?:stars?|sao|điểm|diem|points?|pts?)\b|分|星|颗星|顆星)"  # "4 stars", "8分"
_REST_OUT_OF = r"^(?:/|out of|trên|tren)\s*(?P<den>\d+(?:[.,]\d+)?)(?:\s*(?:stars?|sao|điểm|diem|points?|分))?$"
_REST_MONTH = r"^[-/.\s]*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:$|[-/\s,])"
_SCORE_START = r"[+-]?\d|[★⭐☆]"  # cheap filter before the regular expressions
_STARS_ONLY = r"[★⭐☆\ufe0f\s]+"

_DOT_PLAIN = r"\d+(?:\.\d+)?"
_DOT_GROUPED = r"\d{1,3}(?P<g>[," + _GROUP_SEPS + r"])\d{3}(?:(?P=g)\d{3})*(?:\.\d+)?"
_DOT_MULTI_DOTS = r"\d{1,3}(?:\.\d{3}){2,}"
_COMMA_PLAIN = r"\d+(?:,\d+)?"
_COMMA_GROUPED = r"\d{1,3}(?P<g>[." + _GROUP_SEPS + r"])\d{3}(?:(?P=g)\d{3})*(?:,\d+)?"
_COMMA_DOT_DECIMAL = r"\d+\.\d+"

_COMMA_DECIMAL_EVIDENCE = (
    r"\d+,(?:\d{1,2}|\d{4,})|0,\d+|\d{4,},\d+|\d{1,3}(?:[." + _GROUP_SEPS + r"]\d{3})+,\d+"
)
_THOUSANDS_COMMA_EVIDENCE = r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?"


def infer_decimal(texts: pd.Series) -> str:
    """',' when numeric text uses decimal commas ("4,5", "3,25", "1.234,5"), else '.'.

    A single thousands-looking value ("1,234", "12,500.50") keeps the column on '.', as does
    a column where every comma is followed by exactly three digits.
    """
    s = pd.Series(texts, dtype="str")
    tokens = s[s.str.contains(",", regex=False, na=False)].str.extract(_SCORE_RE)["num"].dropna()
    if tokens.empty:
        return "."
    comma_decimal = tokens.str.fullmatch(_COMMA_DECIMAL_EVIDENCE).any()
    thousands = tokens.str.fullmatch(_THOUSANDS_COMMA_EVIDENCE).any()
    return "," if comma_decimal and not thousands else "."


def _clean_tokens(tokens: pd.Series, decimal: str) -> pd.Series:
    """Number tokens rewritten in plain dot-decimal form; NaN where the grouping is invalid."""
    if decimal == ".":
        plain = tokens.str.fullmatch(_DOT_PLAIN)
        grouped = tokens.str.fullmatch(_DOT_GROUPED)
        multi = tokens.str.fullmatch(_DOT_MULTI_DOTS)
        ungrouped = tokens.str.replace(r"[," + _GROUP_SEPS + r"]", "", regex=True)
        cleaned = np.select(
            [plain, grouped, multi], [tokens, ungrouped, tokens.str.replace(".", "")], None
        )
    else:
        plain = tokens.str.fullmatch(_COMMA_PLAIN)
        grouped = tokens.str.fullmatch(_COMMA_GROUPED)
        dotted = tokens.str.fullmatch(_COMMA_DOT_DECIMAL)
        ungrouped = tokens.str.replace(r"[." + _GROUP_SEPS + r"]", "", regex=True)
        cleaned = np.select(
            [plain, grouped, dotted],
            [tokens.str.replace(",", "."), ungrouped.str.replace(",", "."), tokens],
            None,
        )
    return pd.Series(cleaned, index=tokens.index, dtype=object)


def _scores_from_text(texts: pd.Series, decimal: str) -> pd.Series:
    """Numbers from text that is not a plain number: text scores, grouped numbers, stars."""
    out = pd.Series(np.nan, index=texts.index, dtype="float64")
    stars = texts.str.fullmatch(_STARS_ONLY) & texts.str.contains("[★⭐]", regex=True)
    out[stars] = texts[stars].str.count("[★⭐]").astype("float64")

    parts = texts[~stars].str.extract(_SCORE_RE)
    parts = parts[parts["num"].notna()]
    if parts.empty:
        return out
    rest = parts["rest"].str.casefold()
    out_of = rest.str.extract(_REST_OUT_OF)["den"]
    label = (
        rest.str.match(_REST_LABEL)
        & ~rest.str.contains(r"\d", regex=True)
        & ~rest.str.match(_REST_MONTH)  # "22-Apr-15", "23-Nov" are dates, not scores
    )
    accepted = rest.eq("") | rest.eq("%") | label | rest.str.match(_REST_UNIT) | out_of.notna()
    numbers = pd.to_numeric(_clean_tokens(parts["num"], decimal), errors="coerce")
    numbers = numbers.where(parts["sign"].ne("-"), -numbers)
    denominators = pd.to_numeric(out_of.str.replace(",", "."), errors="coerce")
    accepted &= ~(denominators.notna() & (numbers > denominators))
    out[parts.index] = numbers.where(accepted)
    return out


def _text_to_number(values: np.ndarray, decimal: str | None) -> np.ndarray:
    """Float per text cell (distinct values parsed once)."""
    codes, texts = _factorize_text(values)
    mode = decimal or infer_decimal(texts)
    result = pd.Series(np.nan, index=texts.index, dtype="float64")
    plain = texts if mode == "." else texts[~texts.str.contains(r"[.,]", regex=True)]
    result[plain.index] = pd.to_numeric(plain, errors="coerce")
    result[~np.isfinite(result)] = np.nan
    todo = result.isna() & texts.str.match(_SCORE_START)
    if todo.any():
        result[todo] = _scores_from_text(texts[todo], mode)
    table = np.append(result.to_numpy(), np.nan)
    return table[codes]


def to_number(col: pd.Series, *, decimal: str | None = None) -> pd.Series:
    """The column as float64, NaN where a cell is not a number or a numeric text score.

    ``decimal`` is '.' or ','; None infers it for the whole column (see ``infer_decimal``).
    Booleans, dates and times are not numbers here.
    """
    if decimal not in (None, ".", ","):
        raise ValueError(f"decimal must be '.' or ',', not {decimal!r}")
    kinds = _cell_kinds(col)
    out = np.full(len(col), np.nan)
    values = col.to_numpy(dtype=object)
    numbers = kinds == _NUMBER
    if numbers.any():
        out[numbers] = np.asarray(values[numbers], dtype="float64")
    text = kinds == _TEXT
    if text.any():
        out[text] = _text_to_number(values[text], decimal)
    out[~np.isfinite(out)] = np.nan
    return pd.Series(out, index=col.index, name=col.name, dtype="float64")


# --------------------------------------------------------------------------------------------
# Scales
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """The scale of a rating column; ``na_code`` is an answer that means 'not applicable'."""

    min: float
    max: float
    na_code: float | None
    reason: str


TOUCHPOINT_METRICS = frozenset({"rating", "touchpoint_rating"})
_RANGE_HINT = re.compile(
    r"(?<![\d.])(?P<lo>[01])\s*(?:-|–|—|~|～|to|đến|den|tới|toi|至|到)\s*(?P<hi>5|7|10|100)(?![\d.])"
)
_ANCHOR_HINT = re.compile(r"(?<![\d.])(?P<lo>[01])\s*=[^=]*?(?<![\d.])(?P<hi>5|7|10)\s*=")
_OUT_OF_HINT = re.compile(r"(?:/|out of|trên|tren|满分|滿分)\s*(?P<hi>5|7|10|100)(?![\d.])")
_RECOMMEND_HINT = re.compile(
    r"(?:how )?likely (?:are you |is it that you would |would you be )?to recommend|recommend"
    r"|net promoter|\bnps\b|giới thiệu|gioi thieu|推荐|推薦",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _HeaderHint:
    lo: float | None  # None for "/10", "out of 5": the values decide 0 or 1
    hi: float
    text: str


def _header_hint(header: str) -> _HeaderHint | None:
    """A scale stated in the header: "(0-10)", "on a scale of 1 to 7", "/10", "1-5分"."""
    text = header.casefold()
    for pattern in (_RANGE_HINT, _ANCHOR_HINT):
        m = pattern.search(text)
        if m:
            return _HeaderHint(float(m["lo"]), float(m["hi"]), header[m.start() : m.end()])
    m = _OUT_OF_HINT.search(text)
    if m:
        return _HeaderHint(None, float(m["hi"]), header[m.start() : m.end()])
    return None


def _outside_note(values: pd.Series, lo: float, hi: float, na_code: float | None = None) -> str:
    """ " 3 values fall outside it." or ""."""
    outside = values[(values < lo) | (values > hi)]
    if na_code is not None:
        outside = outside[outside != na_code]
    n = len(outside)
    if n == 0:
        return ""
    return f" {n} value falls outside it." if n == 1 else f" {n} values fall outside it."


def _usual_scale(metric: str) -> tuple[float, float, str]:
    return {
        "nps": (0.0, 10.0, "NPS is asked on 0-10"),
        "csat": (1.0, 5.0, "CSAT is usually asked on 1-5"),
        "ces": (1.0, 7.0, "CES is usually asked on 1-7"),
    }.get(metric, (1.0, 5.0, "ratings are usually 1-5"))


def _fit_known_scale(v: pd.Series, lo: float, hi: float) -> tuple[float, float] | None:
    """The smallest usual scale that holds every value, or None."""
    if lo >= 0 and hi <= 1:
        return (0.0, 1.0)
    for s_lo, s_hi in ((1, 5), (0, 5), (1, 7), (1, 10), (0, 10), (0, 100)):
        if lo >= s_lo and hi <= s_hi:
            return (float(s_lo), float(s_hi))
    return None


def _is_touchpoint_na_column(v: pd.Series, metric: str) -> bool:
    """Whole-number touchpoint ratings 0-5: 0 means 'not applicable' (airline surveys)."""
    return (
        metric in TOUCHPOINT_METRICS
        and not v.empty
        and v.min() == 0
        and v.max() == 5
        and bool((v == np.round(v)).all())
    )


_NA_REASON = "for a touchpoint rating 0 means 'not applicable', so the scale is 1-5"


def _scale_from_header(v: pd.Series, hint: _HeaderHint, metric: str) -> Scale:
    observed = f" and values run from {v.min():g} to {v.max():g}" if not v.empty else ""
    said = f"The header says '{hint.text}'{observed}"
    if hint.lo is None and hint.hi == 5 and _is_touchpoint_na_column(v, metric):
        return Scale(1.0, 5.0, 0.0, f"{said}; {_NA_REASON}.")
    lo = hint.lo
    if lo is None:
        lo = 0.0 if metric == "nps" or (not v.empty and v.min() < 1) else 1.0
    return Scale(lo, hint.hi, None, f"{said}." + _outside_note(v, lo, hint.hi))


def _scale_from_values(v: pd.Series, metric: str, recommend: str | None) -> Scale:
    lo, hi = float(v.min()), float(v.max())
    observed = f"Values run from {lo:g} to {hi:g}"
    if metric == "nps":
        why = f"the header says '{recommend}'" if recommend else "NPS is asked on 0-10"
        return Scale(0.0, 10.0, None, f"{observed} and {why}." + _outside_note(v, 0, 10))
    if _is_touchpoint_na_column(v, metric):
        return Scale(1.0, 5.0, 0.0, f"{observed} in whole numbers; {_NA_REASON}.")
    if metric == "ces" and hi <= 7:
        s_hi, why = (
            (5.0, "with 5 the highest, so CES is read on 1-5")
            if hi == 5
            else (7.0, "and CES is usually 1-7")
        )
        return Scale(1.0, s_hi, None, f"{observed} {why}." + _outside_note(v, 1, s_hi))
    if metric == "csat" and hi <= 5:
        why = "CSAT is usually asked on 1-5"
        return Scale(1.0, 5.0, None, f"{observed} and {why}." + _outside_note(v, 1, 5))
    known = _fit_known_scale(v, lo, hi)
    if known is None:
        floor = min(lo, 0.0)
        top = hi if hi > floor else floor + 1.0
        return Scale(
            floor,
            top,
            None,
            f"{observed}, which is not a usual rating scale, so that range is used.",
        )
    if known == (0.0, 1.0):
        whole = bool((v == np.round(v)).all())
        why = "only 0 and 1 occur, read as no and yes" if whole else "they are shares of 1"
        return Scale(0.0, 1.0, None, f"{observed}; {why}.")
    return Scale(*known, None, f"{observed}, which fits the usual {known[0]:g}-{known[1]:g} scale.")


def detect_scale(values: pd.Series, *, metric: str | None = None, header: str = "") -> Scale:
    """The scale of a numeric rating column, with a one-sentence reason.

    Header hints win ("(0-10)", "1-5", "on a scale of 1 to 7", "/10", "out of 5",
    "thang điểm 1-5", "1-5分"). Otherwise the metric and the values decide: NPS is 0-10 (a
    header about recommending makes an unnamed metric NPS); CSAT is 1-5 unless the values need
    1-7, 1-10 or 0-10; CES is 1-7, or 1-5 when the highest answer is 5; other ratings take the
    smallest usual scale holding every value. A touchpoint rating (metric "rating" or
    "touchpoint_rating") in whole numbers 0-5 is 1-5 with 0 = not applicable. Values outside
    the chosen scale are counted in the reason, never clipped.
    """
    v = _as_numbers(values).dropna()
    m = (metric or "").casefold()
    found = _RECOMMEND_HINT.search(header)
    recommend = found.group(0) if found else None
    if not m and recommend:
        m = "nps"
    hint = _header_hint(header)
    if hint is not None:
        return _scale_from_header(v, hint, m)
    if v.empty:
        lo, hi, why = _usual_scale(m)
        return Scale(lo, hi, None, f"There are no values, and {why}.")
    return _scale_from_values(v, m, recommend)


def _as_numbers(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        out = pd.Series(
            values.to_numpy(dtype="float64", na_value=np.nan), index=values.index, name=values.name
        )
        return out.where(np.isfinite(out))
    return to_number(values)


def normalise(values: pd.Series, scale: Scale, *, reverse: bool = False) -> pd.Series:
    """Scores 0-100: (v - min) / (max - min) * 100; NaN for missing and for ``na_code``.

    ``reverse`` is for reversed wording (CES "1 = very easy"): the score becomes 100 minus it,
    which equals ``normalise(reverse_values(values, scale), scale)``. Out-of-range values are
    not clipped (they give scores below 0 or above 100); ``out_of_range`` finds them.
    """
    if scale.max <= scale.min:
        raise ValueError(
            f"A scale needs its maximum above its minimum, got {scale.min}-{scale.max}."
        )
    v = _as_numbers(values)
    if scale.na_code is not None:
        v = v.mask(v == scale.na_code)
    score = (v - scale.min) * 100.0 / (scale.max - scale.min)
    return (100.0 - score) if reverse else score


def reverse_values(values: pd.Series, scale: Scale) -> pd.Series:
    """Raw values of reversed wording turned around: max + min - v (``na_code`` kept as is)."""
    v = _as_numbers(values)
    flipped = scale.max + scale.min - v
    if scale.na_code is not None:
        flipped = flipped.mask(v == scale.na_code, scale.na_code)
    return flipped


def out_of_range(values: pd.Series, scale: Scale) -> pd.Series:
    """Boolean mask: a number outside [min, max] that is not the ``na_code``."""
    v = _as_numbers(values)
    outside = (v < scale.min) | (v > scale.max)
    if scale.na_code is not None:
        outside &= v != scale.na_code
    return outside


# --------------------------------------------------------------------------------------------
# Text labels
# --------------------------------------------------------------------------------------------

LabelKind = Literal["binary", "sentiment", "satisfaction", "agreement", "effort"]

# Families on a 7-level basis; the 5-level reading merges "somewhat X" into "X".
_SEVEN_TO_FIVE = {1: 1.0, 2: 2.0, 3: 2.0, 4: 3.0, 5: 4.0, 6: 4.0, 7: 5.0}

_SATISFACTION: dict[int, tuple[str, ...]] = {
    1: ("very dissatisfied", "extremely dissatisfied", "completely dissatisfied",
        "very unsatisfied", "rất không hài lòng", "hoàn toàn không hài lòng",
        "非常不满意", "很不满意", "极不满意"),
    2: ("dissatisfied", "unsatisfied", "not satisfied", "moderately dissatisfied",
        "không hài lòng", "不满意"),
    3: ("somewhat dissatisfied", "slightly dissatisfied", "hơi không hài lòng",
        "有点不满意", "比较不满意"),
    4: ("neutral", "neither satisfied nor dissatisfied", "neither dissatisfied nor satisfied",
        "neither", "bình thường", "trung lập", "一般", "中立", "普通"),
    5: ("somewhat satisfied", "slightly satisfied", "khá hài lòng", "比较满意", "有点满意"),
    6: ("satisfied", "moderately satisfied", "hài lòng", "满意"),
    7: ("very satisfied", "extremely satisfied", "completely satisfied", "rất hài lòng",
        "hoàn toàn hài lòng", "非常满意", "很满意"),
}  # fmt: skip
_AGREEMENT: dict[int, tuple[str, ...]] = {
    1: ("strongly disagree", "completely disagree", "totally disagree",
        "hoàn toàn không đồng ý", "rất không đồng ý", "非常不同意", "强烈不同意", "完全不同意"),
    2: ("disagree", "moderately disagree", "không đồng ý", "不同意"),
    3: ("somewhat disagree", "slightly disagree", "tend to disagree", "hơi không đồng ý",
        "有点不同意", "比较不同意"),
    4: ("neither agree nor disagree", "neither disagree nor agree", "neutral", "neither",
        "trung lập", "bình thường", "中立", "一般"),
    5: ("somewhat agree", "slightly agree", "tend to agree", "khá đồng ý", "hơi đồng ý",
        "有点同意", "比较同意"),
    6: ("agree", "moderately agree", "đồng ý", "同意"),
    7: ("strongly agree", "completely agree", "totally agree", "hoàn toàn đồng ý",
        "rất đồng ý", "非常同意", "强烈同意", "完全同意"),
}  # fmt: skip
_EFFORT: dict[int, tuple[str, ...]] = {
    1: ("very difficult", "extremely difficult", "very hard", "rất khó", "rất khó khăn",
        "非常困难", "非常难", "很难"),
    2: ("difficult", "hard", "khó", "khó khăn", "困难", "难"),
    3: ("somewhat difficult", "slightly difficult", "hơi khó", "有点困难", "比较困难", "有点难"),
    4: ("neither easy nor difficult", "neither difficult nor easy", "neutral", "neither",
        "bình thường", "一般"),
    5: ("somewhat easy", "slightly easy", "khá dễ", "hơi dễ", "比较容易", "有点容易"),
    6: ("easy", "dễ", "dễ dàng", "容易", "简单"),
    7: ("very easy", "extremely easy", "rất dễ", "rất dễ dàng", "非常容易", "非常简单", "很容易"),
}  # fmt: skip
_SENTIMENT: dict[int, tuple[str, ...]] = {
    1: ("negative", "tiêu cực", "负面", "消极"),
    2: ("neutral", "trung lập", "trung tính", "中性", "中立"),
    3: ("positive", "tích cực", "正面", "积极"),
}
_BINARY: dict[int, tuple[str, ...]] = {
    1: ("satisfied", "yes", "y", "true", "recommended", "would recommend", "có", "đúng",
        "hài lòng", "是", "满意", "推荐"),
    0: ("neutral or dissatisfied", "neutral/dissatisfied", "dissatisfied", "unsatisfied",
        "not satisfied", "no", "n", "false", "not recommended", "would not recommend",
        "không", "sai", "không hài lòng", "否", "不满意", "不推荐"),
}  # fmt: skip

# Traditional -> Simplified for the characters the vocabularies use.
_ZH_T2S = str.maketrans("滿難負極較點強積簡單對無薦號", "满难负极较点强积简单对无荐号")


def label_key(texts: pd.Series) -> pd.Series:
    """Comparable form of answer texts: case, spacing, trailing punctuation, Vietnamese
    diacritics and Traditional/Simplified Chinese differences removed."""
    s = pd.Series(texts, dtype="str").str.normalize("NFKC").str.casefold()
    s = s.str.replace(r"[\s_]+", " ", regex=True).str.strip()
    s = s.str.replace(r"^[\"'“”‘’]+|[\s\"'“”‘’.!?。！？…,;:、]+$", "", regex=True)
    s = s.str.translate(_ZH_T2S).str.replace("đ", "d", regex=False)
    s = s.str.normalize("NFD").str.replace(r"[\u0300-\u036f]", "", regex=True)
    return s.str.normalize("NFC")


def _vocab(levels: dict[int, tuple[str, ...]]) -> dict[str, int]:
    """Normalised answer -> level; a key on two levels is a mistake in the word lists."""
    labels = [(label, level) for level, words in levels.items() for label in words]
    keys = label_key(pd.Series([label for label, _ in labels]))
    vocab: dict[str, int] = {}
    for key, (label, level) in zip(keys, labels, strict=True):
        if vocab.setdefault(key, level) != level:
            raise ValueError(f"answer {label!r} is listed on two levels")
    return vocab


_FAMILIES: tuple[tuple[LabelKind, dict[str, int]], ...] = (
    ("binary", _vocab(_BINARY)),
    ("sentiment", _vocab(_SENTIMENT)),
    ("satisfaction", _vocab(_SATISFACTION)),
    ("agreement", _vocab(_AGREEMENT)),
    ("effort", _vocab(_EFFORT)),
)
_MAX_LABELS_CHECKED = 1000  # distinct answers examined; label columns have a handful
_MIN_RECOGNISED_SHARE = 0.5


@dataclass(frozen=True, eq=False)
class LabelScores:
    """Text answers mapped to numbers on an ordered scale.

    ``mapping`` goes from each recognised answer as written to its number; ``unrecognised``
    lists answers that were not understood (most frequent first, at most 20) and
    ``unrecognised_rows`` counts the rows holding them.
    """

    kind: LabelKind
    mapping: Mapping[str, float]
    scale: tuple[float, float]
    unrecognised: tuple[str, ...]
    unrecognised_rows: int
    _lookup: Mapping[str, float] = field(repr=False, default_factory=dict)

    def apply(self, col: pd.Series) -> pd.Series:
        """The column's answers as numbers (float64), NaN where not recognised or empty."""
        kinds = _cell_kinds(col)
        texts = pd.Series(_cell_text(col.to_numpy(dtype=object), kinds))
        codes, uniques = pd.factorize(texts)
        numbers = label_key(pd.Series(uniques, dtype="str")).map(self._lookup)
        table = np.append(numbers.to_numpy(dtype="float64", na_value=np.nan), np.nan)
        return pd.Series(table[codes], index=col.index, name=col.name, dtype="float64")

    def to_scale(self) -> Scale:
        """The scale as a ``Scale`` for ``normalise``."""
        what = {
            "binary": "two answers read as 1 (yes) and 0 (no)",
            "sentiment": "negative, neutral and positive read as 1, 2 and 3",
            "satisfaction": "satisfaction answers",
            "agreement": "agreement answers",
            "effort": "effort answers, from very difficult to very easy",
        }[self.kind]
        lo, hi = self.scale
        return Scale(lo, hi, None, f"Text answers: {what}, on a {lo:g}-{hi:g} scale.")


Labels = LabelScores


def _cell_text(values: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Each cell as text for label matching; None for empty cells."""
    out = np.full(len(values), None, dtype=object)
    text = kinds == _TEXT
    out[text] = values[text]
    other = (kinds != _TEXT) & (kinds != _EMPTY)
    if other.any():
        out[other] = [str(v) for v in values[other]]
    return out


def _seven_point_needed(levels: set[int]) -> bool:
    """True when the answers use more than five distinct levels of a 7-level family."""
    return len(levels) > 5 or {2, 3} <= levels or {5, 6} <= levels


def _family_scores(
    kind: LabelKind, present: set[int]
) -> tuple[dict[int, float], tuple[float, float]]:
    if kind == "binary":
        return {0: 0.0, 1: 1.0}, (0.0, 1.0)
    if kind == "sentiment":
        return {1: 1.0, 2: 2.0, 3: 3.0}, (1.0, 3.0)
    if _seven_point_needed(present):
        return {level: float(level) for level in range(1, 8)}, (1.0, 7.0)
    return dict(_SEVEN_TO_FIVE), (1.0, 5.0)


def label_scores(col: pd.Series) -> LabelScores | None:
    """Recognise outcome, agreement, satisfaction, effort or sentiment answers written as text.

    Returns None when fewer than half of the non-empty cells are recognised answers (a number
    column, a comment column). Numbers and 1/0 columns are not labels.
    """
    kinds = _cell_kinds(col)
    texts = _cell_text(col.to_numpy(dtype=object), kinds)
    codes, uniques = pd.factorize(texts)
    if len(uniques) == 0:
        return None
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    order = np.argsort(-counts, kind="stable")[:_MAX_LABELS_CHECKED]
    answers = pd.Series(np.asarray(uniques, dtype=object)[order], dtype="str")
    rows = counts[order]
    keys = label_key(answers)
    nonblank = keys.ne("").to_numpy()
    total = int(counts.sum() - rows[~nonblank].sum())
    if total == 0:
        return None
    best: tuple[int, LabelKind, dict[str, int]] | None = None
    for kind, vocab in _FAMILIES:
        covered = int(rows[keys.isin(vocab.keys()).to_numpy()].sum())
        if covered and (best is None or covered > best[0]):
            best = (covered, kind, vocab)
    if best is None or best[0] < _MIN_RECOGNISED_SHARE * total:
        return None
    covered, kind, vocab = best
    levels = keys.map(vocab)
    present = {int(level) for level in levels.dropna()}
    scores, scale = _family_scores(kind, present)
    numbers = levels.map(scores)
    known = numbers.notna().to_numpy()
    mapping = dict(zip(answers[known], numbers[known], strict=True))
    lookup = dict(zip(keys[known], numbers[known], strict=True))
    missing = ~known & nonblank
    return LabelScores(
        kind=kind,
        mapping=MappingProxyType(mapping),
        scale=scale,
        unrecognised=tuple(answers[missing].head(20)),
        unrecognised_rows=int(counts.sum() - covered - rows[~nonblank].sum()),
        _lookup=MappingProxyType(lookup),
    )


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

DateOrder = Literal[
    "iso", "dmy", "mdy", "ymd", "excel-serial", "native", "text-month", "mixed", "none"
]

_EXCEL_ORIGIN = pd.Timestamp("1899-12-30")
_EXCEL_MIN, _EXCEL_MAX = 20000, 80000
_EXCEL_SHARE = 0.8
_YEAR_MIN, _YEAR_MAX = 1900, 2100

_CLOCK = (
    r"(?:(?:\s+|t|,\s*)(?P<ap0>上午|下午)?(?P<H>\d{1,2}):(?P<M>\d{2})"
    r"(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s*(?P<ap>[ap]\.?\s?m\.?|sa|ch)?)?"
    r"\s*(?:z|utc|gmt|(?:utc|gmt)?\s?[+-]\d{1,2}(?::?\d{2})?)?"
)
_CLOCK_TIGHT = _CLOCK.replace(r"(?:\s+|t|,\s*)", r"(?:\s*|t|,\s*)", 1)  # "2023年11月19日08:28"
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_BLANKS = "[ \t\r\n\xa0]+"  # no backslash-s: keeps pandas on pyarrow's fast regex engine
_WEEKDAY = r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? +"
_NUMERIC_DATE = r"^(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})" + _CLOCK + "$"
# (family, pattern); groups: y, m or mon, d (optional), time groups.
_WORD_DATES: tuple[tuple[str, str], ...] = (
    ("text-month", rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s\-/.]*{_MON}[\s\-/.,]*"
                   rf"(?P<y>\d{{4}}|\d{{2}}){_CLOCK}$"),
    ("text-month", rf"^{_MON}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_CLOCK}$"),
    ("text-month", rf"^{_MON}[\s\-/.,']*(?P<y>\d{{4}})$"),
    ("text-month", rf"^(?P<y>\d{{2}})-{_MON}$"),
    ("text-month", rf"^{_MON}-(?P<y>\d{{2}})$"),
    ("ymd", rf"^(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?:(?P<d>\d{{1,2}})\s*[日号號])?"
            rf"{_CLOCK_TIGHT}$"),
    ("dmy", rf"^(?:ngày\s*)?(?P<d>\d{{1,2}})\s*tháng\s*(?P<m>\d{{1,2}})\s*(?:năm\s*|[,/]\s*)?"
            rf"(?P<y>\d{{4}}){_CLOCK}$"),
    ("dmy", r"^tháng\s*(?P<m>\d{1,2})\s*(?:năm\s*|[,/]\s*)?(?P<y>\d{4})$"),
)  # fmt: skip
_ISO_FAST = r"\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
_ISO_TAIL = r"(?:\.\d+)?(?:z|[+-]\d{2}:?\d{2})?$"
_ISO_FORMATS = {10: "%Y-%m-%d", 16: "%Y-%m-%d %H:%M", 19: "%Y-%m-%d %H:%M:%S"}
_NUMERIC_FAST = (
    r"\d{1,2}(?:/\d{1,2}/|\.\d{1,2}\.|-\d{1,2}-)(?:\d{4}|\d{2})"
    r"(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[ap]m)?)?"
)
_DATE_FORMATS = {"dmy": "%d/%m/{y}", "mdy": "%m/%d/{y}", "ymd": "{y}/%m/%d"}
_ORDER_NAMES = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day"}
_MAX_DATE_LENGTH = 48
_DATE_START = r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ngày|tháng"
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_PARTS = ("y", "m", "d", "H", "M", "S", "ap")


@dataclass
class DateParse:
    """A column read as dates, with how it was read in words for the import report."""

    values: pd.Series  # datetime64[ns] (naive), NaT where unparseable or empty
    order: DateOrder
    ambiguous: bool  # every numeric date fits both day-first and month-first
    failed: pd.Series  # bool: a non-empty cell that could not be read as a date
    note: str


@dataclass
class _TextDates:
    """Per distinct text value: the parsed date, how it was read, and column-level findings."""

    values: np.ndarray  # datetime64[ns] per unique
    family: np.ndarray  # object: 'iso' | 'ymd' | 'dmy' | 'mdy' | 'text-month' | ''
    blank: np.ndarray  # bool per unique
    ambiguous: bool = False
    order_note: str = ""  # how numeric dates were read ("Dates read as day/month/year (...)")
    notes: list[str] = field(default_factory=list)


def _expand_two_digit_years(y: pd.Series) -> pd.Series:
    """Years from text: two-digit years use the POSIX %y pivot (00-68 -> 20xx)."""
    years = pd.to_numeric(y, errors="coerce")
    short = y.str.len() <= 2
    return years.where(~short, years + np.where(years <= 68, 2000, 1900))


def _within_years(values: pd.Series) -> pd.Series:
    """datetime64[ns]; NaT outside the accepted years."""
    values = values.astype("datetime64[ns]")
    return values.where(values.dt.year.between(_YEAR_MIN, _YEAR_MAX))


def _assemble(parts: pd.DataFrame) -> pd.Series:
    """Dates from text parts y, m, d, H, M, S, ap (strings), via one explicit format."""
    if parts.empty:
        return pd.Series(pd.NaT, index=parts.index, dtype="datetime64[ns]")
    year = _expand_two_digit_years(parts["y"])
    num = {k: pd.to_numeric(parts[k], errors="coerce") for k in ("m", "d", "H", "M", "S")}
    day = num["d"].fillna(1)
    hour, minute, second = num["H"].fillna(0), num["M"].fillna(0), num["S"].fillna(0)
    ap = parts["ap"].fillna("").str.replace(r"[.\s]", "", regex=True)
    pm = ap.isin(["pm", "ch", "下午"]).to_numpy()
    am = ap.isin(["am", "sa", "上午"]).to_numpy()
    hour = hour.where(~(pm | am), hour % 12 + np.where(pm, 12, 0))
    ok = year.between(_YEAR_MIN, _YEAR_MAX) & num["m"].notna()
    text = (
        year.fillna(0).astype("int64").astype("str").str.zfill(4)
        + "-" + num["m"].fillna(0).astype("int64").astype("str").str.zfill(2)
        + "-" + day.astype("int64").astype("str").str.zfill(2)
        + " " + hour.astype("int64").astype("str").str.zfill(2)
        + ":" + minute.astype("int64").astype("str").str.zfill(2)
        + ":" + second.astype("int64").astype("str").str.zfill(2)
    )  # fmt: skip
    parsed = pd.to_datetime(text.where(ok), format="%Y-%m-%d %H:%M:%S", errors="coerce")
    return parsed.astype("datetime64[ns]")


def _empty_parts(index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(pd.NA, index=index, dtype="str") for k in _PARTS})


def _parse_by_key(
    texts: pd.Series, keys: pd.Series, format_of: Callable[[str], str | None]
) -> pd.Series:
    """Parse each group of texts sharing a shape key with that key's explicit format."""
    out = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[ns]")
    for key in keys.unique():
        fmt = format_of(key)
        if fmt is not None:
            mask = keys == key
            out[mask] = pd.to_datetime(texts[mask], format=fmt, errors="coerce")
    return _within_years(out)


def _iso_dates(texts: pd.Series) -> pd.Series:
    """ISO dates and timestamps; time zones and fractions of a second dropped."""
    timed = texts.str.len() > 10
    clock = texts.str.replace("t", " ", regex=False).str.replace(_ISO_TAIL, "", regex=True)
    plain = texts.where(~timed, clock)
    return _parse_by_key(plain, plain.str.len(), _ISO_FORMATS.get)


def _numeric_format(key: str, order: str) -> str | None:
    """strptime format for a numeric date shape such as '9/9/Y 9:9 pm' read in ``order``."""
    date_key, _, clock = key.partition(" ")
    long_year = date_key.endswith("Y")
    if order == "ymd" and long_year:
        return None
    fmt = _DATE_FORMATS[order].format(y="%Y" if long_year else "%y")
    if not clock:
        return fmt
    twelve = clock.endswith("m")
    time = ("%I:%M" if twelve else "%H:%M") + (":%S" if clock.count(":") == 2 else "")
    return f"{fmt} {time}" + (" %p" if twelve else "")


def _fast_numeric_text(texts: pd.Series) -> pd.Series:
    """'25.12.2021 9:05PM' -> '25/12/2021 9:05 pm' (separators and am/pm made uniform)."""
    s = texts.str.replace(r"[.\-]", "/", regex=True)
    return s.str.replace(r" ?am$", " am", regex=True).str.replace(r" ?pm$", " pm", regex=True)


def _fields_fast(s: pd.Series) -> pd.DataFrame:
    """First, second and year field of normalised numeric dates, with vectorised string ops."""
    first = s.str.replace(r"/.*$", "", regex=True)
    second = s.str.replace(r"^\d+/", "", regex=True).str.replace(r"/.*$", "", regex=True)
    year = s.str.replace(r"^\d+/\d+/", "", regex=True).str.replace(r" .*$", "", regex=True)
    return _fields(first, second, year)


def _fields(first: pd.Series, second: pd.Series, year: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": pd.to_numeric(first, errors="coerce"),
            "b": pd.to_numeric(second, errors="coerce"),
            "c": pd.to_numeric(year, errors="coerce"),
            "c_long": year.str.len().eq(4),
        },
        index=first.index,
    )


def _parse_fast_numeric(s: pd.Series, order: str) -> pd.Series:
    """Parse normalised numeric dates in ``order`` with one explicit format per shape."""
    keys = s.str.replace(r"\d{4}", "Y", regex=True).str.replace(r"\d+", "9", regex=True)
    return _parse_by_key(s, keys, lambda key: _numeric_format(key, order))


def _parse_slow_numeric(ex: pd.DataFrame, order: str) -> pd.Series:
    """Parse numeric dates from regex parts a/b/c and the clock, in ``order``."""
    y, m, d = {"dmy": ("c", "b", "a"), "mdy": ("c", "a", "b"), "ymd": ("a", "b", "c")}[order]
    parts = ex[["H", "M", "S"]].assign(y=ex[y], m=ex[m], d=ex[d], ap=ex["ap"].fillna(ex["ap0"]))
    return _assemble(parts)


_LONGEST_MONTH = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype="float64")


def _valid_day(day: pd.Series, month: pd.Series) -> pd.Series:
    """True where (day, month) can be a date in some year."""
    months = month.where(month.between(1, 12), 0).fillna(0).astype("int64").to_numpy()
    return day.ge(1) & day.le(_LONGEST_MONTH[months])


def _decide_numeric_order(
    fields: pd.DataFrame, raw: pd.Series, prefer: str | None
) -> tuple[str, bool, str, pd.Series]:
    """Field order for the whole column: (order, ambiguous, note, usable mask).

    A value whose fields only make sense day-first (25/12/2021) proves day-first, and the
    other way round. In a column with proof of both, the better-supported order wins and the
    values proving the other one are left unread rather than guessed (``usable`` is False).
    """
    a, b, c = fields["a"], fields["b"], fields["c"]
    dmy, mdy = _valid_day(a, b), _valid_day(b, a)
    ymd = ~fields["c_long"] & _valid_day(c, b)
    everything = pd.Series(True, index=fields.index)
    if (ymd & ~dmy & ~mdy).any() and not ((dmy | mdy) & ~ymd).any():
        return "ymd", False, "Dates read as year-month-day with two-digit years.", everything
    proof_d, proof_m = dmy & ~mdy, mdy & ~dmy
    n_day, n_month = int(proof_d.sum()), int(proof_m.sum())
    if n_day or n_month:
        order, proof, against = (
            ("dmy", proof_d, proof_m) if n_day >= n_month else ("mdy", proof_m, proof_d)
        )
        note = f"Dates read as {_ORDER_NAMES[order]} ({raw[proof[proof].index[0]]} proves it)."
        if against.any():
            other = _ORDER_NAMES["mdy" if order == "dmy" else "dmy"]
            example = raw[against[against].index[0]]
            note = note[:-1] + f", but some, such as {example}, only fit {other} and were not read."
        return order, False, note, ~against
    order = "mdy" if prefer == "mdy" else "dmy"
    both = dmy & mdy
    if not both.any():
        return order, False, "", everything
    why = "as requested" if prefer else "the default; check this is right"
    note = (
        f"Every date such as {raw[both[both].index[0]]} fits both day/month and "
        f"month/day; they were read as {_ORDER_NAMES[order]} ({why})."
    )
    return order, True, note, everything


def _word_dates(texts: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """Parts and family for dates written with month names or Chinese/Vietnamese words."""
    parts = _empty_parts(texts.index)
    family = pd.Series("", index=texts.index, dtype=object)
    for name, pattern in _WORD_DATES:
        todo = texts[family.eq("")]
        if todo.empty:
            break
        ex = todo.str.extract(pattern)
        ex = ex[ex["y"].notna()]
        if ex.empty:
            continue
        month = ex["m"] if "m" in ex else ex["mon"].str[:3].map(_MONTHS).astype("str")
        parts.loc[ex.index, "y"], parts.loc[ex.index, "m"] = ex["y"], month
        for k in ("d", "H", "M", "S", "ap"):
            if k in ex:
                parts.loc[ex.index, k] = ex[k]
        if "ap0" in ex:
            parts.loc[ex["ap0"].dropna().index, "ap"] = ex["ap0"].dropna()
        family[ex.index] = name
    matched = family.ne("")
    return parts[matched], family[matched]


def _store(result: _TextDates, values: pd.Series, family: str | pd.Series) -> None:
    """Record parsed dates for some distinct values (family '' where a value failed)."""
    if values.empty:
        return
    dates = values.to_numpy(dtype="datetime64[ns]")
    index = values.index.to_numpy()
    result.values[index] = dates
    names = np.asarray(family, dtype=object) if isinstance(family, pd.Series) else family
    result.family[index] = np.where(np.isnat(dates), "", names)


def _text_dates(values: np.ndarray, prefer: str | None) -> tuple[np.ndarray, _TextDates]:
    """Parse text cells (distinct values once); returns codes and per-unique results.

    Common forms (ISO, numeric d/m/y with an optional clock time) are parsed with explicit
    strptime formats per shape; rarer forms go through regular expressions.
    """
    codes, raw = _factorize_text(values)
    texts = raw.str.lower().str.replace(_BLANKS, " ", regex=True)
    texts = texts.str.replace(_WEEKDAY, "", regex=True)
    result = _TextDates(
        values=np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[ns]"),
        family=np.full(len(raw), "", dtype=object),
        blank=raw.eq("").to_numpy(),
    )
    candidate = texts[texts.str.len().le(_MAX_DATE_LENGTH) & texts.str.match(_DATE_START)]
    iso = candidate.str.fullmatch(_ISO_FAST)
    _store(result, _iso_dates(candidate[iso]), "iso")
    rest = candidate[~iso]
    fast_mask = rest.str.fullmatch(_NUMERIC_FAST)
    fast, slow = _fast_numeric_text(rest[fast_mask]), rest[~fast_mask]

    ex = slow.str.extract(_NUMERIC_DATE)
    ex = ex[ex["a"].notna()]
    long_first = ex[ex["a"].str.len() == 4]
    parts = long_first[["H", "M", "S"]].assign(
        y=long_first["a"], m=long_first["b"], d=long_first["c"], ap=long_first["ap"]
    )
    _store(result, _assemble(parts), pd.Series(np.where(long_first["sep"] == "-", "iso", "ymd")))
    short = ex[(ex["a"].str.len() <= 2) & ex["c"].str.len().isin([2, 4])]
    fields = pd.concat([_fields_fast(fast), _fields(short["a"], short["b"], short["c"])])
    if not fields.empty:
        order, result.ambiguous, result.order_note, usable = _decide_numeric_order(
            fields, raw, prefer
        )
        _store(result, _parse_fast_numeric(fast[usable[fast.index]], order), order)
        _store(result, _parse_slow_numeric(short[usable[short.index]], order), order)

    word_parts, word_family = _word_dates(slow[~slow.index.isin(ex.index)])
    _store(result, _assemble(word_parts), word_family)
    _note_word_conventions(raw, texts, result)
    return codes, result


def _note_word_conventions(raw: pd.Series, texts: pd.Series, result: _TextDates) -> None:
    """Add notes on the interpretations that are choices (YY-Mon, day-less months)."""
    words = texts[result.family == "text-month"]
    yy_mon = words[words.str.fullmatch(r"\d{2}-" + _MON)]
    if not yy_mon.empty:
        when = pd.Timestamp(result.values[yy_mon.index[0]])
        result.notes.append(
            f"Values like {raw[yy_mon.index[0]]} are read as two-digit year and month "
            f"({when:%B %Y}), dated the 1st."
        )
    dated = texts[result.family != ""]
    no_day = dated[
        dated.str.fullmatch(_MON + r"[\s\-/.,']*\d{4}|" + _MON + r"-\d{2}|.*年\s*\d{1,2}\s*月")
    ]
    if not no_day.empty:
        result.notes.append(
            f"Dates without a day (such as {raw[no_day.index[0]]}) are dated the 1st of the month."
        )


def _without_tz(value: object) -> object:
    return value.replace(tzinfo=None) if getattr(value, "tzinfo", None) is not None else value


def _native_dates(values: np.ndarray) -> np.ndarray:
    """datetime64[ns] from datetime/date/Timestamp cells; time zones dropped, clock time kept."""
    series = pd.Series(values, dtype=object)
    try:
        parsed = pd.to_datetime(series, errors="coerce")
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = parsed.dt.tz_localize(None)
        out = parsed.to_numpy(dtype="datetime64[ns]")
    except (ValueError, TypeError):  # naive and aware values together
        out = np.full(len(series), np.datetime64("NaT"), dtype="datetime64[ns]")
    retry = np.isnat(out)
    if retry.any():  # values in other time zones than the first one, or a mix
        naive = series[retry].map(_without_tz)
        out[retry] = pd.to_datetime(naive, errors="coerce").to_numpy(dtype="datetime64[ns]")
    return out


_ORDER_WORDS: dict[str, str] = {
    "iso": "Dates are in year-month-day (ISO) form.",
    "dmy": "Dates read as day/month/year.",
    "mdy": "Dates read as month/day/year.",
    "ymd": "Dates read as year/month/day.",
    "native": "Dates came as real dates from the spreadsheet.",
    "text-month": "Dates are written with month names.",
}


def _column_order(families: pd.Series) -> DateOrder:
    """The one form the dates were read in; ISO and other year-first dates count as 'ymd'."""
    present = set(families[families.ne("")].unique())
    if not present:
        return "none"
    if present == {"iso", "ymd"}:
        return "ymd"
    return present.pop() if len(present) == 1 else "mixed"


def _failure_note(col: pd.Series, failed: np.ndarray, kinds: np.ndarray) -> str:
    n = int(failed.sum())
    if not n:
        return ""
    times = int((failed & (kinds == _TIME)).sum())
    example = col[failed].iloc[0]
    plural = "s" if n != 1 else ""
    note = f"{n} value{plural} could not be read as a date, for example '{example}'."
    if times:
        note += f" {times} of them {'is a time' if times == 1 else 'are times'} without a date."
    return note


def parse_dates(col: pd.Series, *, prefer: Literal["dmy", "mdy"] | None = None) -> DateParse:
    """Read a column as dates, deciding the form for the whole column from its values.

    ``prefer`` settles numeric dates that fit both day-first and month-first (default
    day-first). See the module docstring for the conventions used.
    """
    kinds = _cell_kinds(col)
    values = col.to_numpy(dtype=object)
    out = np.full(len(col), np.datetime64("NaT"), dtype="datetime64[ns]")
    family = np.full(len(col), "", dtype=object)
    empty = kinds == _EMPTY
    notes: list[str] = []
    order_note = ""
    ambiguous = False

    moments = kinds == _MOMENT
    if moments.any():
        out[moments] = _native_dates(values[moments])
        family[moments] = "native"
    text = kinds == _TEXT
    if text.any():
        codes, found = _text_dates(values[text], prefer)
        out[text] = np.append(found.values, np.datetime64("NaT"))[codes]
        family[text] = np.append(found.family, "")[codes]
        empty[text] = np.append(found.blank, False)[codes]
        ambiguous, order_note, notes = found.ambiguous, found.order_note, found.notes
    numbers = kinds == _NUMBER
    if numbers.any():
        serial = np.asarray(values[numbers], dtype="float64")
        in_range = (serial >= _EXCEL_MIN) & (serial <= _EXCEL_MAX)
        if in_range.sum() >= _EXCEL_SHARE * max(int((~empty).sum()), 1):
            days = pd.to_timedelta(np.where(in_range, serial, np.nan), unit="D")
            out[numbers] = (_EXCEL_ORIGIN + days).round("s").to_numpy(dtype="datetime64[ns]")
            family[numbers] = np.where(in_range, "excel-serial", "")
            notes.append(
                f"Dates came as Excel day numbers (for example {serial[in_range][0]:g} is "
                f"{_EXCEL_ORIGIN + pd.Timedelta(days=float(serial[in_range][0])):%d %B %Y})."
            )

    failed = ~empty & np.isnat(out)
    order = _column_order(pd.Series(family))
    lead = order_note if order in ("dmy", "mdy", "ymd") and order_note else _ORDER_WORDS.get(order)
    if order == "mixed":
        forms = ", ".join(sorted(set(family[family != ""])))
        lead = f"The column mixes date forms ({forms})."
        notes = [order_note, *notes]
    if order == "none":
        lead = "No dates could be read." if (~empty).any() else "The column is empty."
    note = " ".join(p for p in [lead, *notes, _failure_note(col, failed, kinds)] if p)
    return DateParse(
        values=pd.Series(out, index=col.index, name=col.name, dtype="datetime64[ns]"),
        order=order,
        ambiguous=ambiguous and order in ("dmy", "mdy"),
        failed=pd.Series(failed, index=col.index, name=col.name),
        note=note,
    )


def looks_like_dates(col: pd.Series) -> float:
    """Share (0-1) of the non-empty cells that read as dates; 0.0 for an empty column."""
    parsed = parse_dates(col)
    read = int(parsed.values.notna().sum())
    total = read + int(parsed.failed.sum())
    return read / total if total else 0.0
