"""The safe fetcher: every refused URL form, pixel limits read from headers, unsafe SVG, and
every sink WeasyPrint fetches through (img, @font-face, CSS url(), @import, SVG <image>,
<link rel=attachment>) when rendering through the PDF path."""

from __future__ import annotations

import base64
import dataclasses
import os
import socket
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccmlang import layout as L
from ccmlang.backends.base import Attachment, BackendError, RenderOptions
from ccmlang.backends.fetch import SafeFetcher, image_size, make_fetcher
from ccmlang.backends.pdf import PdfBackend, write_pdf

from .conftest import LOGO_SVG, make_project, png_bytes


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("fetchproject"))
    outside = root.parent / "outside-secret.png"
    outside.write_bytes(png_bytes(4, 4))
    os.symlink(outside, root / "assets" / "link-out.png")
    os.symlink(root / "assets" / "stamp.png", root / "assets" / "link-in.png")
    (root / "assets" / "bomb.png").write_bytes(png_header(20_000, 20_000))
    return root


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to resolve or connect fails the test loudly."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", forbidden)
    monkeypatch.setattr(socket, "create_connection", forbidden)
    monkeypatch.setattr(socket.socket, "connect", forbidden)


@pytest.fixture
def fetcher(root: Path) -> SafeFetcher:
    return make_fetcher(root)


def png_header(width: int, height: int) -> bytes:
    """Only a PNG signature and IHDR: enough for the header check, nothing to decode."""
    ihdr = struct.pack(">II", width, height) + b"\x08\x02\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0\0\0\0"


def jpeg_header(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + b"\xff\xff" + sof + b"\xff\xd9"


def data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64," + base64.b64encode(data).decode()


# ---------------------------------------------------------------- URL forms


REFUSED_URLS = [
    "http://example.com/logo.png",
    "https://example.com/logo.png",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:127.0.0.1]/",
    "http://2130706433/",
    "http://localhost:8080/admin",
    "HTTP://LOCALHOST/",
    "ftp://example.com/file.png",
    "gopher://example.com/",
    "jar:file:///tmp/x.jar!/a.png",
    "file:///etc/passwd",
    "file://otherhost/share/logo.png",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_refused_urls(fetcher: SafeFetcher, url: str) -> None:
    with pytest.raises(BackendError) as info:
        fetcher.fetch(url)
    assert info.value.code == "E3007"
    assert url[:20] in str(info.value)
    assert fetcher.refusals and fetcher.refusals[-1] is info.value


def test_refused_paths(fetcher: SafeFetcher, root: Path) -> None:
    for url in (
        (root / "assets" / ".." / ".." / "outside-secret.png").as_uri(),
        root.as_uri() + "/assets/../../outside-secret.png",
        root.as_uri() + "/assets/link-out.png",  # symlink pointing outside: followed, refused
        root.as_uri(),  # the root directory itself
        root.as_uri() + "/assets",  # a directory
        root.as_uri() + "/assets/%2e%2e/%2e%2e/outside-secret.png",  # encoded dots
        root.as_uri() + "/assets/stamp.png%00.svg",
        "../outside-secret.png",
    ):
        with pytest.raises(BackendError) as info:
            fetcher.fetch(url)
        assert info.value.code == "E3007", url


def test_resolve_refuses_non_relative_asset_paths(fetcher: SafeFetcher) -> None:
    for src in ("/etc/passwd", "../outside-secret.png", "http://x/y.png", "assets\\x.png"):
        with pytest.raises(BackendError, match="E3007"):
            fetcher.resolve(src)


def test_served(fetcher: SafeFetcher, root: Path) -> None:
    response = fetcher.fetch((root / "assets" / "stamp.png").as_uri())
    assert response.content_type == "image/png"
    assert response.path is None  # WeasyPrint must not re-read the file behind our back
    assert response.read().startswith(b"\x89PNG")
    assert fetcher.fetch(root.as_uri() + "/assets/link-in.png").content_type == "image/png"
    assert fetcher.fetch("assets/logo.svg").content_type == "image/svg+xml"
    font = fetcher.fetch(root.as_uri() + "/fonts/DejaVuSans.ttf")
    assert font.content_type == "font/ttf"
    assert fetcher.fetch(data_uri("image/png", png_bytes(2, 2))).content_type == "image/png"
    assert fetcher.fetch("data:text/css,p%7Bcolor:red%7D").read() == b"p{color:red}"
    assert fetcher.refusals == []


def test_missing_file(fetcher: SafeFetcher, root: Path) -> None:
    with pytest.raises(BackendError) as info:
        fetcher.fetch(root.as_uri() + "/assets/nope.png")
    assert info.value.code == "E1016"


def test_unsupported_content_is_refused(fetcher: SafeFetcher) -> None:
    bmp = b"BM" + b"\0" * 60
    with pytest.raises(BackendError, match="unsupported asset type"):
        fetcher.fetch(data_uri("image/bmp", bmp))
    with pytest.raises(BackendError, match="not UTF-8"):
        fetcher.fetch(data_uri("text/css", bmp + b"\xff\xfe"))


def test_urlopen_is_never_used(fetcher: SafeFetcher) -> None:
    with pytest.raises(BackendError, match="E3007"):
        fetcher.open("http://example.com/")


# ---------------------------------------------------------------- image headers


def test_image_size_from_headers() -> None:
    assert image_size(png_header(640, 480)) == ("png", 640, 480)
    assert image_size(jpeg_header(1024, 768)) == ("jpeg", 1024, 768)
    assert image_size(b"GIF89a" + struct.pack("<HH", 300, 200) + b"\0" * 10) == ("gif", 300, 200)
    vp8x = (
        b"RIFF\0\0\0\0WEBPVP8X"
        + b"\0" * 8
        + (999).to_bytes(3, "little")
        + (499).to_bytes(3, "little")
    )
    assert image_size(vp8x) == ("webp", 1000, 500)
    assert image_size(b"not an image") is None


@pytest.mark.parametrize(
    ("media_type", "data"),
    [
        ("image/png", png_header(10_000, 10_000)),
        ("image/jpeg", jpeg_header(65_000, 65_000)),
        ("image/gif", b"GIF89a" + struct.pack("<HH", 65_535, 65_535) + b"\0" * 10),
    ],
)
def test_pixel_limit(fetcher: SafeFetcher, media_type: str, data: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(BackendError) as info:
        fetcher.fetch(data_uri(media_type, data))
    assert info.value.code == "E3009"
    assert "pixels" in str(info.value)
    assert time.perf_counter() - started < 0.5  # nothing was decoded


def test_pixel_limit_is_configurable(root: Path) -> None:
    small = make_fetcher(root, max_image_pixels=100)
    with pytest.raises(BackendError, match="E3009"):
        small.fetch("assets/stamp.png")  # 60×20 = 1200 pixels


def test_truncated_headers_are_refused(fetcher: SafeFetcher) -> None:
    for data in (b"\x89PNG\r\n\x1a\n\0\0", b"\xff\xd8\xff\xd9", b"GIF89a\x01"):
        with pytest.raises(BackendError, match="E3007"):
            fetcher.fetch(data_uri("image/png", data))


# ---------------------------------------------------------------- SVG


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol2;</text></svg>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>"""


def svg_with(inner: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="10" height="10">{inner}</svg>'
    ).encode()


@pytest.mark.parametrize(
    "data",
    [
        BILLION_LAUGHS,
        XXE,
        XXE.replace(b'"1.0"', b'"1.0" encoding="UTF-16"').decode().encode("utf-16"),
    ],
    ids=["billion-laughs", "xxe", "xxe-utf16"],
)
def test_svg_with_dtd_or_entities(fetcher: SafeFetcher, data: bytes) -> None:
    with pytest.raises(BackendError) as info:
        fetcher.fetch(data_uri("image/svg+xml", data))
    assert info.value.code == "E3010"


@pytest.mark.parametrize(
    "inner",
    [
        '<image href="http://169.254.169.254/x.png" width="5" height="5"/>',
        '<image xlink:href="https://example.com/x.png"/>',
        '<image href="file:///etc/passwd"/>',
        '<image href="../../../../etc/passwd"/>',
        '<image href="/etc/passwd"/>',
        '<use href="http://example.com/sprite.svg#a"/>',
        "<style>@import 'http://example.com/a.css';</style>",
        '<rect width="5" height="5" style="fill: url(http://example.com/p.svg#g)"/>',
        '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>',
    ],
)
def test_svg_references_outside_are_refused(fetcher: SafeFetcher, inner: str) -> None:
    with pytest.raises(BackendError) as info:
        fetcher.fetch(data_uri("image/svg+xml", svg_with(inner)))
    assert info.value.code in ("E3007", "E3010")


def test_svg_internal_references_pass(fetcher: SafeFetcher) -> None:
    inner = (
        '<defs><linearGradient id="g"/></defs><rect id="r" fill="url(#g)" width="5" height="5"/>'
        '<use href="#r"/><image href="assets/stamp.png" width="5" height="5"/>'
    )
    assert fetcher.fetch(data_uri("image/svg+xml", svg_with(inner))).content_type == "image/svg+xml"


def test_malformed_svg(fetcher: SafeFetcher) -> None:
    with pytest.raises(BackendError, match="E3007"):
        fetcher.fetch(data_uri("image/svg+xml", b"<svg><unclosed></svg>"))


# ---------------------------------------------------------------- through the document


def doc(root: Path, *blocks: L.Block, fonts: tuple[L.FontFace, ...] = ()) -> L.Document:
    page = L.PageMaster("148mm", "210mm", ("10mm",) * 4)
    return L.Document(L.Metadata(title="t"), page, None, blocks, L.Style(), fonts, str(root))


def image(src: str) -> L.Image:
    return L.Image(src, "alt", "10mm", None, L.Style(), origin=L.Origin("letter.ccm", 7, 3))


@pytest.mark.parametrize(
    ("src", "code"),
    [
        ("../outside-secret.png", "E3007"),
        ("/etc/passwd", "E3007"),
        ("assets/link-out.png", "E3007"),
        ("http://example.com/logo.png", "E3007"),
        ("assets/bomb.png", "E3009"),
        ("assets/missing.png", "E1016"),
    ],
)
def test_document_images_name_the_template_line(root: Path, src: str, code: str) -> None:
    with pytest.raises(BackendError) as info:
        PdfBackend().render(doc(root, image(src)), RenderOptions())
    assert info.value.code == code
    assert str(info.value).startswith("letter.ccm:7:3: " + code)


def test_document_graphic_with_entities(root: Path) -> None:
    graphic = L.Graphic(
        "chart-bar",
        XXE.decode(),
        "chart",
        "10mm",
        "10mm",
        L.Style(),
        origin=L.Origin("c.ccm", 3, 1),
    )
    with pytest.raises(BackendError) as info:
        PdfBackend().render(doc(root, graphic), RenderOptions())
    assert info.value.code == "E3010" and info.value.origin == graphic.origin


def test_document_font_outside(root: Path) -> None:
    outside = L.FontFace("Evil", "../outside-secret.png")
    with pytest.raises(BackendError, match=r"E3007.*font 'Evil'"):
        PdfBackend().render(doc(root, fonts=(outside,)), RenderOptions())
    not_a_font = L.FontFace("Logo", "assets/stamp.png")
    with pytest.raises(BackendError, match="not a font file"):
        PdfBackend().render(doc(root, fonts=(not_a_font,)), RenderOptions())


def test_html_backend_checks_assets_too(root: Path) -> None:
    from ccmlang.backends.html import HtmlBackend

    with pytest.raises(BackendError, match="E3007"):
        HtmlBackend().render(doc(root, image("../outside-secret.png")), RenderOptions())


def test_attachments_are_bytes_never_urls() -> None:
    with pytest.raises(TypeError, match="never fetched"):
        Attachment("passwd", "file:///etc/passwd")  # type: ignore[arg-type]


# ---------------------------------------------------------------- every WeasyPrint sink


def render_html(root: Path, body: str, css: str = "") -> bytes:
    html = f"<!DOCTYPE html><html><head><title>t</title>{body}"
    sheets = [css] if css else []
    return write_pdf(html, fetcher=make_fetcher(root), options=RenderOptions(), stylesheets=sheets)


def expect_refusal(root: Path, body: str, css: str = "", code: str = "E3007") -> BackendError:
    with pytest.raises(BackendError) as info:
        render_html(root, body, css)
    assert info.value.code == code
    return info.value


@pytest.fixture
def sinks(root: Path) -> Iterator[Path]:
    nested = root / "assets" / "nested.svg"
    nested.write_bytes(svg_with('<image href="bomb.png" width="5" height="5"/>'))
    outside_ref = root / "assets" / "outside-ref.svg"
    outside_ref.write_bytes(svg_with('<image href="http://169.254.169.254/x.png"/>'))
    yield root
    nested.unlink()
    outside_ref.unlink()


def test_sink_img(sinks: Path) -> None:
    assert "169.254" in str(expect_refusal(sinks, '<img src="http://169.254.169.254/x.png">'))
    expect_refusal(sinks, '<img src="../outside-secret.png">')
    expect_refusal(
        sinks, f'<img src="{data_uri("image/png", png_header(9000, 9000))}">', code="E3009"
    )


def test_sink_css_url(sinks: Path) -> None:
    expect_refusal(sinks, "<p>x</p>", "p { background: url(http://example.com/bg.png) }")
    expect_refusal(sinks, '<p style="background: url(file:///etc/passwd)">x</p>')


def test_sink_css_import(sinks: Path) -> None:
    expect_refusal(sinks, "<p>x</p>", "@import url(file:///etc/passwd);")
    expect_refusal(sinks, "<style>@import 'https://example.com/a.css';</style><p>x</p>")
    expect_refusal(sinks, '<link rel="stylesheet" href="http://example.com/a.css"><p>x</p>')


def test_sink_font_face(sinks: Path) -> None:
    css = '@font-face { font-family: X; src: url("http://example.com/x.ttf") } p { font-family: X }'
    expect_refusal(sinks, "<p>x</p>", css)


def test_sink_svg_image(sinks: Path) -> None:
    # refused when the SVG asset is checked on load
    expect_refusal(sinks, '<img src="assets/outside-ref.svg">')
    # a reference inside the project that fails later, while WeasyPrint draws the SVG (where it
    # swallows every exception): the recorded refusal still fails the render
    expect_refusal(sinks, '<img src="assets/nested.svg">', code="E3009")


def test_sink_link_attachment(sinks: Path) -> None:
    expect_refusal(sinks, '<link rel="attachment" href="file:///etc/passwd"><p>x</p>')


def test_allowed_sinks_render(sinks: Path) -> None:
    body = (
        '<img src="assets/logo.svg"><img src="assets/stamp.png">'
        f'<img src="{data_uri("image/svg+xml", LOGO_SVG.encode())}"><p>ok</p>'
    )
    assert render_html(sinks, body, "p { background: url(assets/stamp.png) }").startswith(b"%PDF")


def test_no_project_root_means_no_files(root: Path) -> None:
    document = dataclasses.replace(doc(root, image("assets/stamp.png")), project_root="")
    with pytest.raises(BackendError, match="no project root"):
        PdfBackend().render(document, RenderOptions())
