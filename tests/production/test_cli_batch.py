"""``ccm batch`` on the command line: exit codes, summary, quiet, usage errors; progress output."""

from __future__ import annotations

import io
from pathlib import Path

import typer
from typer.testing import CliRunner

from ccmlang.production.cli_batch import register
from ccmlang.production.progress import PlainProgress, count_records, make_progress

from .helpers import LETTER, read_manifest, record, write_jsonl


def app() -> typer.Typer:
    application = typer.Typer()
    register(application)

    @application.command("other")
    def other() -> None:  # a second command, so Typer keeps `batch` as a subcommand
        pass

    return application


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app(), ["batch", *args])
    return result.exit_code, result.output


def test_success_prints_the_summary_and_exits_0(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "r.jsonl", [record(1), record(2)])
    out = tmp_path / "out"
    code, output = run(str(LETTER), "--data", str(data), "--out", str(out), "-f", "html", "-j", "1")
    assert code == 0, output
    assert "Batch summary" in output and "rendered" in output
    assert sorted(p.name for p in out.glob("*.html")) == ["000001.html", "000002.html"]


def test_a_failed_record_exits_1_and_quiet_prints_nothing(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "r.jsonl", [record(1), record(2, count=0)])
    out = tmp_path / "out"
    args = [str(LETTER), "--data", str(data), "--out", str(out), "-f", "html", "--quiet"]
    code, output = run(*args, "--name", "{id}", "--manifest-csv")
    assert code == 1
    assert output == ""
    assert [r["status"] for r in read_manifest(out)] == ["ok", "error"]
    assert (out / "manifest.csv").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "r.jsonl", [record(1)])
    base = [str(LETTER), "--data", str(data), "--out", str(tmp_path / "out")]
    code, output = run(*base, "--omr")
    assert code == 2 and "--print-stream" in output
    code, output = run(*base, "--name", "{id + 1}")
    assert code == 2 and "not allowed" in output
    code, output = run(*base, "-f", "nonesuch")
    assert code == 2 and "nonesuch" in output


def test_a_template_with_errors_shows_diagnostics_and_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ccm"
    broken.write_text('template "Broken"\nparagraph "{customer.name"\n')
    data = write_jsonl(tmp_path / "r.jsonl", [record(1)])
    code, output = run(str(broken), "--data", str(data), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "E0004" in output and "does not compile" in output


def test_plain_progress_prints_periodic_lines_with_rate_and_eta() -> None:
    now = [0.0]
    stream = io.StringIO()
    progress = PlainProgress(stream, interval=5, clock=lambda: now[0])
    progress.start(10, "Letter")
    for step in range(4):
        now[0] = 2.0 * (step + 1)
        progress.advance("ok" if step != 2 else "error")
    progress.stop()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # one at 6 s (interval passed), one at the end
    assert lines[0] == (
        "Letter: 3/10 records (2 ok, 1 failed, 0 already done), 0.5 docs/s, elapsed 6s, ETA 14s"
    )
    assert lines[1].startswith("Letter: 4/10 records (3 ok, 1 failed")


def test_progress_is_plain_off_a_terminal_and_silent_when_quiet() -> None:
    assert isinstance(make_progress(quiet=False, stream=io.StringIO()), PlainProgress)
    assert type(make_progress(quiet=True)).__name__ == "NullProgress"


def test_records_are_counted_for_the_eta(tmp_path: Path) -> None:
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text('{"a": 1}\n\n{"a": 2}\n{"a": 3}')
    assert count_records(jsonl, "auto") == 3
    csv_file = tmp_path / "r.csv"
    csv_file.write_text("a,b\n1,2\n3,4\n")
    assert count_records(csv_file, "auto") == 2
    assert count_records(tmp_path / "r.json", "json") is None


def test_ccm_has_one_batch_command() -> None:
    from ccmlang.cli import app as ccm

    register(ccm)  # importing cli_batch registered it already; a second call changes nothing
    assert [c.name for c in ccm.registered_commands].count("batch") == 1
