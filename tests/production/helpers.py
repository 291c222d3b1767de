"""Helpers for batch production tests: letter records, JSON Lines files, manifests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
LETTER = FIXTURES / "letter.ccm"


def record(
    n: int, *, sections: int = 1, address: str | None = None, **changes: Any
) -> dict[str, Any]:
    """A valid letter record; ``sections`` pages of content plus one."""
    value: dict[str, Any] = {
        "id": f"A{n}",
        "customer": {"name": f"Customer {n}", "address": address or f"{n} High Street"},
        "total": 10,
        "count": 4,
        "sections": [f"Topic {n}.{i}" for i in range(sections)],
    }
    value.update(changes)
    return value


def write_jsonl(path: Path, rows: Iterable[dict[str, Any] | str]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write((row if isinstance(row, str) else json.dumps(row)) + "\n")
    return path


def read_manifest(out: Path) -> list[dict[str, Any]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]
