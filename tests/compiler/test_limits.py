"""Hostile and broken sources: limits hold, nothing raises, every code has its test."""

from __future__ import annotations

from pathlib import Path

from ccmlang.compiler.compile import check_file, check_source

from .helpers import codes, project


def test_nesting_10000_levels(tmp_path: Path) -> None:
    text = 'template "Deep"\n' + "box { " * 10_000 + "}" * 10_000 + "\n"
    assert codes(check_source(text, project_root=tmp_path)) == ["E0009"]


def test_expression_chain_10000_long(tmp_path: Path) -> None:
    chain = ".".join(["a"] * 10_000)
    for text in (
        f'template "Deep"\nlet x = {chain}\n',
        f'template "Deep"\nparagraph "{{{chain}}}"\n',
    ):
        assert codes(check_source(text, project_root=tmp_path)) == ["E0009"]


def test_deep_but_allowed_nesting_checks_without_recursion_errors(tmp_path: Path) -> None:
    boxes = "box { " * 60 + 'paragraph "{a.b}"' + " }" * 60
    chain = ".".join(["a"] * 200)
    negations = "not " * 120 + "true"
    sums = " + ".join(["1"] * 200)
    text = (
        f'template "Deep"\n{boxes}\nparagraph "{{{chain}}}"\nlet n = {negations}\n'
        f"let s = {sums}\nlet p = {'(' * 60}1{')' * 60}\n"
    )
    result = check_source(text, project_root=tmp_path, lint=False)
    assert codes(result) == []


def test_non_utf8_file(tmp_path: Path) -> None:
    root = project(tmp_path, {"t.ccm": b'template "T"\nparagraph "caf\xe9"\n'})
    result = check_file(root / "t.ccm")
    assert codes(result) == ["E0006"]
    [d] = result.diagnostics
    assert d.span is not None and d.span.line == 2


def test_empty_file(tmp_path: Path) -> None:
    root = project(tmp_path, {"t.ccm": "  \n\n"})
    assert codes(check_file(root / "t.ccm")) == ["E0007"]
    assert codes(check_source("", project_root=tmp_path)) == ["E0007"]


def test_file_too_large(tmp_path: Path) -> None:
    big = 'template "Big"\n' + "// padding padding padding padding padding padding\n" * 60_000
    assert len(big.encode()) > 3_000_000
    root = project(tmp_path, {"t.ccm": big})
    assert codes(check_file(root / "t.ccm")) == ["E0008"]
    assert codes(check_source(big, project_root=tmp_path)) == ["E0008"]


def test_too_many_syntax_errors(tmp_path: Path) -> None:
    text = 'template "Bad"\n' + 'paragraph "x" ;\n' * 40
    found = codes(check_source(text, project_root=tmp_path))
    assert found.count("E0002") == 25
    assert found[-1] == "E0010"


def test_unreadable(tmp_path: Path) -> None:
    (tmp_path / "dir.ccm").mkdir()
    assert codes(check_file(tmp_path / "dir.ccm")) == ["E0012"]


def test_imported_unreadable_file(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {"t.ccm": 'template "T"\nimport "lib.ccm" as lib\n', "lib.ccm": b"library \xff"},
    )
    result = check_file(root / "t.ccm")
    assert [(d.code, d.span.file.path if d.span else "") for d in result.diagnostics] == [
        ("E0006", "lib.ccm")
    ]
