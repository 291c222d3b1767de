"""Expressions: Decimal arithmetic, comparisons, logic, look-ups and errors with spans."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from ccmlang.compiler.evaluate_expr import truthy

from .helpers import error_of, evaluate

# ---------------------------------------------------------------- arithmetic


def test_decimal_sum_is_exact() -> None:
    assert evaluate("0.1 + 0.2") == Decimal("0.3")
    assert evaluate("0.1 + 0.2 == 0.3") is True


def test_money_sum_of_80_transactions_is_exact() -> None:
    amounts = [Decimal("0.10"), Decimal("19.99"), Decimal("-7.33"), Decimal("0.01")] * 20
    data = {"tx": [{"amount": a} for a in amounts]}
    total = evaluate('tx | sum("amount")', data)
    assert total == sum(amounts, Decimal(0)) == Decimal("255.40")
    assert str(total) == "255.40"


def test_integer_arithmetic_stays_integer() -> None:
    assert evaluate("2 + 3 * 4", {}) == Decimal(14)
    assert evaluate("a * b - 1", {"a": 6, "b": 7}) == 41
    assert isinstance(evaluate("a + b", {"a": 6, "b": 7}), int)
    assert evaluate("a % b", {"a": 7, "b": 3}) == 1


def test_mixed_int_and_decimal() -> None:
    assert evaluate("a * 1.5", {"a": 3}) == Decimal("4.5")


def test_division_keeps_28_digits() -> None:
    assert evaluate("1 / 4") == Decimal("0.25")
    assert evaluate("10 / 3") == Decimal("3.333333333333333333333333333")


def test_unary_minus_and_not() -> None:
    assert evaluate("-x", {"x": Decimal("12.50")}) == Decimal("-12.50")
    assert evaluate("- - x", {"x": 3}) == 3
    assert evaluate("not x", {"x": []}) is True


@pytest.mark.parametrize("text", ["a / b", "a % b"])
def test_division_by_zero_is_e3008_at_the_operator_expression(text: str) -> None:
    code, message, where = error_of(text, {"a": Decimal(1), "b": 0})
    assert code == "E3008"
    assert "division by zero" in message and "`b` is 0" in message
    assert where == text


def test_division_by_zero_inside_a_larger_expression_points_at_the_division() -> None:
    code, _, where = error_of("1 + total / count", {"total": Decimal(5), "count": 0})
    assert (code, where) == ("E3008", "total / count")


def test_arithmetic_on_text_is_e3008() -> None:
    code, message, _ = error_of("a * 2", {"a": "x"})
    assert code == "E3008" and "needs numbers" in message


# ---------------------------------------------------------------- text


def test_string_concatenation_and_interpolation() -> None:
    assert evaluate('"a" + "b"') == "ab"
    assert evaluate('"Dear {name}," ', {"name": "Ann"}) == "Dear Ann,"
    assert evaluate('"{n} items at {p}"', {"n": 3, "p": Decimal("1.50")}) == "3 items at 1.50"
    assert evaluate('"{flag} {missing}|"', {"flag": True}) == "true |"


# ---------------------------------------------------------------- comparisons and logic


def test_comparisons() -> None:
    data = {"a": Decimal("1.0"), "b": 1, "s": "x"}
    assert evaluate("a == b", data) is True
    assert evaluate("a != s", data) is True
    assert evaluate("a < 2 and b >= 1", data) is True
    assert evaluate('s > "w"', data) is True


def test_boolean_is_not_a_number() -> None:
    assert evaluate("flag == 1", {"flag": True}) is False


def test_date_literal_compares_with_iso_string_as_date() -> None:
    data = {"due": "2024-03-05"}
    assert evaluate("due < 2024-03-10", data) is True
    assert evaluate("2024-03-05 == due", data) is True
    assert evaluate("due >= 2024-03-06", data) is False


def test_comparing_absent_value_is_e3008() -> None:
    code, message, where = error_of("x < 3", {})
    assert code == "E3008" and "absent" in message and where == "x < 3"


def test_date_arithmetic() -> None:
    assert evaluate("2024-03-05 + 30") == datetime.date(2024, 4, 4)
    assert evaluate("30 + 2024-03-05") == datetime.date(2024, 4, 4)
    assert evaluate("2024-03-05 - 5") == datetime.date(2024, 2, 29)
    assert evaluate('2024-03-05 - "2024-03-01"') == 4


def test_dates_from_the_data_compute_like_date_literals() -> None:
    data = {"start": "2024-01-01", "end": "2024-12-31", "ref": "A-1", "n": Decimal(30)}
    assert evaluate("end - start", data) == 365
    assert evaluate("start + n", data) == datetime.date(2024, 1, 31)
    assert evaluate('"{start + 30}"', data) == "2024-01-31"
    assert evaluate("start + 30 < end", data) is True
    # text + anything still joins text
    assert evaluate('"Ref. " + ref', data) == "Ref. A-1"
    assert evaluate('start + " to " + end', data) == "2024-01-01 to 2024-12-31"
    assert evaluate("ref + 1", data) == "A-11"
    code, message, where = error_of("start - ref", data)
    assert code == "E3008" and "subtract text" in message and where == "start - ref"


def test_and_or_short_circuit() -> None:
    # the right side would divide by zero; it is never evaluated
    assert evaluate("false and 1 / 0 > 0") is False
    assert evaluate("true or 1 / 0 > 0") is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), (0, False), (Decimal("0.00"), False), ([], False), ({}, False),
     (False, False), ("0", True), (Decimal("0.01"), True), ([0], True), (True, True)],
)  # fmt: skip
def test_truthiness(value: Any, expected: bool) -> None:
    assert truthy(value) is expected
    assert evaluate("x ? 1 : 2", {"x": value}) == (Decimal(1) if expected else Decimal(2))


def test_coalesce() -> None:
    assert evaluate('title ?? "none"', {}) == "none"
    assert evaluate('title ?? "none"', {"title": ""}) == ""
    assert evaluate("a ?? b ?? 3", {"b": 2}) == 2


def test_membership() -> None:
    data = {"tags": ["vip", "new"], "code": "ABC-1", "rec": {"k": 1}}
    assert evaluate('"vip" in tags', data) is True
    assert evaluate('"old" not in tags', data) is True
    assert evaluate('"BC" in code', data) is True
    assert evaluate('"k" in rec', data) is True
    assert evaluate('"x" in missing', data) is False
    assert evaluate("1 in nums", {"nums": [Decimal("1.0")]}) is True


def test_conditional() -> None:
    assert evaluate('n > 1 ? "many" : "one"', {"n": 2}) == "many"
    assert evaluate('n > 1 ? "many" : "one"', {"n": 1}) == "one"


# ---------------------------------------------------------------- look-ups


def test_attribute_and_subscript() -> None:
    data = {"a": {"b": {"c": "deep"}}, "items": ["x", "y"], "rec": {"odd key": 1}}
    assert evaluate("a.b.c", data) == "deep"
    assert evaluate("a.missing.c", data) is None
    assert evaluate("items[1]", data) == "y"
    assert evaluate("items[2]", data) is None
    assert evaluate("items[0 - 1]", data) is None
    assert evaluate('rec["odd key"]', data) == 1
    assert evaluate("items.length", data) is None  # no host attributes: lists have no fields


def test_names_resolve_through_scopes_before_data() -> None:
    assert evaluate("name", {"name": "data"}, name="local") == "local"
    assert evaluate("other", {"other": "data"}, name="local") == "data"


def test_list_literal() -> None:
    assert evaluate('[1, "a", x]', {"x": None}) == [Decimal(1), "a", None]


def test_length_and_colour_literals_are_css() -> None:
    assert evaluate("12.5mm") == "12.5mm"
    assert evaluate("#1A2B3C") == "#1a2b3c"
