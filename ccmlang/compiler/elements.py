"""What each element keyword accepts, as data (spec/language.md, "Elements").

The grammar gives every element one shape (``keyword [positional] [name: value]* [= expr]
[{ body }]``); this table says, per context, which positional value, options, value clause and
body each keyword takes. The checker validates against it, the evaluator reads option kinds
from it, and the spec's element reference is checked against it by the tests.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Ctx(enum.Enum):
    """Where a statement stands; each body has one."""

    TOP = "top level"
    BLOCK = "block content"
    INLINE = "inline text"
    PAGE = "a page"
    DOCUMENT = "document"
    INDEX = "document index"
    FONT = "a font"
    FIELD = "an input field"
    TABLE = "a table"
    TABLE_ROWS = "table rows"
    ROW = "a table row"
    LIST = "a list"
    COLUMNS = "columns"
    STYLE = "a style"


class Kind(enum.Enum):
    """How an option or positional value is read."""

    TEXT = "text"  # any expression; printed as text (interpolation allowed)
    CONST_TEXT = "constant text"  # a string literal without interpolation
    PATH = "file path"  # a constant string, a file inside the project
    DYNAMIC_PATH = "file path or expression"  # image sources may come from data
    LENGTH = "length"  # 10mm, 12pt, 50%
    LENGTHS = "1 to 4 lengths"  # margin: 18mm 20mm
    SIZE = "page size"  # A4 | A5 | A3 | Letter | Legal | <width> <height>
    COLOR = "colour"  # #rrggbb
    ENUM = "one of"  # a bare name from ``values``
    STYLE = "style name"  # warning | brand.warning
    BOOL = "boolean"  # expression
    CONST_BOOL = "true or false"
    INT = "whole number"  # constant
    NUMBER = "number"  # expression of a number (money is Decimal)
    LIST = "list"  # expression of a list
    EXPR = "expression"  # any expression, type checked in context
    BORDER = "border"  # none | <width> <colour>
    STRINGS = "list of strings"  # constant list literal
    CONST = "constant"  # any literal (defaults of input fields)
    LANG = "language tag"  # "en-GB", may come from data


@dataclass(frozen=True, slots=True)
class Opt:
    kind: Kind
    doc: str
    values: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True, slots=True)
class Positional:
    kind: Kind
    doc: str
    required: bool = True
    binding: bool = False
    """Takes ``as name`` (tables, charts): the expression must be a list."""
    or_body: bool = False
    """The positional may be left out when a body gives the content."""


@dataclass(frozen=True, slots=True)
class ElementSpec:
    keyword: str
    doc: str
    positional: Positional | None = None
    options: dict[str, Opt] = field(default_factory=dict)
    body: Ctx | None = None
    body_required: bool = False
    value: str | None = None
    """When set, ``= expr`` is allowed and this says what it is."""
    example: str = ""


ALIGN = ("left", "right", "center", "justify")
PAGE_SIZES = {
    "A3": ("297mm", "420mm"),
    "A4": ("210mm", "297mm"),
    "A5": ("148mm", "210mm"),
    "Letter": ("8.5in", "11in"),
    "Legal": ("8.5in", "14in"),
}
FIELD_TYPES = ("string", "text", "number", "integer", "bool", "date", "money")

_STYLE = Opt(Kind.STYLE, "a named style")
_ALIGN = Opt(Kind.ENUM, "horizontal alignment", ALIGN)
_WIDTH = Opt(Kind.LENGTH, "width")
_HEIGHT = Opt(Kind.LENGTH, "height")
_ALT = Opt(Kind.TEXT, "text alternative for screen readers and text output")

# Style properties (``style name { size: 10pt }``): property → kind, values.
STYLE_PROPERTIES: dict[str, Opt] = {
    "font": Opt(Kind.CONST_TEXT, "font family, declared with `font` or installed"),
    "size": Opt(Kind.LENGTH, "font size"),
    "weight": Opt(Kind.ENUM, "font weight", ("normal", "bold", "light", "medium", "semibold")),
    "font-style": Opt(Kind.ENUM, "font style", ("normal", "italic")),
    "color": Opt(Kind.COLOR, "text colour"),
    "background": Opt(Kind.COLOR, "background colour"),
    "line-height": Opt(Kind.EXPR, "line height: a number (times the font size) or a length"),
    "letter-spacing": Opt(Kind.LENGTH, "extra space between letters"),
    "align": _ALIGN,
    "transform": Opt(Kind.ENUM, "letter case", ("none", "uppercase", "lowercase", "capitalize")),
    "decoration": Opt(Kind.ENUM, "text decoration", ("none", "underline", "line-through")),
    "space-before": Opt(Kind.LENGTH, "space above the block"),
    "space-after": Opt(Kind.LENGTH, "space below the block"),
    "padding": Opt(Kind.LENGTHS, "inner space: 1 to 4 lengths (top right bottom left)"),
    "border": Opt(Kind.BORDER, "all four borders: `none` or width and colour"),
    "border-top": Opt(Kind.BORDER, "top border"),
    "border-right": Opt(Kind.BORDER, "right border"),
    "border-bottom": Opt(Kind.BORDER, "bottom border"),
    "border-left": Opt(Kind.BORDER, "left border"),
    "border-style": Opt(Kind.ENUM, "line style of the borders", ("solid", "dashed", "dotted")),
    "radius": Opt(Kind.LENGTH, "rounded corners"),
    "width": Opt(Kind.LENGTH, "width of the block"),
    "min-height": Opt(Kind.LENGTH, "minimum height of the block"),
}

# What designers coming from CSS type, and what we call it.
PROPERTY_ALIASES = {
    "font-family": "font",
    "font-size": "size",
    "font-weight": "weight",
    "text-align": "align",
    "text-transform": "transform",
    "text-decoration": "decoration",
    "margin-top": "space-before",
    "margin-bottom": "space-after",
    "background-color": "background",
    "colour": "color",
    "border-radius": "radius",
}

_BLOCK: dict[str, ElementSpec] = {
    "heading": ElementSpec(
        "heading",
        "A heading; level 1 is the document title level.",
        Positional(Kind.TEXT, "the heading text", or_body=True),
        {"level": Opt(Kind.INT, "1 to 6 (default 1)"), "style": _STYLE, "align": _ALIGN},
        body=Ctx.INLINE,
        example='heading "Your account at a glance" level: 2',
    ),
    "paragraph": ElementSpec(
        "paragraph",
        "A paragraph of text; a body gives rich inline text and language variants.",
        Positional(Kind.TEXT, "the text", or_body=True),
        {"style": _STYLE, "align": _ALIGN},
        body=Ctx.INLINE,
        example='paragraph "Dear {customer.name}," style: greeting',
    ),
    "list": ElementSpec(
        "list",
        "A bulleted or numbered list of `item`s.",
        None,
        {
            "ordered": Opt(Kind.CONST_BOOL, "numbered instead of bulleted"),
            "marker": Opt(
                Kind.ENUM,
                "the marker",
                (
                    "disc",
                    "circle",
                    "square",
                    "decimal",
                    "lower-alpha",
                    "upper-alpha",
                    "lower-roman",
                    "none",
                ),
            ),
            "style": _STYLE,
        },
        body=Ctx.LIST,
        body_required=True,
        example='list ordered: true { item "First" item "Second" }',
    ),
    "table": ElementSpec(
        "table",
        "A table: `table rows as row { column … }` builds one row per list entry.",
        Positional(
            Kind.LIST, "the list to make rows from, with `as name`", required=False, binding=True
        ),
        {
            "style": _STYLE,
            "header-style": _STYLE,
            "repeat-header": Opt(
                Kind.CONST_BOOL, "repeat the header rows on every page (default true)"
            ),
            "zebra": Opt(Kind.COLOR, "shade every other body row with this colour"),
            "empty": Opt(Kind.TEXT, "text printed when the list is empty"),
            "caption": Opt(Kind.TEXT, "caption for accessibility"),
        },
        body=Ctx.TABLE,
        body_required=True,
        example='table account.transactions as tx { column "Date" width: 25mm = tx.date | date }',
    ),
    "image": ElementSpec(
        "image",
        "An SVG, PNG or JPEG image from the template project.",
        Positional(Kind.DYNAMIC_PATH, "the image file, relative to this template"),
        {"alt": _ALT, "width": _WIDTH, "height": _HEIGHT, "align": _ALIGN, "style": _STYLE},
        example='image "assets/logo.svg" alt: "Northwind Bank" width: 35mm',
    ),
    "barcode": ElementSpec(
        "barcode",
        "A linear or 2D barcode drawn as vector graphics.",
        Positional(Kind.TEXT, "the data to encode"),
        {
            "type": Opt(Kind.ENUM, "the symbology (default code128)", ("code128", "datamatrix")),
            "width": _WIDTH,
            "height": _HEIGHT,
            "alt": _ALT,
            "human-readable": Opt(
                Kind.CONST_BOOL, "print the data under a linear barcode (default true)"
            ),
            "align": _ALIGN,
        },
        example='barcode account.number type: code128 height: 10mm alt: "Account number"',
    ),
    "qr": ElementSpec(
        "qr",
        "A QR code; with `kind: epc` a SEPA payment QR code (EPC069-12) from payment fields.",
        Positional(Kind.TEXT, "the text or URL to encode (not for `kind: epc`)", required=False),
        {
            "kind": Opt(Kind.ENUM, "text (default) or epc", ("text", "epc")),
            "size": Opt(Kind.LENGTH, "width and height"),
            "alt": _ALT,
            "error": Opt(Kind.ENUM, "error correction level", ("L", "M", "Q", "H")),
            "name": Opt(Kind.TEXT, "EPC: the beneficiary's name"),
            "iban": Opt(Kind.TEXT, "EPC: the beneficiary's IBAN"),
            "bic": Opt(Kind.TEXT, "EPC: the beneficiary's BIC"),
            "amount": Opt(Kind.NUMBER, "EPC: the amount in euro"),
            "reference": Opt(Kind.TEXT, "EPC: a structured creditor reference"),
            "text": Opt(Kind.TEXT, "EPC: unstructured remittance text"),
            "align": _ALIGN,
        },
        example='qr kind: epc name: "Northwind Bank" iban: invoice.iban amount: invoice.total alt: "Scan to pay"',
    ),
    "chart": ElementSpec(
        "chart",
        "A bar, line or pie chart drawn from a list in the data.",
        Positional(Kind.LIST, "the list to chart, with `as name`", binding=True),
        {
            "kind": Opt(Kind.ENUM, "the chart type", ("bar", "line", "pie"), required=True),
            "label": Opt(Kind.TEXT, "label of each entry (uses the `as` name)", required=True),
            "value": Opt(Kind.NUMBER, "value of each entry (uses the `as` name)", required=True),
            "title": Opt(Kind.TEXT, "chart title"),
            "width": _WIDTH,
            "height": _HEIGHT,
            "color": Opt(Kind.COLOR, "bar and line colour"),
            "alt": _ALT,
        },
        example='chart account.history as m kind: bar label: m.month value: m.balance alt: "Balance"',
    ),
    "box": ElementSpec(
        "box",
        "A panel grouping blocks, with optional border, background and padding.",
        None,
        {
            "style": _STYLE,
            "padding": STYLE_PROPERTIES["padding"],
            "border": STYLE_PROPERTIES["border"],
            "background": STYLE_PROPERTIES["background"],
            "keep": Opt(Kind.CONST_BOOL, "never split the box across pages"),
        },
        body=Ctx.BLOCK,
        body_required=True,
        example='box style: panel { paragraph "Summary" }',
    ),
    "columns": ElementSpec(
        "columns",
        "Blocks side by side; each `column` is one of them.",
        None,
        {"gap": Opt(Kind.LENGTH, "space between columns (default 6mm)"), "style": _STYLE},
        body=Ctx.COLUMNS,
        body_required=True,
        example='columns { column width: 60% { paragraph "Left" } column { paragraph "Right" } }',
    ),
    "spacer": ElementSpec(
        "spacer",
        "Vertical space.",
        Positional(Kind.LENGTH, "the height"),
        example="spacer 6mm",
    ),
    "rule": ElementSpec(
        "rule",
        "A horizontal line.",
        None,
        {
            "thickness": Opt(Kind.LENGTH, "line width (default 0.5pt)"),
            "color": STYLE_PROPERTIES["color"],
            "style": _STYLE,
        },
        example="rule thickness: 1pt color: #1f4e79",
    ),
    "page-break": ElementSpec("page-break", "Start a new page.", example="page-break"),
    "keep": ElementSpec(
        "keep",
        "Keep the blocks inside on one page (keep-together).",
        None,
        {},
        body=Ctx.BLOCK,
        body_required=True,
        example='keep { heading "Summary" level: 2 paragraph "…" }',
    ),
    "editable": ElementSpec(
        "editable",
        "A named region an agent may rewrite (ad-hoc authoring); the body is its default content.",
        Positional(Kind.EXPR, "the region's name (a bare name)"),
        {"label": Opt(Kind.CONST_TEXT, "the label shown to the agent")},
        body=Ctx.BLOCK,
        body_required=True,
        example='editable closing label: "Closing words" { paragraph "Kind regards," }',
    ),
    "slot": ElementSpec(
        "slot",
        "Inside a component: where the caller's body goes.",
        example="slot",
    ),
}

_INLINE: dict[str, ElementSpec] = {
    "bold": ElementSpec(
        "bold",
        "Bold text.",
        Positional(Kind.TEXT, "the text", or_body=True),
        body=Ctx.INLINE,
        example='bold "{account.balance | money(account.currency)}"',
    ),
    "italic": ElementSpec(
        "italic",
        "Italic text.",
        Positional(Kind.TEXT, "the text", or_body=True),
        body=Ctx.INLINE,
        example='italic "Please note:"',
    ),
    "span": ElementSpec(
        "span",
        "Text in a named style.",
        Positional(Kind.TEXT, "the text", or_body=True),
        {"style": Opt(Kind.STYLE, "a named style", required=True)},
        body=Ctx.INLINE,
        example='span "overdrawn" style: warning',
    ),
    "link": ElementSpec(
        "link",
        "A hyperlink (http, https, mailto or tel).",
        Positional(Kind.TEXT, "the link text", or_body=True),
        {"href": Opt(Kind.TEXT, "the target", required=True)},
        body=Ctx.INLINE,
        example='link "northwind.example/help" href: "https://northwind.example/help"',
    ),
    "br": ElementSpec("br", "A line break.", example="br"),
}

_TOP: dict[str, ElementSpec] = {
    "template": ElementSpec(
        "template",
        "The template header: name, version, description, locale and data contract.",
        Positional(Kind.CONST_TEXT, "the template's name"),
        {
            "version": Opt(Kind.CONST_TEXT, "the template's version"),
            "description": Opt(Kind.CONST_TEXT, "what the template is for"),
            "locale": Opt(Kind.LANG, 'default locale, e.g. "en-GB"; may come from data'),
            "languages": Opt(Kind.STRINGS, 'languages with text variants, e.g. ["en", "de"]'),
            "data": Opt(Kind.PATH, "the JSON Schema (draft 2020-12) of the data"),
        },
        example='template "Account statement" version: "2.3" locale: "en-GB" data: "statement.schema.json"',
    ),
    "library": ElementSpec(
        "library",
        "The header of a library of styles, components, types and fonts for `import`.",
        Positional(Kind.CONST_TEXT, "the library's name"),
        {
            "version": Opt(Kind.CONST_TEXT, "the library's version"),
            "description": Opt(Kind.CONST_TEXT, "what the library holds"),
            "languages": Opt(Kind.STRINGS, "languages its components have text variants for"),
        },
        example='library "Northwind brand" version: "1.4"',
    ),
    "font": ElementSpec(
        "font",
        "A font family shipped with the project: one file per face.",
        Positional(Kind.CONST_TEXT, "the family name"),
        {
            "regular": Opt(Kind.PATH, "the regular face", required=True),
            "bold": Opt(Kind.PATH, "the bold face"),
            "italic": Opt(Kind.PATH, "the italic face"),
            "bold-italic": Opt(Kind.PATH, "the bold italic face"),
        },
        body=Ctx.FONT,
        example='font "Brand Sans" { regular: "fonts/BrandSans.ttf" bold: "fonts/BrandSans-Bold.ttf" }',
    ),
    "page": ElementSpec(
        "page",
        "Page size, margins, header and footer; `page first` styles the first page only.",
        Positional(Kind.EXPR, "`first` for the first-page variant", required=False),
        {
            "size": Opt(Kind.SIZE, "A3, A4, A5, Letter, Legal, or width and height"),
            "orientation": Opt(
                Kind.ENUM, "portrait (default) or landscape", ("portrait", "landscape")
            ),
            "margin": Opt(Kind.LENGTHS, "1 to 4 lengths (top right bottom left)"),
            "header-height": Opt(Kind.LENGTH, "space reserved for the header"),
            "footer-height": Opt(Kind.LENGTH, "space reserved for the footer"),
        },
        body=Ctx.PAGE,
        example="page { size: A4 margin: 20mm }",
    ),
    "document": ElementSpec(
        "document",
        "Document metadata and the archive's index fields.",
        None,
        {
            "title": Opt(Kind.TEXT, "document title"),
            "subject": Opt(Kind.TEXT, "document subject"),
            "author": Opt(Kind.TEXT, "document author"),
            "keywords": Opt(Kind.LIST, "list of keywords"),
        },
        body=Ctx.DOCUMENT,
        body_required=True,
        example='document { title: "Statement {account.number}" author: "Northwind Bank" }',
    ),
    "field": ElementSpec(
        "field",
        "An input field an agent fills in interactive production; read it as `input.<name>`.",
        Positional(Kind.EXPR, "the field's name (a bare name)"),
        {
            "type": Opt(Kind.ENUM, "the value's type", FIELD_TYPES, required=True),
            "label": Opt(Kind.CONST_TEXT, "the label shown to the agent", required=True),
            "required": Opt(Kind.CONST_BOOL, "the agent must fill it in"),
            "default": Opt(Kind.CONST, "the value before the agent changes it"),
            "choices": Opt(Kind.STRINGS, "the allowed values"),
            "pattern": Opt(Kind.CONST_TEXT, "a regular expression the value must match"),
            "min": Opt(Kind.CONST, "smallest number or earliest date"),
            "max": Opt(Kind.CONST, "largest number or latest date"),
            "min-length": Opt(Kind.INT, "shortest text"),
            "max-length": Opt(Kind.INT, "longest text"),
            "help": Opt(Kind.CONST_TEXT, "help text for the agent"),
        },
        body=Ctx.FIELD,
        example='field reason { type: string label: "Reason for the call" max-length: 200 }',
    ),
}

_PAGE: dict[str, ElementSpec] = {
    "header": ElementSpec(
        "header",
        "Content at the top of every page of this variant.",
        body=Ctx.BLOCK,
        body_required=True,
        example='header { paragraph "Northwind Bank" }',
    ),
    "footer": ElementSpec(
        "footer",
        "Content at the bottom of every page of this variant.",
        body=Ctx.BLOCK,
        body_required=True,
        example='footer { paragraph "Page {page} of {pages}" align: right }',
    ),
}

_DOCUMENT: dict[str, ElementSpec] = {
    "index": ElementSpec(
        "index",
        "Named fields the archive indexes this document by: `name: expression`.",
        body=Ctx.INDEX,
        body_required=True,
        example="index { customer: customer.id account: account.number }",
    ),
}

_TABLE: dict[str, ElementSpec] = {
    "column": ElementSpec(
        "column",
        "A table column: its header text, width, alignment and, per row, `= value` or a body.",
        Positional(Kind.TEXT, "the header text", required=False),
        {"width": _WIDTH, "align": _ALIGN, "style": _STYLE},
        body=Ctx.BLOCK,
        value="the cell's value for each row",
        example='column "Amount" width: 30mm align: right = tx.amount | money(account.currency)',
    ),
    "header": ElementSpec(
        "header",
        "Header rows (instead of the columns' header texts).",
        body=Ctx.TABLE_ROWS,
        body_required=True,
        example='header { row { cell "Date" cell "Amount" } }',
    ),
    "footer": ElementSpec(
        "footer",
        "Footer rows, e.g. totals.",
        body=Ctx.TABLE_ROWS,
        body_required=True,
        example='footer { row { cell "Total" span: 2 cell = total | money("EUR") } }',
    ),
    "row": ElementSpec(
        "row",
        "A body row of `cell`s (for tables without a row list).",
        None,
        {"style": _STYLE},
        body=Ctx.ROW,
        body_required=True,
        example='row { cell "Opening balance" cell = opening | money("EUR") }',
    ),
}
_TABLE_ROWS: dict[str, ElementSpec] = {"row": _TABLE["row"]}
_ROW: dict[str, ElementSpec] = {
    "cell": ElementSpec(
        "cell",
        "A table cell: text, `= value`, or a body of blocks.",
        Positional(Kind.TEXT, "the text", required=False),
        {"span": Opt(Kind.INT, "columns this cell spans"), "align": _ALIGN, "style": _STYLE},
        body=Ctx.BLOCK,
        value="the cell's value",
        example='cell "Total" span: 2',
    ),
}
_LIST: dict[str, ElementSpec] = {
    "item": ElementSpec(
        "item",
        "A list item: text or a body of blocks.",
        Positional(Kind.TEXT, "the text", or_body=True),
        body=Ctx.BLOCK,
        example='item "Check your details"',
    ),
}
_COLUMNS: dict[str, ElementSpec] = {
    "column": ElementSpec(
        "column",
        "One column of a `columns` element.",
        None,
        {"width": _WIDTH},
        body=Ctx.BLOCK,
        body_required=True,
        example='column width: 60% { paragraph "…" }',
    ),
}

ELEMENTS: dict[Ctx, dict[str, ElementSpec]] = {
    Ctx.TOP: {**_TOP, **_BLOCK},
    Ctx.BLOCK: _BLOCK,
    Ctx.INLINE: _INLINE,
    Ctx.PAGE: _PAGE,
    Ctx.DOCUMENT: _DOCUMENT,
    Ctx.INDEX: {},
    Ctx.FONT: {},
    Ctx.FIELD: {},
    Ctx.TABLE: _TABLE,
    Ctx.TABLE_ROWS: _TABLE_ROWS,
    Ctx.ROW: _ROW,
    Ctx.LIST: _LIST,
    Ctx.COLUMNS: _COLUMNS,
    Ctx.STYLE: {},
}

# Bodies whose members are `name: value` options only, checked against the element's options.
OPTION_BODIES = {Ctx.FONT, Ctx.FIELD, Ctx.STYLE}

# Where `if`, `for` and `let` may stand (they expand to the body's own kind of content).
CONTROL_CONTEXTS = {Ctx.TOP, Ctx.BLOCK, Ctx.INLINE, Ctx.TABLE, Ctx.TABLE_ROWS, Ctx.ROW, Ctx.LIST}


def lookup(ctx: Ctx, keyword: str) -> ElementSpec | None:
    return ELEMENTS[ctx].get(keyword)


def contexts_of(keyword: str) -> list[Ctx]:
    """Where a keyword is allowed: for "`cell` belongs in a `row`" messages."""
    return [ctx for ctx, table in ELEMENTS.items() if keyword in table]
