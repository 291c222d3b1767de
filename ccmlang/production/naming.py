"""Record names: ``--name "{account.number}-{period.end}"`` (spec/production.md, "Naming").

The value is read as a ccm string literal, so it is split into text and ``{expression}`` parts
by the template parser itself (same escapes, same ``{{``/``}}``), and each part is evaluated by
the template's own expression evaluator. Only data paths, literals, filters from the fixed
library and ``??`` defaults are allowed: a file name is no place for arithmetic, and keeping the
set small keeps the names predictable for operators reading a manifest.

The result is sanitised into one safe file name component (no separators, no ``..``, no control
characters, at most :data:`MAX_NAME_LENGTH` characters), because it comes from data and must
never let a record write outside the batch's output directory.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ccmlang.compiler import ast, formats
from ccmlang.compiler.diagnostics import DiagnosticSink
from ccmlang.compiler.evaluate_expr import ExprEvaluator, RenderError, Scope
from ccmlang.compiler.parse import split_string
from ccmlang.compiler.source import SourceFile

MAX_NAME_LENGTH = 150
"""Longest name (before the extension): well under every file system's 255-byte limit."""

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_DOTS = re.compile(r"\.{2,}")
_SPACES = re.compile(r"\s+")
_ALLOWED = (ast.Name, ast.Attribute, ast.Str, ast.Number, ast.Bool, ast.Null, ast.DateLit)


class NamingError(ValueError):
    """The expression is malformed (at start-up) or yields no usable name (for one record)."""


def _check(node: ast.Expr, what: str) -> None:
    """Refuse anything but paths, literals, filters and ``??`` (see the module docstring)."""
    if isinstance(node, ast.Subscript):
        if not isinstance(node.index, ast.Number | ast.Str):
            raise NamingError(f"{what}: only constant indexes are allowed, not `{node.span.text}`")
        _check(node.obj, what)
        _check(node.index, what)
    elif isinstance(node, ast.Attribute):
        _check(node.obj, what)
    elif isinstance(node, ast.Filter):
        _check(node.value, what)
        for arg in node.args:
            _check(arg.value, what)
    elif isinstance(node, ast.Binary) and node.op == "??":
        _check(node.left, what)
        _check(node.right, what)
    elif isinstance(node, ast.Str):
        for part in node.parts:
            if not isinstance(part, str):
                _check(part, what)
    elif not isinstance(node, _ALLOWED):
        raise NamingError(
            f"{what}: `{node.span.text}` is not allowed; use data paths, literals, "
            "filters and `??` defaults"
        )


@dataclass(frozen=True, slots=True)
class TextTemplate:
    """A parsed ``"…{expr}…"`` text, evaluated per record. Picklable (plain AST)."""

    source: str
    parts: tuple[str | ast.Expr, ...]
    locale: str

    @classmethod
    def parse(cls, text: str, *, what: str = "--name", locale: str = "en") -> TextTemplate:
        """Parse ``text`` as the inside of a ccm string literal; raises :class:`NamingError`."""
        raw = '"' + text + '"'
        file = SourceFile(what, raw)
        sink = DiagnosticSink()
        parsed = split_string(raw, file.span(0, len(raw)), file, sink)
        if sink.has_errors:
            first = sink.sorted()[0]
            raise NamingError(f"{what}: {first.message} in {text!r}")
        for part in parsed.parts:
            if not isinstance(part, str):
                _check(part, what)
        return cls(text, parsed.parts, locale)

    @classmethod
    def expression(cls, text: str, *, what: str, locale: str = "en") -> TextTemplate:
        """Like :meth:`parse`, but a value without ``{`` is one expression (``--sort-by a.b``)."""
        if "{" not in text:
            text = "{" + text + "}"
        return cls.parse(text, what=what, locale=locale)

    def evaluate(self, data: Any) -> str:
        """The text for one record; an absent value is an error, not an empty string."""
        evaluator = ExprEvaluator(data, self.locale)
        scope = Scope({}, None)
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            try:
                value = evaluator.eval(part, scope)
            except RenderError as exc:
                first = exc.diagnostics[0].message if exc.diagnostics else str(exc)
                raise NamingError(first) from exc
            if value is None or value == "":
                raise NamingError(f"`{part.span.text}` is absent or empty in this record")
            out.append(formats.plain(value))
        return "".join(out)


def sanitise(name: str) -> str:
    """One safe file name component: no separators, ``..``, control characters or dot prefix.

    NFC-normalised so the same name typed two ways is one file; whitespace runs become one
    space; leading dots and spaces are dropped so no name is hidden or empty-looking.
    """
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("_", name)
    name = _DOTS.sub(".", name)
    name = _SPACES.sub(" ", name).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        name = name[:MAX_NAME_LENGTH].rstrip(" .")
    return name


class Namer:
    """``--name`` for a batch: the expression, or the zero-padded record number by default."""

    def __init__(self, expression: str | None, *, locale: str = "en") -> None:
        self.template = (
            None if expression is None else TextTemplate.parse(expression, locale=locale)
        )

    def name(self, number: int, data: Any) -> str:
        """The sanitised name of record ``number``; raises :class:`NamingError` when unusable."""
        if self.template is None:
            return f"{number:06d}"
        name = sanitise(self.template.evaluate(data))
        if not name:
            raise NamingError(f"the name {self.template.source!r} is empty after sanitising")
        return name
