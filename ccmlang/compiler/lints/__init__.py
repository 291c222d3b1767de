"""Lint rules: warnings about templates that compile but read, print or archive badly
(spec/lints.md).

Each rule is a :class:`LintRule` with a ``W1xx`` code and a dotted name, in one module per
family (``unused``, ``a11y``, ``structure``, ``text``). :func:`run_lints` runs the rules that the
:class:`~ccmlang.config.LintConfig` selects, applies configured severities and drops warnings
silenced by ``// ccm: ignore[…]`` comments.

Rules are found through the entry-point group ``ccmlang.lints``; the built-in ones register
there too (``builtin = "ccmlang.compiler.lints:BUILTIN_RULES"``), so a third-party package adds
rules exactly as we do. Each entry point yields a list of rules (instances or classes).
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from ccmlang.compiler.diagnostics import Diagnostic
from ccmlang.compiler.lints.a11y import Contrast, HeadingSkip, ImageAlt, LinkText
from ccmlang.compiler.lints.base import Finding, LintContext, LintRule, finding
from ccmlang.compiler.lints.structure import (
    DocumentNoTitle,
    PageBreakLast,
    TableNoEmpty,
    TableNoHeader,
)
from ccmlang.compiler.lints.suppress import is_suppressed
from ccmlang.compiler.lints.text import Placeholder, Untranslated
from ccmlang.compiler.lints.unused import (
    ComponentUnused,
    FontUnused,
    ImportUnused,
    LetUnused,
    StyleUnused,
)
from ccmlang.compiler.program import Program
from ccmlang.config import LintConfig

__all__ = [
    "BUILTIN_RULES",
    "ENTRY_POINT_GROUP",
    "Finding",
    "LintContext",
    "LintRule",
    "RuleRegistry",
    "finding",
    "is_suppressed",
    "load_rules",
    "run_lints",
]

ENTRY_POINT_GROUP = "ccmlang.lints"

BUILTIN_RULES: list[LintRule] = [
    StyleUnused(),
    ComponentUnused(),
    ImportUnused(),
    ImageAlt(),
    HeadingSkip(),
    TableNoHeader(),
    DocumentNoTitle(),
    Untranslated(),
    Contrast(),
    LetUnused(),
    FontUnused(),
    PageBreakLast(),
    TableNoEmpty(),
    Placeholder(),
    LinkText(),
]


@dataclass(slots=True)
class RuleRegistry:
    """Every loaded rule by code, plus plugins that failed to load (shown by ``ccm check``)."""

    rules: dict[str, LintRule] = field(default_factory=dict)
    broken: list[tuple[str, str]] = field(default_factory=list)
    """``(entry point or rule, error message)``."""

    def add(self, rule: LintRule, origin: str) -> None:
        if not rule.code or not rule.name:
            self.broken.append((origin, f"rule {rule!r} has no code or name"))
            return
        existing = self.rules.get(rule.code)
        if existing is not None and type(existing) is not type(rule):
            self.broken.append(
                (origin, f"rule code {rule.code} is already used by `{existing.name}`; skipped")
            )
            return
        if any(r.name == rule.name and r.code != rule.code for r in self.rules.values()):
            self.broken.append((origin, f"rule name `{rule.name}` is already used; skipped"))
            return
        self.rules[rule.code] = rule

    def get(self, selector: str) -> LintRule | None:
        """A rule by code or dotted name."""
        if selector.upper() in self.rules:
            return self.rules[selector.upper()]
        return next((r for r in self.rules.values() if r.name == selector), None)

    def __iter__(self) -> Iterator[LintRule]:
        return iter(sorted(self.rules.values(), key=lambda r: r.code))


def _as_rules(loaded: object, origin: str, registry: RuleRegistry) -> None:
    items = loaded() if callable(loaded) and not isinstance(loaded, type) else loaded
    if isinstance(items, LintRule | type):
        items = [items]
    if not isinstance(items, Iterable):
        registry.broken.append(
            (origin, f"expected a list of lint rules, got {type(items).__name__}")
        )
        return
    for item in items:
        rule = item() if isinstance(item, type) and issubclass(item, LintRule) else item
        if not isinstance(rule, LintRule):
            registry.broken.append((origin, f"{item!r} is not a LintRule"))
            continue
        registry.add(rule, origin)


def load_rules(entry_points: Iterable[importlib.metadata.EntryPoint] | None = None) -> RuleRegistry:
    """Built-in rules plus every rule from the ``ccmlang.lints`` entry-point group.

    A plugin that fails to import is recorded in ``broken`` instead of failing the check.
    """
    registry = RuleRegistry()
    for rule in BUILTIN_RULES:
        registry.add(rule, "builtin")
    eps = (
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        if entry_points is None
        else entry_points
    )
    for ep in sorted(eps, key=lambda e: e.name):
        if ep.value == f"{__name__}:BUILTIN_RULES":
            continue
        origin = f"{ep.name} = {ep.value}"
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken plugin must not break `ccm check`
            registry.broken.append((origin, f"{type(exc).__name__}: {exc}"))
            continue
        try:
            _as_rules(loaded, origin, registry)
        except Exception as exc:
            registry.broken.append((origin, f"{type(exc).__name__}: {exc}"))
    return registry


@cache
def default_rules() -> RuleRegistry:
    """The installed rules, loaded once per process."""
    return load_rules()


def run_lints(
    program: Program,
    config: LintConfig | None = None,
    *,
    rules: RuleRegistry | Iterable[LintRule] | None = None,
) -> list[Diagnostic]:
    """Run the selected rules over ``program`` (the root module and everything it imports).

    Returns diagnostics sorted by position, with configured severities, minus suppressed ones.
    """
    config = config or LintConfig()
    registry = default_rules() if rules is None else rules
    selected = (
        list(registry.rules.values()) if isinstance(registry, RuleRegistry) else list(registry)
    )
    ctx = LintContext(program)
    out: list[Diagnostic] = []
    seen: set[tuple[str, object, str]] = set()
    for rule in sorted(selected, key=lambda r: r.code):
        if not config.is_enabled(rule.code, rule.name):
            continue
        severity = config.severity_for(rule.code, rule.name, rule.severity)
        if severity is None:
            continue
        for found in rule.check(ctx):
            diagnostic = Diagnostic(
                code=rule.code,
                severity=severity,
                message=found.message,
                span=found.span,
                labels=found.labels,
                hints=found.hints,
                name=rule.name,
            )
            key = (rule.code, found.span, found.message)
            if key in seen or is_suppressed(diagnostic):
                continue
            seen.add(key)
            out.append(diagnostic)
    return sorted(out, key=Diagnostic.sort_key)
