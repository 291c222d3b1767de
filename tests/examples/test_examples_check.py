"""The examples under examples/ are the showcase: each must check clean and render its data.

Every template and library must compile with zero errors and zero warnings (lints included),
every sample record must satisfy its template's JSON Schema, and every record must evaluate to a
layout tree (the backends are tested elsewhere; this stays fast).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ccmlang.compiler.compile import check_file
from ccmlang.compiler.diagnostics import Diagnostic

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SOURCES = sorted(EXAMPLES.glob("*/*.ccm"))
TEMPLATES = [p for p in SOURCES if p.parent.name != "brand"]


def _show(diagnostics: list[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        where = ""
        if d.span is not None:
            line, column = d.span.file.line_col(d.span.start)
            where = f"{d.span.file.path}:{line}:{column}: "
        lines.append(f"{where}{d.severity.value} {d.code} {d.message}")
    return "\n".join(lines)


def _records(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line, parse_float=Decimal) for line in text.splitlines() if line.strip()]
    return [json.loads(text, parse_float=Decimal)]


def _data_files(template: Path) -> list[Path]:
    folder = template.parent / "data"
    return sorted([*folder.glob("*.json"), *folder.glob("*.jsonl")])


def test_the_examples_are_there() -> None:
    names = {p.relative_to(EXAMPLES).as_posix() for p in SOURCES}
    assert {
        "brand/brand.ccm",
        "statement/statement.ccm",
        "invoice/invoice.ccm",
        "renewal/renewal.ccm",
    } <= names
    assert (EXAMPLES / "ccm.toml").is_file()
    for template in TEMPLATES:
        assert (template.parent / "README.md").is_file(), template
        assert _data_files(template), f"{template} has no sample data"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_example_checks_clean(path: Path) -> None:
    result = check_file(path)
    assert result.diagnostics == [], _show(result.diagnostics)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.parent.name)
def test_sample_data_satisfies_the_schema(template: Path) -> None:
    schemas = list(template.parent.glob("*.schema.json"))
    assert len(schemas) == 1, schemas
    schema = json.loads(schemas[0].read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for data in _data_files(template):
        for i, record in enumerate(_records(data), start=1):
            problems = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(record)]
            assert problems == [], f"{data.name} record {i}: {problems}"


def _objects(node: Any, path: str = "#") -> list[tuple[str, dict[str, Any]]]:
    """Every sub-schema that declares ``properties``, with its JSON pointer."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if "properties" in node:
            found.append((path, node))
        for key, value in node.items():
            found.extend(_objects(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_objects(value, f"{path}/{i}"))
    return found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.parent.name)
def test_schemas_are_strict(template: Path) -> None:
    """Strict contracts: closed objects with `required` lists, so the checker catches typos."""
    (schema_path,) = template.parent.glob("*.schema.json")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    for pointer, node in _objects(schema):
        assert node.get("additionalProperties") is False, f"{pointer} is open"
        assert "required" in node, f"{pointer} has no `required` list"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.parent.name)
def test_every_record_renders(template: Path) -> None:
    result = check_file(template)
    assert result.template is not None, _show(result.diagnostics)
    for data in _data_files(template):
        for record in _records(data):
            document = result.template.render(record)
            assert document.body, f"{data.name} produced an empty document"
