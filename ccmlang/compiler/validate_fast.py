"""A fast "is this record valid?" for the common part of JSON Schema, compiled once per schema.

``jsonschema`` walks a schema keyword by keyword for every value and builds an error object
for each problem; for a statement of 80 transactions that costs milliseconds per record, more
than evaluating the template. Almost every record of a batch is valid, so validation first
asks a checker compiled here into nested closures (no ``eval``: plain Python functions), and
only when it says "maybe not" runs ``jsonschema`` to produce the messages.

The checker is conservative by construction: it supports the keywords below with jsonschema's
semantics and refuses to compile (``compile_fast`` returns ``None``) when the schema uses any
other assertion keyword, a non-local ``$ref`` or a nested ``$id``, so a record it accepts is
always one jsonschema accepts. Supported: ``type``, ``enum``, ``const``, ``properties``,
``required``, ``additionalProperties``, ``items``, ``minItems``, ``maxItems``, ``minimum``,
``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum``, ``multipleOf``, ``minLength``,
``maxLength``, ``pattern``, ``format`` (through the same ``FormatChecker``), ``allOf``,
``anyOf``, ``oneOf``, ``not`` and local ``$ref``. Other keywords (``title``, ``description``…)
are annotations and ignored, as jsonschema ignores them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from jsonschema import FormatChecker

Check = Callable[[Any], bool]

_UNSUPPORTED = frozenset(
    {
        "$dynamicRef", "$dynamicAnchor", "$anchor", "$recursiveRef", "contains",
        "dependentRequired", "dependentSchemas", "dependencies", "if", "then", "else",
        "maxProperties", "minProperties", "patternProperties", "prefixItems", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties", "uniqueItems", "additionalItems",
        "minContains", "maxContains",
    }
)  # fmt: skip


class _Unsupported(Exception):
    """The schema uses something the fast checker does not implement."""


def compile_fast(schema: Any, formats: FormatChecker) -> Check | None:
    """A checker that returns True only for records jsonschema accepts; None if unsupported."""
    try:
        return _Compiler(schema, formats).compile(schema, root=True)
    except (_Unsupported, re.error, LookupError, TypeError, ValueError, RecursionError):
        return None


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def is_number(value: Any) -> bool:
    """JSON number: ``int``, ``float`` or ``Decimal``, never ``bool``."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    """JSON integer: an ``int``, or a number without fraction (JSON Schema: ``1.0`` is one)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, Decimal):
        return value.is_finite() and value == value.to_integral_value()
    return isinstance(value, float) and value.is_integer()


_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": is_number,
    "integer": is_integer,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def json_equal(one: Any, two: Any) -> bool:
    """JSON equality: ``true`` is not ``1``, ``1`` is ``1.0``; lists and objects deeply."""
    if isinstance(one, bool) or isinstance(two, bool):
        return type(one) is type(two) and one == two
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(json_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(json_equal(one[k], two[k]) for k in one)
    if isinstance(one, list | dict) or isinstance(two, list | dict):
        return False
    return bool(one == two)


class _Compiler:
    def __init__(self, root: Any, formats: FormatChecker) -> None:
        self.root = root
        self.formats = formats
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any, root: bool = False) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, Mapping):
            raise _Unsupported("a schema is an object or a boolean")
        if _UNSUPPORTED & schema.keys():
            raise _Unsupported(", ".join(sorted(_UNSUPPORTED & schema.keys())))
        if not root and "$id" in schema:
            raise _Unsupported("$id below the root changes how references resolve")
        checks = [c for c in (self._keyword(schema, k) for k in schema) if c is not None]
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    def _keyword(self, schema: Mapping[str, Any], key: str) -> Check | None:
        method = getattr(self, "_k_" + key.replace("$", "dollar_"), None)
        return None if method is None else method(schema[key], schema)

    # ------------------------------------------------------------ references

    def _k_dollar_ref(self, ref: Any, schema: Mapping[str, Any]) -> Check:
        if not isinstance(ref, str) or not (ref == "#" or ref.startswith("#/")):
            raise _Unsupported(f"reference {ref!r}")
        if ref not in self.refs:
            self.refs[ref] = _never  # placeholder while compiling (recursive schemas)
            target: Any = self.root
            for part in ref[2:].split("/") if ref != "#" else ():
                part = part.replace("~1", "/").replace("~0", "~")
                if isinstance(target, list) and part.isdigit():
                    target = target[int(part)]
                elif isinstance(target, Mapping) and part in target:
                    target = target[part]
                else:
                    raise _Unsupported(f"unresolvable reference {ref!r}")
            self.refs[ref] = self.compile(target)
        refs = self.refs
        return lambda value: refs[ref](value)

    # ------------------------------------------------------------ any type

    def _k_type(self, declared: Any, schema: Mapping[str, Any]) -> Check:
        names = [declared] if isinstance(declared, str) else list(declared)
        checks = [_TYPES[n] for n in names]
        if len(checks) == 1:
            return checks[0]
        return lambda value: any(check(value) for check in checks)

    def _k_enum(self, options: Any, schema: Mapping[str, Any]) -> Check:
        options = list(options)
        return lambda value: any(json_equal(value, option) for option in options)

    def _k_const(self, const: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: json_equal(value, const)

    def _k_allOf(self, subs: Any, schema: Mapping[str, Any]) -> Check:
        checks = [self.compile(s) for s in subs]
        return lambda value: all(check(value) for check in checks)

    def _k_anyOf(self, subs: Any, schema: Mapping[str, Any]) -> Check:
        checks = [self.compile(s) for s in subs]
        return lambda value: any(check(value) for check in checks)

    def _k_oneOf(self, subs: Any, schema: Mapping[str, Any]) -> Check:
        checks = [self.compile(s) for s in subs]
        return lambda value: sum(1 for check in checks if check(value)) == 1

    def _k_not(self, sub: Any, schema: Mapping[str, Any]) -> Check:
        check = self.compile(sub)
        return lambda value: not check(value)

    def _k_format(self, name: Any, schema: Mapping[str, Any]) -> Check:
        conforms = self.formats.conforms
        return lambda value: conforms(value, name)

    # ------------------------------------------------------------ objects

    def _k_properties(self, properties: Any, schema: Mapping[str, Any]) -> Check:
        checks = [(name, self.compile(sub)) for name, sub in properties.items()]

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            return all(sub(value[name]) for name, sub in checks if name in value)

        return check

    def _k_required(self, names: Any, schema: Mapping[str, Any]) -> Check:
        required = list(names)
        return lambda value: not isinstance(value, dict) or all(n in value for n in required)

    def _k_additionalProperties(self, sub: Any, schema: Mapping[str, Any]) -> Check:
        known = frozenset(schema.get("properties", {}))
        extra = self.compile(sub)

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            return all(extra(v) for k, v in value.items() if k not in known)

        return check

    # ------------------------------------------------------------ arrays

    def _k_items(self, sub: Any, schema: Mapping[str, Any]) -> Check:
        item = self.compile(sub)
        return lambda value: not isinstance(value, list) or all(item(v) for v in value)

    def _k_minItems(self, n: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not isinstance(value, list) or len(value) >= n

    def _k_maxItems(self, n: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not isinstance(value, list) or len(value) <= n

    # ------------------------------------------------------------ numbers

    def _k_minimum(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not is_number(value) or value >= bound

    def _k_maximum(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not is_number(value) or value <= bound

    def _k_exclusiveMinimum(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not is_number(value) or value > bound

    def _k_exclusiveMaximum(self, bound: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not is_number(value) or value < bound

    def _k_multipleOf(self, divisor: Any, schema: Mapping[str, Any]) -> Check:
        step = Decimal(str(divisor))

        def check(value: Any) -> bool:
            if not is_number(value):
                return True
            quotient = Decimal(str(value)) / step
            return bool(quotient == quotient.to_integral_value())

        return check

    # ------------------------------------------------------------ strings

    def _k_minLength(self, n: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not isinstance(value, str) or len(value) >= n

    def _k_maxLength(self, n: Any, schema: Mapping[str, Any]) -> Check:
        return lambda value: not isinstance(value, str) or len(value) <= n

    def _k_pattern(self, pattern: Any, schema: Mapping[str, Any]) -> Check:
        search = re.compile(pattern).search
        return lambda value: not isinstance(value, str) or search(value) is not None
