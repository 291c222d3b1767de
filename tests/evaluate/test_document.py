"""Pages, page placeholders, metadata and the locale of a document."""

from __future__ import annotations

import pytest

from ccmlang import layout
from ccmlang.compiler.evaluate import DEFAULT_PAGE, RenderError

from .conftest import Render
from .helpers import text_of


def test_default_page_is_a4_with_20mm_margins(render: Render) -> None:
    doc = render('"x"')
    assert doc.rest == DEFAULT_PAGE == layout.PageMaster("210mm", "297mm", ("20mm",) * 4)
    assert doc.first is None


def test_page_masters(render: Render) -> None:
    doc = render(
        """
page {
  size: A5
  orientation: landscape
  margin: 28mm 18mm 24mm
  header-height: 12mm
  footer-height: 10mm
  header { paragraph "Statement {n}" }
  footer { paragraph "Page {page} of {pages}" }
}
page first {
  margin: 45mm 18mm
  footer { paragraph "{page}/{pages}" }
}
"body"
""",
        {"n": "42"},
    )
    rest, first = doc.rest, doc.first
    assert (rest.width, rest.height) == ("210mm", "148mm")  # A5 landscape
    assert rest.margin == ("28mm", "18mm", "24mm", "18mm")
    assert (rest.header_height, rest.footer_height) == ("12mm", "10mm")
    assert text_of(rest.header) == "Statement 42"
    assert text_of(rest.footer) == "Page <page> of <pages>"
    footer = rest.footer[0]
    assert isinstance(footer, layout.Paragraph)
    assert [type(c) for c in footer.children] == [
        layout.Text,
        layout.PageNumber,
        layout.Text,
        layout.PageCount,
    ]
    # `page first` inherits what it does not set
    assert first is not None
    assert (first.width, first.height) == ("210mm", "148mm")
    assert first.margin == ("45mm", "18mm", "45mm", "18mm")
    assert first.header == () and text_of(first.footer) == "<page>/<pages>"


def test_page_size_from_two_lengths(render: Render) -> None:
    doc = render('page { size: 210mm 99mm margin: 5mm }\n"x"')
    assert (doc.rest.width, doc.rest.height, doc.rest.margin) == ("210mm", "99mm", ("5mm",) * 4)


def test_only_page_first(render: Render) -> None:
    doc = render('page first { margin: 40mm }\n"x"')
    assert doc.rest == DEFAULT_PAGE
    assert doc.first is not None and doc.first.margin == ("40mm",) * 4


def test_header_and_footer_default_styles_wrap_the_furniture(render: Render) -> None:
    doc = render('style footer { size: 7pt }\npage { footer { paragraph "f" } }\n"x"')
    (box,) = doc.rest.footer
    assert isinstance(box, layout.Box) and box.style.font_size == "7pt"
    assert text_of(box) == "f"


def test_metadata_and_archive_index(render: Render) -> None:
    doc = render(
        """template "Statement" version: "2.3" locale: "en-GB"
document {
  title: "Statement {account} – {end | date('MMMM yyyy')}"
  subject: "Current account"
  author: "Northwind Bank plc"
  keywords: ["statement", "{customer}"]
  index {
    customer: customer
    period: end
    total: total
  }
}
"x"
""",
        {"account": "41920375", "end": "2025-03-31", "customer": "C-1", "total": 12},
    )
    assert doc.metadata == layout.Metadata(
        title="Statement 41920375 – March 2025",
        subject="Current account",
        author="Northwind Bank plc",
        keywords=("statement", "C-1"),
        language="en-GB",
        index=(("customer", "C-1"), ("period", "2025-03-31"), ("total", "12")),
        template="Statement",
        template_version="2.3",
    )


def test_metadata_without_document(render: Render) -> None:
    doc = render('template "Letter" version: "1"\n"x"', locale="de-DE")
    assert doc.metadata == layout.Metadata(
        language="de-DE", template="Letter", template_version="1"
    )


def test_locale_precedence(render: Render) -> None:
    source = 'template "T" locale: loc ?? "de-DE"\n"{1234.5 | number(2)}"'
    assert render(source, {}).metadata.language == "de-DE"
    assert render(source, {"loc": "fr-FR"}).metadata.language == "fr-FR"
    assert text_of(render(source, {"loc": "fr-FR"}, locale="en-GB").body) == "1,234.50"
    assert render('"x"').metadata.language == "en"


def test_unknown_locale_from_data_points_at_the_header(render: Render) -> None:
    with pytest.raises(RenderError) as caught:
        render('template "T" locale: loc ?? "en-GB"\n"x"', {"loc": "xx-nowhere"})
    (d,) = caught.value.diagnostics
    assert d.code == "E3008" and "xx-nowhere" in d.message
    assert d.span is not None and d.span.text == 'loc ?? "en-GB"'


def test_unknown_locale_from_the_caller(render: Render) -> None:
    with pytest.raises(RenderError) as caught:
        render('"x"', locale="zz")
    (d,) = caught.value.diagnostics
    assert (d.code, d.span) == ("E3008", None)


def test_placeholders_are_text_outside_page_furniture_when_shadowed(render: Render) -> None:
    doc = render('page { footer { for page in ps { "{page}" } } }\n"x"', {"ps": ["a"]})
    assert text_of(doc.rest.footer) == "a"
