"""Third-party rules from the ``ccmlang.lints`` entry-point group."""

from __future__ import annotations

import importlib.metadata
import sys
import types
from collections.abc import Iterable

from ccmlang.compiler import ast
from ccmlang.compiler.lints import (
    BUILTIN_RULES,
    Finding,
    LintContext,
    LintRule,
    finding,
    load_rules,
    run_lints,
)
from ccmlang.config import LintConfig

from .helpers import program


class NoBold(LintRule):
    """House style forbids bold.

    **Anti-pattern**: ``bold "x"``. **Best practice**: a named style.
    """

    code = "W901"
    name = "house.no-bold"
    summary = "No bold text."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        for v in ctx.walk():
            if isinstance(v.node, ast.Element) and v.node.keyword == "bold":
                yield finding("no bold, please", v.node.keyword_span)


class Clash(NoBold):
    code = "W104"
    name = "house.clash"


def entry_point(name: str, attr: str, module: types.ModuleType) -> importlib.metadata.EntryPoint:
    sys.modules[module.__name__] = module
    return importlib.metadata.EntryPoint(name, f"{module.__name__}:{attr}", "ccmlang.lints")


def test_plugin_rules_are_loaded_and_run() -> None:
    mod = types.ModuleType("ccm_test_plugin")
    mod.RULES = [NoBold]  # type: ignore[attr-defined]
    builtin = importlib.metadata.EntryPoint(
        "builtin", "ccmlang.compiler.lints:BUILTIN_RULES", "ccmlang.lints"
    )
    registry = load_rules([builtin, entry_point("house", "RULES", mod)])
    assert registry.get("W901") is not None and registry.get("house.no-bold") is not None
    assert len(registry.rules) == len(BUILTIN_RULES) + 1
    assert not registry.broken
    src = 'template "T"\ndocument { title: "T" }\nparagraph { bold "x" } // ccm: ignore[W999]\n'
    diagnostics = run_lints(program(src), LintConfig(), rules=registry)
    assert [(d.code, d.name) for d in diagnostics] == [("W901", "house.no-bold")]
    assert run_lints(program(src), LintConfig(ignore=("house",)), rules=registry) == []


def test_broken_plugins_are_reported_not_fatal() -> None:
    bad = types.ModuleType("ccm_test_bad_plugin")
    bad.CLASH = [Clash()]  # type: ignore[attr-defined]
    bad.NOT_RULES = 42  # type: ignore[attr-defined]
    eps = [
        entry_point("clash", "CLASH", bad),
        entry_point("junk", "NOT_RULES", bad),
        importlib.metadata.EntryPoint("missing", "ccm_no_such_module:RULES", "ccmlang.lints"),
    ]
    registry = load_rules(eps)
    assert len(registry.rules) == len(BUILTIN_RULES)
    reasons = dict(registry.broken)
    assert "already used" in reasons["clash = ccm_test_bad_plugin:CLASH"]
    assert "expected a list" in reasons["junk = ccm_test_bad_plugin:NOT_RULES"]
    assert "ModuleNotFoundError" in reasons["missing = ccm_no_such_module:RULES"]


def test_installed_entry_point_declares_builtin_rules() -> None:
    eps = importlib.metadata.entry_points(group="ccmlang.lints")
    assert any(ep.value == "ccmlang.compiler.lints:BUILTIN_RULES" for ep in eps)
    registry = load_rules()
    assert {r.code for r in BUILTIN_RULES} <= set(registry.rules)
