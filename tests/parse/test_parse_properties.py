"""Property tests: expressions round-trip through a printer; no input makes the parser raise."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccmlang.compiler import ast, parse
from ccmlang.compiler.diagnostics import DiagnosticSink
from ccmlang.compiler.parse import parse_expression, parse_module
from ccmlang.compiler.source import SourceFile

NAMES = st.sampled_from(["a", "customer", "tx", "first-name", "amount_2", "x"])
FILTERS = st.sampled_from(["money", "upper", "date", "sum", "length"])


def leaf() -> st.SearchStrategy[str]:
    return st.one_of(
        NAMES,
        st.integers(min_value=0, max_value=10**9).map(str),
        st.decimals(
            min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False
        ).map(lambda d: format(d, "f")),
        st.text(alphabet="abc XYZ-_.", max_size=8).map(lambda s: f"'{s}'"),
        st.sampled_from(["true", "false", "null", "10mm", "#a1b2c3", "2024-01-31"]),
    )


def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(
        inner,
        st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "and", "or", "??"]),
        inner,
    ).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    return st.one_of(
        binary,
        inner.map(lambda e: f"(-{e})"),
        inner.map(lambda e: f"(not {e})"),
        st.tuples(inner, NAMES).map(lambda t: f"({t[0]}).{t[1]}"),
        st.tuples(inner, FILTERS).map(lambda t: f"({t[0]} | {t[1]})"),
        st.tuples(inner, FILTERS, inner).map(lambda t: f"({t[0]} | {t[1]}({t[2]}))"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]})[{t[1]}]"),
    )


EXPRESSIONS = st.recursive(leaf(), extend, max_leaves=12)


def shape(e: ast.Expr) -> object:
    """A span-free structural form of an expression, for comparing two parses."""
    if isinstance(e, ast.Name):
        return ("name", e.name)
    if isinstance(e, ast.Attribute):
        return ("attr", shape(e.obj), e.name)
    if isinstance(e, ast.Subscript):
        return ("sub", shape(e.obj), shape(e.index))
    if isinstance(e, ast.Str):
        return ("str", tuple(p if isinstance(p, str) else shape(p) for p in e.parts))
    if isinstance(e, ast.Number):
        return ("num", e.value)
    if isinstance(e, ast.Length):
        return ("len", e.css)
    if isinstance(e, ast.Color | ast.DateLit | ast.Bool):
        return (type(e).__name__, e.value)
    if isinstance(e, ast.Null):
        return ("null",)
    if isinstance(e, ast.ListLit):
        return ("list", tuple(shape(i) for i in e.items))
    if isinstance(e, ast.Unary):
        return ("un", e.op, shape(e.operand))
    if isinstance(e, ast.Binary):
        return ("bin", e.op, shape(e.left), shape(e.right))
    if isinstance(e, ast.Conditional):
        return ("cond", shape(e.condition), shape(e.then), shape(e.otherwise))
    if isinstance(e, ast.Filter):
        return ("filter", shape(e.value), e.name, tuple((a.name, shape(a.value)) for a in e.args))
    raise AssertionError(e)


def show(e: ast.Expr) -> str:
    """Print an expression fully parenthesised (the inverse of parsing)."""
    if isinstance(e, ast.Name):
        return e.name
    if isinstance(e, ast.Attribute):
        return f"({show(e.obj)}).{e.name}"
    if isinstance(e, ast.Subscript):
        return f"({show(e.obj)})[{show(e.index)}]"
    if isinstance(e, ast.Str):
        assert all(isinstance(p, str) for p in e.parts)
        return "'" + "".join(str(p) for p in e.parts) + "'"
    if isinstance(e, ast.Number):
        return format(e.value, "f")
    if isinstance(e, ast.Length):
        return e.css
    if isinstance(e, ast.Color):
        return e.value
    if isinstance(e, ast.DateLit):
        return e.value.isoformat()
    if isinstance(e, ast.Bool):
        return "true" if e.value else "false"
    if isinstance(e, ast.Null):
        return "null"
    if isinstance(e, ast.ListLit):
        return "[" + ", ".join(show(i) for i in e.items) + "]"
    if isinstance(e, ast.Unary):
        return f"(-{show(e.operand)})" if e.op == "-" else f"(not {show(e.operand)})"
    if isinstance(e, ast.Binary):
        return f"({show(e.left)} {e.op} {show(e.right)})"
    if isinstance(e, ast.Conditional):
        return f"({show(e.condition)} ? {show(e.then)} : {show(e.otherwise)})"
    if isinstance(e, ast.Filter):
        args = ", ".join(show(a.value) for a in e.args)
        return (
            f"({show(e.value)} | {e.name}({args}))" if e.args else f"({show(e.value)} | {e.name})"
        )
    raise AssertionError(e)


def parse_expr(text: str) -> ast.Expr:
    file = SourceFile("e.ccm", text)
    sink = DiagnosticSink()
    expr = parse_expression(text, file, 0, sink)
    assert expr is not None and not sink.items, (text, [d.message for d in sink.items])
    return expr


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(EXPRESSIONS)
def test_expressions_round_trip(text: str) -> None:
    first = parse_expr(text)
    second = parse_expr(show(first))
    assert shape(first) == shape(second)


@given(st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False, allow_infinity=False))
def test_numbers_are_decimal_exactly(value: Decimal) -> None:
    expr = parse_expr(format(value, "f"))
    assert isinstance(expr, ast.Number) and expr.value == value


VALID = [
    'template "T" data: "s.json"\n',
    'paragraph "Hello {customer.name}" style: x\n',
    "table xs as x repeat-header: true { column \"A\" width: 20mm = x.a | money('EUR') }\n",
    "if a.b > 1 and not c { br } elif d { br } else { br }\n",
    'for t, i in xs { paragraph "{loop.index}" } else { paragraph "none" }\n',
    "style s extends b { size: 10pt margin: 1mm 2mm }\n",
    "component c(p: {a: string, b?: list[number]}, q: bool = false) { slot }\n",
    'use lib.c(x, q: true) { paragraph "y" }\n',
    'page first { size: A4 header { image "a.svg" alt: "x" } }\n',
]
NOISE = st.sampled_from(
    [*list("{}()[]\"'|.:,=?!#@$;\\/*-+<>"), "if", "for", "let", "use", " ", "\n", "é", "\x00"]
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.sampled_from(VALID), min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(min_value=0, max_value=400), NOISE, st.booleans()), max_size=6),
)
def test_mutated_sources_never_raise(parts: list[str], edits: list[tuple[int, str, bool]]) -> None:
    text = "".join(parts)
    for pos, noise, delete in edits:
        pos = pos % (len(text) + 1)
        text = text[:pos] + text[pos + 1 :] if delete else text[:pos] + noise + text[pos:]
    sink = DiagnosticSink()
    module = parse_module(SourceFile("m.ccm", text), sink)
    assert isinstance(module, ast.Module)
    for diagnostic in sink.items:
        assert diagnostic.code.startswith("E0")
        assert diagnostic.span is not None
        assert 0 <= diagnostic.span.start <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    sink = DiagnosticSink()
    parse_module(SourceFile("r.ccm", text), sink)


# ---------------------------------------------------------------- statement-at-a-time parsing

SPLIT_NOISE = st.sampled_from(
    [
        *list("{}()\"'=:?\n "),
        "\nparagraph ",
        "\nbr\n",
        "\nstyle: x\n",
        "\nstyle s {}\n",
        "\nelse { br }\n",
        "\nif x { br }\n",
        '\n"text"\n',
        "\n// c\n",
        "\n/* \n table */\n",
        '"\ntable "',
        "\nlist",
        "\ntype: ",
        "\nheader? : 1\n",
    ]
)


def _check_split_matches_whole(text: str) -> None:
    """Parsing one top-level statement at a time (the fast path, trees cached by text) must give
    exactly what parsing the whole file gives, or decline and leave it to the whole-file parse."""
    file = SourceFile("m.ccm", text)
    split_sink, whole_sink, module_sink = DiagnosticSink(), DiagnosticSink(), DiagnosticSink()
    split = parse._parse_by_statement(file, split_sink)
    whole = parse._parse_whole(file, whole_sink)
    module = parse.parse_module(file, module_sink)  # whichever path it takes
    assert module.items == whole.items
    assert module_sink.items == whole_sink.items
    if split is None:
        return
    assert tuple(split) == whole.items
    assert split_sink.items == whole_sink.items


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.sampled_from(VALID), min_size=1, max_size=8),
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=600), SPLIT_NOISE, st.booleans()), max_size=5
    ),
)
def test_statement_split_parses_like_the_whole_file(
    parts: list[str], edits: list[tuple[int, str, bool]]
) -> None:
    text = "".join(parts)
    for pos, noise, delete in edits:
        pos = pos % (len(text) + 1)
        text = text[:pos] + text[pos + 1 :] if delete else text[:pos] + noise + text[pos:]
    _check_split_matches_whole(text)


def test_statement_split_on_every_project_template() -> None:
    root = Path(__file__).resolve().parents[2]
    files = sorted([*root.glob("examples/**/*.ccm"), *root.glob("spec/examples/*.ccm")])
    assert len(files) >= 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert parse._parse_by_statement(SourceFile(str(path), text), DiagnosticSink()) is not None
        _check_split_matches_whole(text)


def test_no_diagnostic_is_reported_twice_when_the_split_declines() -> None:
    """A bad interpolation early (reported while building) and a syntax error later (the split
    declines, the whole file is parsed): each problem is reported once."""
    text = 'paragraph "Hello {customer.}"\nparagraph "ok"\ntable {\n'
    sink = DiagnosticSink()
    parse_module(SourceFile("m.ccm", text), sink)
    whole = DiagnosticSink()
    parse._parse_whole(SourceFile("m.ccm", text), whole)
    assert [d.code for d in sink.items] == [d.code for d in whole.items]
    assert len({(d.code, d.span.start) for d in sink.items if d.span}) == len(sink.items)
