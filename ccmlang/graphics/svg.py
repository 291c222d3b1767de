"""SVG plumbing shared by every graphic: the result type, errors, numbers, escaping, lengths.

Everything here exists so that the generators stay byte-for-byte deterministic: numbers are
printed with a fixed precision (:func:`num`), text goes through one escaper (:func:`escape`), and
the ``<svg>`` root is written by one function (:func:`document`). The output uses only elements
WeasyPrint's SVG renderer draws (rect, path, line, polyline, circle, text, g): no CSS, no
filters, no ``foreignObject``, no external references.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SVG_NS = "http://www.w3.org/2000/svg"
FONT = 'font-family="sans-serif"'


def with_font(graphic: SvgGraphic, family: str | None) -> SvgGraphic:
    """The graphic with its text in ``family`` (the document's font) instead of the generic
    ``sans-serif``, so a PDF embeds only the project's own fonts, whatever the machine has."""
    if not family or FONT not in graphic.svg:
        return graphic
    attribute = f'font-family="{escape(family)}"'
    return SvgGraphic(
        graphic.svg.replace(FONT, attribute), graphic.width, graphic.height, graphic.data
    )


class GraphicError(ValueError):
    """The input cannot be drawn; the message says what is wrong with it."""


@dataclass(frozen=True, slots=True)
class SvgGraphic:
    """A standalone SVG document plus its intended size and the payload it encodes."""

    svg: str  # complete <svg xmlns=... viewBox=... width=... height=...> document, no XML decl
    width: str  # CSS length, e.g. "30mm"
    height: str
    data: str  # the encoded payload (for tests and accessibility)


# ---------------------------------------------------------------- numbers


def num(value: float) -> str:
    """Fixed-precision number: at most 3 decimals, trailing zeros stripped, never ``-0``."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# ---------------------------------------------------------------- text

# XML 1.0 Char production (§2.2): anything else makes the document ill-formed.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def escape(text: str) -> str:
    """Escape text for element content *and* attribute values (``& < > " '``).

    Characters that XML 1.0 cannot carry at all (C0 controls, lone surrogates, U+FFFE/FFFF) are
    replaced by U+FFFD so that hostile data can never make the document ill-formed.
    """
    text = _NOT_XML_CHAR.sub("\ufffd", text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


# ---------------------------------------------------------------- lengths and colours

# CSS Values and Units Level 3 §6.2: absolute lengths, expressed here in millimetres.
_UNIT_MM = {
    "mm": 1.0,
    "cm": 10.0,
    "q": 0.25,
    "in": 25.4,
    "pt": 25.4 / 72,
    "pc": 25.4 / 6,
    "px": 25.4 / 96,
}
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*(mm|cm|q|in|pt|pc|px)\s*$", re.IGNORECASE)


def length_mm(value: str, what: str) -> float:
    """Parse an absolute, positive CSS length (``"25mm"``, ``"1in"``) into millimetres."""
    match = _LENGTH.match(value) if isinstance(value, str) else None
    if match is None:
        raise GraphicError(
            f"{what} must be a positive absolute CSS length such as '25mm' "
            f"(units: mm, cm, Q, in, pt, pc, px), got {value!r}"
        )
    mm = float(match.group(1)) * _UNIT_MM[match.group(2).lower()]
    if mm <= 0:
        raise GraphicError(f"{what} must be greater than zero, got {value!r}")
    return mm


def css_length(value: str, what: str) -> str:
    """Validate a CSS length and return it normalised (no surrounding spaces)."""
    length_mm(value, what)
    return value.strip()


_COLOR = re.compile(
    r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20}|rgb\(\s*\d{1,3}%?\s*(,\s*\d{1,3}%?\s*){2}\))$"
)


def color(value: str, what: str = "color") -> str:
    """Validate a colour (``#rgb``, ``#rrggbb``, a keyword, ``rgb(r, g, b)``) for an attribute."""
    if not isinstance(value, str) or not _COLOR.match(value.strip()):
        raise GraphicError(
            f"{what} must be '#rrggbb', '#rgb', a colour keyword or 'rgb(r, g, b)', got {value!r}"
        )
    return value.strip()


# ---------------------------------------------------------------- documents


def document(
    *,
    width: str,
    height: str,
    view_width: float,
    view_height: float,
    body: Iterable[str],
    label: str,
) -> str:
    """Wrap body elements in a standalone ``<svg>`` root (no XML declaration).

    ``label`` becomes ``aria-label`` so assistive technology reads the payload or the title.
    """
    head = (
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {num(view_width)} {num(view_height)}" '
        f'width="{escape(width)}" height="{escape(height)}" role="img" '
        f'aria-label="{escape(label)}">'
    )
    return "\n".join([head, *body, "</svg>"]) + "\n"


def matrix_path(matrix: Sequence[Sequence[int]], offset: int) -> str:
    """Path data for a module matrix: one ``M x y h w v1 h-w z`` per horizontal run of dark modules.

    Coordinates are integers in module units; ``offset`` is the quiet zone width.
    """
    parts: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        width = len(row)
        while x < width:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < width and row[x]:
                x += 1
            run = x - start
            parts.append(f"M{start + offset} {y + offset}h{run}v1h-{run}z")
    return "".join(parts)


def matrix_svg(
    matrix: Sequence[Sequence[int]],
    *,
    quiet: int,
    size: str,
    fill: str,
    data: str,
    label: str | None = None,
) -> SvgGraphic:
    """Render a square 2D-code module matrix as one crisp ``<path>`` with a quiet zone."""
    size = css_length(size, "size")
    fill = color(fill)
    modules = len(matrix) + 2 * quiet
    body = [
        f'<path fill="{escape(fill)}" shape-rendering="crispEdges" '
        f'd="{matrix_path(matrix, quiet)}"/>'
    ]
    svg = document(
        width=size,
        height=size,
        view_width=modules,
        view_height=modules,
        body=body,
        label=data if label is None else label,
    )
    return SvgGraphic(svg=svg, width=size, height=size, data=data)
