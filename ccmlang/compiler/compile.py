"""The compile API: ``check_file``/``check_source`` report, ``compile_file``/``compile_source``
raise (spec/language.md; codes in spec/diagnostics.md).

One compile runs the stages in order (ARCHITECTURE.md): load and parse every file (cached by
content, see ``loader``), resolve imports and declarations, flatten styles, load the data
contract, check every statement and expression, then lint. Everything is collected into one
list of diagnostics, sorted by file and position; nothing stops at the first error.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

from ccmlang import layout
from ccmlang.compiler import loader, parse
from ccmlang.compiler import types as t
from ccmlang.compiler.check import Checked, Checker, module_languages
from ccmlang.compiler.diagnostics import CompileError, Diagnostic, DiagnosticSink, Hint, Severity
from ccmlang.compiler.program import Header, Program
from ccmlang.compiler.project import find_project_root
from ccmlang.compiler.resolve import (
    Loader,
    Namespaces,
    TypeResolver,
    Unit,
    data_contract,
    declare,
    resolve_params,
)
from ccmlang.compiler.styles import ELEMENT_STYLES, Styles
from ccmlang.template import Template

__all__ = [
    "CheckResult",
    "CompileError",
    "check_file",
    "check_source",
    "clear_cache",
    "compile_file",
    "compile_source",
]


@dataclass
class CheckResult:
    template: Template | None
    """The compiled template; None when there are errors (or the file is a library)."""
    diagnostics: list[Diagnostic]
    """Errors and warnings (lints included), sorted by file and position."""
    files: list[str]
    """Absolute paths of every file read (template, imports, schema, fonts, images): the
    preview watches these."""

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def check_file(
    path: str | Path,
    *,
    project_root: Path | None = None,
    lint: bool = True,
    lint_config: object | None = None,
) -> CheckResult:
    """Check a template (or a library) file and everything it imports."""
    file = Path(path).absolute()
    root = Path(project_root).resolve() if project_root is not None else find_project_root(file)
    return _check(file, None, root, lint, lint_config)


def check_source(
    text: str,
    *,
    path: str = "<memory>.ccm",
    project_root: Path | None = None,
    lint: bool = True,
) -> CheckResult:
    """Check template text held in memory (an editor buffer) as if it were the file ``path``.

    Imports and assets resolve relative to ``path`` within ``project_root``; without a root,
    an absolute ``path`` finds its project as a file would, and a relative one uses the
    current directory.
    """
    given = Path(path)
    if project_root is not None:
        root = Path(project_root).resolve()
    elif given.is_absolute():
        root = find_project_root(given)
    else:
        root = Path.cwd()
    file = given if given.is_absolute() else root / given
    return _check(file, text, root, lint, None)


def compile_file(path: str | Path, *, project_root: Path | None = None) -> Template:
    """Compile a template; raises :class:`CompileError` carrying every diagnostic on errors."""
    return _compiled(check_file(path, project_root=project_root))


def compile_source(
    text: str, *, path: str = "<memory>.ccm", project_root: Path | None = None
) -> Template:
    """Compile template text held in memory; see :func:`check_source`."""
    return _compiled(check_source(text, path=path, project_root=project_root))


def clear_cache() -> None:
    """Forget cached parses and schemas, so the next compile starts from scratch."""
    loader.clear_cache()
    parse.clear_cache()


# ---------------------------------------------------------------- the pipeline


def _compiled(result: CheckResult) -> Template:
    if result.template is None:
        diagnostics = list(result.diagnostics)
        if not result.errors:  # a library: it checks, but there is nothing to render
            diagnostics.append(
                Diagnostic(
                    code="E1017",
                    severity=Severity.ERROR,
                    message="this file is a library; only templates can be compiled",
                    span=None,
                    hints=(Hint("compile a template that imports it"),),
                )
            )
        raise CompileError(diagnostics)
    return result.template


def _check(
    file: Path, text: str | None, root: Path, lint: bool, lint_config: object | None
) -> CheckResult:
    sink = DiagnosticSink()
    files: dict[str, None] = {}
    program: Program | None = None
    try:
        program = _program(file, text, root, sink, files)
    except RecursionError:  # the parser bounds nesting, so this is a safety net only
        sink.error(
            "E0009",
            "the template nests too deeply to be checked",
            None,
            hints=["move deeply nested content into components; split long expressions"],
        )
    except Exception as exc:  # a bug in ccmlang, never the template's fault
        _internal(sink, exc)
    warnings: list[Diagnostic] = []
    if program is not None and lint and not sink.has_errors:
        try:
            warnings = _lint(program, lint_config)
        except Exception as exc:
            _internal(sink, exc)
        sink.extend(warnings)
    diagnostics = sink.sorted()
    template = None
    if program is not None and not sink.has_errors and program.root.kind == "template":
        template = Template(program, tuple(d for d in diagnostics if not d.is_error))
    return CheckResult(template, diagnostics, list(files))


def _internal(sink: DiagnosticSink, exc: Exception) -> None:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    sink.error(
        "E9000",
        f"internal error in the compiler: {type(exc).__name__}: {exc} "
        f"({Path(where.filename).name}:{where.lineno})",
        None,
        hints=["this is a bug in ccmlang, not in the template: please report it"],
    )


def _lint(program: Program, config: object | None) -> list[Diagnostic]:
    try:
        from ccmlang.compiler.lints import run_lints
    except ImportError:  # pragma: no cover - the lint package ships with the compiler
        return []
    return list(run_lints(program, config))  # type: ignore[arg-type]


def _program(
    file: Path, text: str | None, root: Path, sink: DiagnosticSink, files: dict[str, None]
) -> Program | None:
    load = Loader(root, sink, files)
    unit = load.load(file, text)
    if unit is None:
        return None
    units = list(load.units.values())
    namespaces = Namespaces(units, sink)
    declare(units, sink)
    types = TypeResolver(namespaces, sink)
    types.resolve_all()
    resolve_params(units, types, sink)
    Styles(namespaces, sink).resolve_all()
    for each in units:
        if not each.broken:
            each.info.languages = module_languages(each, sink)
    checker = Checker(namespaces, root, files, sink)
    if not unit.broken and unit.info.kind == "template":
        checker.fields(unit)
    checker.components()  # first: a `use` checks what the component needs (page numbers)
    checked: Checked | None = None
    if not unit.broken:
        contract = data_contract(unit, root, sink, files) if unit.info.kind == "template" else None
        if contract is not None:
            checked = checker.template(unit, contract.schema, contract.data_type)
            checked.header.schema_path = contract.display
        else:
            checked = checker.template(unit, None, t.ANY)
    for each in units[1:]:
        if not each.broken and each.info.kind == "library":  # imported templates: E1004
            checker.library(each)
    if checked is None or sink.has_errors:
        return None
    return _assemble(unit, checked, root)


def _assemble(unit: Unit, checked: Checked, root: Path) -> Program:
    fonts: dict[tuple[str, str, str], layout.FontFace] = {}
    for face in checked.fonts:
        fonts.setdefault((face.family, face.weight, face.style), face)
    styles = unit.info.styles
    body_style = styles.get("body")
    header = checked.header if checked.header.name else Header(name=unit.info.source_path)
    return Program(
        root=unit.info,
        header=header,
        project_root=root,
        schema=checked.schema,
        data_type=checked.data_type,
        page_rest=checked.page_rest,
        page_first=checked.page_first,
        document=checked.document,
        body=tuple(checked.body),
        fonts=tuple(fonts.values()),
        fields=tuple(checked.fields),
        editables=tuple(checked.editables),
        base_style=body_style.style if body_style is not None else layout.Style(),
        element_styles={n: styles[n].style for n in ELEMENT_STYLES if n in styles},
    )
