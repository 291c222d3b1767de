"""Looking into layout trees in tests: walk, find, and the text under a node."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from ccmlang import layout
from ccmlang.compiler.diagnostics import DiagnosticSink
from ccmlang.compiler.evaluate import RenderError
from ccmlang.compiler.evaluate_expr import ExprEvaluator, Scope
from ccmlang.compiler.parse import parse_expression
from ccmlang.compiler.source import SourceFile


def walk(node: Any) -> Iterator[Any]:
    """Every layout node under ``node`` (itself included), depth first in document order."""
    if isinstance(node, tuple | list):
        for child in node:
            yield from walk(child)
        return
    if not dataclasses.is_dataclass(node) or isinstance(node, layout.Style | layout.Origin):
        return
    yield node
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, tuple | list) or (
            dataclasses.is_dataclass(value) and not isinstance(value, layout.Style | layout.Origin)
        ):
            yield from walk(value)


def find(node: Any, kind: type) -> list[Any]:
    return [n for n in walk(node) if isinstance(n, kind)]


def text_of(node: Any) -> str:
    """The text of the Text nodes under ``node``, joined; line breaks as ``\\n``."""
    out = []
    for n in walk(node):
        if isinstance(n, layout.Text):
            out.append(n.text)
        elif isinstance(n, layout.LineBreak):
            out.append("\n")
        elif isinstance(n, layout.PageNumber):
            out.append("<page>")
        elif isinstance(n, layout.PageCount):
            out.append("<pages>")
    return "".join(out)


def paragraphs(doc: layout.Document) -> list[str]:
    """The text of each top-level paragraph or heading of the body."""
    return [text_of(b) for b in doc.body if isinstance(b, layout.Paragraph | layout.Heading)]


def parse(text: str) -> Any:
    """An expression's AST."""
    sink = DiagnosticSink()
    expr = parse_expression(text, SourceFile("expr.ccm", text), 0, sink)
    assert expr is not None and not sink.has_errors, [d.message for d in sink]
    return expr


def evaluate(text: str, data: Any = None, locale: str = "en-GB", **variables: Any) -> Any:
    evaluator = ExprEvaluator({} if data is None else data, locale)
    return evaluator.eval(parse(text), Scope(variables, None))


def error_of(text: str, data: Any = None, **variables: Any) -> tuple[str, str, str]:
    """(code, message, the source text the diagnostic points at)."""
    with pytest.raises(RenderError) as caught:
        evaluate(text, data, **variables)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.span is not None
    return diagnostic.code, diagnostic.message, diagnostic.span.text
