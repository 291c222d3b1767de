"""What every output format needs: display paths, positions, rule metadata, counts."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from ccmlang.compiler.codes import CODES
from ccmlang.compiler.diagnostics import Diagnostic, Severity
from ccmlang.compiler.source import Span

SPEC_DIAGNOSTICS = "spec/diagnostics.md"
"""E0xxx–E2xxx, one ``### E2001 field.unknown`` heading each."""
SPEC_RENDER = "spec/diagnostics-render.md"
"""E3xxx: problems found when a record is rendered."""
SPEC_LINTS = "spec/lints.md"
"""W1xx, with explicit ``<a id="w104">`` anchors."""


def heading_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading (``E2001 field.unknown`` → ``e2001-fieldunknown``)."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def display_path(path: str, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators when it lies under it, else as is.

    Spans already carry project-relative paths for files under the project; absolute paths
    (files outside any project) are shown relative to the working directory when possible.
    """
    p = Path(path)
    if p.is_absolute():
        try:
            rel = os.path.relpath(p, root.resolve())
        except ValueError:  # another drive on Windows
            return p.as_posix()
        if not rel.startswith(".."):
            return PurePosixPath(Path(rel)).as_posix()
        return p.as_posix()
    return PurePosixPath(p).as_posix()


@dataclass(frozen=True, slots=True)
class Position:
    """1-based start and exclusive end, columns in Unicode code points."""

    line: int
    column: int
    end_line: int
    end_column: int


def position(span: Span) -> Position:
    line, col = span.file.line_col(span.start)
    end_line, end_col = span.file.line_col(max(span.start, span.end))
    return Position(line, col, end_line, end_col)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    code: str
    name: str
    summary: str
    help_uri: str


@cache
def _lint_rules() -> dict[str, tuple[str, str]]:
    from ccmlang.compiler.lints import default_rules

    return {rule.code: (rule.name, rule.summary) for rule in default_rules()}


def rule_info(code: str, name: str = "") -> RuleInfo:
    """Name, summary and documentation link of a code (error codes or lint rules)."""
    anchor = code.lower()
    if code in CODES:
        known = CODES[code]
        doc = SPEC_RENDER if code.startswith("E3") else SPEC_DIAGNOSTICS
        return RuleInfo(
            code, known.name, known.summary, f"{doc}#{heading_anchor(f'{code} {known.name}')}"
        )
    lint = _lint_rules().get(code)
    if lint is not None:
        return RuleInfo(code, lint[0], lint[1], f"{SPEC_LINTS}#{anchor}")
    doc = SPEC_LINTS if code.startswith("W") else SPEC_DIAGNOSTICS
    return RuleInfo(code, name, name or code, f"{doc}#{anchor}")


def diagnostic_name(diagnostic: Diagnostic) -> str:
    return diagnostic.name or rule_info(diagnostic.code).name


@dataclass(frozen=True, slots=True)
class Counts:
    errors: int
    warnings: int
    notes: int


def count(diagnostics: Iterable[Diagnostic]) -> Counts:
    items = list(diagnostics)
    return Counts(
        sum(d.severity is Severity.ERROR for d in items),
        sum(d.severity is Severity.WARNING for d in items),
        sum(d.severity is Severity.NOTE for d in items),
    )


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> str:
    """The closing line of human output (rustc's "could not compile … due to 2 errors")."""
    c = count(diagnostics)
    if len(files) == 1:
        name = Path(files[0]).name
        if c.errors:
            line = f"error: could not compile `{name}` due to {plural(c.errors, 'error')}"
            return line + (f"; {plural(c.warnings, 'warning')} emitted" if c.warnings else "")
        if c.warnings:
            return f"warning: `{name}` generated {plural(c.warnings, 'warning')}"
    parts = [plural(c.errors, "error"), plural(c.warnings, "warning")]
    if c.notes:
        parts.append(plural(c.notes, "note"))
    if not c.errors and not c.warnings and not c.notes:
        parts = ["no problems found"]
    return f"checked {plural(len(files), 'file')}: {', '.join(parts)}"


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Stable order: by file, position, then code (diagnostics without a span first)."""
    return sorted(diagnostics, key=Diagnostic.sort_key)
