"""Annotated diagnostic cases: every ``cases/*.ccm`` says which errors it must produce.

An annotation is a comment ``// error E2001 @ 12:9`` (line 12, column 9 of this file),
``// error E2001 @ +1:9`` (the next line) or ``// error E1002 @ lib/cycle_b.ccm:2:8`` (another
file of the project, which is ``cases/``). The case passes when its errors are exactly those
annotated: nothing missing, nothing extra, each at its position (Typst's test style).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ccmlang.compiler.compile import check_file

CASES = Path(__file__).parent / "cases"
_ANNOTATION = re.compile(
    r"//\s*error\s+(?P<code>E\d{4})\s+@\s+(?:(?P<file>[\w./-]+\.\w+):)?(?P<line>[+-]?\d+):(?P<col>\d+)"
)

Expected = tuple[str, str, int, int]


def expected(path: Path) -> Counter[Expected]:
    found: Counter[Expected] = Counter()
    text = path.read_bytes().decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _ANNOTATION.finditer(line):
            where = match.group("line")
            row = number + int(where) if where[0] in "+-" else int(where)
            file = match.group("file") or path.name
            found[(match.group("code"), file, row, int(match.group("col")))] += 1
    return found


def actual(path: Path) -> Counter[Expected]:
    result = check_file(path, project_root=CASES, lint=False)
    found: Counter[Expected] = Counter()
    for d in result.diagnostics:
        if not d.is_error:
            continue
        if d.span is None:
            found[(d.code, "", 0, 0)] += 1
        else:
            line, col = d.span.file.line_col(d.span.start)
            found[(d.code, d.span.file.path, line, col)] += 1
    return found


@pytest.mark.parametrize("case", sorted(CASES.glob("*.ccm")), ids=lambda p: p.stem)
def test_case(case: Path) -> None:
    want = expected(case)
    got = actual(case)
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    assert not missing and not extra, f"missing: {missing}\nunexpected: {extra}"


def test_every_code_has_a_case() -> None:
    """Each E1xxx/E2xxx code, and the syntax codes, is produced by at least one case."""
    from ccmlang.compiler.codes import CODES

    covered = {code for case in CASES.glob("*.ccm") for code, *_ in expected(case)}
    # Source-level codes need files that cannot carry annotations: see test_limits.py.
    by_unit_tests = {"E0006", "E0007", "E0008", "E0010", "E0012"}
    wanted = {c for c in CODES if c[:2] in ("E0", "E1", "E2")} - by_unit_tests
    assert sorted(wanted - covered) == []
