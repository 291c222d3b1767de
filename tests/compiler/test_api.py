"""The compile API: check_* report, compile_* raise, what CheckResult carries."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import ccmlang
from ccmlang.compiler.compile import (
    CheckResult,
    check_file,
    check_source,
    compile_file,
    compile_source,
)
from ccmlang.compiler.diagnostics import CompileError

from .helpers import BRAND, CASES, SCHEMA, codes, project


def test_public_exports() -> None:
    for name in ("compile_file", "compile_source", "check_file", "Template", "CompileError"):
        assert hasattr(ccmlang, name), name
    assert ccmlang.compile_file is compile_file


def test_check_file_ok(tmp_path: Path) -> None:
    root = project(tmp_path, {"letter.ccm": 'template "Letter"\nparagraph "Hello"\n'})
    result = check_file(root / "letter.ccm")
    assert isinstance(result, CheckResult)
    assert codes(result) == []
    assert result.template is not None
    assert result.template.name == "Letter"
    assert result.files == [str((root / "letter.ccm").resolve())]


def test_check_file_collects_every_error_sorted(tmp_path: Path) -> None:
    text = (
        'template "Letter" data: "s.json"\n'
        'paragraph "{customer.nmae}"\n'
        'paragraph "{qqq}" align: middle\n'
        'paragraph "{customer.title}"\n'
    )
    root = project(tmp_path, {"a.ccm": text, "s.json": SCHEMA})
    result = check_file(root / "a.ccm", lint=False)
    assert result.template is None
    assert codes(result) == ["E2001", "E1015", "E1020", "E2005"]
    spans = [d.span for d in result.diagnostics if d.span is not None]
    assert [s.start for s in spans] == sorted(s.start for s in spans)


def test_compile_raises_with_all_diagnostics(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.ccm": 'template "A"\nparagraph "x" widht: 1mm align: up\n'})
    with pytest.raises(CompileError) as caught:
        compile_file(root / "a.ccm")
    assert [d.code for d in caught.value.diagnostics] == ["E1005", "E1020"]
    assert "E1005" in str(caught.value)


def test_compile_source_and_warnings(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    template = compile_source(
        'template "A"\nstyle unused { size: 9pt }\nparagraph "x"\n', project_root=root
    )
    assert template.name == "A"
    assert all(not d.is_error for d in template.warnings)


def test_check_source_resolves_relative_to_project_root(tmp_path: Path) -> None:
    root = project(tmp_path, {"lib/brand.ccm": BRAND, "s.json": SCHEMA})
    text = (
        'template "A" data: "s.json"\nimport "lib/brand.ccm" as brand\n'
        'paragraph "{customer.name}" style: brand.warning\n'
    )
    result = check_source(text, project_root=root)
    assert codes(result) == []
    assert str((root / "lib/brand.ccm").resolve()) in result.files
    assert str((root / "s.json").resolve()) in result.files
    # a path in a subdirectory: imports are relative to it
    sub = check_source(
        text.replace('"lib/', '"../lib/').replace('"s.json"', '"../s.json"'),
        path="letters/a.ccm",
        project_root=root,
    )
    assert codes(sub) == []


def test_check_source_defaults_to_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, {"s.json": SCHEMA})
    monkeypatch.chdir(tmp_path)
    result = check_source('template "A" data: "s.json"\nparagraph "{customer.name}"\n')
    assert codes(result) == []


def test_library_checks_but_does_not_compile(tmp_path: Path) -> None:
    root = project(tmp_path, {"brand.ccm": BRAND})
    result = check_file(root / "brand.ccm", lint=False)
    assert codes(result) == []
    assert result.template is None
    with pytest.raises(CompileError) as caught:
        compile_file(root / "brand.ccm")
    assert [d.code for d in caught.value.diagnostics] == ["E1017"]


def test_unreadable_root(tmp_path: Path) -> None:
    result = check_file(tmp_path / "missing.ccm")
    assert codes(result) == ["E0012"]
    assert result.template is None


def test_pickle_template() -> None:
    template = compile_file(CASES / "ok_full.ccm", project_root=CASES)
    again = pickle.loads(pickle.dumps(template))
    assert again.name == template.name
    assert again.program.body == template.program.body
    assert again.program.data_type == template.program.data_type
    assert again.program.root.imports["brand"].components.keys() == {
        "address",
        "panel",
        "greeting",
    }


def test_examples_compile() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    for path in sorted(examples.glob("*/*.ccm")):
        result = check_file(path, lint=False)
        assert codes(result) == [], (path, result.diagnostics[:3])
