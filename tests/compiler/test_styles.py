"""Style flattening: properties mapped to layout.Style, `extends` resolved across modules."""

from __future__ import annotations

from pathlib import Path

from ccmlang import layout
from ccmlang.compiler.compile import compile_source
from ccmlang.compiler.program import Program

from .helpers import BRAND, project

NONE = layout.Border("0", "#000000", "none")


def program(tmp_path: Path, text: str) -> Program:
    root = project(tmp_path, {"lib/brand.ccm": BRAND})
    header = 'template "T"\nimport "lib/brand.ccm" as brand\n'
    return compile_source(header + text + 'paragraph "x"\n', project_root=root).program


def test_properties_map_to_layout_fields(tmp_path: Path) -> None:
    p = program(
        tmp_path,
        'style s { font: "Brand Sans" size: 9.5pt weight: semibold font-style: italic '
        "color: #112233 background: #FFEEDD line-height: 1.40 letter-spacing: 0.2pt "
        "align: justify transform: uppercase decoration: underline space-before: 2mm "
        "space-after: 3mm radius: 1mm width: 85mm min-height: 40mm }\n",
    )
    style = p.root.styles["s"].style
    assert style == layout.Style(
        name="s",
        font_family="Brand Sans",
        font_size="9.5pt",
        font_weight="600",
        font_style="italic",
        color="#112233",
        background="#ffeedd",
        line_height="1.40",
        letter_spacing="0.2pt",
        text_align="justify",
        text_transform="uppercase",
        text_decoration="underline",
        space_before="2mm",
        space_after="3mm",
        border_radius="1mm",
        width="85mm",
        min_height="40mm",
    )


def test_weights() -> None:
    from ccmlang.compiler.styles import WEIGHTS

    assert WEIGHTS == {
        "normal": "normal",
        "bold": "bold",
        "light": "300",
        "medium": "500",
        "semibold": "600",
    }


def test_line_height_length(tmp_path: Path) -> None:
    p = program(tmp_path, "style s { line-height: 14pt }\n")
    assert p.root.styles["s"].style.line_height == "14pt"


def test_padding_shorthand(tmp_path: Path) -> None:
    p = program(
        tmp_path,
        "style a { padding: 1mm }\nstyle b { padding: 1mm 2mm }\n"
        "style c { padding: 1mm 2mm 3mm }\nstyle d { padding: 1mm 2mm 3mm 4mm }\n",
    )
    got = {n: p.root.styles[n].style.padding for n in "abcd"}
    assert got == {
        "a": ("1mm", "1mm", "1mm", "1mm"),
        "b": ("1mm", "2mm", "1mm", "2mm"),
        "c": ("1mm", "2mm", "3mm", "2mm"),
        "d": ("1mm", "2mm", "3mm", "4mm"),
    }


def test_borders(tmp_path: Path) -> None:
    p = program(
        tmp_path,
        "style all { border: 0.5pt #cccccc }\n"
        "style side { border-bottom: 1pt #000000 }\n"
        "style mixed extends all { border-top: none border-style: dashed }\n"
        "style off { border: none }\n",
    )
    thin = layout.Border("0.5pt", "#cccccc")
    assert p.root.styles["all"].style.border == (thin, thin, thin, thin)
    assert p.root.styles["side"].style.border == (
        NONE,
        NONE,
        layout.Border("1pt", "#000000"),
        NONE,
    )
    dashed = layout.Border("0.5pt", "#cccccc", "dashed")
    assert p.root.styles["mixed"].style.border == (NONE, dashed, dashed, dashed)
    assert p.root.styles["off"].style.border == (NONE, NONE, NONE, NONE)


def test_extends_across_modules_and_chains(tmp_path: Path) -> None:
    p = program(
        tmp_path,
        "style body extends brand.body { size: 9pt }\n"
        "style heading-2 extends brand.heading { color: #1f3a5f }\n"
        "style table-header { weight: bold }\n"
        "style note extends heading-2 { size: 8pt }\n",
    )
    body = p.base_style
    assert body.name == "body"
    assert (body.font_family, body.font_size, body.line_height, body.color) == (
        "Helvetica",
        "9pt",
        "1.4",
        "#222222",
    )
    note = p.root.styles["note"].style
    # note ← heading-2 ← brand.heading ← brand.body
    assert (note.font_family, note.font_size, note.font_weight, note.color) == (
        "Helvetica",
        "8pt",
        "bold",
        "#1f3a5f",
    )
    assert set(p.element_styles) == {"heading-2", "table-header"}
    assert p.element_styles["heading-2"].font_size == "16pt"
    brand = p.root.imports["brand"]
    assert brand.styles["warning"].qualname == "brand.warning"
    assert brand.styles["warning"].style.name == "brand.warning"
    assert brand.styles["warning"].style.font_weight == "600"


def test_no_body_style(tmp_path: Path) -> None:
    p = program(tmp_path, "")
    assert p.base_style == layout.Style()
    assert p.element_styles == {}


def test_recognised_element_style_names() -> None:
    from ccmlang.compiler.styles import ELEMENT_STYLES

    assert "heading" in ELEMENT_STYLES and "heading-6" in ELEMENT_STYLES
    assert {"paragraph", "table", "table-header", "cell", "list", "item"} <= set(ELEMENT_STYLES)
    assert "body" not in ELEMENT_STYLES
