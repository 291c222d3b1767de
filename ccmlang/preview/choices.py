"""Sample data for the preview: which files, which records, and what the page calls them.

A designer checks a template against several customers (issue 5, item 4): the files given with
``--data`` (or, by default, every ``data/*.json``, ``*.jsonl``, ``*.ndjson`` and ``*.csv`` next
to the template), and each record of a JSON array, JSON Lines or CSV file. A choice has a
stable id, ``"<file index>:<record>"``, which the page keeps in ``localStorage`` and the URL.

Listing records reads the file once per content (cached by hash) and stops at
:data:`MAX_RECORDS`: a preview lists samples, not a production batch.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from ccmlang.data import DataError, iter_records

DATA_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv")
MAX_RECORDS = 200


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    file: Path | None
    """``None``: no data at all (the template renders with an empty record)."""
    record: int
    label: str


NO_DATA = Choice("none", None, 1, "(no data)")


def default_data_files(template: Path) -> list[Path]:
    """``data/*.{json,jsonl,ndjson,csv}`` next to the template, sorted by name."""
    folder = template.parent / "data"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DATA_SUFFIXES)


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, ``None`` when it cannot be read (deleted mid-edit)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Catalog:
    """The data choices of one preview; ``files`` fixed (``--data``) or rediscovered each time."""

    def __init__(self, template: Path, files: list[Path] | None) -> None:
        self.template = template
        self.fixed = [p.absolute() for p in files] if files else None
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    @property
    def data_folder(self) -> Path | None:
        """The folder whose new files appear as choices (only without ``--data``)."""
        return None if self.fixed is not None else (self.template.parent / "data").absolute()

    def files(self) -> list[Path]:
        if self.fixed is not None:
            return list(self.fixed)
        return [p.absolute() for p in default_data_files(self.template)]

    def choices(self) -> list[Choice]:
        out: list[Choice] = []
        for index, path in enumerate(self.files()):
            count = self._record_count(path)
            if count <= 1:
                out.append(Choice(f"{index}:1", path, 1, path.name))
                continue
            for record in range(1, count + 1):
                out.append(
                    Choice(f"{index}:{record}", path, record, f"{path.name} · record {record}")
                )
        return out or [NO_DATA]

    def get(self, choice_id: str | None) -> Choice:
        """The choice with this id; the first one for an unknown or missing id."""
        choices = self.choices()
        for choice in choices:
            if choice.id == choice_id:
                return choice
        return choices[0]

    def _record_count(self, path: Path) -> int:
        digest = file_digest(path)
        if digest is None:
            return 1
        key = (str(path), digest)
        with self._lock:
            known = self._counts.get(key)
        if known is not None:
            return known
        count = 0
        try:
            for record in iter_records(path):
                count = record.number
                if count >= MAX_RECORDS:
                    break
        except DataError:
            count = 1  # shown as one choice; rendering it reports the error with its position
        count = max(count, 1)
        with self._lock:
            self._counts[key] = count
        return count
