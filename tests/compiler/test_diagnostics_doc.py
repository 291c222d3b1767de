"""spec/diagnostics.md: every compile-time code documented, every example does what it says.

Each ``### E2001 field.unknown`` section has fenced examples: ```` ```ccm fail ```` blocks must
produce that code (and no other error), ```` ```ccm ok ```` blocks must compile without errors.
They are compiled as if saved in ``spec/``, their project root.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccmlang.compiler.codes import CODES
from ccmlang.compiler.compile import check_source

SPEC = Path(__file__).resolve().parents[2] / "spec"
TEXT = (SPEC / "diagnostics.md").read_text(encoding="utf-8")
SECTION = re.compile(r"^### (E\d{4}) ([a-z.-]+)$", re.M)
BLOCK = re.compile(r"^```ccm (fail|ok)\n(.*?)^```$", re.M | re.S)

NO_FAILING_SOURCE = {"E0006", "E0008", "E0009", "E0010", "E0012"}
"""Codes whose failing input is not template text one would show (bad bytes, a 2 MB file, 65
levels of braces, 26 errors, an unreadable path): tested in test_limits.py instead."""


def sections() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    found = list(SECTION.finditer(TEXT))
    out: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(TEXT)
        body = TEXT[match.end() : end]
        blocks = [(m.group(1), m.group(2)) for m in BLOCK.finditer(body)]
        out[match.group(1)] = (match.group(2), blocks)
    return out


SECTIONS = sections()
EXAMPLES = [
    (code, kind, source, i)
    for code, (_, blocks) in SECTIONS.items()
    for i, (kind, source) in enumerate(blocks)
]


def errors(source: str, code: str) -> list[str]:
    result = check_source(source, path=f"diagnostics-{code}.ccm", project_root=SPEC, lint=False)
    return [d.code for d in result.diagnostics if d.is_error]


def test_every_code_has_a_section() -> None:
    wanted = [c for c in CODES if c[:2] in ("E0", "E1", "E2")]
    assert [c for c in wanted if c not in SECTIONS] == []
    for code, (name, _) in SECTIONS.items():
        assert CODES[code].name == name, code


INTERNAL = {"E9000"}
"""Bugs in ccmlang itself: documented, but there is no template that should trigger them."""


def test_every_section_has_examples() -> None:
    for code, (_, blocks) in SECTIONS.items():
        if code in INTERNAL:
            continue
        kinds = {kind for kind, _ in blocks}
        assert "ok" in kinds, code
        assert "fail" in kinds or code in NO_FAILING_SOURCE, code


@pytest.mark.parametrize(
    ("code", "kind", "source", "index"),
    EXAMPLES,
    ids=[f"{code}-{kind}-{i}" for code, kind, _, i in EXAMPLES],
)
def test_example(code: str, kind: str, source: str, index: int) -> None:
    got = errors(source, code)
    if kind == "fail":
        assert got and set(got) == {code}, got
    else:
        assert got == [], got
