"""The graphics survive WeasyPrint: text stays text (extractable from the PDF)."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import weasyprint

from ccmlang.graphics import bar_chart, code128, epc_qr, pie_chart


def test_pdf_contains_chart_and_barcode_text() -> None:
    graphics = [
        bar_chart(["January", "February"], [Decimal("12.30"), Decimal("-4.50")], title="Flows"),
        pie_chart(["Groceries", "Rent"], [Decimal(1), Decimal(3)]),
        code128("INV-0042"),
        epc_qr(name="ACME", iban="BE72000000001616", amount=Decimal("1.00")),
    ]
    html = "<html><body>" + "".join(f"<div>{g.svg}</div>" for g in graphics) + "</body></html>"
    pdf = weasyprint.HTML(string=html).write_pdf()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for word in ["Flows", "January", "February", "12.30", "-4.50", "Groceries", "(75.0%)"]:
        assert word in text
    assert "INV-0042" in text
