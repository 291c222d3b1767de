"""The peer stack for benchmarks: the statement example with Jinja2 + WeasyPrint.

This is the statement of ``examples/statement/statement.ccm`` written the way a Python
developer would without ccmlang: a Jinja2 HTML template (``statement.html.j2``), figures
computed in Python, Babel for money and dates, CSS paged media, WeasyPrint for the PDF. It is
written to be fast in the ordinary ways (template, stylesheet and font configuration built
once per process), so a speed comparison measures the engines, not a careless peer.

The Data Matrix uses ccmlang's own encoder: a developer would add a barcode package, and using
the same encoder keeps barcode speed out of the comparison.

Use: ``render_peer_pdf(data) -> bytes`` (``data`` as in ``examples/statement/data``;
Decimal or float numbers). Importable from other benchmarks (``benchmarks/render.py``).
"""

from __future__ import annotations

import base64
import functools
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BRAND = ROOT / "examples" / "brand"

CSS = """
@font-face { font-family: "Brand Sans"; src: url("fonts/BrandSans-Regular.ttf"); }
@font-face { font-family: "Brand Sans"; font-weight: bold; src: url("fonts/BrandSans-Bold.ttf"); }
@font-face { font-family: "Brand Sans"; font-style: italic; src: url("fonts/BrandSans-Italic.ttf"); }
@font-face { font-family: "Brand Sans"; font-weight: bold; font-style: italic;
             src: url("fonts/BrandSans-BoldItalic.ttf"); }
@page {
  size: A4; margin: 28mm 18mm 24mm 20mm;
  @top-left { content: element(running-header); width: 100%; vertical-align: bottom; }
  @bottom-left { content: element(running-footer); width: 100%; vertical-align: top; }
}
@page :first {
  margin: 45mm 18mm 24mm 20mm;
  @top-left { content: element(first-header); }
}
.running-header { position: running(running-header); }
.first-header { position: running(first-header); }
.running-footer { position: running(running-footer); }
.page-number::after { content: "Page " counter(page) " of " counter(pages); }
body { font-family: "Brand Sans"; font-size: 9.5pt; line-height: 1.4; color: #1d1d1b; margin: 0; }
h1 { font-size: 16pt; color: #1f3a5f; margin: 2mm 0 3mm; }
h2 { font-size: 11.5pt; color: #1f3a5f; margin: 5mm 0 2mm; }
h3 { font-size: 10pt; color: #1f3a5f; margin: 0 0 2mm; }
p { margin: 0 0 1.5mm; }
.cols { display: flex; }
.cols > div { flex: 1 1 auto; }
.letterhead-contact { font-size: 7.5pt; line-height: 1.35; color: #5b6675; text-align: right; }
.footer { font-size: 7pt; line-height: 1.3; color: #5b6675; }
.page-number { font-size: 7.5pt; color: #5b6675; text-align: right; }
.address-window { width: 85mm; min-height: 40mm; }
.sender-line { font-size: 6.5pt; color: #5b6675; border-bottom: 0.3pt solid #5b6675;
               margin-bottom: 2mm; }
.address { font-size: 10pt; line-height: 1.3; }
.muted { color: #5b6675; }
.small-muted { font-size: 7.5pt; line-height: 1.3; color: #5b6675; }
.panel { background: #eef3f7; padding: 4mm 5mm; border-radius: 1.5mm; margin-bottom: 4mm; }
.keep { break-inside: avoid; }
.warning-box { background: #fdecee; border-left: 1.2mm solid #b00020; padding: 3mm 4mm;
               margin: 3mm 0; break-inside: avoid; }
.warning { color: #b00020; font-weight: bold; }
table { border-collapse: collapse; width: 100%; }
table.transactions { table-layout: fixed; font-size: 8.5pt; }
caption { text-align: left; font-size: 0; height: 0; }
th { background: #1f3a5f; color: #fff; font-weight: bold; font-size: 8.5pt; text-align: left;
     padding: 1mm 1.5mm; }
td { padding: 0.8mm 1.5mm; vertical-align: top; }
.transactions tbody tr:nth-child(even) { background: #f3f6f9; }
.num { text-align: right; }
.summary-label { color: #5b6675; }
.summary-total td { font-size: 11pt; font-weight: bold; border-top: 0.8pt solid #1f3a5f; }
.total-row td { font-weight: bold; border-top: 0.8pt solid #1f3a5f; }
thead { display: table-header-group; }
"""


def _money(value: Any, currency: str) -> str:
    from babel.numbers import format_currency

    return format_currency(Decimal(str(value)), currency, locale="en_GB")


def _date(value: str, pattern: str) -> str:
    import datetime

    from babel.dates import format_date

    return format_date(datetime.date.fromisoformat(value), pattern, locale="en_GB")


def _iban(value: str) -> str:
    compact = "".join(value.split())
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _chart(history: list[dict[str, Any]], currency: str) -> str:
    """A bar chart of month-end balances as SVG, the way one writes it by hand."""
    from babel.dates import format_date

    width, height, pad, base = 640.0, 200.0, 30.0, 170.0
    values = [Decimal(str(m["balance"])) for m in history] or [Decimal(0)]
    top = max(max(abs(v) for v in values), Decimal(1))
    bar = (width - 2 * pad) / max(len(values), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">']
    parts.append(
        f'<text x="{pad}" y="14" font-size="11">Balance at the end of each month ({currency})</text>'
    )
    import datetime

    for i, (month, value) in enumerate(zip(history, values, strict=False)):
        h = float(abs(value) / top) * (base - 30)
        x = pad + i * bar + bar * 0.15
        y = base - h if value >= 0 else base
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar * 0.7:.1f}" height="{h:.1f}" fill="#1f3a5f"/>'
        )
        label = format_date(datetime.date.fromisoformat(month["month"]), "MMM yy", locale="en_GB")
        parts.append(
            f'<text x="{x + bar * 0.35:.1f}" y="{base + 16}" font-size="10" text-anchor="middle">{label}</text>'
        )
    parts.append(f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="#5b6675"/>')
    parts.append("</svg>")
    return _data_uri("".join(parts))


@functools.cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True)
    env.filters.update(money=_money, date=_date, iban=_iban)
    return env.get_template("statement.html.j2")


@functools.cache
def _styles() -> tuple[Any, Any]:
    """Stylesheet and font configuration, built once per process as a careful developer would."""
    from weasyprint import CSS as WeasyCSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    sheet = WeasyCSS(string=CSS, base_url=str(BRAND) + "/", font_config=fonts)
    return sheet, fonts


@functools.cache
def _logo() -> str:
    return _data_uri((BRAND / "assets" / "logo.svg").read_text(encoding="utf-8"))


def render_peer_html(data: dict[str, Any]) -> str:
    """The statement's HTML (figures computed here: totals and closing balance)."""
    sys.path.insert(0, str(ROOT))
    from ccmlang.graphics import datamatrix

    account = data["account"]
    currency = account["currency"]
    money_in = sum((Decimal(str(t.get("paid_in", 0))) for t in account["transactions"]), Decimal(0))
    money_out = sum(
        (Decimal(str(t.get("paid_out", 0))) for t in account["transactions"]), Decimal(0)
    )
    closing = Decimal(str(account["opening_balance"])) + money_in - money_out
    code = datamatrix(account["sort_code"].replace("-", "") + account["number"], size="12mm")
    return str(
        _environment().render(
            **{"messages": None, **data},
            currency=currency,
            money_in=money_in,
            money_out=money_out,
            closing=closing,
            logo=_logo(),
            datamatrix=_data_uri(code.svg),
            chart=_chart(account.get("history", []), currency),
        )
    )


def render_peer_pdf(data: dict[str, Any]) -> bytes:
    """The statement as PDF through Jinja2 + WeasyPrint."""
    from weasyprint import HTML

    sheet, fonts = _styles()
    html = HTML(string=render_peer_html(data), base_url=str(BRAND) + "/")
    pdf: bytes = html.write_pdf(stylesheets=[sheet], font_config=fonts)
    return pdf


if __name__ == "__main__":  # render the sample: python benchmarks/peers/jinja_peer.py out.pdf
    import json

    sample = json.loads(
        (ROOT / "examples/statement/data/sample.json").read_text(), parse_float=Decimal
    )
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "peer-statement.pdf")
    target.write_bytes(render_peer_pdf(sample))
    print(f"wrote {target}")
