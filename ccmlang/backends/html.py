"""Layout tree to standalone HTML5 with CSS Paged Media (spec/backends.md, "HTML").

The same markup feeds the PDF backend (WeasyPrint), so the HTML preview and the PDF share one
layout source (ARCHITECTURE.md, "Backends"). :class:`HtmlBuilder` has one method per layout node
(``visit_Paragraph``…), so a third party can subclass it and override one node, then subclass
:class:`HtmlBackend` with ``builder_class`` set to theirs.

Safety: every text and attribute value is escaped with ``html.escape(quote=True)``; link targets
keep only ``http``, ``https``, ``mailto`` and ``tel`` (anything else becomes ``#``); lengths and
colours go through :func:`ccmlang.backends.css.value`. Graphics we drew (QR codes, charts) are
embedded as ``data:image/svg+xml`` images, never as inline markup: an SVG string can then never
break out into the page, browsers do not run scripts in ``<img>`` SVG, and WeasyPrint still draws
them as vectors.

Determinism: the output depends only on the tree and the options (no ids, no clock); attributes
are written in a fixed order.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote

from ccmlang import layout
from ccmlang.backends import css
from ccmlang.backends.base import (
    BackendError,
    NodeVisitor,
    RenderOptions,
    enforce_output_limit,
    safe_link,
)
from ccmlang.backends.inventory import Inventory, collect

if TYPE_CHECKING:
    from ccmlang.backends.fetch import SafeFetcher

DEFAULT_MAX_OUTPUT_BYTES = 50 * 1024 * 1024  # = Limits.max_output_bytes (spec/limits.md)

_EMPTY = css.EMPTY_STYLE
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def safe_href(href: str) -> str:
    """``href`` if its scheme is http, https, mailto or tel; otherwise ``"#"``."""
    return safe_link(href) or "#"


@lru_cache(maxsize=256)
def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _size_style(width: str | None, height: str | None) -> str:
    parts = []
    if width:
        parts.append(f"width: {css.value(width, 'width')}")
    if height:
        parts.append(f"height: {css.value(height, 'height')}")
    return "; ".join(parts)


class HtmlBuilder(NodeVisitor[str]):
    """One method per layout node; each returns the node's HTML."""

    def __init__(
        self,
        document: layout.Document,
        *,
        source_positions: bool = True,
        asset_url: Callable[[str], str] | None = None,
    ) -> None:
        self.document = document
        self.source_positions = source_positions
        self.asset_url = asset_url or (lambda src: quote(src, safe="/"))
        self.inventory = Inventory()
        """Styles, zebras, images and graphics met so far (the stylesheet and asset check use it)."""
        self._classes: dict[int, str] = {}
        self._cell_classes: dict[tuple[str | None, int, int, str], str] = {}
        self._positions: dict[int, str] = {}
        self._own_text = type(self).visit_Text is HtmlBuilder.visit_Text

    # -- helpers

    def style_classes(self, style: layout.Style) -> str:
        """The classes of ``style`` (:func:`css.style_classes`), recording it for the stylesheet.

        Builders that emit a style must get its classes here, or its CSS rule is missing."""
        key = id(style)
        found = self._classes.get(key)
        if found is None:
            self.inventory.add_style(style)
            found = self._classes[key] = css.style_classes(style)
        return found

    def attrs(
        self,
        node: object,
        classes: Iterable[str] = (),
        style: str = "",
        extra: Iterable[tuple[str, str]] = (),
    ) -> str:
        """`` class="…" style="…" k="v" data-src="…"`` in that order, every value escaped."""
        out = []
        names = " ".join(c for c in classes if c)
        if names:
            out.append(f' class="{esc(names)}"')
        if style:
            out.append(f' style="{esc(style)}"')
        for key, val in extra:
            out.append(f' {key}="{esc(val)}"')
        if self.source_positions:
            out.append(self.position(node))
        return "".join(out)

    def position(self, node: object) -> str:
        """`` data-src="file:line:column"`` for click-to-source, or ``""``; one string per origin
        (the rows of a table share theirs)."""
        origin = getattr(node, "origin", None)
        if origin is None:
            return ""
        key = id(origin)
        found = self._positions.get(key)
        if found is None:
            where = f"{origin.file}:{origin.line}:{origin.column}"
            found = self._positions[key] = f' data-src="{esc(where)}"'
        return found

    def inline(self, nodes: Iterable[layout.Inline]) -> str:
        return "".join(self.visit(n) for n in nodes)

    def blocks(self, nodes: Iterable[layout.Block]) -> str:
        return "".join(self.visit(n) + "\n" for n in nodes)

    # -- inline

    def visit_Text(self, node: layout.Text) -> str:
        return esc(node.text)

    def visit_Span(self, node: layout.Span) -> str:
        return f"<span{self.attrs(node, [self.style_classes(node.style)])}>{self.inline(node.children)}</span>"

    def visit_Link(self, node: layout.Link) -> str:
        href = safe_href(node.href)
        return f'<a href="{esc(href)}"{self.attrs(node)}>{self.inline(node.children)}</a>'

    def visit_LineBreak(self, node: layout.LineBreak) -> str:
        return "<br>"

    def visit_PageNumber(self, node: layout.PageNumber) -> str:
        return f"<span{self.attrs(node, ['ccm-page'])}></span>"

    def visit_PageCount(self, node: layout.PageCount) -> str:
        return f"<span{self.attrs(node, ['ccm-pages'])}></span>"

    # -- blocks

    def visit_Paragraph(self, node: layout.Paragraph) -> str:
        return f"<p{self.attrs(node, [self.style_classes(node.style)])}>{self.inline(node.children)}</p>"

    def visit_Heading(self, node: layout.Heading) -> str:
        tag = f"h{min(max(node.level, 1), 6)}"
        body = self.inline(node.children)
        return f"<{tag}{self.attrs(node, [self.style_classes(node.style)])}>{body}</{tag}>"

    def visit_List(self, node: layout.List) -> str:
        tag = "ol" if node.ordered else "ul"
        style = f"list-style-type: {css.value(node.marker, 'list marker')}" if node.marker else ""
        items = "".join(self.visit(item) for item in node.items)
        classes = ["ccm-list", self.style_classes(node.style)]
        return f"<{tag}{self.attrs(node, classes, style)}>{items}</{tag}>"

    def visit_ListItem(self, node: layout.ListItem) -> str:
        return f"<li{self.attrs(node)}>{self.blocks(node.blocks)}</li>"

    def visit_Table(self, node: layout.Table) -> str:
        classes = ["ccm-table"]
        if node.fixed_layout:
            classes.append("ccm-fixed")
        if node.zebra:
            self.inventory.zebras.add(node.zebra)
            classes.append(css.zebra_class(node.zebra))
        classes.append(self.style_classes(node.style))
        out = [f"<table{self.attrs(node, classes)}>"]
        if node.caption:
            out.append(f"<caption>{esc(node.caption)}</caption>")
        cols = "".join(
            f'<col style="{esc(_size_style(c.width, None))}">' if c.width else "<col>"
            for c in node.columns
        )
        out.append(f"<colgroup>{cols}</colgroup>\n")
        if node.header:
            head_classes = [] if node.repeat_header else ["ccm-no-repeat"]
            head_classes.append(self.style_classes(node.header_style))
            out.append(f"<thead{self.attrs(None, head_classes)}>")
            out.extend(self.render_row(row, node, "th", "") for row in node.header)
            out.append("</thead>\n")
        out.append("<tbody>")
        if node.body:
            for index, row in enumerate(node.body):
                odd = "ccm-odd" if node.zebra and index % 2 == 0 else ""
                out.append(self.render_row(row, node, "td", odd))
        elif node.empty is not None:
            span = max(len(node.columns), 1)
            out.append(
                f'<tr><td class="ccm-empty" colspan="{span}">{self.inline(node.empty)}</td></tr>\n'
            )
        out.append("</tbody>\n")
        if node.footer:
            out.append("<tfoot>")
            out.extend(self.render_row(row, node, "td", "") for row in node.footer)
            out.append("</tfoot>\n")
        out.append("</table>")
        return "".join(out)

    def render_row(self, row: layout.Row, table: layout.Table, tag: str, extra_class: str) -> str:
        cells = []
        column = 0
        for cell in row.cells:
            col = table.columns[column] if column < len(table.columns) else None
            cells.append(self.render_cell(cell, col, tag))
            column += max(cell.colspan, 1)
        classes = [extra_class, self.style_classes(row.style)]
        return f"<tr{self.attrs(row, classes)}>{''.join(cells)}</tr>\n"

    def render_cell(self, cell: layout.Cell, column: layout.Column | None, tag: str) -> str:
        # The per-record hot path: a statement has hundreds of cells sharing a few shapes, so
        # the opening tag's attributes are built once per (alignment, style, column, tag).
        key = (cell.align, id(cell.style), id(column), tag)
        opening = self._cell_classes.get(key)
        if opening is None:
            align = cell.align or cell.style.text_align or (column.align if column else "left")
            if align not in css.ALIGNMENTS:
                raise BackendError(f"unknown alignment {align!r}", code="E3008", origin=cell.origin)
            classes = f"ccm-a-{align} {self.style_classes(cell.style)}".rstrip()
            scope = ' scope="col"' if tag == "th" else ""
            opening = self._cell_classes[key] = f'<{tag} class="{esc(classes)}"{scope}'
        if cell.colspan > 1:
            opening += f' colspan="{cell.colspan}"'
        if self.source_positions:
            opening += self.position(cell)
        return f"{opening}>{self.cell_content(cell)}</{tag}>"

    def cell_content(self, cell: layout.Cell) -> str:
        """A cell holding one plain paragraph prints its text directly (no ``<p>`` margins)."""
        blocks = cell.blocks
        if len(blocks) == 1 and blocks[0].__class__ is layout.Paragraph:
            para = blocks[0]
            if para.style is _EMPTY or para.style == _EMPTY:
                children = para.children
                if len(children) == 1 and children[0].__class__ is layout.Text and self._own_text:
                    return esc(children[0].text)  # a printed value: most cells
                return self.inline(children)
        return self.blocks(blocks)

    def visit_Image(self, node: layout.Image) -> str:
        self.inventory.images.append(node)
        img = (
            f'<img src="{esc(self.asset_url(node.src))}" alt="{esc(node.alt)}"'
            f"{self.attrs(None, style=_size_style(node.width, node.height))}>"
        )
        classes = ["ccm-figure", self.style_classes(node.style)]
        return f"<figure{self.attrs(node, classes)}>{img}</figure>"

    def visit_Graphic(self, node: layout.Graphic) -> str:
        self.inventory.graphics.append(node)
        img = (
            f'<img src="{svg_data_uri(node.svg)}" alt="{esc(node.alt)}"'
            f"{self.attrs(None, style=_size_style(node.width, node.height))}>"
        )
        classes = ["ccm-graphic", self.style_classes(node.style)]
        kind = [("data-kind", node.kind)]
        return f"<figure{self.attrs(node, classes, extra=kind)}>{img}</figure>"

    def visit_Box(self, node: layout.Box) -> str:
        classes = [
            "ccm-box",
            "ccm-keep" if node.keep_together else "",
            self.style_classes(node.style),
        ]
        return f"<div{self.attrs(node, classes)}>\n{self.blocks(node.blocks)}</div>"

    def visit_Columns(self, node: layout.Columns) -> str:
        gap = css.value(node.gap, "gap") if node.gap else ""
        cols = []
        for index, blocks in enumerate(node.columns):
            width = node.widths[index] if index < len(node.widths) else None
            style = _size_style(width, None)
            if index and gap:
                style = f"{style}; padding-left: {gap}" if style else f"padding-left: {gap}"
            cols.append(
                f"<div{self.attrs(None, ['ccm-column'], style)}>\n{self.blocks(blocks)}</div>"
            )
        classes = ["ccm-columns", self.style_classes(node.style)]
        return f"<div{self.attrs(node, classes)}>{''.join(cols)}</div>"

    def visit_Spacer(self, node: layout.Spacer) -> str:
        return f"<div{self.attrs(node, ['ccm-spacer'], _size_style(None, node.height))}></div>"

    def visit_Rule(self, node: layout.Rule) -> str:
        line = f"border-top: {css.value(node.thickness)} solid {css.value(node.color)}"
        return f"<hr{self.attrs(node, ['ccm-rule', self.style_classes(node.style)], line)}>"

    def visit_PageBreak(self, node: layout.PageBreak) -> str:
        return f"<div{self.attrs(node, ['ccm-page-break'])}></div>"

    def visit_Editable(self, node: layout.Editable) -> str:
        extra = [("data-editable", node.name)]
        return f"<div{self.attrs(node, ['ccm-editable'], extra=extra)}>\n{self.blocks(node.blocks)}</div>"

    # -- document

    def running(self) -> str:
        """Page headers and footers as running elements, first in the body (spec: "Pages")."""
        doc = self.document
        out = []
        for part in ("header", "footer"):
            tag = part  # <header>, <footer>
            if doc.first is not None and getattr(doc.first, part):
                blocks = self.blocks(getattr(doc.first, part))
                out.append(f'<{tag} class="ccm-running ccm-{part}-first">\n{blocks}</{tag}>\n')
            if getattr(doc.rest, part):
                hidden = " ccm-screen-hidden" if doc.first is not None else ""
                blocks = self.blocks(getattr(doc.rest, part))
                out.append(
                    f'<{tag} class="ccm-running ccm-{part}-rest{hidden}">\n{blocks}</{tag}>\n'
                )
        return "".join(out)

    def head(self, stylesheet: str | None, options: RenderOptions) -> str:
        meta = self.document.metadata
        out = ['<meta charset="utf-8">', f"<title>{esc(meta.title)}</title>"]

        def add(name: str, content: str) -> None:
            if content:
                out.append(f'<meta name="{esc(name)}" content="{esc(content)}">')

        add("description", meta.subject)
        add("author", meta.author)
        add("keywords", ", ".join(k.replace(",", " ") for k in meta.keywords))
        add("generator", "ccmlang")
        add("ccm:template", meta.template)
        add("ccm:template-version", meta.template_version)
        for key, val in meta.index:
            add(f"ccm:index:{key}", val)
        when = options.utc_timestamp()
        if when is not None:
            stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            add("dcterms.created", stamp)
            add("dcterms.modified", stamp)
        if stylesheet is not None:
            if "</style" in stylesheet.lower():  # pragma: no cover - css.py escapes "<"
                raise BackendError("stylesheet would close its <style> element", code="E3008")
            out.append(f"<style>\n{stylesheet}</style>")
        return "\n".join(out) + "\n"

    def build(
        self, options: RenderOptions, stylesheet: Callable[[Inventory], str] | None = None
    ) -> str:
        """The whole page. The body is emitted first, recording the inventory, so
        ``stylesheet(inventory)`` knows every style without another walk of the tree."""
        lang = self.document.metadata.language
        lang = lang if _LANG.match(lang or "") else "und"
        running = self.running()
        body = self.blocks(self.document.body)
        head = self.head(None if stylesheet is None else stylesheet(self.inventory), options)
        return (
            f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n'
            f"{head}</head>\n<body>\n"
            f"{running}"
            f'<main class="ccm-body">\n{body}</main>\n'
            "</body>\n</html>\n"
        )


def build_html(
    document: layout.Document,
    options: RenderOptions,
    *,
    embed_css: bool = True,
    builder_class: type[HtmlBuilder] = HtmlBuilder,
    fetcher: SafeFetcher | None = None,
) -> str:
    """The document's HTML. ``embed_css=False`` leaves the stylesheet out (the PDF backend passes
    the cached parsed one); ``fetcher`` given inlines images and fonts as ``data:`` URIs."""
    return build_html_and_inventory(
        document, options, embed_css=embed_css, builder_class=builder_class, fetcher=fetcher
    )[0]


def build_html_and_inventory(
    document: layout.Document,
    options: RenderOptions,
    *,
    embed_css: bool = True,
    builder_class: type[HtmlBuilder] = HtmlBuilder,
    fetcher: SafeFetcher | None = None,
) -> tuple[str, Inventory]:
    """:func:`build_html` and what the document uses (styles, zebras, images, graphics).

    Our own builder records the inventory as it emits; a third party's builder may override a
    method without recording, so for any other class the tree is walked to be sure."""
    asset_url = None
    font_src = None
    if fetcher is not None:
        loader = fetcher

        def asset_url(src: str) -> str:
            return _inlined(loader, src)

        def font_src(face: layout.FontFace) -> str:
            return asset_url(face.src)

    builder = builder_class(
        document, source_positions=options.source_positions, asset_url=asset_url
    )
    recorded = builder_class is HtmlBuilder
    found: Inventory | None = None

    def stylesheet(seen: Inventory) -> str:
        nonlocal found
        found = seen if recorded else collect(document)
        return css.stylesheet_for(document, font_src, found)

    text = builder.build(options, stylesheet if embed_css else None)
    if found is None:
        found = builder.inventory if recorded else collect(document)
    return text, found


_INLINED: dict[tuple[str, int, int], str] = {}
_INLINED_MAX = 256


def _inlined(fetcher: SafeFetcher, src: str) -> str:
    """``src`` as a ``data:`` URI, remembered per file version: a batch of standalone HTML files
    base64-encodes the brand fonts and logo once, not once per record (about 70 ms each)."""
    path = fetcher.resolve(src)  # refuses anything outside the project, every time
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    uri = _INLINED.get(key)
    if uri is None:
        asset = fetcher.load(quote(src, safe="/"))
        uri = f"data:{asset.media_type};base64," + base64.b64encode(asset.data).decode()
        if len(_INLINED) >= _INLINED_MAX:
            _INLINED.clear()
        _INLINED[key] = uri
    return uri


@lru_cache(maxsize=16)
def _fetcher_for(project_root: str, max_image_pixels: int | None) -> SafeFetcher:
    """One fetcher per project and pixel limit: the HTML backend only checks and inlines files
    through it (it keeps no per-render state), and building one costs a urllib opener (~0.5 ms
    a record)."""
    from ccmlang.backends.fetch import DEFAULT_MAX_IMAGE_PIXELS, make_fetcher

    return make_fetcher(project_root, max_image_pixels=max_image_pixels or DEFAULT_MAX_IMAGE_PIXELS)


class HtmlBackend:
    """``ccm render --to html``: one standalone HTML file with its CSS embedded."""

    name = "html"
    media_type = "text/html; charset=utf-8"
    extension = "html"
    builder_class: type[HtmlBuilder] = HtmlBuilder

    def __init__(self, *, max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES) -> None:
        self.max_output_bytes = max_output_bytes

    def render(self, document: layout.Document, options: RenderOptions) -> bytes:
        # Imported here: the fetcher builds on WeasyPrint, which HTML output does not otherwise
        # need (``ccm render --to html`` works on a machine without Pango).
        from ccmlang.backends.fetch import check_document_assets

        root, pixels = document.project_root, options.max_image_pixels
        fetcher = _fetcher_for(root, pixels) if root else None
        inline = fetcher if options.inline_assets else None
        if inline is not None:  # assets are read while emitting: check them first
            check_document_assets(document, inline)
        text, found = build_html_and_inventory(
            document, options, embed_css=True, builder_class=self.builder_class, fetcher=inline
        )
        if fetcher is not None and inline is None:
            check_document_assets(document, fetcher, found)
        return enforce_output_limit(text.encode("utf-8"), options, self.max_output_bytes, "HTML")
