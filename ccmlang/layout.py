"""The layout tree: the contract between the language and every backend (spec/layout-tree.md).

``Template.render(data)`` produces a :class:`Document`; backends turn it into bytes and never see
the AST or the data. Nodes are frozen, slotted dataclasses. Every node carries a :class:`Origin`
(file, line, column of the construct that produced it) so the preview can jump back to the source.

All values are final: text is already interpolated and formatted, styles are flattened (no
inheritance left), lengths are CSS length strings (``"25mm"``), colours ``"#rrggbb"``.
Serialise with :func:`to_json` (``ccm render --to tree``).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

# ---------------------------------------------------------------- shared values


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a node came from: template file (relative to the project), 1-based line and column."""

    file: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Style:
    """Resolved style properties. ``None`` means "inherit from the parent".

    ``name`` is the style's qualified name (``brand.warning``), used as a CSS class; the
    properties are already flattened through ``extends`` so backends need no style lookup.
    """

    name: str | None = None
    font_family: str | None = None
    font_size: str | None = None
    font_weight: str | None = None  # "normal" | "bold" | "100".."900"
    font_style: str | None = None  # "normal" | "italic"
    color: str | None = None
    background: str | None = None
    line_height: str | None = None  # "1.3" or a length
    letter_spacing: str | None = None
    text_align: str | None = None  # "left" | "right" | "center" | "justify"
    text_transform: str | None = None  # "uppercase" | "lowercase" | "capitalize"
    text_decoration: str | None = None  # "underline" | "line-through"
    space_before: str | None = None
    space_after: str | None = None
    padding: tuple[str, str, str, str] | None = None  # top right bottom left
    border: tuple[Border, Border, Border, Border] | None = None  # top right bottom left
    border_radius: str | None = None
    width: str | None = None
    min_height: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in dataclasses.fields(self))


@dataclass(frozen=True, slots=True)
class Border:
    width: str
    color: str
    style: str = "solid"  # "solid" | "dashed" | "dotted" | "none"


@dataclass(frozen=True, slots=True)
class FontFace:
    """A font file shipped with the template project; ``src`` is relative to the project root."""

    family: str
    src: str
    weight: str = "normal"
    style: str = "normal"


# ---------------------------------------------------------------- inline content


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """Styled inline run: ``bold``, ``italic`` and ``span style: x`` all become this."""

    children: tuple[Inline, ...]
    style: Style
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    children: tuple[Inline, ...]
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class LineBreak:
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class PageNumber:
    """The current page number; only inside page headers and footers."""

    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class PageCount:
    """The total number of pages of this document; only inside page headers and footers."""

    origin: Origin | None = None


Inline: TypeAlias = Text | Span | Link | LineBreak | PageNumber | PageCount

# ---------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Paragraph:
    children: tuple[Inline, ...]
    style: Style
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1..6
    children: tuple[Inline, ...]
    style: Style
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class ListItem:
    blocks: tuple[Block, ...]
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class List:
    ordered: bool
    items: tuple[ListItem, ...]
    style: Style
    marker: str | None = None  # "disc" | "decimal" | "lower-alpha" | "none" …
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Column:
    width: str | None  # None: share the remaining width
    align: str  # "left" | "right" | "center"


@dataclass(frozen=True, slots=True)
class Cell:
    blocks: tuple[Block, ...]
    style: Style
    colspan: int = 1
    align: str | None = None  # overrides the column's alignment
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    style: Style
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """Header rows repeat on every page when ``repeat_header``; ``zebra`` shades odd body rows.

    When the body is empty and ``empty`` is set, backends print ``empty`` in one full-width row.
    """

    columns: tuple[Column, ...]
    header: tuple[Row, ...]
    body: tuple[Row, ...]
    footer: tuple[Row, ...]
    style: Style
    header_style: Style
    repeat_header: bool = True
    zebra: str | None = None  # colour of shaded rows
    empty: tuple[Inline, ...] | None = None
    caption: str | None = None
    origin: Origin | None = None

    @property
    def fixed_layout(self) -> bool:
        """Every column width declared: backends may use fixed table layout (much faster)."""
        return all(c.width is not None for c in self.columns)


@dataclass(frozen=True, slots=True)
class Image:
    """A raster or SVG image; ``src`` is relative to the project root (never a URL)."""

    src: str
    alt: str
    width: str | None
    height: str | None
    style: Style
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Graphic:
    """Vector graphics we drew ourselves (barcodes, QR codes, charts) as a standalone SVG.

    ``kind`` says what it is (``"qr"``, ``"epc-qr"``, ``"code128"``, ``"datamatrix"``,
    ``"chart-bar"``…); ``data`` is the encoded payload for barcodes (for tests and accessibility).
    """

    kind: str
    svg: str
    alt: str
    width: str
    height: str
    style: Style
    data: str = ""
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Box:
    """A panel: bordered or shaded group of blocks."""

    blocks: tuple[Block, ...]
    style: Style
    keep_together: bool = False
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Columns:
    """Side-by-side columns (not text flow): each entry is one column's blocks."""

    columns: tuple[tuple[Block, ...], ...]
    widths: tuple[str | None, ...]
    gap: str
    style: Style
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Spacer:
    height: str
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    thickness: str
    color: str
    style: Style
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class PageBreak:
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Editable:
    """A named region an agent may replace (ad-hoc authoring); renders its default content."""

    name: str
    blocks: tuple[Block, ...]
    origin: Origin | None = None


Block: TypeAlias = (
    Paragraph
    | Heading
    | List
    | Table
    | Image
    | Graphic
    | Box
    | Columns
    | Spacer
    | Rule
    | PageBreak
    | Editable
)

# ---------------------------------------------------------------- document


@dataclass(frozen=True, slots=True)
class PageMaster:
    """One page variant: ``first`` applies to page 1 only, ``rest`` to every other page."""

    width: str
    height: str
    margin: tuple[str, str, str, str]  # top right bottom left
    header: tuple[Block, ...] = ()
    footer: tuple[Block, ...] = ()
    header_height: str | None = None
    footer_height: str | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str = ""
    subject: str = ""
    author: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "en"
    index: tuple[tuple[str, str], ...] = ()
    """Named archive index fields (``customer`` → ``C-1001``), in declaration order."""
    template: str = ""
    template_version: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    metadata: Metadata
    rest: PageMaster
    first: PageMaster | None
    body: tuple[Block, ...]
    base_style: Style
    fonts: tuple[FontFace, ...] = ()
    project_root: str = field(default="", compare=False)
    """Absolute path of the template project; backends resolve ``Image.src`` and fonts against it."""


Node: TypeAlias = Document | PageMaster | Block | Inline | ListItem | Row | Cell

# ---------------------------------------------------------------- JSON


def to_data(node: Any) -> Any:
    """Plain JSON-ready data: each node becomes ``{"node": "Paragraph", ...fields}``."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        out: dict[str, Any] = {"node": type(node).__name__}
        for f in dataclasses.fields(node):
            if f.name == "project_root":
                continue
            value = getattr(node, f.name)
            if value is None or value == () or (isinstance(value, Style) and value.is_empty()):
                continue
            out[f.name] = to_data(value)
        return out
    if isinstance(node, tuple | list):
        return [to_data(v) for v in node]
    return node


def to_json(document: Document) -> str:
    """Deterministic JSON (sorted keys, two-space indent, trailing newline)."""
    return json.dumps(to_data(document), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


Alignment = Literal["left", "right", "center", "justify"]


# ---------------------------------------------------------------- fast constructors
#
# A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (about 1.6 µs
# for a Cell). A statement makes some 1,300 Text/Paragraph/Cell/Row nodes per record, so the
# evaluator's table loop builds them through the slots' own descriptors instead (about 0.5 µs):
# the result is the same frozen, hashable, equal object the constructor makes (tests check).

_new = object.__new__


def _setters(cls: type, *names: str) -> tuple[Any, ...]:
    """The slot descriptors' ``__set__`` of ``cls``'s fields ``names``, in that order."""
    return tuple(cls.__dict__[name].__set__ for name in names)


_TEXT_SET = _setters(Text, "text", "origin")
_PARAGRAPH_SET = _setters(Paragraph, "children", "style", "origin")
_CELL_SET = _setters(Cell, "blocks", "style", "colspan", "align", "origin")
_ROW_SET = _setters(Row, "cells", "style", "origin")


def make_text(text: str, origin: Origin | None) -> Text:
    node = _new(Text)
    set_text, set_origin = _TEXT_SET
    set_text(node, text)
    set_origin(node, origin)
    return node


def make_paragraph(children: tuple[Inline, ...], style: Style, origin: Origin | None) -> Paragraph:
    node = _new(Paragraph)
    set_children, set_style, set_origin = _PARAGRAPH_SET
    set_children(node, children)
    set_style(node, style)
    set_origin(node, origin)
    return node


def make_cell(blocks: tuple[Block, ...], style: Style, origin: Origin | None) -> Cell:
    """A cell spanning one column, aligned by its column."""
    node = _new(Cell)
    set_blocks, set_style, set_colspan, set_align, set_origin = _CELL_SET
    set_blocks(node, blocks)
    set_style(node, style)
    set_colspan(node, 1)
    set_align(node, None)
    set_origin(node, origin)
    return node


def make_row(cells: tuple[Cell, ...], style: Style, origin: Origin | None) -> Row:
    node = _new(Row)
    set_cells, set_style, set_origin = _ROW_SET
    set_cells(node, cells)
    set_style(node, style)
    set_origin(node, origin)
    return node
