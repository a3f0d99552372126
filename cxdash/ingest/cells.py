"""The cells of a sheet as text, with per-value work done once per distinct value.

Exports repeat values a lot (a store name, a score), so trimming, parsing and
matching run once per distinct value of a column and are broadcast to every row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cxdash.ingest.header import text_of


def cell_text(v: Any) -> str | None:
    """One cell as text, the way the header reader shows it (see ``text_of``); None if empty."""
    return text_of(v) or None


def _texts(values: np.ndarray) -> list[str | None]:
    """:func:`cell_text` of many values; all-text columns (ids, comments) are trimmed at once."""
    if len(values) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        stripped = pd.Series(values, dtype=object).str.strip()
        return stripped.where(stripped != "", None).tolist()
    return [cell_text(v) for v in values]


def broadcast(values: list[Any], codes: np.ndarray, index: pd.Index, dtype: Any) -> pd.Series:
    """One value per distinct cell, spread to every cell (code -1, a missing cell, takes the last)."""
    # fromiter keeps list values as single objects (np.array would build a 2-D array).
    table = np.fromiter(values, dtype=dtype, count=len(values))
    return pd.Series(table[codes], index=index, dtype=dtype)


def per_unique(col: pd.Series, fn: Any, dtype: Any = object) -> pd.Series:
    """Apply ``fn`` once per distinct cell value and broadcast (exports repeat values a lot)."""
    codes, uniques = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
    missing = fn(None) if (codes < 0).any() else None
    return broadcast([*(fn(u) for u in uniques), missing], codes, col.index, dtype)


def column_text(col: pd.Series) -> pd.Series:
    """Cells as trimmed strings; None for empty. Whole-number floats lose their ".0"."""
    return per_unique(col, cell_text)


class Cells:
    """The data rows of a sheet, each column factorised once.

    Per-value work (trimming, parsing, matching) runs once per distinct value of a
    column and is shared by every step that reads the column; :meth:`subset` keeps
    both the factorisation and the per-value results.
    """

    def __init__(
        self,
        data: pd.DataFrame,
        codes: dict[Any, tuple[np.ndarray, np.ndarray]] | None = None,
        tables: dict[tuple[Any, Any], list[Any]] | None = None,
    ) -> None:
        self.data = data
        self._codes = codes if codes is not None else {}
        self._tables = tables if tables is not None else {}

    def factorized(self, j: Any) -> tuple[np.ndarray, np.ndarray]:
        if j not in self._codes:
            self._codes[j] = pd.factorize(self.data[j].to_numpy(dtype=object), use_na_sentinel=True)
        return self._codes[j]

    def map(self, j: Any, fn: Any, dtype: Any = object) -> pd.Series:
        """``fn`` of every cell of column ``j``."""
        codes, uniques = self.factorized(j)
        key = (j, fn)
        if key not in self._tables:
            self._tables[key] = [fn(u) for u in uniques] + [fn(None)]
        return broadcast(self._tables[key], codes, self.data.index, dtype)

    def _text_table(self, j: Any) -> list[str | None]:
        """:func:`cell_text` of each distinct value of column ``j``, then None (a missing cell)."""
        _, uniques = self.factorized(j)
        key = (j, cell_text)
        if key not in self._tables:
            self._tables[key] = [*_texts(uniques), None]
        return self._tables[key]

    def text(self, j: Any) -> pd.Series:
        """Cells as trimmed strings, None for empty (see :func:`cell_text`)."""
        table = self._text_table(j)
        return broadcast(table, self.factorized(j)[0], self.data.index, object)

    def matches(self, j: Any, pattern: str) -> pd.Series:
        """Whether each cell's text matches ``pattern`` (an RE2 regex, case-insensitive)."""
        codes, _ = self.factorized(j)
        texts = pa.array(self._text_table(j), type=pa.string())
        hit = pc.match_substring_regex(texts, pattern, ignore_case=True)
        table = np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
        return pd.Series(table[codes], index=self.data.index)

    def blank_rows(self) -> pd.Series:
        """Rows whose every cell is empty (or only spaces)."""
        blank = np.ones(len(self.data), dtype=bool)
        for j in self.data.columns:
            if not blank.any():
                break
            empty = np.array([text is None for text in self._text_table(j)], dtype=bool)
            blank &= empty[self.factorized(j)[0]]  # code -1 (a missing cell) takes the last
        return pd.Series(blank, index=self.data.index)

    def subset(self, keep: pd.Series) -> Cells:
        mask = keep.to_numpy(dtype=bool)
        codes = {j: (c[mask], u) for j, (c, u) in self._codes.items()}
        return Cells(self.data[mask], codes, self._tables)


def blank_rows(data: pd.DataFrame) -> pd.Series:
    return Cells(data).blank_rows()
