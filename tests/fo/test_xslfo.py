"""The XSL-FO the ``fo`` backend writes for the hand-built statement (no formatter needed).

FOP's view of the same FO is in test_fop.py; this file checks the mapping itself: page masters,
regions, "Page X of Y", tables, images, graphics, links, keeps and breaks, fonts, metadata,
determinism and the refusal of unsafe assets.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

import pytest
from lxml import etree

from ccmlang import layout as L
from ccmlang.backends import RenderOptions, load_backends
from ccmlang.backends.base import BackendError
from ccmlang.backends.fo_text import marker_text
from ccmlang.backends.xslfo import XslFoBackend

from .conftest import NS, Rendered, render_fo
from .handmade import NONE, make_project, para, statement
from .test_safexml import XXE, billion_laughs


def text_of(element: etree._Element) -> str:
    return "".join(str(t) for t in element.itertext())


def texts(elements: list[etree._Element]) -> list[str]:
    """Each element's text, whitespace-normalised (the FO is indented between blocks)."""
    return [" ".join(text_of(e).split()) for e in elements]


def find_all(element: etree._Element, path: str) -> list[etree._Element]:
    return [e for e in element.iterfind(path, NS)]


def single(rendered: Rendered, path: str) -> etree._Element:
    found = rendered.xpath(path)
    assert len(found) == 1, (path, found)
    return found[0]


def test_registered_as_fo() -> None:
    backend = load_backends().get("fo")
    assert isinstance(backend, XslFoBackend)
    assert (backend.name, backend.extension) == ("fo", "fo")
    assert backend.media_type == "application/xslfo+xml"


def test_output_is_indented_utf8_xml(handmade: Rendered) -> None:
    assert handmade.fo.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<fo:root")
    assert single(handmade, "/fo:root").get("{http://www.w3.org/XML/1998/namespace}lang") == (
        "en-GB"
    )


def test_first_and_rest_page_masters(handmade: Rendered) -> None:
    first = single(handmade, "//fo:simple-page-master[@master-name='ccm-first']")
    rest = single(handmade, "//fo:simple-page-master[@master-name='ccm-rest']")
    assert (first.get("page-width"), first.get("page-height")) == ("210mm", "297mm")
    assert (rest.get("margin-left"), rest.get("margin-right")) == ("20mm", "20mm")
    # the first page's header box is 12 mm below a 12 mm margin: the body starts at 24 mm
    assert first.find("fo:region-body", NS).get("margin-top") == "24mm"  # type: ignore[union-attr]
    assert first.find("fo:region-before", NS).get("extent") == "24mm"  # type: ignore[union-attr]
    assert rest.find("fo:region-before", NS).get("display-align") == "center"  # type: ignore[union-attr]
    refs = handmade.xpath("//fo:page-sequence-master//fo:conditional-page-master-reference")
    assert [(r.get("master-reference"), r.get("page-position")) for r in refs] == [
        ("ccm-first", "first"),
        ("ccm-rest", "rest"),
    ]
    assert single(handmade, "//fo:page-sequence").get("master-reference") == "ccm-pages"


def test_static_content_for_each_region(handmade: Rendered) -> None:
    regions = {
        r.get("region-name") for r in handmade.xpath("//fo:simple-page-master/*[@region-name]")
    }
    flows = [s.get("flow-name") for s in handmade.xpath("//fo:static-content")]
    assert flows == ["ccm-first-before", "ccm-first-after", "ccm-rest-before", "ccm-rest-after"]
    assert set(flows) <= regions
    logo = single(
        handmade,
        "//fo:static-content[@flow-name='ccm-first-before']//svg:svg".replace(
            "svg:svg", "*[local-name()='svg']"
        ),
    )
    assert logo.getparent().get("content-width") == "45mm"  # type: ignore[union-attr]
    continued = texts(handmade.xpath("//fo:static-content[@flow-name='ccm-rest-before']"))
    assert "Statement 12345678 (continued)" in continued[0]


def test_page_x_of_y(handmade: Rendered) -> None:
    for flow in ("ccm-first-after", "ccm-rest-after"):
        block = single(
            handmade, f"//fo:static-content[@flow-name='{flow}']//fo:block[fo:page-number]"
        )
        assert text_of(block).startswith("Page ")
        citation = block.find("fo:page-number-citation", NS)
        assert citation is not None and citation.get("ref-id") == "ccm-last"
    last = single(handmade, "//fo:flow/*[last()]")
    assert last.tag == f"{{{NS['fo']}}}block" and last.get("id") == "ccm-last" and not len(last)


def test_base_style_and_fonts_on_the_page_sequence(handmade: Rendered) -> None:
    sequence = single(handmade, "//fo:page-sequence")
    assert sequence.get("font-family") == "'Test Sans'"
    assert (sequence.get("font-size"), sequence.get("line-height")) == ("9.5pt", "1.4")


def test_transaction_table(handmade: Rendered) -> None:
    table = handmade.xpath("//fo:table[fo:table-header]")[0]
    assert (table.get("table-layout"), table.get("width")) == ("fixed", "100%")
    assert table.get("table-omit-header-at-break") is None  # FOP repeats the header by default
    assert table.get("table-omit-footer-at-break") == "true"  # totals once, at the end
    widths = [c.get("column-width") for c in table.findall("fo:table-column", NS)]
    assert widths == ["22mm", "proportional-column-width(1)", "28mm", "28mm"]
    head = table.find("fo:table-header", NS)
    assert head is not None and head.get("background-color") == "#1f3a5f"
    assert texts(head.findall(".//fo:table-cell", NS)) == [
        "Date",
        "Description",
        "Amount",
        "Balance",
    ]
    assert {c.get("font-weight") for c in head.iter(f"{{{NS['fo']}}}table-cell")} == {"bold"}
    rows = table.findall("fo:table-body/fo:table-row", NS)
    assert len(rows) == 80
    assert {r.get("keep-together.within-page") for r in rows} == {"1"}
    shaded = [i for i, r in enumerate(rows) if r[0].get("background-color") == "#f2f5f8"]
    assert shaded == list(range(0, 80, 2))
    amount = rows[0][2]
    assert amount.get("text-align") == "right" and amount.get("padding") == "0.75pt"
    total = table.find("fo:table-footer/fo:table-row", NS)
    assert total is not None and total.get("font-weight") == "bold"
    assert total.get("border-before-width") == "0.8pt"
    assert total[0].get("number-columns-spanned") == "3"
    caption = table.getprevious()
    assert caption is not None and caption.text == "Transactions in March"
    assert caption.get("keep-with-next.within-page") == "1"


def test_empty_table_prints_its_text_across_all_columns(handmade: Rendered) -> None:
    body = single(handmade, "//fo:table-body[contains(string(), 'No standing orders.')]")
    cells = body.findall("fo:table-row/fo:table-cell", NS)
    assert len(cells) == 1 and cells[0].get("number-columns-spanned") == "2"


def test_images(handmade: Rendered) -> None:
    seal = single(handmade, "//fo:external-graphic")
    assert seal.get("src") == "url('assets/seal.png')"  # relative to the project: portable
    # 90×30 px PNG shown 30 mm wide: the height follows the aspect ratio
    assert (seal.get("content-width"), seal.get("content-height")) == ("30mm", "28.346pt")
    assert seal.get("scaling") == "uniform"
    assert seal.get(f"{{{NS['fox']}}}alt-text") == "Northwind seal"
    figure = seal.getparent()
    assert figure is not None and figure.get("line-height") == "0pt"  # no strut under images
    assert b".svg" not in handmade.fo  # SVG assets are inlined after safe parsing


def test_graphics_are_inline_svg(handmade: Rendered) -> None:
    objects = handmade.xpath("//fo:flow//fo:instream-foreign-object")
    assert [o.get("content-width") for o in objects] == ["28mm", "120mm"]
    assert [o.get(f"{{{NS['fox']}}}alt-text") for o in objects] == [
        "Scan to pay",
        "Balance by month",
    ]
    for holder in objects:
        (svg,) = holder
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"Balance by month</text>" in handmade.fo


def test_links_keep_only_safe_schemes(handmade: Rendered) -> None:
    link = single(handmade, "//fo:basic-link")
    assert link.get("external-destination") == "url('https://northwind.example/help')"
    assert (link.get("color"), link.get("text-decoration")) == ("#0000ff", "underline")
    assert b"javascript" not in handmade.fo
    unsafe = single(handmade, "//fo:inline[.='us']")
    assert unsafe.get("color") == "#0000ff"  # still looks like the HTML link


def test_keeps_and_breaks(handmade: Rendered) -> None:
    heading = single(handmade, "//fo:block[.='Your transactions']")
    assert heading.get("break-before") == "page"
    # CSS keeps margins after a forced break; XSL would discard them at the top of the page
    assert heading.get("space-before.conditionality") == "retain"
    assert heading.get("keep-with-next.within-page") == "1"
    panel = single(handmade, "//fo:block[@background-color='#eef3f7']")
    assert panel.get("keep-together.within-page") == "1"
    assert panel.get(f"{{{NS['fox']}}}border-before-start-radius") == "1.5mm"
    first = single(handmade, "//fo:flow/*[1]")
    assert first.tag == f"{{{NS['fo']}}}table"  # the letterhead columns


def test_address_window_width_and_min_height(handmade: Rendered) -> None:
    row = single(handmade, "//fo:table-row[@block-progression-dimension.minimum]")
    assert row.get("block-progression-dimension.minimum") == "40mm"
    table = row.getparent().getparent()  # type: ignore[union-attr]
    assert table is not None and table.get("width") == "85mm"
    address = single(handmade, "//fo:block[@linefeed-treatment='preserve'][starts-with(., 'Ms')]")
    assert text_of(address) == "Ms Ada Lovelace\n12 St James's Square\nLONDON\nSW1Y 4LB"


def test_inline_content_is_never_reindented(handmade: Rendered) -> None:
    welcome = single(handmade, "//fo:block[starts-with(., 'Dear')]")
    assert "\n" not in etree.tostring(welcome, with_tail=False).decode()
    assert text_of(welcome).startswith("Dear Ms Lovelace, here is")


def test_lists(handmade: Rendered) -> None:
    outer = handmade.xpath("//fo:flow/fo:list-block")[0]
    assert texts(find_all(outer, "fo:list-item/fo:list-item-label")) == ["1.", "2.", "3."]
    nested = find_all(outer, ".//fo:list-block")[0]
    assert texts(find_all(nested, "fo:list-item/fo:list-item-label")) == ["◦", "◦"]
    assert nested.get("space-before") == "0pt"
    # paragraph margins move to the item, where they collapse with the next item's
    assert outer[0].get("space-before") == "1em" and outer[0].get("space-after") == "1em"
    assert [marker_text(k, 4) for k in ("lower-alpha", "upper-roman", "disc", "none")] == [
        "d.",
        "IV.",
        "•",
        "",
    ]


def test_metadata_as_xmp(handmade: Rendered) -> None:
    description = single(handmade, "//fo:declarations//*[local-name()='Description']")
    text = etree.tostring(description).decode()
    for expected in (
        "Statement 12345678",
        "Account statement, March 2024",
        "Northwind Bank",
        "<pdf:Keywords>statement, 2024-03</pdf:Keywords>",
        "<ccm:template>statement.ccm</ccm:template>",
        "<rdf:li>customer=C-1001</rdf:li>",
    ):
        assert expected in text
    assert "CreateDate" not in text  # no clock: dates only from RenderOptions.timestamp


def test_bookmarks_follow_heading_levels(handmade: Rendered) -> None:
    top = handmade.xpath("/fo:root/fo:bookmark-tree/fo:bookmark")
    assert texts([b.find("fo:bookmark-title", NS) for b in top]) == ["Your statement"]  # type: ignore[misc]
    children = top[0].findall("fo:bookmark/fo:bookmark-title", NS)
    assert texts(children) == [
        "Your account at a glance",
        "Your transactions",
        "Pay by bank transfer",
    ]
    for bookmark in handmade.xpath("//fo:bookmark"):
        assert len(handmade.xpath(f"//*[@id='{bookmark.get('internal-destination')}']")) == 1


def test_deterministic_and_independent_of_where_the_project_lives(
    handmade: Rendered, tmp_path: Path
) -> None:
    assert render_fo(handmade.document) == handmade.fo
    moved = shutil.copytree(handmade.root, tmp_path / "elsewhere")
    assert render_fo(statement(moved)) == handmade.fo
    assert str(handmade.root).encode() not in handmade.fo


def test_absolute_image_urls_on_request(handmade: Rendered) -> None:
    fo = render_fo(handmade.document, RenderOptions(extra={"image-urls": "absolute"}))
    real = (handmade.root / "assets" / "seal.png").resolve().as_uri()
    assert f"url('{real}')".encode() in fo
    with pytest.raises(BackendError) as info:
        render_fo(handmade.document, RenderOptions(extra={"image-urls": "http"}))
    assert info.value.code == "E3008"


def test_a_timestamp_is_written_only_when_given(handmade: Rendered) -> None:
    from datetime import UTC, datetime

    fo = render_fo(
        handmade.document, RenderOptions(timestamp=datetime(2024, 4, 2, 9, 30, tzinfo=UTC))
    )
    assert b"<xmp:CreateDate>2024-04-02T09:30:00+00:00</xmp:CreateDate>" in fo


# ---------------------------------------------------------------- refusals


def tiny(root: Path, *blocks: L.Block) -> L.Document:
    page = L.PageMaster("210mm", "297mm", ("20mm",) * 4)
    return L.Document(L.Metadata(), page, None, blocks, NONE, project_root=str(root))


@pytest.mark.parametrize("payload", [XXE, billion_laughs()], ids=["xxe", "billion-laughs"])
def test_unsafe_svg_assets_are_refused_quickly(tmp_path: Path, payload: bytes) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "evil.svg").write_bytes(payload)
    origin = L.Origin("letter.ccm", 7, 3)
    document = tiny(tmp_path, L.Image("assets/evil.svg", "logo", "30mm", None, NONE, origin))
    start = time.perf_counter()
    with pytest.raises(BackendError) as info:
        render_fo(document)
    assert time.perf_counter() - start < 1.0
    error = info.value
    assert error.code == "E3010"
    assert "assets/evil.svg" in error.message
    assert error.origin == origin
    assert str(error).startswith("letter.ccm:7:3: E3010: refused image asset 'assets/evil.svg'")


@pytest.mark.parametrize(
    ("svg", "code"),
    [
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
            "E3010",
        ),
        ('<!DOCTYPE svg [<!ENTITY e "x">]><svg xmlns="http://www.w3.org/2000/svg"/>', "E3010"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "E3007"),
    ],
    ids=["external-reference", "doctype", "malformed"],
)
def test_unsafe_graphics_are_refused(tmp_path: Path, svg: str, code: str) -> None:
    origin = L.Origin("letter.ccm", 9, 1)
    graphic = L.Graphic("qr", svg, "code", "20mm", "20mm", NONE, origin=origin)
    with pytest.raises(BackendError) as info:
        render_fo(tiny(tmp_path, graphic))
    assert info.value.code == code and info.value.origin == origin


def test_assets_outside_the_project_or_missing(tmp_path: Path) -> None:
    make_project(tmp_path)
    for src, code in (("../outside.png", "E3007"), ("assets/missing.png", "E1016")):
        image = L.Image(src, "x", "10mm", None, NONE, L.Origin("a.ccm", 1, 1))
        with pytest.raises(BackendError) as info:
            render_fo(tiny(tmp_path, image))
        assert info.value.code == code, src


def test_svg_asset_references_are_checked_and_rebased(tmp_path: Path) -> None:
    make_project(tmp_path)
    (tmp_path / "assets" / "framed.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' width="10" height="10"><image xlink:href="seal.png" width="10" height="10"/></svg>'
    )
    fo = render_fo(tiny(tmp_path, L.Image("assets/framed.svg", "x", None, None, NONE)))
    assert b'xlink:href="assets/seal.png"' in fo
    (tmp_path / "assets" / "leak.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="../../secret.png"/></svg>'
    )
    with pytest.raises(BackendError) as info:
        render_fo(tiny(tmp_path, L.Image("assets/leak.svg", "x", None, None, NONE)))
    assert info.value.code == "E3007"


def test_bad_style_values_are_refused(tmp_path: Path) -> None:
    bad = L.Paragraph((L.Text("x"),), L.Style(color="red; font-size: 99pt"))
    with pytest.raises(BackendError) as info:
        render_fo(tiny(tmp_path, bad))
    assert info.value.code == "E3008"


def test_text_that_xml_cannot_carry_is_replaced(tmp_path: Path) -> None:
    fo = render_fo(tiny(tmp_path, para("bell\x07 and \ufffe end")))
    assert "bell\ufffd and \ufffd end".encode() in fo
    etree.fromstring(fo)


def test_a_document_without_fonts_or_project(tmp_path: Path) -> None:
    document = dataclasses.replace(tiny(tmp_path, para("hello")), project_root="")
    fo = etree.fromstring(render_fo(document))
    sequence = fo.find(".//fo:page-sequence", NS)
    assert sequence is not None and sequence.get("font-family") == "serif"
    with pytest.raises(BackendError) as info:
        render_fo(dataclasses.replace(document, body=(L.Image("a.png", "", None, None, NONE),)))
    assert info.value.code == "E3007"
