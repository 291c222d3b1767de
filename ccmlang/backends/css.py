"""Styles and page masters to CSS (spec/backends.md, "HTML and CSS mapping").

The stylesheet depends only on the document's *shape*: its styles, page masters and fonts, never
on record text. The PDF backend parses it once and caches the parsed object by content hash, and
the per-record HTML carries no ``<style>`` (ARCHITECTURE.md, "Compile once, render many").

Class names are derived from content, so they are deterministic and independent of the order in
which nodes are met: each distinct :class:`~ccmlang.layout.Style` gets ``h-<hash>`` carrying its
properties, and a named style also gets ``s-<name>`` (``s-brand-warning``) as a stable hook for
designers' own CSS. Every value is checked before it is written (no ``;``, braces, quotes or
``url(`` can get through), and strings are CSS-escaped, so template values cannot inject CSS.

Page furniture follows CSS Paged Media and GCPM: headers and footers are *running elements*
(``position: running(ccm-header-rest)``) placed in ``@top-center``/``@bottom-center`` margin boxes
with ``element()``; page numbers are ``counter(page)``/``counter(pages)``, which WeasyPrint 70
resolves per page inside running elements.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import quote

from ccmlang import layout
from ccmlang.backends.base import BackendError
from ccmlang.backends.inventory import Inventory, collect

GENERIC_FAMILIES = frozenset(
    {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math", "emoji"}
)
ALIGNMENTS = frozenset({"left", "right", "center", "justify"})
RUNNING = ("ccm-header-first", "ccm-header-rest", "ccm-footer-first", "ccm-footer-rest")

# A CSS value we write must be made of these characters only: no ; { } " ' \ ( ) / : < >.
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9#%.,+\- ]+$")
_TO_PT = {
    "pt": Decimal(1),
    "mm": Decimal(72) / Decimal("25.4"),
    "cm": Decimal(720) / Decimal("25.4"),
    "q": Decimal(18) / Decimal("25.4"),
    "in": Decimal(72),
    "pc": Decimal(12),
    "px": Decimal("0.75"),
}
EMPTY_STYLE = _EMPTY = layout.Style()
_LENGTH = re.compile(r"^(-?\d+(?:\.\d+)?)([a-z]*)$")

BASE_RULES = """\
html, body { margin: 0; padding: 0; }
figure { margin: 0; }
figure.ccm-figure, figure.ccm-graphic { line-height: 0; }
figure.ccm-figure img, figure.ccm-graphic img { display: inline-block; vertical-align: top; }
table.ccm-table { border-collapse: collapse; width: 100%; }
table.ccm-fixed { table-layout: fixed; }
table.ccm-table > thead { display: table-header-group; }
table.ccm-table > thead.ccm-no-repeat { display: table-row-group; }
table.ccm-table > tfoot { display: table-row-group; }
table.ccm-table > tbody > tr { break-inside: avoid; }
table.ccm-table td, table.ccm-table th { vertical-align: top; }
td.ccm-a-left, th.ccm-a-left { text-align: left; }
td.ccm-a-right, th.ccm-a-right { text-align: right; }
td.ccm-a-center, th.ccm-a-center { text-align: center; }
td.ccm-a-justify, th.ccm-a-justify { text-align: justify; }
caption { caption-side: top; text-align: left; }
.ccm-keep { break-inside: avoid; }
.ccm-page-break { break-before: page; height: 0; margin: 0; padding: 0; border: 0; }
.ccm-columns { display: table; table-layout: fixed; width: 100%; border-collapse: separate; \
border-spacing: 0; }
.ccm-column { display: table-cell; vertical-align: top; }
.ccm-spacer { margin: 0; padding: 0; }
hr.ccm-rule { border: 0; margin: 0; height: 0; }
.ccm-page::after { content: counter(page); }
.ccm-pages::after { content: counter(pages); }
.ccm-header-first { position: running(ccm-header-first); }
.ccm-header-rest { position: running(ccm-header-rest); }
.ccm-footer-first { position: running(ccm-footer-first); }
.ccm-footer-rest { position: running(ccm-footer-rest); }
"""

SCREEN_RULES = """\
@media screen {
  body { display: flex; flex-direction: column; box-sizing: border-box; margin: 1em auto; \
max-width: %(width)s; padding: %(margin)s; background: #fff; }
  .ccm-running { position: static; }
  footer.ccm-running { order: 1; }
  .ccm-screen-hidden { display: none; }
  .ccm-page::after { content: "1"; }
  .ccm-pages::after { content: "1"; }
}
"""


# ---------------------------------------------------------------- values


def _bad(what: str, value: str) -> BackendError:
    return BackendError(f"{what} {value!r} is not a valid CSS value", code="E3008")


def value(text: str, what: str = "value") -> str:
    """A CSS value from the layout tree, refused (``E3008``) if it could break out of it."""
    text = text.strip()
    if not text or not _SAFE_VALUE.match(text):
        raise _bad(what, text)
    return text


_CSS_UNSAFE = re.compile('["\\\\<>\\x00-\\x1f\\x7f]')


@lru_cache(maxsize=1024)
def css_string(text: str) -> str:
    """A double-quoted CSS string; ``<``/``>`` escaped too, so it is safe inside ``<style>``.

    Cached: inlined fonts are the same (hash-cached) string for every record of a batch."""
    return '"' + _CSS_UNSAFE.sub(lambda m: f"\\{ord(m.group()):x} ", text) + '"'


def font_family(text: str) -> str:
    families = []
    for name in text.split(","):
        name = name.strip().strip("\"'").strip()
        if not name:
            continue
        families.append(name if name.lower() in GENERIC_FAMILIES else css_string(name))
    if not families:
        raise _bad("font family", text)
    return ", ".join(families)


def add_lengths(a: str, b: str) -> str:
    """``a + b`` as one CSS length (absolute units are summed in points, others use calc())."""
    ma, mb = _LENGTH.match(a.strip().lower()), _LENGTH.match(b.strip().lower())
    if ma and mb:
        ua, ub = ma[2] or "pt", mb[2] or "pt"
        if ua in _TO_PT and ub in _TO_PT:
            try:
                total = Decimal(ma[1]) * _TO_PT[ua] + Decimal(mb[1]) * _TO_PT[ub]
            except InvalidOperation:  # pragma: no cover - the regex admits only numbers
                raise _bad("length", a) from None
            return f"{total.quantize(Decimal('0.001')).normalize():f}pt"
    return f"calc({value(a, 'length')} + {value(b, 'length')})"


def _border(border: layout.Border) -> str:
    return (
        f"{value(border.width, 'border width')} {value(border.style, 'border style')} "
        f"{value(border.color, 'border colour')}"
    )


@lru_cache(maxsize=4096)
def declarations(style: layout.Style) -> tuple[tuple[str, str], ...]:
    """The CSS declarations of one style, in a fixed order."""
    s = style
    out: list[tuple[str, str]] = []
    if s.font_family is not None:
        out.append(("font-family", font_family(s.font_family)))
    simple = (
        ("font-size", s.font_size),
        ("font-weight", s.font_weight),
        ("font-style", s.font_style),
        ("color", s.color),
        ("background-color", s.background),
        ("line-height", s.line_height),
        ("letter-spacing", s.letter_spacing),
        ("text-align", s.text_align),
        ("text-transform", s.text_transform),
        ("text-decoration", s.text_decoration),
        ("margin-top", s.space_before),
        ("margin-bottom", s.space_after),
    )
    out.extend((prop, value(v, prop)) for prop, v in simple if v is not None)
    if s.padding is not None:
        out.append(("padding", " ".join(value(v, "padding") for v in s.padding)))
    if s.border is not None:
        for side, border in zip(("top", "right", "bottom", "left"), s.border, strict=True):
            out.append((f"border-{side}", _border(border)))
    extra = (("border-radius", s.border_radius), ("width", s.width), ("min-height", s.min_height))
    out.extend((prop, value(v, prop)) for prop, v in extra if v is not None)
    return tuple(out)


def declaration_block(decls: Iterable[tuple[str, str]]) -> str:
    return "; ".join(f"{p}: {v}" for p, v in decls)


def _digest(text: str, size: int = 8) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:size]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@lru_cache(maxsize=4096)
def style_class(style: layout.Style) -> str:
    """The content-hash class carrying the style's properties (``""`` when it has none)."""
    decls = declarations(style)
    return f"h-{_digest(declaration_block(decls))}" if decls else ""


@lru_cache(maxsize=4096)
def style_classes(style: layout.Style) -> str:
    """Every class a node with this style carries: ``s-<name>`` hook, then ``h-<hash>``."""
    names = []
    if style.name:
        named = slug(style.name)
        if named:
            names.append(f"s-{named}")
    hashed = style_class(style)
    if hashed:
        names.append(hashed)
    return " ".join(names)


def zebra_class(colour: str) -> str:
    return f"z-{_digest(value(colour, 'zebra colour'))}"


# ---------------------------------------------------------------- rules


def font_face_rules(
    fonts: Iterable[layout.FontFace], src: Callable[[layout.FontFace], str] | None = None
) -> str:
    """``@font-face`` rules; ``src`` maps a face to its URL (default: its project path)."""
    rules = []
    for face in fonts:
        url = src(face) if src is not None else quote(face.src, safe="/")
        rules.append(
            "@font-face { "
            f"font-family: {css_string(face.family.strip())}; "
            f"src: url({css_string(url)}); "
            f"font-weight: {value(face.weight, 'font weight')}; "
            f"font-style: {value(face.style, 'font style')}; }}\n"
        )
    return "".join(rules)


def _page_rule(selector: str, master: layout.PageMaster, variant: str) -> str:
    top, right, bottom, left = (value(m, "page margin") for m in master.margin)
    page_top = add_lengths(top, master.header_height) if master.header_height else top
    page_bottom = add_lengths(bottom, master.footer_height) if master.footer_height else bottom
    size = f"{value(master.width, 'page width')} {value(master.height, 'page height')}"
    header = footer = "content: none;"
    if master.header:
        header = f"content: element(ccm-header-{variant}); width: 100%;"
        if master.header_height:
            header += f" margin-top: {top}; height: {value(master.header_height)};"
            header += " vertical-align: top;"
    if master.footer:
        footer = f"content: element(ccm-footer-{variant}); width: 100%;"
        if master.footer_height:
            footer += f" margin-bottom: {bottom}; height: {value(master.footer_height)};"
            footer += " vertical-align: bottom;"
    return (
        f"{selector} {{ size: {size}; margin: {page_top} {right} {page_bottom} {left};\n"
        f"  @top-center {{ {header} }}\n"
        f"  @bottom-center {{ {footer} }}\n}}\n"
    )


def page_rules(document: layout.Document) -> str:
    """``@page`` for every page and ``@page :first`` when the document has a first master."""
    rules = _page_rule("@page", document.rest, "rest")
    if document.first is not None:
        rules += _page_rule("@page :first", document.first, "first")
    return rules


def layout_rules(document: layout.Document, found: Inventory | None = None) -> str:
    """Every rule except ``@font-face``: pages, base style, structure, zebras, styles.

    ``found`` is what the HTML builder recorded while emitting; without it the tree is walked."""
    if found is None:
        found = collect(document)
    styles = found.distinct_styles()
    styles.discard(_EMPTY)
    zebras = found.zebras
    parts = [page_rules(document), BASE_RULES]
    base = declarations(document.base_style)
    if base:
        parts.append(f"body {{ {declaration_block(base)}; }}\n")
    for colour in sorted(zebras):
        parts.append(
            f".{zebra_class(colour)} > tbody > tr.ccm-odd > td "
            f"{{ background-color: {value(colour)}; }}\n"
        )
    rules = {style_class(s): declaration_block(declarations(s)) for s in styles if style_class(s)}
    for name in sorted(rules):
        parts.append(f".{name} {{ {rules[name]}; }}\n")
    master = document.first or document.rest
    parts.append(
        SCREEN_RULES
        % {
            "width": value(master.width),
            "margin": " ".join(value(m) for m in master.margin),
        }
    )
    return "".join(parts)


def stylesheet_for(
    document: layout.Document,
    font_src: Callable[[layout.FontFace], str] | None = None,
    found: Inventory | None = None,
) -> str:
    """The whole stylesheet of a document's shape: fonts, pages, structure and styles."""
    return font_face_rules(document.fonts, font_src) + layout_rules(document, found)
