"""The abstract syntax tree: frozen, slotted dataclasses, each with a :class:`Span`.

Elements (``paragraph``, ``table``, ``page`` …) share one generic node, :class:`Element`;
what each keyword accepts is data in ``ccmlang.compiler.elements`` so the checker, the spec
and the evaluator read one table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from ccmlang.compiler.source import Span

# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Attribute:
    obj: Expr
    name: str
    name_span: Span
    span: Span


@dataclass(frozen=True, slots=True)
class Subscript:
    obj: Expr
    index: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Str:
    """A string literal; ``parts`` alternate literal text and interpolated expressions."""

    parts: tuple[str | Expr, ...]
    span: Span

    @property
    def is_constant(self) -> bool:
        return all(isinstance(p, str) for p in self.parts)

    @property
    def constant(self) -> str:
        """The literal text, with interpolations shown as ``{…}`` (for names and paths)."""
        return "".join(p if isinstance(p, str) else "{…}" for p in self.parts)


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal
    span: Span


@dataclass(frozen=True, slots=True)
class Length:
    """``25mm``, ``10pt``, ``50%``: kept as written; backends speak CSS units."""

    value: Decimal
    unit: str
    span: Span

    @property
    def css(self) -> str:
        return f"{self.value}{self.unit}"


@dataclass(frozen=True, slots=True)
class Color:
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class DateLit:
    value: datetime.date
    span: Span


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool
    span: Span


@dataclass(frozen=True, slots=True)
class Null:
    span: Span


@dataclass(frozen=True, slots=True)
class ListLit:
    items: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-" or "not"
    operand: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Binary:
    """Arithmetic ``+ - * / %``, comparison ``== != < <= > >=``, logic ``and or``,
    membership ``in``/``not in`` and ``??`` (default when absent)."""

    op: str
    left: Expr
    right: Expr
    span: Span
    op_span: Span


@dataclass(frozen=True, slots=True)
class Conditional:
    condition: Expr
    then: Expr
    otherwise: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Arg:
    name: str | None
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Filter:
    value: Expr
    name: str
    args: tuple[Arg, ...]
    name_span: Span
    span: Span


Expr: TypeAlias = (
    Name
    | Attribute
    | Subscript
    | Str
    | Number
    | Length
    | Color
    | DateLit
    | Bool
    | Null
    | ListLit
    | Unary
    | Binary
    | Conditional
    | Filter
)

# ---------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class NamedType:
    """``string``, ``money``, ``Party`` or ``brand.Party``."""

    parts: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ListType:
    item: TypeExpr
    span: Span


@dataclass(frozen=True, slots=True)
class FieldType:
    name: str
    type: TypeExpr
    optional: bool
    span: Span


@dataclass(frozen=True, slots=True)
class RecordType:
    fields: tuple[FieldType, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class OptionalType:
    inner: TypeExpr
    span: Span


TypeExpr: TypeAlias = NamedType | ListType | RecordType | OptionalType

# ---------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Option:
    """``name: value`` — with extra lengths/colours for shorthands (``margin: 18mm 20mm``)."""

    name: str
    value: Expr
    extra: tuple[Expr, ...]
    name_span: Span
    span: Span


@dataclass(frozen=True, slots=True)
class Body:
    items: tuple[Stmt | Option, ...]
    span: Span

    @property
    def statements(self) -> tuple[Stmt, ...]:
        return tuple(i for i in self.items if not isinstance(i, Option))

    @property
    def options(self) -> tuple[Option, ...]:
        return tuple(i for i in self.items if isinstance(i, Option))


@dataclass(frozen=True, slots=True)
class Element:
    """``keyword [positional [as name]] [name: value]* [= expr] [{ body }]``."""

    keyword: str
    positional: Expr | None
    binding: str | None
    options: tuple[Option, ...]
    value: Expr | None
    body: Body | None
    keyword_span: Span
    span: Span

    def option(self, name: str) -> Option | None:
        for opt in self.options:
            if opt.name == name:
                return opt
        if self.body is not None:
            for item in self.body.items:
                if isinstance(item, Option) and item.name == name:
                    return item
        return None

    @property
    def all_options(self) -> tuple[Option, ...]:
        body_options = self.body.options if self.body is not None else ()
        return self.options + body_options


@dataclass(frozen=True, slots=True)
class Text:
    """A bare string in a body: a paragraph in block context, a text run inline."""

    value: Str
    span: Span


@dataclass(frozen=True, slots=True)
class Branch:
    condition: Expr
    body: Body
    span: Span


@dataclass(frozen=True, slots=True)
class If:
    branches: tuple[Branch, ...]
    otherwise: Body | None
    span: Span


@dataclass(frozen=True, slots=True)
class For:
    var: str
    index_var: str | None
    iterable: Expr
    body: Body
    otherwise: Body | None
    var_span: Span
    span: Span


@dataclass(frozen=True, slots=True)
class Let:
    name: str
    value: Expr
    name_span: Span
    span: Span


@dataclass(frozen=True, slots=True)
class Use:
    """``use brand.address(customer.address, show-country: true) { slot content }``."""

    target: tuple[str, ...]
    args: tuple[Arg, ...]
    body: Body | None
    target_span: Span
    span: Span


Stmt: TypeAlias = Element | Text | If | For | Let | Use

# ---------------------------------------------------------------- declarations


@dataclass(frozen=True, slots=True)
class Import:
    path: str
    alias: str
    path_span: Span
    alias_span: Span
    span: Span


@dataclass(frozen=True, slots=True)
class StyleDecl:
    name: str
    extends: tuple[str, ...] | None
    body: Body
    name_span: Span
    extends_span: Span | None
    span: Span


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: TypeExpr
    default: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class ComponentDecl:
    name: str
    params: tuple[Param, ...]
    body: Body
    name_span: Span
    span: Span


@dataclass(frozen=True, slots=True)
class TypeDecl:
    name: str
    type: TypeExpr
    name_span: Span
    span: Span


Decl: TypeAlias = Import | StyleDecl | ComponentDecl | TypeDecl
Item: TypeAlias = Decl | Stmt


@dataclass(frozen=True, slots=True)
class Module:
    """One parsed ``.ccm`` file, template or library."""

    path: str
    items: tuple[Item, ...]
    span: Span
