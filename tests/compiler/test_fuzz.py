"""Property tests: no source makes the checker raise or hit an internal error.

Valid snippets are mutated (characters and tokens inserted, deleted, swapped) so the checker
meets half-valid programs: right shapes with wrong names, types, options and contexts, which
the parser accepts and only the checker can judge.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccmlang.compiler.compile import check_source

from .helpers import CASES

SNIPPETS = [
    'template "T" data: "statement.schema.json"\nparagraph "Dear {customer.title ?? \'\'} '
    '{customer.name},"\nif customer.address { paragraph "{customer.address.city}" }\n',
    'template "T" data: "statement.schema.json"\nimport "lib/brand.ccm" as brand\n'
    'table account.transactions as tx zebra: #eeeeee {\n  column "Date" width: 25mm = '
    'tx.date | date("d MMM")\n  column "Amount" align: right = tx.amount | money(\'EUR\')\n'
    '  footer { row { cell "Total" span: 1 cell = account.balance | money("EUR") } }\n}\n',
    'template "T" languages: ["en", "de"]\nstyle s extends t { size: 10pt padding: 1mm 2mm }\n'
    'style t { weight: bold border: 0.5pt #cccccc }\nparagraph style: s { en: "Hi" de: "Hallo" }\n',
    'template "T" data: "statement.schema.json"\ncomponent card(who: {name: string}, n: '
    "integer = 1) {\n  box { heading who.name level: 3 slot }\n}\nuse card(customer, n: 2) "
    '{ paragraph "x" }\nfor t, i in account.transactions { if loop.first { paragraph '
    '"{i}: {t.description}" } }\n',
    'template "T"\nfield reason { type: string label: "Reason" choices: ["a", "b"] default: '
    '"a" }\npage { size: A4 margin: 20mm footer { paragraph "{page} / {pages}" } }\n'
    'document { title: "x" index { id: "1" } }\neditable e { paragraph "{input.reason ?? \'\'}" }\n',
    'template "T" data: "statement.schema.json"\nlet total = account.transactions | '
    "sum(\"amount\")\nparagraph \"{total > 0 and account.overdraft ? 'a' : 'b'} "
    "{statement_date + 30} {account.tags ?? [] | join(', ')}\"\nchart account.history ?? [] "
    'as m kind: bar label: m.month value: m.balance alt: "c"\n',
]

TOKENS = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    '"',
    "'",
    ":",
    ".",
    ",",
    "|",
    "?",
    "??",
    "=",
    "-",
    "+",
    " as ",
    " if ",
    " else ",
    " for ",
    " in ",
    " let ",
    " use ",
    " import ",
    " style ",
    " component ",
    " type ",
    "paragraph ",
    "table ",
    "column ",
    "cell ",
    "row ",
    "box ",
    "page ",
    "slot ",
    "br ",
    "field ",
    "template ",
    "library ",
    "heading ",
    "span ",
    "customer",
    "account",
    "tx",
    "loop",
    "page",
    "input",
    "brand.",
    "size: ",
    "style: ",
    "level: ",
    "kind: ",
    "10mm",
    "#ff0000",
    "2024-02-30",
    "1.5",
    "null",
    "true",
    "\\q",
    "{x}",
    "not ",
    " and ",
    " or ",
    "\n",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SNIPPETS))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if not text:
            break
        pos = draw(st.integers(min_value=0, max_value=len(text)))
        action = draw(st.sampled_from(["insert", "delete", "token", "cut", "swap"]))
        if action == "insert":
            text = text[:pos] + draw(st.characters(codec="utf-8")) + text[pos:]
        elif action == "delete":
            text = text[:pos] + text[pos + 1 :]
        elif action == "token":
            text = text[:pos] + draw(st.sampled_from(TOKENS)) + text[pos:]
        elif action == "cut":
            end = draw(st.integers(min_value=pos, max_value=min(len(text), pos + 40)))
            text = text[:pos] + text[end:]
        else:
            other = draw(st.integers(min_value=0, max_value=len(text)))
            a, b = sorted((pos, other))
            text = text[a:b] + text[:a] + text[b:]
    return text


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated())
def test_mutated_sources_never_raise(text: str) -> None:
    result = check_source(text, path="fuzz.ccm", project_root=CASES, lint=False)
    assert not [d for d in result.diagnostics if d.code == "E9000"], result.diagnostics
    assert (result.template is None) == any(d.is_error for d in result.diagnostics)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    result = check_source(text, path="fuzz.ccm", project_root=CASES, lint=False)
    assert not [d for d in result.diagnostics if d.code == "E9000"], result.diagnostics


def test_snippets_are_valid() -> None:
    for text in SNIPPETS:
        result = check_source(text, path="fuzz.ccm", project_root=CASES, lint=False)
        assert [d for d in result.diagnostics if d.is_error] == [], text
