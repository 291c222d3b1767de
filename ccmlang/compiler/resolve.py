"""Name resolution across files (spec/language.md, "Imports" and "Declarations").

Loads the template and, transitively, every library it imports (each file once, however often
it is imported), builds each module's tables of styles, components and types, and resolves
qualified names (``brand.Party``) through import aliases. Problems are reported with the span
of the import, declaration or reference at fault; a failed import makes its alias "dead", so
names through it are not reported a second time as unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from ccmlang.compiler import ast
from ccmlang.compiler import types as t
from ccmlang.compiler.diagnostics import DiagnosticSink, Label
from ccmlang.compiler.loader import Parsed, SchemaProblem, load_schema, parse_file, parse_text
from ccmlang.compiler.program import ComponentInfo, ModuleInfo
from ccmlang.compiler.project import display_path, is_inside
from ccmlang.compiler.source import SourceFile, Span
from ccmlang.compiler.suggest import closest, did_you_mean

HEADERS = ("template", "library")

T = TypeVar("T")


class Silent:
    """A lookup that failed where an error was already reported (dead import, broken file)."""


SILENT = Silent()


@dataclass(slots=True, eq=False)
class Unit:
    """A loaded module with what only the compiler needs (not kept in the program)."""

    info: ModuleInfo
    parsed: Parsed
    header: ast.Element | None
    broken: bool
    """Has syntax errors: not checked beyond them."""
    prefix: str = ""
    """Qualified-name prefix seen from the template (``brand.``), for CSS classes and messages."""
    dead_aliases: set[str] = field(default_factory=set)
    imports: dict[str, ast.Import] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.info.source_path

    @property
    def directory(self) -> Path:
        return self.info.path.parent


# ---------------------------------------------------------------- loading


class Loader:
    """Loads a template and its imports; reports E1001–E1004, E1014 (aliases) and E1017."""

    def __init__(self, project_root: Path, sink: DiagnosticSink, files: dict[str, None]) -> None:
        self.root_dir = project_root.resolve()
        self.sink = sink
        self.files = files
        self.units: dict[str, Unit] = {}
        """By resolved absolute path, in load order (the root first)."""
        self._on_stack: dict[str, int] = {}

    def load(self, path: Path, text: str | None = None) -> Unit | None:
        """Load the root file (``text`` overrides its contents) and everything it imports."""
        absolute = path if path.is_absolute() else self.root_dir / path
        unit = self._load_file(absolute, text, imported=False)
        if unit is None:
            return None
        self._visit(unit, [(unit, None)])
        self._assign_prefixes(unit)
        return unit

    def _load_file(self, path: Path, text: str | None, imported: bool) -> Unit | None:
        display = display_path(path, self.root_dir)
        if text is None:
            parsed = parse_file(path, display, self.sink)
            if parsed is not None:
                self._read(path)
        else:
            parsed = parse_text(text, display, self.sink)
        if parsed is None:
            return None
        headers = [
            item
            for item in parsed.module.items
            if isinstance(item, ast.Element) and item.keyword in HEADERS
        ]
        header = headers[0] if headers else None
        kind: Literal["template", "library"]
        if header is not None:
            kind = "template" if header.keyword == "template" else "library"
        else:
            kind = "library" if imported else "template"
        info = ModuleInfo(path=path, source_path=display, module=parsed.module, kind=kind)
        unit = Unit(info, parsed, header, parsed.broken)
        self.units[str(path.resolve())] = unit
        if not unit.broken:
            self._check_headers(unit, headers)
        return unit

    def _read(self, path: Path) -> None:
        self.files[str(path.resolve())] = None

    def _check_headers(self, unit: Unit, headers: list[ast.Element]) -> None:
        file = unit.parsed.file
        if not headers:
            keyword = unit.info.kind
            example = (
                'template "Account statement" data: "statement.schema.json"'
                if keyword == "template"
                else 'library "Brand" version: "1.0"'
            )
            self.sink.error(
                "E1017",
                f"`{unit.info.source_path}` has no `{keyword}` header",
                file.span(0, 0),
                hints=[f"start the file with a header, e.g. `{example}`"],
            )
            return
        for extra in headers[1:]:
            self.sink.error(
                "E1007",
                f"a file has one header; this is a second `{extra.keyword}`",
                extra.keyword_span,
                labels=[Label(headers[0].keyword_span, "the header is here")],
                hints=["remove this header, or split the file"],
            )

    def _visit(self, unit: Unit, stack: list[tuple[Unit, ast.Import | None]]) -> None:
        key = str(unit.info.path.resolve())
        self._on_stack[key] = len(stack) - 1
        try:
            for item in unit.info.module.items:
                if isinstance(item, ast.Import):
                    self._import(unit, item, stack)
        finally:
            del self._on_stack[key]

    def _import(
        self, unit: Unit, imp: ast.Import, stack: list[tuple[Unit, ast.Import | None]]
    ) -> None:
        report = not unit.broken
        if imp.alias in unit.imports:
            if report:
                self.sink.error(
                    "E1014",
                    f"the namespace `{imp.alias}` is already imported",
                    imp.alias_span,
                    labels=[Label(unit.imports[imp.alias].alias_span, "first imported here")],
                    hints=['give each import its own name: `import "…" as other`'],
                )
            return
        unit.imports[imp.alias] = imp
        target = (unit.directory / imp.path).resolve()
        problem = self._import_problem(unit, imp, target)
        if problem:
            unit.dead_aliases.add(imp.alias)
            return
        key = str(target)
        if key in self._on_stack:
            unit.dead_aliases.add(imp.alias)
            if report:
                self._report_cycle(imp, stack, self._on_stack[key], target)
            return
        child = self.units.get(key)
        if child is None:
            child = self._load_file(target, None, imported=True)
            if child is None:
                unit.dead_aliases.add(imp.alias)
                return
            self._visit(child, [*stack, (child, imp)])
        if child.info.kind == "template":
            unit.dead_aliases.add(imp.alias)
            if report:
                labels = [Label(child.header.keyword_span, "its header")] if child.header else []
                self.sink.error(
                    "E1004",
                    f"`{child.info.source_path}` is a template; only libraries can be imported",
                    imp.path_span,
                    labels=labels,
                    hints=[
                        "move the shared styles and components into a file that starts with "
                        '`library "Name"` and import that from both templates'
                    ],
                )
            return
        unit.info.imports[imp.alias] = child.info

    def _import_problem(self, unit: Unit, imp: ast.Import, target: Path) -> bool:
        report = not unit.broken
        if not is_inside(target, self.root_dir):
            if report:
                self.sink.error(
                    "E1003",
                    f"`{imp.path}` is outside the template project",
                    imp.path_span,
                    hints=[
                        f"the project is `{self.root_dir}` (the directory with `ccm.toml`); "
                        "move the library into it, or put `ccm.toml` in a common parent"
                    ],
                )
            return True
        if not imp.path.endswith(".ccm"):
            if report:
                self.sink.error(
                    "E1001",
                    f"`{imp.path}` is not a `.ccm` file",
                    imp.path_span,
                    hints=['import a library file: `import "../brand/brand.ccm" as brand`'],
                )
            return True
        if not target.is_file():
            if report:
                siblings = (
                    [p.name for p in target.parent.glob("*.ccm")] if target.parent.is_dir() else []
                )
                match = closest(target.name, siblings)
                hint = [f"did you mean `{match}`?"] if match else []
                self.sink.error(
                    "E1001",
                    f"cannot find `{imp.path}` (looked for "
                    f"`{display_path(target, self.root_dir)}`)",
                    imp.path_span,
                    hints=[*hint, "paths are relative to the importing file"],
                )
            return True
        return False

    def _report_cycle(
        self,
        imp: ast.Import,
        stack: list[tuple[Unit, ast.Import | None]],
        start: int,
        target: Path,
    ) -> None:
        cycle = stack[start:]
        names = [u.info.source_path for u, _ in cycle] + [display_path(target, self.root_dir)]
        labels = [
            Label(edge.path_span, f"`{names[i - 1]}` imports `{names[i]}` here")
            for i, (_, edge) in enumerate(cycle)
            if edge is not None and i > 0
        ]
        self.sink.error(
            "E1002",
            "files import each other in a cycle: " + " → ".join(f"`{n}`" for n in names),
            imp.path_span,
            labels=labels,
            hints=["move what both files need into a third library that neither imports back"],
        )

    def _assign_prefixes(self, root: Unit) -> None:
        """Qualified names as the template sees them: breadth first, shortest alias chain wins."""
        by_info = {id(u.info): u for u in self.units.values()}
        seen = {id(root.info)}
        queue = [root]
        while queue:
            unit = queue.pop(0)
            for alias, child in unit.info.imports.items():
                if id(child) in seen:
                    continue
                seen.add(id(child))
                child_unit = by_info[id(child)]
                child_unit.prefix = f"{unit.prefix}{alias}."
                queue.append(child_unit)
        for unit in self.units.values():
            if id(unit.info) not in seen:  # pragma: no cover - every loaded unit is reachable
                unit.prefix = unit.info.source_path + "."


# ---------------------------------------------------------------- namespaces


class Namespaces:
    """Qualified lookups (``brand.warning``) with E1022 for unknown namespaces."""

    def __init__(self, units: list[Unit], sink: DiagnosticSink) -> None:
        self.units = units
        self.sink = sink
        self.by_info: dict[int, Unit] = {id(u.info): u for u in units}

    def unit_of(self, info: ModuleInfo) -> Unit:
        return self.by_info[id(info)]

    def target(
        self, unit: Unit, parts: tuple[str, ...], span: Span, what: str, code: str
    ) -> tuple[Unit, str] | Silent:
        """The module and local name that ``parts`` refers to, or SILENT after reporting."""
        if len(parts) == 1:
            return unit, parts[0]
        if len(parts) > 2:
            self.sink.error(
                code,
                f"`{'.'.join(parts)}` is not a {what} name: a name has at most one namespace",
                span,
                hints=[f"write `namespace.name`, e.g. `brand.{parts[-1]}`"],
            )
            return SILENT
        alias = parts[0]
        imported = unit.info.imports.get(alias)
        if imported is not None:
            return self.unit_of(imported), parts[1]
        if alias in unit.dead_aliases:
            return SILENT
        known = list(unit.info.imports)
        hints = [f'import it first: `import "path/to/library.ccm" as {alias}`']
        self.sink.error(
            "E1022",
            f"`{alias}` is not an imported namespace{did_you_mean(alias, known)}",
            span,
            hints=hints if not closest(alias, known) else [],
        )
        return SILENT

    def find(
        self,
        unit: Unit,
        parts: tuple[str, ...],
        span: Span,
        table: Callable[[ModuleInfo], dict[str, T]],
        what: str,
        code: str,
    ) -> T | Silent | None:
        """Look ``parts`` up in ``table`` of the right module; None (unreported) when unknown."""
        found = self.target(unit, parts, span, what, code)
        if isinstance(found, Silent):
            return SILENT
        target, name = found
        value = table(target.info).get(name)
        if value is None and target.broken:
            return SILENT
        return value

    def candidates(
        self, unit: Unit, parts: tuple[str, ...], table: Callable[[ModuleInfo], dict[str, T]]
    ) -> list[str]:
        """Names to suggest for an unknown ``parts``: local ones, or those of its namespace."""
        if len(parts) == 2 and parts[0] in unit.info.imports:
            return list(table(unit.info.imports[parts[0]]))
        local = list(table(unit.info))
        for alias, info in unit.info.imports.items():
            local.extend(f"{alias}.{n}" for n in table(info))
        return local


# ---------------------------------------------------------------- declarations


def declare(units: list[Unit], sink: DiagnosticSink) -> None:
    """Fill each module's component table (styles and types have their own resolvers)."""
    for unit in units:
        if unit.broken:
            continue
        seen: dict[tuple[str, str], Span] = {}
        for item in unit.info.module.items:
            if isinstance(item, ast.StyleDecl):
                _unique(seen, ("style", item.name), item.name_span, sink)
            elif isinstance(item, ast.TypeDecl):
                _unique(seen, ("type", item.name), item.name_span, sink)
            elif isinstance(item, ast.ComponentDecl) and _unique(
                seen, ("component", item.name), item.name_span, sink
            ):
                unit.info.components[item.name] = ComponentInfo(
                    qualname=unit.prefix + item.name, decl=item, module=unit.info
                )


def _unique(
    seen: dict[tuple[str, str], Span], key: tuple[str, str], span: Span, sink: DiagnosticSink
) -> bool:
    first = seen.get(key)
    if first is None:
        seen[key] = span
        return True
    sink.error(
        "E1014",
        f"the {key[0]} `{key[1]}` is declared twice",
        span,
        labels=[Label(first, "first declared here")],
        hints=[f"rename one of them, or remove the duplicate {key[0]}"],
    )
    return False


class TypeResolver:
    """Resolves type expressions (``list[brand.Party]?``) and ``type`` declarations (E1013)."""

    def __init__(self, namespaces: Namespaces, sink: DiagnosticSink) -> None:
        self.ns = namespaces
        self.sink = sink
        self._decls: dict[tuple[str, str], tuple[Unit, ast.TypeDecl]] = {}
        self._done: dict[tuple[str, str], t.Type] = {}
        self._active: list[tuple[str, str]] = []
        for unit in namespaces.units:
            if unit.broken:
                continue
            for item in unit.info.module.items:
                if isinstance(item, ast.TypeDecl):
                    self._decls.setdefault((unit.key, item.name), (unit, item))

    def resolve_all(self) -> None:
        for (key, name), (unit, _) in self._decls.items():
            unit.info.types[name] = self._declared(key, name)

    def resolve(self, unit: Unit, expr: ast.TypeExpr) -> t.Type:
        if isinstance(expr, ast.OptionalType):
            return t.optional(self.resolve(unit, expr.inner))
        if isinstance(expr, ast.ListType):
            return t.ListT(self.resolve(unit, expr.item))
        if isinstance(expr, ast.RecordType):
            fields: list[tuple[str, t.Field]] = []
            seen: set[str] = set()
            for f in expr.fields:
                if f.name in seen:
                    self.sink.error(
                        "E1014", f"the field `{f.name}` is declared twice in this record", f.span
                    )
                    continue
                seen.add(f.name)
                fields.append((f.name, t.Field(self.resolve(unit, f.type), not f.optional)))
            return t.RecordT(tuple(fields))
        return self._named(unit, expr)

    def _named(self, unit: Unit, expr: ast.NamedType) -> t.Type:
        parts = expr.parts
        if len(parts) == 1 and parts[0] in t.PRIMITIVES:
            return t.PRIMITIVES[parts[0]]
        found = self.ns.target(unit, parts, expr.span, "type", "E1013")
        if isinstance(found, Silent):
            return t.ANY
        target, name = found
        if (target.key, name) in self._decls:
            return self._declared(target.key, name)
        if target.broken:
            return t.ANY
        known = [n for (k, n) in self._decls if k == target.key]
        if len(parts) == 1:
            known += list(t.PRIMITIVES)
            known += [f"{a}.{n}" for a, i in unit.info.imports.items() for n in self._names(i)]
        self.sink.error(
            "E1013",
            f"unknown type `{'.'.join(parts)}`{did_you_mean('.'.join(parts) if len(parts) == 1 else name, known)}",
            expr.span,
            hints=[
                "types are string, text, number, money, integer, bool, date, datetime, any, "
                "list[T], {field: T} and names declared with `type Name = …`"
            ],
        )
        return t.ANY

    def _names(self, info: ModuleInfo) -> list[str]:
        key = info.source_path
        return [n for (k, n) in self._decls if k == key]

    def _declared(self, key: str, name: str) -> t.Type:
        done = self._done.get((key, name))
        if done is not None:
            return done
        unit, decl = self._decls[(key, name)]
        if (key, name) in self._active:
            chain = [*self._active[self._active.index((key, name)) :], (key, name)]
            self.sink.error(
                "E1013",
                "the type `"
                + name
                + "` is defined in terms of itself: "
                + " → ".join(n for _, n in chain),
                decl.name_span,
                hints=["types describe data, which cannot contain itself; use `any` for the loop"],
            )
            return t.ANY
        self._active.append((key, name))
        try:
            resolved = self.resolve(unit, decl.type)
        finally:
            self._active.pop()
        if isinstance(resolved, t.RecordT) and not resolved.name:
            resolved = t.RecordT(resolved.fields, resolved.open, unit.prefix + name)
        self._done[(key, name)] = resolved
        return resolved


def resolve_params(units: list[Unit], types: TypeResolver, sink: DiagnosticSink) -> None:
    """Resolve each component's parameter types (defaults are type checked later)."""
    for unit in units:
        for info in unit.info.components.values():
            params: list[tuple[str, t.Type, ast.Expr | None]] = []
            seen: dict[str, Span] = {}
            for param in info.decl.params:
                if param.name in seen:
                    sink.error(
                        "E1014",
                        f"the parameter `{param.name}` is declared twice",
                        param.span,
                        labels=[Label(seen[param.name], "first declared here")],
                    )
                    continue
                seen[param.name] = param.span
                params.append((param.name, types.resolve(unit, param.type), param.default))
            info.params = tuple(params)


# ---------------------------------------------------------------- asset paths


def asset_path(
    unit: Unit,
    value: str,
    span: Span,
    project_root: Path,
    sink: DiagnosticSink,
    what: str,
    files: dict[str, None] | None = None,
) -> Path | None:
    """A file named relative to ``unit``'s file: inside the project (E1003) and existing (E1016)."""
    target = (unit.directory / value).resolve()
    if not is_inside(target, project_root):
        sink.error(
            "E1003",
            f"the {what} `{value}` is outside the template project",
            span,
            hints=[
                "templates may only read files inside their project (the directory with "
                "`ccm.toml`); copy the file into the project"
            ],
        )
        return None
    if not target.is_file():
        siblings = [p.name for p in target.parent.iterdir()] if target.parent.is_dir() else []
        match = closest(target.name, siblings)
        hints = [f"did you mean `{match}`?"] if match else []
        sink.error(
            "E1016",
            f"the {what} `{value}` does not exist (looked for "
            f"`{display_path(target, project_root)}`)",
            span,
            hints=[*hints, f"paths are relative to `{unit.info.source_path}`"],
        )
        return None
    if files is not None:
        files[str(target)] = None
    return target


# ---------------------------------------------------------------- the data contract


@dataclass(slots=True)
class DataContract:
    schema: dict[str, Any] | None = None
    data_type: t.Type = t.ANY
    """``any`` without a (valid) schema: every top-level name is then an unchecked data field."""
    display: str | None = None


def data_contract(
    unit: Unit, project_root: Path, sink: DiagnosticSink, files: dict[str, None]
) -> DataContract:
    """Load the header's ``data:`` schema (E1016, E1003, E1018 with the JSON error position)."""
    option = unit.header.option("data") if unit.header is not None else None
    if option is None or not (isinstance(option.value, ast.Str) and option.value.is_constant):
        return DataContract()
    span = option.value.span
    path = asset_path(unit, option.value.constant, span, project_root, sink, "data contract", files)
    if path is None:
        return DataContract()
    display = display_path(path, project_root)
    try:
        loaded = load_schema(path)
    except OSError as exc:
        sink.error("E1016", f"cannot read `{display}`: {exc.strerror or exc}", span)
        return DataContract(display=display)
    problem = loaded.problem
    if problem is None and not isinstance(loaded.data_type, t.RecordT | t.Prim):
        problem = SchemaProblem('the data must be an object: `"type": "object"` at the top')
    if problem is None and isinstance(loaded.data_type, t.Prim) and loaded.data_type != t.ANY:
        problem = SchemaProblem('the data must be an object: `"type": "object"` at the top')
    if problem is not None:
        where = span
        labels: list[Label] = []
        if problem.offset is not None:
            schema_file = SourceFile(display, loaded.text)
            offset = min(problem.offset, len(loaded.text))
            where = schema_file.span(offset, min(offset + 1, len(loaded.text)))
            labels.append(Label(span, "the data contract of this template"))
        sink.error(
            "E1018",
            f"`{display}` cannot be used as the data contract: {problem.message}",
            where,
            labels=labels,
            hints=["check it with a JSON Schema validator (draft 2020-12)"],
        )
        return DataContract(display=display)
    return DataContract(loaded.schema, loaded.data_type, display)
