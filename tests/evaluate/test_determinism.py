"""Same program and data, same tree: renders are pure, and fast enough for batch production."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from ccmlang import layout
from ccmlang.compiler.compile import compile_file
from ccmlang.compiler.evaluate import render_document
from ccmlang.compiler.evaluate_cache import clear_caches
from ccmlang.data import load_json

from .conftest import Build
from .helpers import find

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

STATEMENT = """template "Statement" locale: "en-GB"
style muted { color: #5b6675 }
page {
  margin: 25mm 18mm
  footer { paragraph "Page {page} of {pages}" align: right }
}
document { title: "Statement {account.number}" index { account: account.number } }
let currency = account.currency
let paid-in = account.transactions | where("credit") | sum("amount")
heading "Your statement"
paragraph style: muted { "Account " bold "{account.number}" " · {account.iban | iban}" }
table account.transactions as tx zebra: #f3f6f9 empty: "No transactions." {
  column "Date" width: 20mm = tx.date | date("d MMM")
  column "Description" width: 80mm = tx.description | truncate(40)
  column "Amount" width: 30mm align: right = tx.amount | money(currency)
  column "Balance" width: 30mm align: right = tx.balance | money(currency)
  footer { row { cell "Paid in" span: 3 cell align: right = paid-in | money(currency) } }
}
if account.balance < 0 { paragraph "You are overdrawn." style: muted }
"""


def statement_data(rows: int = 80) -> dict[str, Any]:
    balance = Decimal("1520.40")
    transactions = []
    for i in range(rows):
        amount = Decimal(f"{(i * 37) % 500 - 250}.{i % 100:02d}")
        balance += amount
        transactions.append(
            {
                "date": f"2025-03-{1 + i % 28:02d}",
                "description": f"CARD PAYMENT {i} NORTHWIND CAFE BRISTOL",
                "amount": amount,
                "balance": balance,
                "credit": amount > 0,
            }
        )
    return {
        "account": {
            "number": "41920375",
            "iban": "GB31NRTH60161341920375",
            "currency": "GBP",
            "balance": balance,
            "transactions": transactions,
        }
    }


def test_two_renders_are_equal(program: Build) -> None:
    prog = program(STATEMENT)
    data = statement_data()
    first = render_document(prog, data)
    render_document(prog, statement_data(3))  # another record in between leaves no trace
    second = render_document(prog, data)
    assert first == second
    assert layout.to_json(first) == layout.to_json(second)


def test_a_fresh_cache_gives_the_same_tree(program: Build) -> None:
    prog = program(STATEMENT)
    data = statement_data()
    warm = layout.to_json(render_document(prog, data))
    clear_caches()
    assert layout.to_json(render_document(prog, data)) == warm


def test_rendering_does_not_change_the_data(program: Build) -> None:
    data = statement_data(5)
    before = repr(data)
    render_document(program(STATEMENT), data)
    assert repr(data) == before


def test_the_statement_tree(program: Build) -> None:
    doc = render_document(program(STATEMENT), statement_data())
    (table,) = find(doc.body, layout.Table)
    assert len(table.body) == 80
    assert doc.metadata.index == (("account", "41920375"),)


def test_the_bank_statement_example_renders_deterministically() -> None:
    template = compile_file(EXAMPLES / "statement" / "statement.ccm")
    data = load_json(EXAMPLES / "statement" / "data" / "sample.json")
    assert template.validate(data) == []
    once = layout.to_json(template.render(data))
    assert layout.to_json(template.render(data)) == once


def test_an_80_row_statement_renders_in_milliseconds(program: Build) -> None:
    """A smoke check against accidental slowness (measured by hand: see spec/limits.md)."""
    prog = program(STATEMENT)
    data = statement_data()
    render_document(prog, data)
    best = float("inf")
    for _ in range(5):  # CPU time, best of five: robust against a busy machine
        start = time.process_time()
        for _ in range(5):
            render_document(prog, data)
        best = min(best, (time.process_time() - start) / 5)
    assert best < 0.05, f"{best * 1000:.1f} ms per render"
