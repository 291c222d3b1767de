"""Apache FOP renders the hand-built statement's FO like WeasyPrint renders its HTML.

One FOP run and one WeasyPrint run for the module. FOP must exit 0 with no error and no warning
lines at all (the FOP configuration maps every font weight, so not even a font substitution).
"""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from ccmlang.backends import RenderOptions, load_backends
from ccmlang.backends.fo_fop import FopResult, run_fop

from .conftest import Rendered, requires_fop
from .pdftools import (
    explain_text_difference,
    fonts,
    link_uris,
    outline_titles,
    page_count,
    page_texts,
    page_words,
)

pytestmark = requires_fop


@pytest.fixture(scope="module")
def fop(handmade: Rendered) -> FopResult:
    return run_fop(handmade.fo, handmade.document)


@pytest.fixture(scope="module")
def weasyprint(handmade: Rendered) -> bytes:
    return load_backends().get("pdf").render(handmade.document, RenderOptions())


def test_fop_renders_without_errors_or_warnings(fop: FopResult) -> None:
    assert fop.returncode == 0, fop.log
    assert fop.errors == ()
    assert fop.warnings == ()
    assert fop.pdf.startswith(b"%PDF-")


def test_three_pages_like_weasyprint(fop: FopResult, weasyprint: bytes) -> None:
    assert page_count(fop.pdf) == page_count(weasyprint) == 3


def test_same_text_on_every_page_as_weasyprint(fop: FopResult, weasyprint: bytes) -> None:
    assert page_words(fop.pdf) == page_words(weasyprint), explain_text_difference(
        weasyprint, fop.pdf
    )
    # here even the reading order agrees (no side-by-side blocks of different font sizes)
    assert page_texts(fop.pdf) == page_texts(weasyprint)


def test_page_x_of_y_and_running_headers(fop: FopResult) -> None:
    pages = page_texts(fop.pdf)
    for number, text in enumerate(pages, start=1):
        assert text.endswith(f"Page {number} of 3")
    assert "(continued)" not in pages[0]
    assert all(
        text.startswith("Northwind Bank · Statement 12345678 (continued)") for text in pages[1:]
    )


def test_table_header_repeats_on_every_page_of_the_table(fop: FopResult) -> None:
    pages = page_texts(fop.pdf)
    assert [p.count("Date Description Amount Balance") for p in pages] == [0, 1, 1]
    assert pages[1].index("Your transactions") < pages[1].index("Card payment 1 ")
    assert "Closing balance" not in pages[1] and "Closing balance -5,279.60" in pages[2]
    rows = [int(n) for p in pages for n in re.findall(r"Card payment (\d+) ", p)]
    assert rows == list(range(1, 81))


def test_every_font_is_embedded_truetype(fop: FopResult) -> None:
    used = fonts(fop.pdf)
    assert used, "no fonts found"
    assert set(used.values()) == {"/FontFile2"}, used  # no unembedded base-14 font anywhere


def test_metadata_language_links_and_outline(fop: FopResult) -> None:
    reader = pypdf.PdfReader(io.BytesIO(fop.pdf))
    info = reader.metadata
    assert info is not None
    assert info.title == "Statement 12345678"
    assert info.author == "Northwind Bank"
    assert info.subject == "Account statement, March 2024"
    assert info["/Keywords"] == "statement, 2024-03"
    assert reader.root_object["/Lang"] == "en-GB"
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title == {"x-default": "Statement 12345678"}
    assert link_uris(fop.pdf) == ["https://northwind.example/help"]
    assert outline_titles(fop.pdf) == [
        "Your statement",
        ["Your account at a glance", "Your transactions", "Pay by bank transfer"],
    ]
