"""The same batch on a Dask cluster (a LocalCluster of two worker processes) as on the pool."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ccmlang.production.engine import BatchConfig, run_batch

from .helpers import LETTER, read_manifest, record, write_jsonl

if os.environ.get("CI"):  # CI installs the `dev` extra, which has it: never skip there
    import distributed
else:
    distributed = pytest.importorskip("distributed")


def test_dask_cluster_produces_the_same_bytes_as_the_local_pool(tmp_path: Path) -> None:
    rows = [record(n, sections=n % 3) for n in range(1, 25)]
    rows[4] = record(5, count=0)  # failures travel back from the cluster too
    data = write_jsonl(tmp_path / "records.jsonl", rows)
    local, remote = tmp_path / "local", tmp_path / "dask"
    run_batch(BatchConfig(LETTER, data, local, format="html", name="{id}", workers=2))
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        summary = run_batch(
            BatchConfig(
                LETTER,
                data,
                remote,
                format="html",
                name="{id}",
                scheduler=cluster.scheduler_address,
            )
        )
    assert "Dask cluster" in summary.executor and "2 worker threads" in summary.executor
    assert (summary.ok, summary.failed) == (23, 1)

    def stable(out: Path) -> list[dict[str, object]]:
        return [{k: v for k, v in r.items() if k != "render_seconds"} for r in read_manifest(out)]

    assert stable(local) == stable(remote)
    for row in read_manifest(local):
        if row["status"] == "ok":
            name = str(row["output"])
            assert (local / name).read_bytes() == (remote / name).read_bytes()


def test_an_unreachable_scheduler_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccmlang.production import executors
    from ccmlang.production.engine import BatchError

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1.0)
    data = write_jsonl(tmp_path / "records.jsonl", [record(1)])
    config = BatchConfig(
        LETTER, data, tmp_path / "out", format="html", scheduler="tcp://127.0.0.1:9"
    )
    with pytest.raises(BatchError, match="cannot start the workers"):
        run_batch(config)
