"""SARIF 2.1.0 output validates against the OASIS schema (read from the shared checkout)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ccmlang.compiler.diagnostics import Diagnostic, Label, Severity
from ccmlang.compiler.source import SourceFile
from ccmlang.diagnostics_render import render

SCHEMA = (
    Path(__file__).resolve().parents[2] / "../shared/schemas/sarif-schema-2.1.0.json"
).resolve()


@pytest.fixture(scope="module")
def validator() -> Any:
    if not SCHEMA.is_file() and not os.environ.get("CI"):  # CI keeps shared/ beside the clone
        pytest.skip(f"SARIF schema not found at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def diagnostics() -> list[Diagnostic]:
    f = SourceFile("statement/state ment.ccm", 'heading "Ünïcödé {customer.nmae}"\nimage "x.svg"\n')
    g = SourceFile("brand/brand.ccm", "style x {}\n")
    start = f.text.index("nmae")
    return [
        Diagnostic(
            "E2001",
            Severity.ERROR,
            "`customer` has no field `nmae`",
            f.span(start, start + 4),
            labels=(Label(g.span(6, 7), "declared here"),),
        ),
        Diagnostic(
            "W104",
            Severity.WARNING,
            "`image` has no `alt` text",
            f.span(35, 40),
            name="a11y.image-alt",
        ),
        Diagnostic("E2001", Severity.ERROR, "again", f.span(0, 7)),
        Diagnostic("E0012", Severity.NOTE, "no span", None),
    ]


def test_sarif_is_valid(validator: Any) -> None:
    log = json.loads(render(diagnostics(), "sarif", root=Path(".")))
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_sarif_content() -> None:
    log = json.loads(render(diagnostics(), "sarif", root=Path(".")))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "ccm" and driver["version"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["E0012", "E2001", "W104"]
    assert rules[1]["name"] == "field.unknown"
    assert rules[1]["helpUri"] == "spec/diagnostics.md#e2001-fieldunknown"
    assert rules[2]["name"] == "a11y.image-alt"
    assert rules[2]["helpUri"] == "spec/lints.md#w104"
    first, second, third, fourth = run["results"]
    assert (first["ruleId"], first["ruleIndex"], first["level"]) == ("E2001", 1, "error")
    assert second["ruleIndex"] == 2 and second["level"] == "warning"
    assert third["ruleIndex"] == 1
    assert fourth["level"] == "note" and fourth["locations"] == []
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "statement/state%20ment.ccm",
        "uriBaseId": "SRCROOT",
    }
    # columns count code points: `heading "Ünïcödé {customer.` is 27 characters
    assert location["region"] == {"startLine": 1, "startColumn": 28, "endLine": 1, "endColumn": 32}
    related = first["relatedLocations"][0]
    assert related["message"]["text"] == "declared here"
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "brand/brand.ccm"


def test_sarif_is_deterministic() -> None:
    assert render(diagnostics(), "sarif", root=Path(".")) == render(
        diagnostics(), "sarif", root=Path(".")
    )


def test_help_uris_point_at_existing_headings() -> None:
    """Every documented code's helpUri names a spec file and a heading that exist."""
    from ccmlang.compiler.codes import CODES
    from ccmlang.compiler.lints import BUILTIN_RULES
    from ccmlang.diagnostics_render.common import heading_anchor, rule_info

    repo = Path(__file__).resolve().parents[2]
    for code in [*CODES, *(r.code for r in BUILTIN_RULES)]:
        file, _, anchor = rule_info(code).help_uri.partition("#")
        path = repo / file
        assert path.is_file(), f"{code}: its help page {file} is missing"
        text = path.read_text(encoding="utf-8")
        headings = {
            heading_anchor(line.lstrip("#").strip())
            for line in text.splitlines()
            if line.startswith("#")
        }
        assert anchor in headings or f'<a id="{anchor}"></a>' in text, (code, file, anchor)
