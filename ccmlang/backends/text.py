"""Layout tree to plain text, for SMS and the text part of email (spec/backends.md, "Text").

Rules: headings underlined (``=`` for level 1, ``-`` below); paragraphs wrapped at 72 columns
(``textwrap``; ``--option text.width=N`` changes it); lists with ``- `` or ``1. `` and hanging
indents; tables as aligned columns (right-aligned where the column says so); images and graphics
as ``[alt]``; links as ``text <href>`` (unsafe targets dropped); a page break is a blank line.
Page headers and footers are left out: a text message has no pages. Blocks are separated by one
blank line. Output is deterministic UTF-8 ending in a newline.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from ccmlang import layout
from ccmlang.backends.base import NodeVisitor, RenderOptions, safe_link

DEFAULT_WIDTH = 72
_NO_WRAP = 10**9


def _roman(number: int) -> str:
    values = (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    )  # fmt: skip
    out = []
    for value, letters in values:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _alpha(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def list_marker(ordered: bool, marker: str | None, number: int) -> str:
    """The prefix of list item ``number`` (1-based): ``"- "``, ``"3. "``, ``"c. "``…"""
    kind = marker or ("decimal" if ordered else "disc")
    if kind == "none":
        return ""
    if kind in ("decimal", "decimal-leading-zero"):
        return f"{number}. "
    if kind in ("lower-alpha", "lower-latin"):
        return f"{_alpha(number)}. "
    if kind in ("upper-alpha", "upper-latin"):
        return f"{_alpha(number).upper()}. "
    if kind == "lower-roman":
        return f"{_roman(number)}. "
    if kind == "upper-roman":
        return f"{_roman(number).upper()}. "
    return f"{number}. " if ordered else "- "


class InlineText(NodeVisitor[str]):
    """Inline nodes to a string; ``LineBreak`` is ``"\\n"``."""

    def visit_Text(self, node: layout.Text) -> str:
        return node.text

    def visit_Span(self, node: layout.Span) -> str:
        return self.join(node.children)

    def visit_Link(self, node: layout.Link) -> str:
        text = self.join(node.children)
        href = safe_link(node.href)
        if href is None:
            return text
        shown = href.removeprefix("mailto:").removeprefix("tel:")
        if not text.strip() or text.strip() in (href, shown):
            return href if not text.strip() else text
        return f"{text} <{href}>"

    def visit_LineBreak(self, node: layout.LineBreak) -> str:
        return "\n"

    def visit_PageNumber(self, node: layout.PageNumber) -> str:
        return ""

    def visit_PageCount(self, node: layout.PageCount) -> str:
        return ""

    def join(self, nodes: Iterable[layout.Inline]) -> str:
        return "".join(self.visit(n) for n in nodes)


class TextBuilder(NodeVisitor[list[str]]):
    """Block nodes to lines (without trailing newlines)."""

    inline_class: type[InlineText] = InlineText

    def __init__(self, width: int = DEFAULT_WIDTH) -> None:
        self.width = width
        self.inline = self.inline_class()

    @contextmanager
    def narrower(self, by: int) -> Iterator[None]:
        saved = self.width
        self.width = max(saved - by, 20) if saved < _NO_WRAP else saved
        try:
            yield
        finally:
            self.width = saved

    def wrap(self, text: str) -> list[str]:
        lines: list[str] = []
        for segment in text.split("\n"):
            segment = " ".join(segment.split())
            if not segment:
                lines.append("")
                continue
            lines.extend(
                textwrap.wrap(segment, self.width, break_long_words=False, break_on_hyphens=False)
            )
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def blocks(self, nodes: Iterable[layout.Block], separator: bool = True) -> list[str]:
        out: list[str] = []
        for node in nodes:
            lines = self.visit(node)
            if not lines:
                continue
            if out and separator and out[-1]:
                out.append("")
            out.extend(lines)
        return out

    # -- blocks

    def visit_Paragraph(self, node: layout.Paragraph) -> list[str]:
        return self.wrap(self.inline.join(node.children))

    def visit_Heading(self, node: layout.Heading) -> list[str]:
        lines = self.wrap(self.inline.join(node.children).replace("\n", " "))
        if not lines:
            return []
        underline = "=" if node.level <= 1 else "-"
        return [*lines, underline * max(len(line) for line in lines)]

    def visit_List(self, node: layout.List) -> list[str]:
        out: list[str] = []
        for number, item in enumerate(node.items, start=1):
            prefix = list_marker(node.ordered, node.marker, number)
            with self.narrower(len(prefix)):
                lines = self.visit(item)
            if not lines:
                lines = [""]
            out.append((prefix + lines[0]).rstrip())
            out.extend((" " * len(prefix) + line).rstrip() for line in lines[1:])
        return out

    def visit_ListItem(self, node: layout.ListItem) -> list[str]:
        return self.blocks(node.blocks, separator=False)

    def cell_text(self, cell: layout.Cell) -> str:
        saved, self.width = self.width, _NO_WRAP
        try:
            lines = self.blocks(cell.blocks, separator=False)
        finally:
            self.width = saved
        return " ".join(line.strip() for line in lines if line.strip())

    def visit_Table(self, node: layout.Table) -> list[str]:
        ncols = max(len(node.columns), 1)
        rows: list[tuple[str, list[tuple[str, int, str]]]] = []

        def add(kind: str, row: layout.Row) -> None:
            cells, column = [], 0
            for cell in row.cells:
                col = node.columns[column] if column < len(node.columns) else None
                align = cell.align or cell.style.text_align or (col.align if col else "left")
                span = max(cell.colspan, 1)
                cells.append((self.cell_text(cell), span, align))
                column += span
            rows.append((kind, cells))

        for row in node.header:
            add("head", row)
        for row in node.body:
            add("body", row)
        for row in node.footer:
            add("foot", row)
        widths = [0] * ncols
        for _, cells in rows:
            column = 0
            for text, span, _align in cells:
                if span == 1 and column < ncols:
                    widths[column] = max(widths[column], len(text))
                column += span
        out: list[str] = []
        if node.caption:
            out.append(node.caption)
        rule = "  ".join("-" * w for w in widths).rstrip()
        previous = None
        for kind, cells in rows:
            if (previous == "head" and kind != "head") or (kind == "foot" and previous != "foot"):
                out.append(rule)
            out.append(self._table_line(cells, widths))
            previous = kind
        if not node.body and node.empty is not None:
            if previous == "head":
                out.append(rule)
            out.extend(self.wrap(self.inline.join(node.empty)))
        return out

    @staticmethod
    def _table_line(cells: Sequence[tuple[str, int, str]], widths: Sequence[int]) -> str:
        parts, column = [], 0
        for text, span, align in cells:
            width = sum(widths[column : column + span]) + 2 * (
                len(widths[column : column + span]) - 1
            )
            if align == "right":
                parts.append(text.rjust(width))
            elif align == "center":
                parts.append(text.center(width))
            else:
                parts.append(text.ljust(width))
            column += span
        return "  ".join(parts).rstrip()

    def visit_Image(self, node: layout.Image) -> list[str]:
        return [f"[{node.alt or 'image'}]"]

    def visit_Graphic(self, node: layout.Graphic) -> list[str]:
        return [f"[{node.alt or node.kind}]"]

    def visit_Box(self, node: layout.Box) -> list[str]:
        return self.blocks(node.blocks)

    def visit_Editable(self, node: layout.Editable) -> list[str]:
        return self.blocks(node.blocks)

    def visit_Columns(self, node: layout.Columns) -> list[str]:
        return self.blocks(block for column in node.columns for block in column)

    def visit_Spacer(self, node: layout.Spacer) -> list[str]:
        return []

    def visit_Rule(self, node: layout.Rule) -> list[str]:
        return ["-" * min(self.width, DEFAULT_WIDTH)]

    def visit_PageBreak(self, node: layout.PageBreak) -> list[str]:
        return [""]

    def visit_Document(self, node: layout.Document) -> list[str]:
        return self.blocks(node.body)


class TextBackend:
    """``ccm render --to text``."""

    name = "text"
    media_type = "text/plain; charset=utf-8"
    extension = "txt"
    builder_class: type[TextBuilder] = TextBuilder

    def render(self, document: layout.Document, options: RenderOptions) -> bytes:
        width = int(options.extra.get("text.width", DEFAULT_WIDTH))
        lines = self.builder_class(width).visit(document)
        return ("\n".join(line.rstrip() for line in lines) + "\n").encode("utf-8")
