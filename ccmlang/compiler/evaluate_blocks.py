"""Statements to layout nodes (spec/layout-tree.md; element reference in spec/language.md).

One loop, :meth:`BlockEvaluator.run`, executes every body: control statements (``if``, ``for``,
``let``, ``use``, ``slot``) behave the same everywhere, and each *context* (block content, inline
text, a table, a row, a list, columns, a page) has a table of element handlers that append what
they produce to that context's output. So ``for`` inside a table body yields rows, inside a
paragraph yields text runs, with no special cases.

Limits are enforced here as the tree grows: nesting depth (``E3002``), node count (``E3003``)
and wall time (``E3006``, checked every 256 steps so the clock is cheap).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ccmlang import layout
from ccmlang.compiler import ast, formats
from ccmlang.compiler import evaluate_media as media
from ccmlang.compiler.elements import ELEMENTS, Ctx
from ccmlang.compiler.evaluate_cache import (
    EMPTY_STYLE,
    ElementInfo,
    Plan,
    ProgramCache,
    const_bool,
    const_css,
    const_int,
    inline_style,
    merge_styles,
    qualname,
    word,
)
from ccmlang.compiler.evaluate_expr import ExprEvaluator, Scope, describe, fail, truthy
from ccmlang.compiler.formats import FormatError
from ccmlang.compiler.limits import Limits
from ccmlang.compiler.program import ModuleInfo, Program
from ccmlang.compiler.source import Span

Handler = Callable[["BlockEvaluator", ast.Element, Scope, Any], None]
TextHandler = Callable[["BlockEvaluator", ast.Expr, int, Span, Scope, Any], None]

_TIME_CHECK_MASK = 255
"""The clock is read when ``steps & mask == 0``: every 256 nodes or loop iterations."""


@dataclass(slots=True)
class _Slot:
    """The caller's body of a component call, to be rendered where the component says ``slot``."""

    body: ast.Body | None
    scope: Scope
    module: ModuleInfo
    outer: _Slot | None


@dataclass(slots=True)
class _TableColumn:
    element: ast.Element
    info: ElementInfo
    scope: Scope
    module: ModuleInfo


@dataclass(slots=True)
class _TableParts:
    """What a table body declares: columns, header/footer rows and explicit body rows."""

    columns: list[_TableColumn] = field(default_factory=list)
    header: list[layout.Row] | None = None
    footer: list[layout.Row] = field(default_factory=list)
    body: list[layout.Row] = field(default_factory=list)
    insert_at: int | None = None
    """Where rows made from the row list go: where the first column was declared."""


class BlockEvaluator(ExprEvaluator):
    """The state of one render: data, locale, limits, current module and component slot."""

    def __init__(
        self,
        program: Program,
        cache: ProgramCache,
        data: Any,
        *,
        locale: str,
        limits: Limits,
        inputs: Mapping[str, Any],
        editables: Mapping[str, str],
    ) -> None:
        super().__init__(data, locale, cache.compiled)
        self.globals = Scope({"input": inputs, "locale": locale}, None)
        """The outermost scope: ``input`` and ``locale``, with the data's fields behind it."""
        self.sealed = Scope(self.globals.vars, None)
        self.program = program
        self.cache = cache
        self.module: ModuleInfo = program.root
        self.slot: _Slot | None = None
        self.editables = editables
        self.locale = locale
        self.language = locale
        self.fallback_languages: tuple[str, ...] = program.header.languages
        self.in_page = False
        self.in_footer = False
        self.max_depth = limits.max_depth
        self.max_nodes = limits.max_nodes
        self.max_seconds = limits.max_render_seconds
        self.deadline = time.perf_counter() + limits.max_render_seconds
        self.depth = 0
        self.nodes = 0
        self.steps = 0

    def set_locale(self, locale: str) -> None:
        super().set_locale(locale)
        self.globals.vars["locale"] = locale
        self.locale = locale
        self.language = locale.replace("_", "-").split("-")[0].lower()

    # ------------------------------------------------------------ limits

    def made(self, span: Span, count: int = 1) -> None:
        """Count ``count`` new layout nodes (``E3003``); look at the clock now and then."""
        self.nodes += count
        if self.nodes > self.max_nodes:
            fail(
                "E3003",
                f"the document has more than {self.max_nodes:,} layout nodes",
                span,
                "split the data into several documents, or raise Limits.max_nodes",
            )
        self.tick(span, count)

    def tick(self, span: Span, count: int = 1) -> None:
        before = self.steps
        self.steps = before + count
        if (before | _TIME_CHECK_MASK) != (self.steps | _TIME_CHECK_MASK):
            self.check_time(span)

    def check_time(self, span: Span | None) -> None:
        if time.perf_counter() > self.deadline:
            fail(
                "E3006",
                f"rendering took longer than {self.max_seconds:g} s",
                span,
                "raise Limits.max_render_seconds, or render less data per document",
            )

    # ------------------------------------------------------------ running bodies

    def run(self, plan: Plan, scope: Scope, ctx: Ctx, out: Any, *, fresh: bool = False) -> None:
        """Execute ``plan`` in ``scope``; elements and text go to ``ctx``'s handlers."""
        if plan.has_let and not fresh:
            scope = Scope({}, scope)
        handlers = _HANDLERS[ctx]
        for stmt in plan.stmts:
            if isinstance(stmt, ast.Element):
                handler = handlers.get(stmt.keyword)
                if handler is not None:
                    handler(self, stmt, scope, out)
                elif stmt.keyword == "slot":
                    self._slot(ctx, out)
                trailing = stmt.positional
                if trailing is not None and stmt.keyword in _TAKES_NO_TEXT[ctx]:
                    # `"line one" br` then `"line two"` on the next line: the grammar reads
                    # the string as the positional of `br`, which takes none; it is the text
                    # that follows.
                    _TEXT[ctx](self, trailing, id(trailing), trailing.span, scope, out)
            elif isinstance(stmt, ast.Text):
                _TEXT[ctx](self, stmt.value, id(stmt), stmt.span, scope, out)
            elif isinstance(stmt, ast.Let):
                scope.vars[stmt.name] = self.eval(stmt.value, scope)
            elif isinstance(stmt, ast.If):
                self._if(stmt, scope, ctx, out)
            elif isinstance(stmt, ast.For):
                self._for(stmt, scope, ctx, out)
            elif isinstance(stmt, ast.Use):
                self._use(stmt, scope, ctx, out)
            else:
                option = stmt.pick(self.locale, self.language, self.fallback_languages)
                _TEXT[ctx](self, option.value, id(option), option.span, scope, out)

    def body(self, el: ast.Element, ctx: Ctx, scope: Scope, out: Any) -> None:
        """Run an element's body one level deeper (``E3002`` past the depth limit)."""
        if el.body is None:
            return
        self.enter(el.span)
        self.run(self.cache.plan(el.body, el.keyword), scope, ctx, out)
        self.depth -= 1

    def enter(self, span: Span) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            fail(
                "E3002",
                f"the document nests deeper than {self.max_depth} levels",
                span,
                "flatten nested boxes and components, or raise Limits.max_depth",
            )

    def blocks(self, el: ast.Element, scope: Scope) -> tuple[layout.Block, ...]:
        out: list[layout.Block] = []
        self.body(el, Ctx.BLOCK, scope, out)
        return tuple(out)

    def _if(self, stmt: ast.If, scope: Scope, ctx: Ctx, out: Any) -> None:
        for branch in stmt.branches:
            if truthy(self.eval(branch.condition, scope)):
                self.run(self.cache.plan(branch.body), scope, ctx, out)
                return
        if stmt.otherwise is not None:
            self.run(self.cache.plan(stmt.otherwise), scope, ctx, out)

    def _for(self, stmt: ast.For, scope: Scope, ctx: Ctx, out: Any) -> None:
        items = self.eval(stmt.iterable, scope)
        if items is None:
            items = []
        elif not isinstance(items, list):
            fail("E3008", f"`for` needs a list, got {describe(items)}", stmt.iterable.span)
        if not items:
            if stmt.otherwise is not None:
                self.run(self.cache.plan(stmt.otherwise), scope, ctx, out)
            return
        plan = self.cache.plan(stmt.body)
        var, index_var, length = stmt.var, stmt.index_var, len(items)
        for i, item in enumerate(items):
            self.tick(stmt.span)
            variables = {var: item, "loop": loop_record(i, length)}
            if index_var is not None:
                variables[index_var] = i
            self.run(plan, Scope(variables, scope), ctx, out, fresh=True)

    def _use(self, stmt: ast.Use, scope: Scope, ctx: Ctx, out: Any) -> None:
        component = self.program.resolve_component(self.module, stmt.target)
        if component is None:
            fail("E3008", f"unknown component `{'.'.join(stmt.target)}`", stmt.target_span)
        params = component.decl.params
        variables: dict[str, Any] = {}
        positional = [a for a in stmt.args if a.name is None]
        for param, arg in zip(params, positional, strict=False):
            variables[param.name] = self.eval(arg.value, scope)
        for arg in stmt.args:
            if arg.name is not None:
                variables[arg.name] = self.eval(arg.value, scope)
        outer_module, outer_slot = self.module, self.slot
        self.module = component.module
        inner = Scope(variables, self.sealed)
        for param in params:
            if param.name not in variables:
                default = param.default
                variables[param.name] = None if default is None else self.eval(default, inner)
        self.slot = _Slot(stmt.body, scope, outer_module, outer_slot)
        self.enter(stmt.span)
        self.run(self.cache.plan(component.decl.body), inner, ctx, out, fresh=True)
        self.depth -= 1
        self.module, self.slot = outer_module, outer_slot

    def _slot(self, ctx: Ctx, out: Any) -> None:
        slot = self.slot
        if slot is None or slot.body is None:
            return
        inner_module, inner_slot = self.module, slot
        self.module, self.slot = slot.module, slot.outer
        self.run(self.cache.plan(slot.body), slot.scope, ctx, out)
        self.module, self.slot = inner_module, inner_slot

    # ------------------------------------------------------------ element helpers

    def info(self, el: ast.Element) -> ElementInfo:
        return self.cache.element(el, self.module)

    def style(
        self, info: ElementInfo, defaults: tuple[str, ...], inline: tuple[str, ...] = ("align",)
    ) -> layout.Style:
        """Element default < named style < inline options, merged once per element."""
        style = info.style
        if style is None:
            element_styles = self.program.element_styles
            parts: list[layout.Style | None] = [element_styles.get(d) for d in defaults]
            opt = info.opts.get("style")
            if opt is not None:
                named = self.program.resolve_style(self.module, qualname(opt.value))
                parts.append(named.style if named is not None else None)
            parts.append(inline_style(info.opts, inline))
            style = info.style = merge_styles(*parts)
        return style

    def opt_text(self, info: ElementInfo, name: str, scope: Scope) -> str | None:
        opt = info.opts.get(name)
        return None if opt is None else self.text(opt.value, scope)

    def opt_css(self, info: ElementInfo, name: str, scope: Scope) -> str | None:
        """A length or colour option as CSS text (literal, or evaluated from data)."""
        opt = info.opts.get(name)
        if opt is None:
            return None
        const = const_css(opt.value)
        return const if const is not None else formats.plain(self.eval(opt.value, scope))

    def runs(
        self, value: ast.Expr, origin: layout.Origin, span: Span, scope: Scope, out: list[Any]
    ) -> None:
        """Inline nodes for a text: literal parts and printed values, page placeholders."""
        if value.__class__ is not ast.Str:
            text = formats.plain(self.eval(value, scope))
            if text:
                self.made(span)
                out.append(layout.Text(text, origin))
            return
        buffer: list[str] = []
        plain = formats.plain
        for part in self.cache.text_parts(value):
            if isinstance(part, str):
                buffer.append(part)
            elif part is None:  # a `\n` in the source: a line break
                if buffer:
                    self._flush(buffer, origin, span, out)
                self.made(span)
                out.append(layout.LineBreak(origin))
            elif self.in_page and _is_placeholder(part, scope):
                if buffer:
                    self._flush(buffer, origin, span, out)
                self.made(span)
                page = part.name == "page"  # type: ignore[union-attr]
                out.append(layout.PageNumber(origin) if page else layout.PageCount(origin))
            else:
                buffer.append(plain(self.eval(part, scope)))
        if buffer:
            self._flush(buffer, origin, span, out)

    def _flush(self, buffer: list[str], origin: layout.Origin, span: Span, out: list[Any]) -> None:
        text = "".join(buffer)
        buffer.clear()
        if text:
            self.made(span)
            out.append(layout.Text(text, origin))

    def inline_content(
        self, el: ast.Element, info: ElementInfo, scope: Scope
    ) -> tuple[layout.Inline, ...]:
        """The text of an element: its positional text, then its inline body."""
        out: list[layout.Inline] = []
        if el.positional is not None:
            self.runs(el.positional, info.origin, el.positional.span, scope, out)
        if el.body is not None:
            self.body(el, Ctx.INLINE, scope, out)
        return tuple(out)

    def paragraph_of(
        self, value: ast.Expr, origin: layout.Origin, span: Span, scope: Scope, style: layout.Style
    ) -> layout.Paragraph:
        children: list[layout.Inline] = []
        self.runs(value, origin, span, scope, children)
        self.made(span)
        return layout.Paragraph(tuple(children), style, origin)

    def printed_paragraph(
        self, text: str, origin: layout.Origin, span: Span
    ) -> tuple[layout.Block, ...]:
        """A cell's ``= value``: one unstyled paragraph of the printed value (none when empty)."""
        if not text:
            return ()
        self.made(span, 2)
        return (layout.Paragraph((layout.Text(text, origin),), EMPTY_STYLE, origin),)

    def default_style(self, kind: str) -> layout.Style:
        """The element default ``kind`` (``style paragraph { … }``), or the empty style."""
        return self.program.element_styles.get(kind) or EMPTY_STYLE

    # ------------------------------------------------------------ block elements

    def _heading(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        level = info.extra.get("level")
        if level is None:
            opt = info.opts.get("level")
            level = info.extra["level"] = max(1, min(6, const_int(opt, 1)))
        style = self.style(info, ("heading", f"heading-{level}"))
        children = self.inline_content(el, info, scope)
        self.made(el.span)
        out.append(layout.Heading(level, children, style, info.origin))

    def _paragraph(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        style = self.style(info, ("paragraph",))
        children = self.inline_content(el, info, scope)
        self.made(el.span)
        out.append(layout.Paragraph(children, style, info.origin))

    def _text_block(
        self, value: ast.Expr, key: int, span: Span, scope: Scope, out: list[layout.Block]
    ) -> None:
        origin = self.cache.origin(span, key, self.module)
        out.append(self.paragraph_of(value, origin, span, scope, self.default_style("paragraph")))

    def _list_block(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        items: list[layout.ListItem] = []
        self.body(el, Ctx.LIST, scope, items)
        ordered_opt = info.opts.get("ordered")
        marker_opt = info.opts.get("marker")
        self.made(el.span)
        out.append(
            layout.List(
                const_bool(ordered_opt, False),
                tuple(items),
                self.style(info, ("list",), ()),
                word(marker_opt.value) if marker_opt is not None else None,
                info.origin,
            )
        )

    def _item(self, el: ast.Element, scope: Scope, out: list[layout.ListItem]) -> None:
        info = self.info(el)
        blocks: list[layout.Block] = []
        if el.positional is not None:
            style = self.default_style("item")
            blocks.append(self.paragraph_of(el.positional, info.origin, el.span, scope, style))
        self.body(el, Ctx.BLOCK, scope, blocks)
        self.made(el.span)
        out.append(layout.ListItem(tuple(blocks), info.origin))

    def _text_item(
        self, value: ast.Expr, key: int, span: Span, scope: Scope, out: list[layout.ListItem]
    ) -> None:
        origin = self.cache.origin(span, key, self.module)
        paragraph = self.paragraph_of(value, origin, span, scope, self.default_style("item"))
        self.made(span)
        out.append(layout.ListItem((paragraph,), origin))

    def _box(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        style = self.style(info, ("box",), ("padding", "border", "background"))
        blocks = self.blocks(el, scope)
        keep = info.opts.get("keep")
        self.made(el.span)
        out.append(layout.Box(blocks, style, const_bool(keep, False), info.origin))

    def _keep(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        blocks = self.blocks(el, scope)
        self.made(el.span)
        out.append(layout.Box(blocks, EMPTY_STYLE, True, info.origin))

    def _columns(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        columns: list[tuple[tuple[layout.Block, ...], str | None]] = []
        self.body(el, Ctx.COLUMNS, scope, columns)
        self.made(el.span)
        out.append(
            layout.Columns(
                tuple(c[0] for c in columns),
                tuple(c[1] for c in columns),
                self.opt_css(info, "gap", scope) or "6mm",
                self.style(info, ("columns",), ()),
                info.origin,
            )
        )

    def _columns_column(self, el: ast.Element, scope: Scope, out: list[Any]) -> None:
        info = self.info(el)
        out.append((self.blocks(el, scope), self.opt_css(info, "width", scope)))

    def _spacer(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        height = "0mm"
        if el.positional is not None:
            height = const_css(el.positional) or formats.plain(self.eval(el.positional, scope))
        self.made(el.span)
        out.append(layout.Spacer(height, info.origin))

    def _rule(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        style = self.style(info, ("rule",), ())
        color = self.opt_css(info, "color", scope) or style.color or "#000000"
        self.made(el.span)
        thickness = self.opt_css(info, "thickness", scope) or "0.5pt"
        out.append(layout.Rule(thickness, color, style, info.origin))

    def _page_break(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        self.made(el.span)
        out.append(layout.PageBreak(self.info(el).origin))

    def _editable(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        name = word(el.positional) or ""
        replacement = self.editables.get(name)
        if replacement is None:
            blocks = self.blocks(el, scope)
        else:
            blocks = self._typed_paragraphs(replacement, info.origin, el.span)
        self.made(el.span)
        out.append(layout.Editable(name, blocks, info.origin))

    def _typed_paragraphs(
        self, text: str, origin: layout.Origin, span: Span
    ) -> tuple[layout.Block, ...]:
        """An agent's text: paragraphs split on blank lines, single newlines kept as line breaks."""
        style = self.default_style("paragraph")
        paragraphs: list[layout.Block] = []
        for chunk in _blank_lines(text):
            children: list[layout.Inline] = []
            for i, line in enumerate(chunk):
                if i:
                    children.append(layout.LineBreak(origin))
                children.append(layout.Text(line, origin))
            self.made(span, len(children) + 1)
            paragraphs.append(layout.Paragraph(tuple(children), style, origin))
        return tuple(paragraphs)

    # ------------------------------------------------------------ tables

    def _table(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        parts = _TableParts()
        self.body(el, Ctx.TABLE, scope, parts)
        columns = tuple(self._column_layout(c.info) for c in parts.columns)
        rows = parts.body
        if el.positional is not None:
            items = self.eval(el.positional, scope)
            if items is None:
                items = []
            elif not isinstance(items, list):
                fail(
                    "E3008",
                    f"a table needs a list of rows, got {describe(items)}",
                    el.positional.span,
                )
            at = len(rows) if parts.insert_at is None else parts.insert_at
            rows[at:at] = self._list_rows(el, info, items, parts.columns)
        header = (
            parts.header
            if parts.header is not None
            else self._column_header(el, parts.columns, scope)
        )
        empty: tuple[layout.Inline, ...] | None = None
        empty_opt = info.opts.get("empty")
        if not rows and empty_opt is not None:
            runs: list[layout.Inline] = []
            self.runs(empty_opt.value, info.origin, empty_opt.span, scope, runs)
            empty = tuple(runs)
        header_style = info.extra.get("header-style")
        if header_style is None:
            opt = info.opts.get("header-style")
            named = (
                None
                if opt is None
                else self.program.resolve_style(self.module, qualname(opt.value))
            )
            header_style = info.extra["header-style"] = merge_styles(
                self.program.element_styles.get("table-header"), named.style if named else None
            )
        repeat = info.opts.get("repeat-header")
        self.made(el.span)
        out.append(
            layout.Table(
                columns=columns,
                header=tuple(header),
                body=tuple(rows),
                footer=tuple(parts.footer),
                style=self.style(info, ("table",), ()),
                header_style=header_style,
                repeat_header=const_bool(repeat, True),
                zebra=self.opt_css(info, "zebra", scope),
                empty=empty,
                caption=self.opt_text(info, "caption", scope),
                origin=info.origin,
            )
        )

    def _column_layout(self, info: ElementInfo) -> layout.Column:
        column = info.extra.get("column")
        if column is None:
            width = info.opts.get("width")
            align = info.opts.get("align")
            column = info.extra["column"] = layout.Column(
                None if width is None else const_css(width.value),
                (word(align.value) if align is not None else None) or "left",
            )
        return column

    def _column_header(
        self, el: ast.Element, columns: list[_TableColumn], scope: Scope
    ) -> list[layout.Row]:
        """One header row from the columns' texts, unless no column has one."""
        if not any(c.element.positional is not None for c in columns):
            return []
        cells = []
        for column in columns:
            blocks: tuple[layout.Block, ...] = ()
            positional = column.element.positional
            if positional is not None:
                origin = column.info.origin
                blocks = (
                    self.paragraph_of(
                        positional, origin, positional.span, column.scope, EMPTY_STYLE
                    ),
                )
            self.made(column.element.span)
            cells.append(layout.Cell(blocks, self.default_style("cell"), origin=column.info.origin))
        self.made(el.span)
        return [layout.Row(tuple(cells), self.default_style("row"), self.info(el).origin)]

    def _list_rows(
        self, el: ast.Element, info: ElementInfo, items: list[Any], columns: list[_TableColumn]
    ) -> list[layout.Row]:
        """One body row per list entry; each column's ``= value`` or body makes its cell.

        The per-record hot path of a statement, so what depends only on the columns is looked
        up once, before the rows.
        """
        binding = el.binding or "row"
        plan = [
            (
                c,
                None if c.element.value is None else self.closure(c.element.value),
                self.style(c.info, ("cell",), ()),
                c.info.origin,
            )
            for c in columns
        ]
        plain = formats.plain
        first = columns[0].scope if columns else None
        shared = first if all(c.scope is first for c in columns) else None
        row_style = self.default_style("row")
        rows: list[layout.Row] = []
        length = len(items)
        make_cell, make_paragraph, make_text = (
            layout.make_cell,
            layout.make_paragraph,
            layout.make_text,
        )
        for i, item in enumerate(items):
            variables = {binding: item, "loop": loop_record(i, length)}
            row_scope = None if shared is None else Scope(variables, shared)
            scopes: dict[int, Scope] = {}
            cells: list[layout.Cell] = []
            made = 1  # the row
            for column, value, style, origin in plan:
                scope = row_scope or scopes.get(id(column.scope))
                if scope is None:  # columns from different scopes (components, slots)
                    scope = scopes[id(column.scope)] = Scope(variables, column.scope)
                blocks: tuple[layout.Block, ...] = ()
                if value is not None:  # `= value`: one unstyled paragraph, none when empty
                    printed = value(self, scope)
                    if printed.__class__ is not str:
                        printed = plain(printed)
                    if printed:
                        text = make_text(printed, origin)
                        blocks = (make_paragraph((text,), EMPTY_STYLE, origin),)
                        made += 2
                elif column.element.body is not None:
                    outer, self.module = self.module, column.module
                    blocks = self.blocks(column.element, scope)
                    self.module = outer
                cells.append(make_cell(blocks, style, origin))
            self.made(el.span, made + len(cells))
            rows.append(layout.make_row(tuple(cells), row_style, info.origin))
        return rows

    def _table_column(self, el: ast.Element, scope: Scope, out: _TableParts) -> None:
        if out.insert_at is None:
            out.insert_at = len(out.body)
        out.columns.append(_TableColumn(el, self.info(el), scope, self.module))

    def _table_header(self, el: ast.Element, scope: Scope, out: _TableParts) -> None:
        rows: list[layout.Row] = []
        self.body(el, Ctx.TABLE_ROWS, scope, rows)
        out.header = (out.header or []) + rows

    def _table_footer(self, el: ast.Element, scope: Scope, out: _TableParts) -> None:
        self.in_footer = True
        self.body(el, Ctx.TABLE_ROWS, scope, out.footer)
        self.in_footer = False

    def _table_row(self, el: ast.Element, scope: Scope, out: _TableParts) -> None:
        self._row(el, scope, out.body)

    def _row(self, el: ast.Element, scope: Scope, out: list[layout.Row]) -> None:
        info = self.info(el)
        cells: list[layout.Cell] = []
        self.body(el, Ctx.ROW, scope, cells)
        self.made(el.span)
        defaults = ("row", "table-footer") if self.in_footer else ("row",)
        out.append(layout.Row(tuple(cells), self.style(info, defaults, ()), info.origin))

    def _cell(self, el: ast.Element, scope: Scope, out: list[layout.Cell]) -> None:
        info = self.info(el)
        blocks: list[layout.Block] = []
        if el.value is not None:
            blocks.extend(self.printed_paragraph(self.text(el.value, scope), info.origin, el.span))
        if el.positional is not None:
            blocks.append(
                self.paragraph_of(el.positional, info.origin, el.span, scope, EMPTY_STYLE)
            )
        self.body(el, Ctx.BLOCK, scope, blocks)
        span_opt, align_opt = info.opts.get("span"), info.opts.get("align")
        self.made(el.span)
        out.append(
            layout.Cell(
                tuple(blocks),
                self.style(info, ("cell",), ()),
                max(1, const_int(span_opt, 1)),
                word(align_opt.value) if align_opt is not None else None,
                info.origin,
            )
        )

    def _text_cell(
        self, value: ast.Expr, key: int, span: Span, scope: Scope, out: list[layout.Cell]
    ) -> None:
        origin = self.cache.origin(span, key, self.module)
        paragraph = self.paragraph_of(value, origin, span, scope, EMPTY_STYLE)
        self.made(span)
        out.append(layout.Cell((paragraph,), self.default_style("cell"), origin=origin))

    # ------------------------------------------------------------ images and graphics

    def _image(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        if el.positional is None:
            fail("E3007", "the image has no source", el.span)
        src = self.text(el.positional, scope)
        key = (self.module.source_path, src)
        path = self.cache.assets.get(key)
        if path is None:
            base = self.module.path.parent
            path = media.project_asset(self.cache.project_root, base, src, el.positional.span)
            self.cache.assets[key] = path
        self.made(el.span)
        out.append(
            layout.Image(
                path,
                self.opt_text(info, "alt", scope) or "",
                self.opt_css(info, "width", scope),
                self.opt_css(info, "height", scope),
                self.style(info, ("image",)),
                info.origin,
            )
        )

    def _graphic(
        self,
        el: ast.Element,
        info: ElementInfo,
        kind: str,
        drawn: Any,
        scope: Scope,
        out: list[layout.Block],
    ) -> None:
        self.made(el.span)
        out.append(
            layout.Graphic(
                kind,
                drawn.svg,
                self.opt_text(info, "alt", scope) or "",
                drawn.width,
                drawn.height,
                self.style(info, (el.keyword,)),
                drawn.data,
                info.origin,
            )
        )

    def _barcode(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        kind = word(info.opts["type"].value) if "type" in info.opts else "code128"
        data = "" if el.positional is None else self.text(el.positional, scope)
        readable = info.opts.get("human-readable")
        make = media.barcode(
            kind or "code128",
            data,
            width=self.opt_css(info, "width", scope),
            height=self.opt_css(info, "height", scope),
            human_readable=const_bool(readable, True),
        )
        drawn = media.draw(make, el.span, f"{kind} barcode", self.program.base_style.font_family)
        self._graphic(el, info, kind or "code128", drawn, scope, out)

    def _qr(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        from ccmlang import graphics

        info = self.info(el)
        size = self.opt_css(info, "size", scope)
        kind_opt = info.opts.get("kind")
        if kind_opt is not None and word(kind_opt.value) == "epc":
            amount_opt = info.opts.get("amount")
            amount = None if amount_opt is None else self.eval(amount_opt.value, scope)
            if amount is not None:
                try:
                    amount = formats.to_decimal(amount)
                except FormatError as exc:
                    fail("E3008", f"EPC amount: {exc}", amount_opt.span)  # type: ignore[union-attr]
            fields = {
                n: self.opt_text(info, n, scope) or ""
                for n in ("name", "iban", "bic", "reference", "text")
            }
            drawn = media.draw(
                lambda: graphics.epc_qr(amount=amount, size=size or "30mm", **fields),
                el.span,
                "EPC payment QR code",
            )
            self._graphic(el, info, "epc-qr", drawn, scope, out)
            return
        data = "" if el.positional is None else self.text(el.positional, scope)
        error = word(info.opts["error"].value) if "error" in info.opts else None
        drawn = media.draw(
            lambda: graphics.qr_code(data, size=size or "25mm", error=error or "M"),
            el.span,
            "QR code",
        )
        self._graphic(el, info, "qr", drawn, scope, out)

    def _chart(self, el: ast.Element, scope: Scope, out: list[layout.Block]) -> None:
        info = self.info(el)
        kind = (word(info.opts["kind"].value) if "kind" in info.opts else None) or "bar"
        items = [] if el.positional is None else self.eval(el.positional, scope)
        if items is None:
            items = []
        elif not isinstance(items, list):
            fail("E3008", f"a chart needs a list, got {describe(items)}", el.span)
        label_opt, value_opt = info.opts.get("label"), info.opts.get("value")
        binding = el.binding or "item"
        labels: list[str] = []
        values: list[Decimal] = []
        for item in items:
            self.tick(el.span)
            item_scope = Scope({binding: item}, scope)
            labels.append("" if label_opt is None else self.text(label_opt.value, item_scope))
            value = None if value_opt is None else self.eval(value_opt.value, item_scope)
            try:
                values.append(formats.to_decimal(value))
            except FormatError as exc:
                span = value_opt.span if value_opt is not None else el.span
                fail("E3008", f"chart value for `{labels[-1]}`: {exc}", span)
        locale = self.locale
        # Labels keep the data's precision (money with 2 decimals stays "1,520.40").
        places = min(4, max((max(0, -int(v.as_tuple().exponent)) for v in values), default=0))
        make = media.chart(
            kind,
            labels,
            values,
            options={
                "width": self.opt_css(info, "width", scope),
                "height": self.opt_css(info, "height", scope),
                "title": self.opt_text(info, "title", scope),
                "color": self.opt_css(info, "color", scope),
            },
            value_format=lambda v: formats.number(v, locale, places),
        )
        drawn = media.draw(make, el.span, f"{kind} chart", self.program.base_style.font_family)
        self._graphic(el, info, f"chart-{kind}", drawn, scope, out)

    # ------------------------------------------------------------ inline elements

    def _span_of(
        self, el: ast.Element, scope: Scope, out: list[layout.Inline], style: layout.Style
    ) -> None:
        info = self.info(el)
        children = self.inline_content(el, info, scope)
        self.made(el.span)
        out.append(layout.Span(children, style, info.origin))

    def _bold(self, el: ast.Element, scope: Scope, out: list[layout.Inline]) -> None:
        self._span_of(el, scope, out, _BOLD)

    def _italic(self, el: ast.Element, scope: Scope, out: list[layout.Inline]) -> None:
        self._span_of(el, scope, out, _ITALIC)

    def _span(self, el: ast.Element, scope: Scope, out: list[layout.Inline]) -> None:
        self._span_of(el, scope, out, self.style(self.info(el), (), ()))

    def _link(self, el: ast.Element, scope: Scope, out: list[layout.Inline]) -> None:
        info = self.info(el)
        href = (self.opt_text(info, "href", scope) or "").strip()
        scheme = href.split(":", 1)[0].lower() if ":" in href else ""
        if scheme not in _LINK_SCHEMES:
            fail(
                "E3008",
                f"link target `{href}` must start with http:, https:, mailto: or tel:",
                info.opts["href"].span if "href" in info.opts else el.span,
            )
        children = self.inline_content(el, info, scope)
        style = self.default_style("link")
        if style is not EMPTY_STYLE:  # Link has no style of its own: the default wraps its text
            self.made(el.span)
            children = (layout.Span(children, style, info.origin),)
        self.made(el.span)
        out.append(layout.Link(href, children, info.origin))

    def _br(self, el: ast.Element, scope: Scope, out: list[layout.Inline]) -> None:
        self.made(el.span)
        out.append(layout.LineBreak(self.info(el).origin))

    def _text_inline(
        self, value: ast.Expr, key: int, span: Span, scope: Scope, out: list[layout.Inline]
    ) -> None:
        self.runs(value, self.cache.origin(span, key, self.module), span, scope, out)

    # ------------------------------------------------------------ pages

    def _page_part(
        self, el: ast.Element, scope: Scope, out: dict[str, tuple[layout.Block, ...]]
    ) -> None:
        blocks = self.blocks(el, scope)
        style = self.default_style(el.keyword)
        if style is not EMPTY_STYLE and blocks:  # `style header { … }` styles the furniture
            self.made(el.span)
            blocks = (layout.Box(blocks, style, False, self.info(el).origin),)
        out[el.keyword] = blocks


_BOLD = layout.Style(font_weight="bold")
_ITALIC = layout.Style(font_style="italic")
_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def loop_record(index0: int, length: int) -> dict[str, Any]:
    """``loop`` inside ``for`` and table rows: the position of the current entry."""
    return {
        "index": index0 + 1,
        "index0": index0,
        "first": index0 == 0,
        "last": index0 == length - 1,
        "length": length,
    }


def _is_placeholder(part: Any, scope: Scope) -> bool:
    """``{page}`` / ``{pages}`` in a page header or footer, unless a variable has that name."""
    return (
        part.__class__ is ast.Name and part.name in ("page", "pages") and not scope.binds(part.name)
    )


def _blank_lines(text: str) -> list[list[str]]:
    """Split on blank lines; each paragraph is a list of its non-empty lines."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


_B = BlockEvaluator
_BLOCK_HANDLERS: dict[str, Handler] = {
    "heading": _B._heading,
    "paragraph": _B._paragraph,
    "list": _B._list_block,
    "table": _B._table,
    "image": _B._image,
    "barcode": _B._barcode,
    "qr": _B._qr,
    "chart": _B._chart,
    "box": _B._box,
    "columns": _B._columns,
    "spacer": _B._spacer,
    "rule": _B._rule,
    "page-break": _B._page_break,
    "keep": _B._keep,
    "editable": _B._editable,
}
_HANDLERS: dict[Ctx, dict[str, Handler]] = {
    Ctx.TOP: _BLOCK_HANDLERS,
    Ctx.BLOCK: _BLOCK_HANDLERS,
    Ctx.INLINE: {
        "bold": _B._bold,
        "italic": _B._italic,
        "span": _B._span,
        "link": _B._link,
        "br": _B._br,
    },
    Ctx.LIST: {"item": _B._item},
    Ctx.TABLE: {
        "column": _B._table_column,
        "header": _B._table_header,
        "footer": _B._table_footer,
        "row": _B._table_row,
    },
    Ctx.TABLE_ROWS: {"row": _B._row},
    Ctx.ROW: {"cell": _B._cell},
    Ctx.COLUMNS: {"column": _B._columns_column},
    Ctx.PAGE: {"header": _B._page_part, "footer": _B._page_part},
}


def _ignore_text(
    ev: BlockEvaluator, value: ast.Expr, key: int, span: Span, scope: Scope, out: Any
) -> None:
    """Text where only elements belong (the checker reports it); nothing to render."""


_TAKES_NO_TEXT: dict[Ctx, frozenset[str]] = {
    ctx: frozenset(k for k, spec in ELEMENTS[ctx].items() if spec.positional is None) for ctx in Ctx
}
"""Keywords without a positional value, per context: a string after one is the next text."""

_TEXT: dict[Ctx, TextHandler] = {
    **dict.fromkeys(Ctx, _ignore_text),
    Ctx.TOP: _B._text_block,
    Ctx.BLOCK: _B._text_block,
    Ctx.INLINE: _B._text_inline,
    Ctx.LIST: _B._text_item,
    Ctx.ROW: _B._text_cell,
}
