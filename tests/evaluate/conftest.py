"""Fixtures for the evaluator's tests: compile a template in a temporary project, render it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ccmlang import layout
from ccmlang.compiler.compile import compile_file
from ccmlang.compiler.evaluate import render_document
from ccmlang.compiler.program import Program

Build = Callable[..., Program]
Render = Callable[..., layout.Document]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty template project (a directory with ``ccm.toml``)."""
    (tmp_path / "ccm.toml").write_text("", encoding="utf-8")
    return tmp_path


@pytest.fixture
def program(project: Path) -> Build:
    """Compile ``source`` (a ``template "T"`` header is added when it has none)."""

    def make(source: str, *, schema: dict[str, Any] | None = None, name: str = "t.ccm") -> Program:
        if not source.lstrip().startswith("template"):
            data = ' data: "schema.json"' if schema is not None else ""
            source = f'template "T"{data}\n{source}'
        if schema is not None:
            (project / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        return compile_file(path, project_root=project).program

    return make


@pytest.fixture
def render(program: Build) -> Render:
    def make(
        source: str, data: Any = None, *, schema: dict[str, Any] | None = None, **options: Any
    ) -> layout.Document:
        prog = program(source, schema=schema)
        return render_document(prog, {} if data is None else data, **options)

    return make
