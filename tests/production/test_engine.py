"""The batch loop: bad records, --max-errors, names, resume, determinism, the in-flight bound."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from ccmlang.compiler.diagnostics import CompileError
from ccmlang.production import engine
from ccmlang.production.engine import BatchConfig, BatchError, run_batch
from ccmlang.production.worker import JobSpec

from .helpers import LETTER, read_manifest, record, write_jsonl


def config(data: Path, out: Path, **changes: Any) -> BatchConfig:
    values: dict[str, Any] = {"template": LETTER, "format": "html", "name": "{id}", "workers": 2}
    values.update(changes)
    return BatchConfig(data=data, out=out, **values)


def bad_batch(tmp_path: Path) -> Path:
    """Ten records: 3 fails its schema, 5 is not JSON, 7 divides by zero, 9 reuses 8's name."""
    rows: list[dict[str, Any] | str] = [record(n) for n in range(1, 11)]
    rows[2] = record(3, id="not an id")
    rows[4] = '{"id": "A5", "customer": '
    rows[6] = record(7, count=0)
    rows[8] = record(9, id="A8")
    return write_jsonl(tmp_path / "records.jsonl", rows)


def test_bad_records_are_recorded_and_the_rest_is_produced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run_batch(config(bad_batch(tmp_path), out))
    rows = read_manifest(out)
    assert [r["record"] for r in rows] == list(range(1, 11))  # in record order
    by_number = {r["record"]: r for r in rows}
    assert by_number[3]["code"] == "E3001" and "does not match" in by_number[3]["message"]
    assert by_number[5]["code"] == "B0001" and by_number[5]["message"].startswith("line 5:")
    assert by_number[7]["code"] == "E3008" and "division by zero" in by_number[7]["message"]
    assert by_number[9]["code"] == "B0003" and "already used by record 8" in by_number[9]["message"]
    assert (out / "A8.html").exists()  # the first owner keeps its name
    produced = {r["record"] for r in rows if r["status"] == "ok"}
    assert produced == {1, 2, 4, 6, 8, 10}
    for r in rows:
        if r["status"] == "ok":
            data = (out / r["output"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == r["sha256"]
            assert len(data) == r["bytes"]
        else:
            assert r["output"] == "" and r["sha256"] == ""
    assert summary.ok == 6 and summary.failed == 4 and summary.exit_code == 1
    assert summary.codes == {"E3001": 1, "B0001": 1, "E3008": 1, "B0003": 1}


def test_max_errors_stops_early(tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run_batch(config(bad_batch(tmp_path), out, max_errors=1, workers=1))
    rows = read_manifest(out)
    assert summary.stopped_early and summary.failed == 1
    assert rows[-1]["record"] == 3 or len(rows) < 10  # stopped at the first failure's window
    assert len(rows) < 10
    assert not (out / "A10.html").exists()


def test_the_same_batch_twice_gives_the_same_files_and_manifest(tmp_path: Path) -> None:
    data = bad_batch(tmp_path)
    first, second = tmp_path / "one", tmp_path / "two"
    run_batch(config(data, first))
    run_batch(config(data, second, workers=1))

    def stable(out: Path) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if k != "render_seconds"} for r in read_manifest(out)]

    assert stable(first) == stable(second)
    names = sorted(p.name for p in first.glob("*.html"))
    assert names == sorted(p.name for p in second.glob("*.html"))
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_resume_skips_what_is_done_and_redoes_what_changed(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "records.jsonl", [record(n) for n in range(1, 7)])
    out = tmp_path / "out"
    run_batch(config(data, out))
    (out / "A2.html").unlink()
    (out / "A3.html").write_text("edited by hand")
    summary = run_batch(config(data, out))
    assert summary.skipped == 4 and summary.ok == 2
    rows = read_manifest(out)
    assert [r["record"] for r in rows] == [1, 2, 3, 4, 5, 6, 2, 3]
    assert hashlib.sha256((out / "A3.html").read_bytes()).hexdigest() == rows[-1]["sha256"]
    again = run_batch(config(data, out))
    assert again.skipped == 6 and again.ok == 0
    assert len(read_manifest(out)) == 8


def test_resume_retries_failed_records(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "records.jsonl", [record(1), record(2, count=0)])
    out = tmp_path / "out"
    assert run_batch(config(data, out)).failed == 1
    write_jsonl(data, [record(1), record(2)])  # the data was fixed
    summary = run_batch(config(data, out))
    assert (summary.skipped, summary.ok, summary.failed) == (1, 1, 0)
    assert summary.exit_code == 0
    assert [r["status"] for r in read_manifest(out)] == ["ok", "error", "ok"]


def test_a_directory_of_another_batch_is_refused(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "records.jsonl", [record(1)])
    out = tmp_path / "out"
    run_batch(config(data, out))
    with pytest.raises(BatchError, match="format was html, now text"):
        run_batch(config(data, out, format="text"))
    summary = run_batch(config(data, out, format="text", restart=True))
    assert summary.ok == 1 and (out / "A1.txt").exists()


def test_temp_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "records.jsonl", [record(1)])
    out = tmp_path / "out"
    out.mkdir()
    (out / ".A1.html.ccm-tmp").write_text("half")
    run_batch(config(data, out))
    assert not list(out.glob(".*"))


def test_csv_input_with_dotted_columns_and_the_csv_manifest(tmp_path: Path) -> None:
    data = tmp_path / "records.csv"
    data.write_text(
        "id,customer.name,customer.address,total,count,sections\n"
        "B1,Ann,1 High St,10,4,\n"
        "B2,Bob,2 High St,10,0,\n",
        encoding="utf-8",
    )
    rows = tmp_path / "rows.jsonl"
    rows.write_text("")
    out = tmp_path / "out"
    # `sections` is a list: a CSV cannot hold one, so these records fail their schema, visibly.
    summary = run_batch(config(data, out, manifest_csv=True))
    manifest = read_manifest(out)
    assert [r["key"] for r in manifest] == ["B1", "B2"]
    assert all(r["code"] == "E3001" for r in manifest)
    assert "sections" in manifest[0]["message"]
    assert summary.failed == 2
    csv_lines = (out / "manifest.csv").read_text().splitlines()
    assert csv_lines[0].startswith("record,key,output,pages,bytes,sha256,status,code,message")
    assert len(csv_lines) == 3


def test_pdf_outputs_have_their_pages_counted(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "records.jsonl", [record(1, sections=0), record(2, sections=2)])
    out = tmp_path / "out"
    run_batch(config(data, out, format="pdf", workers=1))
    assert [r["pages"] for r in read_manifest(out)] == [1, 3]
    assert (out / "A2.pdf").read_bytes().startswith(b"%PDF-")


def test_a_template_that_does_not_compile_stops_before_any_work(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ccm"
    broken.write_text('template "Broken"\nparagraph "{oops"\n')
    data = write_jsonl(tmp_path / "records.jsonl", [record(1)])
    with pytest.raises(CompileError):
        run_batch(BatchConfig(template=broken, data=data, out=tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_a_malformed_name_is_refused_at_start(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "records.jsonl", [record(1)])
    with pytest.raises(BatchError, match="--name"):
        run_batch(config(data, tmp_path / "out", name="{id"))


class CountingExecutor:
    """Threads instead of processes, counting how many records are in flight at once."""

    def __init__(self, spec: JobSpec, workers: int) -> None:
        self._pool = ThreadPoolExecutor(workers)
        self._workers = workers
        self._lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def description(self) -> str:
        return "counting"

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        with self._lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        future = self._pool.submit(fn, *args)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future: Future[Any]) -> None:
        with self._lock:
            self.in_flight -= 1

    def restart(self) -> None:
        pass

    def shutdown(self) -> None:
        self._pool.shutdown()


def test_no_more_than_two_records_per_worker_are_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[CountingExecutor] = []

    def make(spec: JobSpec, *, workers: int | None, scheduler: str | None) -> CountingExecutor:
        made.append(CountingExecutor(spec, workers or 1))
        return made[-1]

    monkeypatch.setattr(engine, "make_executor", make)
    data = write_jsonl(tmp_path / "records.jsonl", [record(n) for n in range(1, 41)])
    summary = run_batch(config(data, tmp_path / "out", workers=3))
    assert summary.ok == 40
    assert made[0].peak <= 2 * 3


def test_records_finishing_out_of_order_are_appended_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first record is the slowest; the manifest still starts with it."""
    import time

    from ccmlang.production import worker

    real = worker.render_task

    def slow_first(spec: JobSpec, number: int, value: Any) -> Any:
        if number == 1:
            time.sleep(0.3)
        return real(spec, number, value)

    monkeypatch.setattr(engine, "render_task", slow_first)
    monkeypatch.setattr(
        engine,
        "make_executor",
        lambda spec, *, workers, scheduler: CountingExecutor(spec, 4),
    )
    data = write_jsonl(tmp_path / "records.jsonl", [record(n) for n in range(1, 13)])
    run_batch(config(data, tmp_path / "out"))
    assert [r["record"] for r in read_manifest(tmp_path / "out")] == list(range(1, 13))
    assert json.loads((tmp_path / "out" / "batch.json").read_text())["format"] == "html"


class CrashingExecutor(CountingExecutor):
    """Record 3 always kills its worker; every crash breaks the futures in flight with it."""

    restarts = 0
    kills = frozenset({3})

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        from concurrent.futures.process import BrokenProcessPool

        if args[1] in self.kills:
            future: Future[Any] = Future()
            future.set_exception(BrokenProcessPool("a worker died"))
            return future
        return super().submit(fn, *args)

    def restart(self) -> None:
        CrashingExecutor.restarts += 1


def test_a_record_that_kills_its_worker_is_found_and_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        engine,
        "make_executor",
        lambda spec, *, workers, scheduler: CrashingExecutor(spec, 2),
    )
    data = write_jsonl(tmp_path / "records.jsonl", [record(n) for n in range(1, 7)])
    summary = run_batch(config(data, tmp_path / "out"))
    rows = read_manifest(tmp_path / "out")
    assert [r["record"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[2]["code"] == "B0004" and "(alone)" in rows[2]["message"]
    assert summary.ok == 5 and summary.failed == 1
    assert CrashingExecutor.restarts >= 1


def test_a_bad_element_of_a_json_array_is_one_bad_record(tmp_path: Path) -> None:
    """JSON arrays stream element by element, so a broken element fails alone, like a bad line
    of JSON Lines, and the elements after it are produced."""
    data = tmp_path / "records.json"
    good = [json.dumps(record(n), default=str) for n in (1, 3)]
    data.write_text(f"[\n  {good[0]},\n  {{oops}},\n  {good[1]}\n]\n")
    summary = run_batch(config(data, tmp_path / "out"))
    rows = read_manifest(tmp_path / "out")
    assert [(r["record"], r["status"]) for r in rows] == [(1, "ok"), (2, "error"), (3, "ok")]
    assert rows[1]["code"] == "B0001" and rows[1]["message"].startswith("line 3:")
    assert summary.ok == 2 and summary.failed == 1


def test_a_json_array_that_cannot_be_split_stops_the_batch(tmp_path: Path) -> None:
    data = tmp_path / "records.json"
    data.write_text('[{"id": "A1"}, {"id": "A2"')
    with pytest.raises(BatchError, match=r"records\.json:1:\d+: the array is not closed"):
        run_batch(config(data, tmp_path / "out"))


def test_an_edited_schema_counts_as_an_edited_template(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "project"
    project.mkdir()
    for name in ("letter.ccm", "letter.schema.json"):
        shutil.copy(LETTER.parent / name, project / name)
    data = write_jsonl(tmp_path / "records.jsonl", [record(1)])
    settings = {"format": "html", "name": "{id}", "workers": 1}
    run_batch(BatchConfig(project / "letter.ccm", data, tmp_path / "out", **settings))
    schema = project / "letter.schema.json"
    schema.write_text(
        schema.read_text().replace('"type": "object"', '"type": "object", "title": "x"', 1)
    )
    with pytest.raises(BatchError, match="or its schema changed"):
        run_batch(BatchConfig(project / "letter.ccm", data, tmp_path / "out", **settings))


class DeadOnArrival(CrashingExecutor):
    kills = frozenset(range(1, 100))


def test_workers_that_cannot_start_stop_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        engine, "make_executor", lambda spec, *, workers, scheduler: DeadOnArrival(spec, 2)
    )
    data = write_jsonl(tmp_path / "records.jsonl", [record(n) for n in range(1, 30)])
    with pytest.raises(BatchError, match="cannot start"):
        run_batch(config(data, tmp_path / "out"))


def test_the_projects_limits_apply_to_every_record(tmp_path: Path) -> None:
    """`[limits]` in ccm.toml (and `--limit`) reach the workers: page and node limits trip per
    record, like in `ccm render`."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(LETTER.parent, project)
    (project / "ccm.toml").write_text("[limits]\nmax_pages = 2\n")
    data = write_jsonl(tmp_path / "records.jsonl", [record(1, sections=0), record(2, sections=3)])
    letter = project / LETTER.name
    summary = run_batch(config(data, tmp_path / "out", template=letter, format="pdf"))
    rows = read_manifest(tmp_path / "out")
    assert [r["status"] for r in rows] == ["ok", "error"]
    assert rows[1]["code"] == "E3004" and "limit of 2" in rows[1]["message"]
    assert summary.failed == 1
    raised = run_batch(
        config(data, tmp_path / "out2", template=letter, format="pdf", limits={"max_pages": "9"})
    )
    assert raised.ok == 2 and raised.failed == 0
    with pytest.raises(BatchError, match="unknown limit"):
        run_batch(config(data, tmp_path / "out3", template=letter, limits={"pages": "9"}))


def test_engine_needs_pdf_output(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "records.jsonl", [record(1)])
    with pytest.raises(BatchError, match="--engine chooses the PDF engine"):
        run_batch(config(data, tmp_path / "out", engine="typst"))
