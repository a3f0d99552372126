"""Guess the language of feedback comments: English, Vietnamese or Chinese.

Cheap, vectorised rules that are right for the languages cxdash meets:
CJK characters mean Chinese; Vietnamese letters with diacritics (or common
Vietnamese words typed without them) mean Vietnamese; other Latin text is
English unless the export says otherwise. An explicit language column wins.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# Letters that occur in Vietnamese and hardly anywhere else.
_VI_LETTERS = r"[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]"
# Frequent Vietnamese words people type without diacritics.
_VI_PLAIN = (
    r"\b(khong|duoc|nhan vien|rat|qua|cua|nhung|nguoi|chung toi|toi|minh|dich vu|"
    r"hai long|khach hang|thanh toan|lau|nhanh|cham|phi|xe)\b"
)

_ALIASES = {
    "en": "en",
    "eng": "en",
    "english": "en",
    "en-us": "en",
    "en-gb": "en",
    "tiếng anh": "en",
    "vi": "vi",
    "vie": "vi",
    "vn": "vi",
    "vietnamese": "vi",
    "tiếng việt": "vi",
    "tieng viet": "vi",
    "zh": "zh",
    "zh-cn": "zh",
    "zh-tw": "zh",
    "zh-hk": "zh",
    "zh-hans": "zh",
    "zh-hant": "zh",
    "chinese": "zh",
    "中文": "zh",
    "简体中文": "zh",
    "繁體中文": "zh",
    "tiếng trung": "zh",
    "de": "de",
    "german": "de",
    "fr": "fr",
    "french": "fr",
    "es": "es",
    "spanish": "es",
}


def _language_code(value: object) -> str | None:
    """One language label as a short code ("EN-GB" -> "en", "Tiếng Việt" -> "vi")."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip().casefold()
    if not text:
        return None
    code = _ALIASES.get(text, text)
    # Qualtrics and others write regional codes such as "EN-GB" or "ZH-S".
    return code if len(code) <= 3 else code[:2]


def _per_distinct(col: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``fn`` run on the distinct values only, spread back to every row."""
    codes, uniques = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
    table = fn(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    out = np.append(table, None)[codes]  # code -1 (missing) takes the trailing None
    return pd.Series(out, index=col.index, dtype=object)


def normalise_language(col: pd.Series) -> pd.Series:
    """Map language labels from an export ("English", "EN-US", "Tiếng Việt", "中文") to codes."""
    return _per_distinct(col, lambda values: values.map(_language_code))


def detect_language(comments: pd.Series) -> pd.Series:
    """One code per comment ("zh", "vi", "en"), None where there is no comment."""
    return _per_distinct(comments, _detect)


def _detect(comments: pd.Series) -> pd.Series:
    text = comments.astype("string")
    has_text = text.notna() & text.str.strip().ne("")
    zh = text.str.contains(_CJK, regex=True, na=False)
    vi = text.str.contains(_VI_LETTERS, regex=True, na=False) | text.str.casefold().str.count(
        _VI_PLAIN
    ).fillna(0).ge(2)
    out = pd.Series("en", index=comments.index, dtype="object")
    out[vi.fillna(False).astype(bool)] = "vi"
    out[zh.astype(bool)] = "zh"
    out[~has_text.fillna(False).astype(bool)] = None
    return out
