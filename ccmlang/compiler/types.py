"""Static types of template values, derived from the JSON Schema data contract (spec/language.md,
"Types").

The model is small on purpose: designers see ``string``, ``number``, ``integer``, ``bool``,
``date``, ``datetime``, lists, records and "may be absent" (``T?``). ``any`` switches checking
off for values the schema leaves open (no schema, ``anyOf`` of unrelated types).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias


@dataclass(frozen=True, slots=True)
class Prim:
    name: str  # string number integer bool date datetime length color null any never

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class ListT:
    item: Type

    def __str__(self) -> str:
        return f"list[{self.item}]"


@dataclass(frozen=True, slots=True)
class Field:
    type: Type
    required: bool


@dataclass(frozen=True, slots=True)
class RecordT:
    fields: tuple[tuple[str, Field], ...]
    open: bool = False
    """Extra fields may exist (``additionalProperties`` not false): unknown names are ``any``."""
    name: str = ""

    def get(self, name: str) -> Field | None:
        for key, value in self.fields:
            if key == name:
                return value
        return None

    @property
    def names(self) -> list[str]:
        return [k for k, _ in self.fields]

    def __str__(self) -> str:
        if self.name:
            return self.name
        inner = ", ".join(f"{k}{'' if f.required else '?'}: {f.type}" for k, f in self.fields[:4])
        more = ", …" if len(self.fields) > 4 else ""
        return "{" + inner + more + "}"


@dataclass(frozen=True, slots=True)
class OptionalT:
    """A value that may be absent or null."""

    inner: Type

    def __str__(self) -> str:
        return f"{self.inner}?"


Type: TypeAlias = Prim | ListT | RecordT | OptionalT

STRING = Prim("string")
NUMBER = Prim("number")
INTEGER = Prim("integer")
BOOL = Prim("bool")
DATE = Prim("date")
DATETIME = Prim("datetime")
LENGTH = Prim("length")
COLOR = Prim("color")
NULL = Prim("null")
ANY = Prim("any")
NEVER = Prim("never")
EMPTY_RECORD = RecordT(())

PRIMITIVES: dict[str, Type] = {
    "string": STRING,
    "text": STRING,
    "number": NUMBER,
    "money": NUMBER,
    "integer": INTEGER,
    "bool": BOOL,
    "boolean": BOOL,
    "date": DATE,
    "datetime": DATETIME,
    "any": ANY,
}


def strip_optional(t: Type) -> Type:
    return t.inner if isinstance(t, OptionalT) else t


def optional(t: Type) -> Type:
    if isinstance(t, OptionalT) or t in (ANY, NULL):
        return t
    return OptionalT(t)


def is_optional(t: Type) -> bool:
    return isinstance(t, OptionalT) or t == NULL


def is_numeric(t: Type) -> bool:
    return t in (NUMBER, INTEGER, ANY)


def is_textual(t: Type) -> bool:
    """Printable as text without a filter."""
    return isinstance(t, Prim) and t.name in (
        "string",
        "number",
        "integer",
        "date",
        "datetime",
        "bool",
        "any",
    )


def assignable(src: Type, dst: Type) -> bool:
    """May a value of type ``src`` be used where ``dst`` is expected?"""
    if src in (ANY, NEVER) or dst == ANY:
        return True
    if isinstance(dst, OptionalT):
        if src == NULL:
            return True
        return assignable(strip_optional(src), dst.inner)
    if isinstance(src, OptionalT) or src == NULL:
        return False
    if isinstance(dst, Prim):
        if src == dst:
            return True
        return dst == NUMBER and src == INTEGER
    if isinstance(dst, ListT):
        return isinstance(src, ListT) and assignable(src.item, dst.item)
    if isinstance(dst, RecordT):
        if not isinstance(src, RecordT):
            return False
        for name, want in dst.fields:
            have = src.get(name)
            if have is None:
                if want.required and not src.open:
                    return False
                continue
            have_type = have.type if have.required else optional(have.type)
            want_type = want.type if want.required else optional(want.type)
            if not assignable(have_type, want_type):
                return False
        return True
    return False


def join(a: Type, b: Type) -> Type:
    """The type of ``c ? a : b``: the wider of the two."""
    if a == b:
        return a
    if a == NULL:
        return optional(b)
    if b == NULL:
        return optional(a)
    if a == NEVER:
        return b
    if b == NEVER:
        return a
    if isinstance(a, OptionalT) or isinstance(b, OptionalT):
        return optional(join(strip_optional(a), strip_optional(b)))
    if {a, b} == {NUMBER, INTEGER}:
        return NUMBER
    if assignable(a, b):
        return b
    if assignable(b, a):
        return a
    return ANY


# ---------------------------------------------------------------- JSON Schema


class SchemaTypes:
    """Turns a JSON Schema (draft 2020-12) into a :data:`Type`, following local ``$ref``s."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self._active: set[str] = set()

    def convert(self, schema: Any) -> Type:
        if schema is True or schema is None or not isinstance(schema, Mapping):
            return ANY
        if "$ref" in schema:
            return self._ref(str(schema["$ref"]))
        if "const" in schema:
            return _type_of_constant(schema["const"])
        if "enum" in schema:
            kinds = {_type_of_constant(v) for v in schema["enum"]}
            if NULL in kinds:
                kinds.discard(NULL)
                return optional(kinds.pop()) if len(kinds) == 1 else ANY
            return kinds.pop() if len(kinds) == 1 else ANY
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return self._union([self.convert(s) for s in schema[key]])
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self.convert(schema["allOf"][0])
        declared = schema.get("type")
        if isinstance(declared, list):
            return self._union([self.convert({**schema, "type": t}) for t in declared])
        if declared == "string":
            fmt = schema.get("format")
            return DATE if fmt == "date" else DATETIME if fmt == "date-time" else STRING
        if declared == "number":
            return NUMBER
        if declared == "integer":
            return INTEGER
        if declared == "boolean":
            return BOOL
        if declared == "null":
            return NULL
        if declared == "array":
            return ListT(self.convert(schema.get("items", True)))
        if declared == "object" or "properties" in schema:
            required = set(schema.get("required", ()))
            props = schema.get("properties", {})
            fields = tuple(
                (name, Field(self.convert(sub), name in required)) for name, sub in props.items()
            )
            extra = schema.get("additionalProperties", True)
            return RecordT(fields, open=extra is not False and not props)
        return ANY

    def _ref(self, ref: str) -> Type:
        if not ref.startswith("#/") or ref in self._active:
            return ANY  # remote or recursive references are not followed
        node: Any = self.root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, Mapping) or part not in node:
                return ANY
            node = node[part]
        self._active.add(ref)
        try:
            result = self.convert(node)
        finally:
            self._active.discard(ref)
        if isinstance(result, RecordT) and not result.name:
            result = RecordT(result.fields, result.open, ref.rsplit("/", 1)[-1])
        return result

    def _union(self, types: list[Type]) -> Type:
        non_null = [t for t in types if t != NULL]
        has_null = len(non_null) != len(types)
        if not non_null:
            return NULL
        result = non_null[0]
        for t in non_null[1:]:
            result = join(result, t)
        return optional(result) if has_null else result


def _type_of_constant(value: Any) -> Type:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float | Decimal):  # schemas are loaded with parse_float=Decimal
        return NUMBER
    if isinstance(value, str):
        return STRING
    return ANY


def schema_type(schema: Mapping[str, Any]) -> Type:
    return SchemaTypes(schema).convert(schema)
