"""Batch benchmark (issue 6): statements per second with 1 and 2 workers, the peer, memory.

Run by hand (needs ``pip install -e '.[bench]'``)::

    .venv/bin/python benchmarks/batch.py                 # 1,000 statements, memory at 200/2,000
    .venv/bin/python benchmarks/batch.py --records 100 --memory-records 300   # a quick look

In one run it generates statement records (80 transactions each, valid against
``examples/statement/statement.schema.json``) and measures:

1. ``ccm batch`` of N statements to PDF with 1 worker and with 2 workers (wall time of the whole
   batch: pool start, compile per worker, render, write, manifest), so the speed-up from 1 to 2;
2. the peer stack: a plain loop of Jinja2 + WeasyPrint (``benchmarks/peers/jinja_peer.py``) over
   the same records, writing one PDF per record, in one process;
3. peak resident memory of each worker, sampled every 0.1 s with psutil, in a 2-worker batch of
   M records, read once 200 records are done and again at the end: flat memory means the two
   figures agree.

4. (issue 7) the same batch with the Typst engine (``--engine typst``), 1 and 2 workers, unless
   ``--skip-typst``.

Goals: speed-up ≥ 1.8×; ``ccm batch`` with 2 workers ≥ 1.8× the peer's documents per second;
peak memory per worker < 300 MB and the same at 200 and at M records (within 10 %).
Prints a table and writes ``benchmarks/results/batch.json``.
"""

from __future__ import annotations

import argparse
import copy
import json
import multiprocessing
import os
import platform
import random
import shutil
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "peers"))

import psutil  # noqa: E402

from ccmlang.production.engine import BatchConfig, run_batch  # noqa: E402

STATEMENT = ROOT / "examples" / "statement" / "statement.ccm"
SAMPLE = ROOT / "examples" / "statement" / "data" / "sample.json"
RESULTS = ROOT / "benchmarks" / "results" / "batch.json"
NAME = "{account.number}-{period.end}"
TRANSACTIONS = 80
MB = 1024 * 1024

FIRST_NAMES = ["Olivia", "James", "Amelia", "Oliver", "Isla", "Harry", "Ava", "Jack", "Mia", "Noah"]
LAST_NAMES = ["Bennett", "Okafor", "Patel", "Jones", "Nowak", "Murphy", "Evans", "Khan", "Price"]
STREETS = ["Royal York Crescent", "Cotham Hill", "Gloucester Road", "Whiteladies Road", "North St"]


# ---------------------------------------------------------------- data


def statement(base: dict[str, Any], n: int, rng: random.Random) -> dict[str, Any]:
    """Statement ``n``: the sample with its own customer, account and amounts (80 transactions)."""
    data = copy.deepcopy(base)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    name = f"{rng.choice(['Mr', 'Ms', 'Mx', 'Dr'])} {first} {last}"
    number = f"{40000000 + n:08d}"
    data["statement"]["number"] = f"{number}-2025-03"
    data["customer"]["id"] = f"C-{100000 + n:06d}"
    data["customer"]["name"] = name
    address = data["customer"]["address"]
    address.update(
        name=name,
        line1=f"{1 + n % 180} {rng.choice(STREETS)}",
        postcode=f"BS{1 + n % 16} {n % 9}{chr(65 + n % 26)}{chr(65 + (n // 26) % 26)}",
    )
    address.pop("line2", None)
    account = data["account"]
    account["number"] = number
    account["iban"] = f"GB{10 + n % 89:02d}NRTH601613{number}"
    opening = Decimal(rng.randint(-40000, 400000)) / 100
    account["opening_balance"] = opening
    balance = opening
    transactions = account["transactions"]
    while len(transactions) < TRANSACTIONS:
        transactions.extend(copy.deepcopy(transactions[: TRANSACTIONS - len(transactions)]))
    del transactions[TRANSACTIONS:]
    for tx in transactions:
        tx.pop("paid_in", None)
        tx.pop("paid_out", None)
        amount = Decimal(rng.randint(100, 60000)) / 100
        if rng.random() < 0.2:
            tx["paid_in"] = amount
            balance += amount
        else:
            tx["paid_out"] = amount / 4
            balance -= amount / 4
        tx["balance"] = balance
    history = account["history"]
    for month in history:
        month["balance"] = Decimal(rng.randint(-50000, 500000)) / 100
    history[-1]["balance"] = balance
    return data


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value == value.to_integral_value() else json.loads(str(value))
    raise TypeError(type(value).__name__)


def write_records(path: Path, count: int, seed: int = 6) -> Path:
    base = json.loads(SAMPLE.read_text(encoding="utf-8"), parse_float=Decimal)
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for n in range(1, count + 1):
            f.write(json.dumps(statement(base, n, rng), default=_json_default) + "\n")
    return path


# ---------------------------------------------------------------- memory sampling


class WorkerMemory:
    """Peak RSS of each worker process of this process (the fork server is not a worker)."""

    def __init__(self, root: int, interval: float = 0.1) -> None:
        self.root = psutil.Process(root)
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _is_worker(self, process: psutil.Process) -> bool:
        """Everything below us but the fork server itself and the resource tracker."""
        try:
            cmdline = " ".join(process.cmdline())
            direct = process.ppid() == self.root.pid
        except psutil.Error:
            return False
        if "resource_tracker" in cmdline:
            return False
        return not (direct and "forkserver" in cmdline)

    def sample(self) -> None:
        for child in self.root.children(recursive=True):
            try:
                rss = child.memory_info().rss
            except psutil.Error:
                continue
            if child.pid in self.peaks or self._is_worker(child):
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0), rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self) -> float:
        return max(self.peaks.values(), default=0) / MB


class Snapshot:
    """A progress sink that records the worker peak when ``at`` records are done."""

    def __init__(self, memory: WorkerMemory, at: int) -> None:
        self.memory = memory
        self.at = at
        self.done = 0
        self.peak_at: float | None = None

    def start(self, total: int | None, description: str) -> None:
        pass

    def advance(self, status: str) -> None:
        self.done += 1
        if self.done == self.at:
            self.memory.sample()
            self.peak_at = self.memory.peak_mb()

    def stop(self) -> None:
        pass


# ---------------------------------------------------------------- runs


def run_ccm(
    data: Path, out: Path, workers: int, progress: Any = None, engine: str | None = None
) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    config = BatchConfig(
        STATEMENT, data, out, format="pdf", name=NAME, workers=workers, engine=engine
    )
    summary = run_batch(config, progress)
    seconds = time.perf_counter() - started
    if summary.failed:
        first = (out / "manifest.jsonl").read_text().splitlines()
        raise SystemExit(f"{summary.failed} statements failed: {first[:1]}")
    return {
        "documents": summary.ok,
        "seconds": round(seconds, 2),
        "docs_per_s": summary.ok / seconds,
    }


def _peer_loop(data: str, out: str) -> None:
    from jinja_peer import render_peer_pdf

    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    with open(data, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line, parse_float=Decimal)
            name = f"{record['account']['number']}-{record['period']['end']}.pdf"
            (target / name).write_bytes(render_peer_pdf(record))


def run_peer(data: Path, out: Path) -> dict[str, Any]:
    """The peer in a process of its own (its memory is measured like a worker's)."""
    shutil.rmtree(out, ignore_errors=True)
    ctx = multiprocessing.get_context("spawn")
    with WorkerMemory(os.getpid()) as memory:
        started = time.perf_counter()
        process = ctx.Process(target=_peer_loop, args=(str(data), str(out)))
        process.start()
        process.join()
        seconds = time.perf_counter() - started
    if process.exitcode != 0:
        raise SystemExit("the peer loop failed")
    documents = len(list(out.glob("*.pdf")))
    return {
        "documents": documents,
        "seconds": round(seconds, 2),
        "docs_per_s": documents / seconds,
        "peak_rss_mb": round(memory.peak_mb(), 1),
    }


def run_memory(data: Path, out: Path, early: int) -> dict[str, Any]:
    with WorkerMemory(os.getpid()) as memory:
        snapshot = Snapshot(memory, early)
        result = run_ccm(data, out, 2, snapshot)
    result["peak_rss_mb_early"] = round(snapshot.peak_at or 0.0, 1)
    result["peak_rss_mb_end"] = round(memory.peak_mb(), 1)
    result["workers_seen"] = len(memory.peaks)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000, help="statements per throughput run")
    parser.add_argument("--memory-records", type=int, default=2000)
    parser.add_argument("--memory-early", type=int, default=200)
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--skip-typst", action="store_true", help="no Typst engine runs (issue 7)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ccm-batch-bench-"))
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "records": args.records,
        "transactions_per_statement": TRANSACTIONS,
    }
    try:
        data = write_records(work / "statements.jsonl", args.records)
        print(f"{args.records} statements in {data} ({data.stat().st_size / MB:.1f} MB)")
        one = run_ccm(data, work / "w1", 1)
        print(f"ccm batch, 1 worker:  {one['docs_per_s']:.2f} docs/s")
        two = run_ccm(data, work / "w2", 2)
        print(f"ccm batch, 2 workers: {two['docs_per_s']:.2f} docs/s")
        results["ccm_1_worker"] = one
        results["ccm_2_workers"] = two
        results["speedup_1_to_2"] = two["docs_per_s"] / one["docs_per_s"]
        if not args.skip_typst:
            for workers in (1, 2):
                typst = run_ccm(data, work / f"t{workers}", workers, engine="typst")
                print(
                    f"ccm batch --engine typst, {workers} worker(s): {typst['docs_per_s']:.2f} docs/s"
                )
                results[f"typst_{workers}_workers"] = typst
            ratio = results["typst_2_workers"]["docs_per_s"] / two["docs_per_s"]
            results["typst_vs_weasyprint_2_workers"] = ratio
        if not args.skip_peer:
            peer = run_peer(data, work / "peer")
            print(f"Jinja2 + WeasyPrint: {peer['docs_per_s']:.2f} docs/s")
            results["peer_jinja_weasyprint"] = peer
            results["ccm_2_workers_vs_peer"] = two["docs_per_s"] / peer["docs_per_s"]
        big = write_records(work / "memory.jsonl", args.memory_records)
        memory = run_memory(big, work / "mem", args.memory_early)
        results["memory"] = {"records": args.memory_records, "early": args.memory_early, **memory}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    mem = results["memory"]
    goals = {
        "speedup >= 1.8": results["speedup_1_to_2"] >= 1.8,
        "2 workers >= 1.8x peer": results.get("ccm_2_workers_vs_peer", 0) >= 1.8,
        "peak RSS per worker < 300 MB": mem["peak_rss_mb_end"] < 300,
        "memory flat (within 10 %)": mem["peak_rss_mb_end"] <= 1.1 * mem["peak_rss_mb_early"],
    }
    results["goals"] = goals
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=float) + "\n", encoding="utf-8")

    print()
    print(f"{'run':<34}{'docs':>7}{'seconds':>10}{'docs/s':>9}")
    rows = [("ccm batch, 1 worker", results["ccm_1_worker"])]
    rows.append(("ccm batch, 2 workers", results["ccm_2_workers"]))
    for workers in (1, 2):
        if f"typst_{workers}_workers" in results:
            label = f"ccm batch --engine typst, {workers} w"
            rows.append((label, results[f"typst_{workers}_workers"]))
    if "peer_jinja_weasyprint" in results:
        rows.append(("Jinja2 + WeasyPrint loop", results["peer_jinja_weasyprint"]))
    rows.append((f"ccm batch, 2 workers, {mem['records']}", mem))
    for label, row in rows:
        print(f"{label:<34}{row['documents']:>7}{row['seconds']:>10.1f}{row['docs_per_s']:>9.2f}")
    print()
    print(f"speed-up 1 → 2 workers:          {results['speedup_1_to_2']:.2f}×")
    if "ccm_2_workers_vs_peer" in results:
        print(f"2 workers vs the peer:           {results['ccm_2_workers_vs_peer']:.2f}×")
    if "typst_vs_weasyprint_2_workers" in results:
        ratio = results["typst_vs_weasyprint_2_workers"]
        print(f"Typst vs WeasyPrint, 2 workers:  {ratio:.2f}×")
    print(
        f"peak RSS per worker:             {mem['peak_rss_mb_early']:.0f} MB at {mem['early']}, "
        f"{mem['peak_rss_mb_end']:.0f} MB at {mem['records']} records"
    )
    for goal, met in goals.items():
        print(f"  [{'x' if met else ' '}] {goal}")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
