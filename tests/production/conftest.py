"""Fixtures for batch production tests: the letter template and record files in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from .helpers import LETTER, write_jsonl


@pytest.fixture
def letter() -> Path:
    return LETTER


@pytest.fixture
def jsonl(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: Iterable[dict[str, Any] | str], name: str = "records.jsonl") -> Path:
        return write_jsonl(tmp_path / name, rows)

    return make
