"""`ccm batch` uses the project's PDF engine, or `--engine` (issue 7): what the preview and
`ccm render` make is what the batch sends; a print stream works with Typst PDFs too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from ccmlang.cli import app
from ccmlang.production.engine import BatchConfig, run_batch

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _project(tmp_path: Path, engine: str | None = None) -> tuple[Path, Path]:
    project = tmp_path / "examples"
    shutil.copytree(EXAMPLES, project)
    if engine:
        config = project / "ccm.toml"
        config.write_text(config.read_text(encoding="utf-8") + f'\n[render]\nengine = "{engine}"\n')
    records = (project / "statement" / "data" / "records.jsonl").read_text().splitlines()
    data = tmp_path / "three.jsonl"
    data.write_text("\n".join(records[:3]) + "\n")
    return project / "statement" / "statement.ccm", data


def _producers(out: Path) -> set[str]:
    """Producer and creator of every PDF in ``out`` (Typst writes itself as the creator)."""
    found = set()
    for path in sorted(out.glob("*.pdf")):
        info = PdfReader(path).metadata or {}
        found.add(f"{info.get('/Producer', '')} {info.get('/Creator', '')}")
    return found


def test_batch_follows_the_projects_engine(tmp_path: Path) -> None:
    template, data = _project(tmp_path, engine="typst")
    out = tmp_path / "out"
    summary = run_batch(BatchConfig(template=template, data=data, out=out, workers=1))
    assert summary.ok == 3 and summary.failed == 0
    producers = _producers(out)
    assert len(producers) == 1 and "Typst" in producers.pop()
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert all(row["pages"] >= 1 for row in manifest)


def test_engine_flag_and_a_print_stream(tmp_path: Path) -> None:
    template, data = _project(tmp_path)
    stream = tmp_path / "stream.pdf"
    result = CliRunner().invoke(
        app,
        [
            "batch", str(template), "--data", str(data), "--out", str(tmp_path / "out"),
            "--engine", "typst", "--workers", "1", "--quiet",
            "--print-stream", str(stream), "--duplex",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Typst" in _producers(tmp_path / "out").pop()
    manifest = [
        json.loads(line) for line in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()
    ]
    sheets = sum((row["pages"] + 1) // 2 for row in manifest)
    assert len(PdfReader(stream).pages) == 2 * sheets  # duplex: every document padded to even
    bad = CliRunner().invoke(
        app,
        ["batch", str(template), "--data", str(data), "--out", str(tmp_path / "o2"),
         "--engine", "prince", "--quiet"],
    )  # fmt: skip
    assert bad.exit_code == 2 and "unknown PDF engine 'prince'" in bad.output
