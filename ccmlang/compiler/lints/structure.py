"""Document structure: tables, the document title, trailing page breaks.

These catch output that renders without error but reads badly: a table nobody can interpret
without its header, a PDF titled with its file name, a blank last page that costs postage.
"""

from __future__ import annotations

from collections.abc import Iterable

from ccmlang.compiler import ast
from ccmlang.compiler.diagnostics import Hint, Label
from ccmlang.compiler.lints.base import Finding, LintContext, LintRule, finding
from ccmlang.compiler.lints.visit import Node, header

_NOT_CONTENT = ("template", "library", "page", "document", "font", "field")


def _statements(body: ast.Body | None) -> list[ast.Element]:
    if body is None:
        return []
    return [s for s in body.statements if isinstance(s, ast.Element)]


class TableNoHeader(LintRule):
    """A table with no header row: no column header texts and no ``header { }``.

    Without headers a reader (and a screen reader, which announces each cell with its column
    header) cannot tell an amount from a balance. PDF/UA requires header cells in data tables.

    **Anti-pattern**::

        table items as it { column = it.name column = it.price }

    **Best practice**::

        table items as it { column "Item" = it.name column "Price" = it.price }
    """

    code = "W106"
    name = "table.no-header"
    summary = "A table without a header row."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        for v in ctx.walk():
            node = v.node
            if not (isinstance(node, ast.Element) and node.keyword == "table"):
                continue
            parts = _statements(node.body)
            if any(p.keyword == "header" for p in parts):
                continue
            if any(p.keyword == "column" and p.positional is not None for p in parts):
                continue
            yield finding(
                "this table has no header row",
                node.keyword_span,
                hints=[
                    'give the columns header texts (`column "Amount" = …`) '
                    "or add `header { row { … } }`"
                ],
            )


class TableNoEmpty(LintRule):
    """A table over a data list with no ``empty:`` text.

    When the list is empty (a month without transactions) the customer gets a header row and
    nothing under it, which looks like a printing fault.

    **Anti-pattern**::

        table account.transactions as tx { column "Date" = tx.date }

    **Best practice**::

        table account.transactions as tx empty: "No transactions this period." {
          column "Date" = tx.date
        }
    """

    code = "W113"
    name = "table.no-empty"
    summary = "A table over a list without an `empty:` text."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        for v in ctx.walk():
            node = v.node
            if (
                isinstance(node, ast.Element)
                and node.keyword == "table"
                and node.positional is not None
                and node.option("empty") is None
            ):
                yield finding(
                    "this table prints only its header when the list is empty",
                    node.keyword_span,
                    labels=[Label(node.positional.span, "this list may be empty")],
                    hints=['add `empty: "No entries."`'],
                )


class DocumentNoTitle(LintRule):
    """A template without ``document { title: … }``.

    The title is what a PDF viewer shows in its title bar and tab, what an archive lists and what
    PDF/UA requires; without it the file name is shown instead.

    **Anti-pattern**::

        template "Invoice"
        paragraph "Hello"

    **Best practice**::

        template "Invoice"
        document { title: "Invoice {invoice.number}" }
    """

    code = "W107"
    name = "document.no-title"
    summary = "A template without a document title."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        if not ctx.is_template:
            return
        documents = [
            i
            for i in ctx.root.module.items
            if isinstance(i, ast.Element) and i.keyword == "document"
        ]
        if ctx.program.document is not None and ctx.program.document not in documents:
            documents.append(ctx.program.document)
        if any(d.option("title") is not None for d in documents):
            return
        head = header(ctx.root)
        span = head.keyword_span if head is not None else None
        yield finding(
            "the template has no document title",
            span,
            labels=[Label(d.keyword_span, "this `document` has no `title:`") for d in documents],
            hints=[Hint('add `document { title: "…" }`')],
        )


class PageBreakLast(LintRule):
    """A ``page-break`` as the last statement of the document (or of a loop at its end).

    A break after the last content starts an empty page: a blank sheet in every envelope, paid
    for in paper and postage.

    **Anti-pattern**::

        paragraph "Kind regards"
        page-break

    **Best practice**: delete it; to start each entry on a new page put the break *before* the
    entry and skip it for the first (``if i > 0 { page-break }``).
    """

    code = "W112"
    name = "layout.page-break-last"
    summary = "A page break at the end of the document makes a blank page."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        if not ctx.is_template:
            return
        content: list[Node] = [
            i
            for i in ctx.root.module.items
            if not isinstance(
                i, ast.Import | ast.StyleDecl | ast.TypeDecl | ast.ComponentDecl | ast.Let
            )
            and not (isinstance(i, ast.Element) and i.keyword in _NOT_CONTENT)
        ]
        last = content[-1] if content else None
        if isinstance(last, ast.Element) and last.keyword == "page-break":
            yield finding(
                "a page break at the end of the document adds a blank page",
                last.span,
                hints=[Hint("remove it", last.span, "")],
            )
        elif isinstance(last, ast.For):
            inner = [s for s in last.body.items if not isinstance(s, ast.Let | ast.Option)]
            tail = inner[-1] if inner else None
            if isinstance(tail, ast.Element) and tail.keyword == "page-break":
                yield finding(
                    "a page break at the end of the last loop adds a blank page "
                    "after the last entry",
                    tail.span,
                    labels=[Label(last.var_span, "for each entry, including the last")],
                    hints=[
                        Hint(
                            f"put the break first and skip it for the first entry: "
                            f"`for {last.var}, i in … {{ if i > 0 {{ page-break }} … }}`"
                        )
                    ],
                )
