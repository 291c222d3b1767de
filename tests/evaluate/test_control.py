"""Control flow: if/elif/else, for with loop and else, let scoping, components and slots."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ccmlang import layout
from ccmlang.compiler.evaluate import RenderError

from .conftest import Render
from .helpers import paragraphs, text_of


@pytest.mark.parametrize(
    ("balance", "expected"),
    [(Decimal("-5"), "overdrawn"), (Decimal("50"), "low"), (Decimal("500"), "healthy")],
)
def test_if_elif_else(render: Render, balance: Decimal, expected: str) -> None:
    doc = render(
        """
if balance < 0 { "overdrawn" } elif balance < 100 { "low" } else { "healthy" }
""",
        {"balance": balance},
    )
    assert paragraphs(doc) == [expected]


def test_for_with_loop_record_and_index(render: Render) -> None:
    doc = render(
        """
for x, i in xs {
  "{i}:{loop.index}/{loop.length} {x} first={loop.first} last={loop.last} i0={loop.index0}"
} else {
  "none"
}
""",
        {"xs": ["a", "b", "c"]},
    )
    assert paragraphs(doc) == [
        "0:1/3 a first=true last=false i0=0",
        "1:2/3 b first=false last=false i0=1",
        "2:3/3 c first=false last=true i0=2",
    ]


def test_for_else_on_empty_and_absent_lists(render: Render) -> None:
    source = 'for x in xs { "{x}" } else { "none" }'
    assert paragraphs(render(source, {"xs": []})) == ["none"]


def test_nested_loops_shadow_loop(render: Render) -> None:
    doc = render(
        'for a in xs { for b in xs { "{loop.index}" } "outer {loop.index}" }',
        {"xs": [1, 2]},
    )
    assert paragraphs(doc) == ["1", "2", "outer 1", "1", "2", "outer 2"]


def test_for_in_inline_text(render: Render) -> None:
    doc = render(
        'paragraph { "Tags: " for t, i in tags { if i > 0 { ", " } italic "{t}" } }',
        {"tags": ["a", "b"]},
    )
    assert text_of(doc.body) == "Tags: a, b"


def test_let_scoping(render: Render) -> None:
    doc = render(
        """
let total = a + b
"{total}"
if true {
  let total = total * 2
  "{total}"
}
"{total}"
for x in xs {
  let doubled = x * 2
  "{doubled}"
}
""",
        {"a": 1, "b": 2, "xs": [5, 6]},
    )
    assert paragraphs(doc) == ["3", "6", "3", "10", "12"]


def test_top_level_let_is_visible_in_page_furniture(render: Render) -> None:
    doc = render(
        'page { footer { paragraph "Ref {ref}" } }\nlet ref = "R-" + id\n"body"', {"id": "7"}
    )
    assert text_of(doc.rest.footer) == "Ref R-7"


def test_narrowing_at_runtime(render: Render) -> None:
    schema = {
        "type": "object",
        "properties": {"email": {"type": "string"}, "points": {"type": "integer"}},
    }
    source = """
if email { "Mail: {email | lower}" } else { "no mail" }
"{points ?? 0}"
"""
    assert paragraphs(render(source, {"email": "A@B.C"}, schema=schema)) == ["Mail: a@b.c", "0"]
    assert paragraphs(render(source, {"points": 3}, schema=schema)) == ["no mail", "3"]


def test_components_with_defaults_named_arguments_and_slot(render: Render) -> None:
    doc = render(
        """
component greeting(name: string, title: string? = null, formal: bool = true) {
  if formal { paragraph "Dear {title ?? 'customer'} {name}," } else { paragraph "Hello {name}," }
}
component panel(title: string) {
  box { heading title level: 3 slot }
}
use greeting(who)
use greeting(who, title: "Dr")
use greeting(who, formal: false)
use panel("Note") {
  paragraph "Caller sees {who}"
}
""",
        {"who": "Ann"},
    )
    assert paragraphs(doc) == ["Dear customer Ann,", "Dear Dr Ann,", "Hello Ann,"]
    box = doc.body[3]
    assert isinstance(box, layout.Box)
    assert [text_of(b) for b in box.blocks] == ["Note", "Caller sees Ann"]


def test_component_bodies_see_no_data_fields() -> None:
    """Components read their parameters, ``input`` and ``locale``; data fields are not in scope."""
    from ccmlang.compiler.evaluate_expr import ExprEvaluator, Scope

    from .helpers import parse

    ev = ExprEvaluator({"secret": "data"}, "en")
    ev.sealed = Scope({"locale": "en"}, None)
    component_scope = Scope({"x": 1}, ev.sealed)
    assert ev.eval(parse("secret"), component_scope) is None
    assert ev.eval(parse("locale"), component_scope) == "en"
    assert ev.eval(parse("secret"), Scope({}, None)) == "data"


def test_library_components_use_their_own_styles(render: Render, project: Path) -> None:
    (project / "lib.ccm").write_text(
        """library "Lib"
style note { color: #123456 }
component note(text: string) { paragraph "{text}" style: note }
""",
        encoding="utf-8",
    )
    doc = render('import "lib.ccm" as lib\nuse lib.note("hi")')
    (para,) = doc.body
    assert isinstance(para, layout.Paragraph) and para.style.color == "#123456"
    assert para.origin is not None and para.origin.file == "lib.ccm"


def test_language_variants_follow_the_locale(render: Render) -> None:
    source = """template "T" languages: ["en", "de", "fr"]
paragraph { en: "Thank you." de: "Vielen Dank." fr: "Merci." }
heading level: 2 { en: "Cover" de: "Schutz" fr: "Garanties" }
"""
    assert paragraphs(render(source, locale="de-CH")) == ["Vielen Dank.", "Schutz"]
    assert paragraphs(render(source, locale="fr-FR")) == ["Merci.", "Garanties"]
    assert paragraphs(render(source, locale="en-GB")) == ["Thank you.", "Cover"]
    # no variant for Italian: the first declared language
    assert paragraphs(render(source, locale="it-IT")) == ["Thank you.", "Cover"]


def test_language_variants_from_the_header_locale_expression(render: Render) -> None:
    source = """template "T" locale: lang ?? "en-GB" languages: ["en", "de"]
paragraph { en: "Balance {b | money('EUR')}" de: "Saldo {b | money('EUR')}" }
"""
    assert paragraphs(render(source, {"lang": "de-DE", "b": Decimal("1234.5")})) == [
        "Saldo 1.234,50\xa0€"
    ]
    assert paragraphs(render(source, {"b": Decimal("1234.5")})) == ["Balance €1,234.50"]


def test_locale_builtin(render: Render) -> None:
    assert paragraphs(render('"{locale}"', locale="fr-CH")) == ["fr-CH"]


def test_errors_stop_at_the_first_and_point_at_the_template(render: Render) -> None:
    with pytest.raises(RenderError) as caught:
        render('for x in xs { "{100 / x}" }', {"xs": [1, 0, 0]})
    (d,) = caught.value.diagnostics
    assert d.code == "E3008" and d.span is not None and d.span.text == "100 / x"
    assert d.span.line == 2  # the fixture adds the header line
