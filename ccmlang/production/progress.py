"""Batch progress: a live bar on a terminal, periodic plain lines in logs (spec/production.md,
"Progress").

A batch runs for hours in CI jobs and schedulers whose logs are files, where a redrawn bar is
noise; so the bar is only used when the stream is a terminal, and otherwise a line is printed
every few seconds. ``--quiet`` prints nothing.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichBar
from rich.table import Table
from rich.text import Text

STATUSES = ("ok", "error", "skipped")
"""What can happen to a record: rendered now, failed, or already done by an earlier run."""


class Progress(Protocol):
    def start(self, total: int | None, description: str) -> None: ...

    def advance(self, status: str) -> None: ...

    def stop(self) -> None: ...


class NullProgress:
    """``--quiet``."""

    def start(self, total: int | None, description: str) -> None:
        pass

    def advance(self, status: str) -> None:
        pass

    def stop(self) -> None:
        pass


def _duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


class PlainProgress:
    """One line every ``interval`` seconds (and a last one at the end), for logs."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        self.clock = clock
        self.counts: Counter[str] = Counter()
        self.total: int | None = None
        self.description = "batch"
        self._started = 0.0
        self._last = 0.0

    def start(self, total: int | None, description: str) -> None:
        self.total = total
        self.description = description
        self._started = self._last = self.clock()

    def advance(self, status: str) -> None:
        self.counts[status] += 1
        now = self.clock()
        if now - self._last >= self.interval:
            self._last = now
            self._print(now)

    def line(self, now: float) -> str:
        done = sum(self.counts.values())
        elapsed = max(now - self._started, 1e-9)
        rendered = self.counts["ok"] + self.counts["error"]
        rate = rendered / elapsed
        of = f"/{self.total}" if self.total is not None else ""
        text = (
            f"{self.description}: {done}{of} records ({self.counts['ok']} ok, "
            f"{self.counts['error']} failed, {self.counts['skipped']} already done), "
            f"{rate:.1f} docs/s, elapsed {_duration(elapsed)}"
        )
        if self.total is not None and rate > 0 and done < self.total:
            text += f", ETA {_duration((self.total - done) / rate)}"
        return text

    def _print(self, now: float) -> None:
        print(self.line(now), file=self.stream, flush=True)

    def stop(self) -> None:
        self._print(self.clock())


class _RateColumn(ProgressColumn):
    """Documents per second over the whole run (rich's own speed is a short moving window)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:.1f} docs/s", style="progress.data.speed")


class RichProgress:
    """A live bar with documents per second and ETA, redrawn on a terminal."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.counts: Counter[str] = Counter()
        self._bar = RichBar(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TextColumn("{task.fields[failed]} failed", style="red"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self._task: Any = None

    def start(self, total: int | None, description: str) -> None:
        self._bar.start()
        self._task = self._bar.add_task(description, total=total, failed=0)

    def advance(self, status: str) -> None:
        self.counts[status] += 1
        self._bar.update(self._task, advance=1, failed=self.counts["error"])

    def stop(self) -> None:
        self._bar.stop()


def make_progress(*, quiet: bool, stream: TextIO | None = None) -> Progress:
    """Nothing when quiet, a bar on a terminal, plain lines otherwise."""
    if quiet:
        return NullProgress()
    stream = stream or sys.stderr
    if stream.isatty():
        return RichProgress(Console(file=stream))
    return PlainProgress(stream)


def count_records(path: Path, fmt: str) -> int | None:
    """How many records a JSON Lines or CSV file holds, for the ETA (None for a JSON array).

    Counts newlines in 1 MiB blocks: a gigabyte takes about a second and no memory. A CSV
    field with an embedded newline makes the estimate high, which only makes the ETA cautious.
    """
    if fmt == "auto":
        suffix = path.suffix.lower()
        fmt = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}.get(suffix, "json")
    if fmt not in ("jsonl", "csv"):
        return None
    lines = 0
    last = b"\n"
    blank = 0
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            lines += block.count(b"\n")
            blank += block.count(b"\n\n")
            last = block[-1:]
    if last != b"\n":
        lines += 1
    lines -= blank
    return max(0, lines - 1) if fmt == "csv" else max(0, lines)


def summary_table(summary: Any) -> Table:
    """The end-of-batch table: counts, speed, and failures by code."""
    table = Table(title="Batch summary", show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    table.add_row("records read", str(summary.read))
    table.add_row("rendered", str(summary.ok))
    table.add_row("already done (skipped)", str(summary.skipped))
    table.add_row("failed", Text(str(summary.failed), style="red" if summary.failed else ""))
    if summary.stopped_early:
        table.add_row("stopped", Text(f"after {summary.failed} errors (--max-errors)", style="red"))
    table.add_row("time", _duration(summary.seconds))
    table.add_row("documents per second", f"{summary.rate:.1f}")
    table.add_row("workers", summary.executor)
    for code, count in sorted(summary.codes.items()):
        table.add_row(f"  {code}", str(count))
    if summary.print_stream is not None:
        ps = summary.print_stream
        table.add_row(
            "print stream",
            f"{ps.path.name}: {ps.documents} documents, {ps.envelopes} envelopes, "
            f"{ps.pages} pages, {ps.sheets} sheets",
        )
    return table
