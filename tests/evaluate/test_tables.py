"""Tables: rows from a list, header from the columns, footer rows, empty text, zebra, spans."""

from __future__ import annotations

from decimal import Decimal

from ccmlang import layout

from .conftest import Render
from .helpers import text_of

TX = [
    {"date": "2025-03-02", "text": "Salary", "amount": Decimal("2875.50")},
    {"date": "2025-03-03", "text": "Rent", "amount": Decimal("-950.00")},
    {"date": "2025-03-05", "text": "Coffee", "amount": Decimal("-3.20")},
]

STATEMENT = """
style table-header { weight: bold }
style muted { color: #777777 }
table tx as t zebra: #f3f6f9 caption: "Transactions" empty: "No transactions." {
  column "Date" width: 25mm = t.date | date("d MMM")
  column "Description" width: 80mm style: muted = t.text
  column "Amount" width: 30mm align: right = t.amount | money("EUR")
  footer {
    row { cell "Total" span: 2 cell align: right = tx | sum("amount") | money("EUR") }
  }
}
"""


def rows_text(rows: tuple[layout.Row, ...]) -> list[list[str]]:
    return [[text_of(cell) for cell in row.cells] for row in rows]


def table_of(doc: layout.Document) -> layout.Table:
    (table,) = doc.body
    assert isinstance(table, layout.Table)
    return table


def test_rows_from_a_list(render: Render) -> None:
    table = table_of(render(STATEMENT, {"tx": TX}, locale="en-GB"))
    assert table.columns == (
        layout.Column("25mm", "left"),
        layout.Column("80mm", "left"),
        layout.Column("30mm", "right"),
    )
    assert table.fixed_layout
    assert rows_text(table.header) == [["Date", "Description", "Amount"]]
    assert rows_text(table.body) == [
        ["2 Mar", "Salary", "€2,875.50"],
        ["3 Mar", "Rent", "-€950.00"],
        ["5 Mar", "Coffee", "-€3.20"],
    ]
    assert rows_text(table.footer) == [["Total", "€1,922.30"]]
    assert table.footer[0].cells[0].colspan == 2
    assert table.footer[0].cells[1].align == "right"
    assert (table.zebra, table.caption, table.repeat_header) == ("#f3f6f9", "Transactions", True)
    assert table.empty is None
    assert table.header_style.font_weight == "bold"
    assert table.body[0].cells[1].style.name == "muted"


def test_empty_list_prints_the_empty_text(render: Render) -> None:
    table = table_of(render(STATEMENT, {"tx": []}))
    assert table.body == ()
    assert table.empty is not None and text_of(table.empty) == "No transactions."
    assert rows_text(table.header) == [["Date", "Description", "Amount"]]


def test_written_out_rows_with_control_flow_and_explicit_header(render: Render) -> None:
    doc = render(
        """
table caption: "Summary" repeat-header: false {
  header { row { cell "Item" cell "Amount" align: right } }
  column width: 60%
  column width: 40% align: right
  row { cell "Opening" cell = opening }
  for line in lines { row { cell "{line.name}" cell = line.value } }
  if show { row { cell "Shown" cell "yes" } }
  if hide { row { cell "Hidden" cell "no" } }
}
""",
        {
            "opening": Decimal("10.00"),
            "lines": [{"name": "a", "value": 1}],
            "show": True,
            "hide": False,
        },
    )
    table = table_of(doc)
    assert table.repeat_header is False
    assert rows_text(table.header) == [["Item", "Amount"]]
    assert rows_text(table.body) == [["Opening", "10.00"], ["a", "1"], ["Shown", "yes"]]
    assert table.columns[0] == layout.Column("60%", "left")


def test_columns_without_header_text_make_no_header_row(render: Render) -> None:
    table = table_of(render("table xs as x { column = x column = x }", {"xs": ["a"]}))
    assert table.header == ()
    assert rows_text(table.body) == [["a", "a"]]
    assert not table.fixed_layout


def test_column_body_cells_and_loop_record(render: Render) -> None:
    doc = render(
        """
table xs as x {
  column "No." width: 10mm = loop.index
  column "Item" width: 60mm {
    paragraph "{x.name}"
    if x.note { paragraph "{x.note}" }
  }
}
""",
        {"xs": [{"name": "a", "note": "n"}, {"name": "b"}]},
    )
    table = table_of(doc)
    assert rows_text(table.body) == [["1", "an"], ["2", "b"]]
    assert len(table.body[0].cells[1].blocks) == 2


def test_rows_around_the_list_keep_their_place(render: Render) -> None:
    doc = render(
        """
table xs as x {
  row { cell "before" }
  column "X" = x
  row { cell "after" }
}
""",
        {"xs": ["1", "2"]},
    )
    assert rows_text(table_of(doc).body) == [["before"], ["1"], ["2"], ["after"]]


def test_empty_value_cells_have_no_paragraph(render: Render) -> None:
    table = table_of(render('table xs as x { column "A" = x.a ?? "" }', {"xs": [{}]}))
    assert table.body[0].cells[0].blocks == ()


def test_row_and_cell_and_footer_defaults(render: Render) -> None:
    doc = render(
        """
style row { size: 8pt }
style cell { padding: 1mm }
style table-footer { weight: bold }
style total { color: #ff0000 }
table xs as x {
  column "A" = x
  footer { row style: total { cell "sum" } }
}
""",
        {"xs": ["1"]},
    )
    table = table_of(doc)
    (body,) = table.body
    assert body.style.font_size == "8pt"
    assert body.cells[0].style.padding == ("1mm",) * 4
    (footer,) = table.footer
    assert (footer.style.font_size, footer.style.font_weight, footer.style.color) == (
        "8pt",
        "bold",
        "#ff0000",
    )


def test_a_list_table_without_columns_makes_empty_rows(render: Render) -> None:
    """Legal if odd (lints warn): one row per entry, no cells, and no crash."""
    table = table_of(render("table tx as t {\n}\n", {"tx": TX}))
    assert [row.cells for row in table.body] == [(), (), ()]
    assert table.columns == ()
