"""Accessibility: text alternatives, heading order, colour contrast, link text.

Statements and letters go to customers who use screen readers and to archives that must meet
PDF/UA and the European Accessibility Act; these rules catch what a designer cannot see on
screen. Contrast follows WCAG 2.2 §1.4.3 (relative luminance, AA thresholds).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from ccmlang.compiler import ast
from ccmlang.compiler.diagnostics import Hint, Label
from ccmlang.compiler.lints.base import Finding, LintContext, LintRule, finding
from ccmlang.compiler.lints.visit import Node, constant_text, walk
from ccmlang.compiler.program import ModuleInfo

_NEEDS_ALT = ("image", "qr", "barcode", "chart")
_NOT_CONTENT = ("template", "library", "page", "document", "font", "field")


class ImageAlt(LintRule):
    """An image, QR code, barcode or chart without ``alt`` text.

    Screen readers, the text backend and PDF/UA all need a text alternative; without one a
    blind customer hears "image" where the payment QR code or the balance chart is. A purely
    decorative ``image`` may say so with an explicit ``alt: ""``.

    **Anti-pattern**::

        image "logo.svg" width: 30mm

    **Best practice**::

        image "logo.svg" alt: "Northwind Bank" width: 30mm
    """

    code = "W104"
    name = "a11y.image-alt"
    summary = "An image, QR code, barcode or chart without alt text."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        for v in ctx.walk():
            node = v.node
            if not (isinstance(node, ast.Element) and node.keyword in _NEEDS_ALT):
                continue
            alt = node.option("alt")
            if alt is None:
                yield finding(
                    f"`{node.keyword}` has no `alt` text",
                    node.keyword_span,
                    hints=['describe it for screen readers: `alt: "…"`'],
                )
            elif node.keyword != "image" and constant_text(alt.value) == "":
                yield finding(
                    f"`{node.keyword}` has an empty `alt` text",
                    alt.span,
                    hints=['say what it encodes or shows, e.g. `alt: "Scan to pay"`'],
                )


def _level(node: ast.Element) -> int | None:
    option = node.option("level")
    if option is None:
        return 1
    if isinstance(option.value, ast.Number):
        return int(option.value.value)
    return None


def _content_sequences(module: ModuleInfo) -> Iterator[tuple[Node, ...]]:
    """Content in reading order: top-level statements, then each component's body alone."""
    top: list[Node] = []
    for item in module.module.items:
        if isinstance(item, ast.ComponentDecl):
            yield item.body.items
        elif isinstance(item, ast.Import | ast.StyleDecl | ast.TypeDecl):
            continue
        elif not (isinstance(item, ast.Element) and item.keyword in _NOT_CONTENT):
            top.append(item)
    yield tuple(top)


class HeadingSkip(LintRule):
    """A heading more than one level below the heading before it (1 → 3).

    Screen-reader users navigate by heading level, and tagged PDF (PDF/UA) requires an unbroken
    hierarchy; a skipped level reads as a missing section.

    **Anti-pattern**::

        heading "Statement"
        heading "Transactions" level: 3

    **Best practice**: go one level deeper at a time (``level: 2``) and change the look with a
    style instead of the level.
    """

    code = "W105"
    name = "a11y.heading-skip"
    summary = "A heading level jumps by more than one."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        for module in ctx.modules:
            for sequence in _content_sequences(module):
                previous: tuple[int, ast.Element] | None = None
                for v in walk(module, sequence):
                    node = v.node
                    if not (isinstance(node, ast.Element) and node.keyword == "heading"):
                        continue
                    if v.inside("header", "footer"):
                        continue
                    level = _level(node)
                    if level is None:
                        continue
                    if previous is not None and level > previous[0] + 1:
                        level_option = node.option("level")
                        yield finding(
                            f"heading level jumps from {previous[0]} to {level}",
                            level_option.span if level_option is not None else node.span,
                            labels=[
                                Label(
                                    previous[1].keyword_span,
                                    f"the previous heading is level {previous[0]}",
                                )
                            ],
                            hints=[
                                f"use `level: {previous[0] + 1}` and change the look with a style"
                            ],
                        )
                    previous = (level, node)


# ---------------------------------------------------------------- contrast


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def parse_color(value: str) -> tuple[float, float, float] | None:
    """``#rgb``, ``#rrggbb`` or ``#rrggbbaa`` (alpha composited over white) → 0..1 RGB."""
    hexes = value.lstrip("#")
    if len(hexes) == 3:
        hexes = "".join(ch * 2 for ch in hexes)
    if len(hexes) not in (6, 8) or not re.fullmatch(r"[0-9a-fA-F]+", hexes):
        return None
    r, g, b = (int(hexes[i : i + 2], 16) / 255 for i in (0, 2, 4))
    if len(hexes) == 8:
        a = int(hexes[6:8], 16) / 255
        r, g, b = (a * x + (1 - a) for x in (r, g, b))
    return r, g, b


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour."""
    r, g, b = (_channel(x) for x in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float | None:
    """WCAG contrast ratio (1 to 21) of two ``#rrggbb`` colours."""
    a, b = parse_color(fg), parse_color(bg)
    if a is None or b is None:
        return None
    la, lb = relative_luminance(a), relative_luminance(b)
    light, dark = max(la, lb), min(la, lb)
    return (light + 0.05) / (dark + 0.05)


def _points(length: str | None) -> Decimal | None:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(pt|px|mm)", length or "")
    if match is None:
        return None
    value = Decimal(match.group(1))
    return {"pt": value, "px": value * Decimal("0.75"), "mm": value * Decimal("2.8346")}[
        match.group(2)
    ]


class Contrast(LintRule):
    """A style whose text colour has too little contrast with its background.

    WCAG 2.2 AA (§1.4.3) asks for a contrast ratio of at least 4.5:1 for body text and 3:1 for
    large text (18pt, or 14pt bold). Light grey on white is the classic offender in small print.
    A style without ``background`` is measured against white paper; one without ``color``
    against black text. Inherited values (``extends``) count.

    **Anti-pattern**::

        style fineprint { color: #aaaaaa size: 8pt }

    **Best practice**::

        style fineprint { color: #595959 size: 8pt }
    """

    code = "W109"
    name = "a11y.contrast"
    summary = "Text colour against background is below WCAG AA contrast."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        for module in ctx.modules:
            for item in module.module.items:
                if isinstance(item, ast.StyleDecl):
                    result = self._check_style(item, module)
                    if result is not None:
                        yield result

    def _check_style(self, decl: ast.StyleDecl, module: ModuleInfo) -> Finding | None:
        own = {o.name: o for o in decl.body.options}
        info = module.styles.get(decl.name)
        if info is not None:
            s = info.style
            color, background = s.color, s.background
            size, weight = s.font_size, s.font_weight
        else:
            color = _color(own.get("color"))
            background = _color(own.get("background"))
            size = _length(own.get("size"))
            weight = _name(own.get("weight"))
        if "color" not in own and "background" not in own:
            return None  # reported where the colours are declared
        fg, bg = color or "#000000", background or "#ffffff"
        ratio = contrast_ratio(fg, bg)
        if ratio is None:
            return None
        pts = _points(size)
        large = pts is not None and (
            pts >= 18 or (pts >= 14 and weight in ("bold", "700", "800", "900"))
        )
        need = 3.0 if large else 4.5
        if ratio >= need:
            return None
        at = own.get("color") or own.get("background")
        assert at is not None
        labels = []
        other = own.get("background") if at is own.get("color") else own.get("color")
        if other is not None:
            labels.append(Label(other.span, "against this colour"))
        against = f"`{bg}`" + ("" if background else " (white paper)")
        return finding(
            f"contrast of `{fg}` on {against} is {ratio:.2f}:1; "
            f"WCAG AA needs {need:g}:1 for {'large' if large else 'body'} text",
            at.span,
            labels=labels,
            hints=[Hint(f"darken the text colour, e.g. `{_suggest(fg, bg, need)}`")],
        )


def _color(option: ast.Option | None) -> str | None:
    return (
        option.value.value if option is not None and isinstance(option.value, ast.Color) else None
    )


def _length(option: ast.Option | None) -> str | None:
    return option.value.css if option is not None and isinstance(option.value, ast.Length) else None


def _name(option: ast.Option | None) -> str | None:
    if option is not None and isinstance(option.value, ast.Name):
        return option.value.name
    return None


def _suggest(fg: str, bg: str, need: float) -> str:
    """The nearest darker (or lighter, on dark paper) shade of ``fg`` that passes."""
    rgb = parse_color(fg)
    bg_rgb = parse_color(bg)
    if rgb is None or bg_rgb is None:
        return "#000000"
    darken = relative_luminance(bg_rgb) > 0.18
    for step in range(1, 101):
        f = 1 - step / 100 if darken else step / 100
        cand = tuple(x * f if darken else x + (1 - x) * f for x in rgb)
        text = "#" + "".join(f"{round(c * 255):02x}" for c in cand)
        ratio = contrast_ratio(text, bg)
        if ratio is not None and ratio >= need:
            return text
    return "#000000" if darken else "#ffffff"


# ---------------------------------------------------------------- link text

_VAGUE = {
    "click here",
    "here",
    "more",
    "read more",
    "this link",
    "link",
    "click",
    "this",
    "learn more",
}


class LinkText(LintRule):
    """A link whose text says nothing about where it goes ("click here").

    Screen-reader users list a document's links out of context; a list of "click here" is
    useless. Printed letters also lose the link, so the text itself should name the target.

    **Anti-pattern**::

        link "click here" href: "https://northwind.example/fees"

    **Best practice**::

        link "our fees (northwind.example/fees)" href: "https://northwind.example/fees"
    """

    code = "W115"
    name = "a11y.link-text"
    summary = 'A link text like "click here" that does not name its target.'

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        for v in ctx.walk():
            node = v.node
            if isinstance(node, ast.Element) and node.keyword == "link":
                text = constant_text(node.positional)
                if text is not None and text.strip().strip(".!:›»").strip().casefold() in _VAGUE:
                    assert node.positional is not None
                    yield finding(
                        f"link text `{text}` does not say where the link goes",
                        node.positional.span,
                        hints=['name the target, e.g. `link "our fees" href: …`'],
                    )
