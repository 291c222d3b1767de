"""Expression typing: paths, operators, filters, narrowing, component arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccmlang.compiler import types as t
from ccmlang.compiler.compile import CheckResult
from ccmlang.compiler.diagnostics import DiagnosticSink
from ccmlang.compiler.parse import parse_expression
from ccmlang.compiler.scope import Binding, Scope, data_scope
from ccmlang.compiler.source import SourceFile
from ccmlang.compiler.typecheck import Typer

from .helpers import SCHEMA, check, codes

DATA = t.schema_type(SCHEMA)


def _transaction() -> t.Type:
    account = DATA.get("account") if isinstance(DATA, t.RecordT) else None
    assert account is not None and isinstance(account.type, t.RecordT)
    transactions = account.type.get("transactions")
    assert transactions is not None and isinstance(transactions.type, t.ListT)
    return transactions.type.item


TRANSACTION = _transaction()


def typed(text: str, scope: Scope | None = None) -> tuple[t.Type, list[str]]:
    sink = DiagnosticSink()
    file = SourceFile("x.ccm", text)
    expr = parse_expression(text, file, 0, sink)
    assert expr is not None, sink.items
    got = Typer(sink).type_of(expr, scope or data_scope(DATA))
    return got, [d.code for d in sink.sorted()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("customer.name", t.STRING),
        ("customer.title", t.OptionalT(t.STRING)),
        ("account.balance", t.NUMBER),
        ("1 + 2", t.INTEGER),
        ("1 / 2", t.NUMBER),
        ("1.5 * 2", t.NUMBER),
        ("account.balance - 1", t.NUMBER),
        ("'a' + 'b'", t.STRING),
        ("'Ref. ' + account.balance", t.STRING),
        ("statement_date + 30", t.DATE),
        ("statement_date - statement_date", t.INTEGER),
        ("customer.title ?? ''", t.STRING),
        ("customer.title ?? null", t.OptionalT(t.STRING)),
        ("account.balance < 0 ? 'red' : 'black'", t.STRING),
        ("account.balance > 0 ? 1 : 2.5", t.NUMBER),
        ("account.balance > 0 ? 'x' : null", t.OptionalT(t.STRING)),
        ("[1, 2, 3]", t.ListT(t.INTEGER)),
        ("[]", t.ListT(t.NEVER)),
        ("account.transactions[0]", t.optional(TRANSACTION)),
        ("account.transactions | length", t.INTEGER),
        ("account.transactions | sum('amount')", t.NUMBER),
        ("account.transactions | map('description')", t.ListT(t.STRING)),
        ("account.transactions | map('category')", t.ListT(t.OptionalT(t.STRING))),
        ("account.transactions | first", t.optional(TRANSACTION)),
        ("account.balance | money('EUR')", t.STRING),
        ("customer.title | default('Sir')", t.STRING),
        ("statement_date | add-days(3)", t.DATE),
        ("'x' in account.tags ?? []", t.BOOL),
        ("not customer.title", t.BOOL),
        ("customer.title and customer.email", t.BOOL),
        ("-account.balance", t.NUMBER),
        ("-3", t.INTEGER),
    ],
)
def test_types(text: str, expected: t.Type) -> None:
    got, errors = typed(text)
    assert errors == []
    assert got == expected


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("customer.nmae", ["E2001"]),
        ("custmer", ["E2001"]),
        ("qqq", ["E1015"]),
        ("customer.address.city", ["E2005"]),
        ("customer.name.first", ["E2007"]),
        ("account.transactions.amount", ["E2007"]),
        ("account.balance | mony", ["E2002"]),
        ("customer.name | money('EUR')", ["E2003"]),
        ("account.overdraft | money('EUR')", ["E2005"]),
        ("account.balance | money", ["E2004"]),
        ("account.balance | money('EUR', 2, 3)", ["E2004"]),
        ("account.balance | money(currency: 'EUR', currency: 'USD')", ["E2004"]),
        ("account.balance | money(cur: 'EUR')", ["E2004", "E2004"]),
        ("account.balance | money(1)", ["E2004"]),
        ("account.balance | money('EURO')", ["E2004"]),
        ("statement_date | date('qqqqqq')", ["E2004"]),
        ("statement_date | date('HH:mm')", ["E2004"]),
        ("statement_date | datetime('HH:mm')", []),
        ("account.transactions | sum('description')", ["E2004"]),
        ("account.transactions | sum('nope')", ["E2004"]),
        ("customer.name * 2", ["E2007"]),
        ("statement_date + statement_date", ["E2007"]),
        ("account.balance < 'x'", ["E2007"]),
        ("statement_date < '2024-01-01'", []),
        ("statement_date < 'soon'", ["E2007"]),
        ("account.overdraft > 0", ["E2005"]),
        ("1 in 2", ["E2007"]),
        ("1 in 'abc'", ["E2007"]),
        ("not account.balance", ["E2012"]),
        ("account.transactions and true", ["E2012"]),
        ("account.balance ? 1 : 2", ["E2012"]),
        ("account.transactions['x']", ["E2007"]),
        ("account.transactions[0].amount", ["E2005"]),
        ("page", ["E2011"]),
    ],
)
def test_errors(text: str, errors: list[str]) -> None:
    assert typed(text)[1] == errors


def test_open_data_accepts_any_name() -> None:
    got, errors = typed("whatever.goes.here | upper", data_scope(t.ANY))
    assert (got, errors) == (t.STRING, [])


def test_open_record_fields_are_any() -> None:
    record = t.RecordT((("a", t.Field(t.STRING, True)),), open=True)
    scope = Scope(None, {"x": Binding(record, "data")})
    assert typed("x.b.c", scope) == (t.ANY, [])


# ---------------------------------------------------------------- narrowing


@pytest.mark.parametrize(
    "text",
    [
        'if customer.address { paragraph "{customer.address.city}" }',
        'if customer.address != null { paragraph "{customer.address.city}" }',
        'if null != customer.title { paragraph "{customer.title}" }',
        'if customer.title == null { paragraph "-" } else { paragraph "{customer.title}" }',
        'if not customer.title { paragraph "-" } else { paragraph "{customer.title}" }',
        'if customer.title and customer.email { paragraph "{customer.title} {customer.email}" }',
        'if customer.address and customer.address.line2 { paragraph "{customer.address.line2}" }',
        'if customer.title == null or customer.email == null { paragraph "-" } '
        'else { paragraph "{customer.title}{customer.email}" }',
        "paragraph \"{customer.address and customer.address.city == 'x' ? 'y' : 'z'}\"",
        "paragraph \"{customer.title ? customer.title : '-'}\"",
        'if customer.title == null { paragraph "-" } elif customer.email { '
        'paragraph "{customer.title} {customer.email}" }',
        'let a = customer.address\nif a { paragraph "{a.city}" }',
        "if account.overdraft { paragraph \"{account.overdraft | money('EUR')}\" }",
    ],
)
def test_narrowing(text: str) -> None:
    assert codes(check(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        'if customer.address { paragraph "x" }\nparagraph "{customer.address.city}"',
        'if customer.title or customer.email { paragraph "{customer.title}" }',
        'if customer.title == null { paragraph "{customer.title}" }',
        'if customer.title != null { paragraph "-" } else { paragraph "{customer.title}" }',
        'if customer.title { let customer = 1 }\nparagraph "{customer.title}"',
        'if customer.address { for customer in [1] { paragraph "{customer}" } }\n'
        'paragraph "{customer.title}"',
        "paragraph \"{customer.title ? '-' : customer.title}\"",
    ],
)
def test_not_narrowed(text: str) -> None:
    assert "E2005" in codes(check(text))


def test_narrowing_does_not_leak_through_rebinding() -> None:
    text = 'if customer.title {\n  for customer in [customer] { paragraph "{customer.title}" }\n}'
    # the loop variable `customer` is a new binding: it is the record, whose title is optional
    assert codes(check(text)) == ["E2005"]


# ---------------------------------------------------------------- statements and scopes


def test_let_is_block_scoped_and_ordered() -> None:
    text = (
        'if true { let x = 1 paragraph "{x}" }\nparagraph "{x}"\n'
        'paragraph "{y}"\nlet y = 2\nparagraph "{y}"\n'
    )
    assert codes(check(text)) == ["E1015", "E1015"]


def test_for_bindings_and_loop() -> None:
    text = (
        "for t, i in account.transactions {\n"
        '  paragraph "{i + 1}. {t.description} {loop.index}/{loop.length} '
        "{loop.first ? 'first' : ''} {loop.index0}\"\n"
        "}\n"
        'for n in notes ?? [] { paragraph "{n}" } else { paragraph "{n}" }\n'
    )
    assert codes(check(text)) == ["E1015"]


def test_table_and_chart_bindings() -> None:
    text = (
        'table account.transactions as tx empty: "{tx.amount}" {\n'
        '  column "Date {tx.date}" = tx.date\n'
        '  column "Amount" { paragraph "{tx.amount | money(\'EUR\')}" }\n'
        "  footer { row { cell = tx.amount } }\n"
        "}\n"
        'chart account.history ?? [] as m kind: line label: m.month value: m.balance alt: "x"\n'
    )
    # `tx` is the row: known in column values and bodies only
    assert codes(check(text)) == ["E1015", "E1015", "E1015"]


def test_input_fields() -> None:
    text = (
        'field reason { type: string label: "Reason" }\n'
        'field count { type: integer label: "Count" required: true }\n'
        'field rate { type: number label: "Rate" default: 1.5 }\n'
        "paragraph \"{input.reason ?? ''} {input.count + 1} {input.rate * 2} {input.nope}\"\n"
        'paragraph "{input.reason}"\n'
    )
    assert codes(check(text)) == ["E2001", "E2005"]


def test_locale_header() -> None:
    assert codes(check('paragraph "{locale | upper}"')) == []
    head = 'template "T" locale: language data: "statement.schema.json"\n'
    assert codes(check_raw(head)) == ["E2005"]
    head = 'template "T" locale: language ?? "en-GB" data: "statement.schema.json"\n'
    assert codes(check_raw(head)) == []
    assert codes(check_raw('template "T" locale: "xx-nope"\n')) == ["E1020"]
    assert codes(check_raw('template "T" locale: "de-CH" languages: ["en", "d e"]\n')) == ["E1020"]


def check_raw(text: str) -> CheckResult:
    from ccmlang.compiler.compile import check_source

    from .helpers import CASES

    return check_source(text + 'paragraph "x"\n', path="t.ccm", project_root=CASES, lint=False)


# ---------------------------------------------------------------- components


def test_component_arguments() -> None:
    lib = 'import "lib/brand.ccm" as brand\n'
    ok = [
        'use brand.panel("x")',
        'use brand.panel(title: "x") { paragraph "body" }',
        "if customer.address { use brand.address(customer.address) }",
        "if customer.address { use brand.address(to: customer.address, country: 'UK') }",
        "if customer.address { use brand.address(customer.address, customer.title) }",
    ]
    for text in ok:
        assert codes(check(lib + text)) == [], text
    assert codes(check(lib + "use brand.address(customer.address)")) == ["E2005"]
    assert codes(check(lib + "use brand.greeting(1)")) == ["E2006"]


def test_component_scope_is_its_parameters() -> None:
    text = (
        "component c(n: integer, items: list[string] = [], who: {name: string, age?: integer}?) {\n"
        "  paragraph \"{n + 1} {items | join(', ')} {locale} {customer.name}\"\n"
        '  if who { paragraph "{who.name} {who.age ?? 0}" }\n'
        "}\n"
        "use c(1, who: customer)\n"
    )
    result = check(text)
    assert codes(result) == ["E1015"]
    message = next(d for d in result.diagnostics if d.code == "E1015")
    assert any("parameter" in h.message for h in message.hints)


def test_component_parameter_types(tmp_path: Path) -> None:
    program = check(
        "type P = {name: string}\ncomponent c(a: P, b: list[P]?, c: money = 0) { slot }\n"
        'use c({name: "x"}) { paragraph "y" }\n'.replace('{name: "x"}', "customer")
    ).template
    assert program is not None
    info = program.program.root.components["c"]
    named = t.RecordT((("name", t.Field(t.STRING, True)),), name="P")
    assert [(n, ty) for n, ty, _ in info.params] == [
        ("a", named),
        ("b", t.OptionalT(t.ListT(named))),
        ("c", t.NUMBER),
    ]


def test_recursion_through_several_components() -> None:
    text = (
        "component a() { use b() }\ncomponent b() { box { use c() } }\n"
        "component c() { if true { use a() } }\ncomponent d() { use d() }\nuse a()\n"
    )
    result = check(text)
    assert codes(result) == ["E1012", "E1012"]
    chain = next(d for d in result.diagnostics if "`a` → `b` → `c` → `a`" in d.message)
    assert len(chain.labels) == 2


def test_variants_inside_if_and_for_in_text() -> None:
    head = 'template "T" languages: ["en", "de"] data: "statement.schema.json"\n'
    ok = (
        'paragraph { if customer.title { en: "Dear {customer.title}" de: "Liebe(r) '
        '{customer.title}" } else { en: "Hello" de: "Hallo" } }\n'
    )
    assert codes(check_raw(head + ok)) == []
    bad = 'paragraph { if true { en: "x" fr: "y" } for n in [1] { en: "{n}" widht: 1 } }\n'
    assert codes(check_raw(head + bad)) == ["E2010", "E2009", "E2010", "E1007"]


def test_options_inside_if_outside_text_are_misplaced() -> None:
    assert codes(check('box { if true { padding: 2mm } paragraph "x" }')) == ["E1007"]


def test_top_level_let_is_visible_in_page_furniture() -> None:
    text = (
        'page { footer { paragraph "{ref} {page}" } }\ndocument { title: "{ref}" }\n'
        'let ref = customer.id\nparagraph "{ref}"\n'
    )
    assert codes(check(text)) == []


def test_components_see_input() -> None:
    text = (
        'field note { type: text label: "Note" }\n'
        'component n() { if input.note { paragraph "{input.note}" } }\nuse n()\n'
    )
    assert codes(check(text)) == []
