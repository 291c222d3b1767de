"""Data validation: every violation, with its JSON path, as E3001."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ccmlang.compiler.validate import compile_validator, json_path, validate_data
from ccmlang.data import parse_json

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["account", "period"],
    "properties": {
        "account": {
            "type": "object",
            "required": ["number"],
            "properties": {
                "number": {"type": "string", "pattern": "^[0-9]{8}$"},
                "transactions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "amount": {"type": "number", "multipleOf": 0.01},
                            "count": {"type": "integer", "minimum": 0},
                            "date": {"type": "string", "format": "date"},
                        },
                    },
                },
            },
        },
        "period": {"type": "string"},
        "odd key": {"type": "string"},
    },
}


def messages(data: Any) -> list[str]:
    diagnostics = validate_data(compile_validator(SCHEMA), data)
    assert all(d.code == "E3001" and d.span is None for d in diagnostics)
    return [d.message for d in diagnostics]


def test_valid_data_with_decimals() -> None:
    data = parse_json(
        '{"account": {"number": "41920375", "transactions": '
        '[{"amount": 19.99, "count": 2, "date": "2025-03-01"}, {"amount": 0.30, "count": 3.0}]},'
        ' "period": "2025-03"}'
    )
    assert isinstance(data["account"]["transactions"][1]["amount"], Decimal)
    assert messages(data) == []


def test_every_violation_with_its_path_in_data_order() -> None:
    data = {
        "account": {
            "number": "123",
            "transactions": [
                {"amount": Decimal("1.00")},
                {"amount": "abc"},
                {"amount": Decimal("0.001"), "count": -1},
                {"date": "2025-02-30"},
            ],
        },
        "odd key": 5,
    }
    assert messages(data) == [
        "$: 'period' is a required property",
        "$.account.number: '123' does not match '^[0-9]{8}$'",
        "$.account.transactions[1].amount: 'abc' is not of type 'number'",
        "$.account.transactions[2].amount: 0.001 is not a multiple of 0.01",
        "$.account.transactions[2].count: -1 is less than the minimum of 0",
        "$.account.transactions[3].date: '2025-02-30' is not a 'date'",
        "$['odd key']: 5 is not of type 'string'",
    ]


def test_decimal_is_readable_in_messages() -> None:
    schema = {"type": "number", "maximum": 10}
    (d,) = validate_data(compile_validator(schema), Decimal("12.5"))
    assert d.message == "$: 12.5 is greater than the maximum of 10"


def test_integral_decimal_is_an_integer_and_bool_is_not() -> None:
    validator = compile_validator({"type": "integer"})
    assert validate_data(validator, Decimal("3.0")) == []
    assert validate_data(validator, Decimal("3.5")) != []
    assert validate_data(validator, True) != []
    assert validate_data(compile_validator({"type": "number"}), False) != []


def test_no_schema_means_no_check() -> None:
    assert validate_data(None, {"anything": object()}) == []


def test_json_path() -> None:
    assert json_path([]) == "$"
    assert json_path(["a", 0, "b-c", "d"]) == "$.a[0]['b-c'].d"
