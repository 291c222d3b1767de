"""``ccm render``, ``backends``, ``doctor`` and ``demo`` (spec/cli.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ccmlang.cli import record_json
from ccmlang.io import atomic_write

from .conftest import Invoke

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_html_to_file(project: Path, ccm: Invoke) -> None:
    result = ccm("render", "hello.ccm", "--data", "data.json", "--to", "html", "-o", "out.html")
    assert result.exit_code == 0, result.stderr
    html = (project / "out.html").read_text(encoding="utf-8")
    assert "Hello Ann" in html
    assert "wrote out.html" in result.stderr
    assert not [p.name for p in project.iterdir() if p.name.endswith(".tmp")]


def test_default_output_name_and_directory(project: Path, ccm: Invoke) -> None:
    assert ccm("render", "hello.ccm", "-d", "data.json", "--to", "tree").exit_code == 0
    tree = json.loads((project / "hello.json").read_text(encoding="utf-8"))
    assert "body" in tree
    (project / "out").mkdir()
    assert ccm("render", "hello.ccm", "-d", "data.json", "--to", "text", "-o", "out").exit_code == 0
    assert (project / "out" / "hello.txt").read_text(
        encoding="utf-8"
    ).strip() == "Hello Ann, you owe €1.50."


def test_record_and_stdout(project: Path, ccm: Invoke) -> None:
    second = ccm(
        "render", "hello.ccm", "-d", "data.json", "--to", "text", "--record", "2", "-o", "-"
    )
    assert second.exit_code == 0
    assert second.stdout.strip() == "Hello Bob, you owe €2.25."
    (project / "data.jsonl").write_text(
        '{"name": "Cy", "amount": 3}\n{"name": "Di", "amount": 4.5}\n'
    )
    lines = ccm("render", "hello.ccm", "-d", "data.jsonl", "--to", "text", "-r", "2", "-o", "-")
    assert lines.stdout.strip() == "Hello Di, you owe €4.50."
    missing = ccm("render", "hello.ccm", "-d", "data.json", "--to", "text", "-r", "3", "-o", "-")
    assert missing.exit_code == 1
    assert "there is no record 3" in missing.stderr


def test_stdin(project: Path, ccm: Invoke) -> None:
    result = ccm(
        "render",
        "hello.ccm",
        "-d",
        "-",
        "--to",
        "text",
        "-o",
        "-",
        input='{"name": "Eve", "amount": 1}',
    )
    assert result.exit_code == 0
    assert result.stdout.strip() == "Hello Eve, you owe €1.00."


def test_bad_data_lists_every_violation_and_writes_nothing(project: Path, ccm: Invoke) -> None:
    (project / "bad.json").write_text('{"name": 5, "amount": "x", "extra": 1}')
    (project / "keep.html").write_text("old")
    result = ccm("render", "hello.ccm", "-d", "bad.json", "--to", "html", "-o", "keep.html")
    assert result.exit_code == 1
    codes = [line for line in result.stderr.splitlines() if line.startswith("error[")]
    assert codes == [
        "error[E3001]: $: Additional properties are not allowed ('extra' was unexpected)",
        "error[E3001]: $.amount: 'x' is not of type 'number'",
        "error[E3001]: $.name: 5 is not of type 'string'",
    ]
    assert "could not render `hello.ccm` (3 problems)" in result.stderr
    assert (project / "keep.html").read_text() == "old"
    assert sorted(p.name for p in project.iterdir()) == [
        "bad.json", "ccm.toml", "data.json", "hello.ccm", "hello.schema.json", "keep.html",
    ]  # fmt: skip


def test_template_errors_exit_1(project: Path, ccm: Invoke) -> None:
    (project / "hello.ccm").write_text('template "Hello"\nparagraph "{name"\n')
    result = ccm("render", "hello.ccm", "-d", "data.json", "--to", "html")
    assert result.exit_code == 1
    assert "error[E0004]" in result.stderr and " --> hello.ccm:2:12" in result.stderr
    assert not (project / "hello.html").exists()


def test_evaluation_error_points_at_template(project: Path, ccm: Invoke) -> None:
    (project / "hello.ccm").write_text(
        'template "Hello" data: "hello.schema.json"\ndocument { title: "x" }\n'
        'paragraph "{amount / (amount - amount)}"\n'
    )
    result = ccm("render", "hello.ccm", "-d", "data.json", "--to", "text", "-o", "-")
    assert result.exit_code == 1
    assert " --> hello.ccm:3:" in result.stderr
    assert result.stdout == ""


def test_record_json_keeps_decimals_exact() -> None:
    from decimal import Decimal

    value = {"a": Decimal("0.10"), "b": [1, Decimal("1E+2"), None, True], "c": "€"}
    assert record_json(value) == '{"a":0.10,"b":[1,1E+2,null,true],"c":"€"}'.encode()
    assert json.loads(record_json(value), parse_float=Decimal) == value


def test_atomic_write_leaves_no_temp_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"

    def boom(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"newer")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_backends_lists_installed_and_broken(ccm: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    from ccmlang.backends import base

    real = base.load_backends

    def with_broken() -> base.Registry:
        eps = list(importlib.metadata.entry_points(group="ccmlang.backends"))
        eps.append(
            importlib.metadata.EntryPoint("fancy", "no_such_module:Fancy", "ccmlang.backends")
        )
        return real(eps)

    monkeypatch.setattr(base, "load_backends", with_broken)
    result = ccm("backends")
    assert result.exit_code == 0
    for name in ("html", "pdf", "tree", "text"):
        assert f"│ {name} " in result.stdout
    assert "text/html" in result.stdout and "ccmlang.backends.html" in result.stdout
    assert "Broken plugins" in result.stdout and "fancy" in result.stdout
    assert "ModuleNotFoundError" in result.stdout


def test_doctor_exit_codes(ccm: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    from ccmlang import doctor

    Check = doctor.Check
    checks = [
        Check("pango", True, "Pango 1.50"),
        Check("chromium", False, "not found", "apt-get install chromium", required=False),
    ]
    monkeypatch.setattr(doctor, "run_checks", lambda: checks)
    ok = ccm("doctor")
    assert ok.exit_code == 0
    assert "apt-get install chromium" in ok.stdout and "optional" in ok.stdout
    checks.append(Check("fontconfig", False, "no fonts", "apt-get install fontconfig"))
    bad = ccm("doctor")
    assert bad.exit_code == 1
    assert "MISSING" in bad.stdout and "apt-get install fontconfig" in bad.stdout


def test_demo_renders_each_example(
    tmp_path: Path, ccm: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = tmp_path / "examples"
    (examples / "hello" / "data").mkdir(parents=True)
    (examples / "lib").mkdir()
    (examples / "lib" / "lib.ccm").write_text('library "L"\n')
    from .conftest import HELLO, SCHEMA

    (examples / "hello" / "hello.ccm").write_text(HELLO)
    (examples / "hello" / "hello.schema.json").write_text(SCHEMA)
    (examples / "hello" / "data" / "b.json").write_text('{"name": "Second", "amount": 2}')
    (examples / "hello" / "data" / "a.json").write_text('{"name": "First", "amount": 1}')
    monkeypatch.chdir(tmp_path)
    result = ccm("demo", "--out", "out", "--examples", "examples")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "First" in (tmp_path / "out" / "hello.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "hello.pdf").read_bytes().startswith(b"%PDF-")
    assert (
        "hello" in result.stdout
        and "lib" not in result.stdout.split("Demo", 1)[1].split("\n", 1)[1]
    )


def test_demo_failure_exits_1(tmp_path: Path, ccm: Invoke) -> None:
    examples = tmp_path / "examples"
    (examples / "nodata").mkdir(parents=True)
    (examples / "nodata" / "t.ccm").write_text('template "T"\ndocument { title: "T" }\n')
    result = ccm("demo", "--out", str(tmp_path / "out"), "--examples", str(examples))
    assert result.exit_code == 1
    assert "no data/*.json" in result.stdout


def test_real_example_to_html(tmp_path: Path, ccm: Invoke) -> None:
    template = EXAMPLES / "statement" / "statement.ccm"
    data = sorted((EXAMPLES / "statement" / "data").glob("*.json"))[0]
    out = tmp_path / "statement.html"
    result = ccm("render", str(template), "-d", str(data), "--to", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().lstrip().lower().startswith(b"<!doctype html")
    shutil.rmtree(tmp_path)


def test_engine_from_project_config_and_flag(tmp_path: Path, ccm: Invoke) -> None:
    """`--to pdf` uses the project's `[render] engine`; `--engine` overrides it."""
    project = tmp_path / "examples"
    shutil.copytree(EXAMPLES, project)
    config = project / "ccm.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[render]\nengine = "typst"\n')
    template = str(project / "statement" / "statement.ccm")
    data = str(project / "statement" / "data" / "sample.json")
    assert ccm("render", template, "-d", data, "-o", str(tmp_path / "t.pdf")).exit_code == 0
    assert "Typst" in _producer(tmp_path / "t.pdf")
    out = str(tmp_path / "w.pdf")
    assert ccm("render", template, "-d", data, "--engine", "weasyprint", "-o", out).exit_code == 0
    assert "WeasyPrint" in _producer(tmp_path / "w.pdf")
    bad = ccm("render", template, "-d", data, "--engine", "nope", "-o", out)
    assert bad.exit_code == 2
    assert "unknown PDF engine 'nope'" in bad.stderr


def _producer(path: Path) -> str:
    from pypdf import PdfReader

    info = PdfReader(path).metadata or {}
    return f"{info.get('/Producer', '')} {info.get('/Creator', '')}"


def test_limits_from_project_config_and_flag(tmp_path: Path, ccm: Invoke) -> None:
    """The 3-page statement trips `max_pages = 2` in ccm.toml; `--limit` raises it again."""
    project = tmp_path / "examples"
    shutil.copytree(EXAMPLES, project)
    config = project / "ccm.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[limits]\nmax_pages = 2\n")
    template = str(project / "statement" / "statement.ccm")
    data = str(project / "statement" / "data" / "sample.json")
    out = str(tmp_path / "s.pdf")
    tripped = ccm("render", template, "-d", data, "--engine", "weasyprint", "-o", out)
    assert tripped.exit_code == 1
    assert "E3004" in tripped.stderr and "limit of 2" in tripped.stderr
    raised = ccm("render", template, "-d", data, "--limit", "max_pages=10", "-o", out)
    assert raised.exit_code == 0
    bad = ccm("render", template, "-d", data, "--limit", "max_pagez=10", "-o", out)
    assert bad.exit_code == 2 and "unknown limit `max_pagez`" in bad.stderr
    malformed = ccm("render", template, "-d", data, "--limit", "max_pages", "-o", out)
    assert malformed.exit_code == 2 and "expected NAME=VALUE" in malformed.stderr
    nodes = ccm(
        "render", template, "-d", data, "--limit", "max_nodes=50", "--to", "html", "-o", out
    )
    assert nodes.exit_code == 1 and "E3003" in nodes.stderr
