"""Every filter of the library, run by the evaluator in several locales."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ccmlang.compiler.filters import FILTERS

from .helpers import error_of, evaluate

NBSP, NNBSP = "\xa0", "\u202f"


@pytest.mark.parametrize(
    ("locale", "currency", "expected"),
    [
        ("en-GB", "EUR", "-€1,234.50"),
        ("en-GB", "GBP", "-£1,234.50"),
        ("en-GB", "CHF", "-CHF1,234.50"),
        ("de-DE", "EUR", f"-1.234,50{NBSP}€"),
        ("de-DE", "GBP", f"-1.234,50{NBSP}£"),
        ("de-DE", "CHF", f"-1.234,50{NBSP}CHF"),
        ("fr-FR", "EUR", f"-1{NNBSP}234,50{NBSP}€"),
        ("fr-FR", "GBP", f"-1{NNBSP}234,50{NBSP}£GB"),
        ("fr-FR", "CHF", f"-1{NNBSP}234,50{NBSP}CHF"),
    ],
)
def test_money(locale: str, currency: str, expected: str) -> None:
    data = {"amount": Decimal("-1234.5"), "currency": currency}
    assert evaluate("amount | money(currency)", data, locale) == expected


def test_money_rounds_half_even_and_takes_places() -> None:
    assert evaluate('x | money("EUR")', {"x": Decimal("0.125")}, "en-GB") == "€0.12"
    assert evaluate('x | money("EUR", 3)', {"x": Decimal("0.125")}, "en-GB") == "€0.125"
    assert evaluate('x | money("JPY")', {"x": 1234}, "en-GB") == "JP¥1,234"


def test_money_with_a_bad_currency_is_e3008_at_the_filter() -> None:
    code, message, where = error_of("x | money(cur)", {"x": 1, "cur": "euro"})
    assert code == "E3008" and "currency" in message and where == "x | money(cur)"


@pytest.mark.parametrize(
    ("locale", "pattern", "expected"),
    [
        ("en-GB", "short", "05/03/2024"),
        ("en-GB", "long", "5 March 2024"),
        ("en-GB", "d MMM yyyy", "5 Mar 2024"),
        ("de-DE", "short", "05.03.24"),
        ("de-DE", "long", "5. März 2024"),
        ("de-DE", "d MMM yyyy", "5 März 2024"),
        ("fr-FR", "short", "05/03/2024"),
        ("fr-FR", "long", "5 mars 2024"),
        ("fr-FR", "d MMM yyyy", "5 mars 2024"),
    ],
)
def test_date(locale: str, pattern: str, expected: str) -> None:
    assert evaluate("d | date(p)", {"d": "2024-03-05", "p": pattern}, locale) == expected


def test_date_of_a_date_literal_and_default_format() -> None:
    assert evaluate("2024-03-05 | date", locale="en-GB") == "5 Mar 2024"


def test_bad_date_is_e3008_at_the_filter() -> None:
    code, message, where = error_of('d | date("long")', {"d": "05/03/2024"})
    assert code == "E3008" and "not a date" in message and where == 'd | date("long")'


def test_datetime() -> None:
    got = evaluate('t | datetime("d MMM yyyy HH:mm")', {"t": "2024-03-05T14:30:00Z"}, "en-GB")
    assert got == "5 Mar 2024 14:30"


@pytest.mark.parametrize(
    ("locale", "expected"), [("en-GB", "12.5%"), ("de-DE", "12,5\xa0%"), ("fr-FR", "12,5\xa0%")]
)
def test_percent(locale: str, expected: str) -> None:
    assert evaluate("r | percent(1)", {"r": Decimal("0.125")}, locale) == expected


def test_percent_default_places() -> None:
    assert evaluate("r | percent", {"r": Decimal("0.05")}, "en-GB") == "5%"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-GB", "1,234,567.891"),
        ("de-DE", "1.234.567,891"),
        ("fr-FR", f"1{NNBSP}234{NNBSP}567,891"),
    ],
)
def test_number(locale: str, expected: str) -> None:
    assert evaluate("n | number", {"n": Decimal("1234567.891")}, locale) == expected


def test_number_places() -> None:
    assert evaluate("n | number(2)", {"n": Decimal("1234.5")}, "en-GB") == "1,234.50"


def test_date_arithmetic_filters() -> None:
    assert evaluate("d | add-days(30)", {"d": "2024-01-31"}) == datetime.date(2024, 3, 1)
    assert evaluate('d | add-days(30) | date("long")', {"d": "2024-01-31"}) == "1 March 2024"
    assert evaluate("a | days-until(b)", {"a": "2024-01-01", "b": "2024-03-01"}) == 60


def test_text_filters() -> None:
    data = {"s": "  hello World  ", "iban": "gb31nrth60161341920375"}
    assert evaluate("s | trim | upper", data) == "HELLO WORLD"
    assert evaluate("s | trim | lower", data) == "hello world"
    assert evaluate("s | trim | capitalize", data) == "Hello World"
    assert evaluate('s | trim | replace("World", "there")', data) == "hello there"
    assert evaluate("s | trim | truncate(8)", data) == "hello W…"
    assert evaluate('s | trim | truncate(8, "...")', data) == "hello..."
    assert evaluate("iban | iban", data) == "GB31 NRTH 6016 1341 9203 75"
    assert evaluate("s | length", data) == 15
    assert evaluate("7 | string", data) == "7"


def test_list_filters() -> None:
    tx = [
        {"id": "a", "amount": Decimal("5.00"), "fee": True},
        {"id": "b", "amount": Decimal("-2.50"), "fee": False},
        {"id": "c", "amount": Decimal("10.25"), "fee": True},
    ]
    data = {"tx": tx, "tags": ["x", "y"], "empty": []}
    assert evaluate('tx | sum("amount")', data) == Decimal("12.75")
    assert evaluate('tx | min("amount")', data) == Decimal("-2.50")
    assert evaluate('tx | max("amount")', data) == Decimal("10.25")
    assert evaluate('empty | max("amount")', data) is None
    assert evaluate("(tx | first).id", data) == "a"
    assert evaluate("(tx | last).id", data) == "c"
    assert evaluate("empty | first", data) is None
    assert [t["id"] for t in evaluate('tx | sort("amount")', data)] == ["b", "a", "c"]
    assert [t["id"] for t in evaluate('tx | sort("amount", true)', data)] == ["c", "a", "b"]
    assert [t["id"] for t in evaluate("tx | reverse", data)] == ["c", "b", "a"]
    assert [t["id"] for t in evaluate('tx | where("fee")', data)] == ["a", "c"]
    assert evaluate('tx | map("id") | join("/")', data) == "a/b/c"
    assert evaluate("tags | join", data) == "x, y"
    assert evaluate("tx | length", data) == 3


def test_number_filters() -> None:
    assert evaluate("x | round(1)", {"x": Decimal("2.25")}) == Decimal("2.2")
    assert evaluate("x | round", {"x": Decimal("2.5")}) == Decimal("2")
    assert evaluate("x | abs", {"x": Decimal("-3.10")}) == Decimal("3.10")


def test_default() -> None:
    assert evaluate('t | default("n/a")', {}) == "n/a"
    assert evaluate('t | default("n/a")', {"t": "Dr"}) == "Dr"


def test_named_filter_arguments() -> None:
    assert evaluate('x | money(currency: "EUR", places: 3)', {"x": Decimal("9.1234")}) == "€9.123"


def test_every_filter_is_covered_here() -> None:
    """A new filter in the library needs a test in this file."""
    text = Path(__file__).read_text(encoding="utf-8")
    missing = [name for name in FILTERS if f"| {name}" not in text]
    assert missing == []


def test_the_formatting_memo_tells_equal_values_apart() -> None:
    for _ in range(2):  # the second round is served from the memo
        assert evaluate("n | number", {"n": Decimal("1.5")}) == "1.5"
        assert evaluate("n | number(2)", {"n": Decimal("1.5")}) == "1.50"
        assert evaluate("n | number", {"n": Decimal("1.123")}) == "1.123"
        assert evaluate("n | number", {"n": Decimal("1.1230")}) == "1.123"
        assert evaluate("n | number", {"n": Decimal("1.5")}, "de-DE") == "1,5"
        assert evaluate('n | money("EUR")', {"n": 1}) == "€1.00"
        assert evaluate('n | money("GBP")', {"n": 1}) == "£1.00"
        assert evaluate('n | money(currency: "GBP", places: 3)', {"n": 1}) == "£1.000"
        assert evaluate('d | date("d MMM")', {"d": "2025-03-01"}) == "1 Mar"


def test_failures_are_not_remembered() -> None:
    for _ in range(2):
        code, _, _ = error_of('d | date("long")', {"d": "2025-02-30"})
        assert code == "E3008"
