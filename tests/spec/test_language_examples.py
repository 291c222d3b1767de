"""Every example in spec/language.md compiles, and the manual covers the whole language.

Code blocks are fenced with an info string:

- ```` ```ccm ````: a complete template (or library), compiled as it is;
- ```` ```ccm fragment ````: part of a template, compiled after the header below (and, when it
  uses ``lib.``, an import of ``spec/examples/lib.ccm``);
- ```` ```ccm fail ````: a mistake; it must produce at least one error, and the code its first
  comment names (``// E2005: …``).

Blocks are compiled as files in ``spec/`` with ``spec/`` as the project root, so paths like
``examples/spec.schema.json`` resolve. Complete templates and fragments are also rendered with
the sample record ``spec/examples/spec.json``, so examples that check but fail at render time
are caught too. The coverage tests make sure every filter, element keyword, element option and
style property of the implementation is documented.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ccmlang.backends.base import RenderOptions
from ccmlang.backends.html import build_html_and_inventory
from ccmlang.backends.inventory import collect
from ccmlang.compiler import elements, filters
from ccmlang.compiler.compile import CheckResult, check_source
from ccmlang.compiler.diagnostics import Diagnostic

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = ROOT / "spec"
MANUAL = SPEC_DIR / "language.md"
SAMPLE = SPEC_DIR / "examples" / "spec.json"
SCHEMA = SPEC_DIR / "examples" / "spec.schema.json"

HEADER = 'template "Example" data: "examples/spec.schema.json" languages: ["en", "de", "fr"]\n'
LIB_IMPORT = 'import "examples/lib.ccm" as lib\n'
_USES_LIB = re.compile(r"(?<![\w.-])lib\.")
_IMPORTS_LIB = re.compile(r'^\s*import\s+"examples/lib\.ccm"\s+as\s+lib\b', re.MULTILINE)
_FENCE = re.compile(
    r"^```(ccm(?: fragment| fail)?)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL
)
_EXPECTED_CODE = re.compile(r"^\s*//\s*(E\d{4})\b")

TEXT = MANUAL.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Block:
    kind: str  # "ccm", "fragment" or "fail"
    source: str
    line: int
    """1-based line of the block's first source line in language.md."""

    @property
    def id(self) -> str:
        return f"L{self.line}-{self.kind}"


def _blocks() -> list[Block]:
    found = []
    for match in _FENCE.finditer(TEXT):
        info = match.group(1)
        kind = "ccm" if info == "ccm" else info.split()[1]
        line = TEXT.count("\n", 0, match.start(2)) + 1
        found.append(Block(kind, match.group(2), line))
    return found


BLOCKS = _blocks()


def _wrap(block: Block) -> tuple[str, int]:
    """The text to compile and how many lines precede the block's own first line."""
    if block.kind == "ccm" or re.match(r"\s*(?://[^\n]*\n\s*)*(template|library)\b", block.source):
        return block.source, 0
    prefix = HEADER
    if _USES_LIB.search(block.source) and not _IMPORTS_LIB.search(block.source):
        prefix += LIB_IMPORT
    return prefix + block.source, prefix.count("\n")


def _compile(block: Block) -> tuple[CheckResult, int]:
    text, shift = _wrap(block)
    result = check_source(
        text, path=str(SPEC_DIR / f"language-{block.line}.ccm"), project_root=SPEC_DIR
    )
    return result, shift


def _show(diagnostics: list[Diagnostic], block: Block, shift: int) -> str:
    lines = []
    for d in diagnostics:
        where = ""
        if d.span is not None:
            line, column = d.span.file.line_col(d.span.start)
            if d.span.file.path.startswith("language-"):
                line = block.line + line - 1 - shift
                where = f"spec/language.md:{line}:{column}: "
            else:
                where = f"{d.span.file.path}:{line}:{column}: "
        lines.append(f"{where}{d.severity.value} {d.code} {d.message}")
    return "\n".join(lines)


def _sample() -> Any:
    return json.loads(SAMPLE.read_text(encoding="utf-8"), parse_float=Decimal)


def test_the_manual_has_examples_of_every_kind() -> None:
    kinds = {b.kind for b in BLOCKS}
    assert kinds == {"ccm", "fragment", "fail"}
    assert len(BLOCKS) > 60


def _renderable(blocks: list[Block]) -> list[Any]:
    params = []
    for block in blocks:
        params.append(pytest.param(block, id=block.id))
    return params


@pytest.mark.parametrize("block", _renderable([b for b in BLOCKS if b.kind != "fail"]))
def test_example_compiles_and_renders(block: Block) -> None:
    result, shift = _compile(block)
    assert result.errors == [], _show(result.errors, block, shift)
    if result.template is not None:  # libraries compile but do not render
        document = result.template.render(_sample())
        # The HTML builder records styles and assets as it emits; it must miss nothing that a
        # walk of the whole tree finds (the stylesheet and the asset check rely on it).
        _, recorded = build_html_and_inventory(document, RenderOptions())
        walked = collect(document)
        assert recorded.distinct_styles() == walked.distinct_styles()
        assert recorded.zebras == walked.zebras
        assert [id(n) for n in recorded.images] == [id(n) for n in walked.images]
        assert [id(n) for n in recorded.graphics] == [id(n) for n in walked.graphics]


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.kind == "fail"], ids=lambda b: b.id)
def test_failing_example_fails(block: Block) -> None:
    result, shift = _compile(block)
    assert result.errors, f"spec/language.md:{block.line}: expected an error, got none"
    expected = _EXPECTED_CODE.match(block.source)
    if expected:
        codes = {d.code for d in result.errors}
        assert expected.group(1) in codes, _show(result.errors, block, shift)


def test_sample_record_satisfies_the_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(data)] == []


# ---------------------------------------------------------------- coverage of the manual


def _section(title: str) -> str:
    """The text of the ``## title`` section, up to the next ``## `` heading."""
    start = TEXT.index(f"\n## {title}\n")
    end = TEXT.find("\n## ", start + 1)
    return TEXT[start : end if end != -1 else len(TEXT)]


def _table_names(text: str) -> set[str]:
    """Names in the first column of Markdown tables: ``| `name` | …``."""
    return set(re.findall(r"^\|\s*`([^`]+)`\s*\|", text, re.MULTILINE))


def _keyword_sections(text: str) -> dict[str, str]:
    """``#### `kw` `` and ``##### `kw` (…)`` headings in Elements, each with its text (joined
    when a keyword has several sections, like `column` in a table and in `columns`)."""
    out: dict[str, str] = {}
    heads = list(re.finditer(r"^#{3,5} `([a-z-]+)`.*$", text, re.MULTILINE))
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out[head.group(1)] = out.get(head.group(1), "") + text[head.end() : end]
    return out


def test_every_filter_is_documented() -> None:
    documented = _table_names(_section("Filters"))
    missing = sorted(set(filters.FILTERS) - documented)
    assert missing == [], f"filters missing from spec/language.md, Filters: {missing}"


def test_every_element_and_option_is_documented() -> None:
    sections = _keyword_sections(_section("Elements"))
    problems = []
    for ctx, table in elements.ELEMENTS.items():
        for keyword, spec in table.items():
            if keyword not in sections:
                problems.append(f"no section for `{keyword}` ({ctx.value})")
                continue
            options = _table_names(sections[keyword])
            for option in spec.options:
                if option not in options:
                    problems.append(f"`{keyword}` option `{option}` is not in its options table")
    assert problems == [], "\n".join(problems)


def test_every_style_property_is_documented() -> None:
    styles = _section("Styles")
    documented = _table_names(styles)
    missing = sorted(set(elements.STYLE_PROPERTIES) - documented)
    assert missing == [], f"style properties missing from the Styles table: {missing}"
    for alias in elements.PROPERTY_ALIASES:
        assert f"`{alias}`" in styles, f"the CSS alias `{alias}` is not mentioned"


def test_every_keyword_is_reserved_in_the_manual() -> None:
    reserved = _section("Reserved words")
    keywords = {kw for table in elements.ELEMENTS.values() for kw in table}
    keywords |= {"template", "library", "font", "page", "document", "field", "index"}
    missing = sorted(k for k in keywords if f"`{k}`" not in reserved)
    assert missing == [], f"keywords missing from Reserved words: {missing}"


def test_every_page_size_and_field_type_is_documented() -> None:
    pages = _section("Pages")
    for size in elements.PAGE_SIZES:
        assert f"`{size}`" in pages, size
    fields = _section("Interactive production") + _section("Elements")
    for kind in elements.FIELD_TYPES:
        assert f"`{kind}`" in fields, kind
