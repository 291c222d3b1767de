"""The Typst PDF engine on a hand-built 3-page statement (spec/typst.md, "Parity").

Pages, "Page X of Y", the first-page variant, repeated table headers, fonts (the project's only),
images and graphics, metadata, PDF/A-3b, tagging, attachments and deterministic bytes.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from typst_helpers import Project, pdf_pages_text

from ccmlang import layout as L
from ccmlang.backends.base import Attachment, RenderOptions
from ccmlang.backends.typst import TypstPdfBackend


@pytest.fixture(scope="module")
def backend() -> TypstPdfBackend:
    return TypstPdfBackend()


@pytest.fixture(scope="module")
def pdf(project: Project, backend: TypstPdfBackend) -> bytes:
    return backend.render(project.document, RenderOptions())


@pytest.fixture(scope="module")
def pages(pdf: bytes) -> list[str]:
    return pdf_pages_text(pdf)


def test_three_pages(pdf: bytes, pages: list[str]) -> None:
    assert pdf.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3
    assert len(pages) == 3


def test_page_x_of_y_on_every_page(pages: list[str]) -> None:
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"Page {number} of 3\b", page), page[-300:]


def test_first_page_header_only_on_page_one(pages: list[str]) -> None:
    assert "Account statement (first page)" in pages[0]
    assert "continued statement" not in pages[0]
    for page in pages[1:]:
        assert "continued statement" in page
        assert "first page" not in page


def test_reading_order_and_repeated_table_header(pages: list[str]) -> None:
    first = pages[0]
    order = ["first page", "Your account at a glance", "Dear Ada Lovelace", "overdrawn", "Date"]
    positions = [first.index(s) for s in order]
    assert positions == sorted(positions)
    assert "Card payment 1 at" in first
    second = pages[1]
    assert re.search(r"Date\s+Description\s+Amount\s+Type", second)
    assert "Card payment 80 at" in second
    assert second.index("Date") < second.index("Card payment 80")
    assert "Closing balance" in second
    assert "Important information" in pages[2] and "Thank you" in pages[2]


def word_top(data: bytes, page: int, word: str) -> float:
    """The top of the first ``word`` on ``page`` (1-based), in points from the page top."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()
    match = re.search(rf'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>{re.escape(word)}</word>', html)
    assert match, f"{word!r} not on page {page}"
    return float(match[1])


def test_first_page_keeps_its_larger_top_margin(pdf: bytes) -> None:
    """Page 1's body starts below 30mm + 15mm (margin and header), page 3's below 20mm."""
    mm = 72 / 25.4
    assert 45 * mm < word_top(pdf, 1, "Your") < 55 * mm
    assert 20 * mm < word_top(pdf, 3, "Important") < 30 * mm


def test_amount_column_is_right_aligned(pages: list[str]) -> None:
    lines = [line for line in pages[0].splitlines() if "Card payment" in line]
    ends = {m.end() for line in lines if (m := re.search(r"-\d+\.\d\d", line))}
    assert len(ends) == 1, ends


def test_only_the_project_font_is_embedded(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            base = str(font["/BaseFont"])
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, base
            assert re.match(r"^/[A-Z]{6}\+", base), base  # subset
            seen.add(base.split("+", 1)[1])
    assert seen == {"DejaVuSans"}


def test_svg_and_qr_are_vectors_and_the_png_is_an_image(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    images = 0
    forms = 0

    def count(resources: object) -> None:
        nonlocal images, forms
        for xobject in resources.get("/XObject", {}).values():  # type: ignore[attr-defined]
            x = xobject.get_object()
            if x.get("/Subtype") == "/Image":
                images += 1
            elif x.get("/Subtype") == "/Form":
                forms += 1
                count(x.get("/Resources", {}))

    for page in reader.pages:
        count(page["/Resources"])
    assert images == 1  # the stamp; logo and QR code are drawn as paths
    qr_page = reader.pages[2].get_contents()
    assert qr_page is not None
    assert len(re.findall(rb"\b(?:re|l|m)\b", qr_page.get_data())) > 50  # the QR modules


def test_link_annotation(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    uris = [
        a.get_object()["/A"]["/URI"]
        for a in reader.pages[0].get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert "https://example.com/help" in uris


def test_unsafe_link_prints_its_text_without_a_link(
    project: Project, backend: TypstPdfBackend
) -> None:
    body = (
        L.Paragraph(
            (L.Link("javascript:alert(1)", (L.Text("click me"),)),), L.Style(), origin=None
        ),
    )
    document = dataclasses.replace(project.document, body=body, first=None)
    data = backend.render(document, RenderOptions())
    assert "click me" in pdf_pages_text(data)[0]
    assert not PdfReader(io.BytesIO(data)).pages[0].get("/Annots")


def test_metadata(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    info = reader.metadata
    assert info is not None
    assert info.title == "Statement 12345678"
    assert info.author == "Northwind Bank"
    assert info.subject == "Account statement March 2024"
    assert info["/Keywords"] == "statement, 2024-03"
    assert info["/ccmindexcustomer"] == "C-1001"
    assert info["/ccmindexaccount"] == "12345678"
    assert info["/ccmtemplate"] == "statement.ccm"
    assert info["/ccmtemplateversion"] == "2.3"
    assert "/CreationDate" not in info  # no clock
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_qpdf_check(pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "s.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_deterministic_bytes(project: Project, pdf: bytes) -> None:
    assert TypstPdfBackend().render(project.document, RenderOptions()) == pdf


def test_timestamp_is_written_when_given(project: Project, backend: TypstPdfBackend) -> None:
    when = datetime(2024, 3, 31, 12, 0, tzinfo=UTC)
    document = dataclasses.replace(project.document, body=project.document.body[:2])
    data = backend.render(document, RenderOptions(timestamp=when))
    info = PdfReader(io.BytesIO(data)).metadata
    assert info is not None and info["/CreationDate"].startswith("D:20240331120000")


def test_tagged_by_default(pdf: bytes) -> None:
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    tags = set(re.findall(rb"/S/(\w+)", pdf))
    assert {b"H1", b"P", b"Table", b"TH", b"TD", b"Figure", b"L", b"LI"} <= tags


def test_pdf_a3b_with_data_attachment(project: Project, backend: TypstPdfBackend) -> None:
    options = RenderOptions(pdf_variant="pdf/a-3b", data_json=b'{"customer": "C-1001"}')
    data = backend.render(project.document, options)
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert reader.attachments["data.json"] == [b'{"customer": "C-1001"}']
    filespec = root["/AF"][0].get_object()
    assert filespec["/AFRelationship"] == "/Data"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"
    xmp = root["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in xmp or b'pdfaid:part="3"' in xmp
    assert b"<pdfaid:conformance>B</pdfaid:conformance>" in xmp or b'conformance="B"' in xmp
    assert "/OutputIntents" in root
    assert backend.render(project.document, options) == data  # a fixed date, not the clock


def test_binary_attachment(project: Project, backend: TypstPdfBackend) -> None:
    blob = bytes(range(256))
    extra = Attachment("blob.bin", blob, "application/octet-stream", "Bytes", "Supplement")
    invoice = Attachment("factur-x.xml", b"<xml/>", "text/xml", "Factur-X", "Alternative")
    data = backend.render(project.document, RenderOptions(attachments=(extra, invoice)))
    attachments = PdfReader(io.BytesIO(data)).attachments
    assert attachments["blob.bin"] == [blob]
    assert attachments["factur-x.xml"] == [b"<xml/>"]


def test_pdf_ua(project: Project, backend: TypstPdfBackend) -> None:
    data = backend.render(project.document, RenderOptions(pdf_variant="pdf/ua-1"))
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def test_document_without_fonts_uses_typst_embedded_fonts(
    project: Project, backend: TypstPdfBackend
) -> None:
    document = dataclasses.replace(
        project.document,
        fonts=(),
        base_style=L.Style(font_size="10pt"),
        body=(L.Paragraph((L.Text("Plain"),), L.Style()),),
        first=None,
        rest=dataclasses.replace(project.document.rest, header=(), footer=()),
    )
    data = backend.render(document, RenderOptions())
    assert "Plain" in pdf_pages_text(data)[0]
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True).stdout.decode()
    assert "LibertinusSerif" in fonts


def test_unsized_images_get_css_pixels(project: Project, backend: TypstPdfBackend) -> None:
    """100 SVG user units and 60 PNG pixels are 75pt and 45pt wide, as in CSS."""
    blocks = (
        L.Image("assets/logo.svg", "logo", None, None, L.Style()),
        L.Image("assets/stamp.png", "stamp", None, None, L.Style()),
    )
    rest = dataclasses.replace(project.document.rest, header=(), footer=())
    document = dataclasses.replace(project.document, body=blocks, first=None, rest=rest)
    data = backend.render(document, RenderOptions())
    streams = PdfReader(io.BytesIO(data)).pages[0].get_contents()
    assert streams is not None
    content = streams.get_data()
    assert re.search(rb"\b45(?:\.0+)? 0 0 -?15(?:\.0+)? ", content), content[:400]  # the PNG
