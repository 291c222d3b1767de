"""``--name`` expressions: ccm string syntax, the safe subset, sanitised file names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ccmlang.production.naming import MAX_NAME_LENGTH, Namer, NamingError, TextTemplate, sanitise

DATA = {
    "account": {"number": "41920375"},
    "period": {"end": "2025-03-31"},
    "customer": {"name": "Ms O'Brien", "tags": ["vip", "retail"]},
    "amount": Decimal("12.50"),
}


def test_paths_are_interpolated() -> None:
    assert Namer("{account.number}-{period.end}").name(1, DATA) == "41920375-2025-03-31"


def test_filters_from_the_library_work() -> None:
    assert Namer("{customer.name | upper}").name(1, DATA) == "MS O'BRIEN"
    assert Namer("{period.end | date('yyyy-MM')}").name(1, DATA) == "2025-03"


def test_decimal_prints_plainly_and_subscripts_with_constants() -> None:
    assert Namer("{amount}_{customer.tags[0]}").name(1, DATA) == "12.50_vip"


def test_default_fills_an_absent_value() -> None:
    assert Namer('{customer.id ?? "anonymous"}').name(1, DATA) == "anonymous"


def test_default_name_is_the_zero_padded_record_number() -> None:
    assert Namer(None).name(7, DATA) == "000007"
    assert Namer(None).name(1234567, DATA) == "1234567"


def test_escaped_braces_are_literal() -> None:
    assert Namer("{{x}}-{account.number}").name(1, DATA) == "{x}-41920375"


@pytest.mark.parametrize(
    "expression",
    ["{amount + 1}", "{account.number == 1}", "{customer.tags[amount]}", "{[1, 2]}"],
)
def test_only_paths_literals_filters_and_defaults_are_allowed(expression: str) -> None:
    with pytest.raises(NamingError, match=r"not allowed|constant indexes"):
        Namer(expression)


def test_a_malformed_expression_is_refused_at_start() -> None:
    with pytest.raises(NamingError, match="never closed"):
        Namer("{account.number")


def test_an_absent_value_fails_the_record_not_the_name() -> None:
    namer = Namer("{account.iban}")
    with pytest.raises(NamingError, match=r"`account\.iban` is absent"):
        namer.name(1, DATA)


def test_a_failing_filter_fails_the_record() -> None:
    with pytest.raises(NamingError, match="date"):
        Namer("{customer.name | date('yyyy')}").name(1, DATA)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "_._etc_passwd"),
        ("a/b\\c", "a_b_c"),
        ("..hidden", "hidden"),
        ("tab\there\nnew", "tab_here_new"),
        ("ctrl\x00\x07x", "ctrl_x"),
        ('what?*:"<>|', "what_"),
        ("  spaced   out  ", "spaced out"),
        ("e\u0301", "\u00e9"),
    ],
)
def test_sanitise_makes_one_safe_component(raw: str, safe: str) -> None:
    assert sanitise(raw) == safe


def test_names_are_capped() -> None:
    name = Namer("{customer.name}").name(1, {"customer": {"name": "x" * 500}})
    assert len(name) == MAX_NAME_LENGTH


def test_a_name_that_sanitises_to_nothing_fails() -> None:
    with pytest.raises(NamingError, match="empty"):
        Namer("{customer.name}").name(1, {"customer": {"name": "..."}})


def test_expression_form_wraps_a_bare_path() -> None:
    template = TextTemplate.expression("customer.name", what="--sort-by")
    assert template.evaluate(DATA) == "Ms O'Brien"
