"""Render benchmark: the statement example (80 transactions, 3 pages), ours against the peers.

Run by hand:  .venv/bin/python benchmarks/render.py [--runs 15] [--profile]

Every engine runs in its own child process (so peak memory is its own), warms up twice, then
renders ``--runs`` distinct records (the sample with another name and other amounts each time,
so no engine reuses earlier work); we report the median ms per document and per page.

- ``ours html``          Template.render + the HTML backend
- ``ours pdf``           Template.render + the WeasyPrint PDF backend (the default engine)
- ``peer html``          the same document as a Jinja2 template (benchmarks/peers/jinja_peer.py)
- ``peer pdf (tuned)``   Jinja2 + WeasyPrint, stylesheet parsed once, fixed table layout
- ``peer pdf (plain)``   Jinja2 + WeasyPrint as usually written: CSS parsed with each document,
                         automatic table layout, a fresh font configuration per document
- ``ours pdf (typst)``   the Typst engine, when the ``typst`` extra is installed

``--profile`` prints where our PDF time goes, grouped by stage.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TEMPLATE = ROOT / "examples" / "statement" / "statement.ccm"
DATA = ROOT / "examples" / "statement" / "data" / "sample.json"


def _data() -> Any:
    return json.loads(DATA.read_text(encoding="utf-8"), parse_float=Decimal)


def _variants(count: int) -> list[Any]:
    """Distinct records (other name, other amounts), so no engine can reuse a previous result:
    Typst memoizes, and our formatted-value cache would otherwise serve every amount."""
    records = []
    for i in range(count):
        data = _data()
        data["customer"]["name"] = f"{data['customer']['name']} {i}"
        for tx in data["account"]["transactions"]:
            for key in ("paid_in", "paid_out", "balance"):
                if tx.get(key) is not None:
                    tx[key] = tx[key] + Decimal(i) / 100
        records.append(data)
    return records


def _ours(backend_name: str) -> Callable[[], bytes]:
    from ccmlang.backends.base import RenderOptions, load_backends
    from ccmlang.compiler.compile import compile_file

    template = compile_file(TEMPLATE)
    backend = load_backends().get(backend_name)
    records = iter(_variants(RUNS))
    options = RenderOptions()

    def run() -> bytes:
        return backend.render(template.render(next(records)), options)

    return run


def _peer_html() -> Callable[[], bytes]:
    from peers.jinja_peer import render_peer_html

    records = iter(_variants(RUNS))
    return lambda: render_peer_html(next(records)).encode()


def _peer_pdf_tuned() -> Callable[[], bytes]:
    from peers.jinja_peer import render_peer_pdf

    records = iter(_variants(RUNS))
    return lambda: render_peer_pdf(next(records))


def _peer_pdf_plain() -> Callable[[], bytes]:
    from peers import jinja_peer
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    records = iter(_variants(RUNS))
    css = jinja_peer.CSS.replace("table-layout: fixed;", "")
    base = str(jinja_peer.BRAND) + "/"

    def run() -> bytes:
        fonts = FontConfiguration()
        sheet = CSS(string=css, base_url=base, font_config=fonts)
        html = HTML(string=jinja_peer.render_peer_html(next(records)), base_url=base)
        pdf: bytes = html.write_pdf(stylesheets=[sheet], font_config=fonts)
        return pdf

    return run


ENGINES: dict[str, Callable[[], Callable[[], bytes]]] = {
    "ours html": lambda: _ours("html"),
    "peer html": _peer_html,
    "ours pdf": lambda: _ours("pdf"),
    "peer pdf (tuned)": _peer_pdf_tuned,
    "peer pdf (plain)": _peer_pdf_plain,
    "ours pdf (typst)": lambda: _ours("pdf-typst"),
}


def _pages(output: bytes) -> int:
    if not output.startswith(b"%PDF"):
        return 0
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(output)).pages)


RUNS = 64
"""Records prepared per engine: warm-up plus measured runs (``--runs`` may not exceed 62)."""


def _measure(name: str, runs: int, queue: Any) -> None:
    try:
        run = ENGINES[name]()
        for _ in range(2):
            output = run()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            output = run()
            times.append((time.perf_counter() - start) * 1000)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queue.put((name, statistics.median(times), min(times), _pages(output), peak_mb, None))
    except Exception as exc:  # an engine that is not installed is reported, not fatal
        queue.put((name, 0.0, 0.0, 0, 0.0, f"{type(exc).__name__}: {exc}"))


def _profile(runs: int) -> None:
    run = _ours("pdf")
    run()
    runs = min(runs, RUNS - 1)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        run()
    profiler.disable()
    stats = pstats.Stats(profiler)
    groups: dict[str, float] = {}
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        key = _stage(filename)
        groups[key] = groups.get(key, 0.0) + tottime
    total = sum(groups.values())
    print(f"\nwhere the PDF time goes ({runs} documents, own time per stage):")
    for key, value in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"  {key:<44} {value / runs * 1000:7.1f} ms/doc {value / total:6.1%}")


def _stage(filename: str) -> str:
    path = filename.replace("\\", "/")
    for marker, label in [
        ("ccmlang/compiler/", "ccmlang: evaluate (layout tree)"),
        ("ccmlang/backends/", "ccmlang: HTML + CSS emit"),
        ("ccmlang/graphics/", "ccmlang: barcodes and charts"),
        ("weasyprint/css/", "weasyprint: CSS cascade and computed values"),
        ("weasyprint/formatting_structure/", "weasyprint: box tree"),
        ("weasyprint/layout/table", "weasyprint: table layout"),
        ("weasyprint/layout/", "weasyprint: other layout"),
        ("weasyprint/text/", "weasyprint: text shaping (Pango)"),
        ("weasyprint/draw", "weasyprint: drawing"),
        ("weasyprint/svg/", "weasyprint: SVG"),
        ("weasyprint/pdf/", "weasyprint: PDF writing and font subsetting"),
        ("weasyprint/", "weasyprint: other"),
        ("pydyf/", "pydyf: PDF objects"),
        ("fontTools/", "fontTools (font subsetting)"),
        ("cffi", "cffi (Pango/HarfBuzz calls)"),
        ("html5lib/", "HTML parsing (html5lib)"),
        ("tinyhtml5/", "HTML parsing (tinyhtml5)"),
        ("tinycss2/", "CSS tokenising (tinycss2)"),
        ("cssselect2/", "CSS selector matching"),
    ]:
        if marker in path:
            return label
    return "other (Python runtime, zlib, …)" if "~" in path or "<" in path else "other libraries"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    if args.runs > RUNS - 2:
        ap.error(f"--runs may be at most {RUNS - 2}")
    ctx = multiprocessing.get_context("spawn")
    results: dict[str, dict[str, Any]] = {}
    print(f"{'engine':<20} {'ms/doc':>9} {'best':>8} {'pages':>6} {'ms/page':>8} {'peak MB':>8}")
    for name in ENGINES:
        queue = ctx.Queue()
        proc = ctx.Process(target=_measure, args=(name, args.runs, queue))
        proc.start()
        name, median, best, pages, peak, error = queue.get()
        proc.join()
        if error:
            print(f"{name:<20} not run: {error}")
            continue
        per_page = median / pages if pages else float("nan")
        print(f"{name:<20} {median:>9.1f} {best:>8.1f} {pages:>6} {per_page:>8.1f} {peak:>8.0f}")
        results[name] = {"ms_per_doc": median, "best_ms": best, "pages": pages, "peak_mb": peak}
    ratios = {}
    for ours, peer in [
        ("ours html", "peer html"),
        ("ours pdf", "peer pdf (tuned)"),
        ("ours pdf", "peer pdf (plain)"),
        ("ours pdf (typst)", "ours pdf"),
        ("ours pdf (typst)", "peer pdf (tuned)"),
    ]:
        if ours in results and peer in results:
            ratio = results[peer]["ms_per_doc"] / results[ours]["ms_per_doc"]
            ratios[f"{ours} vs {peer}"] = ratio
            print(f"{ours} is {ratio:.2f}x as fast as {peer}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    payload = {"engines": results, "ratios": ratios}
    (out / "render.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    if args.profile:
        _profile(max(3, args.runs // 3))


if __name__ == "__main__":
    main()
