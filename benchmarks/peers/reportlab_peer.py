"""The peer stack for benchmarks: the statement example with ReportLab platypus.

The statement of ``examples/statement/statement.ccm`` as a Python developer writes it with
ReportLab: a ``BaseDocTemplate`` with a first-page and a later-page template, header and footer
drawn in ``onPage`` callbacks, "Page X of Y" through the usual deferred canvas (pages are kept
until the end, then numbered), a ``Table`` with ``repeatRows=1`` and zebra rows, the brand
fonts registered once per process, the SVG logo converted once per process with svglib, the
Data Matrix from ccmlang's encoder drawn as rectangles, the chart a ``VerticalBarChart``.

Written to be fast in the ordinary ways (fonts, styles and logo prepared once), so the
comparison measures the engines. Use ``render_reportlab_pdf(data) -> bytes``; run this file to
write the sample: ``python benchmarks/peers/reportlab_peer.py out.pdf``.
"""

from __future__ import annotations

import datetime
import functools
import io
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BRAND = ROOT / "examples" / "brand"

NAVY = "#1f3a5f"
GREY = "#5b6675"
LEGAL = (
    "Northwind Bank plc. Registered in England and Wales, company no. 01234567. Registered "
    "office: 1 Harbour Street, Bristol BS1 4QA. Authorised by the Prudential Regulation Authority "
    "and regulated by the Financial Conduct Authority and the Prudential Regulation Authority "
    "(Financial Services Register no. 765432). Northwind Bank is a fictional bank used in the "
    "ccmlang examples."
)


def _money(value: Any) -> str:
    from babel.numbers import format_currency

    return str(format_currency(Decimal(str(value)), "GBP", locale="en_GB"))


def _date(value: str, pattern: str) -> str:
    from babel.dates import format_date

    return str(format_date(datetime.date.fromisoformat(value), pattern, locale="en_GB"))


@functools.cache
def _setup() -> dict[str, Any]:
    """Fonts, paragraph styles and the logo drawing: once per process."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from svglib.svglib import svg2rlg

    fonts = BRAND / "fonts"
    for name, file in (
        ("BrandSans", "BrandSans-Regular.ttf"),
        ("BrandSans-Bold", "BrandSans-Bold.ttf"),
        ("BrandSans-Italic", "BrandSans-Italic.ttf"),
        ("BrandSans-BoldItalic", "BrandSans-BoldItalic.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(fonts / file)))
    pdfmetrics.registerFontFamily(
        "BrandSans",
        normal="BrandSans",
        bold="BrandSans-Bold",
        italic="BrandSans-Italic",
        boldItalic="BrandSans-BoldItalic",
    )
    base = ParagraphStyle(
        "body", fontName="BrandSans", fontSize=9.5, leading=13.3, textColor=HexColor("#1d1d1b")
    )
    styles = {
        "body": base,
        "h1": ParagraphStyle(
            "h1",
            base,
            fontName="BrandSans-Bold",
            fontSize=16,
            leading=20,
            textColor=HexColor(NAVY),
            spaceBefore=6,
            spaceAfter=8,
        ),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontName="BrandSans-Bold",
            fontSize=11.5,
            leading=15,
            textColor=HexColor(NAVY),
            spaceBefore=14,
            spaceAfter=6,
        ),
        "h3": ParagraphStyle(
            "h3",
            base,
            fontName="BrandSans-Bold",
            fontSize=10,
            leading=13,
            textColor=HexColor(NAVY),
            spaceAfter=6,
        ),
        "muted": ParagraphStyle("muted", base, textColor=HexColor(GREY)),
        "small": ParagraphStyle(
            "small", base, fontSize=7.5, leading=9.75, textColor=HexColor(GREY)
        ),
        "contact": ParagraphStyle(
            "contact",
            base,
            fontSize=7.5,
            leading=10.1,
            textColor=HexColor(GREY),
            alignment=TA_RIGHT,
        ),
        "legal": ParagraphStyle("legal", base, fontSize=7, leading=9.1, textColor=HexColor(GREY)),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11.05),
        "address": ParagraphStyle("address", base, fontSize=10, leading=13),
        "sender": ParagraphStyle(
            "sender", base, fontSize=6.5, leading=8.5, textColor=HexColor(GREY)
        ),
    }
    logo = svg2rlg(str(BRAND / "assets" / "logo.svg"))
    return {"styles": styles, "logo": logo}


def _logo(width_mm: float) -> Any:
    from reportlab.graphics.shapes import Drawing, Group
    from reportlab.lib.units import mm

    logo = _setup()["logo"]
    scale = width_mm * mm / logo.width
    drawing = Drawing(logo.width * scale, logo.height * scale)
    group = Group(*logo.contents)
    group.scale(scale, scale)
    drawing.add(group)
    return drawing


def _datamatrix(data: str, size_mm: float) -> Any:
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib.colors import black
    from reportlab.lib.units import mm

    sys.path.insert(0, str(ROOT))
    from ccmlang.graphics.datamatrix import symbol_matrix

    matrix = symbol_matrix(data)
    cell = size_mm * mm / len(matrix)
    drawing = Drawing(size_mm * mm, size_mm * mm)
    for y, row in enumerate(matrix):
        for x, on in enumerate(row):
            if on:
                drawing.add(
                    Rect(
                        x * cell,
                        (len(matrix) - 1 - y) * cell,
                        cell,
                        cell,
                        fillColor=black,
                        strokeColor=None,
                    )
                )
    return drawing


def _chart(history: list[dict[str, Any]]) -> Any:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm

    drawing = Drawing(170 * mm, 55 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 15 * mm, 10 * mm, 150 * mm, 36 * mm
    chart.data = [[float(m["balance"]) for m in history]]
    chart.categoryAxis.categoryNames = [_date(m["month"], "MMM yy") for m in history]
    chart.categoryAxis.labels.fontName = "BrandSans"
    chart.valueAxis.labels.fontName = "BrandSans"
    chart.bars[0].fillColor = HexColor(NAVY)
    chart.barLabelFormat = "%.2f"
    chart.barLabels.fontName = "BrandSans"
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 5
    drawing.add(chart)
    drawing.add(
        String(
            85 * mm,
            51 * mm,
            "Balance at the end of each month (GBP)",
            fontName="BrandSans-Bold",
            fontSize=9,
            textAnchor="middle",
        )
    )
    return drawing


def _numbered_canvas() -> type:
    """The ReportLab recipe for "Page X of Y": keep every page, number them at the end."""
    from reportlab.pdfgen import canvas

    class NumberedCanvas(canvas.Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self.setFont("BrandSans", 7.5)
                self.setFillColor(GREY)
                self.drawRightString(
                    192 * 2.8346, 16 * 2.8346, f"Page {self._pageNumber} of {total}"
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def render_reportlab_pdf(data: dict[str, Any]) -> bytes:
    """The statement as PDF through ReportLab platypus."""
    from reportlab.lib.colors import HexColor, white
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        KeepTogether,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    setup = _setup()
    st = setup["styles"]
    account = data["account"]
    period = data["period"]
    tx = account["transactions"]
    money_in = sum((Decimal(str(t.get("paid_in", 0))) for t in tx), Decimal(0))
    money_out = sum((Decimal(str(t.get("paid_out", 0))) for t in tx), Decimal(0))
    closing = Decimal(str(account["opening_balance"])) + money_in - money_out
    width, height = A4
    first_logo = _logo(55)
    rest_logo = _logo(38)
    header_rest = (
        f"{account['product']} · sort code {account['sort_code']} · account {account['number']}"
        f"<br/>Statement {_date(period['start'], 'd MMMM')} to {_date(period['end'], 'd MMMM yyyy')}"
    )

    def footer(canvas: Any) -> None:
        legal = Paragraph(LEGAL, st["legal"])
        _, h = legal.wrap(0.8 * (width - 38 * mm), 20 * mm)
        legal.drawOn(canvas, 20 * mm, 22 * mm - h)

    def on_first(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        first_logo.drawOn(canvas, 20 * mm, height - 30 * mm)
        contact = Paragraph(
            "Northwind Bank plc<br/>1 Harbour Street, Bristol BS1 4QA<br/>"
            "0117 496 0000 · northwind.example",
            st["contact"],
        )
        _, h = contact.wrap(70 * mm, 30 * mm)
        contact.drawOn(canvas, width - 18 * mm - 70 * mm, height - 15 * mm - h)
        footer(canvas)
        canvas.restoreState()

    def on_later(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        rest_logo.drawOn(canvas, 20 * mm, height - 22 * mm)
        contact = Paragraph(header_rest, st["contact"])
        _, h = contact.wrap(100 * mm, 30 * mm)
        contact.drawOn(canvas, width - 18 * mm - 100 * mm, height - 14 * mm - h)
        footer(canvas)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Statement {account['number']}",
        author="Northwind Bank plc",
        invariant=1,
    )
    first = Frame(
        20 * mm,
        24 * mm,
        width - 38 * mm,
        height - 69 * mm,
        id="first",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    later = Frame(
        20 * mm,
        24 * mm,
        width - 38 * mm,
        height - 52 * mm,
        id="later",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [
            PageTemplate(id="First", frames=[first], onPage=on_first, autoNextPageTemplate="Later"),
            PageTemplate(id="Later", frames=[later], onPage=on_later),
        ]
    )

    address = data["customer"]["address"]
    lines = [address["name"], address["line1"]]
    if address.get("line2"):
        lines.append(address["line2"])
    lines += [address["city"].upper(), address["postcode"]]
    code = _datamatrix(account["sort_code"].replace("-", "") + account["number"], 12)
    right = [
        code,
        Paragraph(
            f"Statement date <b>{_date(data['statement']['date'], 'd MMMM yyyy')}</b><br/>"
            f"Statement number {data['statement']['number']}",
            st["contact"],
        ),
    ]
    top = Table(
        [
            [
                [
                    Paragraph("Northwind Bank · 1 Harbour Street · Bristol BS1 4QA", st["sender"]),
                    Paragraph("<br/>".join(lines), st["address"]),
                ],
                right,
            ]
        ],
        colWidths=[105 * mm, None],
        style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT")],
    )
    story: list[Any] = [top, Spacer(1, 14 * mm)]
    story.append(Paragraph(f"Your {account['product']} statement", st["h1"]))
    story.append(
        Paragraph(
            f"{_date(period['start'], 'd MMMM yyyy')} to {_date(period['end'], 'd MMMM yyyy')} · "
            f"sort code {account['sort_code']} · account number {account['number']}",
            st["muted"],
        )
    )
    story.append(Spacer(1, 4 * mm))
    summary = Table(
        [
            [Paragraph("Your account at a glance", st["h3"]), ""],
            [
                f"Opening balance on {_date(period['start'], 'd MMMM')}",
                _money(account["opening_balance"]),
            ],
            ["Money in", _money(money_in)],
            ["Money out", _money(money_out)],
            [f"Closing balance on {_date(period['end'], 'd MMMM')}", _money(closing)],
        ],
        colWidths=[60 * mm, 35 * mm],
        style=[
            ("FONT", (0, 1), (-1, -1), "BrandSans", 9.5),
            ("FONT", (0, 4), (-1, 4), "BrandSans-Bold", 11),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("LINEABOVE", (0, 4), (-1, 4), 0.8, HexColor(NAVY)),
            ("BACKGROUND", (0, 0), (-1, -1), HexColor("#eef3f7")),
        ],
    )
    pay = [
        Paragraph("Pay money in", st["h3"]),
        Paragraph(
            f"IBAN <b>{account['iban']}</b><br/>BIC <b>{account['bic']}</b><br/>"
            f"Sort code <b>{account['sort_code']}</b><br/>Account <b>{account['number']}</b>",
            st["body"],
        ),
        Paragraph("Use these details to receive payments from the UK and abroad.", st["small"]),
    ]
    story.append(
        Table(
            [[summary, pay]],
            colWidths=[100 * mm, None],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (1, 0), (1, 0), HexColor("#eef3f7")),
            ],
        )
    )
    for message in data.get("messages") or []:
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph(f"<b>Good to know:</b> {message}", st["body"]))
    story.append(Paragraph("Transactions", st["h2"]))
    rows = [["Date", "Description", "Money in", "Money out", "Balance"]]
    for t in tx:
        rows.append(
            [
                _date(t["date"], "d MMM"),
                Paragraph(t["description"], st["cell"]),
                _money(t["paid_in"]) if t.get("paid_in") else "",
                _money(t["paid_out"]) if t.get("paid_out") else "",
                _money(t["balance"]),
            ]
        )
    rows.append(
        ["Totals and closing balance", "", _money(money_in), _money(money_out), _money(closing)]
    )
    last = len(rows) - 1
    story.append(
        Table(
            rows,
            colWidths=[20 * mm, 72 * mm, 25 * mm, 25 * mm, 30 * mm],
            repeatRows=1,
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), "BrandSans", 8.5),
                    ("FONT", (0, 0), (-1, 0), "BrandSans-Bold", 8.5),
                    ("FONT", (0, last), (-1, last), "BrandSans-Bold", 8.5),
                    ("BACKGROUND", (0, 0), (-1, 0), HexColor(NAVY)),
                    ("TEXTCOLOR", (0, 0), (-1, 0), white),
                    ("ROWBACKGROUNDS", (0, 1), (-1, last - 1), [white, HexColor("#f3f6f9")]),
                    ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("SPAN", (0, last), (1, last)),
                    ("LINEABOVE", (0, last), (-1, last), 0.8, HexColor(NAVY)),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            ),
        )
    )
    story.append(
        KeepTogether(
            [
                Paragraph("Your balance over six months", st["h2"]),
                _chart(account.get("history", [])),
            ]
        )
    )
    story.append(Paragraph("Questions? We are here to help", st["h3"]))
    story.append(
        Paragraph(
            "Call us on <b>0117 496 0000</b> (Monday to Friday 8am–8pm, Saturday 9am–1pm) or visit "
            '<a href="https://northwind.example/help" color="blue">northwind.example/help</a>.',
            st["body"],
        )
    )
    doc.build(story, canvasmaker=_numbered_canvas())
    return buffer.getvalue()


if __name__ == "__main__":
    import json

    sample = json.loads(
        (ROOT / "examples/statement/data/sample.json").read_text(), parse_float=Decimal
    )
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "reportlab-statement.pdf")
    target.write_bytes(render_reportlab_pdf(sample))
    print(f"wrote {target}")
