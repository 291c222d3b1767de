"""``ccm check``: formats, exit codes, recursion, configuration (spec/cli.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BROKEN, WARNS, Invoke

CCM = Path(sys.executable).with_name("ccm")


def test_version(ccm: Invoke) -> None:
    from ccmlang import __version__

    result = ccm("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ccm {__version__}\n"


def test_clean_file(project: Path, ccm: Invoke) -> None:
    result = ccm("check", "hello.ccm")
    assert result.exit_code == 0
    assert result.stdout == "checked 1 file: no problems found\n"


def test_errors_human_snapshot(project: Path, ccm: Invoke) -> None:
    (project / "broken.ccm").write_text(BROKEN)
    result = ccm("check", "broken.ccm", "--color", "never")
    assert result.exit_code == 1
    assert result.stdout == (
        "error[E1005]: `heading` has no option `levl`; did you mean `level`?\n"
        " --> broken.ccm:3:13\n"
        "  |\n"
        '3 | heading "A" levl: 2\n'
        "  |             ^^^^^\n"
        "\n"
        "error[E1016]: the image `missing.svg` does not exist (looked for `missing.svg`)\n"
        " --> broken.ccm:4:7\n"
        "  |\n"
        '4 | image "missing.svg" alt: "Logo"\n'
        "  |       ^^^^^^^^^^^^^\n"
        "  |\n"
        "  = help: paths are relative to `broken.ccm`\n"
        "\n"
        "error: could not compile `broken.ccm` due to 2 errors\n"
    )


def test_paths_relative_to_working_directory(
    project: Path, ccm: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub = project / "letters"
    sub.mkdir()
    (sub / "broken.ccm").write_text(BROKEN)
    result = ccm("check", "letters", "--format", "short")
    assert result.stdout.splitlines()[0].startswith("letters/broken.ccm:3:13: error[E1005] ")
    monkeypatch.chdir(sub)
    result = ccm("check", ".", "--format", "short")
    assert result.stdout.splitlines()[0].startswith("broken.ccm:3:13: error[E1005] ")


def test_short_json_github(project: Path, ccm: Invoke) -> None:
    (project / "broken.ccm").write_text(BROKEN)
    short = ccm("check", "broken.ccm", "-f", "short")
    assert short.exit_code == 1
    assert short.stdout.splitlines() == [
        "broken.ccm:3:13: error[E1005] `heading` has no option `levl`; did you mean `level`?",
        "broken.ccm:4:7: error[E1016] the image `missing.svg` does not exist (looked for `missing.svg`)",
    ]
    data = json.loads(ccm("check", "broken.ccm", "--format", "json").stdout)
    assert [(d["code"], d["name"], d["line"], d["column"], d["end_column"]) for d in data] == [
        ("E1005", "option.unknown", 3, 13, 18),
        ("E1016", "asset.missing", 4, 7, 20),
    ]
    github = ccm("check", "broken.ccm", "--format", "github").stdout.splitlines()
    assert github[0] == (
        "::error file=broken.ccm,line=3,col=13,endLine=3,endColumn=17,title=E1005::"
        "`heading` has no option `levl`; did you mean `level`?"
    )


def test_sarif_output_validates(project: Path, ccm: Invoke) -> None:
    from .test_sarif import SCHEMA

    (project / "broken.ccm").write_text(BROKEN)
    (project / "warns.ccm").write_text(WARNS)
    result = ccm("check", ".", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"E1005", "E1016", "W110"}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"broken.ccm", "warns.ccm"}
    if SCHEMA.is_file():
        import jsonschema

        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        jsonschema.validators.validator_for(schema)(schema).validate(log)


def test_strict_and_no_lint(project: Path, ccm: Invoke) -> None:
    (project / "warns.ccm").write_text(WARNS)
    relaxed = ccm("check", "warns.ccm")
    assert relaxed.exit_code == 0
    assert "warning[W110]: `unused` is assigned but never used" in relaxed.stdout
    assert relaxed.stdout.endswith("warning: `warns.ccm` generated 1 warning\n")
    assert ccm("check", "warns.ccm", "--strict").exit_code == 1
    quiet = ccm("check", "warns.ccm", "--strict", "--no-lint")
    assert quiet.exit_code == 0
    assert quiet.stdout == "checked 1 file: no problems found\n"


def test_directory_recursion(project: Path, ccm: Invoke) -> None:
    (project / "a" / "b").mkdir(parents=True)
    (project / "a" / "b" / "warns.ccm").write_text(WARNS)
    (project / "a" / "lib.ccm").write_text('library "L"\nstyle unused { size: 9pt }\n')
    (project / ".hidden").mkdir()
    (project / ".hidden" / "broken.ccm").write_text(BROKEN)
    (project / "a" / "notes.txt").write_text("not a template")
    result = ccm("check", ".", "-f", "short")
    assert result.exit_code == 0
    assert result.stdout == "a/b/warns.ccm:3:5: warning[W110] `unused` is assigned but never used\n"
    human = ccm("check", ".")
    assert human.stdout.endswith("checked 3 files: 0 errors, 1 warning\n")


def test_configuration_from_ccm_toml_and_option(project: Path, ccm: Invoke) -> None:
    (project / "warns.ccm").write_text(WARNS)
    (project / "ccm.toml").write_text('[lint]\nseverity = { "let.unused" = "error" }\n')
    raised = ccm("check", "warns.ccm", "-f", "short")
    assert raised.exit_code == 1
    assert "error[W110]" in raised.stdout
    other = project / "other.toml"
    other.write_text('[lint]\nignore = ["W110"]\n')
    assert ccm("check", "warns.ccm", "--config", str(other), "-f", "short").stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "missing.ccm"], "does not exist"),
        (["check", "hello.ccm", "--format", "xml"], "Invalid value for '--format'"),
        (["check", "hello.ccm", "--frobnicate"], "No such option"),
        (["check"], "Missing argument"),
        (["nope"], "No such command"),
        (["check", "empty-dir"], "no .ccm files found"),
        (["check", "hello.ccm", "--config", "bad.toml"], "unknown key(s) in [lint]"),
        (["render", "hello.ccm", "--data", "data.json", "--to", "nope"], "no backend named 'nope'"),
        (
            ["render", "hello.ccm", "--data", "data.json", "--pdf-variant", "pdf/x"],
            "unknown --pdf-variant",
        ),
        (
            ["render", "hello.ccm", "--data", "missing.json"],
            "data file 'missing.json' does not exist",
        ),
        (
            ["render", "hello.ccm", "--data", "data.json", "--record", "0"],
            "Invalid value for '--record'",
        ),
    ],
)
def test_usage_errors_exit_2(project: Path, ccm: Invoke, args: list[str], message: str) -> None:
    (project / "empty-dir").mkdir()
    (project / "bad.toml").write_text("[lint]\nselct = []\n")
    result = ccm(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert message in result.stderr


@pytest.mark.skipif(
    not CCM.exists() and not os.environ.get("CI"),  # `make test` always installs it
    reason=f"console script not installed at {CCM}",
)
def test_real_process_exit_codes(project: Path) -> None:
    (project / "broken.ccm").write_text(BROKEN)
    (project / "warns.ccm").write_text(WARNS)
    env = {**os.environ, "NO_COLOR": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CCM), *args], capture_output=True, text=True, env=env, cwd=project, timeout=60
        )

    assert run("check", "hello.ccm", "warns.ccm").returncode == 0
    broken = run("check", "broken.ccm")
    assert broken.returncode == 1
    assert "\x1b[" not in broken.stdout  # not a terminal: no colour
    missing = run("check", "missing.ccm")
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr
