"""Safety of the Typst engine (spec/typst.md, "Safety"): data never becomes Typst code, nothing
outside the template project is read, fonts are the project's own, and the program is fixed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

import pytest
import typst
from typst_helpers import Project, normalised_text, para, pdf_pages_text, statement

from ccmlang import layout as L
from ccmlang.backends.base import BackendError, RenderOptions
from ccmlang.backends.typst import TypstPdfBackend, TypstSourceBackend
from ccmlang.backends.typst_engine import SOURCE_LINE, program, typst_string

HOSTILE = [
    '#read("/etc/passwd")',
    '#import "@preview/cetz:0.3.0": *',
    '#include "/etc/hostname"',
    "]",
    "*bold*",
    "_emph_",
    "$x^2$",
    "<label>",
    "@ref",
    "\\\\ back\\slash \\u{41}",
    '"quoted" ] ) } #{ 1 + 1 }',
    '#eval("1")',
    "// not a comment",
    "= Not a heading",
    "`raw`",
]


@pytest.fixture(scope="module")
def backend() -> TypstPdfBackend:
    return TypstPdfBackend()


def small(project: Project, *blocks: L.Block, **changes: object) -> L.Document:
    """The test statement cut down to ``blocks`` on one page."""
    rest = dataclasses.replace(project.document.rest, header=(), footer=())
    return dataclasses.replace(project.document, body=blocks, first=None, rest=rest, **changes)


@pytest.mark.parametrize("name", HOSTILE)
def test_customer_names_print_literally(
    project: Project, backend: TypstPdfBackend, name: str
) -> None:
    document = statement(project.root, rows=3, name=name)
    text = normalised_text(backend.render(document, RenderOptions()))
    assert f"Dear {' '.join(name.split())}, here is your statement" in text
    assert "root:" not in text  # nothing of /etc/passwd


def test_hostile_text_everywhere(project: Project, backend: TypstPdfBackend) -> None:
    """Headings, table cells, captions, list items, link text and targets, alt texts, metadata."""
    evil = '#read("/etc/passwd") ] *x* $y$ <l> @r'
    table = L.Table(
        (L.Column(None, "left"),),
        (L.Row((L.Cell((para(evil),), L.Style()),), L.Style()),),
        (L.Row((L.Cell((para(evil),), L.Style(font_weight="bold")),), L.Style()),),
        (),
        L.Style(),
        L.Style(),
        caption=evil,
    )
    blocks: tuple[L.Block, ...] = (
        L.Heading(1, (L.Text(evil),), L.Style()),
        table,
        L.List(True, (L.ListItem((para(evil),)),), L.Style()),
        L.Paragraph((L.Link("https://example.com/?q=" + evil, (L.Text(evil),)),), L.Style()),
        L.Image("assets/stamp.png", evil, "10mm", None, L.Style()),
    )
    meta = dataclasses.replace(
        project.document.metadata, title=evil, author=evil, index=(("k", evil),)
    )
    data = backend.render(small(project, *blocks, metadata=meta), RenderOptions())
    text = normalised_text(data)
    assert text.count(" ".join(evil.split())) == 6  # heading, caption, 2 cells, item, link
    assert "root:" not in text
    from io import BytesIO

    from pypdf import PdfReader

    info = PdfReader(BytesIO(data)).metadata
    assert info is not None and info.title == evil and info["/ccmindexk"] == evil


def test_typst_string_literal_cannot_be_closed_early() -> None:
    nasty = 'a"b\\c\n#read("x")\u2028\x00'
    value = typst.Compiler(b"").eval(typst_string(nasty), format="json")
    assert json.loads(value) == nasty


def test_source_backend_is_self_contained_and_safe(project: Project, tmp_path: Path) -> None:
    """``ccm render --to typst`` embeds the data as one string literal; compiling that file with
    the project as root gives the same text as the PDF engine."""
    document = statement(project.root, rows=3, name='") #read("/etc/passwd") //')
    source = TypstSourceBackend().render(document, RenderOptions())
    text = source.decode()
    assert text.count("#let ccm-source = ") == 1
    before, after = program().split(SOURCE_LINE)
    assert text.endswith(after)  # the rest of the fixed program is unchanged
    assert before in text
    fonts = typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=False,
        font_paths=[str(project.root / "fonts")],
    )
    target = project.root / "out.typ"
    target.write_bytes(source)
    try:
        pdf = typst.compile(str(target), root=str(project.root), font_paths=fonts, format="pdf")
    finally:
        target.unlink()
    engine = TypstPdfBackend().render(document, RenderOptions())
    assert normalised_text(pdf) == normalised_text(engine)
    assert '") #read("/etc/passwd") //' in normalised_text(pdf)


def test_program_is_fixed_and_imports_nothing() -> None:
    """No import, include, read, eval or plugin anywhere in the program: data can reach none."""
    code = "\n".join(line for line in program().splitlines() if not line.lstrip().startswith("//"))
    for word in ("import", "include", "read(", "eval(", "plugin", "@preview"):
        assert word not in code, word
    assert program().count("sys.inputs") == 1


def test_image_outside_the_project_is_refused(
    project: Project, backend: TypstPdfBackend, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes((project.root / "assets" / "stamp.png").read_bytes())
    for src in ("../secret.png", str(outside), "file:///etc/passwd", "https://example.com/x.png"):
        image = L.Image(src, "x", "10mm", None, L.Style(), origin=L.Origin("t.ccm", 7, 3))
        with pytest.raises(BackendError) as info:
            backend.render(small(project, image), RenderOptions())
        assert info.value.code == "E3007", src
        assert info.value.origin == L.Origin("t.ccm", 7, 3)


def test_symlink_out_of_the_project_is_refused(
    project: Project, backend: TypstPdfBackend, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.svg"
    outside.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    link = project.root / "assets" / "link.svg"
    os.symlink(outside, link)
    try:
        image = L.Image("assets/link.svg", "x", "10mm", None, L.Style())
        with pytest.raises(BackendError) as info:
            backend.render(small(project, image), RenderOptions())
        assert info.value.code == "E3007"
    finally:
        link.unlink()


def test_missing_image_is_an_error(project: Project, backend: TypstPdfBackend) -> None:
    image = L.Image("assets/nope.png", "x", "10mm", None, L.Style())
    with pytest.raises(BackendError) as info:
        backend.render(small(project, image), RenderOptions())
    assert info.value.code == "E1016"


def test_svg_graphic_with_outside_reference_is_refused(
    project: Project, backend: TypstPdfBackend
) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<image xlink:href="file:///etc/passwd"/></svg>'
    )
    graphic = L.Graphic("chart-bar", svg, "x", "10mm", "10mm", L.Style())
    with pytest.raises(BackendError) as info:
        backend.render(small(project, graphic), RenderOptions())
    assert info.value.code == "E3007"


def test_unknown_font_family_is_an_error_never_a_fallback(
    project: Project, backend: TypstPdfBackend
) -> None:
    origin = L.Origin("t.ccm", 9, 1)
    paragraph = L.Paragraph(
        (L.Text("x"),), L.Style(font_family="Helvetica, sans-serif"), origin=origin
    )
    with pytest.raises(BackendError) as info:
        backend.render(small(project, paragraph), RenderOptions())
    assert info.value.code == "E1016"
    assert "Helvetica" in info.value.message and info.value.origin == origin


def test_generic_family_alone_uses_the_project_font(
    project: Project, backend: TypstPdfBackend
) -> None:
    paragraph = L.Paragraph((L.Text("generic"),), L.Style(font_family="monospace"))
    data = backend.render(small(project, paragraph), RenderOptions())
    assert "generic" in pdf_pages_text(data)[0]


def test_font_file_missing_or_not_a_font(project: Project, backend: TypstPdfBackend) -> None:
    missing = (L.FontFace("Test Sans", "fonts/missing.ttf"),)
    with pytest.raises(BackendError) as info:
        backend.render(small(project, para("x"), fonts=missing), RenderOptions())
    assert info.value.code == "E1016"
    (project.root / "fonts" / "fake.ttf").write_bytes(b"not a font at all")
    fake = (L.FontFace("Test Sans", "fonts/fake.ttf"),)
    with pytest.raises(BackendError) as info:
        backend.render(small(project, para("x"), fonts=fake), RenderOptions())
    assert info.value.code == "E3007"


def test_font_outside_the_project_is_refused(project: Project, backend: TypstPdfBackend) -> None:
    outside = (L.FontFace("Test Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
    with pytest.raises(BackendError) as info:
        backend.render(small(project, para("x"), fonts=outside), RenderOptions())
    assert info.value.code == "E3007"


def test_undeclared_fonts_next_to_declared_ones_are_not_used(
    project: Project, backend: TypstPdfBackend
) -> None:
    """The font book holds copies of the declared files only, not their directory."""
    from ccmlang.backends.typst import asset_checks
    from ccmlang.backends.typst_engine.fonts import font_set

    root = os.path.realpath(project.root)
    fonts = font_set(project.document, asset_checks(root, 40_000_000).fetcher)
    assert fonts.directory is not None
    assert sorted(os.listdir(fonts.directory)) == ["000.ttf"]
    assert {f.family for f in fonts.fonts.fonts()} == {"DejaVu Sans"}


def test_bad_values_are_refused_not_pasted(project: Project, backend: TypstPdfBackend) -> None:
    for style in (
        L.Style(color='red"); #read("/etc/passwd'),
        L.Style(font_size="12pt; x"),
        L.Style(padding=("1mm", "1mm", "1mm", "calc(1mm)")),
    ):
        with pytest.raises(BackendError) as info:
            backend.render(small(project, L.Paragraph((L.Text("x"),), style)), RenderOptions())
        assert info.value.code == "E3008"
    assert re.search(r"cannot be rendered", str(info.value))
