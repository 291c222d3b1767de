"""Diagnostics are data (STYLE.md §4).

Checks report into a :class:`DiagnosticSink` and keep going; the API boundary raises one
:class:`CompileError` carrying every error. Rendering (human, short, JSON, SARIF, GitHub)
lives in ``ccmlang.diagnostics_render`` and never influences what is produced.
Every code is documented in ``spec/diagnostics.md``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ccmlang.compiler.source import Span


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Label:
    """A secondary span with a short message (rustc's ``-- this is where x was defined``)."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Hint:
    """Advice for the designer; a hint with a span may carry a concrete replacement."""

    message: str
    span: Span | None = None
    replacement: str | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span | None
    labels: tuple[Label, ...] = ()
    hints: tuple[Hint, ...] = ()
    name: str = ""
    """Dotted rule name for lints (``layout.image-alt``), empty for errors."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, str]:
        if self.span is None:
            return ("", -1, self.code)
        return (self.span.file.path, self.span.start, self.code)


@dataclass(slots=True)
class DiagnosticSink:
    """Collects diagnostics; duplicates (same code, span and message) are kept once."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[tuple[str, object, str]] = field(default_factory=set)

    def add(self, diagnostic: Diagnostic) -> None:
        key = (diagnostic.code, diagnostic.span, diagnostic.message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.items.append(diagnostic)

    def error(
        self,
        code: str,
        message: str,
        span: Span | None,
        *,
        labels: Iterable[Label] = (),
        hints: Iterable[Hint | str] = (),
    ) -> None:
        self.add(_make(code, Severity.ERROR, message, span, labels, hints))

    def warning(
        self,
        code: str,
        message: str,
        span: Span | None,
        *,
        name: str = "",
        labels: Iterable[Label] = (),
        hints: Iterable[Hint | str] = (),
    ) -> None:
        self.add(_make(code, Severity.WARNING, message, span, labels, hints, name))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            self.add(d)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=Diagnostic.sort_key)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _make(
    code: str,
    severity: Severity,
    message: str,
    span: Span | None,
    labels: Iterable[Label],
    hints: Iterable[Hint | str],
    name: str = "",
) -> Diagnostic:
    return Diagnostic(
        code=code,
        severity=severity,
        message=message,
        span=span,
        labels=tuple(labels),
        hints=tuple(h if isinstance(h, Hint) else Hint(h) for h in hints),
        name=name,
    )


class CompileError(Exception):
    """Raised at the API boundary when a template has errors; carries every diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: list[Diagnostic] = sorted(diagnostics, key=Diagnostic.sort_key)
        errors = [d for d in self.diagnostics if d.is_error]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        summary = f"{len(errors)} error(s)"
        if first is not None:
            where = f"{first.span}: " if first.span else ""
            summary += f"; first: {where}{first.code} {first.message}"
        super().__init__(summary)
