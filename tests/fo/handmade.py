"""A three-page, statement-like layout tree built by hand, for the XSL-FO backend tests.

It does not need the compiler, and it touches every layout node the FO backend maps: a first-page
header variant with an SVG logo, a "Page X of Y" footer, letterhead columns, an address window
(width and min-height), styled spans, a link, line breaks, a rounded panel kept together, nested
lists, an 80-row fixed-width table with a repeated header, zebra rows, a spanning total row and a
caption, a forced page break, a QR code and a bar chart drawn by ``ccmlang.graphics``, a rule, a
spacer, an empty table and an editable region. Page 1 is the letter, the page break
starts the table on page 2, and it ends on page 3 with the payment slip. The project folder holds the font (DejaVu Sans,
regular and bold, copied at test time), the SVG logo and a PNG.
"""

from __future__ import annotations

import shutil
import zlib
from decimal import Decimal
from pathlib import Path

from ccmlang import layout as L
from ccmlang.graphics.charts import bar_chart
from ccmlang.graphics.qr import qr_code

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FAMILY = "Test Sans"
LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40" viewBox="0 0 200 40">\n'
    '  <rect x="0" y="0" width="40" height="40" rx="6" fill="#1f3a5f"/>\n'
    '  <circle cx="20" cy="20" r="11" fill="#7fc8be"/>\n'
    '  <rect x="50" y="14" width="140" height="12" fill="#1f3a5f"/>\n'
    "</svg>\n"
)
NONE = L.Style()
SMALL = L.Style(name="small", font_size="7.5pt", line_height="1.3", color="#5b6675")
HEADING = L.Style(
    name="heading",
    font_size="15pt",
    font_weight="bold",
    color="#1f3a5f",
    space_before="2mm",
    space_after="3mm",
)
PANEL = L.Style(
    name="panel",
    background="#eef3f7",
    padding=("4mm", "5mm", "4mm", "5mm"),
    border_radius="1.5mm",
    space_after="4mm",
)
WARNING = L.Style(
    name="warning-box",
    background="#fdecee",
    padding=("3mm", "4mm", "3mm", "4mm"),
    border=(
        L.Border("0pt", "#b00020", "none"),
        L.Border("0pt", "#b00020", "none"),
        L.Border("0pt", "#b00020", "none"),
        L.Border("1.2mm", "#b00020"),
    ),
    space_before="3mm",
    space_after="3mm",
)
HEADER_ROW = L.Style(name="table-header", background="#1f3a5f", color="#ffffff", font_size="8pt")
TOTAL_ROW = L.Style(
    name="total-row",
    font_weight="bold",
    border=(
        L.Border("0.8pt", "#1f3a5f"),
        L.Border("0pt", "#000000", "none"),
        L.Border("0pt", "#000000", "none"),
        L.Border("0pt", "#000000", "none"),
    ),
)


def png_bytes(width: int, height: int, rgb: tuple[int, int, int] = (29, 114, 104)) -> bytes:
    """A real, minimal RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    row = b"\x00" + bytes(rgb) * width
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def make_project(root: Path) -> Path:
    """The template project folder: fonts, an SVG logo and a PNG."""
    (root / "fonts").mkdir(parents=True, exist_ok=True)
    (root / "assets").mkdir(exist_ok=True)
    shutil.copy(FONT_DIR / "DejaVuSans.ttf", root / "fonts" / "TestSans-Regular.ttf")
    shutil.copy(FONT_DIR / "DejaVuSans-Bold.ttf", root / "fonts" / "TestSans-Bold.ttf")
    (root / "assets" / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    (root / "assets" / "seal.png").write_bytes(png_bytes(90, 30))
    return root


def o(line: int, column: int = 1) -> L.Origin:
    return L.Origin("statement.ccm", line, column)


def text(value: str) -> tuple[L.Inline, ...]:
    return (L.Text(value),)


def para(value: str, style: L.Style = NONE, line: int = 1) -> L.Paragraph:
    return L.Paragraph(text(value), style, origin=o(line))


def cell(value: str, style: L.Style = NONE, colspan: int = 1) -> L.Cell:
    return L.Cell((para(value),), style, colspan=colspan)


def transactions(count: int) -> L.Table:
    columns = (
        L.Column("22mm", "left"),
        L.Column(None, "left"),
        L.Column("28mm", "right"),
        L.Column("28mm", "right"),
    )
    header = (L.Row(tuple(cell(t) for t in ("Date", "Description", "Amount", "Balance")), NONE),)
    balance = Decimal("2500.00")
    body = []
    for i in range(count):
        amount = Decimal(-((i * 731) % 20000 + 100)) / 100
        balance += amount
        body.append(
            L.Row(
                (
                    cell(f"{1 + i % 28:02d} Mar"),
                    cell(f"Card payment {i + 1} at Market Street Grocers"),
                    cell(f"{amount:,.2f}"),
                    cell(f"{balance:,.2f}"),
                ),
                NONE,
                origin=o(60, 3),
            )
        )
    footer = (L.Row((cell("Closing balance", colspan=3), cell(f"{balance:,.2f}")), TOTAL_ROW),)
    return L.Table(
        columns,
        header,
        tuple(body),
        footer,
        L.Style(name="table-body", font_size="8pt"),
        HEADER_ROW,
        repeat_header=True,
        zebra="#f2f5f8",
        empty=text("No transactions this period."),
        caption="Transactions in March",
        origin=o(58),
    )


def statement(root: Path, rows: int = 80) -> L.Document:
    """The document, with ``root`` as its project root (see :func:`make_project`)."""
    footer = (
        L.Paragraph(
            (L.Text("Page "), L.PageNumber(), L.Text(" of "), L.PageCount()),
            L.Style(
                name="page-number",
                font_size="7.5pt",
                text_align="right",
                space_before="0mm",
                space_after="0mm",
            ),
            origin=o(8),
        ),
    )
    first = L.PageMaster(
        "210mm",
        "297mm",
        ("12mm", "20mm", "18mm", "20mm"),
        header=(L.Image("assets/logo.svg", "Northwind Bank", "45mm", None, NONE, origin=o(5)),),
        footer=footer,
        header_height="12mm",
    )
    rest = L.PageMaster(
        "210mm",
        "297mm",
        ("20mm", "20mm", "18mm", "20mm"),
        header=(
            L.Paragraph(
                text("Northwind Bank · Statement 12345678 (continued)"),
                L.Style(name="small", font_size="7.5pt", space_before="0mm", space_after="0mm"),
                origin=o(7),
            ),
        ),
        footer=footer,
    )
    contact = L.Paragraph(
        (
            L.Text("Northwind Bank plc"),
            L.LineBreak(),
            L.Text("1 Harbour Street, Bristol BS1 4QA"),
            L.LineBreak(),
            L.Text("0117 496 0000 · northwind.example"),
        ),
        L.Style(name="contact", font_size="7.5pt", line_height="1.35", text_align="right"),
        origin=o(12),
    )
    address = L.Box(
        (
            L.Paragraph(
                text("Northwind Bank · 1 Harbour Street · Bristol BS1 4QA"),
                L.Style(
                    name="sender-line",
                    font_size="6.5pt",
                    color="#5b6675",
                    border=(
                        L.Border("0pt", "#5b6675", "none"),
                        L.Border("0pt", "#5b6675", "none"),
                        L.Border("0.3pt", "#5b6675"),
                        L.Border("0pt", "#5b6675", "none"),
                    ),
                    space_before="0mm",
                    space_after="2mm",
                ),
            ),
            L.Paragraph(
                (
                    L.Text("Ms Ada Lovelace"),
                    L.LineBreak(),
                    L.Text("12 St James's Square"),
                    L.LineBreak(),
                    L.Text("LONDON"),
                    L.LineBreak(),
                    L.Text("SW1Y 4LB"),
                    L.LineBreak(),
                ),
                L.Style(name="address", font_size="10pt", line_height="1.3", space_before="0mm"),
            ),
        ),
        L.Style(name="address-window", width="85mm", min_height="40mm"),
        origin=o(15),
    )
    welcome = L.Paragraph(
        (
            L.Text("Dear "),
            L.Span(text("Ms Lovelace"), L.Style(font_weight="bold")),
            L.Text(", here is your statement for "),
            L.Span(text("March 2024"), L.Style(font_style="italic", color="#1d7268")),
            L.Text(". Questions? "),
            L.Link("https://northwind.example/help", text("Visit our help pages")),
            L.Text(" or write to "),
            L.Link("javascript:alert(1)", text("us")),
            L.Text(". "),
            L.Span(text("Reference"), L.Style(text_transform="uppercase", letter_spacing="0.5pt")),
            L.Text(": ST-2024-03."),
        ),
        NONE,
        origin=o(20),
    )
    panel = L.Box(
        (
            L.Heading(3, text("Your account at a glance"), HEADING, origin=o(24)),
            para("Opening balance 2,500.00 · Money in 0.00 · Money out see below.", NONE, 25),
        ),
        PANEL,
        keep_together=True,
        origin=o(23),
    )
    steps = L.List(
        True,
        (
            L.ListItem((para("Check every payment below.", NONE, 31),)),
            L.ListItem(
                (
                    para("Tell us about anything you do not recognise:", NONE, 32),
                    L.List(
                        False,
                        (
                            L.ListItem((para("by phone", NONE, 34),)),
                            L.ListItem((para("in the app", NONE, 35),)),
                        ),
                        NONE,
                    ),
                )
            ),
            L.ListItem((para("Keep this statement for your records.", NONE, 36),)),
        ),
        NONE,
        origin=o(30),
    )
    qr = qr_code(
        "BCD\n002\n1\nSCT\n\nNorthwind Bank\nGB33BUKB20201555555555\nGBP12.34", size="28mm"
    )
    chart = bar_chart(
        ["Jan", "Feb", "Mar"],
        [Decimal("1200"), Decimal("-300"), Decimal("850")],
        width="120mm",
        height="45mm",
        title="Balance by month",
    )
    empty = L.Table(
        (L.Column("40mm", "left"), L.Column(None, "left")),
        (L.Row((cell("Date"), cell("Standing order")), NONE),),
        (),
        (),
        L.Style(font_size="8pt"),
        HEADER_ROW,
        empty=text("No standing orders."),
        origin=o(80),
    )
    body: tuple[L.Block, ...] = (
        L.Columns(
            (
                (L.Image("assets/seal.png", "Northwind seal", "30mm", None, NONE, origin=o(11)),),
                (contact,),
            ),
            ("55%", None),
            "8mm",
            NONE,
            origin=o(10),
        ),
        address,
        L.Spacer("6mm", origin=o(18)),
        L.Heading(1, text("Your statement"), HEADING, origin=o(19)),
        welcome,
        L.Paragraph(text("Your account was overdrawn on 3 March."), WARNING, origin=o(22)),
        panel,
        steps,
        L.PageBreak(origin=o(50)),
        L.Heading(2, text("Your transactions"), HEADING, origin=o(51)),
        transactions(rows),
        L.Heading(2, text("Pay by bank transfer"), HEADING, origin=o(71)),
        L.Graphic(
            "epc-qr", qr.svg, "Scan to pay", qr.width, qr.height, NONE, data=qr.data, origin=o(72)
        ),
        L.Rule("0.5pt", "#5b6675", L.Style(space_before="3mm", space_after="3mm"), origin=o(73)),
        L.Graphic(
            "chart-bar",
            chart.svg,
            "Balance by month",
            chart.width,
            chart.height,
            NONE,
            origin=o(74),
        ),
        empty,
        L.Editable("closing", (para("Thank you for banking with us.", NONE, 90),), origin=o(90)),
    )
    return L.Document(
        metadata=L.Metadata(
            title="Statement 12345678",
            subject="Account statement, March 2024",
            author="Northwind Bank",
            keywords=("statement", "2024-03"),
            language="en-GB",
            index=(("customer", "C-1001"), ("account", "12345678")),
            template="statement.ccm",
            template_version="2.3",
        ),
        rest=rest,
        first=first,
        body=body,
        base_style=L.Style(
            font_family=FAMILY, font_size="9.5pt", line_height="1.4", color="#1d1d1b"
        ),
        fonts=(
            L.FontFace(FAMILY, "fonts/TestSans-Regular.ttf"),
            L.FontFace(FAMILY, "fonts/TestSans-Bold.ttf", weight="bold"),
        ),
        project_root=str(root),
    )
