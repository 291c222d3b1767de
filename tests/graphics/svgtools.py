"""Helpers shared by the graphics tests: parse SVG strictly and read module sets back."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"
ALLOWED = {"svg", "g", "rect", "path", "line", "polyline", "circle", "text"}
_RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z")


def parse(svg: str) -> etree._Element:
    """Parse as XML (fails on anything ill-formed) and check the WeasyPrint-safe subset."""
    assert not svg.startswith("<?xml"), "no XML declaration expected"
    root = etree.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    for key in ("viewBox", "width", "height"):
        assert root.get(key), f"root lacks {key}"
    for element in root.iter():
        assert isinstance(element.tag, str), "no comments or processing instructions"
        assert element.tag.startswith(SVG), element.tag
        assert element.tag[len(SVG) :] in ALLOWED, element.tag
        assert "style" not in element.attrib
        assert not any("href" in name for name in element.attrib)
    return root


def find(root: etree._Element, tag: str) -> list[etree._Element]:
    return list(root.iter(f"{SVG}{tag}"))


def texts(root: etree._Element) -> list[str]:
    return [t.text or "" for t in find(root, "text")]


def view_box(root: etree._Element) -> tuple[float, float]:
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    return width, height


def path_modules(d: str) -> set[tuple[int, int]]:
    """Dark modules drawn by a run-length path ``M x y h w v1 h-w z ...``."""
    consumed = "".join(m.group(0) for m in _RUN.finditer(d))
    assert consumed == d, "path contains something other than module runs"
    modules: set[tuple[int, int]] = set()
    for match in _RUN.finditer(d):
        x, y, width, back = (int(g) for g in match.groups())
        assert width == back and width > 0
        modules.update((x + i, y) for i in range(width))
    return modules


def matrix_modules(matrix: Sequence[Sequence[int]], offset: int) -> set[tuple[int, int]]:
    return {
        (x + offset, y + offset) for y, row in enumerate(matrix) for x, bit in enumerate(row) if bit
    }
