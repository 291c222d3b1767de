"""Evaluate a checked program against one data record: the layout tree (spec/layout-tree.md).

This is the only per-record stage of the pipeline (ARCHITECTURE.md, "Compile once, render
many"). The program is already resolved and type checked and the data already validated against
its JSON Schema, so evaluation is look-ups and formatting over the AST; what can still go wrong
with a particular record (division by zero, a date a pattern cannot print, an asset outside the
project, a limit) raises :class:`RenderError` with ``E3xxx`` diagnostics pointing at the
template (spec/diagnostics-render.md).

The work is split by concern: expressions in :mod:`.evaluate_expr`, statements and elements in
:mod:`.evaluate_blocks`, per-program caches in :mod:`.evaluate_cache`, assets and graphics in
:mod:`.evaluate_media`, input fields in :mod:`.evaluate_inputs`. This module assembles the
document: locale, pages, metadata and body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ccmlang import layout
from ccmlang.compiler import ast, formats
from ccmlang.compiler.diagnostics import DiagnosticSink
from ccmlang.compiler.elements import PAGE_SIZES, Ctx
from ccmlang.compiler.evaluate_blocks import BlockEvaluator
from ccmlang.compiler.evaluate_cache import cache_for, merge_styles, word
from ccmlang.compiler.evaluate_expr import RenderError, Scope, fail
from ccmlang.compiler.evaluate_inputs import check_inputs
from ccmlang.compiler.limits import Limits
from ccmlang.compiler.program import Program
from ccmlang.compiler.values import Values

__all__ = ["DEFAULT_LOCALE", "DEFAULT_PAGE", "RenderError", "merge_styles", "render_document"]

DEFAULT_LOCALE = "en"
DEFAULT_PAGE = layout.PageMaster("210mm", "297mm", ("20mm",) * 4)
"""A4 portrait with 20 mm margins: the page of a template that declares none."""


def render_document(
    program: Program,
    data: Any,
    *,
    locale: str | None = None,
    inputs: Mapping[str, Any] | None = None,
    editables: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> layout.Document:
    """The layout tree of ``program`` for one data record.

    ``locale`` overrides the template's; ``inputs`` are values for declared input fields;
    ``editables`` replace named editable regions with the agent's text. Raises
    :class:`RenderError` (``E3xxx``) when the record cannot be rendered.
    """
    limits = limits or Limits()
    cache = cache_for(program)
    ev = BlockEvaluator(
        program,
        cache,
        data,
        locale=DEFAULT_LOCALE,
        limits=limits,
        inputs=check_inputs(program.fields, inputs or {}),
        editables=editables or {},
    )
    tag = _choose_locale(ev, program, locale)
    ev.set_locale(tag)
    top = Scope({}, ev.globals)
    try:
        body: list[layout.Block] = []
        plan = cache.stmts_plan(id(program.body), program.body)
        ev.run(plan, top, Ctx.TOP, body, fresh=True)
        rest = _page(ev, program.page_rest, None, top)
        first = (
            None
            if program.page_first is None
            else _page(ev, program.page_first, program.page_rest, top)
        )
        metadata = _metadata(ev, program, top, tag)
    except RecursionError:
        fail("E3002", "the document nests too deeply to render", None)
    ev.check_time(None)
    return layout.Document(
        metadata=metadata,
        rest=rest,
        first=first,
        body=tuple(body),
        base_style=program.base_style,
        fonts=program.fonts,
        project_root=str(cache.project_root),
    )


def _choose_locale(ev: BlockEvaluator, program: Program, requested: str | None) -> str:
    """The caller's locale, else the template's (maybe from data), else ``en``."""
    span = None
    tag = requested
    if not tag and program.header.locale is not None:
        span = program.header.locale.span
        tag = formats.plain(ev.eval(program.header.locale, ev.globals))
    tag = tag or DEFAULT_LOCALE
    if not formats.is_known_locale(tag):
        fail(
            "E3008",
            f"unknown locale `{tag}`",
            span,
            "use a language tag such as en-GB, de-DE or fr-CH",
        )
    return tag


def _page(
    ev: BlockEvaluator, el: ast.Element | None, rest: ast.Element | None, scope: Scope
) -> layout.PageMaster:
    """A page variant; ``page first`` takes what it does not set from ``page`` (``rest``)."""
    if el is None:
        return DEFAULT_PAGE
    ev.module = ev.program.root
    info = ev.info(el)
    geometry = info.extra.get("page")
    if geometry is None:
        inherited = {} if rest is None else ev.info(rest).opts
        geometry = info.extra["page"] = _page_geometry({**inherited, **info.opts})
    width, height, margin = geometry[:3]
    parts: dict[str, tuple[layout.Block, ...]] = {}
    ev.in_page = True
    ev.body(el, Ctx.PAGE, scope, parts)
    ev.in_page = False
    return layout.PageMaster(
        width,
        height,
        margin,
        parts.get("header", ()),
        parts.get("footer", ()),
        geometry[3],
        geometry[4],
    )


def _page_geometry(
    opts: Mapping[str, ast.Option],
) -> tuple[str, str, tuple[str, str, str, str], str | None, str | None]:
    """Size, orientation, margins and furniture heights: constants, read once like the checker."""
    values = Values(DiagnosticSink())  # checked at compile time: nothing to report here
    size, margin = opts.get("size"), opts.get("margin")
    width, height = (values.size(size) if size is not None else None) or PAGE_SIZES["A4"]
    orientation = opts.get("orientation")
    if orientation is not None and word(orientation.value) == "landscape":
        width, height = height, width
    margins = (values.lengths(margin) if margin is not None else None) or ("20mm",) * 4
    header, footer = (opts.get(n) for n in ("header-height", "footer-height"))
    return (
        width,
        height,
        (margins[0], margins[1], margins[2], margins[3]),
        None if header is None else values.length(header, header.value),
        None if footer is None else values.length(footer, footer.value),
    )


def _metadata(ev: BlockEvaluator, program: Program, scope: Scope, tag: str) -> layout.Metadata:
    header = program.header
    el = program.document
    if el is None:
        return layout.Metadata(language=tag, template=header.name, template_version=header.version)
    ev.module = program.root
    info = ev.info(el)
    keywords: tuple[str, ...] = ()
    keywords_opt = info.opts.get("keywords")
    if keywords_opt is not None:
        value = ev.eval(keywords_opt.value, scope)
        items = value if isinstance(value, list) else [] if value is None else [value]
        keywords = tuple(formats.plain(k) for k in items)
    index: list[tuple[str, str]] = []
    for stmt in ev.cache.plan(el.body, el.keyword).stmts:
        if isinstance(stmt, ast.Element) and stmt.keyword == "index" and stmt.body is not None:
            for opt in stmt.body.options:
                index.append((opt.name, formats.plain(ev.eval(opt.value, scope))))
    return layout.Metadata(
        title=ev.opt_text(info, "title", scope) or "",
        subject=ev.opt_text(info, "subject", scope) or "",
        author=ev.opt_text(info, "author", scope) or "",
        keywords=keywords,
        language=tag,
        index=tuple(index),
        template=header.name,
        template_version=header.version,
    )
