"""Layout tree to the Typst engine's input: plain JSON data (spec/typst.md, "Input").

``render.typ`` is one fixed program that interprets this data; nothing here writes Typst markup.
Everything the program would find slow or unsafe to do is done here once: CSS lengths become
points (or ``{"em": …}``/``{"pct": …}`` for relative ones), styles are validated, deduplicated
into one table and referred to by index, font families are mapped to the project's font files,
whitespace is collapsed as HTML does, and link targets are checked with :func:`safe_link`.

Values that cannot be rendered raise :class:`BackendError` ``E3008`` at the node's origin; a font
family the project does not ship raises ``E1016`` (never a silent fallback, spec/typst.md,
"Fonts").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ccmlang import layout
from ccmlang.backends.base import BackendError, safe_link

GENERIC_FAMILIES = frozenset(
    {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math", "emoji"}
)
ALIGNMENTS = frozenset({"left", "right", "center", "justify"})

_TO_PT = {
    "pt": 1.0,
    "mm": 72 / 25.4,
    "cm": 720 / 25.4,
    "q": 18 / 25.4,
    "in": 72.0,
    "pc": 12.0,
    "px": 0.75,
}
_LENGTH = re.compile(r"^(-?(?:\d+(?:\.\d*)?|\.\d+))\s*([a-z%]*)$")
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_SPACE = re.compile(r"[ \t\n\r\f]+")
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|\d{3}))?(?:[-_].*)?$")
FONT_SIZES = {
    "xx-small": 7.0,
    "x-small": 7.5,
    "small": 10.0,
    "medium": 12.0,
    "large": 13.5,
    "x-large": 18.0,
    "xx-large": 24.0,
    "xxx-large": 36.0,
}
WEIGHTS = {"normal": "regular", "bold": "bold", "bolder": "bold", "lighter": "light"}
HALF_X = 0.35
"""Half of (ascender − descender) in em for typical text faces: where the baseline sits in a line
box of a given CSS ``line-height`` (the box is split evenly above and below the glyphs)."""
UL_MARKERS = frozenset({"disc", "circle", "square", "none"})
OL_MARKERS = {
    "decimal": "decimal",
    "lower-alpha": "lower-alpha",
    "lower-latin": "lower-alpha",
    "upper-alpha": "upper-alpha",
    "upper-latin": "upper-alpha",
    "lower-roman": "lower-roman",
    "upper-roman": "upper-roman",
    "none": "none",
}

Length = float | dict[str, float]


def _bad(what: str, value: object, origin: layout.Origin | None = None) -> BackendError:
    return BackendError(f"{what} {value!r} cannot be rendered", code="E3008", origin=origin)


def _num(value: float) -> float:
    """Round to a thousandth of a point: short JSON, and stable across platforms."""
    return round(value, 3) + 0.0


def length(value: str, what: str = "length", origin: layout.Origin | None = None) -> Length:
    """A CSS length as points, or ``{"em": x}`` / ``{"pct": x}`` for relative lengths."""
    match = _LENGTH.match(value.strip().lower())
    if match is None:
        raise _bad(what, value, origin)
    number, unit = float(match[1]), match[2]
    if unit in _TO_PT:
        return _num(number * _TO_PT[unit])
    if unit in ("em", "rem"):
        return {"em": _num(number)}
    if unit == "%":
        return {"pct": _num(number)}
    if unit == "" and number == 0:
        return 0.0
    raise _bad(what, value, origin)


def absolute(value: str, what: str, origin: layout.Origin | None = None) -> float:
    """A length that must be absolute (page sizes and margins)."""
    result = length(value, what, origin)
    if not isinstance(result, float):
        raise _bad(what, value, origin)
    return result


def colour(value: str, what: str = "colour", origin: layout.Origin | None = None) -> str:
    text = value.strip()
    if not _COLOUR.match(text):
        raise _bad(what, value, origin)
    return text.lower()


def font_size(value: str, origin: layout.Origin | None) -> Length:
    key = value.strip().lower()
    if key in FONT_SIZES:
        return FONT_SIZES[key]
    if key == "larger":
        return {"em": 1.2}
    if key == "smaller":
        return {"em": 0.833}
    result = length(value, "font size", origin)
    if isinstance(result, dict) and "pct" in result:
        return {"em": _num(result["pct"] / 100)}
    return result


def line_edges(value: str, origin: layout.Origin | None) -> tuple[Length, Length]:
    """Typst ``top-edge``/``bottom-edge`` giving each line the CSS ``line-height`` box.

    With leading 0, consecutive lines are then exactly ``line-height`` apart and a paragraph is
    as tall as in the HTML backend, with the baseline where CSS puts it.
    """
    key = value.strip().lower()
    if key == "normal":
        return {"em": 0.928}, {"em": -0.236}
    match = _LENGTH.match(key)
    if match is None:
        raise _bad("line height", value, origin)
    number, unit = float(match[1]), match[2]
    if unit == "" or unit == "%":
        factor = number / 100 if unit == "%" else number
        half = factor / 2
        return {"em": _num(half + HALF_X)}, {"em": _num(-(half - HALF_X))}
    half_len = length(value, "line height", origin)
    if isinstance(half_len, float):
        return {"pt": _num(half_len / 2), "em": HALF_X}, {"pt": _num(-half_len / 2), "em": HALF_X}
    em = half_len.get("em", 0.0) / 2
    return {"em": _num(em + HALF_X)}, {"em": _num(-(em - HALF_X))}


def weight(value: str, origin: layout.Origin | None) -> str | int:
    key = value.strip().lower()
    if key in WEIGHTS:
        return WEIGHTS[key]
    if key.isdigit() and 1 <= int(key) <= 1000:
        return int(key)
    raise _bad("font weight", value, origin)


def collapse(text: str) -> str:
    """HTML's ``white-space: normal``: every run of spaces, tabs and newlines is one space."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text:
        return _SPACE.sub(" ", text)
    return text


def language(tag: str) -> tuple[str, str | None]:
    """``"en-GB"`` → ``("en", "GB")``; anything unreadable → ``("und", None)``."""
    match = _LANG.match(tag.strip())
    if match is None:
        return "und", None
    region = match[2].upper() if match[2] and match[2].isalpha() else None
    return match[1].lower(), region


class FontMap:
    """Declared font families (``FontFace.family``) to the family names Typst knows them by."""

    def __init__(self, families: Mapping[str, str], default: Sequence[str]) -> None:
        self.families = {k.casefold(): v for k, v in families.items()}
        self.default = list(default)

    def resolve(self, spec: str, origin: layout.Origin | None) -> list[str]:
        """The Typst families for a CSS family list; generic families are skipped.

        A named family the project does not ship is an error: Typst would silently use
        another font, and the PDF would not be what the designer chose.
        """
        out: list[str] = []
        for name in spec.split(","):
            name = name.strip().strip("\"'").strip()
            if not name or name.casefold() in GENERIC_FAMILIES:
                continue
            found = self.families.get(name.casefold())
            if found is None:
                shipped = ", ".join(sorted(self.families)) or "none"
                raise BackendError(
                    f"font family {name!r} is not one of the template project's fonts "
                    f"(declared: {shipped}); the Typst engine uses the project's fonts only",
                    code="E1016",
                    origin=origin,
                )
            if found not in out:
                out.append(found)
        return out or self.default


class Lowering:
    """One lowering session: styles are shared by every record lowered through it."""

    def __init__(
        self,
        fonts: FontMap,
        *,
        natural_width: Callable[[str], float | None] = lambda src: None,
        check_image: Callable[[str], None] = lambda src: None,
        check_svg: Callable[[str, str], None] = lambda svg, name: None,
    ) -> None:
        """``check_image`` and ``check_svg`` vet every asset as it is met (the pre-flight of
        spec/backends.md, "Fetcher"); their errors are located at the node's origin."""
        self.fonts = fonts
        self.natural_width = natural_width
        self.check_image = check_image
        self.check_svg = check_svg
        self.styles: list[dict[str, Any]] = []
        self._index: dict[layout.Style, int | None] = {}
        self._by_id: dict[int, int | None] = {}
        self._alive: list[layout.Style] = []  # keeps the ids above valid
        self.formats: list[dict[str, Any]] = []
        self._formats_index: dict[tuple[Any, ...], int | None] = {}
        self._formats_by_id: dict[tuple[Any, ...], int | None] = {}

    # -- styles

    def style(self, style: layout.Style, origin: layout.Origin | None = None) -> int | None:
        """The style's index in the table (``None`` for an empty style), added on first use."""
        try:  # layout trees share style objects: by identity first, which needs no hashing
            return self._by_id[id(style)]
        except KeyError:
            pass
        index = self._index.get(style, -1)
        if index != -1:
            self._by_id[id(style)] = index
            self._alive.append(style)
            return index
        index = None
        if not style.is_empty():
            index = len(self.styles)
            self.styles.append(self._style(style, origin))
        self._index[style] = index
        self._by_id[id(style)] = index
        self._alive.append(style)
        return index

    def _style(self, s: layout.Style, origin: layout.Origin | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if s.font_family is not None:
            out["font"] = self.fonts.resolve(s.font_family, origin)
        if s.font_size is not None:
            out["size"] = font_size(s.font_size, origin)
        if s.font_weight is not None:
            out["weight"] = weight(s.font_weight, origin)
        if s.font_style is not None:
            key = s.font_style.strip().lower()
            if key not in ("normal", "italic", "oblique"):
                raise _bad("font style", s.font_style, origin)
            out["style"] = key
        if s.color is not None:
            out["fill"] = colour(s.color, "colour", origin)
        if s.background is not None and s.background.strip().lower() != "transparent":
            out["bg"] = colour(s.background, "background", origin)
        if s.line_height is not None:
            out["te"], out["be"] = line_edges(s.line_height, origin)
        if s.letter_spacing is not None and s.letter_spacing.strip().lower() != "normal":
            out["track"] = length(s.letter_spacing, "letter spacing", origin)
        if s.text_align is not None:
            key = s.text_align.strip().lower()
            if key not in ALIGNMENTS:
                raise _bad("alignment", s.text_align, origin)
            out["align"] = key
        if s.text_transform is not None:
            key = s.text_transform.strip().lower()
            cases = {"uppercase": "upper", "lowercase": "lower", "capitalize": "cap", "none": None}
            if key not in cases:
                raise _bad("text transform", s.text_transform, origin)
            if cases[key] is not None:
                out["case"] = cases[key]
        if s.text_decoration is not None:
            key = s.text_decoration.strip().lower()
            if key not in ("underline", "line-through", "none"):
                raise _bad("text decoration", s.text_decoration, origin)
            if key != "none":
                out["deco"] = key
        if s.space_before is not None:
            out["above"] = length(s.space_before, "space before", origin)
        if s.space_after is not None:
            out["below"] = length(s.space_after, "space after", origin)
        if s.padding is not None:
            out["inset"] = [length(p, "padding", origin) for p in s.padding]
        if s.border is not None:
            out["stroke"] = [self._border(b, origin) for b in s.border]
        if s.border_radius is not None:
            out["radius"] = length(s.border_radius, "border radius", origin)
        if s.width is not None and s.width.strip().lower() != "auto":
            out["width"] = length(s.width, "width", origin)
        if s.min_height is not None:
            out["minh"] = length(s.min_height, "minimum height", origin)
        return out

    @staticmethod
    def _border(border: layout.Border, origin: layout.Origin | None) -> dict[str, Any] | None:
        kind = border.style.strip().lower()
        if kind in ("none", "hidden"):
            return None
        width = length(border.width, "border width", origin)
        if width == 0.0:
            return None
        out: dict[str, Any] = {"w": width, "c": colour(border.color, "border colour", origin)}
        if kind in ("dashed", "dotted"):
            out["dash"] = kind
        elif kind not in ("solid", "double", "groove", "ridge", "inset", "outset"):
            raise _bad("border style", border.style, origin)
        return out

    def _with_style(self, out: dict[str, Any], style: layout.Style, origin: Any) -> dict[str, Any]:
        index = self.style(style, origin)
        if index is not None:
            out["s"] = index
        return out

    # -- inline

    def inlines(self, nodes: Iterable[layout.Inline]) -> list[Any]:
        out: list[Any] = []
        for node in nodes:
            item = self.inline(node)
            if isinstance(item, str) and out and isinstance(out[-1], str):
                out[-1] += item
            elif item != "":
                out.append(item)
        return out

    def inline_content(self, nodes: Iterable[layout.Inline]) -> Any:
        """Inline content: one string when it is plain text (the program places it directly)."""
        items = self.inlines(nodes)
        if len(items) == 1 and isinstance(items[0], str):
            return items[0]
        return items if items else ""

    def inline(self, node: layout.Inline) -> Any:
        if isinstance(node, layout.Text):
            return collapse(node.text)
        if isinstance(node, layout.Span):
            return self._with_style(
                {"k": "span", "c": self.inlines(node.children)}, node.style, node.origin
            )
        if isinstance(node, layout.Link):
            href = safe_link(node.href)
            children = self.inlines(node.children)
            if href is None:  # an unsafe target prints its text, without a link
                return {"k": "span", "c": children}
            return {"k": "a", "href": href, "c": children}
        if isinstance(node, layout.LineBreak):
            return {"k": "br"}
        if isinstance(node, layout.PageNumber):
            return {"k": "pn"}
        if isinstance(node, layout.PageCount):
            return {"k": "pc"}
        raise _bad("inline node", type(node).__name__, getattr(node, "origin", None))

    # -- blocks

    def blocks(self, nodes: Iterable[layout.Block]) -> list[dict[str, Any]]:
        return [self.block(node) for node in nodes]

    def block(self, node: layout.Block) -> dict[str, Any]:
        method = getattr(self, "block_" + type(node).__name__, None)
        if method is None:
            raise _bad("block node", type(node).__name__, getattr(node, "origin", None))
        result: dict[str, Any] = method(node)
        return result

    def block_Paragraph(self, node: layout.Paragraph) -> dict[str, Any]:
        return self._with_style(
            {"k": "p", "c": self.inline_content(node.children)}, node.style, node.origin
        )

    def block_Heading(self, node: layout.Heading) -> dict[str, Any]:
        out = {
            "k": "h",
            "level": min(max(node.level, 1), 6),
            "c": self.inline_content(node.children),
        }
        return self._with_style(out, node.style, node.origin)

    def block_List(self, node: layout.List) -> dict[str, Any]:
        marker = (node.marker or "").strip().lower()
        kind = "ol" if node.ordered else "ul"
        out: dict[str, Any] = {"k": kind, "items": [self.blocks(i.blocks) for i in node.items]}
        if node.ordered and marker in OL_MARKERS:
            out["m"] = OL_MARKERS[marker]
        elif not node.ordered and marker in UL_MARKERS:
            out["m"] = marker
        return self._with_style(out, node.style, node.origin)

    def block_Table(self, node: layout.Table) -> dict[str, Any]:
        """A table whose cells are mostly bare strings: Typst's evaluator is slow per operation,
        so everything a cell needs beyond its text (fill, borders, padding, alignment, text
        styles, all merged from the header, row, zebra and cell) is worked out here once per
        distinct combination, as a *cell format* in :attr:`formats`."""
        columns = [self._column(c, node) for c in node.columns]
        if columns and all(isinstance(c, float) for c in columns):
            # CSS fixed layout stretches declared widths to the table's 100 % width.
            columns = [{"fr": c if isinstance(c, float) else 1.0} for c in columns]
        aligns = []
        for column in node.columns:
            if column.align not in ALIGNMENTS:
                raise _bad("alignment", column.align, node.origin)
            aligns.append(column.align)
        out: dict[str, Any] = {
            "k": "t",
            "cols": columns or [{"fr": 1.0}],
            "al": aligns or ["left"],
            "head": [self._row(r, node, "head", None) for r in node.header],
            "body": [
                self._row(r, node, "body", node.zebra if i % 2 == 0 else None)
                for i, r in enumerate(node.body)
            ],
            "foot": [self._row(r, node, "foot", None) for r in node.footer],
            "repeat": node.repeat_header,
        }
        if node.zebra:
            out["zebra"] = colour(node.zebra, "zebra colour", node.origin)
        if all(isinstance(c, str) for row in out["body"] for c in row):
            out["plain"] = True  # the program can take the cells as they are
        if node.empty is not None and not node.body:
            out["empty"] = self.inline_content(node.empty)
        if node.caption:
            out["caption"] = collapse(node.caption)
        return self._with_style(out, node.style, node.origin)

    def _column(self, column: layout.Column, table: layout.Table) -> Any:
        if column.width is None or column.width.strip().lower() == "auto":
            return {"fr": 1.0}
        return length(column.width, "column width", table.origin)

    def _row(
        self, row: layout.Row, table: layout.Table, group: str, zebra: str | None
    ) -> list[Any]:
        cells = []
        position = 0
        group_style = table.header_style if group == "head" else None
        for cell in row.cells:
            column = table.columns[position] if position < len(table.columns) else None
            cells.append(self._cell(cell, column, row, group_style, zebra, group == "head"))
            position += max(cell.colspan, 1)
        return cells

    def _cell(
        self,
        cell: layout.Cell,
        column: layout.Column | None,
        row: layout.Row,
        group_style: layout.Style | None,
        zebra: str | None,
        head: bool,
    ) -> Any:
        column_align = column.align if column else "left"
        align = (cell.align or cell.style.text_align or column_align).strip()
        if align not in ALIGNMENTS:
            raise _bad("alignment", align, cell.origin)
        blocks = cell.blocks
        only = blocks[0] if len(blocks) == 1 else None
        content: Any = None
        plain_text = isinstance(only, layout.Paragraph) and self.style(only.style) is None
        if isinstance(only, layout.Paragraph) and plain_text:
            content = self.inline_content(only.children)
        # By identity first (the document keeps the styles alive while it is lowered).
        fast = (id(group_style), head, id(row.style), id(cell.style), zebra, align, column_align)
        fmt = self._formats_by_id.get(fast, -1)
        if fmt == -1:
            key = (group_style, head, row.style, cell.style, zebra, align, column_align)
            fmt = self._formats_index.get(key, -1)
            if fmt == -1:
                fmt = self._format(key, cell.origin or row.origin)
                self._formats_index[key] = fmt
            self._formats_by_id[fast] = fmt
        if fmt is None and cell.colspan <= 1 and isinstance(content, str):
            return content  # the common case: a bare string
        out: dict[str, Any] = {}
        if plain_text:
            out["c"] = content
        else:
            out["b"] = self.blocks(blocks)
        if fmt is not None:
            out["f"] = fmt
        if cell.colspan > 1:
            out["span"] = cell.colspan
        return out

    def _format(self, key: tuple[Any, ...], origin: layout.Origin | None) -> int | None:
        """The index of a cell format, or ``None`` when the cell needs none."""
        group_style, head, row_style, cell_style, zebra, align, column_align = key
        styles = [s for s in (group_style, row_style, cell_style) if s is not None]
        indices = [i for i in (self.style(s, origin) for s in styles) if i is not None]
        fmt: dict[str, Any] = {}
        fill = None
        for style in (group_style, row_style):
            if style is not None and style.background is not None:
                fill = style.background
        if zebra is not None:
            fill = None  # the table's fill function paints zebra rows (it beats row colours)
        if cell_style.background is not None:
            fill = cell_style.background
        if fill is not None and fill.strip().lower() != "transparent":
            fmt["fill"] = colour(fill, "background", origin)
        sides: list[Any] = [None, None, None, None]
        for style in styles:
            if style.border is not None:
                for i, border in enumerate(style.border):
                    stroke = self._border(border, origin)
                    if stroke is not None or border.style.strip().lower() in ("none", "hidden"):
                        sides[i] = stroke
        if any(side is not None for side in sides):
            fmt["stroke"] = sides
        if cell_style.padding is not None:
            fmt["inset"] = [length(p, "padding", origin) for p in cell_style.padding]
        if align != column_align:
            fmt["a"] = align
        if indices:
            fmt["ts"] = indices
        if head:
            fmt["head"] = True
        if not fmt:
            return None
        self.formats.append(fmt)
        return len(self.formats) - 1

    def block_Image(self, node: layout.Image) -> dict[str, Any]:
        try:
            self.check_image(node.src)
        except BackendError as exc:
            raise exc.with_origin(node.origin) from None
        out: dict[str, Any] = {"k": "img", "src": node.src, "alt": node.alt}
        if node.width:
            out["w"] = length(node.width, "image width", node.origin)
        if node.height:
            out["h"] = length(node.height, "image height", node.origin)
        if not node.width and not node.height:
            natural = self.natural_width(node.src)
            if natural is not None:
                out["w"] = _num(natural)
        return self._with_style(out, node.style, node.origin)

    def block_Graphic(self, node: layout.Graphic) -> dict[str, Any]:
        try:
            self.check_svg(node.svg, f"{node.kind} graphic")
        except BackendError as exc:
            raise exc.with_origin(node.origin) from None
        out = {
            "k": "g",
            "svg": node.svg,
            "alt": node.alt,
            "w": length(node.width, "graphic width", node.origin),
            "h": length(node.height, "graphic height", node.origin),
        }
        return self._with_style(out, node.style, node.origin)

    def block_Box(self, node: layout.Box) -> dict[str, Any]:
        out = {"k": "box", "b": self.blocks(node.blocks), "keep": node.keep_together}
        return self._with_style(out, node.style, node.origin)

    def block_Columns(self, node: layout.Columns) -> dict[str, Any]:
        widths = [
            node.widths[i] if i < len(node.widths) else None for i in range(len(node.columns))
        ]
        out = {
            "k": "cols",
            "cols": [self.blocks(c) for c in node.columns],
            "w": [
                None
                if w is None or w.strip().lower() == "auto"
                else length(w, "column width", node.origin)
                for w in widths
            ],
            "gap": length(node.gap, "gap", node.origin) if node.gap else 0.0,
        }
        return self._with_style(out, node.style, node.origin)

    def block_Spacer(self, node: layout.Spacer) -> dict[str, Any]:
        return {"k": "sp", "h": length(node.height, "spacer height", node.origin)}

    def block_Rule(self, node: layout.Rule) -> dict[str, Any]:
        out = {
            "k": "hr",
            "t": length(node.thickness, "rule thickness", node.origin),
            "c": colour(node.color, "rule colour", node.origin),
        }
        return self._with_style(out, node.style, node.origin)

    def block_PageBreak(self, node: layout.PageBreak) -> dict[str, Any]:
        return {"k": "pb"}

    def block_Editable(self, node: layout.Editable) -> dict[str, Any]:
        return {"k": "ed", "b": self.blocks(node.blocks)}

    # -- pages and documents

    def master(self, master: layout.PageMaster) -> dict[str, Any]:
        out: dict[str, Any] = {
            "width": absolute(master.width, "page width"),
            "height": absolute(master.height, "page height"),
            "margin": [absolute(m, "page margin") for m in master.margin],
            "header": self.blocks(master.header),
            "footer": self.blocks(master.footer),
        }
        if master.header_height:
            out["hh"] = absolute(master.header_height, "header height")
        if master.footer_height:
            out["fh"] = absolute(master.footer_height, "footer height")
        return out

    def record(self, document: layout.Document) -> dict[str, Any]:
        """One record's pages: its page masters (they may hold record data) and its body."""
        out = {"rest": self.master(document.rest), "body": self.blocks(document.body)}
        if document.first is not None:
            out["first"] = self.master(document.first)
        return out


def metadata(meta: layout.Metadata, *, dated: bool) -> dict[str, Any]:
    lang, region = language(meta.language or "")
    return {
        "title": meta.title,
        "author": [meta.author] if meta.author else [],
        "subject": meta.subject or None,
        "keywords": list(meta.keywords),
        "lang": lang,
        "region": region,
        "date": dated,
    }
