"""Locale formatting through Babel: money stays Decimal, patterns stay the locale's own."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel import numbers as babel_numbers
from hypothesis import given, settings
from hypothesis import strategies as st

from ccmlang.compiler import formats


@pytest.mark.parametrize(
    ("amount", "currency", "tag", "places", "expected"),
    [
        ("1234.5", "EUR", "de-DE", None, "1.234,50\xa0€"),
        ("1234.5", "EUR", "fr-FR", None, "1\u202f234,50\xa0€"),
        ("1234.5", "GBP", "en-GB", None, "£1,234.50"),
        ("0.7460", "EUR", "en-IE", 4, "€0.7460"),
        ("500000", "GBP", "en-GB", 0, "£500,000"),
        ("0.125", "EUR", "en-IE", None, "€0.12"),  # half-even: 0.125 → 0.12
        ("0.135", "EUR", "en-IE", None, "€0.14"),
        ("1000", "JPY", "en-GB", None, "JP¥1,000"),  # the currency's own digits: none for yen
    ],
)
def test_money(amount: str, currency: str, tag: str, places: int | None, expected: str) -> None:
    assert formats.money(Decimal(amount), currency, tag, places) == expected


def test_money_never_uses_float() -> None:
    total = sum((Decimal("0.1") for _ in range(10)), Decimal(0))
    assert formats.money(total, "EUR", "en-IE") == "€1.00"
    assert (
        formats.money(Decimal("12345678901234567.89"), "EUR", "en-IE")
        == "€12,345,678,901,234,567.89"
    )


@pytest.mark.parametrize(
    ("value", "tag", "places", "expected"),
    [
        ("0.25", "en-GB", 0, "25%"),
        ("0.25", "de-DE", 0, "25\xa0%"),
        ("0.125", "fr-FR", 1, "12,5\xa0%"),
        ("0.0375", "en-GB", 2, "3.75%"),
    ],
)
def test_percent_keeps_locale_spacing(value: str, tag: str, places: int, expected: str) -> None:
    assert formats.percent(Decimal(value), tag, places) == expected


def test_bad_inputs_are_format_errors() -> None:
    with pytest.raises(formats.FormatError):
        formats.money(Decimal(1), "EURO", "en-GB")
    with pytest.raises(formats.FormatError):
        formats.locale("xx-QQ-nope")
    with pytest.raises(formats.FormatError):
        formats.date("2024-02-30", "en-GB")


def test_dates() -> None:
    assert formats.date("2025-03-31", "en-GB", "long") == "31 March 2025"
    assert formats.date("2025-03-31", "de-DE", "long") == "31. März 2025"
    assert formats.date("2025-03-31", "fr-FR", "d MMM yyyy") == "31 mars 2025"
    assert formats.check_date_pattern("d MMM yyyy") is None


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(
        min_value=-(10**12), max_value=10**12, places=6, allow_nan=False, allow_infinity=False
    ),
    st.sampled_from(["en-GB", "de-DE", "fr-FR", "de-CH", "en-IN", "nl-NL", "ja-JP", "sv-SE"]),
    st.sampled_from(["EUR", "GBP", "CHF", "JPY", "INR", "KWD"]),
    st.sampled_from([None, 0, 2, 4]),
)
def test_compiled_money_formatter_agrees_with_babel(
    value: Decimal, tag: str, currency: str, places: int | None
) -> None:
    """The per-locale compiled formatter is only a faster Babel: same text for every amount."""
    loc = formats.locale(tag)
    digits = babel_numbers.get_currency_precision(currency) if places is None else places
    quantum = Decimal(1).scaleb(-digits)
    pattern = formats._with_decimals(loc.currency_formats["standard"], digits)
    expected = pattern.apply(
        formats._rounded(value, quantum), loc, currency=currency, currency_digits=False
    )
    assert formats.money(value, currency, tag, places) == expected


def test_negative_zero_prints_as_zero() -> None:
    assert formats.money(Decimal("-0.004"), "GBP", "en-GB") == "£0.00"
