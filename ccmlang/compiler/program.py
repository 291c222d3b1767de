"""The resolved program: what ``resolve`` and ``check`` hand to ``evaluate``.

Compile once, render many: everything here is computed at compile time (imports loaded,
styles flattened, component and type tables built, the data type derived from the schema), so
per-record evaluation is dictionary look-ups over the AST. Everything is picklable (no lambdas,
no compiled validators) so a process pool or a Dask worker can receive a compiled template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccmlang import layout
from ccmlang.compiler import ast
from ccmlang.compiler import types as t


@dataclass(slots=True)
class StyleInfo:
    qualname: str
    """``warning`` in its own module, ``brand.warning`` seen from an importer; used as CSS class."""
    decl: ast.StyleDecl
    style: layout.Style
    """Flattened through ``extends``: no inheritance left for the backends."""


@dataclass(slots=True)
class ComponentInfo:
    qualname: str
    decl: ast.ComponentDecl
    module: ModuleInfo
    """Names inside the component's body resolve in the module that declared it."""
    params: tuple[tuple[str, t.Type, ast.Expr | None], ...] = ()


@dataclass(slots=True)
class FieldInfo:
    """An input field for interactive production (``field name { … }``)."""

    name: str
    type: str  # one of elements.FIELD_TYPES
    label: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    min: Any = None
    max: Any = None
    min_length: int | None = None
    max_length: int | None = None
    help: str = ""


@dataclass(slots=True)
class ModuleInfo:
    """One loaded file (template or library) and its declarations."""

    path: Path
    source_path: str
    """As shown in diagnostics and origins: relative to the project root."""
    module: ast.Module
    kind: str  # "template" | "library"
    imports: dict[str, ModuleInfo] = field(default_factory=dict)
    styles: dict[str, StyleInfo] = field(default_factory=dict)
    components: dict[str, ComponentInfo] = field(default_factory=dict)
    types: dict[str, t.Type] = field(default_factory=dict)
    languages: tuple[str, ...] = ()


@dataclass(slots=True)
class Header:
    name: str
    version: str = ""
    description: str = ""
    locale: ast.Expr | None = None
    """An expression: a constant like "en-GB" or a data path with a default."""
    languages: tuple[str, ...] = ()
    schema_path: str | None = None


@dataclass(slots=True)
class Program:
    root: ModuleInfo
    header: Header
    project_root: Path
    schema: dict[str, Any] | None
    data_type: t.Type
    page_rest: ast.Element | None
    page_first: ast.Element | None
    document: ast.Element | None
    body: tuple[ast.Stmt, ...]
    """Top-level content statements in order (declarations removed)."""
    fonts: tuple[layout.FontFace, ...] = ()
    fields: tuple[FieldInfo, ...] = ()
    editables: tuple[str, ...] = ()
    base_style: layout.Style = field(default_factory=layout.Style)
    """The style named ``body`` if declared (or imported as ``style body extends …``)."""
    element_styles: dict[str, layout.Style] = field(default_factory=dict)
    """Defaults per element kind: a style named ``heading``, ``heading-2``, ``table-header``…"""

    def resolve_style(self, module: ModuleInfo, parts: tuple[str, ...]) -> StyleInfo | None:
        if len(parts) == 1:
            return module.styles.get(parts[0])
        target = module.imports.get(parts[0])
        return None if target is None else target.styles.get(parts[1]) if len(parts) == 2 else None

    def resolve_component(self, module: ModuleInfo, parts: tuple[str, ...]) -> ComponentInfo | None:
        if len(parts) == 1:
            return module.components.get(parts[0])
        target = module.imports.get(parts[0])
        return (
            None if target is None else target.components.get(parts[1]) if len(parts) == 2 else None
        )
