"""Parity on every example (spec/typst.md, "Parity"): for each template and data file under
``examples/``, the Typst PDF has the same text as the WeasyPrint PDF (``pdftotext -layout``,
whitespace-normalised) and the same number of pages.

Known differences would be asserted here by name, each in a test named after its reason; there
are none at present. ``make golden`` (``pytest --update-golden``) also writes page 1 of both
engines' PDFs to ``tests/golden/typst/`` as PNG images, for a person to review side by side;
they are not compared (raster output depends on the machine's poppler).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from typst_helpers import normalised_text, page_count

from ccmlang.backends.base import RenderOptions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "png" / "typst"
CASES = sorted(
    (template, data)
    for template in EXAMPLES.glob("*/*.ccm")
    if template.parent.name != "brand"
    for data in sorted((template.parent / "data").glob("*.json"))
)


@dataclass(frozen=True)
class Pair:
    typst: bytes
    weasyprint: bytes


@cache
def _template(path: Path) -> object:
    from ccmlang.compiler.compile import compile_file

    return compile_file(path)


@cache
def rendered(template: Path, data: Path) -> Pair:
    from ccmlang.backends.pdf import PdfBackend
    from ccmlang.backends.typst import TypstPdfBackend
    from ccmlang.data import load_json

    document = _template(template).render(load_json(data))  # type: ignore[attr-defined]
    options = RenderOptions()
    return Pair(TypstPdfBackend().render(document, options), PdfBackend().render(document, options))


def _id(case: tuple[Path, Path]) -> str:
    return f"{case[0].stem}-{case[1].stem}"


@pytest.fixture(params=CASES, ids=[_id(c) for c in CASES])
def pair(request: pytest.FixtureRequest) -> Pair:
    template, data = request.param
    return rendered(template, data)


def test_there_are_examples() -> None:
    assert len(CASES) >= 4


def test_same_text_as_weasyprint(pair: Pair) -> None:
    assert normalised_text(pair.typst) == normalised_text(pair.weasyprint)


def test_same_page_count_as_weasyprint(pair: Pair) -> None:
    assert page_count(pair.typst) == page_count(pair.weasyprint)


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_page_one_images_for_review(
    case: tuple[Path, Path], update_golden: bool, tmp_path: Path
) -> None:
    """Page 1 of both engines as PNG; ``make golden`` keeps them under tests/golden/png/typst
    for side-by-side review (they are never compared, and never committed)."""
    pair = rendered(*case)
    folder = GOLDEN if update_golden else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    for engine, data in (("typst", pair.typst), ("weasyprint", pair.weasyprint)):
        target = folder / f"{_id(case)}-{engine}"
        subprocess.run(
            ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile", "-", str(target)],
            input=data,
            check=True,
        )
        assert target.with_suffix(".png").stat().st_size > 1000
