"""The fast validity check never accepts what jsonschema rejects (property-based)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from ccmlang.compiler.validate import compile_validator, validate_data
from ccmlang.compiler.validate_fast import compile_fast, json_equal
from ccmlang.data import load_json

ROOT = Path(__file__).resolve().parents[2]
REAL_SCHEMAS = [
    ROOT / "examples" / "statement" / "statement.schema.json",
    ROOT / "spec" / "examples" / "spec.schema.json",
    ROOT / "spec" / "examples" / "diagnostics.schema.json",
]
SAMPLES = {
    REAL_SCHEMAS[0]: ROOT / "examples" / "statement" / "data" / "sample.json",
    REAL_SCHEMAS[1]: ROOT / "spec" / "examples" / "spec.json",
}

SYNTHETIC: list[dict[str, Any]] = [
    {
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {"enum": ["a", "b", 1, True, None]},
            "n": {"type": ["integer", "null"], "minimum": 0, "exclusiveMaximum": 10},
            "x": {"type": "number", "multipleOf": 0.25, "maximum": 100},
            "s": {"type": "string", "minLength": 1, "maxLength": 3, "pattern": "^[a-c]"},
            "d": {"type": "string", "format": "date"},
            "c": {"const": [1, {"a": False}]},
            "list": {
                "type": "array", "items": {"$ref": "#/$defs/item"}, "minItems": 1, "maxItems": 3
            },
        },
        "additionalProperties": {"type": "boolean"},
        "$defs": {"item": {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 5}]}},
    },
    {
        "oneOf": [{"type": "integer"}, {"type": "number", "minimum": 1}],
        "not": {"const": 3},
    },
    {"allOf": [{"type": "object"}, {"required": ["a"]}], "properties": {"a": False}},
    {
        "$ref": "#/$defs/tree",
        "$defs": {
            "tree": {
                "type": "object",
                "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/tree"}}},
                "additionalProperties": False,
            }
        },
    },
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-20, 20),
    st.decimals(min_value=-50, max_value=150, places=2, allow_nan=False),
    st.sampled_from(["", "a", "abcd", "b1", "z", "2025-02-30", "2025-03-31", "kind", "x"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["kind", "n", "x", "s", "d", "c", "list", "a", "kids", "z"]),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=12,
)


def jsonschema_accepts(schema: Any, data: Any) -> bool:
    return not list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data))


@pytest.mark.parametrize("schema", SYNTHETIC, ids=range(len(SYNTHETIC)))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=json_values)
def test_fast_check_agrees_with_jsonschema(schema: dict[str, Any], data: Any) -> None:
    fast = compile_fast(schema, FormatChecker())
    assert fast is not None
    # compile_validator's jsonschema counts Decimal as a number, as ours does
    expected = validate_data(compile_validator(schema), data) == []
    assert fast(data) == expected


def _mutations(record: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in ``record``."""
    out = [path]
    if isinstance(record, dict):
        for k, v in record.items():
            out.extend(_mutations(v, (*path, k)))
    elif isinstance(record, list):
        for i, v in enumerate(record[:3]):
            out.extend(_mutations(v, (*path, i)))
    return out


def _replace(record: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = _copy(record)
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return copy


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


@pytest.mark.parametrize("schema_path", list(SAMPLES), ids=lambda p: p.parent.name)
def test_mutated_real_records(schema_path: Path) -> None:
    schema = load_json(schema_path)
    record = load_json(SAMPLES[schema_path])
    validator = compile_validator(schema)
    fast = compile_fast(schema, FormatChecker())
    assert fast is not None and fast(record)
    replacements = [None, "x", "2025-02-30", Decimal("-1"), 7, True, [], {}]
    for path in _mutations(record):
        for value in replacements:
            mutated = _replace(record, path, value)
            assert fast(mutated) == (validate_data(validator, mutated) == []), (path, value)


@pytest.mark.parametrize("schema_path", REAL_SCHEMAS, ids=lambda p: p.name)
def test_the_project_schemas_have_a_fast_check(schema_path: Path) -> None:
    assert compile_fast(load_json(schema_path), FormatChecker()) is not None


@pytest.mark.parametrize(
    "schema",
    [{"patternProperties": {"^a": {}}}, {"$ref": "other.json"}, {"properties": {"a": {"$id": "x"}}},
     {"type": "nonsense"}, {"if": {}, "then": {}}],
)  # fmt: skip
def test_unsupported_schemas_fall_back_to_jsonschema(schema: dict[str, Any]) -> None:
    assert compile_fast(schema, FormatChecker()) is None


def test_json_equal() -> None:
    assert json_equal(1, Decimal("1.0")) and not json_equal(True, 1) and not json_equal(0, False)
    assert json_equal([1, {"a": "b"}], [Decimal(1), {"a": "b"}])
    assert not json_equal([1], {"1": 1}) and not json_equal("1", 1)
