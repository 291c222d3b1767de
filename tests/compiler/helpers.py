"""Small projects on disk for compiler tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ccmlang.compiler.compile import CheckResult, check_source
from ccmlang.compiler.diagnostics import Diagnostic

CASES = Path(__file__).parent / "cases"
SCHEMA: dict[str, Any] = json.loads((CASES / "statement.schema.json").read_text("utf-8"))
BRAND = (CASES / "lib" / "brand.ccm").read_text("utf-8")


def project(root: Path, files: dict[str, str | bytes | dict[str, Any]]) -> Path:
    """Write ``files`` (text, bytes or JSON) under ``root`` with a ``ccm.toml``; return root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "ccm.toml").write_text('[project]\nname = "test"\n', "utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, dict):
            path.write_text(json.dumps(content), "utf-8")
        else:
            path.write_text(content, "utf-8")
    return root


def codes(result: CheckResult) -> list[str]:
    """Error codes, in diagnostic order."""
    return [d.code for d in result.diagnostics if d.is_error]


def where(d: Diagnostic) -> tuple[str, str, int, int]:
    assert d.span is not None
    line, col = d.span.file.line_col(d.span.start)
    return d.code, d.span.file.path, line, col


def check(text: str, root: Path | None = None, *, schema: bool = True) -> CheckResult:
    """Check template text in the cases project (or ``root``), with the statement schema."""
    header = 'template "T" data: "statement.schema.json"\n' if schema else 'template "T"\n'
    return check_source(header + text, path="t.ccm", project_root=root or CASES, lint=False)
