"""Diagnostic output formats (spec/cli.md, "Output formats"), on hand-made diagnostics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ccmlang.compiler.diagnostics import Diagnostic, Hint, Label, Severity
from ccmlang.compiler.source import SourceFile
from ccmlang.diagnostics_render import render
from ccmlang.diagnostics_render.machine import escape_data, escape_property

ROOT = Path("/project")

STATEMENT = SourceFile(
    "statement/statement.ccm",
    'template "Statement" data: "statement.schema.json"\n'
    "\n"
    'heading "Hello"\n'
    'paragraph "Dear {customer.nmae},"\n',
)


def span_of(file: SourceFile, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = file.text.index(needle, start + 1)
    return start, start + len(needle)


def unknown_field() -> Diagnostic:
    start, end = span_of(STATEMENT, "nmae")
    hdr = span_of(STATEMENT, '"statement.schema.json"')
    return Diagnostic(
        code="E2001",
        severity=Severity.ERROR,
        message="`customer` has no field `nmae`",
        span=STATEMENT.span(start, end),
        labels=(
            Label(STATEMENT.span(start, end), "unknown field"),
            Label(STATEMENT.span(*hdr), "the data contract"),
        ),
        hints=(
            Hint("did you mean `name`?", STATEMENT.span(start, end), "name"),
            Hint("the schema declares: id, name, address"),
        ),
    )


def alt_warning() -> Diagnostic:
    start, end = span_of(STATEMENT, "heading")
    return Diagnostic(
        "W104",
        Severity.WARNING,
        "`heading` is fine, this is a test warning",
        STATEMENT.span(start, end),
        name="a11y.image-alt",
    )


def test_human_snapshot() -> None:
    out = render(
        [unknown_field(), alt_warning()],
        "human",
        color=False,
        root=ROOT,
        files=["statement/statement.ccm"],
    )
    assert out == (
        "error[E2001]: `customer` has no field `nmae`\n"
        " --> statement/statement.ccm:4:27\n"
        "  |\n"
        '1 | template "Statement" data: "statement.schema.json"\n'
        "  |                            ----------------------- the data contract\n"
        "...\n"
        '4 | paragraph "Dear {customer.nmae},"\n'
        "  |                           ^^^^ unknown field\n"
        "  |\n"
        "  = help: did you mean `name`?\n"
        "  |\n"
        '4 | paragraph "Dear {customer.name},"\n'
        "  |                           ~~~~\n"
        "  |\n"
        "  = help: the schema declares: id, name, address\n"
        "\n"
        "warning[W104]: `heading` is fine, this is a test warning\n"
        " --> statement/statement.ccm:3:1\n"
        "  |\n"
        '3 | heading "Hello"\n'
        "  | ^^^^^^^\n"
        "  |\n"
        "  = note: lint `a11y.image-alt`; silence it here with `// ccm: ignore[a11y.image-alt]`\n"
        "\n"
        "error: could not compile `statement.ccm` due to 1 error; 1 warning emitted\n"
    )


def test_human_label_in_other_file() -> None:
    brand = SourceFile("brand/brand.ccm", 'library "Brand"\nstyle warning { color: #b00020 }\n')
    s, e = span_of(STATEMENT, "Hello")
    bs, be = span_of(brand, "warning")
    d = Diagnostic(
        "E1014",
        Severity.ERROR,
        "duplicate",
        STATEMENT.span(s, e),
        labels=(Label(brand.span(bs, be), "first declared here"),),
    )
    out = render([d], "human", root=ROOT)
    assert " --> statement/statement.ccm:3:10\n" in out
    assert "\n ::: brand/brand.ccm:2:7\n" in out
    assert "2 | style warning { color: #b00020 }\n  |       ------- first declared here\n" in out


def test_human_multiline_span_shows_first_line_and_ellipsis() -> None:
    f = SourceFile("t.ccm", 'box {\n  paragraph "x"\n}\n')
    d = Diagnostic("E1008", Severity.ERROR, "incomplete", f.span(0, len(f.text) - 1))
    out = render([d], "human", root=ROOT)
    assert "1 | box {\n  | ^^^^^…\n" in out
    assert "paragraph" not in out


def test_human_tabs_and_wide_characters() -> None:
    f = SourceFile("t.ccm", '\tparagraph "日本 {x.y}"\n')
    s, e = span_of(f, "x.y")
    out = render([Diagnostic("E1015", Severity.ERROR, "unknown", f.span(s, e))], "human", root=ROOT)
    lines = out.splitlines()
    source = next(line for line in lines if line.startswith("1 | "))
    carets = next(line for line in lines if "^" in line)
    assert source == '1 |     paragraph "日本 {x.y}"'
    # 4 (tab) + 11 (`paragraph "`) + 4 (two wide characters) + 2 (` {`) = 21 cells
    assert carets == "  | " + " " * 21 + "^^^"


def test_human_span_at_end_of_file() -> None:
    f = SourceFile("t.ccm", 'box {\n  paragraph "x"\n')
    d = Diagnostic(
        "E0003", Severity.ERROR, "the file ended early", f.span(len(f.text), len(f.text))
    )
    out = render([d], "human", root=ROOT)
    assert " --> t.ccm:2:16\n" in out
    assert '2 |   paragraph "x"\n  |                ^\n' in out


def test_human_without_span_and_summary_for_many_files() -> None:
    d = Diagnostic(
        "E0012", Severity.ERROR, "cannot read `x.ccm`", None, hints=(Hint("check permissions"),)
    )
    out = render([d], "human", root=ROOT, files=["a.ccm", "b.ccm", "c.ccm"])
    assert out == (
        "error[E0012]: cannot read `x.ccm`\n"
        "  = help: check permissions\n"
        "\n"
        "checked 3 files: 1 error, 0 warnings\n"
    )
    assert render([], "human", root=ROOT, files=["a.ccm"]) == "checked 1 file: no problems found\n"


def test_colour_only_when_asked() -> None:
    plain = render([unknown_field()], "human", color=False, root=ROOT)
    coloured = render([unknown_field()], "human", color=True, root=ROOT)
    assert "\x1b[" not in plain
    assert "\x1b[" in coloured
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_short() -> None:
    out = render([unknown_field(), alt_warning()], "short", root=ROOT)
    assert out == (
        "statement/statement.ccm:4:27: error[E2001] `customer` has no field `nmae`\n"
        "statement/statement.ccm:3:1: warning[W104] `heading` is fine, this is a test warning\n"
    )


def test_json_keys_and_positions() -> None:
    data = json.loads(render([unknown_field()], "json", root=ROOT))
    (item,) = data
    assert list(item) == [
        "code", "name", "severity", "message", "file", "line", "column",
        "end_line", "end_column", "labels", "hints",
    ]  # fmt: skip
    assert item["name"] == "field.unknown"
    assert (item["line"], item["column"], item["end_line"], item["end_column"]) == (4, 27, 4, 31)
    assert item["labels"][1]["message"] == "the data contract"
    assert item["hints"][0] == {
        "message": "did you mean `name`?",
        "file": "statement/statement.ccm",
        "line": 4,
        "column": 27,
        "end_line": 4,
        "end_column": 31,
        "replacement": "name",
    }
    assert item["hints"][1] == {"message": "the schema declares: id, name, address"}


def test_absolute_paths_shown_relative_to_root(tmp_path: Path) -> None:
    f = SourceFile(str(tmp_path / "sub" / "t.ccm"), "heading 1\n")
    d = Diagnostic("E1015", Severity.ERROR, "x", f.span(0, 7))
    assert render([d], "short", root=tmp_path) == "sub/t.ccm:1:1: error[E1015] x\n"


def test_github_commands_and_escaping() -> None:
    out = render([unknown_field(), alt_warning()], "github", root=ROOT)
    lines = out.splitlines()
    assert lines[0] == (
        "::error file=statement/statement.ccm,line=4,col=27,endLine=4,endColumn=30,title=E2001::"
        "`customer` has no field `nmae`%0Ahelp: did you mean `name`?"
        "%0Ahelp: the schema declares: id, name, address"
    )
    assert lines[1].startswith("::warning file=statement/statement.ccm,line=3,col=1,")
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"


def test_github_escapes_file_names() -> None:
    f = SourceFile("dir,with:odd/t.ccm", "heading 1\n")
    out = render([Diagnostic("E1", Severity.NOTE, "50%", f.span(0, 7))], "github", root=ROOT)
    assert (
        out
        == "::notice file=dir%2Cwith%3Aodd/t.ccm,line=1,col=1,endLine=1,endColumn=7,title=E1::50%25\n"
    )


@pytest.mark.parametrize("fmt", ["human", "short", "json", "sarif", "github"])
def test_empty_input(fmt: str) -> None:
    out = render([], fmt, root=ROOT)
    if fmt == "json":
        assert json.loads(out) == []
    elif fmt == "sarif":
        assert json.loads(out)["runs"][0]["results"] == []
    else:
        assert out == ""
