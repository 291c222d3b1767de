"""Re-home diagnostics from project-relative paths to paths relative to the working directory.

The compiler names files relative to their template project (``statement/statement.ccm``), so
its output does not depend on the checkout location. Tools want paths they can open: GitHub
annotations and SARIF need paths from the repository root, terminals and editors from the
working directory. :func:`relocate` rewrites every span (primary, labels, hints) once.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path

from ccmlang.compiler.diagnostics import Diagnostic
from ccmlang.compiler.source import SourceFile, Span


def shown_path(path: Path, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when it lies below it, else absolute; ``/`` separators."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix() if os.sep == "/" else str(resolved)


def relocate(diagnostics: Iterable[Diagnostic], project_root: Path, cwd: Path) -> list[Diagnostic]:
    """``diagnostics`` with each file path made relative to ``cwd`` (``project_root`` anchors
    the relative paths the compiler wrote)."""
    files: dict[int, SourceFile] = {}

    def move(span: Span) -> Span:
        new = files.get(id(span.file))
        if new is None:
            original = Path(span.file.path)
            target = original if original.is_absolute() else project_root / original
            new = SourceFile(shown_path(target, cwd), span.file.text)
            files[id(span.file)] = new
        return Span(new, span.start, span.end)

    out = []
    for d in diagnostics:
        out.append(
            dataclasses.replace(
                d,
                span=move(d.span) if d.span is not None else None,
                labels=tuple(dataclasses.replace(lb, span=move(lb.span)) for lb in d.labels),
                hints=tuple(
                    dataclasses.replace(h, span=move(h.span)) if h.span is not None else h
                    for h in d.hints
                ),
            )
        )
    return out
