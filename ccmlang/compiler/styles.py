"""Named styles: property checks and flattening through ``extends`` (spec/language.md, "Styles").

Backends never look styles up: each :class:`~ccmlang.layout.Style` is complete, its parents'
properties copied in, so inheritance is resolved once here at compile time and costs nothing
per record. Property names and value kinds come from ``elements.STYLE_PROPERTIES``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ccmlang import layout
from ccmlang.compiler import ast
from ccmlang.compiler.diagnostics import DiagnosticSink, Label
from ccmlang.compiler.elements import PROPERTY_ALIASES, STYLE_PROPERTIES, Kind
from ccmlang.compiler.program import ModuleInfo, StyleInfo
from ccmlang.compiler.resolve import Namespaces, Silent, Unit
from ccmlang.compiler.suggest import did_you_mean
from ccmlang.compiler.values import Values, number_text

WEIGHTS = {"normal": "normal", "bold": "bold", "light": "300", "medium": "500", "semibold": "600"}
"""``weight:`` names to CSS font weights."""

_FIELDS = {
    "font": "font_family",
    "size": "font_size",
    "weight": "font_weight",
    "font-style": "font_style",
    "color": "color",
    "background": "background",
    "line-height": "line_height",
    "letter-spacing": "letter_spacing",
    "align": "text_align",
    "transform": "text_transform",
    "decoration": "text_decoration",
    "space-before": "space_before",
    "space-after": "space_after",
    "padding": "padding",
    "radius": "border_radius",
    "width": "width",
    "min-height": "min_height",
}
_SIDES = {"border-top": 0, "border-right": 1, "border-bottom": 2, "border-left": 3}

ELEMENT_STYLES = (
    "heading",
    *(f"heading-{n}" for n in range(1, 7)),
    "paragraph",
    "list",
    "item",
    "table",
    "table-header",
    "table-footer",
    "row",
    "cell",
    "box",
    "columns",
    "image",
    "rule",
    "link",
    "header",
    "footer",
)
"""Style names that set the defaults of an element kind (``style heading { … }``)."""


class Styles:
    """Checks every style declaration and flattens it (E1005, E1006, E1007, E1009, E1010, E1020)."""

    def __init__(self, namespaces: Namespaces, sink: DiagnosticSink) -> None:
        self.ns = namespaces
        self.sink = sink
        self.values = Values(sink)
        self._decls: dict[str, dict[str, ast.StyleDecl]] = {}
        self._done: dict[tuple[str, str], layout.Style] = {}
        self._active: list[tuple[str, str, ast.StyleDecl]] = []
        for unit in namespaces.units:
            if unit.broken:
                continue
            table = self._decls.setdefault(unit.key, {})
            for item in unit.info.module.items:
                if isinstance(item, ast.StyleDecl):
                    table.setdefault(item.name, item)

    def _table(self, info: ModuleInfo) -> dict[str, ast.StyleDecl]:
        return self._decls.get(info.source_path, {})

    def resolve_all(self) -> None:
        for unit in self.ns.units:
            for name, decl in self._decls.get(unit.key, {}).items():
                style = self._flatten(unit, decl)
                unit.info.styles[name] = StyleInfo(unit.prefix + name, decl, style)

    def _flatten(self, unit: Unit, decl: ast.StyleDecl) -> layout.Style:
        key = (unit.key, decl.name)
        done = self._done.get(key)
        if done is not None:
            return done
        if any(k == key[0] and n == key[1] for k, n, _ in self._active):
            self._report_cycle(key)
            return layout.Style(name=unit.prefix + decl.name)
        self._active.append((key[0], key[1], decl))
        try:
            parent = self._parent(unit, decl)
        finally:
            self._active.pop()
        style = apply(parent, self._own(decl), unit.prefix + decl.name)
        self._done[key] = style
        return style

    def _parent(self, unit: Unit, decl: ast.StyleDecl) -> layout.Style:
        if decl.extends is None or decl.extends_span is None:
            return layout.Style()
        parts = decl.extends
        found = self.ns.target(unit, parts, decl.extends_span, "style", "E1009")
        if isinstance(found, Silent):
            return layout.Style()
        target, name = found
        parent = self._decls.get(target.key, {}).get(name)
        if parent is None:
            if not target.broken:
                known = self.ns.candidates(unit, parts, self._table)
                self.sink.error(
                    "E1009",
                    f"unknown style `{'.'.join(parts)}`"
                    f"{did_you_mean('.'.join(parts) if len(parts) == 1 else name, known)}",
                    decl.extends_span,
                    hints=["declare it with `style name { … }` or import the library that has it"],
                )
            return layout.Style()
        return self._flatten(target, parent)

    def _report_cycle(self, key: tuple[str, str]) -> None:
        start = next(i for i, (k, n, _) in enumerate(self._active) if (k, n) == key)
        cycle = self._active[start:]
        names = [n for _, n, _ in cycle] + [key[1]]
        first = cycle[0][2]
        labels = [
            Label(d.extends_span, f"`{n}` extends `{'.'.join(d.extends)}` here")
            for _, n, d in cycle[1:]
            if d.extends_span is not None and d.extends is not None
        ]
        self.sink.error(
            "E1010",
            "styles extend each other in a cycle: " + " → ".join(f"`{n}`" for n in names),
            first.extends_span or first.name_span,
            labels=labels,
            hints=["remove `extends` from one of them"],
        )

    def _own(self, decl: ast.StyleDecl) -> dict[str, Any]:
        """The declaration's own properties, as ``layout.Style`` field values."""
        props: dict[str, Any] = {}
        seen: dict[str, ast.Option] = {}
        for item in decl.body.items:
            if not isinstance(item, ast.Option):
                self.sink.error(
                    "E1007",
                    f"a style holds properties (`name: value`) only, not {_what(item)}",
                    item.span,
                    hints=["put content in the template and apply the style with `style: name`"],
                )
                continue
            if item.name in seen:
                self.sink.error(
                    "E1006",
                    f"the property `{item.name}` is given twice",
                    item.name_span,
                    labels=[Label(seen[item.name].name_span, "first given here")],
                    hints=["remove one of them"],
                )
                continue
            seen[item.name] = item
            spec = STYLE_PROPERTIES.get(item.name)
            if spec is None:
                self._unknown(item)
                continue
            value = self._read(item)
            if value is not None:
                props[item.name] = value
        return props

    def _read(self, opt: ast.Option) -> object | None:
        spec = STYLE_PROPERTIES[opt.name]
        if opt.name == "line-height":
            if not self.values.no_extra(opt, Kind.EXPR):
                return None
            if isinstance(opt.value, ast.Number):
                return number_text(opt.value.value)
            if isinstance(opt.value, ast.Length):
                return opt.value.css
            self.sink.error(
                "E1020",
                "`line-height` takes a number (times the font size) or a length, e.g. `1.4` or "
                "`14pt`",
                opt.value.span,
            )
            return None
        return self.values.read(opt, spec)

    def _unknown(self, opt: ast.Option) -> None:
        alias = PROPERTY_ALIASES.get(opt.name)
        if alias is not None:
            self.sink.error(
                "E1005",
                f"styles have no property `{opt.name}`; did you mean `{alias}`?",
                opt.name_span,
                hints=[f"`{opt.name}` is called `{alias}` here: `{alias}: …`"],
            )
            return
        self.sink.error(
            "E1005",
            f"styles have no property `{opt.name}`{did_you_mean(opt.name, STYLE_PROPERTIES)}",
            opt.name_span,
            hints=["style properties: " + ", ".join(STYLE_PROPERTIES)],
        )


def apply(base: layout.Style, props: dict[str, Any], name: str | None) -> layout.Style:
    """``base`` with ``props`` (property name → checked value) laid over it."""
    changes: dict[str, Any] = {"name": name}
    for prop, field in _FIELDS.items():
        if prop in props:
            value = props[prop]
            changes[field] = WEIGHTS.get(value, value) if prop == "weight" else value
    border = list(base.border) if base.border is not None else None
    if "border" in props:
        border = [props["border"]] * 4
    for prop, side in _SIDES.items():
        if prop in props:
            if border is None:
                border = [layout.Border("0", "#000000", "none")] * 4
            border[side] = props[prop]
    if "border-style" in props and border is not None:
        border = [
            b if b.style == "none" else dataclasses.replace(b, style=props["border-style"])
            for b in border
        ]
    if border is not None:
        changes["border"] = (border[0], border[1], border[2], border[3])
    return dataclasses.replace(base, **changes)


def _what(item: ast.Stmt) -> str:
    if isinstance(item, ast.Element):
        return f"the element `{item.keyword}`"
    if isinstance(item, ast.Text):
        return "text"
    return "statements"
