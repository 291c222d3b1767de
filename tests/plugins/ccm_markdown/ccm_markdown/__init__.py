"""A Markdown (GitHub-flavoured) backend for ccmlang: a third-party plugin, as spec/backends.md
describes one. Installed for real by tests/plugins/test_plugins.py; found through the entry point
``markdown = "ccm_markdown:MarkdownBackend"`` of the group ``ccmlang.backends``.

Page headers and footers are left out (as in the text backend); spacers and page breaks vanish.
"""

from __future__ import annotations

import re

from ccmlang import layout
from ccmlang.backends.base import NodeVisitor, RenderOptions, safe_link

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_BLOCK_START = re.compile(r"^(?:(\d+)([.)])|([-+=]))", re.MULTILINE)  # a list or heading marker
_ALIGN = {"left": ":---", "right": "---:", "center": ":---:"}


def escape(text: str) -> str:
    """Text as Markdown that reads back as the same text (``|`` too, for table cells)."""
    return _SPECIAL.sub(r"\\\1", text)


def _unmark(match: re.Match[str]) -> str:
    return f"{match[1]}\\{match[2]}" if match[1] else f"\\{match[3]}"


def url(target: str) -> str:
    return target.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


class MarkdownBuilder(NodeVisitor[str]):
    def blocks(self, blocks: tuple[layout.Block, ...], sep: str = "\n\n") -> str:
        return sep.join(out for out in (self.visit(b) for b in blocks) if out)

    def inline(self, children: tuple[layout.Inline, ...]) -> str:
        return "".join(self.visit(c) for c in children)

    def visit_Document(self, node: layout.Document) -> str:
        return self.blocks(node.body) + "\n"

    def visit_Heading(self, node: layout.Heading) -> str:
        return "#" * node.level + " " + self.inline(node.children).replace("  \n", " ")

    def visit_Paragraph(self, node: layout.Paragraph) -> str:
        return _BLOCK_START.sub(_unmark, self.inline(node.children))

    def visit_List(self, node: layout.List) -> str:
        items = []
        for number, item in enumerate(node.items, start=1):
            marker = f"{number}. " if node.ordered else "- "
            body = self.visit(item).replace("\n", "\n" + " " * len(marker))
            items.append(marker + body)
        return "\n".join(items)

    def visit_ListItem(self, node: layout.ListItem) -> str:
        return self.blocks(node.blocks)

    def visit_Table(self, node: layout.Table) -> str:
        width = len(node.columns)
        header = [self.visit(row) for row in node.header] or ["|" + "  |" * width]
        rule = "| " + " | ".join(_ALIGN.get(c.align, "---") for c in node.columns) + " |"
        body = [self.visit(row) for row in (*node.body, *node.footer)]
        if not node.body and node.empty:
            body[:0] = ["| " + self.inline(node.empty) + " |" + "  |" * (width - 1)]
        caption = [f"_{escape(node.caption)}_", ""] if node.caption else []
        return "\n".join([*caption, header[0], rule, *header[1:], *body])

    def visit_Row(self, node: layout.Row) -> str:
        cells = []
        for cell in node.cells:
            cells.append(self.visit(cell))
            cells.extend([""] * (cell.colspan - 1))
        return "| " + " | ".join(cells) + " |"

    def visit_Cell(self, node: layout.Cell) -> str:
        parts = (  # inline context: a leading "1." or "-" cannot start a list here
            self.inline(b.children) if isinstance(b, layout.Paragraph) else self.visit(b)
            for b in node.blocks
        )
        return " ".join(" ".join(parts).split())

    def visit_Image(self, node: layout.Image) -> str:
        return f"![{escape(node.alt)}]({url(node.src)})"

    def visit_Graphic(self, node: layout.Graphic) -> str:
        return f"![{escape(node.alt)}]()"

    def visit_Box(self, node: layout.Box) -> str:
        return self.blocks(node.blocks)

    def visit_Editable(self, node: layout.Editable) -> str:
        return self.blocks(node.blocks)

    def visit_Columns(self, node: layout.Columns) -> str:
        return self.blocks(tuple(block for column in node.columns for block in column))

    def visit_Rule(self, node: layout.Rule) -> str:
        return "---"

    def visit_Spacer(self, node: layout.Spacer) -> str:
        return ""

    def visit_PageBreak(self, node: layout.PageBreak) -> str:
        return ""

    def visit_Text(self, node: layout.Text) -> str:
        return escape(node.text)

    def visit_Span(self, node: layout.Span) -> str:
        inner = self.inline(node.children)
        core = inner.strip()
        if not core:
            return inner
        if node.style.font_weight in {"bold", "600", "700", "800", "900"}:
            core = f"**{core}**"
        if node.style.font_style == "italic":
            core = f"_{core}_"
        return inner[: len(inner) - len(inner.lstrip())] + core + inner[len(inner.rstrip()) :]

    def visit_Link(self, node: layout.Link) -> str:
        href = safe_link(node.href)
        text = self.inline(node.children)
        return f"[{text}]({url(href)})" if href else text

    def visit_LineBreak(self, node: layout.LineBreak) -> str:
        return "  \n"

    def visit_PageNumber(self, node: layout.PageNumber) -> str:
        return ""

    def visit_PageCount(self, node: layout.PageCount) -> str:
        return ""


class MarkdownBackend:
    name = "markdown"
    media_type = "text/markdown; charset=utf-8"
    extension = "md"

    def render(self, document: layout.Document, options: RenderOptions) -> bytes:
        return MarkdownBuilder().visit(document).encode("utf-8")
