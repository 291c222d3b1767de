"""Images for the XSL-FO backend: checked, sized, and SVG parsed safely (spec/backends-fo.md,
"Images, SVG and safe XML").

Raster images stay files: the asset fetcher checks them (inside the project, content type,
pixel limit) and the FO names them relative to the project root, so the FO is the same wherever
the project lives. SVG assets are read here, parsed with :func:`ccmlang.safexml.parse_xml`
*before* anything else looks at them, and handed to the builder as element trees to inline: a
formatter never parses an SVG file itself (Batik would resolve its entities and references).

Sizes are always explicit in the FO: FOP honours an image's own resolution (a 300 dpi PNG prints
at a third of its pixel size) while CSS, and WeasyPrint, give every image pixel 1/96 inch.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from ccmlang.backends import fo_props as props
from ccmlang.backends.base import BackendError
from ccmlang.backends.fetch import SafeFetcher, image_size
from ccmlang.safexml import XmlError, parse_xml

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
HREFS = ("href", XLINK_HREF)
PX = Decimal("0.75")
"""Points per CSS pixel."""

Size = tuple[Decimal, Decimal]

_SVG_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in|pc)?\s*$")
_SVG_UNIT_PT = {
    "px": PX,
    "pt": Decimal(1),
    "mm": Decimal(72) / Decimal("25.4"),
    "cm": Decimal(720) / Decimal("25.4"),
    "in": Decimal(72),
    "pc": Decimal(12),
}


def _svg_length_pt(value: str | None) -> Decimal | None:
    match = _SVG_LENGTH.match(value or "")
    if match is None:
        return None
    return Decimal(match[1]) * _SVG_UNIT_PT[match[2] or "px"]


def svg_size_pt(svg: etree._Element) -> Size | None:
    """An SVG's intrinsic size in points: ``width``/``height`` (unitless = px), a missing one
    from the ``viewBox`` ratio, both from the ``viewBox`` in px; ``None`` if it has none."""
    width, height = _svg_length_pt(svg.get("width")), _svg_length_pt(svg.get("height"))
    box = (svg.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            vw, vh = Decimal(box[2]), Decimal(box[3])
        except ArithmeticError:
            vw = vh = Decimal(0)
        if vw > 0 and vh > 0:
            if width is None and height is None:
                return vw * PX, vh * PX
            if width is None and height is not None:
                return height * vw / vh, height
            if height is None and width is not None:
                return width, width * vh / vw
    if width is not None and height is not None and width > 0 and height > 0:
        return width, height
    return None


def content_size(
    width: str | None, height: str | None, intrinsic: Size | None
) -> tuple[str | None, str | None]:
    """``content-width``/``content-height`` as CSS sizes an image: the given sides, a missing
    side from the aspect ratio, neither given → the intrinsic size."""
    w = props.length(width, "image width") if width else None
    h = props.length(height, "image height") if height else None
    if intrinsic is None or (w and h):
        return w, h
    iw, ih = intrinsic
    if not w and not h:
        return props.points(iw), props.points(ih)
    if w and iw > 0:
        pw = props.length_pt(w)
        if pw is not None:
            return w, props.points(pw * ih / iw)
    if h and ih > 0:
        ph = props.length_pt(h)
        if ph is not None:
            return props.points(ph * iw / ih), h
    return w, h


def is_svg_name(src: str) -> bool:
    return src.lower().endswith((".svg", ".svgz"))


class FoAssets:
    """The images of one render, through the document's fetcher. ``image_urls="absolute"``
    names raster files by absolute ``file:`` URI instead of relative to the project."""

    def __init__(self, fetcher: SafeFetcher, *, image_urls: str = "relative") -> None:
        self.fetcher = fetcher
        self.image_urls = image_urls
        self._svg: dict[str, tuple[bytes, Size | None]] = {}

    def is_svg(self, src: str) -> bool:
        if is_svg_name(src):
            return True
        try:
            with open(self.fetcher.resolve(src), "rb") as handle:
                head = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        except OSError:
            return False
        return head.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype"))

    def url(self, src: str) -> str:
        """How the FO names a project file: relative to the project root (checked real path)."""
        path = self.fetcher.resolve(src)
        if self.image_urls == "absolute":
            return path.as_uri()
        return quote(path.relative_to(Path(self.fetcher.root or "")).as_posix(), safe="/")

    def raster(self, src: str) -> tuple[str, Size | None]:
        """The FO URL of a raster image and its size in points at 96 px to the inch."""
        asset = self.fetcher.load(quote(src, safe="/"))
        size = image_size(asset.data)
        intrinsic = None if size is None else (Decimal(size[1]) * PX, Decimal(size[2]) * PX)
        return self.url(src), intrinsic

    def svg(self, src: str) -> tuple[etree._Element, Size | None]:
        """A fresh, safely parsed tree of an SVG asset (to insert into the FO), with relative
        references rewritten for their new place, and its intrinsic size."""
        data, size = self._load_svg(src)
        root = parse_xml(data, what=f"image asset {src!r}")
        folder = Path(src).parent
        for element in root.iter():
            for name in HREFS:
                ref = element.get(name)
                if ref is None or ref.startswith("#") or ref.lower().startswith("data:"):
                    continue
                # Inlined, the reference would resolve against the FO's base (the project
                # root), not the SVG's folder.
                target = (folder / ref).as_posix()
                self.fetcher.check_file(target)
                element.set(name, self.url(target))
        return root, size

    def _load_svg(self, src: str) -> tuple[bytes, Size | None]:
        """Read once per render; parse safely first, then let the fetcher check the rest
        (inside the project, size, references)."""
        cached = self._svg.get(src)
        if cached is not None:
            return cached
        path = self.fetcher.resolve(src)
        try:
            with open(path, "rb") as handle:
                data = handle.read(self.fetcher.max_asset_bytes + 1)
        except OSError:
            self.fetcher.load(quote(src, safe="/"))  # raises the fetcher's "missing" error
            raise
        try:
            root = parse_xml(data, what=f"image asset {src!r}")
        except XmlError as exc:
            raise BackendError(exc.message, code=exc.code, asset=src) from None
        self.fetcher.load(quote(src, safe="/"))
        if root.tag != f"{{{SVG_NS}}}svg":
            raise BackendError(
                f"refused image asset {src!r}: not an SVG document (root {root.tag!r})",
                code="E3007",
                asset=src,
            )
        result = (data, svg_size_pt(root))
        self._svg[src] = result
        return result


def graphic_svg(svg: str, kind: str) -> etree._Element:
    """A :class:`~ccmlang.layout.Graphic`'s SVG, parsed safely; graphics are self-contained,
    so any reference but a ``#fragment`` is refused (``E3010``)."""
    try:
        root = parse_xml(svg.encode("utf-8"), what=f"{kind} graphic")
    except XmlError as exc:
        raise BackendError(exc.message, code=exc.code) from None
    for element in root.iter():
        for name in HREFS:
            ref = element.get(name)
            if ref is not None and not ref.startswith("#"):
                raise BackendError(
                    f"{kind} graphic refers to {ref[:80]!r}; graphics are self-contained",
                    code="E3010",
                )
    return root
