"""Rendering diagnostics for people and tools (spec/cli.md, "Output formats").

Producing diagnostics (the compiler, the lints) and showing them are separate: every format
here takes the same :class:`~ccmlang.compiler.diagnostics.Diagnostic` list, so a format can never
change what is reported. Formats: ``human`` (rustc/Typst style with source snippets),
``short`` (one line each), ``json``, ``sarif`` (2.1.0, for code scanning) and ``github``
(workflow commands that become pull-request annotations).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

from ccmlang.compiler.diagnostics import Diagnostic
from ccmlang.diagnostics_render.common import count, summary_line
from ccmlang.diagnostics_render.human import render_human
from ccmlang.diagnostics_render.machine import render_github, render_json, render_short
from ccmlang.diagnostics_render.sarif import render_sarif, sarif_log

__all__ = ["FORMATS", "Format", "count", "render", "sarif_log", "summary_line"]


class Format(StrEnum):
    HUMAN = "human"
    SHORT = "short"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"


FORMATS = tuple(f.value for f in Format)


def render(
    diagnostics: Sequence[Diagnostic],
    fmt: str | Format = "human",
    *,
    color: bool = False,
    root: Path | None = None,
    files: Sequence[str] | None = None,
) -> str:
    """Render ``diagnostics`` in ``fmt``; paths are shown relative to ``root`` (default: cwd).

    ``files`` (the checked files) adds the summary line to human output.
    """
    root = Path.cwd() if root is None else root
    kind = Format(fmt)
    if kind is Format.HUMAN:
        return render_human(diagnostics, color=color, root=root, files=files)
    if kind is Format.SHORT:
        return render_short(diagnostics, root=root)
    if kind is Format.JSON:
        return render_json(diagnostics, root=root)
    if kind is Format.SARIF:
        return render_sarif(diagnostics, root=root)
    return render_github(diagnostics, root=root)
