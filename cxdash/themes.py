"""Experience themes: the codebook in the workspace, tagging comments, theme analytics.

Tagging
    Every comment is normalised once: NFKC, casefold, curly apostrophes made
    straight, Traditional Chinese folded to Simplified. A second form has the
    Vietnamese diacritics stripped (``chờ lâu`` -> ``cho lau``). Each theme is
    one regular expression (an alternation of its keywords) run over the whole
    column at once by Arrow's RE2 engine, which is linear in the text length
    whatever the number of keywords. Latin-script keywords must stand as whole
    words (``fast`` does not match ``breakfast``); Chinese keywords match as
    substrings. A comment typed *with* diacritics is matched against the
    keywords as stored; a comment typed *without* any diacritics is also matched
    against the keywords' stripped forms (so ``cho lau`` is caught but ``chó lâu``
    is not taken for ``chờ lâu``). Duplicate comments are tagged once: a wide
    survey repeats the response's comment on every rating row.

    A theme column in the export wins: rows whose ``theme_source`` is
    ``'export'`` keep the themes the importer gave them; :func:`retag` only
    rewrites the others (``theme_source`` NULL or ``'codebook'``).

Analytics
    Themes are counted per *response* (its ``response_key``, one per ``import_id`` and
    ``response_id``), never per rating row. A response's themes are those on any of its
    rows. Whether a response is *negative* is decided once per response, from the best score
    it has: NPS if it has one (detractor, 0-6), else CSAT (1-2 on 1-5, i.e.
    score <= 25), else the overall score, CES, or the mean touchpoint rating
    (score <= 25 on the 0-100 scale). Responses without any score count as
    mentions but not in ``negative_share`` or ``mean_score``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cxdash.codebook import LANGUAGES, THEMES, TRADITIONAL_TO_SIMPLIFIED, default_keywords
from cxdash.errors import CxdashError
from cxdash.filters import Filters
from cxdash.metrics import ScanPart, register_scan_part, scan_result
from cxdash.privacy import mask_pii_series
from cxdash.workspace import Workspace, register_migration

Span = tuple[int, int, str, str]

# -- normalisation ------------------------------------------------------------

_FOLD = str.maketrans({**TRADITIONAL_TO_SIMPLIFIED, "’": "'", "‘": "'", "ʼ": "'"})
_STRIP_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def normalise(text: str) -> str:
    """The matching form of one text: NFKC, casefold, straight apostrophes, Simplified Chinese."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)


def strip_diacritics(text: str) -> str:
    """``normalise``-d text without Vietnamese (and other Latin) diacritics; ``đ`` -> ``d``."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).translate(_STRIP_EXTRA)


_FOLD_NEEDED = re.compile("[" + "".join(sorted(chr(c) for c in _FOLD)) + "]")
# A text "has diacritics" when it holds a non-ASCII Latin letter or a combining mark.
_HAS_DIACRITICS = "[À-ÖØ-öø-ɏ̀-ͯḀ-ỿ]"
_HAS_DIACRITICS_RE = re.compile(_HAS_DIACRITICS)


def _normalise_array(texts: Iterable[str]) -> pa.Array:
    """Vectorised :func:`normalise` (the character folding only visits texts that need it)."""
    folded = [unicodedata.normalize("NFKC", t).casefold() for t in texts]
    folded = [t.translate(_FOLD) if _FOLD_NEEDED.search(t) else t for t in folded]
    return pa.array(folded, type=pa.string())


# -- compiling the codebook ---------------------------------------------------

# Letters of Latin scripts (Vietnamese included), digits, combining marks, underscore.
# Chinese characters are deliberately *not* word characters, so "vip会员" matches "vip".
_WORD = "[0-9A-Za-z_À-ÖØ-öø-ɏ̀-ͯḀ-ỿ]"
_NOT_WORD = "[^0-9A-Za-z_À-ÖØ-öø-ɏ̀-ͯḀ-ỿ]"
_SEPARATOR = r"[\s\-]+"
_RE_SPECIAL = set(r"\.^$|?*+()[]{}#&~")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _escape(part: str) -> str:
    """Escape regex metacharacters in a way both RE2 and Python's ``re`` accept."""
    return "".join("\\" + ch if ch in _RE_SPECIAL else ch for ch in part)


def _core(keyword: str) -> str:
    """The regex body of one normalised keyword (no word boundaries).

    Words are separated by spaces or hyphens; a word ending in ``*`` is a stem
    (``cancel* online`` matches "cancelled online").
    """
    parts = [p for p in re.split(r"[\s\-]+", keyword.strip()) if p.rstrip("*")]
    return _SEPARATOR.join(
        _escape(p.rstrip("*")) + (_WORD + "*" if p.endswith("*") else "") for p in parts
    )


def _is_cjk(keyword: str) -> bool:
    return bool(_CJK.search(keyword))


def _re2_pattern(keywords: Iterable[str]) -> str | None:
    """One RE2 pattern for a theme: whole-word Latin keywords, substring Chinese keywords."""
    words = sorted({k for k in keywords if not _is_cjk(k)}, key=len, reverse=True)
    cjk = sorted({k for k in keywords if _is_cjk(k)}, key=len, reverse=True)
    branches = []
    if words:
        alternation = "|".join(_core(k) for k in words)
        branches.append(f"(?:^|{_NOT_WORD})(?:{alternation})(?:{_NOT_WORD}|$)")
    if cjk:
        branches.append("|".join(_core(k) for k in cjk))
    return "|".join(branches) if branches else None


def _py_pattern(keywords: list[str]) -> str | None:
    """The source of a Python pattern for a theme with one capturing group per keyword
    (for spans). Compiled on first use by :func:`_regex`: tagging at import never needs it."""
    if not keywords:
        return None
    groups = []
    for k in keywords:
        core = _core(k)
        groups.append(f"({core})" if _is_cjk(k) else f"(?<!{_WORD})({core})(?!{_WORD})")
    return "|".join(groups)


@functools.lru_cache(maxsize=256)
def _regex(source: str) -> re.Pattern[str]:
    return re.compile(source)


@dataclass(frozen=True)
class CompiledCodebook:
    """A codebook ready for matching.

    ``keywords`` holds, per theme, the keywords as stored (for display) and
    their normalised and stripped forms.
    """

    themes: tuple[str, ...]
    keywords: dict[str, tuple[str, ...]]
    accented: dict[str, str]  # theme -> RE2 pattern over the normalised text
    plain: dict[str, str]  # theme -> RE2 pattern of stripped forms (texts without diacritics)
    py_accented: dict[str, tuple[str | None, tuple[str, ...]]]  # pattern source, keywords
    py_plain: dict[str, tuple[str | None, tuple[str, ...]]]


def compile_codebook(codebook: Any = None) -> CompiledCodebook:
    """Compile a codebook given as a DataFrame (``theme``, ``keyword``), a mapping
    ``theme -> keywords``, an already compiled codebook, or None (the default codebook)."""
    if isinstance(codebook, CompiledCodebook):
        return codebook
    by_theme: dict[str, list[str]] = {}
    if codebook is None:
        pairs: Iterable[tuple[str, str]] = ((t, k) for t, k, _ in default_keywords())
    elif isinstance(codebook, pd.DataFrame):
        pairs = zip(codebook["theme"].astype(str), codebook["keyword"].astype(str), strict=True)
    elif isinstance(codebook, Mapping):
        pairs = ((t, k) for t, ks in codebook.items() for k in ks)
    else:
        raise TypeError("codebook must be a DataFrame, a mapping of theme to keywords or None")
    for theme, keyword in pairs:
        if keyword and keyword.strip().rstrip("*").strip():
            by_theme.setdefault(theme, []).append(keyword.strip())
    themes = tuple(sorted(by_theme))
    accented: dict[str, str] = {}
    plain: dict[str, str] = {}
    py_accented: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    py_plain: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    for theme in themes:
        stored = list(dict.fromkeys(by_theme[theme]))
        norm = [normalise(k) for k in stored]
        stripped = [strip_diacritics(n) for n in norm]
        differs = [i for i, (n, s) in enumerate(zip(norm, stripped, strict=True)) if n != s]
        accented[theme] = _re2_pattern(norm) or ""
        plain[theme] = _re2_pattern([stripped[i] for i in differs]) or ""
        # Longest keywords first, so a span covers "态度很差" rather than a shorter keyword.
        order = sorted(range(len(stored)), key=lambda i: len(norm[i]), reverse=True)
        py_accented[theme] = (
            _py_pattern([norm[i] for i in order]),
            tuple(stored[i] for i in order),
        )
        plain_order = [i for i in order if i in set(differs)]
        py_plain[theme] = (
            _py_pattern([stripped[i] for i in plain_order]),
            tuple(stored[i] for i in plain_order),
        )
    return CompiledCodebook(
        themes=themes,
        keywords={t: tuple(dict.fromkeys(by_theme[t])) for t in themes},
        accented=accented,
        plain=plain,
        py_accented=py_accented,
        py_plain=py_plain,
    )


# -- matching -------------------------------------------------------------------


def _theme_bits(texts: list[str], cb: CompiledCodebook) -> np.ndarray:
    """One integer per text whose bit ``i`` says theme ``cb.themes[i]`` was found."""
    norm = _normalise_array(texts)
    # Texts without diacritics equal their stripped form, so the stripped keyword forms
    # can run over the normalised text itself.
    no_marks = pc.invert(pc.match_substring_regex(norm, _HAS_DIACRITICS))
    bits = np.zeros(len(texts), dtype=np.int64)
    for i, theme in enumerate(cb.themes):
        hit = pc.match_substring_regex(norm, cb.accented[theme]) if cb.accented[theme] else None
        if cb.plain[theme]:
            plain_hit = pc.and_(no_marks, pc.match_substring_regex(norm, cb.plain[theme]))
            hit = plain_hit if hit is None else pc.or_(hit, plain_hit)
        if hit is not None:
            mask = np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
            bits[mask] |= 1 << i
    return bits


def tag_comments(comments: pd.Series, codebook: Any = None) -> pd.Series:
    """The experience themes each comment mentions, as a sorted list (empty when none).

    Same index as ``comments``; missing comments get an empty list. Each distinct
    comment is matched once.
    """
    cb = compile_codebook(codebook)
    codes, uniques = pd.factorize(comments, use_na_sentinel=True)
    if len(uniques) == 0 or not cb.themes:
        return pd.Series([[] for _ in range(len(comments))], index=comments.index, dtype=object)
    bits = _theme_bits([str(u) for u in uniques], cb)
    combos = {
        int(b): sorted(t for i, t in enumerate(cb.themes) if b >> i & 1) for b in np.unique(bits)
    }
    per_unique = [combos[int(b)] for b in bits]
    out = [list(per_unique[c]) if c >= 0 else [] for c in codes]
    return pd.Series(out, index=comments.index, dtype=object)


def _char_map(text: str) -> tuple[str, list[int]]:
    """``normalise(text)`` char by char, with the source index of every output character."""
    out: list[str] = []
    src: list[int] = []
    for i, ch in enumerate(text):
        n = normalise(ch)
        out.append(n)
        src.extend([i] * len(n))
    return "".join(out), src


def matched_keywords(text: str, codebook: Any = None) -> list[Span]:
    """Keyword occurrences in ``text`` as ``(start, end, theme, keyword)``, by start.

    ``start``/``end`` index ``text`` itself (for marking keywords in a verbatim);
    ``keyword`` is the codebook entry as stored (``wait*``, ``chờ lâu``).
    """
    if not isinstance(text, str) or not text:
        return []
    cb = compile_codebook(codebook)
    norm, src = _char_map(text)
    no_marks = _HAS_DIACRITICS_RE.search(norm) is None
    spans: set[Span] = set()
    for theme in cb.themes:
        passes = [cb.py_accented[theme]] + ([cb.py_plain[theme]] if no_marks else [])
        for pattern, stored in passes:
            if pattern is None:
                continue
            for m in _regex(pattern).finditer(norm):
                if m.end() == m.start() or m.lastindex is None:
                    continue
                start, end = src[m.start()], src[m.end() - 1] + 1
                spans.add((start, end, theme, stored[m.lastindex - 1]))
    return sorted(spans)


# -- the codebook in the workspace ----------------------------------------------


def _create_codebook_table(cur: duckdb.DuckDBPyConnection) -> None:
    cur.execute(
        """
        CREATE TABLE codebook (
            theme       VARCHAR NOT NULL,
            keyword     VARCHAR NOT NULL,
            language    VARCHAR,
            is_default  BOOLEAN NOT NULL DEFAULT false,
            added_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
            PRIMARY KEY (theme, keyword)
        )
        """
    )
    _insert_defaults(cur)


def _insert_defaults(cur: duckdb.DuckDBPyConnection) -> None:
    rows = default_keywords()
    cur.execute(
        "INSERT OR IGNORE INTO codebook (theme, keyword, language, is_default) "
        "SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), true",
        [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
    )


def _register() -> None:
    from cxdash.workspace import MIGRATIONS

    if not any(name == "experience-theme codebook" for _, name, _ in MIGRATIONS):
        register_migration(2, "experience-theme codebook", _create_codebook_table)


_register()


def _read_codebook(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    order = {t: i for i, t in enumerate(THEMES)}
    df = cur.execute(
        "SELECT theme, keyword, language, is_default FROM codebook ORDER BY theme, language, keyword"
    ).df()
    rank = df["theme"].map(order).fillna(len(order))
    return (
        df.assign(_rank=rank)
        .sort_values(["_rank", "language", "keyword"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def load_codebook(ws: Workspace) -> pd.DataFrame:
    """The workspace's codebook: ``theme``, ``keyword``, ``language``, ``is_default``."""
    cur = ws.cursor()
    try:
        return _read_codebook(cur)
    finally:
        cur.close()


def _check_theme(theme: str) -> str:
    name = str(theme or "").strip().casefold()
    if name not in THEMES:
        raise CxdashError(
            f"'{theme}' is not one of the ten experience themes ({', '.join(THEMES)})."
        )
    return name


def _check_keyword(keyword: str) -> str:
    word = " ".join(str(keyword or "").split())
    if not word.rstrip("*").strip():
        raise CxdashError("Please type a keyword: it cannot be empty.")
    if len(word) > 100:
        raise CxdashError("A keyword can be at most 100 characters long.")
    return word


def add_keyword(ws: Workspace, theme: str, keyword: str, language: str | None = None) -> bool:
    """Add a keyword to a theme; False when the theme already has it (ignoring case).

    Comments are not re-tagged here: call :func:`retag` when the edits are done.
    """
    theme = _check_theme(theme)
    keyword = _check_keyword(keyword)
    lang = (language or "").strip().lower() or None
    if lang is not None and lang not in LANGUAGES and len(lang) > 10:
        raise CxdashError("The language should be a short code such as en, vi or zh.")
    with ws.transaction() as cur:
        exists = cur.execute(
            "SELECT count(*) FROM codebook WHERE theme = ? AND lower(keyword) = lower(?)",
            [theme, keyword],
        ).fetchone()
        if exists and exists[0]:
            return False
        cur.execute(
            "INSERT INTO codebook (theme, keyword, language, is_default) VALUES (?, ?, ?, false)",
            [theme, keyword, lang],
        )
    return True


def remove_keyword(ws: Workspace, theme: str, keyword: str) -> bool:
    """Remove a keyword (default or added) from a theme; False when it was not there."""
    theme = _check_theme(theme)
    keyword = _check_keyword(keyword)
    with ws.transaction() as cur:
        row = cur.execute(
            "DELETE FROM codebook WHERE theme = ? AND lower(keyword) = lower(?)", [theme, keyword]
        ).fetchone()
    return bool(row and row[0])


def reset_codebook(ws: Workspace) -> None:
    """Put the default codebook back (keywords the user added are removed)."""
    with ws.transaction() as cur:
        cur.execute("DELETE FROM codebook")
        _insert_defaults(cur)


def retag(ws: Workspace) -> int:
    """Re-tag every comment not themed by its export, in one transaction; rows changed.

    Each distinct comment is tagged once and all its rows are updated by a single
    ``UPDATE ... FROM`` the tagged frame; rows whose themes do not change are not
    written.
    """
    with ws.transaction() as cur:
        comments = cur.execute(
            "SELECT DISTINCT comment FROM feedback "
            "WHERE comment IS NOT NULL AND theme_source IS DISTINCT FROM 'export'"
        ).df()["comment"]
        if comments.empty:
            return 0
        tags = tag_comments(comments, _read_codebook(cur))
        tagged = pa.table(
            {
                "comment": pa.array(comments.astype(object).tolist(), type=pa.string()),
                "themes": pa.array(tags.tolist(), type=pa.list_(pa.string())),
            }
        )
        cur.register("_tagged", tagged)
        try:
            row = cur.execute(
                """
                UPDATE feedback SET themes = t.themes, theme_source = 'codebook'
                FROM _tagged t
                WHERE feedback.comment = t.comment
                  AND feedback.theme_source IS DISTINCT FROM 'export'
                  AND (feedback.themes IS DISTINCT FROM t.themes
                       OR feedback.theme_source IS DISTINCT FROM 'codebook')
                """
            ).fetchone()
        finally:
            cur.unregister("_tagged")
    return int(row[0]) if row else 0


# -- analytics --------------------------------------------------------------------

_EPS = 1e-6
# Best available score of a unit (response, or response x stage/touchpoint), 0-100.


def _mean_score_of(metric: str) -> str:
    """SQL: the mean score of a unit's answers to ``metric`` (NULL without any). A CASE inside
    the average rather than a FILTER clause: the same figure, aggregated faster."""
    return f"avg(CASE WHEN metric = '{metric}' THEN score END)"


# Metrics by the order in which they give a unit its best score.
_SCORE_ORDER: tuple[str, ...] = ("nps", "csat", "overall", "ces", "rating")
_SCORE = f"coalesce({', '.join(_mean_score_of(m) for m in _SCORE_ORDER)})"
_NON_NPS = f"coalesce({', '.join(_mean_score_of(m) for m in _SCORE_ORDER[1:])})"
# NPS detractor = 0-6 = score <= 60; otherwise bottom quarter of the scale (CSAT 1-2 of 1-5).
_NEGATIVE = (
    f"CASE WHEN {_mean_score_of('nps')} IS NOT NULL"
    f" THEN {_mean_score_of('nps')} <= {60 + _EPS}"
    f" ELSE {_NON_NPS} <= {25 + _EPS} END"
)
_BY_COLUMNS = {"stage": "stage", "touchpoint": "touchpoint"}


def _base_ctes(filters: Filters) -> tuple[str, list[Any]]:
    """CTEs ``f`` (filtered rows), ``resp`` (one row per response) and ``rt`` (response, theme).

    A response's themes come from any of its rows: only rows that carry a theme are joined
    back to the responses (a semi join), each (response, theme) once.
    """
    where, params = filters.to_sql("f")
    sql = f"""
    f AS (SELECT * FROM feedback f WHERE {where}),
    resp AS (
        SELECT response_key, max(ts) AS ts,
               {_SCORE} AS score, {_NEGATIVE} AS negative
        FROM f GROUP BY response_key
    ),
    rt AS (
        SELECT DISTINCT response_key, theme FROM (
            SELECT fb.response_key, unnest(fb.themes) AS theme
            FROM feedback fb SEMI JOIN resp USING (response_key)
            WHERE len(fb.themes) > 0
        ) WHERE theme IS NOT NULL AND theme <> ''
    )
    """
    return sql, params


def _theme_counts_ctes(ws: Workspace, filters: Filters) -> tuple[str, list[Any]]:
    """CTEs over the shared scan's filtered rows (``sel``) ending in ``theme_counts``: per
    theme, ``mentions``, ``negative_share``, ``mean_score`` and the mentions in the last
    three months (``in_last``) and the three before (``in_prev``); plus one row with no
    theme holding the same counts for all the filtered responses. A response's themes come
    from any of its rows (also rows the filters leave out)."""
    sql = f"""
    th_resp AS (
        SELECT response_key, max(ts) AS ts, {_SCORE} AS score, {_NEGATIVE} AS negative
        FROM sel GROUP BY response_key
    ),
    th_bounds AS (
        SELECT max(ts) - INTERVAL 3 MONTH AS last_from, max(ts) - INTERVAL 6 MONTH AS prev_from
        FROM th_resp
    ),
    th_mentions AS (
        SELECT DISTINCT r.response_key, tagged.theme, r.score, r.negative, r.ts
        FROM (
            SELECT response_key, unnest(themes) AS theme
            FROM feedback WHERE len(themes) > 0
        ) tagged
        JOIN th_resp r USING (response_key)
        WHERE tagged.theme IS NOT NULL AND tagged.theme <> ''
    ),
    theme_counts AS (
        SELECT m.theme, count(*) AS mentions,
               avg(CASE WHEN m.negative THEN 1.0 WHEN NOT m.negative THEN 0.0 END)
                   AS negative_share,
               avg(m.score) AS mean_score,
               count_if(m.ts > b.last_from) AS in_last,
               count_if(m.ts > b.prev_from AND m.ts <= b.last_from) AS in_prev
        FROM th_mentions m, th_bounds b
        GROUP BY m.theme
        UNION ALL
        SELECT NULL, count(*), NULL, NULL, count_if(r.ts > b.last_from),  -- all responses
               count_if(r.ts > b.prev_from AND r.ts <= b.last_from)
        FROM th_resp r, th_bounds b
    )
    """
    return sql, []


register_scan_part(
    ScanPart(
        "theme_counts",
        _theme_counts_ctes,
        lambda ws, filters, frame: frame,
        order="mentions DESC, theme",
    )
)


def _theme_counts(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """The rows of CTE ``theme_counts`` (see :func:`_theme_counts_ctes`), most mentions
    first, from the page's shared scan (:func:`cxdash.metrics.scan_result`)."""
    return scan_result(ws, filters, "theme_counts")


def _share_of(count: Any, total: Any) -> np.ndarray:
    """``count / total`` where ``total`` > 0, else NaN."""
    count, total = np.asarray(count, dtype=float), np.asarray(total, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, count / total, np.nan)


def theme_table(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per theme mentioned in the filtered responses.

    Columns: ``theme``; ``mentions`` (distinct responses mentioning it); ``share``
    (mentions / responses, 0-1); ``negative_share`` (share of the mentioning
    responses that are negative, among those with a score, 0-1); ``mean_score``
    (their mean best score, 0-100); ``trend`` (mention share in the last three
    months minus the previous three, relative to the newest response; NaN when
    either period is empty); ``low_n`` (mentions below ``filters.min_n``).
    Sorted by mentions, most first. ``attrs["responses"]`` is the denominator.

    The responses are aggregated once, and their counts come with the themes, in the
    page's shared scan of the filtered rows (computed once per filter state).
    """
    counts = _theme_counts(ws, filters)
    themed = counts["theme"].notna().to_numpy()
    totals = counts.loc[~themed].iloc[0]
    df = counts.loc[themed].reset_index(drop=True)
    df["mentions"] = df["mentions"].astype("int64")
    df["share"] = _share_of(df["mentions"], totals["mentions"])
    df["trend"] = _share_of(df["in_last"], totals["in_last"]) - _share_of(
        df["in_prev"], totals["in_prev"]
    )
    df["low_n"] = df["mentions"] < filters.min_n
    df = df[["theme", "mentions", "share", "negative_share", "mean_score", "trend", "low_n"]]
    df.attrs["responses"] = int(totals["mentions"])
    return df


def theme_matrix(ws: Workspace, filters: Filters, by: str = "stage") -> pd.DataFrame:
    """Themes by journey stage or touchpoint, in long form (one row per theme and cell).

    A unit is a response at a stage/touchpoint (rows without one are left out).
    Columns: ``theme``, ``stage`` or ``touchpoint``, ``mentions`` (responses there
    mentioning the theme), ``share`` (of the responses there), ``negative_share``
    and ``mean_score`` (from the unit's own best score, as in :func:`theme_table`),
    ``low_n``.
    """
    if by not in _BY_COLUMNS:
        raise ValueError("by must be 'stage' or 'touchpoint'")
    col = _BY_COLUMNS[by]
    ctes, params = _base_ctes(filters)
    sql = f"""
    WITH {ctes},
    units AS (
        SELECT response_key, {col} AS cell,
               {_SCORE} AS score, {_NEGATIVE} AS negative
        FROM f WHERE {col} IS NOT NULL
        GROUP BY response_key, {col}
    ),
    cell_n AS (SELECT cell, count(*) AS n FROM units GROUP BY cell)
    SELECT rt.theme, u.cell AS {col},
           count(*) AS mentions,
           count(*) / any_value(c.n) AS share,
           avg(CASE WHEN u.negative THEN 1.0 WHEN NOT u.negative THEN 0.0 END) AS negative_share,
           avg(u.score) AS mean_score
    FROM units u
    JOIN rt USING (response_key)
    JOIN cell_n c ON c.cell = u.cell
    GROUP BY rt.theme, u.cell
    ORDER BY rt.theme, u.cell
    """
    df = ws.query_df(sql, params)
    df["mentions"] = df["mentions"].astype("int64")
    df["low_n"] = df["mentions"] < filters.min_n
    return df


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def verbatims(
    ws: Workspace,
    filters: Filters,
    theme: str | None = None,
    stage: str | None = None,
    touchpoint: str | None = None,
    search: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[pd.DataFrame, int]:
    """Comments of the filtered responses, newest first, one row per response.

    Returns ``(page, total)``. Columns: ``ts``, ``touchpoint``, ``stage``,
    ``channel`` (each NULL when the response spans several), ``score`` (best
    score, 0-100), ``language``, ``themes``, ``comment`` (personal data masked
    with :func:`cxdash.privacy.mask_pii`) and ``marks`` (keyword spans in the
    masked comment, see :func:`matched_keywords`). ``search`` is a
    case-insensitive substring of the comment.
    """
    ctes, params = _base_ctes(filters)
    conditions: list[str] = []
    extra: list[Any] = []
    if stage:
        conditions.append("list_contains(v.stages_seen, ?)")
        extra.append(stage)
    if touchpoint:
        conditions.append("list_contains(v.touchpoints_seen, ?)")
        extra.append(touchpoint)
    if theme:
        conditions.append("list_contains(v.themes, ?)")
        extra.append(theme)
    if search and search.strip():
        conditions.append("v.comment ILIKE ? ESCAPE '\\'")
        extra.append(f"%{_like_escape(search.strip())}%")
    where = " AND ".join(conditions) if conditions else "TRUE"
    body = f"""
    WITH {ctes},
    rows_seen AS (
        SELECT response_key,
               list_distinct(list(touchpoint)) AS touchpoints_seen,
               list_distinct(list(stage)) AS stages_seen,
               list_distinct(list(channel)) AS channels_seen,
               any_value(language) AS language
        FROM f GROUP BY response_key
    ),
    texts AS (
        SELECT fb.response_key, any_value(fb.import_id) AS import_id,
               any_value(fb.response_id) AS response_id, any_value(fb.comment) AS comment,
               list_sort(list_distinct(flatten(list(coalesce(fb.themes, []))))) AS themes
        FROM feedback fb JOIN resp r USING (response_key)
        WHERE fb.comment IS NOT NULL AND trim(fb.comment) <> ''
        GROUP BY fb.response_key
    ),
    v AS (
        SELECT t.import_id, t.response_id, r.ts, r.score, s.touchpoints_seen, s.stages_seen,
               s.channels_seen, s.language, t.comment, t.themes
        FROM resp r JOIN texts t USING (response_key)
        JOIN rows_seen s USING (response_key)
    )
    """
    total = ws.fetchall(f"{body} SELECT count(*) FROM v WHERE {where}", params + extra)[0][0]
    page = ws.query_df(
        f"""{body}
        SELECT ts,
               CASE WHEN len(touchpoints_seen) = 1 THEN touchpoints_seen[1] END AS touchpoint,
               CASE WHEN len(stages_seen) = 1 THEN stages_seen[1] END AS stage,
               CASE WHEN len(channels_seen) = 1 THEN channels_seen[1] END AS channel,
               score, language, themes, comment
        FROM v WHERE {where}
        ORDER BY ts DESC NULLS LAST, import_id, response_id
        LIMIT ? OFFSET ?
        """,
        [*params, *extra, max(int(limit), 0), max(int(offset), 0)],
    )
    page["comment"] = mask_pii_series(page["comment"]) if len(page) else page["comment"]
    if len(page):
        cb = compile_codebook(load_codebook(ws))
        page["marks"] = [matched_keywords(t, cb) for t in page["comment"]]
        page["themes"] = page["themes"].map(lambda v: list(v) if v is not None else [])
    else:
        page["marks"] = pd.Series(dtype=object)
    return page, int(total)
