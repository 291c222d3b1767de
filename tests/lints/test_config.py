"""Lint configuration (ccm.toml / pyproject [tool.ccm.lint]) and suppression comments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccmlang.compiler.diagnostics import Severity
from ccmlang.config import ConfigError, LintConfig, find_config, load_config

from .helpers import codes, lint

SRC = 'template "T"\nimage "a.svg"\nlet x = 1\nstyle grey { color: #aaaaaa }\nparagraph "x" style: grey\n'
ALL = ["W107", "W104", "W110", "W109"]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (LintConfig(), ALL),
        (LintConfig(select=("a11y",)), ["W104", "W109"]),
        (LintConfig(select=("W10",)), ["W107", "W104", "W109"]),
        (LintConfig(select=("a11y.image-alt", "W110")), ["W104", "W110"]),
        (LintConfig(ignore=("a11y",)), ["W107", "W110"]),
        (LintConfig(ignore=("W1",)), []),
        (LintConfig(ignore=("let.unused", "w107")), ["W104", "W109"]),
        (LintConfig(select=("a11y",), ignore=("a11y.contrast",)), ["W104"]),
        (LintConfig(severity={"W110": "off"}), ["W107", "W104", "W109"]),
        (LintConfig(select=("a1",)), []),  # name prefixes match whole parts only
    ],
)
def test_select_and_ignore(config: LintConfig, expected: list[str]) -> None:
    assert codes(SRC, config) == expected


def test_severity_override_most_specific_wins() -> None:
    config = LintConfig(severity={"a11y": "note", "a11y.contrast": "error"})
    by_code = {d.code: d.severity for d in lint(SRC, config)}
    assert by_code["W109"] is Severity.ERROR
    assert by_code["W104"] is Severity.NOTE
    assert by_code["W110"] is Severity.WARNING


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('image "a.svg" // ccm: ignore[a11y.image-alt]\n', []),
        ('image "a.svg" // ccm: ignore[W104]\n', []),
        ('image "a.svg" // ccm: ignore\n', []),
        ('// ccm: ignore[W104]\nimage "a.svg"\n', []),
        ('// ccm: ignore[W104, let.unused]\nimage "a.svg"\n', []),
        ('image "a.svg" // ccm: ignore[W110]\n', ["W104"]),
        ('// ccm: ignore[W104]\n\nimage "a.svg"\n', ["W104"]),  # only the line directly above
        (
            'paragraph "x" // ccm: ignore[W104]\nimage "a.svg"\n',
            ["W104"],
        ),  # a trailing comment is for its own line
    ],
)
def test_suppression_comments(source: str, expected: list[str]) -> None:
    head = 'template "T"\ndocument { title: "T" }\n'
    assert codes(head + source) == expected


def test_suppression_in_imported_file_uses_that_file() -> None:
    lib = 'library "b"\ncomponent logo() {\n  image "logo.svg" // ccm: ignore[a11y.image-alt]\n}\n'
    src = 'template "T"\ndocument { title: "T" }\nimport "b.ccm" as brand\nuse brand.logo()\n'
    assert codes(src, imports={"brand": lib}) == []


def test_ccm_toml(tmp_path: Path) -> None:
    (tmp_path / "ccm.toml").write_text(
        '[project]\nname = "x"\n[lint]\nselect = ["a11y"]\nignore = ["W109"]\n'
        'severity = { "a11y.image-alt" = "error" }\n'
    )
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    found = find_config(sub / "t.ccm")
    assert found == tmp_path / "ccm.toml"
    config = load_config(found)
    assert config.lint == LintConfig(("a11y",), ("W109",), {"a11y.image-alt": "error"})


def test_pyproject_tool_ccm(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text('[tool.ccm.lint]\nignore = ["let.unused"]\n')
    found = find_config(tmp_path)
    assert found is not None
    assert load_config(found).lint.ignore == ("let.unused",)


def test_ccm_toml_wins_over_pyproject_in_same_directory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ccm.lint]\n")
    (tmp_path / "ccm.toml").write_text("[lint]\n")
    assert find_config(tmp_path) == tmp_path / "ccm.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[lint]\nselct = []\n", "unknown key(s) in [lint]: selct"),
        ("[lint]\nselect = [1]\n", "select must be a list"),
        ('[lint]\nseverity = { W104 = "loud" }\n', "expected one of error, warning, note, off"),
        ("[lint\n", "not valid TOML"),
        ('lint = "x"\n', "[lint] must be a table"),
    ],
)
def test_bad_config_is_an_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "ccm.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        load_config(path)
    assert str(path) in str(info.value)
