"""ccmlang: customer communications as code.

The pipeline (ARCHITECTURE.md), each stage a pure function in its own module::

    .ccm source ─parse─▶ AST ─resolve─▶ checked Template ─render(data)─▶ LayoutTree ─emit─▶ bytes
    compiler/parse.py   compiler/ast.py  compiler/resolve.py  compiler/evaluate.py  layout.py  backends/
                                          compiler/check.py (types against the JSON Schema, lints)

Compile once, render many: :func:`compile_file` parses, resolves and checks; ``Template.render``
is the only per-record work; backends turn a layout tree into bytes and never see the AST.
:func:`check_file` reports every diagnostic instead of raising (editors, ``ccm check``).
"""

from ccmlang.compiler.compile import (
    CheckResult,
    check_file,
    check_source,
    compile_file,
    compile_source,
)
from ccmlang.compiler.diagnostics import CompileError, Diagnostic, Severity
from ccmlang.template import Template

__all__ = [
    "CheckResult",
    "CompileError",
    "Diagnostic",
    "Severity",
    "Template",
    "check_file",
    "check_source",
    "compile_file",
    "compile_source",
]
__version__ = "0.1.0"
