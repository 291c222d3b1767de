"""Reading PDFs back for the FOP comparisons: text per page (pdftotext) and embedded fonts.

:func:`page_texts` is ``pdftotext -layout`` with whitespace normalised: lines are rebuilt from
positions, so it reads the same for two engines that place words alike. Where blocks of
different font sizes sit side by side (a letterhead), pdftotext groups lines by the font's
ascent and descent, which FOP and WeasyPrint write differently into the PDF (FOP from ``hhea``,
WeasyPrint from the glyph boxes), and the same words can come out in another order.
:func:`page_words` is the order-free comparison: the words of each page, with their counts.
"""

from __future__ import annotations

import difflib
import io
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pypdf


def page_texts(pdf: bytes) -> list[str]:
    """Whitespace-normalised text of every page."""
    with tempfile.TemporaryDirectory(prefix="ccm-pdftext-") as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        raw = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
    pages = raw.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [" ".join(page.split()) for page in pages]


def page_words(pdf: bytes) -> list[Counter[str]]:
    """The words of every page with their counts (reading order left out, see above)."""
    return [Counter(text.split()) for text in page_texts(pdf)]


def explain_text_difference(expected: bytes, actual: bytes) -> str:
    """A readable account of how two PDFs' page texts differ (for assertion messages)."""
    a, b = page_texts(expected), page_texts(actual)
    lines = [f"pages: {len(a)} (WeasyPrint) vs {len(b)} (FOP)"]
    for number, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if Counter(x.split()) == Counter(y.split()):
            continue
        lines.append(f"page {number}:")
        diff = difflib.unified_diff(x.split(), y.split(), "WeasyPrint", "FOP", lineterm="", n=3)
        lines.extend(f"  {line}" for line in list(diff)[2:60])
    return "\n".join(lines)


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def fonts(pdf: bytes) -> dict[str, str]:
    """Every font used on any page (forms included) → its embedded font file key, or ``""``."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found: dict[str, str] = {}

    def visit_resources(resources: Any) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            visit_font(font.get_object())
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit_resources(xobject.get("/Resources"))

    def visit_font(font: Any) -> None:
        name = str(font.get("/BaseFont", "?"))
        descriptors = []
        if "/FontDescriptor" in font:
            descriptors.append(font["/FontDescriptor"].get_object())
        for descendant in font.get("/DescendantFonts", []):
            descendant = descendant.get_object()
            if "/FontDescriptor" in descendant:
                descriptors.append(descendant["/FontDescriptor"].get_object())
        kind = ""
        for descriptor in descriptors:
            for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                if key in descriptor:
                    kind = key
        found[name] = kind

    for page in reader.pages:
        visit_resources(page.get("/Resources"))
    return found


def link_uris(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action.get_object():
                uris.append(str(action.get_object()["/URI"]))
    return uris


def outline_titles(pdf: bytes) -> list[Any]:
    """The outline as nested lists of titles."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))

    def walk(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, list):
                out.append(walk(item))
            else:
                out.append(str(item.title))
        return out

    return walk(reader.outline)
