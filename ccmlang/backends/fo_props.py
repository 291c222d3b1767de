"""Layout-tree values and styles to XSL-FO 1.1 properties (spec/backends-fo.md, "Styles").

The layout tree speaks CSS (lengths such as ``"25mm"`` or ``"12px"``, colours ``"#rrggbb"``);
XSL 1.1 §5.9 accepts most of that as is, with three differences this module absorbs so the FO
output lays out like the WeasyPrint PDF:

* ``px``: CSS fixes 96 px to the inch, FOP's default source resolution is 72 dpi. Pixels are
  converted to points (×0.75) so the FO never depends on a formatter's resolution setting.
* ``Q``, ``rem``, ``ex``, ``ch`` do not exist in XSL: ``Q`` becomes millimetres, ``rem`` points
  (the HTML root font size is 12pt: the base style applies to ``<body>``), ``ex``/``ch`` half an em.
* CSS ``border-radius`` is not XSL: it becomes FOP's ``fox:border-*-radius`` extension properties,
  which other formatters ignore (square corners).

Every value is checked against a small grammar before it is written; a value outside it is a
layout-tree bug and is refused with ``E3008`` rather than passed to the formatter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lxml import etree

from ccmlang import layout
from ccmlang.backends.base import BackendError

FO_NS = "http://www.w3.org/1999/XSL/Format"
FOX_NS = "http://xmlgraphics.apache.org/fop/extensions"
FO = f"{{{FO_NS}}}"
FOX = f"{{{FOX_NS}}}"

GENERIC_FAMILIES = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy"})
ROOT_FONT_SIZE_PT = Decimal(12)
"""CSS ``medium`` (16px): the ``<html>`` font size ``rem`` refers to."""

Props = tuple[tuple[str, str], ...]
"""FO attributes in a fixed order (names may be ``{FOX_NS}...`` Clark names)."""

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_LENGTH = re.compile(rf"^({_NUMBER})\s*([a-zA-Z%]*)$")
_TO_PT = {
    "pt": Decimal(1),
    "px": Decimal("0.75"),
    "rem": ROOT_FONT_SIZE_PT,
}
_PASS_UNITS = frozenset({"mm", "cm", "in", "pt", "pc", "em", "%"})
_COLOR = re.compile(
    r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20}|"
    r"rgb\(\s*\d{1,3}%?\s*(?:,\s*\d{1,3}%?\s*){2}\))$"
)
_WORDS = {
    "font-weight": frozenset(
        {"normal", "bold", "bolder", "lighter", *(str(w) for w in range(100, 1000, 100))}
    ),
    "font-style": frozenset({"normal", "italic", "oblique"}),
    "text-align": frozenset({"left", "right", "center", "justify", "start", "end"}),
    "text-transform": frozenset({"none", "uppercase", "lowercase", "capitalize"}),
    "text-decoration": frozenset({"none", "underline", "line-through", "overline"}),
    "border-style": frozenset(
        {
            "none",
            "hidden",
            "solid",
            "dashed",
            "dotted",
            "double",
            "groove",
            "ridge",
            "inset",
            "outset",
        }
    ),
}
SIDES = ("before", "end", "after", "start")
"""Layout tuples are CSS order (top right bottom left): the writing-mode-relative FO sides."""
_CORNERS = ("before-start", "before-end", "after-end", "after-start")


def fo(tag: str, attributes: Iterable[tuple[str, str]] = ()) -> etree._Element:
    """A new ``fo:<tag>`` element with attributes in the given order (lxml keeps it)."""
    element = etree.Element(FO + tag)
    for name, value in attributes:
        element.set(name, value)
    return element


def merged(*groups: Iterable[tuple[str, str]]) -> Props:
    """Later groups override earlier ones; the first occurrence fixes a property's position,
    so defaults, styles and structural properties combine in a fixed, readable order."""
    out: dict[str, str] = {}
    for group in groups:
        for name, value in group:
            out[name] = value
    return tuple(out.items())


def _bad(what: str, text: str) -> BackendError:
    return BackendError(f"{what} {text!r} cannot be written as an XSL-FO value", code="E3008")


def _number(text: str) -> str:
    value = Decimal(text)
    if value == value.to_integral():
        return str(value.quantize(Decimal(1)))
    return f"{value.normalize():f}"


def _decimal(value: Decimal) -> str:
    return _number(str(value.quantize(Decimal("0.001"))))


@lru_cache(maxsize=4096)
def length(text: str, what: str = "length") -> str:
    """A CSS length as an XSL length (``"12px"`` → ``"9pt"``, ``"4Q"`` → ``"1mm"``)."""
    match = _LENGTH.match(text.strip())
    if match is None:
        raise _bad(what, text)
    number, unit = match[1], match[2].lower()
    try:
        value = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the regex admits only numbers
        raise _bad(what, text) from None
    if unit == "":
        if value != 0:
            raise _bad(what, text)
        return "0pt"
    if unit in _PASS_UNITS:
        return f"{_number(number)}{unit}"
    if unit in _TO_PT:
        return f"{_decimal(value * _TO_PT[unit])}pt"
    if unit == "q":
        return f"{_decimal(value / 4)}mm"
    if unit in ("ex", "ch"):
        return f"{_decimal(value / 2)}em"
    raise _bad(what, text)


def points(value: Decimal) -> str:
    """A length in points, to the thousandth."""
    return f"{_decimal(value)}pt"


def length_pt(text: str, what: str = "length") -> Decimal | None:
    """An absolute length in points, ``None`` for relative ones (em, %)."""
    fo = length(text, what)
    match = _LENGTH.match(fo)
    assert match is not None
    unit = match[2]
    factor = {
        "pt": Decimal(1),
        "mm": Decimal(72) / Decimal("25.4"),
        "cm": Decimal(720) / Decimal("25.4"),
        "in": Decimal(72),
        "pc": Decimal(12),
    }.get(unit)
    return None if factor is None else Decimal(match[1]) * factor


def add_lengths(a: str, b: str) -> str:
    """``a + b``: in their unit when they share one, in points when both are absolute, an XSL
    expression otherwise."""
    fa, fb = length(a), length(b)
    ma, mb = _LENGTH.match(fa), _LENGTH.match(fb)
    assert ma is not None and mb is not None
    if ma[2] == mb[2]:
        return f"{_number(str(Decimal(ma[1]) + Decimal(mb[1])))}{ma[2]}"
    pa, pb = length_pt(fa), length_pt(fb)
    if pa is not None and pb is not None:
        return f"{_decimal(pa + pb)}pt"
    return f"({fa} + {fb})"


def line_height(text: str) -> str:
    """``normal``, a unitless multiplier (inherited as a number, as in CSS) or a length."""
    text = text.strip()
    if text == "normal" or re.fullmatch(_NUMBER, text):
        return text if text == "normal" else _number(text)
    return length(text, "line height")


def color(text: str, what: str = "colour") -> str:
    text = text.strip()
    if not _COLOR.match(text):
        raise _bad(what, text)
    return text


def word(prop: str, text: str) -> str:
    text = text.strip().lower()
    if text not in _WORDS[prop]:
        raise _bad(prop, text)
    return text


def font_family(text: str) -> str:
    """A CSS family list for FO: named families quoted, generic ones bare."""
    families = []
    for name in text.split(","):
        name = name.strip().strip("\"'").strip()
        if not name:
            continue
        if name.lower() in GENERIC_FAMILIES:
            families.append(name.lower())
        elif "'" in name:
            families.append(f'"{name}"')
        else:
            families.append(f"'{name}'")
    if not families:
        raise _bad("font family", text)
    return ", ".join(families)


def family_names(text: str) -> list[str]:
    """The family names of a CSS family list, unquoted (for the FOP font configuration)."""
    return [n.strip().strip("\"'").strip() for n in text.split(",") if n.strip().strip("\"'")]


# ---------------------------------------------------------------- style groups


def text_props(style: layout.Style) -> Props:
    """Inherited text properties: what ``<body>`` and inline spans carry in CSS."""
    s = style
    out: list[tuple[str, str]] = []
    if s.font_family is not None:
        out.append(("font-family", font_family(s.font_family)))
    if s.font_size is not None:
        out.append(("font-size", length(s.font_size, "font size")))
    if s.font_weight is not None:
        out.append(("font-weight", word("font-weight", s.font_weight)))
    if s.font_style is not None:
        out.append(("font-style", word("font-style", s.font_style)))
    if s.color is not None:
        out.append(("color", color(s.color)))
    if s.line_height is not None:
        out.append(("line-height", line_height(s.line_height)))
    if s.letter_spacing is not None:
        out.append(("letter-spacing", length(s.letter_spacing, "letter spacing")))
    if s.text_transform is not None:
        out.append(("text-transform", word("text-transform", s.text_transform)))
    return tuple(out)


def align_props(style: layout.Style) -> Props:
    if style.text_align is None:
        return ()
    return (("text-align", word("text-align", style.text_align)),)


def decoration_props(style: layout.Style) -> Props:
    if style.text_decoration is None:
        return ()
    return (("text-decoration", word("text-decoration", style.text_decoration)),)


def background_props(style: layout.Style) -> Props:
    if style.background is None:
        return ()
    return (("background-color", color(style.background, "background")),)


def space_props(style: layout.Style) -> Props:
    out: list[tuple[str, str]] = []
    if style.space_before is not None:
        out.append(("space-before", length(style.space_before, "space before")))
    if style.space_after is not None:
        out.append(("space-after", length(style.space_after, "space after")))
    return tuple(out)


def padding_props(style: layout.Style) -> Props:
    if style.padding is None:
        return ()
    return tuple(
        (f"padding-{side}", length(value, "padding"))
        for side, value in zip(SIDES, style.padding, strict=True)
    )


def border_props(style: layout.Style) -> Props:
    if style.border is None:
        return ()
    out: list[tuple[str, str]] = []
    for side, border in zip(SIDES, style.border, strict=True):
        kind = word("border-style", border.style)
        out.append((f"border-{side}-style", kind))
        if kind != "none":
            out.append((f"border-{side}-width", length(border.width, "border width")))
            out.append((f"border-{side}-color", color(border.color, "border colour")))
    return tuple(out)


def radius_props(style: layout.Style) -> Props:
    if style.border_radius is None:
        return ()
    radius = length(style.border_radius, "border radius")
    return tuple((f"{{{FOX_NS}}}border-{corner}-radius", radius) for corner in _CORNERS)


def has_horizontal_box(style: layout.Style) -> bool:
    """Left or right padding or border: what moves a block's content inwards."""
    if style.padding is not None and any(
        length_pt(v) != 0 for v in (style.padding[1], style.padding[3])
    ):
        return True
    return style.border is not None and any(
        b.style != "none" for b in (style.border[1], style.border[3])
    )


def box_props(style: layout.Style, *, indent_sides: bool = True) -> Props:
    """Padding, borders and rounded corners.

    On a block, XSL places padding and borders *outside* the inherited indent unless a margin is
    specified (XSL 1.1 §5.3.2), so ``indent_sides`` adds ``margin-left/right="0pt"``: the indent
    then becomes inherited + border + padding, exactly the CSS box model.
    """
    out = (*padding_props(style), *border_props(style), *radius_props(style))
    if indent_sides and has_horizontal_box(style):
        return (("margin-left", "0pt"), ("margin-right", "0pt"), *out)
    return out


def block_props(style: layout.Style) -> Props:
    """Everything a block-level node's style says, except width and min-height (containers)."""
    return (
        *text_props(style),
        *align_props(style),
        *decoration_props(style),
        *space_props(style),
        *box_props(style),
        *background_props(style),
    )


def inline_props(style: layout.Style) -> Props:
    """A styled inline run: text properties, decoration, background, padding and borders."""
    return (
        *text_props(style),
        *decoration_props(style),
        *box_props(style, indent_sides=False),
        *background_props(style),
    )


def container_props(style: layout.Style) -> Props:
    """Width and min-height: only a ``fo:block-container`` can carry them."""
    out: list[tuple[str, str]] = []
    if style.width is not None:
        out.append(("width", length(style.width, "width")))
    if style.min_height is not None:
        out.append(("block-progression-dimension.minimum", length(style.min_height, "min height")))
    return tuple(out)
