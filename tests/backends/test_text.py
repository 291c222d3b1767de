"""The text backend (SMS, email text part) and the tree backend (JSON)."""

from __future__ import annotations

import json

from ccmlang import layout as L
from ccmlang.backends.base import RenderOptions
from ccmlang.backends.text import TextBackend, list_marker
from ccmlang.backends.tree import TreeBackend

from .conftest import Project


def doc(*blocks: L.Block) -> L.Document:
    page = L.PageMaster("210mm", "297mm", ("20mm",) * 4, header=(P("HEADER"),))
    return L.Document(L.Metadata(), page, None, blocks, L.Style())


def P(text: str) -> L.Paragraph:
    return L.Paragraph((L.Text(text),), L.Style())


def render(*blocks: L.Block, **extra: str) -> str:
    return TextBackend().render(doc(*blocks), RenderOptions(extra=extra)).decode()


def test_statement_text(project: Project) -> None:
    out = TextBackend().render(project.document, RenderOptions()).decode()
    lines = out.splitlines()
    assert lines[:2] == ["Your account at a glance", "========================"]
    assert "pages <https://example.com/help>." in out
    assert "- Opening balance: 1,000.00" in lines
    assert "[Paid stamp]" in lines and "[Scan to pay]" in lines
    assert "first page" not in out  # page headers/footers are left out
    assert all(len(line) <= 72 for line in lines if "Card payment" not in line and "--" not in line)
    assert out.endswith("Thank you for banking with us.\n")
    assert TextBackend().render(project.document, RenderOptions()).decode() == out


def test_wrapping_at_72_and_line_breaks() -> None:
    words = " ".join(["word"] * 40)
    lines = render(P(words)).splitlines()
    assert max(len(line) for line in lines) <= 72 and len(lines) == 3
    narrow = render(P(words), **{"text.width": "30"}).splitlines()
    assert max(len(line) for line in narrow) <= 30
    broken = L.Paragraph((L.Text("Line one"), L.LineBreak(), L.Text("Line two")), L.Style())
    assert render(broken) == "Line one\nLine two\n"


def test_headings() -> None:
    out = render(
        L.Heading(1, (L.Text("Title"),), L.Style()), L.Heading(2, (L.Text("Sub"),), L.Style())
    )
    assert out == "Title\n=====\n\nSub\n---\n"


def test_lists() -> None:
    items = (L.ListItem((P("first " * 20),)), L.ListItem((P("second"),)))
    ordered = render(L.List(True, items, L.Style()))
    lines = ordered.splitlines()
    assert lines[0].startswith("1. first")
    assert lines[1].startswith("   first")  # hanging indent
    assert any(line == "2. second" for line in lines)
    assert render(L.List(False, items[1:], L.Style())) == "- second\n"
    assert list_marker(True, "lower-alpha", 28) == "ab. "
    assert list_marker(True, "upper-roman", 14) == "XIV. "
    assert list_marker(False, "none", 1) == ""


def test_table_columns_aligned() -> None:
    def cell(text: str, **kw: object) -> L.Cell:
        return L.Cell((P(text),), L.Style(), **kw)  # type: ignore[arg-type]

    table = L.Table(
        (L.Column("20mm", "left"), L.Column("20mm", "right")),
        (L.Row((cell("Item"), cell("Amount")), L.Style()),),
        (
            L.Row((cell("Tea"), cell("3.50")), L.Style()),
            L.Row((cell("Cake"), cell("12.00")), L.Style()),
        ),
        (L.Row((cell("Total"), cell("15.50")), L.Style()),),
        L.Style(),
        L.Style(),
    )
    assert render(table).splitlines() == [
        "Item   Amount",
        "-----  ------",
        "Tea      3.50",
        "Cake    12.00",
        "-----  ------",
        "Total   15.50",
    ]
    empty = L.Table(
        table.columns, table.header, (), (), L.Style(), L.Style(), empty=(L.Text("Nothing."),)
    )
    assert render(empty).splitlines()[-1] == "Nothing."


def test_links_images_graphics_rules_breaks() -> None:
    out = render(
        L.Paragraph(
            (
                L.Link("https://x.test/a", (L.Text("our site"),)),
                L.Text(" "),
                L.Link("javascript:alert(1)", (L.Text("bad"),)),
                L.Text(" "),
                L.Link("mailto:help@x.test", (L.Text("help@x.test"),)),
            ),
            L.Style(),
        ),
        L.Image("a.png", "Logo", None, None, L.Style()),
        L.Graphic("qr", "<svg/>", "Scan to pay", "1mm", "1mm", L.Style()),
        L.Rule("1pt", "#000000", L.Style()),
        L.PageBreak(),
        P("after"),
    )
    lines = out.splitlines()
    assert lines[0] == "our site <https://x.test/a> bad help@x.test"
    assert "[Logo]" in lines and "[Scan to pay]" in lines
    assert "-" * 72 in lines
    assert out.endswith("\n\n\nafter\n")  # a page break is blank lines


def test_tree_backend(project: Project) -> None:
    backend = TreeBackend()
    data = backend.render(project.document, RenderOptions())
    assert backend.media_type == "application/json" and backend.extension == "json"
    assert data == L.to_json(project.document).encode()
    assert json.loads(data)["node"] == "Document"
