"""Block and inline elements become the layout nodes of spec/layout-tree.md."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ccmlang import layout
from ccmlang.compiler.evaluate import RenderError

from .conftest import Render
from .helpers import find, paragraphs, text_of


def test_bare_strings_are_paragraphs_and_text_stays_raw(render: Render) -> None:
    doc = render('"Hello <b>{name}</b> & co,   spaced"', {"name": "Ann & Bob"})
    (para,) = doc.body
    assert isinstance(para, layout.Paragraph)
    # no escaping here (backends escape), and white space is kept as written
    assert para.children == (layout.Text("Hello <b>Ann & Bob</b> & co,   spaced", para.origin),)


def test_heading_levels_and_element_default_styles(render: Render) -> None:
    doc = render(
        """
style heading { weight: bold color: #111111 }
style heading-2 extends heading { size: 12pt }
style paragraph { size: 9pt }
style warning { color: #b00020 }
heading "Title"
heading "Sub" level: 2 align: center
heading "Warn" level: 2 style: warning
paragraph "Text"
"""
    )
    title, sub, warn, text = doc.body
    assert isinstance(title, layout.Heading) and title.level == 1
    assert title.style.font_weight == "bold" and title.style.font_size is None
    assert isinstance(sub, layout.Heading) and sub.level == 2
    assert (sub.style.font_size, sub.style.text_align) == ("12pt", "center")
    # element default < named style < inline options
    assert isinstance(warn, layout.Heading)
    assert (warn.style.color, warn.style.font_size, warn.style.name) == (
        "#b00020",
        "12pt",
        "warning",
    )
    assert isinstance(text, layout.Paragraph) and text.style.font_size == "9pt"


def test_inline_rich_text(render: Render) -> None:
    doc = render(
        """
style warning { color: #b00020 }
paragraph {
  "Your balance is " bold "{balance}" "." br
  italic { "very " bold "important" }
  span "overdrawn" style: warning
  link "help" href: "https://example.com/help"
}
""",
        {"balance": Decimal("12.50")},
    )
    (para,) = doc.body
    kinds = [type(c).__name__ for c in para.children]
    assert kinds == ["Text", "Span", "Text", "LineBreak", "Span", "Span", "Link"]
    bold = para.children[1]
    assert isinstance(bold, layout.Span) and bold.style.font_weight == "bold"
    assert text_of(bold) == "12.50"
    italic = para.children[4]
    assert isinstance(italic, layout.Span) and italic.style.font_style == "italic"
    assert text_of(italic) == "very important"
    span = para.children[5]
    assert isinstance(span, layout.Span) and span.style.name == "warning"
    link = para.children[6]
    assert isinstance(link, layout.Link) and link.href == "https://example.com/help"


def test_escaped_newline_is_a_line_break_but_a_wrapped_string_is_not(render: Render) -> None:
    doc = render('paragraph "one\\ntwo"\nparagraph "three\nfour"')
    first, second = doc.body
    assert isinstance(first, layout.Paragraph) and isinstance(second, layout.Paragraph)
    assert [type(c).__name__ for c in first.children] == ["Text", "LineBreak", "Text"]
    assert second.children[0] == layout.Text("three\nfour", second.origin)


def test_link_refuses_script_urls(render: Render) -> None:
    with pytest.raises(RenderError) as caught:
        render('paragraph { link "x" href: url }', {"url": "javascript:alert(1)"})
    (d,) = caught.value.diagnostics
    assert d.code == "E3008" and d.span is not None and d.span.text.startswith("href:")


def test_list_items(render: Render) -> None:
    doc = render(
        """
list ordered: true marker: lower-alpha {
  item "First"
  item { paragraph "Second" paragraph "more" }
  for c in covers { item "{c}" }
}
""",
        {"covers": ["fire", "flood"]},
    )
    (lst,) = doc.body
    assert isinstance(lst, layout.List)
    assert (lst.ordered, lst.marker) == (True, "lower-alpha")
    assert [text_of(i) for i in lst.items] == ["First", "Secondmore", "fire", "flood"]


def test_box_keep_columns_spacer_rule_page_break(render: Render) -> None:
    doc = render(
        """
box padding: 3mm 4mm border: 0.5pt #cccccc background: #f7f7f7 keep: true { paragraph "In" }
keep { paragraph "Together" }
columns gap: 8mm { column width: 60% { paragraph "L" } column { paragraph "R" } }
spacer 6mm
rule thickness: 1pt color: #1f3a5f
page-break
"""
    )
    box, keep, columns, spacer, rule, brk = doc.body
    assert isinstance(box, layout.Box) and box.keep_together
    assert box.style.padding == ("3mm", "4mm", "3mm", "4mm")
    assert box.style.background == "#f7f7f7"
    assert box.style.border is not None and box.style.border[0] == layout.Border("0.5pt", "#cccccc")
    assert isinstance(keep, layout.Box) and keep.keep_together and keep.style.is_empty()
    assert isinstance(columns, layout.Columns)
    assert (columns.widths, columns.gap) == (("60%", None), "8mm")
    assert [text_of(c) for c in columns.columns] == ["L", "R"]
    assert spacer == layout.Spacer("6mm", spacer.origin)
    assert isinstance(rule, layout.Rule) and (rule.thickness, rule.color) == ("1pt", "#1f3a5f")
    assert isinstance(brk, layout.PageBreak)


def test_rule_defaults(render: Render) -> None:
    (rule,) = render("rule").body
    assert isinstance(rule, layout.Rule) and (rule.thickness, rule.color) == ("0.5pt", "#000000")


def test_editable_renders_its_body_or_the_agents_text(render: Render) -> None:
    source = 'editable closing label: "Closing" { paragraph "Kind regards," }'
    (default,) = render(source).body
    assert isinstance(default, layout.Editable) and default.name == "closing"
    assert text_of(default) == "Kind regards,"
    (edited,) = render(source, editables={"closing": "Thanks!\nJane\n\n\nP.S. call us"}).body
    assert isinstance(edited, layout.Editable)
    assert [text_of(b) for b in edited.blocks] == ["Thanks!\nJane", "P.S. call us"]
    assert all(isinstance(b, layout.Paragraph) for b in edited.blocks)


def test_images_resolve_inside_the_project(render: Render, project: Path) -> None:
    (project / "assets").mkdir()
    (project / "assets" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    doc = render(
        'image "assets/logo.svg" alt: "Logo" width: 35mm align: right\n'
        'image "assets/{name}.svg" alt: "" height: 8mm',
        {"name": "logo"},
    )
    first, second = doc.body
    assert isinstance(first, layout.Image) and first.src == "assets/logo.svg"
    assert (first.alt, first.width, first.height, first.style.text_align) == (
        "Logo",
        "35mm",
        None,
        "right",
    )
    assert isinstance(second, layout.Image) and second.src == "assets/logo.svg"
    assert doc.project_root == str(project.resolve())


@pytest.mark.parametrize(
    ("name", "message"),
    [("../../etc/passwd", "outside the template project"), ("assets/missing.svg", "not found"),
     ("https://evil.example/x.svg", "URL"), ("/etc/passwd", "outside the template project")],
)  # fmt: skip
def test_images_outside_the_project_or_missing_are_e3007(
    render: Render, project: Path, name: str, message: str
) -> None:
    (project / "assets").mkdir()
    with pytest.raises(RenderError) as caught:
        render('image "{name}" alt: ""', {"name": name})
    (d,) = caught.value.diagnostics
    assert d.code == "E3007" and message in d.message
    assert d.span is not None and d.span.text == '"{name}"'


def test_image_symlink_leaving_the_project_is_refused(
    render: Render, project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.svg"
    outside.write_text("<svg/>")
    (project / "link.svg").symlink_to(outside)
    with pytest.raises(RenderError) as caught:
        render('image "{f}" alt: ""', {"f": "link.svg"})
    assert caught.value.diagnostics[0].code == "E3007"


def test_barcodes_qr_codes_and_epc(render: Render) -> None:
    doc = render(
        """
barcode "ACC-{n}" height: 10mm human-readable: false alt: "Account"
barcode "{n}" type: datamatrix width: 12mm
qr "https://example.com/{n}" size: 22mm error: Q
qr kind: epc name: "Northwind Energy" iban: "DE89370400440532013000" amount: total
  text: "Invoice {n}" alt: "Pay"
""",
        {"n": "12345", "total": Decimal("123.40")},
    )
    code, matrix, qr, epc = doc.body
    assert isinstance(code, layout.Graphic) and code.kind == "code128" and code.data == "ACC-12345"
    assert code.height == "10mm" and code.alt == "Account" and code.svg.startswith("<svg")
    assert (
        isinstance(matrix, layout.Graphic)
        and matrix.kind == "datamatrix"
        and matrix.width == "12mm"
    )
    assert isinstance(qr, layout.Graphic) and (qr.kind, qr.width) == ("qr", "22mm")
    assert isinstance(epc, layout.Graphic) and epc.kind == "epc-qr" and epc.width == "30mm"
    assert "EUR123.4" in epc.data and "DE89370400440532013000" in epc.data


def test_epc_with_a_bad_iban_is_e3008(render: Render) -> None:
    with pytest.raises(RenderError) as caught:
        render(
            'qr kind: epc name: "X" iban: iban amount: 1 alt: ""',
            {"iban": "DE00370400440532013000"},
        )
    (d,) = caught.value.diagnostics
    assert d.code == "E3008" and "EPC" in d.message and d.span is not None


def test_charts_evaluate_label_and_value_per_item(render: Render) -> None:
    history = [
        {"m": "2025-01-31", "b": Decimal("1234.5")},
        {"m": "2025-02-28", "b": Decimal("-20")},
    ]
    doc = render(
        'chart h as x kind: bar label: x.m | date("MMM") value: x.b width: 120mm height: 40mm '
        'color: #1f3a5f alt: "Balances"\n'
        'chart h as x kind: pie label: x.m value: x.b + 100 alt: ""',
        {"h": history},
        locale="de-DE",
    )
    bar, pie = doc.body
    assert isinstance(bar, layout.Graphic) and bar.kind == "chart-bar"
    assert (bar.width, bar.height, bar.alt) == ("120mm", "40mm", "Balances")
    assert "Jan" in bar.data and "Feb" in bar.data
    assert "1.234,5" in bar.svg  # value labels use the locale's number format
    assert isinstance(pie, layout.Graphic) and pie.kind == "chart-pie"


def test_origins_point_at_the_template(render: Render) -> None:
    doc = render('paragraph "a"\n  heading "b"')
    para, heading = doc.body
    assert para.origin == layout.Origin("t.ccm", 2, 1)
    assert heading.origin == layout.Origin("t.ccm", 3, 3)
    assert all(n.origin is not None for n in find(doc.body, layout.Text))


def test_paragraphs_helper(render: Render) -> None:
    assert paragraphs(render('"a"\nheading "b"')) == ["a", "b"]


def test_a_string_after_an_element_without_text_is_the_next_statement(render: Render) -> None:
    """The grammar reads `rule` + newline + `"text"` as one element with a positional."""
    source = 'rule\n"after the rule"\npage-break\n"after the break"\nparagraph { "a" br\n "b" }'
    doc = render(source)
    kinds = [type(b).__name__ for b in doc.body]
    assert kinds == ["Rule", "Paragraph", "PageBreak", "Paragraph", "Paragraph"]
    assert paragraphs(doc) == ["after the rule", "after the break", "a\nb"]
