"""The PDF backend on a 3-page statement: text, pages, fonts, metadata, variants, determinism."""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from ccmlang import layout as L
from ccmlang.backends.base import Attachment, RenderOptions
from ccmlang.backends.pdf import PdfBackend

from .conftest import QR_SVG, Project


def pdf_pages_text(data: bytes, tmp: Path) -> list[str]:
    """``pdftotext -layout``, one string per page (poppler separates pages with a form feed)."""
    path = tmp / "out.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    pages = result.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@pytest.fixture(scope="module")
def backend() -> PdfBackend:
    return PdfBackend()


@pytest.fixture(scope="module")
def pdf(project: Project, backend: PdfBackend) -> bytes:
    return backend.render(project.document, RenderOptions())


@pytest.fixture(scope="module")
def pages(pdf: bytes, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return pdf_pages_text(pdf, tmp_path_factory.mktemp("text"))


def test_three_pages(pdf: bytes, pages: list[str]) -> None:
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3
    assert len(pages) == 3


def test_page_x_of_y_on_every_page(pages: list[str]) -> None:
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"Page {number} of 3\b", page), page[-300:]
    assert "Page 1 of 3" in pages[0] and "Page 3 of 3" in pages[2]


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
    # the table continues on page 2 under a repeated header row
    second = pages[1]
    assert re.search(r"Date\s+Description\s+Amount\s+Type", second)
    assert "Card payment 80 at" in second
    assert "Closing balance" in second
    assert second.index("Date") < second.index("Card payment 80")
    assert "Important information" in pages[2] and "Thank you" in pages[2]


def test_amount_column_is_right_aligned(pages: list[str]) -> None:
    lines = [line for line in pages[0].splitlines() if "Card payment" in line]
    ends = {line.index(" DEB") for line in lines}  # amounts end at the same column
    amounts_end = {m.end() for line in lines if (m := re.search(r"-\d+\.\d\d", line))}
    assert len(amounts_end) == 1, amounts_end
    assert len(ends) == 1


def test_fonts_embedded_and_subset(pdf: bytes) -> None:
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
            assert re.match(r"^/[A-Z]{6}\+", base), base
            seen.add(base.split("+", 1)[1])
    assert "Brand-Sans" in seen


def test_metadata(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    info = reader.metadata
    assert info is not None
    assert info.title == "Statement 12345678"
    assert info.author == "Northwind Bank"
    assert info.subject == "Account statement March 2024"
    assert info["/Keywords"] == "statement, 2024-03"
    assert info["/ccmindexcustomer"] == "C-1001"
    assert "/CreationDate" not in info  # no clock
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_qpdf_check(pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "s.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_deterministic_bytes_and_no_warnings(
    project: Project, pdf: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    backend = PdfBackend()
    backend.prepare(project.document)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        again = backend.render(project.document, RenderOptions())
    assert [r.getMessage() for r in caplog.records] == []
    assert again == pdf
    ids = PdfReader(io.BytesIO(pdf)).trailer["/ID"]
    assert ids[0] != ids[1]  # first from the input hash, second from the content


def test_only_raster_is_the_png(pdf: bytes) -> None:
    """The SVG logo and the QR graphic are drawn as vectors; the PNG stamp is the only image."""
    reader = PdfReader(io.BytesIO(pdf))
    images = set()
    for page in reader.pages:
        for name, xobject in page["/Resources"].get("/XObject", {}).items():
            if xobject.get_object().get("/Subtype") == "/Image":
                images.add(name)
    assert len(images) == 1


def test_qr_graphic_alone_has_no_raster(project: Project, backend: PdfBackend) -> None:
    qr = L.Graphic("qr", QR_SVG, "Scan to pay", "30mm", "30mm", L.Style())
    document = dataclasses.replace(
        project.document, body=(qr,), first=None, fonts=(), base_style=L.Style()
    )
    reader = PdfReader(io.BytesIO(backend.render(document, RenderOptions())))
    page = reader.pages[0]
    xobjects = [x.get_object() for x in page["/Resources"].get("/XObject", {}).values()]
    assert all(x.get("/Subtype") != "/Image" for x in xobjects)
    streams = page.get_contents().get_data() + b"".join(x.get_data() for x in xobjects)
    assert re.search(rb"\bre\b", streams) and re.search(rb"\bf\b", streams)  # filled paths


def test_pdf_a3b_with_data_attachment(project: Project, backend: PdfBackend) -> None:
    options = RenderOptions(pdf_variant="pdf/a-3b", data_json=b'{"customer": "C-1001"}')
    data = backend.render(project.document, options)
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert reader.attachments["data.json"] == [b'{"customer": "C-1001"}']
    filespec = root["/AF"][0].get_object()
    assert filespec["/AFRelationship"] == "/Data"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in root
    assert backend.render(project.document, options) == data


def test_extra_attachment(project: Project, backend: PdfBackend) -> None:
    invoice = Attachment("factur-x.xml", b"<xml/>", "text/xml", "Factur-X", "Alternative")
    data = backend.render(project.document, RenderOptions(attachments=(invoice,)))
    assert PdfReader(io.BytesIO(data)).attachments["factur-x.xml"] == [b"<xml/>"]


def test_tagged_pdf_ua(project: Project, backend: PdfBackend) -> None:
    data = backend.render(project.document, RenderOptions(pdf_variant="pdf/ua-1"))
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def test_timestamp_is_written_when_given(project: Project, backend: PdfBackend) -> None:
    from datetime import UTC, datetime

    when = datetime(2024, 3, 31, 12, 0, tzinfo=UTC)
    document = dataclasses.replace(project.document, body=project.document.body[:2])
    info = PdfReader(io.BytesIO(backend.render(document, RenderOptions(timestamp=when)))).metadata
    assert info is not None and info["/CreationDate"].startswith("D:20240331120000")
    naive = RenderOptions(timestamp=datetime(2024, 3, 31, 12, 0))  # taken as UTC, not local
    assert backend.render(document, naive) == backend.render(
        document, RenderOptions(timestamp=when)
    )
