"""Every example under examples/, through the ``fo`` backend and Apache FOP, against WeasyPrint.

For each example (``examples/<name>/`` with a template and ``data/sample.json``, or else the first
``data/*.json``): compile, render the sample record, write the FO, and

* compare the FO byte for byte with ``tests/golden/fo/<name>.fo`` (refresh with
  ``pytest --update-golden``; the FO holds no paths, so it is the same on every machine);
* format it with FOP: exit status 0, no error and no warning lines;
* compare FOP's PDF with the PDF backend's (WeasyPrint): the same number of pages and the same
  words on every page (pdftools explains why order is left out).

Each example is compiled, rendered and formatted once (module-scoped fixture). An example that
cannot match gets its own test, named after the reason, asserting the known difference; there
is none today.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ccmlang import layout
from ccmlang.backends import RenderOptions, load_backends
from ccmlang.backends.fo_fop import FopResult, run_fop
from ccmlang.compiler.compile import compile_file
from ccmlang.data import load_json

from .conftest import render_fo, requires_fop
from .pdftools import explain_text_difference, fonts, page_count, page_words

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden" / "fo"


def _template(folder: Path) -> Path | None:
    if not (folder / "data").is_dir():
        return None
    named = folder / f"{folder.name}.ccm"
    if named.is_file():
        return named
    sources = sorted(folder.glob("*.ccm"))
    return sources[0] if len(sources) == 1 else None


def _sample(folder: Path) -> Path:
    sample = folder / "data" / "sample.json"
    return sample if sample.is_file() else sorted((folder / "data").glob("*.json"))[0]


EXAMPLE_NAMES = sorted(
    folder.name for folder in EXAMPLES.iterdir() if folder.is_dir() and _template(folder)
)


@dataclass
class Example:
    name: str
    document: layout.Document
    fo: bytes
    fop: FopResult | None = None
    weasyprint: bytes = b""


@pytest.fixture(scope="module", params=EXAMPLE_NAMES)
def example(request: pytest.FixtureRequest) -> Example:
    folder = EXAMPLES / request.param
    template = _template(folder)
    assert template is not None
    document = compile_file(template).render(load_json(_sample(folder)))
    return Example(request.param, document, render_fo(document))


@pytest.fixture(scope="module")
def formatted(example: Example) -> Example:
    """The example formatted by FOP and by WeasyPrint (once per example)."""
    if example.fop is None:
        example.fop = run_fop(example.fo, example.document)
        example.weasyprint = load_backends().get("pdf").render(example.document, RenderOptions())
    return example


def test_there_are_examples() -> None:
    assert {"invoice", "statement"} <= set(EXAMPLE_NAMES)


def test_fo_matches_golden(example: Example, update_golden: bool) -> None:
    golden = GOLDEN / f"{example.name}.fo"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(example.fo)
    assert golden.is_file(), f"no golden file {golden}: run pytest --update-golden"
    assert example.fo == golden.read_bytes(), f"{golden} differs: review, then --update-golden"


@requires_fop
def test_fop_formats_it_without_errors_or_warnings(formatted: Example) -> None:
    fop = formatted.fop
    assert fop is not None
    assert fop.returncode == 0, fop.log
    assert fop.errors == ()
    assert fop.warnings == ()
    assert set(fonts(fop.pdf).values()) == {"/FontFile2"}  # every font embedded


@requires_fop
def test_same_pages_and_text_as_weasyprint(formatted: Example) -> None:
    assert formatted.fop is not None
    fop, weasyprint = formatted.fop.pdf, formatted.weasyprint
    assert page_count(fop) == page_count(weasyprint)
    assert page_words(fop) == page_words(weasyprint), explain_text_difference(weasyprint, fop)
