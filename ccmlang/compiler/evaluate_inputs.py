"""Input fields of interactive production (``field reason { … }``, read as ``input.reason``).

An agent's values arrive from a form or the API, so they are checked here like data against a
schema: type, required, choices, pattern, bounds and lengths. Every problem is reported at once
as ``E3001`` with the message ``input.<name>: …``, so a form can mark all bad fields together.
Values are normalised to the data model the template already reads: numbers become ``Decimal``,
dates ISO strings (as dates are in JSON data).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ccmlang.compiler import formats
from ccmlang.compiler.diagnostics import Diagnostic, Severity
from ccmlang.compiler.evaluate_expr import RenderError
from ccmlang.compiler.formats import FormatError
from ccmlang.compiler.program import FieldInfo


class _Invalid(ValueError):
    """One problem with one input value."""


def check_inputs(fields: tuple[FieldInfo, ...], given: Mapping[str, Any]) -> dict[str, Any]:
    """The ``input`` record: given values (checked) or defaults; ``RenderError`` lists problems."""
    problems: list[str] = []
    declared = {f.name: f for f in fields}
    for name in sorted(set(given) - set(declared)):
        known = ", ".join(sorted(declared)) or "none"
        problems.append(f"input.{name}: not a field of this template (fields: {known})")
    record: dict[str, Any] = {}
    for info in fields:
        if info.name not in given:
            if info.required and info.default is None:
                problems.append(
                    f"input.{info.name}: a value is required ({info.label or info.name})"
                )
            record[info.name] = _default(info)
            continue
        raw = given[info.name]
        if raw is None or raw == "":  # the agent cleared the field
            if info.required:
                problems.append(
                    f"input.{info.name}: a value is required ({info.label or info.name})"
                )
            record[info.name] = None
            continue
        try:
            value = _coerce(info.type, raw)
            _constraints(info, value)
        except _Invalid as exc:
            problems.append(f"input.{info.name}: {exc}")
            continue
        record[info.name] = value
    if problems:
        raise RenderError(Diagnostic("E3001", Severity.ERROR, p, None) for p in problems)
    return record


def _default(info: FieldInfo) -> Any:
    """The declared default in the form a given value takes (dates as ISO text)."""
    if info.default is None:
        return None
    try:
        return _coerce(info.type, info.default)
    except _Invalid:
        return info.default


def _coerce(kind: str, raw: Any) -> Any:
    if kind in ("string", "text"):
        if not isinstance(raw, str):
            raise _Invalid(f"expected text, got {type(raw).__name__}")
        return raw
    if kind in ("number", "money"):
        return _number(raw)
    if kind == "integer":
        value = _number(raw)
        if value != value.to_integral_value():
            raise _Invalid(f"expected a whole number, got {value}")
        return int(value)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        raise _Invalid(f"expected true or false, got {raw!r}")
    if kind == "date":
        if isinstance(raw, datetime.datetime):
            raw = raw.date()
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        if isinstance(raw, str):
            try:
                return datetime.date.fromisoformat(raw).isoformat()
            except ValueError:
                pass
        raise _Invalid(f"expected a date YYYY-MM-DD, got {raw!r}")
    return raw


def _number(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise _Invalid("expected a number, got a boolean")
    if isinstance(raw, Decimal | int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if isinstance(raw, str):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            raise _Invalid(f"expected a number, got {raw!r}") from None
        if value.is_finite():
            return value
    raise _Invalid(f"expected a number, got {raw!r}")


def _constraints(info: FieldInfo, value: Any) -> None:
    if info.choices and str(value) not in info.choices:
        raise _Invalid(f"{value!r} is not one of {', '.join(info.choices)}")
    if isinstance(value, str) and info.type in ("string", "text"):
        if info.pattern is not None and re.fullmatch(info.pattern, value) is None:
            raise _Invalid(f"{value!r} does not match the pattern {info.pattern}")
        if info.min_length is not None and len(value) < info.min_length:
            raise _Invalid(f"must be at least {info.min_length} characters (got {len(value)})")
        if info.max_length is not None and len(value) > info.max_length:
            raise _Invalid(f"must be at most {info.max_length} characters (got {len(value)})")
    low: Any
    high: Any
    try:
        if info.type == "date":
            low = None if info.min is None else formats.to_date(info.min)
            high = None if info.max is None else formats.to_date(info.max)
            current: Any = formats.to_date(value)
        elif info.type in ("number", "money", "integer"):
            low = None if info.min is None else formats.to_decimal(info.min)
            high = None if info.max is None else formats.to_decimal(info.max)
            current = value
        else:
            return
    except FormatError:
        return  # a bound the checker let through is not the agent's fault
    if low is not None and current < low:
        raise _Invalid(f"must be at least {info.min} (got {value})")
    if high is not None and current > high:
        raise _Invalid(f"must be at most {info.max} (got {value})")
