"""Structure and type checks of every statement (spec/language.md, "Elements"; codes in
spec/diagnostics.md).

Walks the template's top level, every component body and every library header once, in one
pass per body with a :class:`~ccmlang.compiler.scope.Scope` threaded through: each element is
checked against its row in ``elements.ELEMENTS`` for the context it stands in (positional
value, options and their kinds, ``= value``, body), and each expression is typed by
:class:`~ccmlang.compiler.typecheck.Typer`. The checker also collects what the program needs:
page variants, the document element, top-level content, fonts, input fields, editable regions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccmlang import layout
from ccmlang.compiler import ast
from ccmlang.compiler import types as t
from ccmlang.compiler.diagnostics import DiagnosticSink, Hint, Label
from ccmlang.compiler.elements import (
    CONTROL_CONTEXTS,
    ELEMENTS,
    PROPERTY_ALIASES,
    STYLE_PROPERTIES,
    Ctx,
    ElementSpec,
    Kind,
    Opt,
    contexts_of,
)
from ccmlang.compiler.field_check import FieldCheck
from ccmlang.compiler.formats import is_known_locale
from ccmlang.compiler.program import ComponentInfo, FieldInfo, Header, ModuleInfo, StyleInfo
from ccmlang.compiler.project import display_path
from ccmlang.compiler.resolve import HEADERS, Namespaces, Unit, asset_path
from ccmlang.compiler.scope import LOOP, Binding, Scope, data_scope, path_of
from ccmlang.compiler.source import Span
from ccmlang.compiler.suggest import closest, did_you_mean, listing
from ccmlang.compiler.typecheck import Typer, constant, show
from ccmlang.compiler.values import LANGUAGE_TAG, Values

TEXT_CONTEXTS = {Ctx.TOP, Ctx.BLOCK, Ctx.INLINE, Ctx.LIST}
"""Where a bare string may stand (a paragraph in block context, a run of text inline)."""
USE_CONTEXTS = {Ctx.TOP, Ctx.BLOCK}
"""Components produce blocks."""
TOP_ONLY = {"page", "document", "field", "font", *HEADERS}
"""Top-level elements that are not content."""
CONSTANT_KINDS = {
    Kind.LENGTH,
    Kind.LENGTHS,
    Kind.SIZE,
    Kind.COLOR,
    Kind.ENUM,
    Kind.INT,
    Kind.CONST_BOOL,
    Kind.CONST_TEXT,
    Kind.STRINGS,
    Kind.BORDER,
}
FONT_FACES = {
    "regular": ("normal", "normal"),
    "bold": ("bold", "normal"),
    "italic": ("normal", "italic"),
    "bold-italic": ("bold", "italic"),
}
FONT_EXTENSIONS = (".ttf", ".otf", ".woff", ".woff2")
IMAGE_EXTENSIONS = (".svg", ".png", ".jpg", ".jpeg")
FIELD_TYPES: dict[str, t.Type] = {
    "string": t.STRING,
    "text": t.STRING,
    "number": t.NUMBER,
    "money": t.NUMBER,
    "integer": t.INTEGER,
    "bool": t.BOOL,
    "date": t.DATE,
}
_WHERE = {
    Ctx.TOP: "at the top level of a template",
    Ctx.BLOCK: "among blocks (top level, `box`, `column`, `cell`, `item` …)",
    Ctx.INLINE: "in text (inside `paragraph`, `heading`, `bold` …)",
    Ctx.PAGE: "in a `page`",
    Ctx.DOCUMENT: "in `document`",
    Ctx.TABLE: "in a `table`",
    Ctx.TABLE_ROWS: "in a table's `header` or `footer`",
    Ctx.ROW: "in a table `row`",
    Ctx.LIST: "in a `list`",
    Ctx.COLUMNS: "in `columns`",
}
_COMPONENT_SCOPE_HINT = (
    "a component sees only its parameters, `input` and `locale`: add a parameter for `{name}` "
    "and pass it with `use`"
)


@dataclass(slots=True)
class Frame:
    """What a body is checked for: its module, its component, a table's row binding."""

    unit: Unit
    component: ComponentInfo | None = None
    row: tuple[str, Binding] | None = None


@dataclass(slots=True)
class Checked:
    """What the checker collected for the program."""

    header: Header
    schema: dict[str, Any] | None = None
    data_type: t.Type = t.ANY
    page_rest: ast.Element | None = None
    page_first: ast.Element | None = None
    document: ast.Element | None = None
    body: list[ast.Stmt] = field(default_factory=list)
    fonts: list[layout.FontFace] = field(default_factory=list)
    fields: list[FieldInfo] = field(default_factory=list)
    editables: dict[str, Span] = field(default_factory=dict)


class Checker:
    """Checks all modules of a program; see the module docstring."""

    def __init__(
        self,
        namespaces: Namespaces,
        project_root: Path,
        files: dict[str, None],
        sink: DiagnosticSink,
    ) -> None:
        self.ns = namespaces
        self.root_dir = project_root
        self.files = files
        self.sink = sink
        self.typer = Typer(sink)
        self.values = Values(sink)
        self.out = Checked(Header(name=""))
        self.calls: dict[int, list[tuple[ComponentInfo, ast.Use]]] = {}
        self._components: dict[int, ComponentInfo] = {}
        self._slots: dict[int, bool] = {}
        self._prints_pages: dict[int, bool] = {}
        self._pages_memo: dict[int, bool] = {}
        self._field_spans: dict[str, Span] = {}
        self.input_type: t.Type = t.RecordT((), name="input")
        """The record of declared input fields (``input.reason``), set by :meth:`fields`."""
        self._specials: dict[str, Callable[[ast.Element, dict[str, Any], Ctx, Scope, Frame], None]]
        self._specials = {
            "page": self._page,
            "document": self._document,
            "font": self._font,
            "field": self._field,
            "editable": self._editable,
            "heading": self._heading,
            "cell": self._cell,
            "column": self._column,
            "qr": self._qr,
            "image": self._image,
            "slot": self._slot,
            "table": self._table,
        }

    # ------------------------------------------------------------ modules

    def template(self, unit: Unit, schema: dict[str, Any] | None, data_type: t.Type) -> Checked:
        """Check the root module (a template, or a library being checked on its own)."""
        self.out.schema = schema
        self.out.data_type = data_type
        frame = Frame(unit)
        if unit.info.kind == "library":
            self.library(unit)
            self.out.header = self._header_info(unit)
            return self.out
        builtins = data_scope(data_type).child()
        builtins.bind("input", Binding(self.input_type, "builtin"))
        builtins.bind("locale", Binding(t.STRING, "builtin"))
        content = builtins.child()
        if unit.header is not None:
            self.element(unit.header, Ctx.TOP, content, frame)
        furniture: list[ast.Element] = []
        for item in unit.info.module.items:
            if isinstance(item, ast.Import | ast.StyleDecl | ast.ComponentDecl | ast.TypeDecl):
                continue
            if isinstance(item, ast.Element) and item.keyword in TOP_ONLY:
                if item.keyword in ("page", "document"):
                    furniture.append(item)
                elif item.keyword not in ("field", *HEADERS):
                    self.element(item, Ctx.TOP, content, frame)
                continue
            self.out.body.append(item)
            self.stmt(item, Ctx.TOP, content, frame)
        # Top-level `let`s are visible in page headers, footers and metadata wherever they
        # stand (spec: "let"), so these are checked with the complete top-level scope.
        for item in furniture:
            self.element(item, Ctx.TOP, content, frame)
        self.out.header = self._header_info(unit)
        return self.out

    def fields(self, unit: Unit) -> None:
        """Input fields first: ``input`` is typed by them everywhere, components included."""
        frame = Frame(unit)
        scope = Scope(None, {"locale": Binding(t.STRING, "builtin")})
        for item in unit.info.module.items:
            if isinstance(item, ast.Element) and item.keyword == "field":
                self.element(item, Ctx.TOP, scope, frame)
        self.input_type = self._input_type()

    def library(self, unit: Unit) -> None:
        """A library holds declarations and fonts; its header is checked like a template's."""
        frame = Frame(unit)
        scope = Scope(None, {"locale": Binding(t.STRING, "builtin")})
        for item in unit.info.module.items:
            if isinstance(item, ast.Import | ast.StyleDecl | ast.ComponentDecl | ast.TypeDecl):
                continue
            if isinstance(item, ast.Element) and item.keyword in ("font", "library"):
                self.element(item, Ctx.TOP, scope, frame)
            elif isinstance(item, ast.Element) and item.keyword == "template":
                continue  # reported by the loader (E1004 or a second header)
            else:
                what = f"`{item.keyword}`" if isinstance(item, ast.Element) else "content"
                self.sink.error(
                    "E1007",
                    f"a library holds styles, components, types and fonts, not {what}",
                    _head_span(item),
                    hints=["put content in a `component` and `use` it from a template"],
                )

    def components(self) -> None:
        """Check each component's defaults and body once, with its parameters in scope."""
        for unit in self.ns.units:
            if unit.broken:
                continue
            for info in unit.info.components.values():
                self._components[id(info)] = info
                self._component(unit, info)
        self._recursion()

    def _component(self, unit: Unit, info: ComponentInfo) -> None:
        base = Scope(
            None,
            {
                "locale": Binding(t.STRING, "builtin"),
                "input": Binding(self.input_type, "builtin"),
            },
        )
        self.typer.unknown_hint = _COMPONENT_SCOPE_HINT
        self.typer.page_refs = 0
        try:
            scope = base.child()
            # Page numbers may be printed in a component; its uses are then checked instead.
            scope.bind("page", Binding(t.INTEGER, "page"))
            scope.bind("pages", Binding(t.INTEGER, "page"))
            for (name, ptype, default), param in zip(
                info.params, _unique_params(info), strict=True
            ):
                if default is not None:
                    got = self.typer.type_of(default, base)
                    if not t.assignable(got, ptype):
                        self.sink.error(
                            "E2006",
                            f"the default of `{name}` is {_a(got)}, but the parameter is `{ptype}`",
                            default.span,
                            hints=[f"give a default of type `{ptype}`, or change the type"],
                        )
                scope.bind(name, Binding(ptype, "param", param.span))
            self.block(info.decl.body, Ctx.BLOCK, scope.child(), Frame(unit, info))
        finally:
            self.typer.unknown_hint = ""
            self._prints_pages[id(info)] = self.typer.page_refs > 0

    def _uses_pages(self, info: ComponentInfo) -> bool:
        """Whether the component prints ``page``/``pages``, itself or through components it uses.

        Asked only after every component is checked, so the call graph is complete."""
        known = self._pages_memo.get(id(info))
        if known is None:
            known = self._pages_memo[id(info)] = self._reaches_pages(info)
        return known

    def _reaches_pages(self, info: ComponentInfo) -> bool:
        seen: set[int] = set()
        stack = [info]
        while stack:
            current = stack.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            if self._prints_pages.get(id(current)):
                return True
            stack.extend(callee for callee, _ in self.calls.get(id(current), []))
        return False

    # ------------------------------------------------------------ statements

    def block(self, body: ast.Body, ctx: Ctx, scope: Scope, frame: Frame) -> None:
        for item in body.items:
            if not isinstance(item, ast.Option):
                self.stmt(item, ctx, scope, frame)

    def stmt(self, item: ast.Stmt, ctx: Ctx, scope: Scope, frame: Frame) -> None:
        if isinstance(item, ast.Element):
            self.element(item, ctx, scope, frame)
        elif isinstance(item, ast.Text):
            if ctx in TEXT_CONTEXTS:
                self.typer.text(item.value, scope)
            else:
                self._text_misplaced(item, ctx)
        elif isinstance(item, ast.Use):
            if ctx in USE_CONTEXTS:
                self.use(item, scope, frame)
            else:
                self.sink.error(
                    "E1007",
                    f"`use` inserts blocks, which cannot stand {_WHERE.get(ctx, ctx.value)}",
                    _head_span(item),
                    hints=["put the component where blocks go, e.g. inside a `cell` or `column`"],
                )
        elif ctx not in CONTROL_CONTEXTS:
            keyword = {ast.If: "if", ast.For: "for", ast.Let: "let"}[type(item)]
            self.sink.error(
                "E1007",
                f"`{keyword}` cannot stand {_WHERE.get(ctx, 'in ' + ctx.value)}",
                _head_span(item),
                hints=["these bodies hold options (`name: value`) only"],
            )
        elif isinstance(item, ast.If):
            self._if(item, ctx, scope, frame)
        elif isinstance(item, ast.For):
            self._for(item, ctx, scope, frame)
        elif isinstance(item, ast.Let):
            self._let(item, scope)

    def _text_misplaced(self, item: ast.Text, ctx: Ctx) -> None:
        hint = {
            Ctx.TABLE: 'put text in a `column` or a `cell`, e.g. `column "Name" = …`',
            Ctx.TABLE_ROWS: 'put text in a `row { cell "…" }`',
            Ctx.ROW: 'put text in a `cell`: `cell "…"`',
            Ctx.PAGE: "put text in a `header { … }` or `footer { … }`",
            Ctx.COLUMNS: "put text in a `column { … }`",
        }.get(ctx, "text stands among blocks or inside text elements")
        self.sink.error(
            "E1007",
            f"text cannot stand directly {_WHERE.get(ctx, 'in ' + ctx.value)}",
            item.span,
            hints=[hint],
        )

    def _control_body(
        self, node: ast.If | ast.For, body: ast.Body, ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        """A body of ``if``/``for``: its options are language variants in text, else misplaced."""
        options = list(body.options)
        if options and ctx is Ctx.INLINE:
            self._variants(_head_span(node), options, scope, frame, self._misplaced_option)
        else:
            for opt in options:
                self._misplaced_option(opt)
        self.block(body, ctx, scope, frame)

    def _misplaced_option(self, opt: ast.Option) -> None:
        self.sink.error(
            "E1007",
            f"the option `{opt.name}:` cannot stand inside `if` or `for`",
            opt.name_span,
            hints=[
                "options belong to their element; to vary one, put the `if` around the element "
                "or compute the value: `align: wide ? left : right`"
            ],
        )

    def _if(self, node: ast.If, ctx: Ctx, scope: Scope, frame: Frame) -> None:
        inner = Ctx.BLOCK if ctx is Ctx.TOP else ctx
        previous: frozenset[tuple[str, ...]] = frozenset()
        for branch in node.branches:
            here = scope.child(previous) if previous else scope
            self.typer.condition(branch.condition, here)
            yes, no = self.typer.narrowing(branch.condition)
            self._control_body(node, branch.body, inner, scope.child(previous | yes), frame)
            previous = previous | no
        if node.otherwise is not None:
            self._control_body(node, node.otherwise, inner, scope.child(previous), frame)

    def _for(self, node: ast.For, ctx: Ctx, scope: Scope, frame: Frame) -> None:
        inner = Ctx.BLOCK if ctx is Ctx.TOP else ctx
        item = self.list_item(node.iterable, scope, "`for`")
        body = scope.child()
        body.bind(node.var, Binding(item, "for", node.var_span))
        if node.index_var is not None:
            if node.index_var == node.var:
                self.sink.error(
                    "E1014",
                    f"the loop names its item and its index both `{node.var}`",
                    node.var_span,
                    hints=[f"e.g. `for {node.var}, i in …`"],
                )
            else:
                body.bind(node.index_var, Binding(t.INTEGER, "for"))
        body.bind("loop", Binding(LOOP, "loop"))
        self._control_body(node, node.body, inner, body.child(), frame)
        if node.otherwise is not None:
            self._control_body(node, node.otherwise, inner, scope.child(), frame)

    def _let(self, node: ast.Let, scope: Scope) -> None:
        ty = self.typer.type_of(node.value, scope)
        existing = scope.local(node.name)
        if existing is not None and existing.kind == "let":
            labels = [Label(existing.span, "first defined here")] if existing.span else []
            self.sink.error(
                "E1014",
                f"`{node.name}` is already defined in this block",
                node.name_span,
                labels=labels,
                hints=["choose another name"],
            )
            return
        scope.bind(node.name, Binding(ty, "let", node.name_span))

    def list_item(self, expr: ast.Expr, scope: Scope, what: str) -> t.Type:
        """The item type of a list that ``what`` repeats over (E2008, E2005)."""
        ty = self.typer.type_of(expr, scope)
        if t.is_optional(ty):
            text = show(expr)
            self.sink.error(
                "E2005",
                f"`{text}` may be absent (it is `{ty}`), so {what} cannot repeat over it",
                expr.span,
                hints=[f"write `{text} ?? []` to treat an absent list as empty"],
            )
            ty = t.strip_optional(ty)
        if isinstance(ty, t.ListT):
            return ty.item
        if ty in (t.ANY, t.NEVER, t.NULL):
            return t.ANY
        self.sink.error(
            "E2008",
            f"{what} repeats over a list, but `{show(expr)}` is {_a(ty)}",
            expr.span,
            hints=["use a list from the data, e.g. `account.transactions`"],
        )
        return t.ANY

    # ------------------------------------------------------------ components

    def use(self, node: ast.Use, scope: Scope, frame: Frame) -> None:
        found = self.ns.find(
            frame.unit, node.target, node.target_span, _components, "component", "E1011"
        )
        if not isinstance(found, ComponentInfo):
            for arg in node.args:
                self.typer.type_of(arg.value, scope)
            if found is None:
                name = ".".join(node.target)
                known = self.ns.candidates(frame.unit, node.target, _components)
                target = name if len(node.target) == 1 else node.target[-1]
                self.sink.error(
                    "E1011",
                    f"unknown component `{name}`{did_you_mean(target, known)}",
                    node.target_span,
                    hints=["declare it with `component name(…) { … }` or import its library"],
                )
            if node.body is not None:
                self.block(node.body, Ctx.BLOCK, scope.child(), frame)
            return
        info = found
        if frame.component is not None:
            self.calls.setdefault(id(frame.component), []).append((info, node))
        else:
            page = scope.lookup("page")
            if (page is None or page.kind != "page") and self._uses_pages(info):
                self.sink.error(
                    "E2011",
                    f"`{info.qualname}` prints page numbers, so it can only be used in the "
                    "`header` or `footer` of a `page`",
                    node.target_span,
                    labels=[Label(info.decl.name_span, "declared here")],
                    hints=["use it in a page footer: `page { footer { use … } }`"],
                )
        self._arguments(node, info, scope)
        if node.body is not None:
            if not self._has_slot(info):
                self.sink.error(
                    "E1019",
                    f"`{info.qualname}` has no `slot`, so it cannot take a body",
                    node.body.span,
                    labels=[Label(info.decl.name_span, "declared here")],
                    hints=["remove the body, or add `slot` to the component where it should go"],
                )
            self.block(node.body, Ctx.BLOCK, scope.child(), frame)

    def _arguments(self, node: ast.Use, info: ComponentInfo, scope: Scope) -> None:
        name = info.qualname
        params = {p[0]: p for p in info.params}
        order = [p[0] for p in info.params]
        given: dict[str, ast.Arg] = {}
        suggested: set[str] = set()
        position = 0
        named = False
        for arg in node.args:
            arg_type = self.typer.type_of(arg.value, scope)
            if arg.name is None:
                if named:
                    self._args_error(
                        f"a positional argument follows a named one in `{name}(…)`", arg
                    )
                    continue
                if position >= len(order):
                    self._args_error(
                        f"`{name}` takes {len(order)} argument(s), but more are given", arg
                    )
                    continue
                pname = order[position]
                position += 1
            else:
                named = True
                if arg.name not in params:
                    suggested.add(closest(arg.name, order) or "")
                    self._args_error(
                        f"`{name}` has no parameter `{arg.name}`{did_you_mean(arg.name, order)}",
                        arg,
                        info,
                    )
                    continue
                pname = arg.name
            if pname in given:
                self._args_error(f"the argument `{pname}` is given twice", arg)
                continue
            given[pname] = arg
            self._argument_type(info, pname, params[pname][1], arg, arg_type)
        missing = [
            p
            for p, ptype, default in info.params
            if p not in given
            and p not in suggested
            and default is None
            and not t.is_optional(ptype)
        ]
        if missing:
            self.sink.error(
                "E2006",
                f"`{name}` needs the argument(s) {listing(missing)}",
                node.target_span,
                labels=[Label(info.decl.name_span, "declared here")],
                hints=[f"e.g. `use {name}({', '.join(f'{m}: …' for m in missing)})`"],
            )

    def _argument_type(
        self, info: ComponentInfo, pname: str, ptype: t.Type, arg: ast.Arg, got: t.Type
    ) -> None:
        if t.assignable(got, ptype):
            return
        if t.is_optional(got) and t.assignable(t.strip_optional(got), ptype):
            self.typer.absent(arg.value, got, f"passed as `{pname}` (which needs a value)")
            return
        gap = _record_gap(got, ptype)
        self.sink.error(
            "E2006",
            f"the argument `{pname}` of `{info.qualname}` must be `{ptype}`, but "
            f"`{show(arg.value)}` is `{got}`{gap}",
            arg.value.span,
            labels=[Label(info.decl.name_span, "declared here")],
        )

    def _args_error(self, message: str, arg: ast.Arg, info: ComponentInfo | None = None) -> None:
        labels = [Label(info.decl.name_span, "declared here")] if info is not None else []
        self.sink.error("E2006", message, arg.span, labels=labels)

    def _has_slot(self, info: ComponentInfo) -> bool:
        known = self._slots.get(id(info))
        if known is None:
            known = any(
                isinstance(s, ast.Element) and s.keyword == "slot" for s in _walk(info.decl.body)
            )
            self._slots[id(info)] = known
        return known

    def _recursion(self) -> None:
        """E1012 for every cycle in the component call graph, across modules."""
        state: dict[int, int] = {}  # 1 = on the stack, 2 = done
        reported: set[frozenset[int]] = set()
        for start in self._components:
            if start in state:
                continue
            stack: list[tuple[int, int]] = [(start, 0)]
            path: list[tuple[int, ast.Use | None]] = [(start, None)]
            state[start] = 1
            while stack:
                node, index = stack[-1]
                edges = self.calls.get(node, [])
                if index >= len(edges):
                    stack.pop()
                    path.pop()
                    state[node] = 2
                    continue
                stack[-1] = (node, index + 1)
                callee, use = edges[index]
                key = id(callee)
                if state.get(key) == 1:
                    at = next(i for i, (n, _) in enumerate(path) if n == key)
                    cycle = [*path[at:], (key, use)]
                    members = frozenset(n for n, _ in cycle)
                    if members not in reported:
                        reported.add(members)
                        self._report_cycle(cycle)
                elif key not in state:
                    state[key] = 1
                    stack.append((key, 0))
                    path.append((key, use))

    def _report_cycle(self, cycle: list[tuple[int, ast.Use | None]]) -> None:
        names = [self._components[n].qualname for n, _ in cycle]
        uses = [u for _, u in cycle[1:] if u is not None]
        first, rest = uses[-1], uses[:-1]
        what = (
            f"the component `{names[0]}` uses itself"
            if len(names) == 2
            else "components use each other in a cycle"
        )
        self.sink.error(
            "E1012",
            f"{what}: " + " → ".join(f"`{n}`" for n in names),
            first.target_span,
            labels=[Label(u.target_span, "used here") for u in rest],
            hints=[
                "templates cannot recurse: the depth of data-driven nesting must be known; "
                "repeat over a list with `for` instead"
            ],
        )

    # ------------------------------------------------------------ elements

    def element(self, el: ast.Element, ctx: Ctx, scope: Scope, frame: Frame) -> None:
        spec = ELEMENTS[ctx].get(el.keyword)
        if spec is None:
            self._misplaced(el, ctx)
            return
        binding = self._positional(el, spec, scope, frame)
        option_scope = scope
        if binding is not None and el.binding is not None and el.keyword != "table":
            option_scope = scope.child()
            option_scope.bind(el.binding, binding)
        values = self._options(el, spec, option_scope, frame)
        inner = scope
        if ctx is Ctx.TABLE and el.keyword == "column" and frame.row is not None:
            inner = scope.child()
            inner.bind(*frame.row)
        if el.value is not None:
            if spec.value is None:
                self.sink.error(
                    "E1019",
                    f"`{el.keyword}` takes no `= value`",
                    el.value.span,
                    hints=_value_hint(el, spec),
                )
            else:
                self.typer.text(el.value, inner)
        self._body(el, spec, ctx, inner, frame, binding)
        special = self._specials.get(el.keyword)
        if special is not None:
            special(el, values, ctx, scope, frame)

    def _misplaced(self, el: ast.Element, ctx: Ctx) -> None:
        homes = contexts_of(el.keyword)
        if Ctx.BLOCK in homes and Ctx.TOP in homes:
            homes.remove(Ctx.TOP)
        where = " or ".join(_WHERE.get(c, "in " + c.value) for c in homes)
        if el.keyword in TOP_ONLY:
            where = "at the top level of a template" + (
                " or library" if el.keyword == "font" else ""
            )
        hints: list[Hint | str] = []
        if el.keyword == "cell":
            hints.append('put cells in a row: `row { cell "…" }`')
        elif el.keyword in ("column", "row") and ctx is Ctx.BLOCK:
            hints.append("columns and rows stand inside a `table { … }` (or `columns { … }`)")
        elif ctx is Ctx.INLINE:
            hints.append("inside text, use `bold`, `italic`, `span`, `link`, `br` or plain strings")
        elif ctx in (Ctx.FONT, Ctx.FIELD, Ctx.INDEX):
            hints.append("this body holds options (`name: value`) only")
        self.sink.error(
            "E1007",
            f"`{el.keyword}` cannot stand {_WHERE.get(ctx, 'in ' + ctx.value)}; it belongs {where}",
            el.keyword_span,
            hints=hints,
        )

    def _positional(
        self, el: ast.Element, spec: ElementSpec, scope: Scope, frame: Frame
    ) -> Binding | None:
        pos = spec.positional
        value = el.positional
        if value is None:
            if pos is not None and pos.required and not (pos.or_body and el.body is not None):
                self.sink.error(
                    "E1008",
                    f"`{el.keyword}` needs {pos.doc}",
                    el.keyword_span,
                    hints=[f"e.g. `{spec.example}`"] if spec.example else [],
                )
            return None
        if pos is None:
            self.sink.error(
                "E1019",
                f"`{el.keyword}` takes no value before its options",
                value.span,
                hints=[f"e.g. `{spec.example}`"] if spec.example else [],
            )
            return None
        if el.binding is not None and not pos.binding:
            self.sink.error(
                "E1019",
                f"`{el.keyword}` takes no `as {el.binding}`; only `table` and `chart` name items",
                value.span,
            )
        kind = pos.kind
        if kind is Kind.LIST:
            item = self.list_item(value, scope, f"`{el.keyword}`")
            if pos.binding and el.binding is None:
                self.sink.error(
                    "E1008",
                    f"`{el.keyword}` needs `as name` to name each item of `{show(value)}`",
                    value.span,
                    hints=[f"e.g. `{el.keyword} {show(value)} as item …`, then use `item.field`"],
                )
                return None
            return Binding(item, "as") if pos.binding else None
        if kind is Kind.TEXT:
            self.typer.text(value, scope)
        elif kind is Kind.DYNAMIC_PATH:
            if isinstance(value, ast.Str) and value.is_constant:
                asset_path(
                    frame.unit,
                    value.constant,
                    value.span,
                    self.root_dir,
                    self.sink,
                    "image",
                    self.files,
                )
            else:
                self.typer.text(value, scope)
        elif kind is Kind.CONST_TEXT:
            if not (isinstance(value, ast.Str) and value.is_constant):
                self.values.wrong(f"`{el.keyword}`", kind, value)
        elif kind is Kind.LENGTH:
            if not isinstance(value, ast.Length):
                self.values.wrong(f"`{el.keyword}`", kind, value)
        elif kind is Kind.EXPR and not isinstance(value, ast.Name):
            self.typer.type_of(value, scope)
        return None

    def _options(
        self, el: ast.Element, spec: ElementSpec, scope: Scope, frame: Frame
    ) -> dict[str, Any]:
        given: dict[str, ast.Option] = {}
        values: dict[str, Any] = {}
        options = list(el.options)
        variants: list[ast.Option] = []
        if el.body is not None and spec.body is not Ctx.INDEX:
            for opt in el.body.options:
                if spec.body is Ctx.INLINE and opt.name not in spec.options:
                    variants.append(opt)
                else:
                    options.append(opt)
        for opt in options:
            if opt.name in given:
                self.sink.error(
                    "E1006",
                    f"the option `{opt.name}` is given twice",
                    opt.name_span,
                    labels=[Label(given[opt.name].name_span, "first given here")],
                    hints=["remove one of them"],
                )
                continue
            given[opt.name] = opt
            opt_spec = spec.options.get(opt.name)
            if opt_spec is None:
                self._unknown_option(el, spec, opt)
                continue
            values[opt.name] = self._option_value(el, opt, opt_spec, scope, frame)
        for name, opt_spec in spec.options.items():
            if opt_spec.required and name not in given:
                self.sink.error(
                    "E1008",
                    f"`{el.keyword}` needs the option `{name}:` ({opt_spec.doc})",
                    el.keyword_span,
                    hints=[f"e.g. `{spec.example}`"] if spec.example else [],
                )
        if variants:
            self._variants(
                el.keyword_span,
                variants,
                scope,
                frame,
                lambda opt: self._unknown_option(el, spec, opt),
            )
        return values

    def _unknown_option(self, el: ast.Element, spec: ElementSpec, opt: ast.Option) -> None:
        known = list(spec.options)
        hints: list[Hint | str] = []
        prop = PROPERTY_ALIASES.get(opt.name, opt.name)
        if prop in STYLE_PROPERTIES and prop not in spec.options:
            where = (
                "write `style: name` here"
                if "style" in spec.options
                else "apply it to a surrounding `box style: name { … }`"
            )
            hints.append(
                f"`{prop}` is a style property: declare `style name {{ {prop}: … }}` and {where}"
            )
        elif known and not closest(opt.name, known):
            hints.append(f"`{el.keyword}` takes {listing(known, 12)}")
        message = (
            f"`{el.keyword}` has no option `{opt.name}`{did_you_mean(opt.name, known)}"
            if known
            else f"`{el.keyword}` takes no options"
        )
        self.sink.error("E1005", message, opt.name_span, hints=hints)

    def _option_value(
        self, el: ast.Element, opt: ast.Option, spec: Opt, scope: Scope, frame: Frame
    ) -> Any:
        kind = spec.kind
        if kind in CONSTANT_KINDS:
            return self.values.read(opt, spec)
        if not self.values.no_extra(opt, kind):
            return None
        value = opt.value
        if kind is Kind.STYLE:
            return self.style_ref(value, frame)
        if kind in (Kind.PATH, Kind.DYNAMIC_PATH):
            if isinstance(value, ast.Str) and value.is_constant:
                if el.keyword == "template" and opt.name == "data":
                    return value.constant  # loaded (and reported) with the data contract
                what = "font file" if el.keyword == "font" else "file"
                return asset_path(
                    frame.unit,
                    value.constant,
                    value.span,
                    self.root_dir,
                    self.sink,
                    what,
                    self.files,
                )
            if kind is Kind.PATH:
                self.values.wrong(opt, kind, value, "; a path is a constant string")
                return None
            self.typer.text(value, scope)
            return None
        if kind is Kind.CONST:
            if isinstance(value, ast.Null):
                return None
            got = constant(value)
            if got is None:
                self.sink.error(
                    "E1020",
                    f"`{opt.name}` takes a constant (a string, number, date or true/false), "
                    "not an expression",
                    value.span,
                )
            return got
        if kind is Kind.LANG:
            return self._language(opt, scope)
        if kind is Kind.TEXT:
            self.typer.text(value, scope)
        elif kind is Kind.NUMBER:
            ty = self.typer.type_of(value, scope)
            if t.is_optional(ty):
                self.typer.absent(value, ty, f"used as `{opt.name}`")
            elif not t.is_numeric(ty) and ty != t.NEVER:
                self.sink.error(
                    "E2007",
                    f"`{opt.name}` takes a number, but `{show(value)}` is {_a(ty)}",
                    value.span,
                )
        elif kind is Kind.LIST:
            ty = self.typer.type_of(value, scope)
            if t.is_optional(ty):
                self.typer.absent(value, ty, f"used as `{opt.name}`")
            elif not isinstance(ty, t.ListT) and ty not in (t.ANY, t.NEVER):
                self.sink.error(
                    "E2007",
                    f"`{opt.name}` takes a list, but `{show(value)}` is {_a(ty)}",
                    value.span,
                    hints=[f'e.g. `{opt.name}: ["statement", "account"]`'],
                )
        elif kind is Kind.BOOL:
            self.typer.condition(value, scope)
        else:
            self.typer.type_of(value, scope)
        return None

    def _language(self, opt: ast.Option, scope: Scope) -> Any:
        value = opt.value
        if isinstance(value, ast.Str) and value.is_constant:
            tag = value.constant
            if not is_known_locale(tag):
                self.sink.error(
                    "E1020",
                    f'"{tag}" is not a known locale',
                    value.span,
                    hints=['write a language tag such as "en-GB", "de-DE" or "fr"'],
                )
            return tag
        ty = self.typer.type_of(value, scope)
        if t.is_optional(ty):
            what = show(value)
            self.sink.error(
                "E2005",
                f"`{what}` may be absent (it is `{ty}`); the locale needs a value",
                value.span,
                hints=[f'give a default: `{opt.name}: {what} ?? "en-GB"`'],
            )
        elif ty not in (t.STRING, t.ANY, t.NEVER):
            self.sink.error(
                "E1020",
                f'`{opt.name}` takes a language tag such as "en-GB", but `{show(value)}` is '
                f"{_a(ty)}",
                value.span,
            )
        return None

    def style_ref(self, value: ast.Expr, frame: Frame) -> StyleInfo | None:
        parts = path_of(value)
        if parts is None:
            self.values.wrong(
                "`style`", Kind.STYLE, value, "; write a style's name, e.g. `warning`"
            )
            return None
        found = self.ns.find(frame.unit, parts, value.span, _styles, "style", "E1009")
        if isinstance(found, StyleInfo):
            return found
        if found is None:
            name = ".".join(parts)
            known = self.ns.candidates(frame.unit, parts, _styles)
            target = name if len(parts) == 1 else parts[-1]
            self.sink.error(
                "E1009",
                f"unknown style `{name}`{did_you_mean(target, known)}",
                value.span,
                hints=[]
                if closest(target, known)
                else ["declare it with `style name { … }` or import the library that has it"],
            )
        return None

    def _variants(
        self,
        anchor: Span,
        opts: list[ast.Option],
        scope: Scope,
        frame: Frame,
        unknown: Callable[[ast.Option], None],
    ) -> None:
        """``paragraph { en: "Hello" de: "Hallo" }``: one text per declared language.

        ``anchor`` is what E2010 points at (the element, or the ``if``/``for`` whose body holds
        the variants); ``unknown`` reports an option that is not a language tag."""
        languages = frame.unit.info.languages
        seen: dict[str, ast.Option] = {}
        for opt in opts:
            if not LANGUAGE_TAG.match(opt.name):
                unknown(opt)
                continue
            if opt.name in seen:
                self.sink.error(
                    "E1006",
                    f"the `{opt.name}` text is given twice",
                    opt.name_span,
                    labels=[Label(seen[opt.name].name_span, "first given here")],
                )
                continue
            seen[opt.name] = opt
            if opt.name not in languages:
                kind = frame.unit.info.kind
                if languages:
                    message = (
                        f"`{opt.name}` is not one of the {kind}'s languages "
                        f"({listing(languages)}){did_you_mean(opt.name, languages)}"
                    )
                else:
                    message = f"a text for `{opt.name}`, but the {kind} declares no `languages`"
                self.sink.error(
                    "E2009",
                    message,
                    opt.name_span,
                    hints=[
                        f"declare it in the header: `languages: [{_quoted([*languages, opt.name])}]`"
                    ],
                )
            if self.values.no_extra(opt, Kind.TEXT):
                self.typer.text(opt.value, scope)
        missing = [lang for lang in languages if lang not in seen]
        if seen and missing:
            self.sink.error(
                "E2010",
                f"this text has no {listing(missing)} version",
                anchor,
                hints=[f'add `{missing[0]}: "…"` to the body'],
            )

    def _body(
        self,
        el: ast.Element,
        spec: ElementSpec,
        ctx: Ctx,
        scope: Scope,
        frame: Frame,
        binding: Binding | None,
    ) -> None:
        if el.body is None:
            if spec.body_required:
                self.sink.error(
                    "E1008",
                    f"`{el.keyword}` needs a body `{{ … }}`",
                    el.keyword_span,
                    hints=[f"e.g. `{spec.example}`"] if spec.example else [],
                )
            return
        if spec.body is None:
            self.sink.error(
                "E1019",
                f"`{el.keyword}` takes no body",
                el.body.span,
                hints=[f"e.g. `{spec.example}`"] if spec.example else [],
            )
            return
        inner = scope.child()
        if ctx is Ctx.PAGE:  # a page header or footer: page numbers are known there
            inner.bind("page", Binding(t.INTEGER, "page"))
            inner.bind("pages", Binding(t.INTEGER, "page"))
        row = None
        if el.keyword == "table" and binding is not None and el.binding is not None:
            row = (el.binding, binding)
        body_frame = Frame(frame.unit, frame.component, row)
        if spec.body is Ctx.INDEX:
            self._index_fields(el.body, inner)
        self.block(el.body, spec.body, inner, body_frame)

    def _index_fields(self, body: ast.Body, scope: Scope) -> None:
        seen: dict[str, ast.Option] = {}
        for opt in body.options:
            if opt.name in seen:
                self.sink.error(
                    "E1006",
                    f"the index field `{opt.name}` is given twice",
                    opt.name_span,
                    labels=[Label(seen[opt.name].name_span, "first given here")],
                )
                continue
            seen[opt.name] = opt
            if self.values.no_extra(opt, Kind.TEXT):
                self.typer.text(opt.value, scope)

    # ------------------------------------------------------------ element specifics

    def _page(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        first = False
        if el.positional is not None:
            if isinstance(el.positional, ast.Name) and el.positional.name == "first":
                first = True
            else:
                self.sink.error(
                    "E1020",
                    "`page` takes only `first` before its options",
                    el.positional.span,
                    hints=["`page { … }` sets up every page, `page first { … }` the first page"],
                )
                return
        existing = self.out.page_first if first else self.out.page_rest
        if existing is not None:
            what = "page first" if first else "page"
            self.sink.error(
                "E1014",
                f"a second `{what}`",
                el.keyword_span,
                labels=[Label(existing.keyword_span, "the first one is here")],
                hints=["merge them into one"],
            )
        elif first:
            self.out.page_first = el
        else:
            self.out.page_rest = el
        self._once(el, ("header", "footer"))

    def _document(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        if self.out.document is not None:
            self.sink.error(
                "E1014",
                "a second `document`",
                el.keyword_span,
                labels=[Label(self.out.document.keyword_span, "the first one is here")],
                hints=["merge them into one"],
            )
        else:
            self.out.document = el
        self._once(el, ("index",))

    def _table(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        self._once(el, ("header", "footer"))

    def _once(self, el: ast.Element, keywords: Iterable[str]) -> None:
        if el.body is None:
            return
        seen: dict[str, ast.Element] = {}
        for item in el.body.items:
            if isinstance(item, ast.Element) and item.keyword in keywords:
                if item.keyword in seen:
                    self.sink.error(
                        "E1014",
                        f"a second `{item.keyword}` in this `{el.keyword}`",
                        item.keyword_span,
                        labels=[Label(seen[item.keyword].keyword_span, "the first one is here")],
                        hints=["merge them into one"],
                    )
                else:
                    seen[item.keyword] = item

    def _font(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        family = el.positional
        if not (isinstance(family, ast.Str) and family.is_constant):
            return
        for face, (weight, style) in FONT_FACES.items():
            path = values.get(face)
            if not isinstance(path, Path):
                continue
            if path.suffix.lower() not in FONT_EXTENSIONS:
                opt = el.option(face)
                self.sink.error(
                    "E1020",
                    f"`{path.name}` is not a font file ({', '.join(FONT_EXTENSIONS)})",
                    opt.value.span if opt is not None else el.keyword_span,
                )
                continue
            src = display_path(path, self.root_dir)
            self.out.fonts.append(layout.FontFace(family.constant, src, weight, style))

    def _bare_name(self, el: ast.Element, what: str, example: str) -> ast.Name | None:
        """The bare name that names ``el`` (a field or an editable region), or ``E1020``."""
        name = el.positional
        if name is None or isinstance(name, ast.Name):
            return name
        self.sink.error(
            "E1020", f"{what} is named with a bare name", name.span, hints=[f"e.g. `{example}`"]
        )
        return None

    def _editable(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        name = self._bare_name(
            el, "an editable region", 'editable closing label: "Closing words" { … }'
        )
        if name is None:
            return
        first = self.out.editables.get(name.name)
        if first is not None:
            self.sink.error(
                "E1014",
                f"the editable region `{name.name}` is declared twice",
                name.span,
                labels=[Label(first, "first declared here")],
                hints=["give each region its own name"],
            )
            return
        self.out.editables[name.name] = name.span

    def _heading(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        level = values.get("level")
        if isinstance(level, int) and not 1 <= level <= 6:
            opt = el.option("level")
            self.sink.error(
                "E1020",
                f"heading levels are 1 to 6, not {level}",
                opt.value.span if opt else el.keyword_span,
            )

    def _cell(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        span = values.get("span")
        if isinstance(span, int) and span < 1:
            opt = el.option("span")
            self.sink.error(
                "E1020",
                f"a cell spans at least 1 column, not {span}",
                opt.value.span if opt else el.keyword_span,
            )
        self._one_content(el)

    def _column(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        if ctx is Ctx.TABLE:
            self._one_content(el)

    def _one_content(self, el: ast.Element) -> None:
        if el.value is not None and el.body is not None and el.body.statements:
            self.sink.error(
                "E1019",
                f"a `{el.keyword}` has either `= value` or a body, not both",
                el.body.span,
                hints=["keep one of them"],
            )

    def _qr(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        if values.get("kind") == "epc":
            if el.positional is not None:
                self.sink.error(
                    "E1019",
                    "an EPC payment code is made from its options, not from a text",
                    el.positional.span,
                    hints=["remove the text; give `name:`, `iban:` and `amount:`"],
                )
            for name in ("name", "iban"):
                if el.option(name) is None:
                    self.sink.error(
                        "E1008",
                        f"`qr kind: epc` needs the option `{name}:`",
                        el.keyword_span,
                        hints=[
                            'e.g. `qr kind: epc name: "Northwind Bank" iban: invoice.iban '
                            "amount: invoice.total`"
                        ],
                    )
        elif el.positional is None and "kind" in values:
            self.sink.error(
                "E1008",
                "`qr` needs the text or URL to encode",
                el.keyword_span,
                hints=['e.g. `qr "https://northwind.example" alt: "Our website"`'],
            )
        elif el.positional is None:
            self.sink.error(
                "E1008",
                "`qr` needs the text or URL to encode (or `kind: epc` and payment options)",
                el.keyword_span,
                hints=['e.g. `qr "https://northwind.example" alt: "Our website"`'],
            )

    def _image(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        src = el.positional
        if isinstance(src, ast.Str) and src.is_constant:
            suffix = Path(src.constant).suffix.lower()
            if suffix and suffix not in IMAGE_EXTENSIONS:
                self.sink.error(
                    "E1020",
                    f"images are SVG, PNG or JPEG files, not `{suffix}`",
                    src.span,
                    hints=["convert the image to SVG (logos) or PNG"],
                )

    def _slot(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        if frame.component is None:
            self.sink.error(
                "E1007",
                "`slot` can only stand inside a component, where the caller's body goes",
                el.keyword_span,
                hints=["declare a component: `component panel() { box { slot } }`"],
            )

    def _field(
        self, el: ast.Element, values: dict[str, Any], ctx: Ctx, scope: Scope, frame: Frame
    ) -> None:
        name = self._bare_name(
            el, "an input field", 'field reason { type: string label: "Reason for the call" }'
        )
        if name is None:
            return
        first = self._field_spans.get(name.name)
        if first is not None:
            self.sink.error(
                "E1014",
                f"the input field `{name.name}` is declared twice",
                name.span,
                labels=[Label(first, "first declared here")],
                hints=["give each field its own name"],
            )
            return
        self._field_spans[name.name] = name.span
        kind = values.get("type")
        label = values.get("label")
        if not isinstance(kind, str) or not isinstance(label, str):
            return
        info = FieldInfo(name=name.name, type=kind, label=label)
        info.required = bool(values.get("required") or False)
        info.help = values.get("help") or ""
        FieldCheck(el, info, values, self.sink).run()
        self.out.fields.append(info)

    def _input_type(self) -> t.Type:
        fields = tuple(
            (
                f.name,
                t.Field(FIELD_TYPES[f.type], f.required or f.default is not None),
            )
            for f in self.out.fields
        )
        return t.RecordT(fields, name="input")

    # ------------------------------------------------------------ header

    def _header_info(self, unit: Unit) -> Header:
        el = unit.header
        header = Header(name=unit.info.source_path)
        if el is None:
            return header
        if isinstance(el.positional, ast.Str) and el.positional.is_constant:
            header.name = el.positional.constant
        for attr in ("version", "description"):
            opt = el.option(attr)
            if opt is not None and isinstance(opt.value, ast.Str) and opt.value.is_constant:
                setattr(header, attr, opt.value.constant)
        locale = el.option("locale")
        header.locale = locale.value if locale is not None else None
        header.languages = unit.info.languages
        return header


def module_languages(unit: Unit, sink: DiagnosticSink) -> tuple[str, ...]:
    """The header's ``languages:`` tags, read before any body needs them (E1020 for malformed
    tags; entries that are not constant strings are reported by the header's option check)."""
    el = unit.header
    opt = el.option("languages") if el is not None else None
    if opt is None or not isinstance(opt.value, ast.ListLit):
        return ()
    tags: list[str] = []
    for item in opt.value.items:
        if not (isinstance(item, ast.Str) and item.is_constant):
            continue
        if LANGUAGE_TAG.match(item.constant):
            tags.append(item.constant)
        else:
            sink.error(
                "E1020",
                f'"{item.constant}" is not a language tag',
                item.span,
                hints=['write tags such as "en", "de" or "fr-CH"'],
            )
    return tuple(tags)


# ---------------------------------------------------------------- helpers


def _components(info: ModuleInfo) -> dict[str, ComponentInfo]:
    return info.components


def _styles(info: ModuleInfo) -> dict[str, StyleInfo]:
    return info.styles


def _unique_params(info: ComponentInfo) -> list[ast.Param]:
    seen: set[str] = set()
    out = []
    for param in info.decl.params:
        if param.name not in seen:
            seen.add(param.name)
            out.append(param)
    return out


def _walk(body: ast.Body) -> Iterable[ast.Stmt]:
    """Every statement under ``body`` (not into ``use`` bodies: those belong to the caller)."""
    stack: list[ast.Body] = [body]
    while stack:
        current = stack.pop()
        for item in current.items:
            if isinstance(item, ast.Option):
                continue
            yield item
            if isinstance(item, ast.Element) and item.body is not None:
                stack.append(item.body)
            elif isinstance(item, ast.If):
                stack.extend(b.body for b in item.branches)
                if item.otherwise is not None:
                    stack.append(item.otherwise)
            elif isinstance(item, ast.For):
                stack.append(item.body)
                if item.otherwise is not None:
                    stack.append(item.otherwise)


def _head_span(item: ast.Stmt) -> Span:
    """The first word of a statement, for short error underlines."""
    if isinstance(item, ast.Element):
        return item.keyword_span
    start = item.span.start
    text = item.span.file.text
    end = start
    while end < item.span.end and (text[end].isalnum() or text[end] in "-_"):
        end += 1
    return item.span.file.span(start, max(end, start + 1))


def _value_hint(el: ast.Element, spec: ElementSpec) -> list[Hint | str]:
    if spec.positional is not None and spec.positional.kind is Kind.TEXT:
        return [f'give the text directly: `{el.keyword} "{{…}}"`']
    return []


def _a(ty: t.Type) -> str:
    if isinstance(ty, t.ListT | t.RecordT):
        return f"`{ty}`"
    name = str(ty)
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(f'"{i}"' for i in items)


def _record_gap(src: t.Type, dst: t.Type) -> str:
    """Why a record does not fit a record type: the first field that is missing or differs."""
    src, dst = t.strip_optional(src), t.strip_optional(dst)
    if not (isinstance(src, t.RecordT) and isinstance(dst, t.RecordT)):
        return ""
    for name, want in dst.fields:
        have = src.get(name)
        if have is None:
            if want.required and not src.open:
                return f" (it has no field `{name}`)"
            continue
        have_type = have.type if have.required else t.optional(have.type)
        want_type = want.type if want.required else t.optional(want.type)
        if not t.assignable(have_type, want_type):
            return f" (its field `{name}` is `{have_type}`, not `{want_type}`)"
    return ""
