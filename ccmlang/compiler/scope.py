"""Scopes for checking expressions (spec/language.md, "Names").

Names are looked up innermost first: ``let``, ``for`` and ``as`` bindings and component
parameters, then the built-ins ``input`` and ``locale`` (and ``page``/``pages`` inside page
headers and footers, where they are bound as ``page`` bindings), then the top-level fields of
the data. A scope also carries the paths
proven present by an enclosing condition (``if customer.address { … }``), so the checker can
accept ``customer.address.city`` there without a default.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ccmlang.compiler import ast
from ccmlang.compiler import types as t
from ccmlang.compiler.source import Span

Path = tuple[str, ...]
"""A name followed by field names: ``("customer", "address")``."""


@dataclass(frozen=True, slots=True)
class Binding:
    type: t.Type
    kind: str
    """``data``, ``builtin``, ``page``, ``let``, ``for``, ``loop``, ``as``, ``param``."""
    span: Span | None = None


LOOP = t.RecordT(
    (
        ("index", t.Field(t.INTEGER, True)),
        ("index0", t.Field(t.INTEGER, True)),
        ("first", t.Field(t.BOOL, True)),
        ("last", t.Field(t.BOOL, True)),
        ("length", t.Field(t.INTEGER, True)),
    ),
    name="loop",
)
"""The ``loop`` record inside ``for``: ``loop.index`` counts from 1, ``loop.index0`` from 0."""


class Scope:
    """One level of names; children see their parents' names unless they shadow them."""

    __slots__ = ("names", "narrowed", "open", "parent")

    def __init__(
        self,
        parent: Scope | None = None,
        names: dict[str, Binding] | None = None,
        narrowed: Iterable[Path] = (),
        *,
        open: bool = False,
    ) -> None:
        self.parent = parent
        self.names: dict[str, Binding] = names if names is not None else {}
        self.narrowed: frozenset[Path] = frozenset(narrowed)
        self.open: bool = open if parent is None else parent.open
        """Unknown top-level names are data fields of type ``any`` (no schema, open object)."""

    def child(self, narrowed: Iterable[Path] = ()) -> Scope:
        return Scope(self, None, narrowed)

    def bind(self, name: str, binding: Binding) -> None:
        self.names[name] = binding

    def chain(self) -> Iterator[Scope]:
        scope: Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def lookup(self, name: str) -> Binding | None:
        scope: Scope | None = self
        while scope is not None:
            found = scope.names.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None

    def local(self, name: str) -> Binding | None:
        """A binding made at this very level (for "already defined in this block")."""
        return self.names.get(name)

    def is_narrowed(self, path: Path) -> bool:
        """Whether an enclosing condition proved ``path`` present (and its root not rebound)."""
        scope: Scope | None = self
        while scope is not None:
            if path in scope.narrowed:
                return True
            if path[0] in scope.names:
                return False
            scope = scope.parent
        return False

    def visible(self) -> dict[str, Binding]:
        """Every name visible here, innermost binding winning (for suggestions)."""
        out: dict[str, Binding] = {}
        for scope in self.chain():
            for name, binding in scope.names.items():
                out.setdefault(name, binding)
        return out


def path_of(expr: ast.Expr) -> Path | None:
    """``customer.address.city`` → ``("customer", "address", "city")``; None for other shapes."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.name)
        expr = expr.obj
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.name)
    parts.reverse()
    return tuple(parts)


def data_scope(data_type: t.Type) -> Scope:
    """The outermost scope: the data's top-level fields (open when there is no schema)."""
    if isinstance(data_type, t.RecordT):
        names = {
            name: Binding(f.type if f.required else t.optional(f.type), "data")
            for name, f in data_type.fields
        }
        return Scope(None, names, open=data_type.open)
    return Scope(None, {}, open=True)
