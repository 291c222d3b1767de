"""Render benchmark for the Typst engine (issue 7), with its peers side by side in one run.

Run by hand:  .venv/bin/python benchmarks/render_typst.py [--docs 40] [--slow-docs 8] [--stream 8]
              [--mixed]

Every engine renders the same distinct statement records to PDF, one process, one core: copies
of ``examples/statement/data/sample.json`` (80 transactions, 3 pages: the statement the issue
names), each made distinct so no engine can serve a cached result; with ``--mixed``, the sample
and ``records.jsonl`` in turn (1 to 3 pages). Reported per document: the median wall time over the run and
the process CPU time (all threads: the cost per core). Rows:

* ccmlang + Typst: ``Template.render`` (data → layout tree) + the ``pdf-typst`` backend with its
  compiler reused; also the backend alone (layout tree → PDF), and several records per
  compilation as one print stream (``TypstPdfBackend.render_stream``).
* ccmlang + WeasyPrint: the same with the default ``pdf`` backend.
* Jinja2 + WeasyPrint (``peers/jinja_peer.py``), Typst written by hand (``peers/statement.typ``,
  one reused ``typst.Compiler``), ReportLab platypus (``peers/reportlab_peer.py``).

Goals (issue 7): the Typst engine at least 10× faster than our WeasyPrint engine per document,
and at or under 13 ms per document per core for the statement.

Splitting a multi-record compilation back into one PDF per record with pypdf was measured at
about 30 ms per record, more than a whole compilation, so per-record outputs compile one record
each and only print streams share compilations (spec/typst.md, "Speed").
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "peers"))

EXAMPLE = ROOT / "examples" / "statement"


def records(count: int, mixed: bool = False) -> list[dict[str, Any]]:
    """``count`` distinct statement records (Decimal numbers, as ``ccm`` reads them): copies of
    the sample (80 transactions, 3 pages), or with ``mixed`` the sample and ``records.jsonl``
    in turn (80, 80, 24, 0, 12 and 35 transactions: 1 to 3 pages, like a month's run)."""
    from ccmlang.data import iter_records, load_json

    base = [load_json(EXAMPLE / "data" / "sample.json")]
    if mixed:
        base += [
            r.value for r in iter_records(EXAMPLE / "data" / "records.jsonl") if r.error is None
        ]
    out = []
    for i in range(count):
        record = copy.deepcopy(base[i % len(base)])
        record["statement"]["number"] = f"{record['statement']['number']}-{i:05d}"
        record["customer"]["address"]["line1"] = f"Flat {i + 1}, Cabot House"
        out.append(record)
    return out


def plain(value: Any) -> Any:
    """JSON-ready copy (Decimal → float) for the peers that take plain JSON."""
    return json.loads(json.dumps(value, default=float))


class Row:
    def __init__(self, name: str, wall: list[float], cpu: float, docs: int, note: str = "") -> None:
        self.name = name
        self.wall = statistics.median(wall)
        self.cpu = cpu / docs
        self.docs = docs
        self.note = note


def measure(
    name: str, items: Sequence[Any], run: Callable[[Any], object], per_item: int = 1, note: str = ""
) -> Row:
    run(items[0])  # warm: compile, fonts, caches
    walls = []
    cpu0 = time.process_time()
    for item in items:
        start = time.perf_counter()
        run(item)
        walls.append((time.perf_counter() - start) * 1000 / per_item)
    cpu = (time.process_time() - cpu0) * 1000
    return Row(name, walls, cpu, len(items) * per_item, note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=40, help="documents for the fast engines")
    parser.add_argument("--slow-docs", type=int, default=8, help="documents for WeasyPrint")
    parser.add_argument("--stream", type=int, default=8, help="records per Typst compilation")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="a month's mix of 1- to 3-page statements instead of the 3-page one",
    )
    args = parser.parse_args()

    from ccmlang.backends.base import RenderOptions
    from ccmlang.backends.pdf import PdfBackend
    from ccmlang.backends.typst import TypstPdfBackend
    from ccmlang.compiler.compile import compile_file

    template = compile_file(EXAMPLE / "statement.ccm")
    data = records(max(args.docs, args.slow_docs) + 1, mixed=args.mixed)
    options = RenderOptions()
    typst_backend = TypstPdfBackend()
    weasy = PdfBackend()
    rows: list[Row] = []

    fast = data[: args.docs]
    slow = data[: args.slow_docs]
    rows.append(measure("ccmlang Template.render (data → layout tree)", fast, template.render))
    trees = [template.render(r) for r in fast]
    rows.append(
        measure(
            "ccmlang + Typst, end to end",
            fast,
            lambda r: typst_backend.render(template.render(r), options),
        )
    )
    rows.append(
        measure(
            "ccmlang + Typst, layout tree → PDF",
            trees,
            lambda d: typst_backend.render(d, options),
        )
    )
    k = max(args.stream, 1)
    batches = [trees[i : i + k] for i in range(0, len(trees) - k + 1, k)] or [trees]
    rows.append(
        measure(
            f"ccmlang + Typst, print stream of {k} per compilation (tree → PDF)",
            batches,
            lambda b: typst_backend.render_stream(b, options),
            per_item=len(batches[0]),
        )
    )
    rows.append(
        measure(
            "ccmlang + WeasyPrint, end to end",
            slow,
            lambda r: weasy.render(template.render(r), options),
        )
    )

    try:
        from jinja_peer import render_peer_pdf

        rows.append(measure("peer: Jinja2 + WeasyPrint", slow, render_peer_pdf))
    except ImportError as exc:  # pragma: no cover - optional bench dependency
        print(f"(Jinja2 + WeasyPrint peer skipped: {exc})", file=sys.stderr)

    rows.append(hand_written_typst(fast))

    try:
        from reportlab_peer import render_reportlab_pdf

        rows.append(measure("peer: ReportLab platypus", fast, render_reportlab_pdf))
    except ImportError as exc:  # pragma: no cover - optional bench dependency
        print(f"(ReportLab peer skipped: {exc}; pip install 'ccmlang[bench]')", file=sys.stderr)

    report(rows, args.json)


def hand_written_typst(items: Sequence[dict[str, Any]]) -> Row:
    """``peers/statement.typ`` with one reused compiler, the record as JSON in sys.inputs."""
    import typst

    from ccmlang.graphics import datamatrix

    fonts = typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=False,
        font_paths=[str(ROOT / "examples" / "brand" / "fonts")],
    )
    compiler = typst.Compiler(
        str(ROOT / "benchmarks" / "peers" / "statement.typ"),
        root=str(ROOT),
        font_paths=fonts,
        ignore_system_fonts=True,
    )

    def run(record: dict[str, Any]) -> bytes:
        account = record["account"]
        code = datamatrix(account["sort_code"].replace("-", "") + account["number"], size="12mm")
        inputs = {"data": json.dumps(record, default=float), "datamatrix": code.svg}
        result = compiler.compile(format="pdf", sys_inputs=inputs)
        assert isinstance(result, bytes)
        return result

    return measure("peer: Typst by hand (typst.compile, reused compiler)", items, run)


def report(rows: list[Row], as_json: bool) -> None:
    if as_json:
        print(json.dumps([r.__dict__ for r in rows], indent=2, default=str))
        return
    width = max(len(r.name) for r in rows)
    print(f"{'per document':<{width}}  {'wall ms':>8}  {'cpu ms':>7}  docs")
    for r in rows:
        print(f"{r.name:<{width}}  {r.wall:8.1f}  {r.cpu:7.1f}  {r.docs}")
    by = {r.name: r for r in rows}
    ours = by.get("ccmlang + Typst, end to end")
    weasy = by.get("ccmlang + WeasyPrint, end to end")
    tree = by.get("ccmlang + Typst, layout tree → PDF")
    if ours and weasy:
        print(f"\nTypst vs WeasyPrint engine, end to end: {weasy.cpu / ours.cpu:.1f}× (goal ≥ 10×)")
    if tree:
        print(f"Typst engine, layout tree → PDF: {tree.cpu:.1f} ms CPU per document (goal ≤ 13)")


if __name__ == "__main__":
    main()
