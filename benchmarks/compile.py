"""Compile-time benchmark: parse + resolve + type check (+ lints) per example, and scaling.

Run by hand:  .venv/bin/python benchmarks/compile.py [--repeat 30]

Reports, for each example template (lints included): ``cold``, the first check in the process
(grammar tables already loaded); ``full``, every file re-parsed and re-checked (caches cleared);
``edited``, the template changed but its library and schema did not (what the preview and an
editor see on every save); ``same``, nothing changed (parses come from the content-hash cache).
For generated templates of 1,400 to 11,000 lines it reports ms per full compile and µs per line,
so linear growth is visible.
Goal (issue 2): the statement example under 20 ms warm; time linear in template size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ccmlang.compiler import compile as ccm_compile  # noqa: E402
from ccmlang.compiler.parse import parser  # noqa: E402

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["customer", "items"],
    "properties": {
        "customer": {
            "type": "object",
            "required": ["name", "id"],
            "properties": {"name": {"type": "string"}, "id": {"type": "string"}},
            "additionalProperties": False,
        },
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["date", "label", "amount"],
                "properties": {
                    "date": {"type": "string", "format": "date"},
                    "label": {"type": "string"},
                    "amount": {"type": "number"},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

SECTION = """\
// section {n}
style s{n} {{ size: 10pt color: #222222 space-after: 2mm }}
heading "Section {n} for {{customer.name}}" level: 2
paragraph style: s{n} "Customer {{customer.id}} has {{items | length}} items."
if items | length > {n} {{
  paragraph "More than {n} items: total {{items | sum('amount') | money('EUR')}}."
}} else {{
  paragraph "At most {n} items."
}}
table items as it {{
  column "Date" width: 30mm = it.date | date("d MMM yyyy")
  column "Label" = it.label
  column "Amount" width: 30mm align: right = it.amount | money("EUR")
}}
"""


def generated_template(sections: int) -> str:
    head = 'template "Generated" data: "gen.schema.json"\npage { size: A4 margin: 20mm }\n'
    head += 'document { title: "Generated {customer.id}" }\n'
    return head + "".join(SECTION.format(n=i) for i in range(sections))


def measure(fn: Callable[[], object], repeat: int, *, clear: bool) -> list[float]:
    times = []
    for _ in range(repeat):
        if clear:
            ccm_compile.clear_cache()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def check(path: Path) -> None:
    result = ccm_compile.check_file(path)
    errors = [d for d in result.diagnostics if d.is_error]
    if errors:
        raise SystemExit(f"{path}: {errors[0].code} {errors[0].message}")


def edited(path: Path, repeat: int) -> list[float]:
    """The preview's case: the template changed (re-parsed), its imports and schema did not."""
    original = path.read_text(encoding="utf-8")
    times = []
    try:
        for i in range(repeat):
            lines = original.splitlines(keepends=True)
            middle = len(lines) // 2  # an edit in the middle: one statement's text changes
            changed = "".join([*lines[:middle], f"// edit {i}\n", *lines[middle:]])
            path.write_text(changed, encoding="utf-8")
            start = time.perf_counter()
            check(path)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        path.write_text(original, encoding="utf-8")
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    parser()  # grammar tables are loaded once per process; not part of a compile
    results: dict[str, object] = {}

    header = f"{'template':<34} {'lines':>6} {'cold':>7} {'full':>7} {'edited':>7} {'same':>6}"
    print(header + "   (ms, medians; lints included)")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "examples"
        shutil.copytree(ROOT / "examples", copy)
        for template in sorted(copy.glob("*/*.ccm")):
            if "template " not in template.read_text(encoding="utf-8")[:2000]:
                continue
            lines = template.read_text(encoding="utf-8").count("\n")
            ccm_compile.clear_cache()
            cold = measure(lambda t=template: check(t), 1, clear=False)[0]
            full = statistics.median(measure(lambda t=template: check(t), args.repeat, clear=True))
            edit = statistics.median(edited(template, args.repeat))
            same = statistics.median(measure(lambda t=template: check(t), args.repeat, clear=False))
            name = str(template.relative_to(copy.parent))
            print(f"{name:<34} {lines:>6} {cold:>7.1f} {full:>7.1f} {edit:>7.1f} {same:>6.1f}")
            results[name] = {
                "lines": lines,
                "cold_ms": cold,
                "full_ms": full,
                "edited_ms": edit,
                "unchanged_ms": same,
            }

    print(f"\n{'generated':<20} {'lines':>7} {'ms':>9} {'µs/line':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "gen.schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
        for sections in (100, 200, 400, 800):
            path = Path(tmp) / f"gen{sections}.ccm"
            path.write_text(generated_template(sections), encoding="utf-8")
            lines = path.read_text(encoding="utf-8").count("\n")
            times = measure(lambda p=path: check(p), max(3, args.repeat // 6), clear=True)
            ms = statistics.median(times)
            print(f"{path.name:<20} {lines:>7} {ms:>9.1f} {ms * 1000 / lines:>9.1f}")
            results[f"generated-{lines}"] = {
                "lines": lines,
                "ms": ms,
                "us_per_line": ms * 1000 / lines,
            }

    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "compile.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
