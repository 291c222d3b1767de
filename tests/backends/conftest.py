"""A statement-like layout tree built by hand (the compiler is not needed to test backends).

Three A4 pages: a first-page header variant, a footer "Page X of Y", an 80-row table with fixed
column widths and a repeated header, a QR graphic (a hand-written SVG), an SVG and a PNG asset
and a project font (DejaVu Sans copied into the project).
"""

from __future__ import annotations

import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from ccmlang import layout as L

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

QR_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21" width="21" height="21">'
    '<rect width="21" height="21" fill="#fff"/>'
    '<path d="M0 0h7v7h-7zM14 0h7v7h-7zM0 14h7v7h-7zM9 9h3v3h-3zM15 15h2v2h-2z" fill="#000"/>'
    "</svg>"
)
LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 30" width="100" height="30">'
    '<rect width="100" height="30" rx="4" fill="#003366"/>'
    '<circle cx="15" cy="15" r="9" fill="#ffcc00"/></svg>'
)


def png_bytes(width: int, height: int, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real, minimal RGB PNG (no Pillow needed)."""

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


def text(value: str) -> tuple[L.Inline, ...]:
    return (L.Text(value),)


NONE = L.Style()
BRAND_TITLE = L.Style(name="brand.title", font_size="16pt", font_weight="bold", color="#003366")
WARNING = L.Style(
    name="brand.warning",
    color="#aa0000",
    background="#fff0f0",
    padding=("2mm", "3mm", "2mm", "3mm"),
    border=(L.Border("0.5pt", "#aa0000"),) * 4,
)
SMALL = L.Style(font_size="8pt", color="#555555")
HEADER_ROW = L.Style(name="table.head", background="#dde4ee")


def paragraph(value: str, style: L.Style = NONE, line: int = 30) -> L.Paragraph:
    return L.Paragraph(text(value), style, origin=o(line))


def transactions(count: int = 80) -> L.Table:
    columns = (
        L.Column("25mm", "left"),
        L.Column("95mm", "left"),
        L.Column("30mm", "right"),
        L.Column("20mm", "center"),
    )
    header = (
        L.Row(
            tuple(L.Cell((paragraph(t),), NONE) for t in ("Date", "Description", "Amount", "Type")),
            NONE,
        ),
    )
    body = tuple(
        L.Row(
            (
                L.Cell((paragraph(f"{1 + i % 28:02d} Mar 2024"),), NONE),
                L.Cell((paragraph(f"Card payment {i + 1} at Market Street Grocers"),), NONE),
                L.Cell((paragraph(f"-{(i * 7.31) % 200 + 1:.2f}"),), NONE),
                L.Cell((paragraph("DEB"),), NONE),
            ),
            NONE,
            origin=o(41, 3),
        )
        for i in range(count)
    )
    footer = (
        L.Row(
            (
                L.Cell((paragraph("Closing balance"),), NONE, colspan=2),
                L.Cell((paragraph("1,234.56"),), NONE),
                L.Cell((), NONE),
            ),
            NONE,
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
        empty=text("No transactions this period."),
        caption="Transactions",
        origin=o(40),
    )


def make_project(root: Path) -> Path:
    (root / "fonts").mkdir(parents=True, exist_ok=True)
    (root / "assets").mkdir(exist_ok=True)
    shutil.copy(DEJAVU, root / "fonts" / "DejaVuSans.ttf")
    (root / "assets" / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    (root / "assets" / "stamp.png").write_bytes(png_bytes(60, 20))
    return root


def statement(root: Path, rows: int = 80) -> L.Document:
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
        ("20mm", "18mm", "20mm", "18mm"),
        header=(
            L.Image("assets/logo.svg", "Northwind Bank", "35mm", None, NONE, origin=o(4, 12)),
            paragraph("Northwind Bank - Account statement (first page)", SMALL, 4),
        ),
        footer=footer,
        header_height="15mm",
    )
    rest = L.PageMaster(
        "210mm",
        "297mm",
        ("20mm", "18mm", "20mm", "18mm"),
        header=(paragraph("Northwind Bank - continued statement", SMALL, 5),),
        footer=footer,
    )
    body: tuple[L.Block, ...] = (
        L.Heading(1, text("Your account at a glance"), BRAND_TITLE, origin=o(20)),
        L.Paragraph(
            (
                L.Text("Dear "),
                L.Span(text("Ada Lovelace"), L.Style(font_weight="bold"), origin=o(21, 7)),
                L.Text(", here is your statement. Questions? "),
                L.Link("https://example.com/help", text("Visit our help pages"), origin=o(21, 40)),
                L.Text("."),
            ),
            NONE,
            origin=o(21),
        ),
        L.Paragraph(text("Your account is overdrawn by £12.34."), WARNING, origin=o(23)),
        L.List(
            False,
            (
                L.ListItem((paragraph("Opening balance: 1,000.00"),)),
                L.ListItem((paragraph("Closing balance: 1,234.56"),)),
            ),
            NONE,
            origin=o(25),
        ),
        L.Image("assets/stamp.png", "Paid stamp", "30mm", "10mm", NONE, origin=o(27)),
        transactions(rows),
        L.PageBreak(origin=o(49)),
        L.Heading(2, text("Important information"), BRAND_TITLE, origin=o(50)),
        L.Rule("0.5pt", "#999999", NONE, origin=o(51)),
        L.Graphic("qr", QR_SVG, "Scan to pay", "25mm", "25mm", NONE, data="EPC", origin=o(52)),
        paragraph("Thank you for banking with us.", NONE, 53),
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
        base_style=L.Style(font_family="Brand Sans", font_size="10pt", line_height="1.3"),
        fonts=(L.FontFace("Brand Sans", "fonts/DejaVuSans.ttf"),),
        project_root=str(root),
    )


@dataclass
class Project:
    root: Path
    document: L.Document


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = make_project(tmp_path_factory.mktemp("project"))
    return Project(root, statement(root))
