"""Checking time grows linearly with template size (no per-name rescans of the tree).

Parsing is cached by content, so the second compile of a file measures resolve and check alone;
the time per line of a 5× larger template must stay about the same.
"""

from __future__ import annotations

import time
from pathlib import Path

from ccmlang.compiler.compile import check_file

from .helpers import SCHEMA, codes, project

SECTION = """\
style s{n} {{ size: 10pt color: #222222 space-after: 2mm }}
let total{n} = account.transactions | sum("amount")
heading "Section {n} for {{customer.name}}" level: 2
paragraph style: s{n} "Customer {{customer.id}}: {{total{n} | money(account.currency)}}."
if customer.address and account.balance > {n} {{
  paragraph "{{customer.address.city}} {{account.overdraft ?? 0 | number(2)}}"
}} else {{
  paragraph "Nothing for {{customer.title ?? 'you'}}."
}}
table account.transactions as tx {{
  column "Date" width: 30mm = tx.date | date("d MMM yyyy")
  column "Label" = tx.description
  column "Amount" width: 30mm align: right = tx.amount | money(account.currency)
}}
"""


def template(sections: int) -> str:
    head = 'template "Generated" data: "s.json"\npage { size: A4 margin: 20mm }\n'
    return head + "".join(SECTION.format(n=i) for i in range(sections))


def per_line(path: Path) -> float:
    check_file(path, lint=False)  # parse once (cached)
    best = min(_timed(path) for _ in range(5))
    return best / path.read_text("utf-8").count("\n")


def _timed(path: Path) -> float:
    start = time.perf_counter()
    result = check_file(path, lint=False)
    elapsed = time.perf_counter() - start
    assert codes(result) == []
    return elapsed


def test_linear_in_template_size(tmp_path: Path) -> None:
    root = project(
        tmp_path, {"s.json": SCHEMA, "small.ccm": template(20), "large.ccm": template(100)}
    )
    small = per_line(root / "small.ccm")
    large = per_line(root / "large.ccm")
    assert large < small * 3, (small, large)
