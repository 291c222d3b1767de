"""Source files and spans.

A :class:`Span` stores only a file and two offsets; line and column are derived when a
diagnostic is shown (STYLE.md §3), so building spans costs nothing on the hot path.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""Largest template file we read (``source.too-large``): templates are text, not data."""


@dataclass(frozen=True, slots=True, eq=False)
class SourceFile:
    """One template file's text, with a line index built once."""

    path: str
    text: str = field(repr=False)
    _line_starts: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        object.__setattr__(self, "_line_starts", tuple(starts))

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of ``offset``."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its newline."""
        if line < 1 or line > len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def span(self, start: int, end: int) -> Span:
        return Span(self, start, end)

    @property
    def directory(self) -> Path:
        return Path(self.path).parent


@dataclass(frozen=True, slots=True)
class Span:
    """A range of characters ``[start, end)`` in a source file."""

    file: SourceFile
    start: int
    end: int

    @property
    def line(self) -> int:
        return self.file.line_col(self.start)[0]

    @property
    def column(self) -> int:
        return self.file.line_col(self.start)[1]

    @property
    def end_line_col(self) -> tuple[int, int]:
        return self.file.line_col(max(self.start, self.end))

    @property
    def text(self) -> str:
        return self.file.text[self.start : self.end]

    def to(self, other: Span) -> Span:
        """The span covering ``self`` through ``other`` (same file)."""
        return Span(self.file, min(self.start, other.start), max(self.end, other.end))

    def __str__(self) -> str:
        line, col = self.file.line_col(self.start)
        return f"{self.file.path}:{line}:{col}"

    def __repr__(self) -> str:
        return f"Span({self}, {self.start}..{self.end})"

    def __hash__(self) -> int:
        return hash((self.file.path, self.start, self.end))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Span):
            return NotImplemented
        return (self.file.path, self.start, self.end) == (
            other.file.path,
            other.start,
            other.end,
        )
