"""Build a :class:`Program` from source for lint tests without the resolver.

Lint rules read the AST (plus ``ModuleInfo.imports``), so a parsed module is enough to test
them in isolation; ``tests/lints/test_spec_examples.py`` runs the full compiler.
"""

from __future__ import annotations

from pathlib import Path

from ccmlang.compiler import ast
from ccmlang.compiler import types as t
from ccmlang.compiler.diagnostics import Diagnostic, DiagnosticSink
from ccmlang.compiler.lints import run_lints
from ccmlang.compiler.parse import parse_module
from ccmlang.compiler.program import Header, ModuleInfo, Program
from ccmlang.compiler.source import SourceFile
from ccmlang.config import LintConfig


def module(text: str, path: str = "t.ccm", kind: str | None = None) -> ModuleInfo:
    sink = DiagnosticSink()
    parsed = parse_module(SourceFile(path, text), sink)
    errors = [d for d in sink if d.is_error]
    assert not errors, errors
    if kind is None:
        kind = "library" if text.lstrip().startswith("library") else "template"
    return ModuleInfo(Path(path), path, parsed, kind)


def program(text: str, *, imports: dict[str, str] | None = None) -> Program:
    root = module(text)
    for alias, source in (imports or {}).items():
        root.imports[alias] = module(source, f"{alias}.ccm", "library")
    document = next(
        (i for i in root.module.items if isinstance(i, ast.Element) and i.keyword == "document"),
        None,
    )
    return Program(
        root=root,
        header=Header(name="t"),
        project_root=Path("."),
        schema=None,
        data_type=t.ANY,
        page_rest=None,
        page_first=None,
        document=document,
        body=(),
    )


def lint(
    text: str, config: LintConfig | None = None, *, imports: dict[str, str] | None = None
) -> list[Diagnostic]:
    return run_lints(program(text, imports=imports), config)


def codes(text: str, config: LintConfig | None = None, **kw: dict[str, str]) -> list[str]:
    return [d.code for d in lint(text, config, **kw)]
