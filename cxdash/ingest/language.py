"""Guess the language of feedback comments: English, Vietnamese or Chinese.

Cheap, vectorised rules that are right for the languages cxdash meets:
CJK characters mean Chinese; Vietnamese letters with diacritics (or common
Vietnamese words typed without them) mean Vietnamese; other Latin text is
English unless the export says otherwise. An explicit language column wins.
"""

from __future__ import annotations

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


def normalise_language(col: pd.Series) -> pd.Series:
    """Map language labels from an export ("English", "EN-US", "Tiếng Việt", "中文") to codes."""
    text = col.astype("string").str.strip().str.casefold()
    mapped = text.map(lambda v: _ALIASES.get(v, v) if isinstance(v, str) else None)
    # Qualtrics and others write regional codes such as "EN-GB" or "ZH-S".
    return mapped.where(mapped.isna() | (mapped.str.len() <= 3), mapped.str[:2])


def detect_language(comments: pd.Series) -> pd.Series:
    """One code per comment ("zh", "vi", "en"), None where there is no comment."""
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
