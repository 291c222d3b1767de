"""spec/lints.md: every rule documented, every example raises exactly its rule (or none).

Blocks fenced as ```` ```ccm lint-fail W104 ```` must raise W104 and no other lint; blocks fenced
```` ```ccm lint-ok W104 ```` must raise no lint at all. They are compiled with the full compiler,
as if saved in ``spec/`` (so ``examples/logo.svg`` is ``spec/examples/logo.svg``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccmlang.compiler.diagnostics import Diagnostic
from ccmlang.compiler.lints import BUILTIN_RULES

SPEC = Path(__file__).resolve().parents[2] / "spec" / "lints.md"
TEXT = SPEC.read_text(encoding="utf-8")
BLOCK = re.compile(r"^```ccm (lint-fail|lint-ok)(?: (W\d+))?\n(.*?)^```$", re.M | re.S)
BLOCKS = [(m.group(1), m.group(2) or "", m.group(3)) for m in BLOCK.finditer(TEXT)]
LINE = {m.start(): TEXT.count("\n", 0, m.start()) + 1 for m in BLOCK.finditer(TEXT)}


def check(source: str, name: str) -> list[Diagnostic]:
    from ccmlang.compiler.compile import check_source

    path = SPEC.parent / name
    result = check_source(source, path=str(path), project_root=SPEC.parent)
    return list(result.diagnostics)


@pytest.mark.parametrize(
    ("kind", "code", "source"),
    BLOCKS,
    ids=[f"{k}-{c}-line{line}" for (k, c, _), line in zip(BLOCKS, LINE.values(), strict=True)],
)
def test_example(kind: str, code: str, source: str) -> None:
    diagnostics = check(source, f"lint-example-{code.lower() or 'x'}.ccm")
    errors = [d for d in diagnostics if d.is_error]
    assert not errors, f"the example does not compile: {errors}"
    lints = sorted({d.code for d in diagnostics if d.code.startswith("W")})
    if kind == "lint-fail":
        assert lints == [code], diagnostics
    else:
        assert lints == [], diagnostics


def test_every_rule_documented_with_both_examples() -> None:
    for rule in BUILTIN_RULES:
        assert f'<a id="{rule.code.lower()}"></a>\n## {rule.code} `{rule.name}`' in TEXT, rule
        assert ("lint-fail", rule.code) in {(k, c) for k, c, _ in BLOCKS}, rule
        assert ("lint-ok", rule.code) in {(k, c) for k, c, _ in BLOCKS}, rule
        assert f"| [{rule.code}](#{rule.code.lower()}) | `{rule.name}` |" in TEXT, rule
