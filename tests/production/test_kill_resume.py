"""Exactly once under SIGKILL: kill the whole batch midway, resume, and count every output."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from .helpers import LETTER, read_manifest, record, write_jsonl

RECORDS = 60


def batch(data: Path, out: Path) -> subprocess.Popen[bytes]:
    """``ccm batch`` in its own session, so killing its group kills the pool workers too."""
    command = [sys.executable, "-m", "ccmlang.production", str(LETTER)]
    command += ["--data", str(data), "--out", str(out), "--format", "pdf", "--name", "{id}"]
    command += ["--workers", "1", "--quiet"]
    return subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def manifest_lines(out: Path) -> int:
    try:
        return (out / "manifest.jsonl").read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_sigkill_midway_then_resume_gives_exactly_one_output_per_record(tmp_path: Path) -> None:
    data = write_jsonl(
        tmp_path / "records.jsonl", [record(n, sections=n % 3) for n in range(1, RECORDS + 1)]
    )
    out = tmp_path / "out"
    process = batch(data, out)
    deadline = time.monotonic() + 60
    while manifest_lines(out) < 10:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = manifest_lines(out)
    assert 10 <= killed_at < RECORDS, "the kill came too late to test anything"

    resumed = batch(data, out)
    _, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr.decode()

    rows = read_manifest(out)
    counts = Counter(r["record"] for r in rows)
    assert sorted(counts) == list(range(1, RECORDS + 1))
    assert set(counts.values()) == {1}, "a record was recorded twice"
    assert all(r["status"] == "ok" for r in rows)
    outputs = [r["output"] for r in rows]
    assert len(set(outputs)) == RECORDS
    for row in rows:
        data_bytes = (out / row["output"]).read_bytes()
        assert hashlib.sha256(data_bytes).hexdigest() == row["sha256"]
    on_disk = sorted(p.name for p in out.iterdir() if p.suffix == ".pdf")
    assert on_disk == sorted(outputs)
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temp files remain"
