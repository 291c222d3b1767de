"""Line-oriented and JSON output: ``short``, ``json`` and GitHub workflow commands.

``short`` is one ``path:line:col: severity[code] message`` line per diagnostic (what editors'
problem matchers parse); ``json`` is a list of objects with a fixed key order; ``github``
writes ``::error``/``::warning``/``::notice`` commands that GitHub Actions turns into
annotations on the pull request.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ccmlang.compiler.diagnostics import Diagnostic, Severity
from ccmlang.compiler.source import Span
from ccmlang.diagnostics_render.common import diagnostic_name, display_path, position


def _where(span: Span | None, root: Path) -> str:
    if span is None:
        return "ccm"
    p = position(span)
    return f"{display_path(span.file.path, root)}:{p.line}:{p.column}"


def render_short(diagnostics: Sequence[Diagnostic], *, root: Path) -> str:
    out = []
    for d in diagnostics:
        message = d.message.replace("\n", " ")
        out.append(f"{_where(d.span, root)}: {d.severity.value}[{d.code}] {message}\n")
    return "".join(out)


def _location(span: Span | None, root: Path) -> dict[str, Any]:
    if span is None:
        return {"file": None, "line": None, "column": None, "end_line": None, "end_column": None}
    p = position(span)
    return {
        "file": display_path(span.file.path, root),
        "line": p.line,
        "column": p.column,
        "end_line": p.end_line,
        "end_column": p.end_column,
    }


def diagnostic_json(d: Diagnostic, root: Path) -> dict[str, Any]:
    """One diagnostic as a JSON-ready dict. Columns are 1-based code points; ends exclusive."""
    return {
        "code": d.code,
        "name": diagnostic_name(d),
        "severity": d.severity.value,
        "message": d.message,
        **_location(d.span, root),
        "labels": [{**_location(lb.span, root), "message": lb.message} for lb in d.labels],
        "hints": [
            {
                "message": h.message,
                **(_location(h.span, root) if h.span is not None else {}),
                **({"replacement": h.replacement} if h.replacement is not None else {}),
            }
            for h in d.hints
        ],
    }


def render_json(diagnostics: Sequence[Diagnostic], *, root: Path) -> str:
    data = [diagnostic_json(d, root) for d in diagnostics]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- GitHub workflow commands

_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (GitHub's ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostics: Sequence[Diagnostic], *, root: Path) -> str:
    """``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=E2001::message``.

    ``endColumn`` is the last column of the span (inclusive); columns are given only when the
    span is on one line, as GitHub annotations allow.
    """
    out = []
    for d in diagnostics:
        props: list[tuple[str, str]] = []
        if d.span is not None:
            p = position(d.span)
            props.append(("file", display_path(d.span.file.path, root)))
            props.append(("line", str(p.line)))
            if p.end_line == p.line:
                props.append(("col", str(p.column)))
                props.append(("endLine", str(p.end_line)))
                props.append(("endColumn", str(max(p.column, p.end_column - 1))))
            else:
                props.append(("endLine", str(p.end_line)))
        props.append(("title", d.code))
        message = d.message + "".join(f"\nhelp: {h.message}" for h in d.hints)
        rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
        out.append(f"::{_GITHUB_COMMAND[d.severity]} {rendered}::{escape_data(message)}\n")
    return "".join(out)
