"""Helpers for the Typst engine tests: a statement-like layout tree built by hand (spec/typst.md).

Three A4 pages: a first-page variant (its own header, a larger top margin), "Page X of Y" in the
footer, an 80-row table with fixed column widths, zebra rows and a repeated header, a QR code
from :func:`ccmlang.graphics.qr_code`, an SVG logo and a PNG stamp written into the project,
and one project font: DejaVu Sans copied into the project at test time and declared as
"Test Sans". Nothing here needs the compiler.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

from ccmlang import layout as L

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 30" width="100" height="30">'
    '<rect width="100" height="30" rx="4" fill="#003366"/>'
    '<circle cx="15" cy="15" r="9" fill="#ffcc00"/></svg>'
)
NONE = L.Style()
TITLE = L.Style(name="brand.title", font_size="16pt", font_weight="bold", color="#003366")
SMALL = L.Style(font_size="8pt", color="#555555")
WARNING = L.Style(
    name="brand.warning",
    color="#aa0000",
    background="#fff0f0",
    padding=("2mm", "3mm", "2mm", "3mm"),
    border=(L.Border("0.5pt", "#aa0000"),) * 4,
)
HEADER_ROW = L.Style(name="table.head", background="#dde4ee")


def png_bytes(width: int, height: int, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real, minimal RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    row = b"\x00" + bytes(rgb) * width
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def o(line: int, column: int = 1) -> L.Origin:
    return L.Origin("statement.ccm", line, column)


def para(value: str, style: L.Style = NONE, line: int = 30) -> L.Paragraph:
    return L.Paragraph((L.Text(value),), style, origin=o(line))


def transactions(count: int = 80) -> L.Table:
    columns = (
        L.Column("25mm", "left"),
        L.Column("95mm", "left"),
        L.Column("30mm", "right"),
        L.Column("20mm", "center"),
    )
    header = (
        L.Row(
            tuple(L.Cell((para(t),), NONE) for t in ("Date", "Description", "Amount", "Type")),
            NONE,
        ),
    )
    body = tuple(
        L.Row(
            (
                L.Cell((para(f"{1 + i % 28:02d} Mar 2024"),), NONE),
                L.Cell((para(f"Card payment {i + 1} at Market Street Grocers"),), NONE),
                L.Cell((para(f"-{(i * 7.31) % 200 + 1:.2f}"),), NONE),
                L.Cell((para("DEB"),), NONE),
            ),
            NONE,
            origin=o(41, 3),
        )
        for i in range(count)
    )
    footer = (
        L.Row(
            (
                L.Cell((para("Closing balance"),), NONE, colspan=2),
                L.Cell((para("1,234.56"),), NONE),
                L.Cell((), NONE),
            ),
            L.Style(
                font_weight="bold",
                border=(L.Border("0.8pt", "#003366"),) + (L.Border("0", "#000", "none"),) * 3,
            ),
        ),
    )
    return L.Table(
        columns,
        header,
        body,
        footer,
        SMALL,
        HEADER_ROW,
        repeat_header=True,
        zebra="#f2f2f2",
        empty=(L.Text("No transactions this period."),),
        caption="Transactions",
        origin=o(40),
    )


def make_project(root: Path) -> Path:
    (root / "fonts").mkdir(parents=True, exist_ok=True)
    (root / "assets").mkdir(exist_ok=True)
    shutil.copy(DEJAVU, root / "fonts" / "DejaVuSans.ttf")
    (root / "assets" / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    (root / "assets" / "stamp.png").write_bytes(png_bytes(60, 20))
    (root / "ccm.toml").write_text('[project]\nname = "test"\n', encoding="utf-8")
    return root


def statement(root: Path, rows: int = 80, name: str = "Ada Lovelace") -> L.Document:
    from ccmlang.graphics import qr_code

    footer = (
        L.Paragraph(
            (L.Text("Page "), L.PageNumber(), L.Text(" of "), L.PageCount()),
            L.Style(font_size="8pt", text_align="center"),
            origin=o(6),
        ),
    )
    first = L.PageMaster(
        "210mm",
        "297mm",
        ("30mm", "18mm", "20mm", "18mm"),
        header=(
            L.Image("assets/logo.svg", "Northwind Bank", "35mm", None, NONE, origin=o(4, 12)),
            para("Northwind Bank - Account statement (first page)", SMALL, 4),
        ),
        footer=footer,
        header_height="15mm",
    )
    rest = L.PageMaster(
        "210mm",
        "297mm",
        ("20mm", "18mm", "20mm", "18mm"),
        header=(para("Northwind Bank - continued statement", SMALL, 5),),
        footer=footer,
    )
    qr = qr_code("https://example.com/pay/12345678", size="25mm")
    body: tuple[L.Block, ...] = (
        L.Heading(1, (L.Text("Your account at a glance"),), TITLE, origin=o(20)),
        L.Paragraph(
            (
                L.Text("Dear "),
                L.Span((L.Text(name),), L.Style(font_weight="bold"), origin=o(21, 7)),
                L.Text(", here is your statement. Questions? "),
                L.Link(
                    "https://example.com/help", (L.Text("Visit our help pages"),), origin=o(21, 40)
                ),
                L.Text("."),
            ),
            NONE,
            origin=o(21),
        ),
        L.Paragraph((L.Text("Your account is overdrawn by £12.34."),), WARNING, origin=o(23)),
        L.List(
            False,
            (
                L.ListItem((para("Opening balance: 1,000.00"),)),
                L.ListItem((para("Closing balance: 1,234.56"),)),
            ),
            NONE,
            origin=o(25),
        ),
        L.Image("assets/stamp.png", "Paid stamp", "30mm", "10mm", NONE, origin=o(27)),
        transactions(rows),
        L.PageBreak(origin=o(49)),
        L.Heading(2, (L.Text("Important information"),), TITLE, origin=o(50)),
        L.Rule("0.5pt", "#999999", NONE, origin=o(51)),
        L.Graphic(
            "qr", qr.svg, "Scan to pay", qr.width, qr.height, NONE, data=qr.data, origin=o(52)
        ),
        para("Thank you for banking with us.", NONE, 53),
    )
    return L.Document(
        metadata=L.Metadata(
            title="Statement 12345678",
            subject="Account statement March 2024",
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
        base_style=L.Style(font_family="Test Sans", font_size="10pt", line_height="1.3"),
        fonts=(L.FontFace("Test Sans", "fonts/DejaVuSans.ttf"),),
        project_root=str(root),
    )


@dataclass
class Project:
    root: Path
    document: L.Document


def pdf_pages_text(data: bytes, layout: bool = True) -> list[str]:
    """``pdftotext`` (``-layout`` by default), one string per page."""
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    result = subprocess.run(args, input=data, capture_output=True, check=True)
    pages = result.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def normalised_text(data: bytes) -> str:
    return " ".join(" ".join(pdf_pages_text(data)).split())


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)
