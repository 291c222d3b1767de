"""A tiny template project in a temporary directory, and the CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ccmlang.cli import app

SCHEMA = (
    '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",'
    ' "required": ["name", "amount"], "additionalProperties": false,'
    ' "properties": {"name": {"type": "string"}, "amount": {"type": "number"}}}'
)
HELLO = (
    'template "Hello" data: "hello.schema.json"\n'
    'document { title: "Hello {name}" }\n'
    "paragraph \"Hello {name}, you owe {amount | money('EUR')}.\"\n"
)
BROKEN = (
    'template "Broken"\n'
    'document { title: "Broken" }\n'
    'heading "A" levl: 2\n'
    'image "missing.svg" alt: "Logo"\n'
)
WARNS = 'template "Warns"\ndocument { title: "Warns" }\nlet unused = 1\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``ccm.toml``, a clean template with a schema and data, cwd set to the project."""
    (tmp_path / "ccm.toml").write_text("[lint]\n")
    (tmp_path / "hello.schema.json").write_text(SCHEMA)
    (tmp_path / "hello.ccm").write_text(HELLO)
    (tmp_path / "data.json").write_text(
        '[{"name": "Ann", "amount": 1.50}, {"name": "Bob", "amount": 2.25}]'
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


Invoke = Callable[..., "Result"]


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str, output: bytes) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.output = output


@pytest.fixture
def ccm() -> Invoke:
    """Run ``ccm ARGS…`` in-process; returns exit code, stdout, stderr and stdout bytes."""

    def invoke(*args: str, input: bytes | str | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)

    return invoke
