"""``ccm preview`` command-line handling (the server itself is tested in test_server.py)."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from ccmlang.preview.command import preview_command

from .conftest import FIXTURE


def app() -> typer.Typer:
    """A Typer app with the command registered as ``ccmlang/cli.py`` does."""
    cli = typer.Typer()
    cli.command("preview")(preview_command)
    cli.command("other")(lambda: None)
    return cli


def test_a_missing_data_file_is_a_usage_error(tmp_path: Path) -> None:
    template = FIXTURE / "letter.ccm"
    result = CliRunner().invoke(app(), ["preview", str(template), "--data", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_an_unknown_engine_is_a_usage_error() -> None:
    template = FIXTURE / "letter.ccm"
    result = CliRunner().invoke(app(), ["preview", str(template), "--engine", "nope"])
    assert result.exit_code == 2
    assert "unknown PDF engine" in result.output


def test_help_lists_the_options() -> None:
    result = CliRunner().invoke(app(), ["preview", "--help"])
    assert result.exit_code == 0
    for option in ("--data", "--port", "--host", "--open", "--engine", "--limit"):
        assert option in result.output
