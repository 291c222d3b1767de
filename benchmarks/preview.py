"""Live-preview latency: from saving the template to the updated HTML view and PDF pages.

Run by hand:  .venv/bin/python benchmarks/preview.py [--edits 20] [--warmup 2] [--engine typst]

Copies the example project (``examples/``: the statement and the brand library it imports) to a
temporary folder, starts ``ccm preview`` in-process on a free port with the statement's
``data/sample.json`` (3 pages), then edits a paragraph's text ``--edits`` times. For each save it
measures, over HTTP exactly as the page does (long-poll ``/_ccm/wait``, then fetch):

* save → HTML: until ``/_ccm/html`` serves the new text;
* save → PDF: until the new PDF's page images have all been fetched.

Both include the watcher, the debounce (30 ms), compile, evaluation and the backends. Prints a
table (p50, p95) with the server's own stage timings, and writes ``benchmarks/results/preview.json``.
Goals (issue 5): HTML under 100 ms p50; PDF pages under 500 ms p50 for the 3-page statement.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ccmlang.preview.server import PreviewServer, responsive_threads  # noqa: E402
from ccmlang.preview.session import PreviewSession  # noqa: E402

EDITED = "Use these details to receive payments from the UK and abroad."
GOAL_HTML_P50 = 0.100
GOAL_PDF_P50 = 0.500


class Client:
    def __init__(self, port: int) -> None:
        self.port = port

    def get(self, path: str) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {path}: HTTP {response.status}")
            return body
        finally:
            conn.close()

    def state(self, epoch: int | None = None) -> dict[str, Any]:
        path = "/_ccm/state" if epoch is None else f"/_ccm/wait?epoch={epoch}"
        data: dict[str, Any] = json.loads(self.get(path))
        return data


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: a value that was actually measured)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def one_edit(client: Client, template: Path, text: str, n: int) -> dict[str, float]:
    state = client.state()
    html_before, pdf_before = state["html_version"], state["pdf_version"]
    marker = f"Edit number {n} of the preview benchmark."
    started = time.perf_counter()
    template.write_text(text.replace(EDITED, marker), encoding="utf-8")
    html_at = pdf_at = None
    while pdf_at is None:
        state = client.state(state["epoch"])
        fresh = html_at is None and state["html_version"] > html_before
        if fresh and marker.encode() in client.get("/_ccm/html"):
            html_at = time.perf_counter()
        if html_at is not None and state["pdf_version"] > pdf_before and not state["pdf_pending"]:
            for page in range(1, len(state["pages"]) + 1):
                client.get(f"/_ccm/page?n={page}&v={state['pdf_version']}")
            pdf_at = time.perf_counter()
    timings = state["timings"]
    assert html_at is not None
    return {
        "html": html_at - started,
        "pdf": pdf_at - started,
        "pages": float(len(state["pages"])),
        **{f"stage_{k}": float(v) for k, v in timings.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument(
        "--engine",
        choices=["weasyprint", "typst"],
        default=None,
        help="PDF engine (default: the project's, WeasyPrint for the examples)",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.out is None:
        suffix = f"-{args.engine}" if args.engine else ""
        args.out = ROOT / "benchmarks" / "results" / f"preview{suffix}.json"

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="ccm-preview-bench-") as tmp:
        project = Path(tmp) / "examples"
        shutil.copytree(ROOT / "examples", project)
        template = project / "statement" / "statement.ccm"
        original = template.read_text(encoding="utf-8")
        assert EDITED in original, "the benchmark edits a paragraph that is no longer there"
        responsive_threads()  # as `ccm preview` does
        session = PreviewSession(
            template, data=[project / "statement" / "data" / "sample.json"], engine=args.engine
        )
        server = PreviewServer(session, port=0).start()
        try:
            client = Client(server.port)
            started = time.perf_counter()
            while not client.state()["pdf_version"]:
                time.sleep(0.01)
            first = time.perf_counter() - started
            session.wait_idle()
            runs = []
            for n in range(args.warmup + args.edits):
                result = one_edit(client, template, original, n)
                session.wait_idle()
                time.sleep(0.1)  # independent saves, not a burst
                if n >= args.warmup:
                    runs.append(result)
            problems = client.state()["problems"]
            assert not problems, problems
        finally:
            server.stop()

    html = [r["html"] for r in runs]
    pdf = [r["pdf"] for r in runs]
    stages = sorted({k[6:] for r in runs for k in r if k.startswith("stage_")})
    stage_p50 = {s: statistics.median(r.get(f"stage_{s}", 0.0) for r in runs) for s in stages}
    summary = {
        "benchmark": "preview",
        "template": "examples/statement/statement.ccm",
        "data": "examples/statement/data/sample.json",
        "pages": int(runs[0]["pages"]),
        "engine": args.engine or "weasyprint (the project's default)",
        "edits": len(runs),
        "warmup_edits": args.warmup,
        "debounce_ms": round(session.debouncer.quiet * 1000),
        "first_build_ms": round(first * 1000, 1),
        "save_to_html_ms": {"p50": _ms(percentile(html, 50)), "p95": _ms(percentile(html, 95))},
        "save_to_pdf_ms": {"p50": _ms(percentile(pdf, 50)), "p95": _ms(percentile(pdf, 95))},
        "stage_p50_ms": {s: _ms(v) for s, v in stage_p50.items()},
        "goals_ms": {"html_p50": GOAL_HTML_P50 * 1000, "pdf_p50": GOAL_PDF_P50 * 1000},
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    _print(summary)
    return 0


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _print(summary: dict[str, Any]) -> None:
    goal = summary["goals_ms"]
    rows = [
        ("save → HTML view", summary["save_to_html_ms"], goal["html_p50"]),
        ("save → PDF pages", summary["save_to_pdf_ms"], goal["pdf_p50"]),
    ]
    print(
        f"ccm preview, {summary['template']} ({summary['pages']} pages), {summary['edits']} edits,"
        f" PDF engine {summary['engine']}"
    )
    print(f"{'latency':<20}{'p50 ms':>10}{'p95 ms':>10}{'goal p50':>10}  met")
    for name, values, target in rows:
        met = "yes" if values["p50"] < target else "no"
        print(f"{name:<20}{values['p50']:>10.1f}{values['p95']:>10.1f}{target:>10.0f}  {met}")
    stages = ", ".join(f"{k} {v:.1f}" for k, v in summary["stage_p50_ms"].items())
    print(f"server stages, p50 ms: {stages}; debounce {summary['debounce_ms']} ms")
    machine = summary["machine"]
    before, after = machine["load_average_1min"]
    print(f"{machine['cpus']} CPUs, load average {before} before, {after} after")


if __name__ == "__main__":
    raise SystemExit(main())
