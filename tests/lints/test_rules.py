"""Each lint rule on a failing and a passing snippet (sqlfluff-style case tables)."""

from __future__ import annotations

import pytest

from ccmlang.compiler.lints import BUILTIN_RULES, LintRule

from .helpers import codes, lint

T = 'template "T"\ndocument { title: "T" }\n'
"""A header that passes `document.no-title`."""

# (rule code, failing source, passing source)
CASES: list[tuple[str, str, str]] = [
    (
        "W101",
        T + 'style loud { weight: bold }\nparagraph "x"\n',
        T + 'style loud { weight: bold }\nparagraph "x" style: loud\n',
    ),
    (
        "W101",
        T + "style base { size: 9pt }\nstyle loud extends base { weight: bold }\n",
        T
        + 'style base { size: 9pt }\nstyle loud extends base { weight: bold }\nparagraph "x" style: loud\n',
    ),
    (
        "W101",
        T + "style x { size: 9pt }\n",
        T + "style heading-2 { size: 9pt }\nstyle body { size: 9pt }\n",
    ),
    (
        "W102",
        T + 'component sig() { paragraph "x" }\n',
        T + 'component sig() { paragraph "x" }\nuse sig()\n',
    ),
    (
        "W103",
        T + 'import "b.ccm" as brand\nparagraph "x"\n',
        T + 'import "b.ccm" as brand\nparagraph "x" style: brand.warning\n',
    ),
    (
        "W103",
        T + 'import "b.ccm" as brand\n',
        T + 'import "b.ccm" as brand\nuse brand.letterhead()\n',
    ),
    (
        "W103",
        T + 'import "b.ccm" as brand\n',
        T + 'import "b.ccm" as brand\ncomponent a(to: brand.Address) { paragraph "x" }\nuse a(1)\n',
    ),
    (
        "W104",
        T + 'image "logo.svg" width: 30mm\n',
        T + 'image "logo.svg" alt: "Northwind" width: 30mm\n',
    ),
    ("W104", T + 'qr "https://x.example" alt: ""\n', T + 'image "rule.svg" alt: ""\n'),
    (
        "W104",
        T + "chart h as m kind: bar label: m.a value: m.b\n",
        T + 'chart h as m kind: bar label: m.a value: m.b alt: "Balance"\n',
    ),
    (
        "W105",
        T + 'heading "A"\nheading "B" level: 3\n',
        T + 'heading "A"\nheading "B" level: 2\nheading "C" level: 3\nheading "D"\n',
    ),
    (
        "W105",
        T + 'component p() { heading "A" level: 2\n heading "B" level: 4 }\nuse p()\n',
        T + 'component p() { heading "A" level: 3 }\nuse p()\n',
    ),
    (
        "W106",
        T + 'table xs as x empty: "-" { column = x.a }\n',
        T + 'table xs as x empty: "-" { column "A" = x.a }\n',
    ),
    (
        "W106",
        T + 'table { row { cell "a" } }\n',
        T + 'table { header { row { cell "A" } } row { cell "a" } }\n',
    ),
    ("W107", 'template "T"\nparagraph "x"\n', T + 'paragraph "x"\n'),
    (
        "W107",
        'template "T"\ndocument { author: "me" }\n',
        'template "T"\ndocument { title: "Letter {n}" }\n',
    ),
    (
        "W108",
        'template "T" languages: ["en", "de"]\nparagraph "Hello"\n',
        'template "T" languages: ["en", "de"]\nparagraph { en: "Hello" de: "Hallo" }\nparagraph "{customer.name} – 42"\n',
    ),
    (
        "W108",
        'template "T" languages: ["en", "de"]\neditable e { paragraph "Kind regards" }\n',
        'template "T" languages: ["en", "de"]\neditable e label: "Closing words" '
        '{ paragraph { en: "Kind regards" de: "Mit freundlichen Grüßen" } }\n',
    ),
    (
        "W108",
        'template "T" languages: ["en", "de"]\nimage "x.svg" alt: "Logo"\n',
        'template "T" languages: ["en"]\nimage "x.svg" alt: "Logo"\n',
    ),
    (
        "W109",
        T + 'style fine { color: #aaaaaa }\nparagraph "x" style: fine\n',
        T + 'style fine { color: #595959 }\nparagraph "x" style: fine\n',
    ),
    (
        "W109",
        T + 'style inv { background: #333333 }\nparagraph "x" style: inv\n',
        T + 'style inv { background: #333333 color: #ffffff }\nparagraph "x" style: inv\n',
    ),
    (
        "W109",
        T + 'style big { color: #888888 size: 12pt }\nparagraph "x" style: big\n',
        T + 'style big { color: #888888 size: 18pt }\nparagraph "x" style: big\n',
    ),
    ("W110", T + 'let total = 3\nparagraph "x"\n', T + 'let total = 3\nparagraph "{total}"\n'),
    ("W110", T + 'if a { let t = 1 }\nparagraph "{t}"\n', T + 'paragraph "{t}"\nlet t = 1\n'),
    (
        "W111",
        T + 'font "Serif" { regular: "s.ttf" }\n',
        T + 'font "Serif" { regular: "s.ttf" }\nstyle body { font: "Serif" }\n',
    ),
    ("W112", T + 'paragraph "x"\npage-break\n', T + 'page-break\nparagraph "x"\n'),
    (
        "W112",
        T + 'for x in xs { paragraph "x" page-break }\n',
        T + 'for x, i in xs { if i > 0 { page-break } paragraph "x" }\n',
    ),
    (
        "W113",
        T + 'table xs as x { column "A" = x.a }\n',
        T + 'table xs as x empty: "None." { column "A" = x.a }\n',
    ),
    (
        "W114",
        T + 'paragraph "Lorem ipsum dolor"\n',
        T + '// TODO: nicer wording\nparagraph "Welcome"\n',
    ),
    (
        "W114",
        T + 'paragraph "Your adviser: TBD"\n',
        T + 'paragraph "Your adviser: {adviser.name}"\n',
    ),
    (
        "W115",
        T + 'paragraph { link "click here" href: "https://x" }\n',
        T + 'paragraph { link "our fees" href: "https://x" }\n',
    ),
]

BRAND = 'library "b"\nstyle warning { color: #b00020 }\ncomponent letterhead() { paragraph "x" }\ntype Address = { name: string }\n'


@pytest.mark.parametrize(
    ("code", "fail", "ok"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule(code: str, fail: str, ok: str) -> None:
    imports = {"brand": BRAND} if "import" in fail else None
    assert code in codes(fail, imports=imports), lint(fail, imports=imports)
    assert code not in codes(ok, imports={"brand": BRAND} if "import" in ok else None)


def test_every_rule_has_a_case() -> None:
    tested = {c for c, _, _ in CASES}
    assert tested == {r.code for r in BUILTIN_RULES}


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.code)
def test_rule_metadata(rule: LintRule) -> None:
    doc = type(rule).__doc__ or ""
    assert "Anti-pattern" in doc and "Best practice" in doc
    assert rule.code.startswith("W1") and len(rule.code) == 4
    assert "." in rule.name and rule.summary
    assert rule.severity.value == "warning"


def test_codes_and_names_unique() -> None:
    assert len({r.code for r in BUILTIN_RULES}) == len(BUILTIN_RULES)
    assert len({r.name for r in BUILTIN_RULES}) == len(BUILTIN_RULES)


def test_libraries_keep_their_exports() -> None:
    lib = 'library "L"\nstyle unused { size: 9pt }\ncomponent c() { paragraph "x" }\nfont "F" { regular: "f.ttf" }\n'
    assert codes(lib) == []


def test_lints_in_imported_library_point_into_it() -> None:
    lib = 'library "b"\ncomponent logo() { image "logo.svg" }\n'
    (d,) = [
        d
        for d in lint(T + 'import "b.ccm" as brand\nuse brand.logo()\n', imports={"brand": lib})
        if d.code == "W104"
    ]
    assert d.span is not None and d.span.file.path == "brand.ccm" and d.span.line == 2


def test_contrast_message_and_suggestion() -> None:
    (d,) = [
        d
        for d in lint(T + 'style fine { color: #aaaaaa }\nparagraph "x" style: fine\n')
        if d.code == "W109"
    ]
    assert (
        d.message
        == "contrast of `#aaaaaa` on `#ffffff` (white paper) is 2.32:1; WCAG AA needs 4.5:1 for body text"
    )
    assert "#" in d.hints[0].message


def test_heading_skip_points_at_level_and_previous_heading() -> None:
    (d,) = [d for d in lint(T + 'heading "A"\nheading "B" level: 3\n') if d.code == "W105"]
    assert d.span is not None and d.span.text == "level: 3"
    assert d.labels[0].message == "the previous heading is level 1"


def test_placeholder_span_is_exact() -> None:
    (d,) = [d for d in lint(T + 'paragraph "Adviser: TBD."\n') if d.code == "W114"]
    assert d.span is not None and d.span.text == "TBD"


def test_diagnostics_sorted_and_named() -> None:
    ds = lint('template "T"\nimage "a.svg"\nlet x = 1\n')
    assert [d.code for d in ds] == ["W107", "W104", "W110"]
    assert all(d.name for d in ds)
