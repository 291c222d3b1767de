"""Human output, rustc/Typst style (spec/cli.md, "Output formats")::

    error[E2001]: `customer` has no field `nmae`
      --> statement/statement.ccm:12:9
       |
    12 |   paragraph "{customer.nmae}"
       |                        ^^^^ did you mean `name`?
       |
       = help: the schema declares: id, name, address

Columns are measured in terminal cells (tabs expand to four spaces, wide East Asian characters
take two cells, combining marks none), so carets sit under the right characters. Colour is
applied by rich only when asked; the text is identical either way.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from ccmlang.compiler.diagnostics import Diagnostic, Hint, Severity
from ccmlang.compiler.source import Span
from ccmlang.diagnostics_render.common import display_path, summary_line

TAB = "    "
MAX_SUGGESTION_LINES = 3

_SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "bold yellow",
    Severity.NOTE: "bold cyan",
}
_GUTTER = "bold blue"
_SECONDARY = "bold blue"
_HELP = "bold cyan"

Segments = list[tuple[str, str]]
"""One output line as (text, rich style) pieces; the plain text is their concatenation."""


# ---------------------------------------------------------------- character cells


def char_width(char: str) -> int:
    """Terminal cells taken by one character (tabs are expanded before this is asked)."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    return 1


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text.replace("\t", TAB))


def display_line(text: str) -> str:
    return text.replace("\t", TAB)


# ---------------------------------------------------------------- annotations


@dataclass(frozen=True, slots=True)
class _Mark:
    """A span to underline: ``^`` for the primary span, ``-`` for labels, ``~`` for fixes."""

    span: Span
    message: str
    char: str
    style: str


def _visible_start(span: Span) -> int:
    """Offset to show: an empty span just after a final newline is shown at the end of the
    last line (where the designer would type the missing ``}``), not on a phantom line."""
    text = span.file.text
    if span.start == span.end == len(text) and text.endswith("\n") and len(text) > 0:
        return len(text.rstrip("\n"))
    return span.start


def _underline(mark: _Mark) -> tuple[int, int, str, bool]:
    """(line, display column, marks, continues on later lines) for ``mark``."""
    file = mark.span.file
    start = _visible_start(mark.span)
    line, col = file.line_col(start)
    end = max(start, mark.span.end)
    end_line, end_col = file.line_col(end)
    source = file.line_text(line)
    prefix = source[: col - 1]
    multiline = end_line > line and not (end_line == line + 1 and end_col == 1)
    covered = source[col - 1 :] if end_line > line else source[col - 1 : end_col - 1]
    width = max(1, text_width(covered))
    marks = mark.char * width + ("…" if multiline else "")
    return line, text_width(prefix), marks, multiline


class _Writer:
    def __init__(self, gutter: int) -> None:
        self.gutter = gutter
        self.lines: list[Segments] = []

    def blank_gutter(self) -> None:
        self.lines.append([(" " * self.gutter + " |", _GUTTER)])

    def location(self, arrow: str, where: str) -> None:
        self.lines.append([(" " * self.gutter + arrow + " ", _GUTTER), (where, "")])

    def source(self, number: int, text: str) -> None:
        self.lines.append(
            [(f"{number:>{self.gutter}} | ", _GUTTER), (display_line(text).rstrip(), "")]
        )

    def ellipsis(self) -> None:
        self.lines.append([("...", _GUTTER)])

    def underline(self, column: int, marks: str, message: str, style: str) -> None:
        line: Segments = [(" " * self.gutter + " | ", _GUTTER), (" " * column + marks, style)]
        if message:
            line.append((" " + message, style))
        self.lines.append(line)

    def note(self, kind: str, message: str, style: str) -> None:
        first, *rest = message.split("\n")
        self.lines.append(
            [(" " * self.gutter + " = ", _GUTTER), (kind + ":", style), (" " + first, "")]
        )
        for more in rest:
            self.lines.append([(" " * (self.gutter + len(kind) + 5) + more, "")])


def _snippet(writer: _Writer, marks: Sequence[_Mark], root: Path, first: bool) -> None:
    file = marks[0].span.file
    ordered = sorted(marks, key=lambda m: (m.char != "^", m.span.start))
    head = ordered[0]
    line, col = file.line_col(_visible_start(head.span))
    writer.location("-->" if first else ":::", f"{display_path(file.path, root)}:{line}:{col}")
    writer.blank_gutter()
    by_line: dict[int, list[tuple[int, str, _Mark]]] = {}
    for mark in ordered:
        number, column, underline, _ = _underline(mark)
        by_line.setdefault(number, []).append((column, underline, mark))
    previous: int | None = None
    for number in sorted(by_line):
        if previous is not None and number > previous + 1:
            if number == previous + 2:
                writer.source(previous + 1, file.line_text(previous + 1))
            else:
                writer.ellipsis()
        writer.source(number, file.line_text(number))
        for column, underline, mark in sorted(
            by_line[number], key=lambda u: (u[2].char != "^", u[0])
        ):
            writer.underline(column, underline, mark.message, mark.style)
        previous = number


def _suggestion(writer: _Writer, hint: Hint) -> None:
    """Show the code as it would read with the hint's replacement applied."""
    assert hint.span is not None and hint.replacement is not None
    span = hint.span
    file = span.file
    line, col = file.line_col(span.start)
    end_line, end_col = file.line_col(max(span.start, span.end))
    writer.blank_gutter()
    if hint.replacement == "":
        source = file.line_text(line)
        covered = source[col - 1 :] if end_line > line else source[col - 1 : end_col - 1]
        writer.source(line, source)
        marks = "-" * max(1, text_width(covered)) + ("…" if end_line > line else "")
        writer.underline(text_width(source[: col - 1]), marks, "remove this", _HELP)
        return
    before = file.line_text(line)[: col - 1]
    after = file.line_text(end_line)[end_col - 1 :]
    new_lines = (before + hint.replacement + after).split("\n")
    for offset, text in enumerate(new_lines[:MAX_SUGGESTION_LINES]):
        writer.source(line + offset, text)
        if offset == 0:
            first = hint.replacement.split("\n")[0]
            writer.underline(text_width(before), "~" * max(1, text_width(first)), "", _HELP)
    if len(new_lines) > MAX_SUGGESTION_LINES:
        writer.ellipsis()


def _gutter_width(diagnostic: Diagnostic) -> int:
    numbers = [1]
    spans = [diagnostic.span] if diagnostic.span is not None else []
    spans += [label.span for label in diagnostic.labels]
    for span in spans:
        numbers.append(span.file.line_col(_visible_start(span))[0])
    for hint in diagnostic.hints:
        if hint.span is not None and hint.replacement is not None:
            extra = min(hint.replacement.count("\n"), MAX_SUGGESTION_LINES - 1)
            numbers.append(hint.span.file.line_col(hint.span.start)[0] + extra)
    return len(str(max(numbers)))


def diagnostic_lines(
    diagnostic: Diagnostic, root: Path, explained: set[str] | None = None
) -> list[Segments]:
    """One diagnostic as lines of styled segments.

    A lint's name and how to silence it is noted once per output (``explained`` tracks which).
    """
    style = _SEVERITY_STYLE[diagnostic.severity]
    writer = _Writer(_gutter_width(diagnostic))
    writer.lines.append(
        [
            (f"{diagnostic.severity.value}[{diagnostic.code}]", style),
            (": " + diagnostic.message, "bold"),
        ]
    )
    labels = list(diagnostic.labels)
    marks: list[_Mark] = []
    if diagnostic.span is not None:
        primary_message = ""
        for label in labels:
            if label.span == diagnostic.span:
                primary_message = label.message
                labels.remove(label)
                break
        marks.append(_Mark(diagnostic.span, primary_message, "^", style))
    marks.extend(_Mark(label.span, label.message, "-", _SECONDARY) for label in labels)
    groups: dict[str, list[_Mark]] = {}
    for mark in marks:
        groups.setdefault(mark.span.file.path, []).append(mark)
    for index, group in enumerate(groups.values()):
        _snippet(writer, group, root, first=index == 0)
    hints = list(diagnostic.hints)
    note = bool(diagnostic.name) and (explained is None or diagnostic.name not in explained)
    if note:
        if explained is not None:
            explained.add(diagnostic.name)
        hints.append(
            Hint(
                f"lint `{diagnostic.name}`; "
                f"silence it here with `// ccm: ignore[{diagnostic.name}]`"
            )
        )
    if marks and hints:
        writer.blank_gutter()
    for i, hint in enumerate(hints):
        is_note = note and i == len(hints) - 1
        writer.note("note" if is_note else "help", hint.message, _HELP)
        if hint.span is not None and hint.replacement is not None:
            _suggestion(writer, hint)
            if i < len(hints) - 1:
                writer.blank_gutter()
    return writer.lines


def _emit(lines: Sequence[Segments], color: bool) -> str:
    if not color:
        return "".join("".join(text for text, _ in line).rstrip() + "\n" for line in lines)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="standard",
        width=100_000,
        soft_wrap=True,
        highlight=False,
        emoji=False,
        markup=False,
    )
    for line in lines:
        console.print(Text.assemble(*line), end="\n")
    return buffer.getvalue()


def render_human(
    diagnostics: Sequence[Diagnostic],
    *,
    color: bool,
    root: Path,
    files: Sequence[str] | None = None,
) -> str:
    """Every diagnostic with its source snippet, then a summary line when ``files`` is given."""
    lines: list[Segments] = []
    explained: set[str] = set()
    for diagnostic in diagnostics:
        lines.extend(diagnostic_lines(diagnostic, root, explained))
        lines.append([])
    if files is not None:
        errors = any(d.severity is Severity.ERROR for d in diagnostics)
        summary = summary_line(diagnostics, files)
        style = "bold red" if errors else ("bold yellow" if diagnostics else "bold green")
        head, sep, rest = summary.partition(": ")
        if head in ("error", "warning"):
            lines.append([(head, style), (sep + rest, "bold")])
        else:
            lines.append([(summary, style)])
    return _emit(lines, color)
