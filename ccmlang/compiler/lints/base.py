"""The lint rule protocol (spec/lints.md): a code, a dotted name, a docstring, a ``check``.

Modelled on sqlfluff: one class per rule, ``W1xx`` code and a ``family.rule`` name, a docstring
with **Anti-pattern** and **Best practice** (the spec is checked against it), and a default
severity of warning that configuration may raise, lower or turn off. Rules yield
:class:`Finding` (what and where); :func:`ccmlang.compiler.lints.run_lints` turns them into
diagnostics with the configured severity, so a rule never decides how loud it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from ccmlang.compiler.diagnostics import Hint, Label, Severity
from ccmlang.compiler.lints import visit
from ccmlang.compiler.program import ModuleInfo, Program
from ccmlang.compiler.source import Span


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found; the runner adds code, name and severity."""

    message: str
    span: Span | None
    labels: tuple[Label, ...] = ()
    hints: tuple[Hint, ...] = ()


@dataclass(slots=True)
class LintContext:
    """What every rule gets: the program and cached walks over its modules."""

    program: Program
    modules: list[ModuleInfo] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.modules:
            self.modules = visit.modules(self.program)

    @property
    def root(self) -> ModuleInfo:
        return self.program.root

    @property
    def is_template(self) -> bool:
        """Checked as a template (libraries checked standalone export everything)."""
        return self.program.root.kind == "template"

    def walk(self, module: ModuleInfo | None = None) -> Iterator[visit.Visit]:
        """Every node of one module, or of all modules when ``module`` is ``None``."""
        for m in [module] if module is not None else self.modules:
            yield from visit.walk(m)


class LintRule:
    """Base class of lint rules. Subclasses set ``code``, ``name``, ``summary`` and ``check``.

    The class docstring is the rule's documentation: a paragraph of why, then
    ``Anti-pattern`` and ``Best practice`` sections.
    """

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<lint {self.code} {self.name}>"


def finding(
    message: str,
    span: Span | None,
    *,
    labels: Iterable[Label] = (),
    hints: Iterable[Hint | str] = (),
) -> Finding:
    """Build a :class:`Finding`; plain-string hints become :class:`Hint`."""
    return Finding(
        message,
        span,
        tuple(labels),
        tuple(h if isinstance(h, Hint) else Hint(h) for h in hints),
    )
