"""Privacy: mask personal data in comments and pseudonymise respondent ids.

Feedback exports carry emails and phone numbers inside free text. Before a
comment is shown, :func:`mask_pii` replaces them with ``[email]`` and
``[phone]``. Phone numbers are recognised by their shape, in the formats that
occur in English, Vietnamese and Chinese feedback:

* international: ``+84 912 345 678``, ``+1 555 014 2398``, ``+44 (20) 7946-0958``;
* a bracketed area code: ``(555) 014-2398``;
* national numbers in groups with one separator: ``0912 345 678``,
  ``555-014-2398``, ``0912.345.678``, ``138 0013 8000``;
* unbroken national numbers: ``0912345678`` (leading 0), ``13800138000``
  (Chinese mobile, 1[3-9] + 9 digits).

To avoid masking what is not a phone number, a candidate needs 9-15 digits
(8-15 with a leading ``+``), may not look like a date (``2023-11-19``,
``19/11/2023``, ``19.11.2023``), a time or a price (preceded by a currency
sign or followed by a currency word such as ``VND``, ``đ``, ``USD``, ``元``),
and may not sit inside a longer run of letters or digits (flight numbers like
``BA 117`` and short numbers like ``20 minutes`` never qualify).
"""

from __future__ import annotations

import hashlib
import hmac
import re

import pandas as pd

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b"
)

# Not preceded by an ASCII letter/digit or by characters that make a number part of
# something else (a decimal, a price, a date with slashes, a time). CJK text may touch
# a number directly ("电话13800138000"), so only ASCII letters count as word characters.
_BEFORE = r"(?<![0-9A-Za-z.,/:$€£¥₫+\-])"
_AFTER = r"(?![0-9A-Za-z]|[.,/:]\d)"
_PHONE = re.compile(
    _BEFORE
    + r"(?:"
    # international, separators may vary: +84 912 345 678, +1 (555) 014-2398
    + r"\+\d{1,3}(?:[ .\-]?\(?\d{1,4}\)?){2,6}"
    # bracketed area code: (555) 014-2398
    + r"|\(\d{2,4}\)[ .\-]?\d{3,4}[ .\-]?\d{3,4}"
    # grouped national number, one separator throughout: 0912 345 678, 555-014-2398
    + r"|\d{2,4}([ .\-])\d{2,4}(?:\1\d{2,5}){1,3}"
    # unbroken: Vietnamese/UK-style leading 0, Chinese mobile
    + r"|0\d{8,10}|1[3-9]\d{9}"
    + r")"
    + _AFTER
)
_DATE_LIKE = re.compile(r"^(?:\d{4}[\-./]\d{1,2}[\-./]\d{1,2}|\d{1,2}[\-./]\d{1,2}[\-./]\d{2,4})")
_CURRENCY_AFTER = re.compile(
    r"^\s?(?:vnd|vnđ|đ|₫|usd|eur|gbp|rmb|cny|元|块|dollars?|euros?|k\b|tr\b|triệu|nghìn|ngàn|đồng)",
    re.IGNORECASE,
)


def _looks_like_phone(match: re.Match[str]) -> bool:
    """Check the candidate's digit count and context (the regex only checks its shape)."""
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    low = 8 if text.startswith("+") else 9
    if not low <= digits <= 15:
        return False
    if _DATE_LIKE.match(text):
        return False
    return not _CURRENCY_AFTER.match(match.string[match.end() : match.end() + 12])


def _replace_phone(match: re.Match[str]) -> str:
    return PHONE_MASK if _looks_like_phone(match) else match.group(0)


def mask_pii(text: str) -> str:
    """Replace emails with ``[email]`` and phone numbers with ``[phone]``.

    Non-strings (None, NaN) are returned unchanged.
    """
    if not isinstance(text, str) or not text:
        return text
    masked = _EMAIL.sub(EMAIL_MASK, text)
    if not any(ch.isdigit() for ch in masked):
        return masked
    return _PHONE.sub(_replace_phone, masked)


def mask_pii_series(s: pd.Series) -> pd.Series:
    """:func:`mask_pii` over a Series of comments (missing values stay missing).

    Emails are replaced with one vectorised regex pass; the phone pass only
    visits comments that contain a digit.
    """
    if s.empty:
        return s.copy()
    out = s.astype("str")
    out = out.str.replace(_EMAIL, EMAIL_MASK, regex=True)
    has_digit = out.str.contains(r"\d", regex=True, na=False)
    if has_digit.any():
        out = out.copy()
        out[has_digit] = out[has_digit].str.replace(_PHONE, _replace_phone, regex=True)
    return out.where(s.notna(), s)


def pseudonymise(value: str, salt: str) -> str:
    """A stable short pseudonym for an id shown to users (``"R-"`` + 10 hex characters).

    Keyed hash (HMAC-SHA256) with the workspace's ``salt``: the same id and salt
    always give the same pseudonym; without the salt the id cannot be recovered by
    hashing guesses.
    """
    if value is None or value == "":
        return ""
    digest = hmac.new(salt.encode("utf-8"), str(value).encode("utf-8"), hashlib.sha256)
    return "R-" + digest.hexdigest()[:10]
