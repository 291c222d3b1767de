"""SARIF 2.1.0 output (OASIS Static Analysis Results Interchange Format), for code scanning.

One run; ``tool.driver.rules`` lists every code that occurs (id = the code, name = its dotted
name) and each result points at it with ``ruleIndex``. Locations are relative to the checked
root (``uriBaseId: SRCROOT``), regions 1-based with columns in Unicode code points
(``columnKind: unicodeCodePoints``), ends exclusive. The output has no timestamps, absolute
paths or machine names, so the same input always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ccmlang.compiler.diagnostics import Diagnostic, Severity
from ccmlang.compiler.source import Span
from ccmlang.diagnostics_render.common import display_path, position, rule_info

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def _physical(span: Span, root: Path) -> dict[str, Any]:
    p = position(span)
    return {
        "artifactLocation": {
            "uri": quote(display_path(span.file.path, root), safe="/"),
            "uriBaseId": "SRCROOT",
        },
        "region": {
            "startLine": p.line,
            "startColumn": p.column,
            "endLine": p.end_line,
            "endColumn": p.end_column,
        },
    }


def sarif_log(diagnostics: Sequence[Diagnostic], *, root: Path) -> dict[str, Any]:
    from ccmlang import __version__

    codes: dict[str, str] = {}
    for d in diagnostics:
        codes.setdefault(d.code, d.name)
    ordered = sorted(codes)
    index = {code: i for i, code in enumerate(ordered)}
    rules = []
    for code in ordered:
        info = rule_info(code, codes[code])
        default = "warning" if code.startswith("W") else "error"
        rules.append(
            {
                "id": code,
                "name": info.name or code,
                "shortDescription": {"text": info.summary or code},
                "helpUri": info.help_uri,
                "defaultConfiguration": {"level": default},
            }
        )
    results = []
    for d in diagnostics:
        text = d.message + "".join(f"\nhelp: {h.message}" for h in d.hints)
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _LEVEL[d.severity],
            "message": {"text": text},
            "locations": [{"physicalLocation": _physical(d.span, root)}] if d.span else [],
        }
        if d.labels:
            result["relatedLocations"] = [
                {
                    "id": i,
                    "physicalLocation": _physical(label.span, root),
                    "message": {"text": label.message},
                }
                for i, label in enumerate(d.labels)
            ]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ccm",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(diagnostics: Sequence[Diagnostic], *, root: Path) -> str:
    return json.dumps(sarif_log(diagnostics, root=root), indent=2, ensure_ascii=False) + "\n"
