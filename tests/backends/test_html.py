"""The HTML backend: semantic markup, escaping, link safety, CSS mapping, determinism."""

from __future__ import annotations

import base64
import dataclasses
import re

import pytest
from lxml import html as lxml_html

from ccmlang import layout as L
from ccmlang.backends import css
from ccmlang.backends.base import BackendError, RenderOptions
from ccmlang.backends.html import HtmlBackend, HtmlBuilder, build_html, safe_href

from .conftest import Project

EVIL = "<script>alert(1)</script></td>\"'&"


def render(document: L.Document, **options: object) -> str:
    return HtmlBackend().render(document, RenderOptions(**options)).decode()  # type: ignore[arg-type]


def simple(*blocks: L.Block, **meta: object) -> L.Document:
    page = L.PageMaster("210mm", "297mm", ("20mm",) * 4)
    return L.Document(L.Metadata(**meta), page, None, blocks, L.Style())  # type: ignore[arg-type]


def cell(text: str, **kw: object) -> L.Cell:
    return L.Cell((L.Paragraph((L.Text(text),), L.Style()),), L.Style(), **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def statement_html(project: Project) -> str:
    return HtmlBackend().render(project.document, RenderOptions()).decode()


def test_document_head(statement_html: str) -> None:
    tree = lxml_html.fromstring(statement_html)
    assert statement_html.startswith("<!DOCTYPE html>\n")
    assert tree.get("lang") == "en-GB"
    assert tree.find(".//meta[@charset]").get("charset") == "utf-8"
    assert tree.findtext(".//title") == "Statement 12345678"
    meta = {m.get("name"): m.get("content") for m in tree.iter("meta") if m.get("name")}
    assert meta["description"] == "Account statement March 2024"
    assert meta["author"] == "Northwind Bank"
    assert meta["keywords"] == "statement, 2024-03"
    assert meta["ccm:index:customer"] == "C-1001"
    assert meta["ccm:index:account"] == "12345678"
    assert "<style>" in statement_html


def test_semantic_elements(statement_html: str) -> None:
    tree = lxml_html.fromstring(statement_html)
    assert tree.findtext(".//h1") == "Your account at a glance"
    assert len(tree.findall(".//ul/li")) == 2
    table = tree.find(".//table")
    assert table.findtext("caption") == "Transactions"
    assert len(table.findall("colgroup/col")) == 4
    assert [th.text for th in table.findall("thead/tr/th")] == [
        "Date",
        "Description",
        "Amount",
        "Type",
    ]
    assert len(table.findall("tbody/tr")) == 80
    assert table.find("tfoot/tr/td").get("colspan") == "2"
    assert tree.find(".//a").get("href") == "https://example.com/help"
    alts = [img.get("alt") for img in tree.iter("img")]
    assert alts == ["Northwind Bank", "Paid stamp", "Scan to pay"]
    assert tree.find(".//hr") is not None
    assert tree.find(".//header[@class='ccm-running ccm-header-first']") is not None


def test_fixed_table_layout(statement_html: str) -> None:
    assert "table.ccm-fixed { table-layout: fixed; }" in statement_html
    assert re.search(r'<table class="ccm-table ccm-fixed [^"]*"', statement_html)
    assert '<col style="width: 25mm">' in statement_html
    auto = L.Table(
        (L.Column(None, "left"), L.Column("20mm", "right")),
        (),
        (L.Row((cell("a"), cell("b")), L.Style()),),
        (),
        L.Style(),
        L.Style(),
    )
    out = render(simple(auto))
    assert "ccm-fixed" not in out.split("<body>")[1]
    assert "<colgroup><col><col" in out


def test_zebra_and_alignment(statement_html: str) -> None:
    tree = lxml_html.fromstring(statement_html)
    rows = tree.findall(".//table/tbody/tr")
    assert [r.get("class") for r in rows[:3]] == ["ccm-odd", None, "ccm-odd"]
    first = rows[0].findall("td")
    assert [td.get("class") for td in first] == [
        "ccm-a-left", "ccm-a-left", "ccm-a-right", "ccm-a-center",
    ]  # fmt: skip
    zebra = css.zebra_class("#f2f2f2")
    assert f".{zebra} > tbody > tr.ccm-odd > td {{ background-color: #f2f2f2; }}" in statement_html


def test_cell_alignment_override() -> None:
    table = L.Table(
        (L.Column("20mm", "right"), L.Column("20mm", "left")),
        (),
        (L.Row((cell("x", align="center"), cell("y")), L.Style()),),
        (),
        L.Style(),
        L.Style(),
    )
    tds = lxml_html.fromstring(render(simple(table))).findall(".//td")
    assert [td.get("class") for td in tds] == ["ccm-a-center", "ccm-a-left"]


def test_empty_table_spans_all_columns() -> None:
    table = L.Table(
        (L.Column("20mm", "left"), L.Column("20mm", "left"), L.Column("20mm", "right")),
        (L.Row((cell("A"), cell("B"), cell("C")), L.Style()),),
        (),
        (),
        L.Style(),
        L.Style(),
        empty=(L.Text("No transactions this period."),),
    )
    td = lxml_html.fromstring(render(simple(table))).find(".//tbody/tr/td")
    assert td.get("colspan") == "3"
    assert td.text == "No transactions this period."


def test_repeat_header_off() -> None:
    table = L.Table(
        (L.Column("20mm", "left"),),
        (L.Row((cell("A"),), L.Style()),),
        (L.Row((cell("1"),), L.Style()),),
        (),
        L.Style(),
        L.Style(),
        repeat_header=False,
    )
    assert '<thead class="ccm-no-repeat">' in render(simple(table))


# ---------------------------------------------------------------- escaping


def test_text_is_escaped_everywhere() -> None:
    document = simple(
        L.Heading(1, (L.Text(EVIL),), L.Style()),
        L.Paragraph((L.Text(EVIL), L.Span((L.Text(EVIL),), L.Style())), L.Style()),
        L.Table(
            (L.Column("30mm", "left"),), (), (L.Row((cell(EVIL),), L.Style()),), (),
            L.Style(), L.Style(), caption=EVIL,
        ),
        L.Image("assets/x.png", EVIL, None, None, L.Style()),
        L.Graphic("qr", "<svg/>", EVIL, "1mm", "1mm", L.Style()),
        L.Editable(EVIL, ()),
        title=EVIL, author=EVIL, index=(("customer", EVIL),),
    )  # fmt: skip
    out = render(document)
    assert "<script>" not in out
    assert '</td>"' not in out
    tree = lxml_html.fromstring(out)
    assert tree.findtext(".//title") == EVIL
    assert tree.findtext(".//h1") == EVIL
    assert tree.find(".//td").text == EVIL
    assert tree.findtext(".//caption") == EVIL
    assert [img.get("alt") for img in tree.iter("img")] == [EVIL, EVIL]
    assert tree.find(".//meta[@name='ccm:index:customer']").get("content") == EVIL
    assert tree.find(".//div[@class='ccm-editable']").get("data-editable") == EVIL


def test_graphic_svg_cannot_break_out() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>"><script>alert(1)</script></text></svg>'
    out = render(simple(L.Graphic("chart-bar", svg, "chart", "10mm", "10mm", L.Style())))
    assert "<script>" not in out
    src = lxml_html.fromstring(out).find(".//img").get("src")
    assert src.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(src.split(",", 1)[1]).decode() == svg


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://example.com/a?b=1&c=2", "https://example.com/a?b=1&c=2"),
        ("http://example.com", "http://example.com"),
        ("mailto:help@example.com", "mailto:help@example.com"),
        ("tel:+441234567890", "tel:+441234567890"),
        ("javascript:alert(1)", "#"),
        ("JavaScript:alert(1)", "#"),
        ("java\tscript:alert(1)", "#"),
        ("  javascript:alert(1)", "#"),
        ("\x01javascript:alert(1)", "#"),
        ("data:text/html,<script>alert(1)</script>", "#"),
        ("vbscript:msgbox", "#"),
        ("file:///etc/passwd", "#"),
        ("../relative/path", "#"),
        ("//evil.example.com", "#"),
    ],
)
def test_link_schemes(href: str, expected: str) -> None:
    assert safe_href(href) == expected
    link = L.Paragraph((L.Link(href, (L.Text("x"),)),), L.Style())
    assert lxml_html.fromstring(render(simple(link))).find(".//a").get("href") == expected


def test_attribute_quotes_are_escaped() -> None:
    out = render(
        simple(L.Paragraph((L.Link('https://x.test/"onmouseover="alert(1)', ()),), L.Style()))
    )
    assert 'href="https://x.test/&quot;onmouseover=&quot;alert(1)"' in out


def test_css_values_cannot_inject() -> None:
    for style in (
        L.Style(color="red; background: url(http://example.com/x)"),
        L.Style(font_size="10pt}body{display:none"),
        L.Style(width="expression(alert(1))"),
    ):
        with pytest.raises(BackendError) as info:
            render(simple(L.Paragraph((L.Text("x"),), style)))
        assert info.value.code == "E3008"


def test_font_family_is_a_css_string() -> None:
    style = L.Style(font_family='Evil</style><script>alert(1)</script>", serif')
    out = render(simple(L.Paragraph((L.Text("x"),), style)))
    assert "<script>" not in out and "</style><" not in out
    assert "serif" in out


def test_language_is_checked() -> None:
    assert '<html lang="und">' in render(simple(language='en" onload="x'))
    assert '<html lang="de-CH">' in render(simple(language="de-CH"))


# ---------------------------------------------------------------- styles, positions, options


def test_named_and_hashed_classes() -> None:
    warning = L.Style(name="brand.warning", color="#aa0000")
    assert css.style_classes(warning) == f"s-brand-warning {css.style_class(warning)}"
    assert css.style_classes(L.Style(name="brand.plain")) == "s-brand-plain"
    assert css.style_classes(L.Style()) == ""
    same = L.Style(color="#aa0000")
    assert css.style_class(same) == css.style_class(warning)  # classes follow content


def test_source_positions(statement_html: str, project: Project) -> None:
    assert 'data-src="statement.ccm:21:40"' in statement_html
    quiet = HtmlBackend().render(project.document, RenderOptions(source_positions=False))
    assert b"data-src" not in quiet


def test_deterministic(project: Project, statement_html: str) -> None:
    assert HtmlBackend().render(project.document, RenderOptions()).decode() == statement_html
    # classes and rules do not depend on the order nodes are met in
    body = project.document.body
    swapped = dataclasses.replace(project.document, body=(body[2], body[0], body[1], *body[3:]))
    rules = lambda text: text.split("<style>")[1].split("</style>")[0]  # noqa: E731
    assert rules(render(swapped)) == rules(statement_html)


def test_stylesheet_is_independent_of_record_text(project: Project) -> None:
    def other_text(block: L.Block) -> L.Block:
        if not isinstance(block, L.Paragraph):
            return block
        kids = tuple(L.Text("other") if isinstance(c, L.Text) else c for c in block.children)
        return dataclasses.replace(block, children=kids)

    other = dataclasses.replace(
        project.document, body=tuple(other_text(b) for b in project.document.body)
    )
    assert other != project.document
    assert css.stylesheet_for(other) == css.stylesheet_for(project.document)
    assert "<style>" not in build_html(project.document, RenderOptions(), embed_css=False)


def test_page_rules(statement_html: str) -> None:
    assert "@page { size: 210mm 297mm; margin: 20mm 18mm 20mm 18mm;" in statement_html
    assert "@top-center { content: element(ccm-header-rest);" in statement_html
    assert "@page :first {" in statement_html
    assert "@bottom-center { content: element(ccm-footer-first);" in statement_html
    assert (
        '@font-face { font-family: "Brand Sans"; src: url("fonts/DejaVuSans.ttf");'
        in statement_html
    )
    assert "content: counter(pages)" in statement_html
    assert '<span class="ccm-page"></span> of <span class="ccm-pages"></span>' in statement_html


def test_add_lengths() -> None:
    assert css.add_lengths("10mm", "10mm") == "56.693pt"
    assert css.add_lengths("12pt", "1in") == "84pt"
    assert css.add_lengths("1em", "2mm") == "calc(1em + 2mm)"


def test_inline_assets(project: Project) -> None:
    out = HtmlBackend().render(project.document, RenderOptions(inline_assets=True)).decode()
    tree = lxml_html.fromstring(out)
    assert all(img.get("src").startswith("data:image/") for img in tree.iter("img"))
    assert 'src: url("data:font/ttf;base64,' in out


def test_override_one_node(project: Project) -> None:
    class Loud(HtmlBuilder):
        def visit_Heading(self, node: L.Heading) -> str:
            return f"<h1 class=loud>{self.inline(node.children).upper()}</h1>"

    class LoudBackend(HtmlBackend):
        builder_class = Loud

    out = LoudBackend().render(project.document, RenderOptions()).decode()
    assert "<h1 class=loud>YOUR ACCOUNT AT A GLANCE</h1>" in out
    # The override records no styles, so the stylesheet comes from a walk of the whole tree.
    assert css.layout_rules(project.document) in out


def test_output_limit(project: Project) -> None:
    with pytest.raises(BackendError) as info:
        HtmlBackend(max_output_bytes=1000).render(project.document, RenderOptions())
    assert info.value.code == "E3005"
