"""Data validation against the template's JSON Schema (draft 2020-12), code ``E3001``.

A record is validated before it is evaluated, so the evaluator may trust the shapes the checker
assumed. Every violation is reported (not just the first), sorted by where it is in the data,
with the JSON path first in the message: ``$.account.transactions[3].amount: 'abc' is not of
type 'number'``. Data has no template span, so these diagnostics have none.

Money is ``Decimal`` end to end (``ccmlang.data.load_json`` parses floats as ``Decimal``), so the
validator's type checker counts ``Decimal`` as a JSON number (and an integral one as an integer,
as JSON Schema says ``1.0`` is an integer), and ``multipleOf`` is computed exactly.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from ccmlang.compiler.diagnostics import Diagnostic, Severity
from ccmlang.compiler.validate_fast import Check, compile_fast, is_integer, is_number


def _multiple_of(
    validator: Any, divisor: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """Exact ``multipleOf``: ``0.30`` is a multiple of ``0.01`` (floats would say otherwise)."""
    if not validator.is_type(instance, "number"):
        return
    quotient = Decimal(str(instance)) / Decimal(str(divisor))
    if quotient != quotient.to_integral_value():
        yield ValidationError(f"{instance!r} is not a multiple of {divisor}")


_TYPES = Draft202012Validator.TYPE_CHECKER.redefine_many(
    {"number": lambda _, v: is_number(v), "integer": lambda _, v: is_integer(v)}
)
_Validator = validators.extend(
    Draft202012Validator, validators={"multipleOf": _multiple_of}, type_checker=_TYPES
)


_FAST: dict[int, tuple[weakref.ref[Any], Check | None]] = {}
"""Fast checkers by ``id`` of their validator (validators are not hashable), ``None`` when the
schema needs jsonschema; entries leave with their validator."""


def compile_validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    """A validator built once per template (checks ``format``s such as ``date`` too).

    A fast checker (:mod:`.validate_fast`) is compiled alongside when the schema allows it: it
    answers for valid records, and jsonschema only runs to explain invalid ones.
    """
    validator: Draft202012Validator = _Validator(schema, format_checker=FormatChecker())
    _fast_check(validator)
    return validator


def _fast_check(validator: Draft202012Validator) -> Check | None:
    """The validator's fast checker, made on first use (also for an unpickled validator)."""
    key = id(validator)
    entry = _FAST.get(key)
    if entry is None or entry[0]() is not validator:
        formats = validator.format_checker or FormatChecker()
        entry = _FAST[key] = (weakref.ref(validator), compile_fast(validator.schema, formats))
        weakref.finalize(validator, _FAST.pop, key, None)
    return entry[1]


def validate_data(validator: Draft202012Validator | None, data: Any) -> list[Diagnostic]:
    """Every violation of the schema by ``data`` (``E3001``), in data order; ``[]`` when valid."""
    if validator is None:
        return []
    if _fast_accepts(validator, data):
        return []
    errors = sorted(validator.iter_errors(data), key=lambda e: _path_key(e.absolute_path))
    return [
        Diagnostic(
            "E3001",
            Severity.ERROR,
            f"{json_path(e.absolute_path)}: {_readable(e.message)}",
            None,
        )
        for e in errors
    ]


def _fast_accepts(validator: Draft202012Validator, data: Any) -> bool:
    check = _fast_check(validator)
    if check is None:
        return False
    try:
        return check(data)
    except Exception:  # a value the fast checker trips on: jsonschema will judge it
        return False


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DECIMAL_REPR = re.compile(r"Decimal\('([^']*)'\)")


def json_path(path: Any) -> str:
    """``$.account.transactions[3].amount`` (names that are not identifiers as ``['a b']``)."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENTIFIER.match(part):
            out.append(f".{part}")
        else:
            out.append("[" + repr(part) + "]")
    return "".join(out)


def _path_key(path: Any) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in path)


def _readable(message: str) -> str:
    """``Decimal('-5') is less than …`` reads as ``-5 is less than …``."""
    return _DECIMAL_REPR.sub(r"\1", message)
