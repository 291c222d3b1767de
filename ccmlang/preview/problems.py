"""Everything that can go wrong in a preview build, as one JSON-ready shape for the page.

The preview must never be silently stale (STYLE.md, "mkdocs": its weakness). Whatever fails —
the compiler, the data file, its schema, evaluation, a backend, a bug of ours — becomes a
:class:`Problem`: the structured fields the page and the tests read (code, file, line, column,
hints) and the human text of ``ccm check`` (source excerpt with carets, hints) that the overlay
shows in a ``<pre>``. The page escapes it by writing it with ``textContent``, never as markup.

Rendering reuses :mod:`ccmlang.diagnostics_render` (human format, no colour), so the overlay
reads exactly like the terminal. Errors that come without a span (backend errors carry a layout
``Origin``; data files report a line and column) get one here, so they show an excerpt too.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccmlang.compiler.diagnostics import Diagnostic, Severity
from ccmlang.compiler.source import SourceFile, Span
from ccmlang.diagnostics_render.human import render_human
from ccmlang.diagnostics_render.machine import diagnostic_json

MAX_EXCERPT_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Problem:
    """One diagnostic as the page shows it; ``data`` is :func:`diagnostic_json` plus extras."""

    stage: str
    """Which build stage reported it: compile, data, render, html, pdf, pages, internal."""
    data: dict[str, Any]
    text: str
    """The human rendering (rustc style, no colour)."""

    @property
    def code(self) -> str:
        return str(self.data["code"])

    @property
    def is_error(self) -> bool:
        return self.data.get("severity") == Severity.ERROR.value

    def to_json(self) -> dict[str, Any]:
        return {**self.data, "stage": self.stage, "text": self.text}


def from_diagnostics(
    diagnostics: Iterable[Diagnostic], stage: str, root: Path
) -> tuple[Problem, ...]:
    """Compiler and render diagnostics (their spans name project-relative files)."""
    out = []
    for d in diagnostics:
        text = render_human([d], color=False, root=root).rstrip("\n")
        out.append(Problem(stage, diagnostic_json(d, root), text))
    return tuple(out)


def _read_source(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_EXCERPT_FILE_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def span_at(root: Path, file: str, line: int, column: int, shown: str | None = None) -> Span | None:
    """A one-character span at ``line:column`` of ``file`` (relative to ``root`` or absolute).

    ``shown`` is the path the excerpt names (default: ``file`` as given).
    """
    path = Path(file) if Path(file).is_absolute() else root / file
    text = _read_source(path)
    if text is None or line < 1:
        return None
    source = SourceFile(shown or file, text)
    if line > source.line_count:
        return None
    start = sum(len(each) + 1 for each in text.split("\n")[: line - 1])
    offset = min(start + max(column, 1) - 1, len(text))
    end = min(offset + 1, start + len(source.line_text(line)))
    return source.span(offset, max(end, offset))


def from_backend_error(exc: Exception, stage: str, root: Path) -> tuple[Problem, ...]:
    """A :class:`~ccmlang.backends.base.BackendError`, located at its layout origin if any."""
    code = str(getattr(exc, "code", "E3008"))
    message = str(getattr(exc, "message", exc))
    origin = getattr(exc, "origin", None)
    span = None
    if origin is not None:
        span = span_at(root, origin.file, origin.line, origin.column)
        if span is None:
            message = f"{origin.file}:{origin.line}:{origin.column}: {message}"
    return from_diagnostics([Diagnostic(code, Severity.ERROR, message, span)], stage, root)


def from_data_error(exc: Exception, root: Path) -> tuple[Problem, ...]:
    """A data file that cannot be read or parsed (``E3001``), with an excerpt when it has a line."""
    message = str(getattr(exc, "message", exc))
    path = getattr(exc, "path", None)
    line = getattr(exc, "line", None)
    span = None
    if path and line:
        shown = _shown_path(Path(path), root)
        span = span_at(
            root, str(Path(path).absolute()), line, getattr(exc, "col", None) or 1, shown
        )
    if span is None and path:
        message = f"{_shown_path(Path(path), root)}: {message}"
    return from_diagnostics([Diagnostic("E3001", Severity.ERROR, message, span)], "data", root)


def from_exception(exc: BaseException, stage: str, root: Path) -> tuple[Problem, ...]:
    """A bug in ccmlang (never the template's fault): shown, and the server keeps running."""
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f" ({Path(where.filename).name}:{where.lineno})" if where is not None else ""
    message = (
        f"internal error while building the preview ({stage}): {type(exc).__name__}: {exc}{place}"
    )
    diagnostic = Diagnostic("E9000", Severity.ERROR, message, None)
    return from_diagnostics([diagnostic], "internal", root)


def message_problem(code: str, message: str, stage: str, root: Path) -> tuple[Problem, ...]:
    return from_diagnostics([Diagnostic(code, Severity.ERROR, message, None)], stage, root)


def _shown_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def errors(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    return tuple(p for p in problems if p.is_error)
