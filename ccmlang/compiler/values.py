"""Constant option values: lengths, colours, names from a list, borders, page sizes (E1020).

Style properties and many element options are constants written in the template (``10pt``,
``#1f3a5f``, ``align: right``). Each reader here checks one :class:`~ccmlang.compiler.elements.
Kind` and returns the value as the layout tree wants it, or ``None`` after reporting what was
expected, with an example, so the designer sees the fix in the message.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ccmlang import layout
from ccmlang.compiler import ast
from ccmlang.compiler.diagnostics import DiagnosticSink
from ccmlang.compiler.elements import PAGE_SIZES, Kind, Opt
from ccmlang.compiler.suggest import did_you_mean

NONE_BORDER = layout.Border("0", "#000000", "none")
"""``border: none``: no line (width 0), so a side can switch off an inherited border."""

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")

EXAMPLES = {
    Kind.LENGTH: "`10mm`",
    Kind.LENGTHS: "`18mm 20mm`",
    Kind.COLOR: "`#1f3a5f`",
    Kind.INT: "`2`",
    Kind.CONST_BOOL: "`true`",
    Kind.CONST_TEXT: '`"Brand Sans"`',
    Kind.STRINGS: '`["en", "de"]`',
    Kind.BORDER: "`0.5pt #cccccc` or `none`",
    Kind.SIZE: "`A4` or `210mm 297mm`",
    Kind.PATH: '`"assets/logo.svg"`',
}


def describe(expr: ast.Expr) -> str:
    """How a value reads in a message: "the name `bold`", "a string", "the number `3`"."""
    if isinstance(expr, ast.Name):
        return f"the name `{expr.name}`"
    if isinstance(expr, ast.Str):
        return "a string with `{…}`" if not expr.is_constant else f'the string "{expr.constant}"'
    if isinstance(expr, ast.Number):
        return f"the number `{expr.value}`"
    if isinstance(expr, ast.Length):
        return f"the length `{expr.css}`"
    if isinstance(expr, ast.Color):
        return f"the colour `{expr.value}`"
    if isinstance(expr, ast.Bool):
        return f"`{'true' if expr.value else 'false'}`"
    if isinstance(expr, ast.DateLit):
        return f"the date `{expr.value.isoformat()}`"
    if isinstance(expr, ast.Null):
        return "`null`"
    if isinstance(expr, ast.ListLit):
        return "a list"
    return "an expression"


class Values:
    """Reads constant option values, reporting E1020 for values of the wrong kind."""

    def __init__(self, sink: DiagnosticSink) -> None:
        self.sink = sink

    def wrong(self, opt: ast.Option | str, kind: Kind, got: ast.Expr, extra: str = "") -> None:
        """E1020: ``opt`` (an option, or how to name the value) wants ``kind``, got ``got``."""
        example = EXAMPLES.get(kind)
        hint = [f"write e.g. {example}"] if example else []
        name = f"`{opt.name}`" if isinstance(opt, ast.Option) else opt
        self.sink.error(
            "E1020",
            f"{name} takes {phrase(kind)}, not {describe(got)}{extra}",
            got.span,
            hints=hint,
        )

    def no_extra(self, opt: ast.Option, kind: Kind) -> bool:
        """Options of one value must not have trailing lengths or colours."""
        if not opt.extra:
            return True
        self.sink.error(
            "E1020",
            f"`{opt.name}` takes one value, but {1 + len(opt.extra)} are given",
            opt.extra[0].span.to(opt.extra[-1].span),
            hints=["remove the extra values"],
        )
        return False

    def read(self, opt: ast.Option, spec: Opt) -> object | None:
        """The constant value of ``opt`` for kinds that are constants; None when invalid."""
        kind = spec.kind
        if kind is Kind.LENGTHS:
            return self.lengths(opt)
        if kind is Kind.BORDER:
            return self.border(opt)
        if kind is Kind.SIZE:
            return self.size(opt)
        if not self.no_extra(opt, kind):
            return None
        value = opt.value
        if kind is Kind.LENGTH:
            return self.length(opt, value)
        if kind is Kind.COLOR:
            if isinstance(value, ast.Color):
                return value.value
            self.wrong(opt, kind, value)
            return None
        if kind is Kind.ENUM:
            return self.enum(opt, value, spec.values)
        if kind is Kind.INT:
            if isinstance(value, ast.Number) and value.value == value.value.to_integral_value():
                return int(value.value)
            self.wrong(opt, kind, value)
            return None
        if kind is Kind.CONST_BOOL:
            if isinstance(value, ast.Bool):
                return value.value
            self.wrong(opt, kind, value)
            return None
        if kind is Kind.CONST_TEXT:
            if isinstance(value, ast.Str) and value.is_constant:
                return value.constant
            extra = "; constant text cannot use `{…}`" if isinstance(value, ast.Str) else ""
            self.wrong(opt, kind, value, extra)
            return None
        if kind is Kind.STRINGS:
            return self.strings(opt, value)
        raise AssertionError(f"not a constant kind: {kind}")  # pragma: no cover

    def length(self, opt: ast.Option, value: ast.Expr) -> str | None:
        if isinstance(value, ast.Length):
            return value.css
        extra = ""
        if isinstance(value, ast.Number):
            extra = f"; add a unit: `{value.value}mm` or `{value.value}pt`"
        self.wrong(opt, Kind.LENGTH, value, extra)
        return None

    def lengths(self, opt: ast.Option) -> tuple[str, str, str, str] | None:
        values = (opt.value, *opt.extra)
        if len(values) > 4:
            self.sink.error(
                "E1020",
                f"`{opt.name}` takes 1 to 4 lengths (top right bottom left), got {len(values)}",
                values[4].span.to(values[-1].span),
            )
            return None
        out: list[str] = []
        for value in values:
            got = self.length(opt, value)
            if got is None:
                return None
            out.append(got)
        return four_sides(out)

    def enum(self, opt: ast.Option, value: ast.Expr, values: tuple[str, ...]) -> str | None:
        allowed = ", ".join(f"`{v}`" for v in values)
        if isinstance(value, ast.Name):
            if value.name in values:
                return value.name
            self.sink.error(
                "E1020",
                f"`{opt.name}: {value.name}` is not one of {allowed}"
                f"{did_you_mean(value.name, values)}",
                value.span,
            )
            return None
        hint = ""
        if isinstance(value, ast.Str) and value.is_constant and value.constant in values:
            hint = f"; write it without quotes: `{opt.name}: {value.constant}`"
        self.sink.error(
            "E1020",
            f"`{opt.name}` takes one of {allowed}, not {describe(value)}{hint}",
            value.span,
        )
        return None

    def strings(self, opt: ast.Option, value: ast.Expr) -> tuple[str, ...] | None:
        if isinstance(value, ast.ListLit):
            out: list[str] = []
            for item in value.items:
                if not (isinstance(item, ast.Str) and item.is_constant):
                    self.wrong(opt, Kind.STRINGS, item, "; every entry must be a constant string")
                    return None
                out.append(item.constant)
            return tuple(out)
        self.wrong(opt, Kind.STRINGS, value)
        return None

    def border(self, opt: ast.Option) -> layout.Border | None:
        value = opt.value
        if isinstance(value, ast.Name) and value.name == "none":
            return NONE_BORDER if self.no_extra(opt, Kind.BORDER) else None
        width = value if isinstance(value, ast.Length) else None
        colours = [e for e in opt.extra if isinstance(e, ast.Color)]
        if width is None or len(opt.extra) != 1 or len(colours) != 1:
            self.sink.error(
                "E1020",
                f"`{opt.name}` takes `none` or a width and a colour, e.g. "
                f"`{opt.name}: 0.5pt #cccccc`",
                opt.value.span.to(opt.extra[-1].span if opt.extra else opt.value.span),
            )
            return None
        return layout.Border(width.css, colours[0].value)

    def size(self, opt: ast.Option) -> tuple[str, str] | None:
        value = opt.value
        if isinstance(value, ast.Name):
            if value.name in PAGE_SIZES and self.no_extra(opt, Kind.SIZE):
                return PAGE_SIZES[value.name]
            if value.name not in PAGE_SIZES:
                self.sink.error(
                    "E1020",
                    f"unknown page size `{value.name}`{did_you_mean(value.name, PAGE_SIZES)}",
                    value.span,
                    hints=[f"sizes: {', '.join(PAGE_SIZES)}, or a width and a height"],
                )
            return None
        if isinstance(value, ast.Length) and len(opt.extra) == 1:
            other = opt.extra[0]
            if isinstance(other, ast.Length):
                return value.css, other.css
        self.wrong(opt, Kind.SIZE, value)
        return None


def phrase(kind: Kind) -> str:
    """``Kind.LENGTH`` → "a length", ``Kind.CONST_BOOL`` → "`true` or `false`"."""
    if kind is Kind.CONST_BOOL:
        return "`true` or `false`"
    if kind is Kind.LENGTHS:
        return kind.value
    return ("an " if kind.value[0] in "aeiou" else "a ") + kind.value


def four_sides(values: list[str]) -> tuple[str, str, str, str]:
    """CSS shorthand order: 1 value for all sides, 2 for vertical/horizontal, 3, or 4 (TRBL)."""
    if len(values) == 1:
        return values[0], values[0], values[0], values[0]
    if len(values) == 2:
        return values[0], values[1], values[0], values[1]
    if len(values) == 3:
        return values[0], values[1], values[2], values[1]
    return values[0], values[1], values[2], values[3]


def number_text(value: Decimal) -> str:
    """A unitless number as CSS writes it (``1.40`` stays ``1.40``; no exponent)."""
    return format(value, "f")
