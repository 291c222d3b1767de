"""Parser: shapes, spans, interpolation, and syntax errors with recovery (spec/language.md)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ccmlang.compiler import ast
from ccmlang.compiler.diagnostics import DiagnosticSink
from ccmlang.compiler.parse import MAX_NESTING, load_source, parse_module
from ccmlang.compiler.source import MAX_SOURCE_BYTES, SourceFile


def parse(text: str) -> tuple[ast.Module, DiagnosticSink]:
    sink = DiagnosticSink()
    return parse_module(SourceFile("t.ccm", text), sink), sink


def only(text: str) -> ast.Item:
    module, sink = parse(text)
    assert not sink.items, [d.message for d in sink.items]
    assert len(module.items) == 1
    return module.items[0]


def codes(sink: DiagnosticSink) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.line, d.span.column) for d in sink.sorted() if d.span]


def test_element_shape_positional_options_value_body() -> None:
    item = only('column "Amount" width: 30mm align: right = tx.amount | money("EUR")')
    assert isinstance(item, ast.Element)
    assert item.keyword == "column"
    assert isinstance(item.positional, ast.Str) and item.positional.constant == "Amount"
    assert [o.name for o in item.options] == ["width", "align"]
    width = item.options[0].value
    assert isinstance(width, ast.Length) and width.css == "30mm"
    assert isinstance(item.value, ast.Filter) and item.value.name == "money"


def test_options_before_positional_and_in_body() -> None:
    item = only('paragraph style: brand.warning "Overdrawn" { align: center }')
    assert isinstance(item, ast.Element)
    assert item.option("style") is not None and item.option("align") is not None
    style = item.option("style")
    assert style is not None and isinstance(style.value, ast.Attribute)


def test_keyword_named_options_do_not_clash() -> None:
    item = only('field reason { type: string label: "Reason" style: x }')
    assert isinstance(item, ast.Element)
    assert [o.name for o in item.all_options] == ["type", "label", "style"]


def test_tuple_values_for_shorthands() -> None:
    item = only("page { margin: 18mm 20mm 15mm 20mm border: 0.5pt #cccccc }")
    assert isinstance(item, ast.Element)
    margin = item.option("margin")
    assert margin is not None and len(margin.extra) == 3
    border = item.option("border")
    assert border is not None and isinstance(border.extra[0], ast.Color)


def test_table_binding() -> None:
    item = only("table account.transactions as tx { column = tx.date }")
    assert isinstance(item, ast.Element)
    assert item.binding == "tx"


def test_control_flow() -> None:
    module, sink = parse(
        """
        if a { br } elif b { br } else { br }
        for x, i in xs { br } else { br }
        let total = xs | sum("amount")
        use brand.panel("Title", open: true) { slot }
        """
    )
    assert not sink.items
    if_, for_, let, use = module.items
    assert isinstance(if_, ast.If) and len(if_.branches) == 2 and if_.otherwise is not None
    assert isinstance(for_, ast.For) and for_.index_var == "i" and for_.otherwise is not None
    assert isinstance(let, ast.Let) and let.name == "total"
    assert isinstance(use, ast.Use) and use.target == ("brand", "panel")
    assert [a.name for a in use.args] == [None, "open"] and use.body is not None


def test_declarations() -> None:
    module, sink = parse(
        """
        import "../brand/brand.ccm" as brand
        style warning extends brand.body { color: #B00020 weight: bold }
        type Party = { name: string, line2?: string, tags: list[string]? }
        component address(to: Party, show-country: bool = false) { paragraph "{to.name}" }
        """
    )
    assert not sink.items
    imp, style, type_, comp = module.items
    assert isinstance(imp, ast.Import) and imp.alias == "brand"
    assert isinstance(style, ast.StyleDecl) and style.extends == ("brand", "body")
    color = style.body.options[0].value
    assert isinstance(color, ast.Color) and color.value == "#b00020"
    assert isinstance(type_, ast.TypeDecl) and isinstance(type_.type, ast.RecordType)
    fields = {f.name: f for f in type_.type.fields}
    assert fields["line2"].optional and isinstance(fields["tags"].type, ast.OptionalType)
    assert isinstance(comp, ast.ComponentDecl) and [p.name for p in comp.params] == [
        "to",
        "show-country",
    ]


def test_precedence() -> None:
    item = only("let x = -a.b ?? d | money(c)")
    assert isinstance(item, ast.Let)
    # pipe is looser than ??, which is looser than unary minus
    assert isinstance(item.value, ast.Filter)
    inner = item.value.value
    assert isinstance(inner, ast.Binary) and inner.op == "??"
    assert isinstance(inner.left, ast.Unary)
    item = only("let y = a + b * c == d and not e or f")
    assert isinstance(item, ast.Let)
    top = item.value
    assert isinstance(top, ast.Binary) and top.op == "or"
    left = top.left
    assert isinstance(left, ast.Binary) and left.op == "and"
    cmp = left.left
    assert isinstance(cmp, ast.Binary) and cmp.op == "=="
    add = cmp.left
    assert isinstance(add, ast.Binary) and add.op == "+"
    assert isinstance(add.right, ast.Binary) and add.right.op == "*"


def test_literals() -> None:
    item = only(
        'let v = [1.50, 2024-02-29, true, null, "s", 10pt, #abc, a in b, a not in b, c ? 1 : 2]'
    )
    assert isinstance(item, ast.Let) and isinstance(item.value, ast.ListLit)
    number, date, boolean, null, string, length, color, in_, not_in, cond = item.value.items
    assert isinstance(string, ast.Str) and string.constant == "s"
    assert isinstance(number, ast.Number) and number.value == Decimal("1.50")
    assert isinstance(date, ast.DateLit) and date.value.isoformat() == "2024-02-29"
    assert isinstance(boolean, ast.Bool) and isinstance(null, ast.Null)
    assert isinstance(length, ast.Length) and isinstance(color, ast.Color)
    assert isinstance(in_, ast.Binary) and in_.op == "in"
    assert isinstance(not_in, ast.Binary) and not_in.op == "not in"
    assert isinstance(cond, ast.Conditional)


def test_hyphenated_names() -> None:
    item = only("let x = customer.first-name")
    assert isinstance(item, ast.Let) and isinstance(item.value, ast.Attribute)
    assert item.value.name == "first-name"


def test_interpolation_parts_and_spans() -> None:
    text = "paragraph \"Hello {customer.name}, you owe {x | money('EUR')}. {{literal}}\""
    item = only(text)
    assert isinstance(item, ast.Element) and isinstance(item.positional, ast.Str)
    parts = item.positional.parts
    assert parts[0] == "Hello "
    name = parts[1]
    assert isinstance(name, ast.Attribute)
    assert name.span.text == "customer.name"
    assert name.name_span.text == "name"
    money = parts[3]
    assert isinstance(money, ast.Filter) and money.span.text == "x | money('EUR')"
    assert parts[-1] == ". {literal}"


def test_escapes() -> None:
    item = only(r'paragraph "a\"b\\c\nd\{e"')
    assert isinstance(item, ast.Element) and isinstance(item.positional, ast.Str)
    assert item.positional.parts == ('a"b\\c\nd{e',)


def test_comments_are_ignored() -> None:
    module, sink = parse("// line\n/* block\n comment */ br // trailing\n")
    assert not sink.items and len(module.items) == 1


def test_span_line_and_column() -> None:
    module, _ = parse('\n\n  heading "x"\n')
    item = module.items[0]
    assert isinstance(item, ast.Element)
    assert (item.span.line, item.span.column) == (3, 3)


# ---------------------------------------------------------------- errors


def test_several_independent_syntax_errors_are_all_reported() -> None:
    _, sink = parse(
        'template "Bad"\n'
        'paragraph "Hello {customer.name"\n'
        'heading "ok"\n'
        'if a > { paragraph "x" }\n'
        "let y = 3 ;\n"
        'paragraph "fine {a + }"\n'
        "box {\n"
        '  paragraph "unclosed\n'
    )
    found = codes(sink)
    assert ("E0004", 2, 18) in found
    assert ("E0001", 4, 8) in found
    assert ("E0002", 5, 11) in found
    assert ("E0004", 6, 22) in found
    assert ("E0002", 8, 13) in found
    assert any(code == "E0003" for code, _, _ in found)


def test_error_says_what_was_expected_and_what_was_open() -> None:
    _, sink = parse("if a > { br }")
    (diag,) = sink.items
    assert diag.code == "E0001"
    assert "expected an expression" in diag.message
    assert diag.labels and "`if`" in diag.labels[0].message


def test_unclosed_brace_points_at_opener() -> None:
    _, sink = parse('box {\n  paragraph "x"\n')
    (diag,) = sink.items
    assert diag.code == "E0003"
    assert any(label.span.line == 1 for label in diag.labels)


def test_keyword_used_as_field_gets_a_hint() -> None:
    _, sink = parse("paragraph table.name")
    assert sink.items
    assert any("(table." in h.message for d in sink.items for h in d.hints)


def test_bad_date_literal() -> None:
    _, sink = parse("let d = 2024-02-30")
    assert [d.code for d in sink.items] == ["E0011"]


def test_nesting_limit_is_a_diagnostic_not_a_recursion_error() -> None:
    deep = "box {" * 10_000 + "}" * 10_000
    _, sink = parse(deep)
    assert [d.code for d in sink.items] == ["E0009"]
    chain = "let x = " + "-" * 10_000 + "a"
    _, sink = parse(chain)
    assert [d.code for d in sink.items] == ["E0009"]
    dotted = "let x = a" + ".b" * 10_000
    _, sink = parse(dotted)
    assert [d.code for d in sink.items] == ["E0009"]
    assert MAX_NESTING == 64


def test_too_many_errors_stops(tmp_path: Path) -> None:
    _, sink = parse("\n".join("let = ;" for _ in range(200)))
    assert any(d.code == "E0010" for d in sink.items)


# ---------------------------------------------------------------- files


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "E0007"),
        (b"   \n\n", "E0007"),
        (b'template "x"\nparagraph "caf\xe9"\n', "E0006"),
        (b"x" * (MAX_SOURCE_BYTES + 1), "E0008"),
    ],
)
def test_bad_files_get_clear_errors(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "bad.ccm"
    path.write_bytes(content)
    sink = DiagnosticSink()
    assert load_source(path, sink) is None
    assert [d.code for d in sink.items] == [code]


def test_non_utf8_error_points_at_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ccm"
    path.write_bytes(b'template "x"\nparagraph "caf\xe9"\n')
    sink = DiagnosticSink()
    load_source(path, sink)
    (diag,) = sink.items
    assert diag.span is not None and diag.span.line == 2
    assert "0xe9" in diag.message


def test_missing_file(tmp_path: Path) -> None:
    sink = DiagnosticSink()
    assert load_source(tmp_path / "nope.ccm", sink) is None
    assert [d.code for d in sink.items] == ["E0012"]


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.ccm"
    path.write_bytes(b'\xef\xbb\xbftemplate "x"\n')
    sink = DiagnosticSink()
    file = load_source(path, sink)
    assert file is not None and not sink.items


def test_parse_tree_cache_is_bounded_by_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every save in the preview adds the edited statement's tree: old ones must go."""
    from ccmlang.compiler import parse

    parse.clear_cache()
    monkeypatch.setattr(parse, "TREE_CACHE_CHARS", 200)
    for i in range(50):
        text = f'paragraph "edit number {i} of a long session"\n'
        module = parse.parse_module(SourceFile("m.ccm", text), DiagnosticSink())
        assert module.items  # parsed correctly whether cached or not
    assert 0 < parse._tree_chars <= 200
    assert sum(len(text) for _, text in parse._TREES) == parse._tree_chars
    parse.clear_cache()
    assert not parse._TREES and parse._tree_chars == 0
