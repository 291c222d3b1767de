"""Suppression comments (spec/lints.md, "Suppressing a warning").

``// ccm: ignore[a11y.image-alt]`` on the reported line, or alone on the line above it, silences
that rule there; ``// ccm: ignore`` with no list silences every lint on the line. Codes and
names both work (``W104`` = ``a11y.image-alt``). Comments are read from the source text of the
diagnostic's own file, so a warning inside an imported library is silenced in the library.
Only lints can be silenced: errors mean the template cannot render.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ccmlang.compiler.diagnostics import Diagnostic, Severity
from ccmlang.compiler.source import SourceFile

_COMMENT = re.compile(r"//\s*ccm:\s*ignore\b(?:\[([^\]]*)\])?")

ALL = frozenset({"*"})


@lru_cache(maxsize=256)
def _directives(line: str) -> frozenset[str] | None:
    """The rules a line's comment silences: ``ALL``, a set of selectors, or ``None``."""
    match = _COMMENT.search(line)
    if match is None:
        return None
    if match.group(1) is None:
        return ALL
    return frozenset(part.strip() for part in match.group(1).split(",") if part.strip())


def _silences(selectors: frozenset[str] | None, code: str, name: str) -> bool:
    if selectors is None:
        return False
    if selectors is ALL:
        return True
    return code in selectors or (bool(name) and name in selectors)


def is_suppressed(diagnostic: Diagnostic) -> bool:
    """Whether a comment on the diagnostic's line, or alone on the line above, silences it."""
    if diagnostic.span is None or (diagnostic.severity is Severity.ERROR and not diagnostic.name):
        return False
    file: SourceFile = diagnostic.span.file
    line = diagnostic.span.line
    if _silences(_directives(file.line_text(line)), diagnostic.code, diagnostic.name):
        return True
    above = file.line_text(line - 1) if line > 1 else ""
    return above.lstrip().startswith("//") and _silences(
        _directives(above), diagnostic.code, diagnostic.name
    )
