"""The cases the example output tests share: every example × every record of its data files.

An example is a folder ``examples/<name>/`` with ``<name>.ccm`` and a ``data/`` folder (the
``brand`` library has neither). Each ``data/*.json`` file is one case, ``<example>-<stem>``
(``invoice-many-items``); each record of a ``data/*.jsonl`` file is one case,
``<example>-<stem>-<n>`` (``statement-records-5``). Templates are compiled once per session and
each case's layout tree is evaluated once, whichever test module asks first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ccmlang import layout
from ccmlang.compiler.compile import compile_file
from ccmlang.data import select_record
from ccmlang.template import Template

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"


@dataclass(frozen=True, slots=True)
class Case:
    example: str
    name: str
    """``<example>-<data>``: the golden files' stem and the test id."""
    template: Path
    data: Path
    record: int
    """1-based record number in ``data`` (always 1 for a ``.json`` file)."""

    def __str__(self) -> str:
        return self.name

    def load(self) -> Any:
        """The record, money as ``Decimal`` (as ``ccm render`` reads it)."""
        return select_record(self.data, self.record)

    def document(self) -> layout.Document:
        return _document(self)


def _cases() -> list[Case]:
    cases: list[Case] = []
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        template = folder / f"{folder.name}.ccm"
        if not template.is_file() or not (folder / "data").is_dir():
            continue
        for data in sorted((folder / "data").glob("*.json")):
            cases.append(Case(folder.name, f"{folder.name}-{data.stem}", template, data, 1))
        for data in sorted((folder / "data").glob("*.jsonl")):
            lines = [line for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
            for n in range(1, len(lines) + 1):
                name = f"{folder.name}-{data.stem}-{n}"
                cases.append(Case(folder.name, name, template, data, n))
    return cases


CASES = _cases()


@cache
def compiled(template: Path) -> Template:
    return compile_file(template)


@cache
def _document(case: Case) -> layout.Document:
    return compiled(case.template).render(case.load())
