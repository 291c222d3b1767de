"""Layout tree to XSL-FO 1.1 (spec/backends-fo.md), for Apache FOP, Antenna House, RenderX.

``ccm render --to fo``. Print shops and existing CCM installations run XSL-FO formatters; this
backend feeds them from the same layout tree as the HTML and PDF backends. The FO is built with
lxml (:class:`FoBuilder`, one method per layout node, so a third party can subclass it and
override one node) and mirrors the HTML backend's CSS, including the browser defaults WeasyPrint
applies (``p`` and heading margins, list indents, ``td`` padding), so that Apache FOP and
WeasyPrint paginate the same document the same way; the tests check page counts and text.

The page model (XSL 1.1 §6.4): a ``first`` and a ``rest`` ``fo:simple-page-master`` chosen by a
``fo:page-sequence-master`` (``page-position="first"``/``"rest"``); headers and footers are
``fo:static-content`` for region names of their own master; "Page X of Y" is
``fo:page-number`` and a ``fo:page-number-citation`` of an empty block that ends the flow.

Safety: SVG (image assets and our own graphics) is parsed with :func:`ccmlang.safexml.parse_xml`
and inlined as ``fo:instream-foreign-object``, so the formatter never parses an SVG file itself;
raster images are checked by the asset fetcher and referenced relative to the project root.
Links keep only http, https, mailto and tel.

Determinism: the output depends only on the tree and the options. Attributes are written in a
fixed order, the only ids are ``ccm-last`` and heading ids numbered in document order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from lxml import etree

from ccmlang import layout
from ccmlang.backends import fo_props as props
from ccmlang.backends.base import BackendError, NodeVisitor, RenderOptions, enforce_output_limit
from ccmlang.backends.fetch import (
    DEFAULT_MAX_IMAGE_PIXELS,
    SafeFetcher,
    check_document_assets,
    make_fetcher,
)
from ccmlang.backends.fo_assets import FoAssets, content_size, graphic_svg
from ccmlang.backends.fo_meta import XML_LANG, Bookmark, bookmark_tree, declarations, language
from ccmlang.backends.fo_props import FO, FO_NS, FOX, FOX_NS, Props, fo, merged
from ccmlang.backends.fo_space import doubled, hoist_space, resolve_em, retain_edges, retain_space
from ccmlang.backends.fo_text import (
    BULLET_NAMES,
    BULLETS,
    Inline,
    append_inline,
    clean,
    has_linebreak,
    marker_text,
    plain_text,
    plain_text_blocks,
)
from ccmlang.backends.html import DEFAULT_MAX_OUTPUT_BYTES, safe_href

LAST_ID = "ccm-last"
LINK_COLOR = "#0000ff"
"""CSS ``:link { color: blue }`` from the browser stylesheet WeasyPrint applies."""
CELL_PADDING = "0.75pt"
"""Browser default ``td, th { padding: 1px }``."""
LIST_INDENT = "30pt"
"""Browser default ``ul, ol { padding-left: 40px }``."""
HEADING_DEFAULTS = {
    1: ("2em", ".67em"),
    2: ("1.5em", ".83em"),
    3: ("1.17em", "1em"),
    4: ("1em", "1.33em"),
    5: (".83em", "1.67em"),
    6: (".67em", "2.33em"),
}
"""Browser default ``h1``…``h6`` font size and vertical margins (WeasyPrint's html5_ua.css)."""
KEEP = "1"
"""Keep strength for CSS ``break-*: avoid``. An integer, not ``always``: CSS ``avoid`` yields
when the content cannot fit on one page, and so does an integer keep in FOP, whereas
``always`` makes FOP push the whole content onto one page and let it overflow the page."""
IMAGE_URLS = ("relative", "absolute")
FIGURE: Props = (("font-size", "0pt"), ("line-height", "0pt"))
"""A figure holds one image and nothing else: no strut, so the block is exactly the image's
height, as ``img { display: block }`` is in the HTML backend."""

_SPACE = re.compile(r"[\t\n\r]")
_OUTSIDE = ("space-", "keep-", "break-", "id")
"""Properties of a block's outside: they stay on a wrapper (container, table)."""


def _box_width(style: layout.Style, index: int) -> str | None:
    """Padding plus border on one side (CSS order: 0 top, 1 right, 2 bottom, 3 left)."""
    parts = []
    if style.padding is not None:
        parts.append(style.padding[index])
    if style.border is not None and style.border[index].style != "none":
        parts.append(style.border[index].width)
    parts = [p for p in parts if props.length_pt(p) != 0]
    if not parts:
        return None
    total = props.length(parts[0])
    for part in parts[1:]:
        total = props.add_lengths(total, part)
    return total


def _dimensions(width: str | None, height: str | None) -> list[tuple[str, str]]:
    out = []
    if width:
        out.append(("content-width", width))
    if height:
        out.append(("content-height", height))
    return out


class FoBuilder(NodeVisitor[list[Any]]):
    """One method per layout node. Inline nodes return ``list[str | Element]``, blocks
    ``list[Element]`` (usually one)."""

    def __init__(
        self,
        document: layout.Document,
        fetcher: SafeFetcher,
        *,
        image_urls: str = "relative",
    ) -> None:
        self.document = document
        self.assets = FoAssets(fetcher, image_urls=image_urls)
        self.bookmarks: list[Bookmark] = []
        self._in_flow = False
        self._list_depth = 0

    # ------------------------------------------------------------ helpers

    def inline(self, nodes: Iterable[layout.Inline]) -> list[Inline]:
        out: list[Inline] = []
        for node in nodes:
            out.extend(self.visit(node))
        return out

    def text_block(self, attributes: Props, children: Sequence[layout.Inline]) -> etree._Element:
        """A ``fo:block`` of inline content. A trailing line break is dropped (it ends no line
        in CSS either); with line breaks inside, linefeeds are preserved (see visit_LineBreak)."""
        if children and isinstance(children[-1], layout.LineBreak):
            children = children[:-1]
        block = fo("block", attributes)
        if has_linebreak(children):
            block.set("linefeed-treatment", "preserve")
        append_inline(block, self.inline(children))
        return block

    def blocks(self, nodes: Iterable[layout.Block]) -> list[etree._Element]:
        """Blocks in order; a page break becomes ``break-before="page"`` on the next block
        (an empty block carries it when nothing follows, as the HTML ``div`` does)."""
        out: list[etree._Element] = []
        pending = False
        for node in nodes:
            if isinstance(node, layout.PageBreak):
                pending = True
                continue
            produced = self.visit(node)
            if pending and produced:
                produced[0].set("break-before", "page")
                retain_space(produced[0], "before")
                pending = False
            out.extend(produced)
        if pending:
            out.append(fo("block", [("break-before", "page")]))
        return out

    def block_list(self, nodes: Iterable[layout.Block]) -> list[etree._Element]:
        """Blocks for a context that needs at least one (cells, list items, regions)."""
        return self.blocks(nodes) or [fo("block")]

    def styled_block(
        self,
        style: layout.Style,
        defaults: Props = (),
        extra: Props = (),
        *,
        keep_together: bool = False,
    ) -> tuple[etree._Element, etree._Element]:
        """``(outer, inner)``: the element a block-level node becomes and the ``fo:block`` its
        content goes into. Usually one ``fo:block``; a width needs a ``fo:block-container``, a
        minimum height a one-cell table (FOP ignores ``block-progression-dimension.minimum``
        on block-containers but honours it on table rows)."""
        keep = (("keep-together.within-page", KEEP),) if keep_together else ()
        if style.min_height is None and style.width is None:
            block = fo("block", merged(defaults, props.block_props(style), extra, keep))
            return block, block
        outside = [(n, v) for n, v in (*defaults, *extra) if n.startswith(_OUTSIDE)]
        inside = [(n, v) for n, v in (*defaults, *extra) if not n.startswith(_OUTSIDE)]
        inner = fo(
            "block",
            merged(
                [("start-indent", "0pt"), ("end-indent", "0pt")],
                inside,
                props.text_props(style),
                props.align_props(style),
                props.decoration_props(style),
            ),
        )
        if style.min_height is not None:
            outer = self._min_height_box(style, merged(outside, keep), inner)
            return outer, inner
        # A block-container is a reference area: XSL would measure its indent from the region,
        # not from its parent block, so the inherited indent is added back explicitly.
        indents: list[tuple[str, str]] = []
        for side, index in (("start", 3), ("end", 1)):
            total = _box_width(style, index)
            if total is not None:
                indents.append(
                    (f"{side}-indent", f"inherited-property-value({side}-indent) + {total}")
                )
        outer = fo(
            "block-container",
            merged(
                props.container_props(style),
                indents,
                outside,
                props.space_props(style),
                props.box_props(style, indent_sides=False),
                props.background_props(style),
                keep,
            ),
        )
        outer.append(inner)
        return outer, inner

    def _min_height_box(
        self, style: layout.Style, outside: Props, inner: etree._Element
    ) -> etree._Element:
        """A box with a minimum height as a one-cell table. CSS sizes are content-box, a table
        row's height and column width include the cell's padding and borders: both are added."""
        width = "100%"
        if style.width is not None:
            width = props.length(style.width, "width")
            for index in (1, 3):
                extra = _box_width(style, index)
                if extra is not None:
                    width = props.add_lengths(width, extra)
        height = props.length(style.min_height or "0pt", "min height")
        for index in (0, 2):
            extra = _box_width(style, index)
            if extra is not None:
                height = props.add_lengths(height, extra)
        table = fo(
            "table",
            merged(
                [("table-layout", "fixed"), ("width", width), ("border-collapse", "separate")],
                outside,
                props.space_props(style),
            ),
        )
        table.append(fo("table-column", [("column-width", width)]))
        body = fo("table-body", [("start-indent", "0pt"), ("end-indent", "0pt")])
        row = fo("table-row", [("block-progression-dimension.minimum", height)])
        cell = fo(
            "table-cell",
            merged(
                props.box_props(style, indent_sides=False),
                props.background_props(style),
            ),
        )
        cell.append(inner)
        row.append(cell)
        body.append(row)
        table.append(body)
        return table

    # ------------------------------------------------------------ inline

    def visit_Text(self, node: layout.Text) -> list[Inline]:
        return [_SPACE.sub(" ", clean(node.text))]

    def visit_Span(self, node: layout.Span) -> list[Inline]:
        element = fo("inline", props.inline_props(node.style))
        append_inline(element, self.inline(node.children))
        return [element]

    def visit_Link(self, node: layout.Link) -> list[Inline]:
        style = (("color", LINK_COLOR), ("text-decoration", "underline"))
        href = safe_href(node.href)
        if href == "#":
            element = fo("inline", style)
        else:
            target = quote(clean(href), safe="/:?#[]@!$&*+,;=%~-._")
            element = fo("basic-link", (("external-destination", f"url('{target}')"), *style))
        append_inline(element, self.inline(node.children))
        return [element]

    def visit_LineBreak(self, node: layout.LineBreak) -> list[Inline]:
        """A preserved linefeed: unlike an empty ``fo:block``, two in a row leave an empty line,
        as two ``<br>`` do. :meth:`text_block` sets ``linefeed-treatment="preserve"``."""
        return ["\n"]

    def visit_PageNumber(self, node: layout.PageNumber) -> list[Inline]:
        return [fo("page-number")]

    def visit_PageCount(self, node: layout.PageCount) -> list[Inline]:
        return [fo("page-number-citation", [("ref-id", LAST_ID)])]

    # ------------------------------------------------------------ blocks

    def visit_Paragraph(self, node: layout.Paragraph) -> list[etree._Element]:
        defaults = (("space-before", "1em"), ("space-after", "1em"))
        outer, inner = self.styled_block(node.style, defaults)
        self._fill(inner, node.children)
        return [outer]

    def _fill(self, block: etree._Element, children: Sequence[layout.Inline]) -> None:
        content = self.text_block((), children)
        for name, value in content.attrib.items():
            block.set(name, value)
        append_inline(block, [content.text or "", *content])

    def visit_Heading(self, node: layout.Heading) -> list[etree._Element]:
        level = min(max(node.level, 1), 6)
        size, space = HEADING_DEFAULTS[level]
        defaults: Props = (
            ("font-size", size),
            ("font-weight", "bold"),
            ("space-before", space),
            ("space-after", space),
            ("keep-with-next.within-page", KEEP),
            ("keep-together.within-page", KEEP),
        )
        outer, inner = self.styled_block(node.style, defaults)
        if self._in_flow:
            ref = f"ccm-h{len(self.bookmarks) + 1}"
            outer.set("id", ref)
            self.bookmarks.append(Bookmark(level, plain_text(node.children), ref))
        self._fill(inner, node.children)
        return [outer]

    def visit_List(self, node: layout.List) -> list[etree._Element]:
        nested = self._list_depth > 0
        space = "0pt" if nested else "1em"
        defaults: Props = (
            ("space-before", space),
            ("space-after", space),
            ("provisional-distance-between-starts", LIST_INDENT),
            ("provisional-label-separation", "0.3em"),
            ("keep-with-previous.within-page", KEEP),
        )
        block = fo("list-block", merged(defaults, props.block_props(node.style)))
        marker = node.marker or (
            "decimal" if node.ordered else BULLET_NAMES[min(self._list_depth, 2)]
        )
        self._list_depth += 1
        try:
            for index, item in enumerate(node.items, start=1):
                block.append(self._list_item(item, marker_text(marker, index)))
        finally:
            self._list_depth -= 1
        if not len(block):  # fo:list-block needs an item: an empty list draws nothing
            return []
        return [block]

    def _list_item(self, item: layout.ListItem, marker: str) -> etree._Element:
        element = fo("list-item")
        label = fo("list-item-label", [("end-indent", "label-end()")])
        mark = fo("block", [("text-align", "end")])
        append_inline(mark, [marker])
        label.append(mark)
        body = fo("list-item-body", [("start-indent", "body-start()")])
        children = self.block_list(item.blocks)
        hoist_space(element, children)
        body.extend(children)
        element.extend([label, body])
        return element

    def visit_ListItem(self, node: layout.ListItem) -> list[etree._Element]:
        return [self._list_item(node, BULLETS[0])]

    # -- tables

    def visit_Table(self, node: layout.Table) -> list[etree._Element]:
        out: list[etree._Element] = []
        text = (*props.text_props(node.style), *props.decoration_props(node.style))
        if node.caption:
            caption = fo(
                "block",
                merged(text, [("text-align", "left"), ("keep-with-next.within-page", KEEP)]),
            )
            append_inline(caption, [clean(node.caption)])
            out.append(caption)
        attributes: list[tuple[str, str]] = [
            ("table-layout", "fixed"),
            ("width", "100%"),
            ("border-collapse", "collapse"),
        ]
        if node.header and not node.repeat_header:
            attributes.append(("table-omit-header-at-break", "true"))
        if node.footer:
            attributes.append(("table-omit-footer-at-break", "true"))
        table = fo(
            "table",
            merged(
                attributes,
                text,
                props.align_props(node.style),
                props.space_props(node.style),
                props.border_props(node.style),
                props.background_props(node.style),
            ),
        )
        for width in self._column_widths(node):
            table.append(fo("table-column", [("column-width", width)]))
        if node.header:
            head = fo("table-header", self._group_props(node.header_style))
            head.extend(self._row(row, node, header=True, odd=False) for row in node.header)
            table.append(head)
        if node.footer:
            foot = fo("table-footer", self._group_props(layout.Style()))
            foot.extend(self._row(row, node, header=False, odd=False) for row in node.footer)
            table.append(foot)
        body = fo("table-body", self._group_props(layout.Style()))
        if node.body:
            for index, row in enumerate(node.body):
                element = self._row(row, node, header=False, odd=index % 2 == 0)
                element.set("keep-together.within-page", KEEP)
                body.append(element)
        else:
            body.append(self._spanning_row(node))
        table.append(body)
        out.append(table)
        return out

    @staticmethod
    def _group_props(style: layout.Style) -> Props:
        """Row groups reset the indent: cells are reference areas, and an indent inherited
        from an enclosing padded box would otherwise be applied again inside every cell."""
        return merged(
            [("start-indent", "0pt"), ("end-indent", "0pt")],
            props.text_props(style),
            props.decoration_props(style),
            props.border_props(style),
            props.background_props(style),
        )

    def _column_widths(self, node: layout.Table) -> list[str]:
        """Declared widths as given; the others share the rest. CSS (WeasyPrint) lays out a
        table with undeclared columns automatically, by content; XSL-FO formatters (FOP) only
        do fixed layout, so those columns get proportions estimated from their longest text."""
        weights = [1] * len(node.columns)
        auto = [i for i, c in enumerate(node.columns) if c.width is None]
        if len(auto) > 1:
            for row in (*node.header, *node.body, *node.footer):
                column = 0
                for cell in row.cells:
                    span = max(cell.colspan, 1)
                    if span == 1 and column in auto:
                        text = " ".join(plain_text_blocks(cell.blocks).split())
                        weights[column] = max(weights[column], len(text))
                    column += span
        return [
            props.length(c.width, "column width")
            if c.width is not None
            else f"proportional-column-width({weights[i]})"
            for i, c in enumerate(node.columns)
        ] or ["proportional-column-width(1)"]

    def _row(
        self, row: layout.Row, table: layout.Table, *, header: bool, odd: bool
    ) -> etree._Element:
        element = fo(
            "table-row",
            merged(
                props.text_props(row.style),
                props.decoration_props(row.style),
                props.border_props(row.style),
                props.background_props(row.style),
            ),
        )
        column = 0
        for cell in row.cells:
            col = table.columns[column] if column < len(table.columns) else None
            zebra = table.zebra if odd and not header else None
            element.append(self._cell(cell, col, header=header, zebra=zebra))
            column += max(cell.colspan, 1)
        if not len(element):
            element.append(self._empty_cell(len(table.columns)))
        return element

    def _cell(
        self, cell: layout.Cell, column: layout.Column | None, *, header: bool, zebra: str | None
    ) -> etree._Element:
        align = cell.align or cell.style.text_align or (column.align if column else "left")
        attributes: list[tuple[str, str]] = []
        if cell.colspan > 1:
            attributes.append(("number-columns-spanned", str(cell.colspan)))
        padding = (("padding", CELL_PADDING),) if cell.style.padding is None else ()
        weight = (("font-weight", "bold"),) if header else ()
        background = (("background-color", props.color(zebra, "zebra colour")),) if zebra else ()
        element = fo(
            "table-cell",
            merged(
                attributes,
                padding,
                weight,
                props.text_props(cell.style),
                [("text-align", props.word("text-align", align))],
                props.decoration_props(cell.style),
                props.padding_props(cell.style),
                props.border_props(cell.style),
                props.background_props(cell.style),
                background,
            ),
        )
        element.extend(self._cell_content(cell))
        return element

    def _cell_content(self, cell: layout.Cell) -> list[etree._Element]:
        """A cell holding one plain paragraph prints its text directly (no paragraph spacing),
        as the HTML backend does."""
        if len(cell.blocks) == 1 and isinstance(cell.blocks[0], layout.Paragraph):
            paragraph = cell.blocks[0]
            if paragraph.style.is_empty():
                return [self.text_block((), paragraph.children)]
        children = self.block_list(cell.blocks)
        retain_edges(children)
        return children

    def _empty_cell(self, span: int, children: Sequence[layout.Inline] = ()) -> etree._Element:
        attributes = [("number-columns-spanned", str(span))] if span > 1 else []
        if children:
            attributes.append(("padding", CELL_PADDING))
        cell = fo("table-cell", attributes)
        cell.append(self.text_block((), children))
        return cell

    def _spanning_row(self, node: layout.Table) -> etree._Element:
        """The body of an empty table: the ``empty`` text across all columns, or nothing."""
        row = fo("table-row")
        row.append(self._empty_cell(max(len(node.columns), 1), node.empty or ()))
        return row

    # -- images and graphics

    def visit_Image(self, node: layout.Image) -> list[etree._Element]:
        figure, inner = self.styled_block(node.style, FIGURE)
        try:
            if self.assets.is_svg(node.src):
                svg, size = self.assets.svg(node.src)
                width, height = content_size(node.width, node.height, size)
                inner.append(self.foreign(svg, width, height, node.alt))
            else:
                url, size = self.assets.raster(node.src)
                width, height = content_size(node.width, node.height, size)
                attributes = [("src", f"url('{url}')"), *_dimensions(width, height)]
                # both sides given: <img> stretches; otherwise the ratio is kept
                scaling = "non-uniform" if node.width and node.height else "uniform"
                attributes.append(("scaling", scaling))
                if node.alt:
                    attributes.append((FOX + "alt-text", clean(node.alt)))
                inner.append(fo("external-graphic", attributes))
        except BackendError as exc:
            raise exc.with_origin(node.origin) from None
        return [figure]

    def foreign(
        self, svg: etree._Element, width: str | None, height: str | None, alt: str
    ) -> etree._Element:
        attributes = [*_dimensions(width, height), ("scaling", "uniform")]
        if alt:
            attributes.append((FOX + "alt-text", clean(alt)))
        holder = fo("instream-foreign-object", attributes)
        if svg.text is None and len(svg):
            svg.text = ""  # keep pretty-printing out of the SVG (text layout is whitespace-aware)
        holder.append(svg)
        return holder

    def visit_Graphic(self, node: layout.Graphic) -> list[etree._Element]:
        figure, inner = self.styled_block(node.style, FIGURE)
        try:
            svg = graphic_svg(node.svg, node.kind)
        except BackendError as exc:
            raise exc.with_origin(node.origin) from None
        width = props.length(node.width, "graphic width")
        height = props.length(node.height, "graphic height")
        inner.append(self.foreign(svg, width, height, node.alt))
        return [figure]

    # -- containers

    def visit_Box(self, node: layout.Box) -> list[etree._Element]:
        outer, inner = self.styled_block(node.style, keep_together=node.keep_together)
        children = self.blocks(node.blocks)
        if outer is not inner:
            # A container or table stands in for the box: CSS collapses the children's outer
            # margins through it unless padding or a border separates them; FOP would drop them.
            for side, index in (("before", 0), ("after", 2)):
                if _box_width(node.style, index) is None:
                    hoist_space(outer, children, (side,))
                elif children:
                    retain_space(children[0] if side == "before" else children[-1], side)
        inner.extend(children)
        if not len(inner) and inner.text is None:
            inner.text = ""
        return [outer]

    def visit_Columns(self, node: layout.Columns) -> list[etree._Element]:
        """A one-row table, as the HTML backend's ``display: table`` columns: the gap is
        padding before every column but the first, and a declared width includes it."""
        gap = props.length(node.gap, "gap") if node.gap else None
        table = fo(
            "table",
            merged(
                [
                    ("table-layout", "fixed"),
                    ("width", "100%"),
                    ("border-collapse", "separate"),
                ],
                props.text_props(node.style),
                props.align_props(node.style),
                props.decoration_props(node.style),
                props.space_props(node.style),
                props.border_props(node.style),
                props.background_props(node.style),
            ),
        )
        for index in range(len(node.columns)):
            width = node.widths[index] if index < len(node.widths) else None
            if width is None:
                value = "proportional-column-width(1)"
            elif index and gap:
                value = props.add_lengths(width, gap)
            else:
                value = props.length(width, "column width")
            table.append(fo("table-column", [("column-width", value)]))
        body = fo("table-body", [("start-indent", "0pt"), ("end-indent", "0pt")])
        row = fo("table-row")
        for index, blocks in enumerate(node.columns):
            padding = [("padding-start", gap)] if index and gap else []
            cell = fo("table-cell", padding)
            children = self.block_list(blocks)
            retain_edges(children)
            cell.extend(children)
            row.append(cell)
        if not len(row):
            return []
        body.append(row)
        table.append(body)
        return [table]

    def visit_Spacer(self, node: layout.Spacer) -> list[etree._Element]:
        container = fo(
            "block-container",
            [("block-progression-dimension", props.length(node.height, "spacer height"))],
        )
        container.append(fo("block"))
        return [container]

    def visit_Rule(self, node: layout.Rule) -> list[etree._Element]:
        line = (
            ("border-before-style", "solid"),
            ("border-before-width", props.length(node.thickness, "rule thickness")),
            ("border-before-color", props.color(node.color, "rule colour")),
        )
        block = fo("block", merged(props.block_props(node.style), line))
        return [block]

    def visit_PageBreak(self, node: layout.PageBreak) -> list[etree._Element]:
        return [fo("block", [("break-before", "page")])]

    def visit_Editable(self, node: layout.Editable) -> list[etree._Element]:
        return self.blocks(node.blocks)

    # ------------------------------------------------------------ document

    def build(self, options: RenderOptions) -> etree._Element:
        doc = self.document
        root = etree.Element(FO + "root", nsmap={"fo": FO_NS, "fox": FOX_NS})
        lang = language(doc.metadata)
        if lang:
            root.set(XML_LANG, lang)
        root.append(self.layout_master_set())
        root.append(declarations(doc.metadata, options))
        sequence = self.page_sequence()
        if self.bookmarks:
            root.append(bookmark_tree(self.bookmarks))
        root.append(sequence)
        return root

    def layout_master_set(self) -> etree._Element:
        doc = self.document
        masters = fo("layout-master-set")
        masters.append(self.page_master("rest", doc.rest))
        if doc.first is not None:
            masters.append(self.page_master("first", doc.first))
            sequence = fo("page-sequence-master", [("master-name", "ccm-pages")])
            alternatives = fo("repeatable-page-master-alternatives")
            for position in ("first", "rest"):
                alternatives.append(
                    fo(
                        "conditional-page-master-reference",
                        [("master-reference", f"ccm-{position}"), ("page-position", position)],
                    )
                )
            sequence.append(alternatives)
            masters.append(sequence)
        return masters

    def page_master(self, variant: str, master: layout.PageMaster) -> etree._Element:
        """Page margins as the CSS ``@page`` rule: headers sit in the top margin (the whole of
        it, centred vertically, or ``header_height`` below the margin, aligned to its top);
        footers mirror that at the bottom."""
        top, right, bottom, left = (props.length(m, "page margin") for m in master.margin)
        page_top = props.add_lengths(top, master.header_height) if master.header_height else top
        page_bottom = (
            props.add_lengths(bottom, master.footer_height) if master.footer_height else bottom
        )
        element = fo(
            "simple-page-master",
            [
                ("master-name", f"ccm-{variant}"),
                ("page-width", props.length(master.width, "page width")),
                ("page-height", props.length(master.height, "page height")),
                ("margin-top", "0pt"),
                ("margin-bottom", "0pt"),
                ("margin-left", left),
                ("margin-right", right),
            ],
        )
        element.append(
            fo(
                "region-body",
                [
                    ("region-name", "xsl-region-body"),
                    ("margin-top", page_top),
                    ("margin-bottom", page_bottom),
                ],
            )
        )
        if master.header:
            element.append(
                fo(
                    "region-before",
                    [
                        ("region-name", f"ccm-{variant}-before"),
                        ("extent", page_top),
                        ("display-align", "before" if master.header_height else "center"),
                    ],
                )
            )
        if master.footer:
            element.append(
                fo(
                    "region-after",
                    [
                        ("region-name", f"ccm-{variant}-after"),
                        ("extent", page_bottom),
                        ("display-align", "after" if master.footer_height else "center"),
                    ],
                )
            )
        return element

    def static_content(self, variant: str, part: str, master: layout.PageMaster) -> etree._Element:
        """A header or footer, placed as WeasyPrint places the CSS margin box.

        Without a height the box is the whole page margin and its content is centred; WeasyPrint
        centres the content *without* its outer margins and then offsets it by the first
        block's top margin, which a doubled, retained ``space-before`` reproduces. With a height
        the box sits inside the page margin (``margin-top: <top>`` for headers,
        ``margin-bottom: <bottom>`` for footers), its content aligned to the box's top or bottom.
        """
        region = f"ccm-{variant}-{'before' if part == 'header' else 'after'}"
        blocks = master.header if part == "header" else master.footer
        height = master.header_height if part == "header" else master.footer_height
        content = fo("static-content", [("flow-name", region)])
        children = self.block_list(blocks)
        if height is None:
            first = children[0]
            space = first.get("space-before")
            if space is not None:
                first.set("space-before", doubled(resolve_em(space, first)))
            retain_space(first, "before")
            content.extend(children)
            return content
        retain_space(children[0], "before")
        retain_space(children[-1], "after")
        top, _, bottom, _ = master.margin
        edge = (
            ("padding-before", props.length(top, "page margin"))
            if part == "header"
            else ("padding-after", props.length(bottom, "page margin"))
        )
        wrapper = fo("block", [edge])
        wrapper.extend(children)
        content.append(wrapper)
        return content

    def page_sequence(self) -> etree._Element:
        doc = self.document
        master = "ccm-pages" if doc.first is not None else "ccm-rest"
        base = doc.base_style
        family = base.font_family
        if family is None:
            family = doc.fonts[0].family if doc.fonts else "serif"
        inherited = merged(
            [("font-family", props.font_family(family))],
            props.text_props(base),
            props.align_props(base),
        )
        sequence = fo("page-sequence", [("master-reference", master), *inherited])
        for variant, page in (("first", doc.first), ("rest", doc.rest)):
            if page is None:
                continue
            if page.header:
                sequence.append(self.static_content(variant, "header", page))
            if page.footer:
                sequence.append(self.static_content(variant, "footer", page))
        flow = fo("flow", [("flow-name", "xsl-region-body")])
        self._in_flow = True
        try:
            body = self.blocks(doc.body)
        finally:
            self._in_flow = False
        if body:
            retain_space(body[0], "before")
        flow.extend(body)
        flow.append(fo("block", [("id", LAST_ID)]))
        sequence.append(flow)
        return sequence


def build_fo(
    document: layout.Document,
    options: RenderOptions,
    *,
    builder_class: type[FoBuilder] = FoBuilder,
    fetcher: SafeFetcher | None = None,
) -> bytes:
    """The document's XSL-FO, serialised deterministically (UTF-8, declaration, indented)."""
    fetcher = fetcher or make_fetcher(
        document.project_root or None,
        max_image_pixels=options.max_image_pixels or DEFAULT_MAX_IMAGE_PIXELS,
    )
    image_urls = options.extra.get("image-urls", "relative")
    if image_urls not in IMAGE_URLS:
        raise BackendError(
            f"option image-urls={image_urls!r}: expected one of {', '.join(IMAGE_URLS)}",
            code="E3008",
        )
    builder = builder_class(document, fetcher, image_urls=image_urls)
    root = builder.build(options)
    check_document_assets(document, fetcher)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class XslFoBackend:
    """``ccm render --to fo``: XSL-FO 1.1 for Apache FOP and other formatters.

    Options (``RenderOptions.extra``): ``image-urls=absolute`` writes raster images as absolute
    ``file:`` URIs, for running a formatter without the generated FOP configuration.
    """

    name = "fo"
    media_type = "application/xslfo+xml"
    extension = "fo"
    builder_class: type[FoBuilder] = FoBuilder

    def __init__(self, *, max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES) -> None:
        self.max_output_bytes = max_output_bytes

    def render(self, document: layout.Document, options: RenderOptions) -> bytes:
        data = build_fo(document, options, builder_class=self.builder_class)
        return enforce_output_limit(data, options, self.max_output_bytes, "XSL-FO")
