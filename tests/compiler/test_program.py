"""What the compiler hands the evaluator: the Program."""

from __future__ import annotations

import datetime
import pickle
from decimal import Decimal
from pathlib import Path

from ccmlang import layout
from ccmlang.compiler import ast
from ccmlang.compiler import types as t
from ccmlang.compiler.compile import check_file, compile_file
from ccmlang.compiler.program import FieldInfo

from .helpers import SCHEMA, codes, project

FONT = b"\x00\x01\x00\x00fake font"

LIB = """library "Lib" version: "2.0"
font "Brand Sans" { regular: "fonts/Sans.ttf" bold: "fonts/Sans-Bold.ttf" }
component hello(name: string) { paragraph "Hello {name}" }
"""

TEMPLATE = """template "Statement" version: "1.2" description: "Monthly"
  locale: language ?? "en-GB" languages: ["en", "de"] data: "data/s.schema.json"
import "lib/lib.ccm" as lib
font "Brand Sans" { regular: "lib/fonts/Sans.ttf" italic: "lib/fonts/Sans-Italic.woff2" }
style body { size: 10pt }
field reason { type: string label: "Reason" required: true max-length: 40 min-length: 2
  choices: ["Move", "Other"] default: "Move" help: "Why the customer called" }
field amount { type: money label: "Amount" min: 0 max: 1000.50 default: 10 }
field due { type: date label: "Due" min: 2024-01-01 default: 2024-06-30 }
field count { type: integer label: "Count" }
field code { type: text label: "Code" pattern: "[0-9]+" }
heading "Hello"
page { size: A4 footer { paragraph "{page}/{pages}" } }
use lib.hello(customer.name)
let x = 1
page first { margin: 40mm }
document { title: "S {customer.id}" }
editable intro { paragraph "Dear customer" }
for t in account.transactions { paragraph "{t.description}" }
editable outro { paragraph "Bye" }
"""


def build(tmp_path: Path) -> Path:
    return project(
        tmp_path,
        {
            "lib/lib.ccm": LIB,
            "lib/fonts/Sans.ttf": FONT,
            "lib/fonts/Sans-Bold.ttf": FONT,
            "lib/fonts/Sans-Italic.woff2": FONT,
            "data/s.schema.json": SCHEMA,
            "letters/statement.ccm": TEMPLATE.replace('"lib/', '"../lib/').replace(
                '"data/', '"../data/'
            ),
        },
    )


def test_program(tmp_path: Path) -> None:
    root = build(tmp_path)
    template = compile_file(root / "letters/statement.ccm")
    p = template.program
    assert p.project_root.resolve() == root.resolve()
    assert p.root.kind == "template"
    assert p.root.source_path == "letters/statement.ccm"
    # header
    assert (p.header.name, p.header.version, p.header.description) == (
        "Statement",
        "1.2",
        "Monthly",
    )
    assert p.header.languages == ("en", "de") == p.root.languages
    assert isinstance(p.header.locale, ast.Binary) and p.header.locale.op == "??"
    assert p.header.schema_path == "data/s.schema.json"
    assert p.schema == SCHEMA
    assert p.data_type == t.schema_type(SCHEMA)
    # content in order, declarations and top-level elements removed
    kinds = [type(s).__name__ + ":" + getattr(s, "keyword", "") for s in p.body]
    assert kinds == [
        "Element:heading",
        "Use:",
        "Let:",
        "Element:editable",
        "For:",
        "Element:editable",
    ]
    assert p.page_rest is not None and p.page_rest.positional is None
    assert p.page_first is not None and isinstance(p.page_first.positional, ast.Name)
    assert p.document is not None and p.document.keyword == "document"
    assert p.editables == ("intro", "outro")
    assert p.base_style.font_size == "10pt"
    # fonts from every module, the template's first, duplicates dropped
    assert p.fonts == (
        layout.FontFace("Brand Sans", "lib/fonts/Sans.ttf", "normal", "normal"),
        layout.FontFace("Brand Sans", "lib/fonts/Sans-Italic.woff2", "normal", "italic"),
        layout.FontFace("Brand Sans", "lib/fonts/Sans-Bold.ttf", "bold", "normal"),
    )
    # input fields
    assert p.fields == (
        FieldInfo(
            name="reason",
            type="string",
            label="Reason",
            required=True,
            default="Move",
            choices=("Move", "Other"),
            min_length=2,
            max_length=40,
            help="Why the customer called",
        ),
        FieldInfo(
            name="amount",
            type="money",
            label="Amount",
            default=Decimal(10),
            min=Decimal(0),
            max=Decimal("1000.50"),
        ),
        FieldInfo(
            name="due",
            type="date",
            label="Due",
            default=datetime.date(2024, 6, 30),
            min=datetime.date(2024, 1, 1),
        ),
        FieldInfo(name="count", type="integer", label="Count"),
        FieldInfo(name="code", type="text", label="Code", pattern="[0-9]+"),
    )
    # components keep their module and resolved parameter types
    hello = p.root.imports["lib"].components["hello"]
    assert hello.qualname == "lib.hello"
    assert hello.params == (("name", t.STRING, None),)
    assert hello.module is p.root.imports["lib"]
    # and it all pickles (process pools, Dask)
    again = pickle.loads(pickle.dumps(template))
    assert again.program.fields == p.fields
    assert again.program.fonts == p.fonts


def test_pattern_applies_to_text_fields_only(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {"t.ccm": 'template "T"\nfield n { type: integer label: "N" pattern: "[0-9]+" }\n'},
    )
    assert codes(check_file(root / "t.ccm", lint=False)) == ["E1021"]


def test_files_read(tmp_path: Path) -> None:
    root = build(tmp_path)
    files = check_file(root / "letters/statement.ccm", lint=False).files
    names = {Path(f).relative_to(root.resolve()).as_posix() for f in files}
    assert names == {
        "letters/statement.ccm",
        "lib/lib.ccm",
        "data/s.schema.json",
        "lib/fonts/Sans.ttf",
        "lib/fonts/Sans-Bold.ttf",
        "lib/fonts/Sans-Italic.woff2",
    }


def test_font_rules(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "f.otf.txt": "x",
            "ok.otf": FONT,
            "t.ccm": 'template "T"\nfont "A" { regular: "f.otf.txt" }\nfont "B" { bold: "ok.otf" }\n'
            'font "C" regular: "ok.otf"\nparagraph "x"\n',
        },
    )
    # a text file is not a font (E1020); `regular` is required (E1008)
    assert codes(check_file(root / "t.ccm", lint=False)) == ["E1020", "E1008"]
