"""ccmlang: customer communications as code.

The pipeline (ARCHITECTURE.md), each stage a pure function in its own module::

    .ccm source ─parse─▶ AST ─resolve─▶ checked Template ─render(data)─▶ LayoutTree ─emit─▶ bytes
    compiler/parse.py   compiler/ast.py  compiler/resolve.py  compiler/evaluate.py  layout.py  backends/
                                          compiler/check.py (types against the JSON Schema, lints)

Compile once, render many: :func:`compile_file` parses, resolves and checks; ``Template.render``
is the only per-record work; backends turn a layout tree into bytes and never see the AST.
"""

from ccmlang.compiler.diagnostics import CompileError, Diagnostic, Severity

__all__ = ["CompileError", "Diagnostic", "Severity"]
__version__ = "0.1.0"
