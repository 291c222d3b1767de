"""The batch manifest: one JSON line per processed record (spec/production.md, "Manifest").

The manifest is an append-only log and the single source of truth for resuming. A line is
appended only after the record's output has been renamed into place, so a line with status
``ok`` always names a complete file; a batch killed between the rename and the append simply
renders that record again on resume (same bytes, same name: nothing is duplicated). When a
record appears more than once (it failed, then succeeded on a re-run), the last line wins.

A kill can also tear the last line in half; :func:`load_done` drops such a tail so the next
append starts on a fresh line.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import IO, Any

MANIFEST_NAME = "manifest.jsonl"
MANIFEST_CSV_NAME = "manifest.csv"
STATE_NAME = "batch.json"
TEMP_SUFFIX = ".ccm-tmp"
"""Suffix of outputs being written; names never start with a dot, temp files always do."""

OK = "ok"
ERROR = "error"


@dataclass(frozen=True, slots=True)
class Row:
    """One manifest line. Field order is the CSV column order."""

    record: int
    key: str
    output: str
    """Path of the output relative to the batch directory; empty when the record failed."""
    pages: int | None
    bytes: int | None
    sha256: str
    status: str  # "ok" | "error"
    code: str
    message: str
    render_seconds: float
    """Wall time of render and emit in the worker; the only field that differs between runs."""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(", ", ": "))


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Row))


def key_hash(key: str) -> int:
    """A 64-bit digest of a record key: resume and duplicate checks keep 8 bytes, not the name."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")


@dataclass(frozen=True, slots=True)
class Done:
    """What resuming needs to know about a finished record, kept small (one per record)."""

    key: int
    """:func:`key_hash` of the record's key."""
    sha256: bytes


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("r", encoding="utf-8") as f:
        for line in f:
            if not line.endswith("\n"):
                return  # a torn last line: the record is redone
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict) and isinstance(row.get("record"), int):
                yield row


def read_rows(path: Path) -> Iterator[Row]:
    """Every complete line of a manifest, in file order."""
    for row in _lines(path):
        values: dict[str, Any] = {name: row.get(name) for name in COLUMNS}
        yield Row(**values)


def repair(path: Path) -> None:
    """Cut a torn last line (a kill in the middle of an append) so appends start clean."""
    if not path.exists():
        return
    with path.open("rb+") as f:
        size = f.seek(0, os.SEEK_END)
        if size == 0:
            return
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        # Walk back to the last newline; manifests are small per line, so read backwards in blocks.
        pos = size
        while pos > 0:
            step = min(65536, pos)
            pos -= step
            f.seek(pos)
            block = f.read(step)
            cut = block.rfind(b"\n")
            if cut != -1:
                f.truncate(pos + cut + 1)
                return
        f.truncate(0)


def load_done(path: Path) -> dict[int, Done | None]:
    """Record number → what its last line says: :class:`Done` if ``ok``, ``None`` if failed."""
    done: dict[int, Done | None] = {}
    if not path.exists():
        return done
    for row in _lines(path):
        number = row["record"]
        if row.get("status") == OK and isinstance(row.get("sha256"), str):
            try:
                done[number] = Done(key_hash(str(row.get("key", ""))), bytes.fromhex(row["sha256"]))
            except ValueError:
                done[number] = None
        else:
            done[number] = None
    return done


class ManifestWriter:
    """Appends rows, flushed line by line so a kill loses at most the line being written."""

    def __init__(self, path: Path) -> None:
        repair(path)
        self.path = path
        self._file: IO[str] = path.open("a", encoding="utf-8", newline="\n")

    def append(self, row: Row) -> None:
        self._file.write(row.to_json() + "\n")
        self._file.flush()

    def close(self) -> None:
        if not self._file.closed:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()

    def __enter__(self) -> ManifestWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_csv(manifest: Path, target: Path) -> None:
    """The manifest as CSV (same rows, same order), rewritten whole from the JSON lines."""
    tmp = target.with_name("." + target.name + TEMP_SUFFIX)
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for row in read_rows(manifest):
            values = asdict(row)
            writer.writerow(["" if values[c] is None else values[c] for c in COLUMNS])
    os.replace(tmp, target)


@dataclass(frozen=True, slots=True)
class BatchState:
    """What a batch directory was made with; a resume with other settings would mix outputs."""

    template: str
    template_sha256: str
    format: str
    name: str | None

    def to_json(self) -> str:
        return json.dumps({"version": 1, **asdict(self)}, indent=2, sort_keys=True) + "\n"

    @classmethod
    def read(cls, path: Path) -> BatchState | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                template=str(data["template"]),
                template_sha256=str(data["template_sha256"]),
                format=str(data["format"]),
                name=None if data.get("name") is None else str(data["name"]),
            )
        except KeyError:
            return None

    def differences(self, other: BatchState) -> list[str]:
        """Human descriptions of what changed since ``other`` (empty: safe to resume)."""
        out: list[str] = []
        if self.format != other.format:
            out.append(f"the format was {other.format}, now {self.format}")
        if self.name != other.name:
            out.append(f"--name was {other.name!r}, now {self.name!r}")
        if self.template_sha256 != other.template_sha256:
            out.append(f"the template {other.template}, a library it imports or its schema changed")
        return out
