"""Masking personal data in comments, and pseudonyms for respondent ids."""

from __future__ import annotations

import pandas as pd
import pytest

from cxdash.privacy import mask_pii, mask_pii_series, pseudonymise

MASKED = [
    ("Please contact me at minh.tran@example.com.", "Please contact me at [email]."),
    ("mail: Sarah.Jones+cx@mail.example.co.uk", "mail: [email]"),
    ("请联系我：wei.chen@example.net", "请联系我：[email]"),
    ("Call me back on +84 912 345 678.", "Call me back on [phone]."),
    ("Gọi lại cho tôi số 0912 345 678.", "Gọi lại cho tôi số [phone]."),
    ("US office (555) 014-2398 never answers", "US office [phone] never answers"),
    ("call 555-014-2398 now", "call [phone] now"),
    ("or +1 555 014 2398", "or [phone]"),
    ("London +44 (20) 7946-0958", "London [phone]"),
    ("手机 138 0013 8000 请回电", "手机 [phone] 请回电"),
    ("请回电13800138000", "请回电[phone]"),
    ("so 0912345678 nhe", "so [phone] nhe"),
    ("0912.345.678 là số của tôi", "[phone] là số của tôi"),
    ("two: 0987 654 321 and a@b.io", "two: [phone] and [email]"),
]

UNCHANGED = [
    "Flight on 2023-11-19 at 10:30 was late",
    "We flew 19/11/2023 and again 19.11.2023",
    "Departed 2023-11-19 10 am",
    "The upgrade cost $1,234.50 in the end",
    "Giá vé 1.250.000 VND, đắt quá",
    "Hóa đơn 125.000.000 đ",
    "BA 117 from Heathrow, seat 32A",
    "waited 20 minutes, then 45 more",
    "order 123456789 never arrived",
    "Rated 10/10, gate 23",
    "Times 12:30-14:45",
    "",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask_pii(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_dates_prices_times_and_short_numbers_stay(text: str) -> None:
    assert mask_pii(text) == text


def test_missing_values_pass_through() -> None:
    assert mask_pii(None) is None  # type: ignore[arg-type]


def test_series_matches_single_text_and_keeps_missing() -> None:
    texts = [t for t, _ in MASKED] + UNCHANGED + [None]
    out = mask_pii_series(pd.Series(texts, index=range(10, 10 + len(texts))))
    assert list(out.index) == list(range(10, 10 + len(texts)))
    assert out.iloc[: len(MASKED)].tolist() == [e for _, e in MASKED]
    assert out.iloc[len(MASKED) : -1].tolist() == UNCHANGED
    assert pd.isna(out.iloc[-1])


def test_pseudonym_is_stable_short_and_salted() -> None:
    a = pseudonymise("customer-42", "salt-1")
    assert a == pseudonymise("customer-42", "salt-1")
    assert a.startswith("R-") and len(a) == 12
    assert a != pseudonymise("customer-43", "salt-1")
    assert a != pseudonymise("customer-42", "salt-2")
    assert all(c in "0123456789abcdef" for c in a[2:])
    assert pseudonymise("", "salt-1") == ""
