"""Units of the Typst engine: lowering values, the info update, engine selection."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from typst_helpers import Project

from ccmlang import layout as L
from ccmlang.backends.base import BackendError, Registry, RenderOptions
from ccmlang.backends.typst import TypstPdfBackend
from ccmlang.backends.typst_engine.lower import (
    FontMap,
    Lowering,
    collapse,
    colour,
    language,
    length,
    line_edges,
)
from ccmlang.backends.typst_engine.pdfinfo import add_info, info_key
from ccmlang.engine import (
    DEFAULT_ENGINE,
    EngineError,
    configured_engine,
    engine_for,
    pdf_backend_for,
)

# ---------------------------------------------------------------- lowering values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10pt", 10.0),
        ("25.4mm", 72.0),
        ("1in", 72.0),
        ("16px", 12.0),
        ("0", 0.0),
        ("1.5em", {"em": 1.5}),
        ("40%", {"pct": 40.0}),
        (".5cm", 14.173),
    ],
)
def test_length(text: str, expected: object) -> None:
    assert length(text) == expected


@pytest.mark.parametrize("text", ["", "10", "1pt; x", "calc(1pt)", "10 pt pt", "#fff", "1e3pt"])
def test_bad_length(text: str) -> None:
    with pytest.raises(BackendError) as info:
        length(text)
    assert info.value.code == "E3008"


def test_colour() -> None:
    assert colour("#ABCDEF") == "#abcdef"
    assert colour("#abc") == "#abc"
    for bad in ("red", "#abcd1", 'rgb("#fff")', "#fff)"):
        with pytest.raises(BackendError):
            colour(bad)


def test_line_height_gives_css_line_boxes() -> None:
    top, bottom = line_edges("1.4", None)
    assert isinstance(top, dict) and isinstance(bottom, dict)
    assert pytest.approx(top["em"] - bottom["em"]) == 1.4
    top, bottom = line_edges("14pt", None)
    assert top == {"pt": 7.0, "em": 0.35} and bottom == {"pt": -7.0, "em": 0.35}


def test_language() -> None:
    assert language("en-GB") == ("en", "GB")
    assert language("de") == ("de", None)
    assert language("es-419") == ("es", None)
    assert language("") == ("und", None)


def test_collapse_white_space_like_html() -> None:
    assert collapse("a  b\n\tc") == "a b c"
    assert collapse(" a ") == " a "


def test_styles_are_shared_and_cells_are_bare_strings() -> None:
    lowering = Lowering(FontMap({"Test Sans": "DejaVu Sans"}, ["DejaVu Sans"]))
    bold = L.Style(font_weight="bold", font_family="Test Sans, sans-serif")
    cell = L.Cell((L.Paragraph((L.Text("x"),), L.Style()),), L.Style())
    table = L.Table(
        (L.Column("10mm", "left"), L.Column("20mm", "right")),
        (),
        (L.Row((cell, cell), L.Style()), L.Row((cell, cell), L.Style()), L.Row((cell, cell), bold)),
        (),
        L.Style(),
        L.Style(),
        zebra="#eeeeee",
    )
    out = lowering.block(table)
    assert out["cols"] == [{"fr": 28.346}, {"fr": 56.693}]  # fixed widths share the width
    assert out["body"][0] == out["body"][1] == ["x", "x"]  # zebra by the table, no format
    assert out["zebra"] == "#eeeeee" and "plain" not in out
    bold_cell = out["body"][2][
        0
    ]  # a zebra row with its own style: a format, the fill is the table's
    assert bold_cell["c"] == "x" and set(lowering.formats[bold_cell["f"]]) == {"ts"}
    equal = L.Style(font_weight="bold", font_family="Test Sans, sans-serif")
    assert equal is not bold and lowering.style(equal) == lowering.style(bold)
    assert lowering.styles[0]["font"] == ["DejaVu Sans"]


# ---------------------------------------------------------------- /Info update


def test_add_info_is_an_incremental_update(project: Project, tmp_path: Path) -> None:
    import dataclasses

    document = dataclasses.replace(project.document, metadata=L.Metadata(title="T"))
    pdf = TypstPdfBackend().render(document, RenderOptions())
    updated = add_info(pdf, [("ccm:index:name", "Zoë <x> (1)"), ("", "ignored")])
    assert updated.startswith(pdf)
    info = PdfReader(io.BytesIO(updated)).metadata
    assert info is not None and info.title == "T" and info["/ccmindexname"] == "Zoë <x> (1)"
    path = tmp_path / "u.pdf"
    path.write_bytes(updated)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert add_info(pdf, []) == pdf
    assert info_key("ccm:template-version") == "ccmtemplateversion"


# ---------------------------------------------------------------- engine selection


def test_engine_from_ccm_toml(tmp_path: Path) -> None:
    assert configured_engine(tmp_path) == DEFAULT_ENGINE == "weasyprint"
    (tmp_path / "ccm.toml").write_text('[render]\nengine = "typst"\n')
    assert configured_engine(tmp_path) == "typst"
    assert configured_engine(tmp_path / "ccm.toml") == "typst"
    assert engine_for(tmp_path, "weasyprint") == "weasyprint"
    assert pdf_backend_for(tmp_path).name == "pdf-typst"
    assert pdf_backend_for(tmp_path, "weasyprint").name == "pdf"
    assert pdf_backend_for(None).name == "pdf"


@pytest.mark.parametrize(
    "text",
    ['[render]\nengine = "fop"\n', "[render]\nengine = 3\n", "render = 1\n", "[render\n"],
)
def test_bad_engine_configuration(tmp_path: Path, text: str) -> None:
    (tmp_path / "ccm.toml").write_text(text)
    with pytest.raises(EngineError) as info:
        configured_engine(tmp_path)
    assert "ccm.toml" in str(info.value)
    with pytest.raises(EngineError):
        engine_for(None, "prince")


def test_engine_not_installed_says_what_to_install(tmp_path: Path) -> None:
    class Broken:
        name = "pdf-typst"
        value = "ccmlang.backends.typst:TypstPdfBackend"

        def load(self) -> object:
            raise ImportError("No module named 'typst'")

    with pytest.raises(EngineError) as info:
        pdf_backend_for(tmp_path, "typst", registry=Registry([Broken()]))
    assert "pip install ccmlang[typst]" in str(info.value)


def test_registered_through_entry_points() -> None:
    from ccmlang.backends import load_backends

    registry = load_backends()
    assert registry.get("pdf-typst").media_type == "application/pdf"
    assert registry.get("typst").extension == "typ"
