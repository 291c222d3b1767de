"""Compile-once, render-many: per-program facts the evaluator derives lazily and reuses.

Evaluation is the per-record hot path of batch production, so everything that depends only on
the template (an element's options by name, its merged style, its origin, a body's statements
with language variants grouped) is computed the first time a render needs it and kept for every
later record. Entries are keyed by ``id()`` of AST nodes: the nodes live as long as the program.

The cache lives outside :class:`~ccmlang.compiler.program.Program` so that programs stay small
and picklable (a process pool receives a program, never its cache). ``Program`` is a slotted,
unhashable dataclass, so it cannot be a weak dictionary key; instead a small LRU keeps the
caches of the most recently rendered programs, each entry holding its program so an ``id``
is never confused with a later object's.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccmlang import layout
from ccmlang.compiler import ast
from ccmlang.compiler.diagnostics import DiagnosticSink
from ccmlang.compiler.elements import ELEMENTS, STYLE_PROPERTIES
from ccmlang.compiler.parse import _matching_brace
from ccmlang.compiler.program import ModuleInfo, Program
from ccmlang.compiler.styles import apply
from ccmlang.compiler.values import Values

if TYPE_CHECKING:
    from ccmlang.compiler.evaluate_expr import Compiled

EMPTY_STYLE = layout.Style()
_STYLE_FIELDS = tuple(f.name for f in dataclasses.fields(layout.Style))

CACHED_PROGRAMS = 32
"""How many programs keep their evaluation cache (a batch renders one; the preview a few)."""


def merge_styles(*styles: layout.Style | None) -> layout.Style:
    """Later styles win property by property; ``None`` properties leave earlier ones in place.

    The order is element default < named style < inline options, like CSS specificity in a
    single cascade step. The result's ``name`` is the last named style's (the CSS class).
    """
    present = [s for s in styles if s is not None and s is not EMPTY_STYLE]
    if not present:
        return EMPTY_STYLE
    if len(present) == 1:
        return present[0]
    values: dict[str, Any] = {}
    for style in present:
        for name in _STYLE_FIELDS:
            value = getattr(style, name)
            if value is not None:
                values[name] = value
    return layout.Style(**values)


@dataclass(frozen=True, slots=True)
class Variants:
    """Language variants of a text (``en: "…" de: "…"``), standing where the first one stood."""

    options: tuple[ast.Option, ...]

    def pick(self, locale: str, language: str, fallbacks: tuple[str, ...]) -> ast.Option:
        """Exact locale, then its language, then the declared languages in order, then the first."""
        by_name = {o.name: o for o in self.options}
        for wanted in (locale, language, *fallbacks):
            if wanted in by_name:
                return by_name[wanted]
        return self.options[0]


Planned = ast.Stmt | Variants


@dataclass(frozen=True, slots=True)
class Plan:
    """A body ready to run: its statements (options removed, variants grouped)."""

    stmts: tuple[Planned, ...]
    has_let: bool


EMPTY_PLAN = Plan((), False)


@dataclass(slots=True)
class ElementInfo:
    """What the evaluator knows about one element without looking at data."""

    opts: dict[str, ast.Option]
    origin: layout.Origin
    style: layout.Style | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _element_options() -> dict[str, frozenset[str]]:
    """Option names each keyword takes, in any context (``column`` in tables and in columns)."""
    names: dict[str, set[str]] = {}
    for table in ELEMENTS.values():
        for keyword, spec in table.items():
            names.setdefault(keyword, set()).update(spec.options)
    return {k: frozenset(v) for k, v in names.items()}


ELEMENT_OPTIONS = _element_options()


class ProgramCache:
    """Lazily filled facts about one program; threads may share it (fills are idempotent)."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.elements: dict[int, ElementInfo] = {}
        self.plans: dict[int, Plan] = {}
        self.origins: dict[int, layout.Origin] = {}
        self.assets: dict[tuple[str, str], str] = {}
        self.texts: dict[int, tuple[str | ast.Expr | None, ...]] = {}
        self.compiled: dict[int, tuple[ast.Expr, Compiled]] = {}
        """Expression closures (:func:`.evaluate_expr.compile_expr`), shared by every record."""
        self.project_root = Path(program.project_root).resolve()

    def element(self, el: ast.Element, module: ModuleInfo) -> ElementInfo:
        info = self.elements.get(id(el))
        if info is None:
            opts: dict[str, ast.Option] = {}
            for opt in el.all_options:
                opts.setdefault(opt.name, opt)
            info = ElementInfo(opts, self.origin(el.span, id(el), module))
            self.elements[id(el)] = info
        return info

    def origin(self, span: Any, key: int, module: ModuleInfo) -> layout.Origin:
        origin = self.origins.get(key)
        if origin is None:
            line, column = span.file.line_col(span.start)
            origin = layout.Origin(module.source_path, line, column)
            self.origins[key] = origin
        return origin

    def plan(self, body: ast.Body | None, keyword: str = "") -> Plan:
        """The statements of ``body``; options the element does not take are language variants."""
        if body is None:
            return EMPTY_PLAN
        plan = self.plans.get(id(body))
        if plan is None:
            known = ELEMENT_OPTIONS.get(keyword, frozenset()) if keyword else frozenset()
            stmts: list[Planned] = []
            variants = [i for i in body.items if isinstance(i, ast.Option) and i.name not in known]
            for item in body.items:
                if not isinstance(item, ast.Option):
                    stmts.append(item)
                elif variants and item is variants[0]:
                    stmts.append(Variants(tuple(variants)))
            has_let = any(isinstance(s, ast.Let) for s in stmts)
            plan = Plan(tuple(stmts), has_let)
            self.plans[id(body)] = plan
        return plan

    def stmts_plan(self, key: int, stmts: tuple[ast.Stmt, ...]) -> Plan:
        """A plan for a bare statement sequence (the program's top level)."""
        plan = self.plans.get(key)
        if plan is None:
            plan = Plan(tuple(stmts), any(isinstance(s, ast.Let) for s in stmts))
            self.plans[key] = plan
        return plan

    def text_parts(self, node: ast.Str) -> tuple[str | ast.Expr | None, ...]:
        """``node.parts`` with each ``\\n`` escape split out as ``None`` (a line break)."""
        parts = self.texts.get(id(node))
        if parts is None:
            parts = self.texts[id(node)] = _line_breaks(node)
        return parts


def _line_breaks(node: ast.Str) -> tuple[str | ast.Expr | None, ...]:
    """Split literal text at newlines written as ``\\n``; a string that merely continues on
    the next line of the source keeps its newline as white space (spec/language.md, "Rich
    text": "Inside text, ``\\n`` is a line break like ``br``")."""
    escaped = _escaped_newlines(node.span.text[1:-1])
    if True not in escaped:
        return node.parts
    kinds = iter(escaped)
    out: list[str | ast.Expr | None] = []
    for part in node.parts:
        if not isinstance(part, str):
            out.append(part)
            continue
        for i, piece in enumerate(part.split("\n")):
            if i:
                out.append(None if next(kinds, False) else "\n")
            out.append(piece)
    merged: list[str | ast.Expr | None] = []
    for item in out:
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] += item
        elif item != "":
            merged.append(item)
    return tuple(merged)


def _escaped_newlines(raw: str) -> list[bool]:
    """For each newline of the literal text in source order: written as ``\\n`` (True)?"""
    kinds: list[bool] = []
    i, n = 0, len(raw)
    while i < n:
        char = raw[i]
        if char == "\\":
            if raw[i + 1 : i + 2] == "n":
                kinds.append(True)
            i += 2
        elif raw.startswith("{{", i) or raw.startswith("}}", i):
            i += 2
        elif char == "{":
            close = _matching_brace(raw, i + 1)  # the parser's own rule for interpolations
            i = (n if close == -1 else close) + 1
        else:
            if char == "\n":
                kinds.append(False)
            i += 1
    return kinds


_CACHES: OrderedDict[int, ProgramCache] = OrderedDict()
_LOCK = threading.Lock()


def cache_for(program: Program) -> ProgramCache:
    """The evaluation cache of ``program``, created on first use."""
    key = id(program)
    with _LOCK:
        cache = _CACHES.get(key)
        if cache is not None and cache.program is program:
            _CACHES.move_to_end(key)
            return cache
        cache = ProgramCache(program)
        _CACHES[key] = cache
        while len(_CACHES) > CACHED_PROGRAMS:
            _CACHES.popitem(last=False)
        return cache


def clear_caches() -> None:
    """Forget every program's cache (tests; a long-lived service after a deploy)."""
    with _LOCK:
        _CACHES.clear()


# ---------------------------------------------------------------- constant option values


def word(expr: ast.Expr | None) -> str | None:
    """A bare name or constant string (``align: right``, ``kind: epc``, ``size: A4``)."""
    if expr is None:
        return None
    if isinstance(expr, ast.Name):
        return expr.name
    if isinstance(expr, ast.Str) and expr.is_constant:
        return expr.constant
    if isinstance(expr, ast.Bool):
        return "true" if expr.value else "false"
    if isinstance(expr, ast.Attribute):
        head = word(expr.obj)
        return None if head is None else f"{head}.{expr.name}"
    return None


def qualname(expr: ast.Expr) -> tuple[str, ...]:
    """``warning`` → ``("warning",)``, ``brand.warning`` → ``("brand", "warning")``."""
    text = word(expr)
    return tuple(text.split(".")) if text else ()


def const_int(opt: ast.Option | None, default: int) -> int:
    """A whole-number option (``level: 2``, ``span: 3``)."""
    if opt is not None and isinstance(opt.value, ast.Number):
        return int(opt.value.value)
    return default


def const_bool(opt: ast.Option | None, default: bool) -> bool:
    """A ``true``/``false`` option (``keep: true``, ``repeat-header: false``)."""
    if opt is not None and isinstance(opt.value, ast.Bool):
        return opt.value.value
    return default


def const_css(expr: ast.Expr) -> str | None:
    """A literal length or colour as CSS; ``None`` when the value must be evaluated."""
    if isinstance(expr, ast.Length):
        return expr.css
    if isinstance(expr, ast.Color):
        return expr.value
    if isinstance(expr, ast.Number):
        return format(expr.value, "f")
    if isinstance(expr, ast.Str) and expr.is_constant:
        return expr.constant
    return None


def inline_style(opts: dict[str, ast.Option], names: tuple[str, ...]) -> layout.Style | None:
    """Style properties written on the element itself (``align: right``, ``padding: 3mm``),
    read and applied exactly as a ``style`` declaration's (``values``, ``styles.apply``)."""
    given = [opts[n] for n in names if n in opts and n in STYLE_PROPERTIES]
    if not given:
        return None
    values = Values(DiagnosticSink())  # checked at compile time: nothing to report here
    props = {o.name: values.read(o, STYLE_PROPERTIES[o.name]) for o in given}
    return apply(layout.Style(), {k: v for k, v in props.items() if v is not None}, None)
