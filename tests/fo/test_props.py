"""Layout values to XSL-FO properties, and the FOP configuration and log classification."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from ccmlang import layout as L
from ccmlang.backends.base import BackendError
from ccmlang.backends.fo_fop import classify, font_triplets, fop_config
from ccmlang.backends.fo_kern import with_kern_table
from ccmlang.backends.fo_props import (
    FOX_NS,
    add_lengths,
    block_props,
    color,
    font_family,
    length,
    line_height,
)

from .conftest import Rendered
from .handmade import FONT_DIR

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    ("css", "fo"),
    [
        ("25mm", "25mm"),
        ("1.50mm", "1.5mm"),
        ("12px", "9pt"),  # CSS: 96 px to the inch; FOP would read px at 72 dpi
        ("4Q", "1mm"),
        ("2rem", "24pt"),
        ("1.2em", "1.2em"),
        ("50%", "50%"),
        ("2ex", "1em"),
        ("0", "0pt"),
        ("-0.5pt", "-0.5pt"),
    ],
)
def test_lengths(css: str, fo: str) -> None:
    assert length(css) == fo


@pytest.mark.parametrize("bad", ["12", "1vw", "calc(1mm + 2mm)", "1mm; x", "", "url(a)"])
def test_bad_lengths_are_refused(bad: str) -> None:
    with pytest.raises(BackendError) as info:
        length(bad, "padding")
    assert info.value.code == "E3008"


def test_sums_stay_exact_and_readable() -> None:
    assert add_lengths("12mm", "12mm") == "24mm"
    assert add_lengths("1mm", "2pt") == "4.835pt"
    assert add_lengths("55%", "8mm") == "(55% + 8mm)"


def test_line_heights_colours_and_families() -> None:
    assert line_height("1.40") == "1.4"
    assert line_height("normal") == "normal"
    assert line_height("14px") == "10.5pt"
    assert color("#1f3a5f") == "#1f3a5f"
    with pytest.raises(BackendError):
        color("red;background:url(x)")
    assert (
        font_family('Brand Sans, "O\'Neil", sans-serif') == "'Brand Sans', \"O'Neil\", sans-serif"
    )


def test_a_block_style_in_css_box_model_terms() -> None:
    style = L.Style(
        font_weight="bold",
        text_align="right",
        padding=("1mm", "2mm", "1mm", "2mm"),
        border=(L.Border("1pt", "#000000"),) * 4,
        border_radius="2mm",
        background="#eeeeee",
    )
    props = dict(block_props(style))
    # padding and borders inside the inherited indent, as in CSS
    assert props["margin-left"] == props["margin-right"] == "0pt"
    assert props["padding-start"] == "2mm" and props["border-after-width"] == "1pt"
    assert props[f"{{{FOX_NS}}}border-before-start-radius"] == "2mm"
    assert props["background-color"] == "#eeeeee"
    assert "margin-left" not in dict(block_props(L.Style(padding=("1mm", "0mm", "1mm", "0mm"))))


def test_fop_configuration_maps_every_weight_and_style(handmade: Rendered) -> None:
    config = etree.fromstring(fop_config(handmade.document))
    assert config.findtext("strict-validation") == "true"
    assert config.findtext("source-resolution") == "96"
    base = config.findtext("base")
    assert base is not None and base.startswith("file:") and base.endswith("/")
    fonts = config.findall("renderers/renderer/fonts/font")
    urls = [f.get("embed-url", "") for f in fonts]
    assert [u.rsplit("/", 1)[1] for u in urls] == ["TestSans-Regular.ttf", "TestSans-Bold.ttf"]
    triplets = {
        (t.get("name"), t.get("style"), t.get("weight")): font.get("embed-url", "")
        for font in fonts
        for t in font.findall("font-triplet")
    }
    assert triplets[("Test Sans", "normal", "400")].endswith("Regular.ttf")
    assert triplets[("Test Sans", "normal", "700")].endswith("Bold.ttf")
    assert triplets[("Test Sans", "italic", "700")].endswith("Bold.ttf")  # nearest face
    assert triplets[("Test Sans", "normal", "300")].endswith("Regular.ttf")
    assert triplets[("sans-serif", "normal", "400")].endswith("Regular.ttf")  # SVG text
    assert len(triplets) == len(font_triplets(handmade.document)[0][1]) + len(
        font_triplets(handmade.document)[1][1]
    )


def test_fop_log_classification_ignores_the_debian_wrapper() -> None:
    log = "\n".join(
        [
            "[warning] /usr/bin/fop: Unable to locate xalan2 in /usr/share/java",
            "[INFO] FOUserAgent - Rendered page #1.",
            "[WARN] FOUserAgent - Font 'X' not found. Substituting with 'any'.",
            "SEVERE: something broke",
            "[ERROR] FOP - Exception",
        ]
    )
    errors, warnings = classify(log)
    assert errors == ("SEVERE: something broke", "[ERROR] FOP - Exception")
    assert warnings == ("[WARN] FOUserAgent - Font 'X' not found. Substituting with 'any'.",)


def test_a_kern_table_for_fonts_that_kern_with_gpos_only() -> None:
    brand = EXAMPLES / "brand" / "fonts" / "BrandSans-Regular.ttf"
    original = TTFont(brand)
    assert "kern" not in original and "GPOS" in original
    kerned = with_kern_table(brand.read_bytes())
    assert kerned is not None
    font = TTFont(io.BytesIO(kerned))
    pairs = font["kern"].kernTables[0].kernTable
    cmap = font.getBestCmap()
    assert pairs[(cmap[ord("A")], cmap[ord("V")])] < 0  # the classic pair
    assert 0 < len(pairs) <= 10_920
    assert font["hmtx"].metrics == original["hmtx"].metrics  # nothing else changes
    assert font.getGlyphOrder() == original.getGlyphOrder()


def test_no_kern_table_when_fop_needs_none() -> None:
    assert with_kern_table((FONT_DIR / "DejaVuSans.ttf").read_bytes()) is None  # has one
    assert with_kern_table(b"not a font") is None
