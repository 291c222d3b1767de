"""The only way a backend reads an asset: the template project's own files and ``data:`` URIs.

spec/backends.md, "Fetcher" (and ARCHITECTURE.md, "Limits and safety"): no network access ever
happens during rendering, and nothing outside the template project is read. WeasyPrint calls its
``url_fetcher`` for every sink (``<img>``, ``@font-face``, CSS ``url()`` and ``@import``, SVG
``<image>``, ``<link rel=attachment>``); :class:`SafeFetcher` answers all of them and never falls
back to WeasyPrint's default fetcher (which speaks HTTP, FTP and ``file:`` anywhere).

What is served, after ``os.path.realpath`` (symlinks are followed first, then checked):

* ``file:`` URLs and relative paths that resolve to a regular file inside the project root;
* ``data:`` URIs.

and only content we can vouch for: PNG, JPEG, GIF and WebP images whose pixel count, read from
their headers *before* anything decodes them, is at most ``max_image_pixels`` (``E3009``); SVG
without DTD or entities (``E3010``) whose references stay inside the project; fonts (by magic
number); UTF-8 text (CSS, JSON). Everything else is refused with ``E3007`` naming the URL.

WeasyPrint turns fetcher exceptions into logged warnings in some places (SVG drawing catches
everything), so the fetcher also *records* each refusal in :attr:`SafeFetcher.refusals`; the PDF
backend raises the first one after rendering.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import stat
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ccmlang import layout
from ccmlang.backends.base import BackendError
from ccmlang.backends.inventory import Inventory, collect
from ccmlang.safexml import XmlError, parse_xml

DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
"""40 megapixels: an A4 page at 600 dpi is 35 Mpx; anything larger is a mistake or an attack."""
DEFAULT_MAX_ASSET_BYTES = 64 * 1024 * 1024

# A fixed table, not the ``mimetypes`` module: that one reads the machine's /etc/mime.types and
# would make output depend on the host (spec/backends.md, "Determinism").
MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".json": "application/json",
    ".txt": "text/plain",
}
TEXT_TYPES = frozenset({"text/css", "application/json", "text/plain"})
FONT_MAGIC = {
    b"\x00\x01\x00\x00": "font/ttf",
    b"true": "font/ttf",
    b"OTTO": "font/otf",
    b"ttcf": "font/collection",
    b"wOFF": "font/woff",
    b"wOF2": "font/woff2",
}
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CSS_REFS = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""",
    re.IGNORECASE,
)
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD9)})


def _short(url: str) -> str:
    return url if len(url) <= 96 else url[:80] + "…" + url[-12:]


def refused(url: str, why: str, code: str = "E3007") -> BackendError:
    return BackendError(f"refused asset {_short(url)!r}: {why}", code=code, asset=_short(url))


# ---------------------------------------------------------------- content checks


def image_size(data: bytes) -> tuple[str, int, int] | None:
    """``(format, width, height)`` from a PNG/JPEG/GIF/WebP header, ``None`` for other content.

    Parses the header bytes only: nothing is decoded, so a decompression bomb costs nothing.
    Raises ``ValueError`` for a recognised signature with a truncated or inconsistent header.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(data) < 24 or data[12:16] != b"IHDR":
            raise ValueError("PNG without an IHDR header")
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data.startswith(b"\xff\xd8"):
        return ("jpeg", *_jpeg_size(data))
    if data[:6] in (b"GIF87a", b"GIF89a"):
        if len(data) < 10:
            raise ValueError("truncated GIF header")
        width, height = struct.unpack("<HH", data[6:10])
        return "gif", width, height
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ("webp", *_webp_size(data))
    return None


def _jpeg_size(data: bytes) -> tuple[int, int]:
    i, n = 2, len(data)
    while i < n:
        if data[i] != 0xFF:
            raise ValueError(f"JPEG marker expected at byte {i}")
        while i < n and data[i] == 0xFF:  # fill bytes
            i += 1
        if i >= n:
            break
        marker = data[i]
        if marker in _JPEG_STANDALONE:
            i += 1
            continue
        if marker in (0xD9, 0xDA):  # end of image / start of scan before any frame header
            break
        if i + 3 > n:
            break
        (length,) = struct.unpack(">H", data[i + 1 : i + 3])
        if marker in _JPEG_SOF:
            if i + 8 > n:
                break
            height, width = struct.unpack(">HH", data[i + 4 : i + 8])
            if height == 0:
                raise ValueError("JPEG with a deferred height (DNL) is not supported")
            return width, height
        if length < 2:
            break
        i += 1 + length
    raise ValueError("JPEG without a frame header")


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        (bits,) = struct.unpack("<I", data[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    raise ValueError("WebP without a readable frame header")


def _has_markup_declarations(data: bytes) -> bool:
    lowered = data.lower()
    return b"<!doctype" in lowered or b"<!entity" in lowered or b"<?xml-stylesheet" in lowered


_VERIFIED: dict[tuple[str, int, int, int, str | None], str] = {}
_VERIFIED_LOCK = threading.Lock()


def svg_references(data: bytes, url: str, max_bytes: int = DEFAULT_MAX_ASSET_BYTES) -> list[str]:
    """Check an SVG document and return the references it makes (hrefs, CSS ``url()``).

    Parsing is :func:`ccmlang.safexml.parse_xml`, the project's one XML policy: a DOCTYPE, entity,
    ``xml-stylesheet`` instruction or XInclude is refused with ``E3010`` (declarations by a byte
    scan before parsing, UTF-16 included); content that is not well-formed with ``E3007``.
    """
    try:
        root = parse_xml(data, what=f"SVG {_short(url)!r}", max_bytes=max_bytes)
    except XmlError as exc:
        raise BackendError(exc.message, code=exc.code, asset=_short(url)) from None
    if root.tag not in (f"{{{SVG_NS}}}svg", "svg"):
        raise refused(url, f"not an SVG document (root element {root.tag!r})")
    refs: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, raw in element.attrib.items():
            value = raw.decode() if isinstance(raw, bytes) else str(raw)
            if name in ("href", XLINK_HREF):
                refs.append(value.strip())
            elif "url(" in value.lower() or "@import" in value.lower():
                refs.extend(_css_refs(value))
        if element.tag in (f"{{{SVG_NS}}}style", "style") and element.text:
            refs.extend(_css_refs(element.text))
    return refs


def _css_refs(text: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None).strip() for m in _CSS_REFS.finditer(text)]


# ---------------------------------------------------------------- the fetcher


@dataclass(frozen=True, slots=True)
class Asset:
    url: str
    data: bytes
    media_type: str


class _Response(URLFetcherResponse):
    """A response without a filesystem path: WeasyPrint would otherwise re-read image files
    lazily by path when writing the PDF, after our checks (a symlink swap could escape)."""

    @property
    def path(self) -> None:
        return None


class SafeFetcher(URLFetcher):
    """WeasyPrint 70 ``URLFetcher`` that serves only project files and ``data:`` URIs.

    ``fail_on_errors=True`` makes WeasyPrint stop on a refusal wherever it can (it wraps our error
    in ``FatalURLFetchingError``); :attr:`refusals` catches the places where it cannot.
    """

    def __init__(
        self,
        project_root: Path | str | None,
        *,
        max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS,
        max_asset_bytes: int = DEFAULT_MAX_ASSET_BYTES,
    ) -> None:
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.root: str | None = os.path.realpath(project_root) if project_root else None
        self.max_image_pixels = max_image_pixels
        self.max_asset_bytes = max_asset_bytes
        self.refusals: list[BackendError] = []
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str | None:
        """``file:///real/project/root/``: what relative URLs in the document resolve against."""
        return Path(self.root).as_uri() + "/" if self.root else None

    # -- WeasyPrint entry points

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            asset = self.load(url)
        except BackendError as exc:
            with self._lock:
                self.refusals.append(exc)
            raise
        return _Response(asset.url, asset.data, {"Content-Type": asset.media_type})

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> Any:
        """``urllib.request.OpenerDirector.open``: never used to reach the network."""
        target = getattr(url, "full_url", url)
        return self.fetch(str(target))

    # -- our API

    def resolve(self, src: str) -> Path:
        """The real path of a project-relative asset path (``Image.src``, ``FontFace.src``)."""
        if _SCHEME.match(src) or src.startswith(("/", "\\")) or "\\" in src:
            raise refused(src, "asset paths are relative to the template project")
        return self._inside(src, os.path.join(self.root or "", src))

    def load(self, url: str) -> Asset:
        """Read and check ``url``; raises :class:`BackendError` for anything not allowed."""
        match = _SCHEME.match(url)
        if match is None:  # a bare relative path: relative to the project root
            path = self.resolve(unquote(url.split("#")[0].split("?")[0]))
            return self._load_file(url, path)
        scheme = match[1].lower()
        if scheme == "data":
            return self._load_data(url)
        if scheme == "file":
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                raise refused(url, f"file URL on another host ({parts.netloc!r})")
            path = self._inside(url, url2pathname(parts.path))
            return self._load_file(url, path)
        raise refused(url, f"{scheme}: URLs are never fetched (only project files and data: URIs)")

    def check_svg(self, svg: str, name: str) -> None:
        """Check an SVG we were handed as text (a :class:`~ccmlang.layout.Graphic`)."""
        for ref in svg_references(svg.encode("utf-8"), name):
            self._check_reference(name, ref, self.base_url)

    def check_file(self, src: str) -> str:
        """Check a project asset without serving it (pre-flight); returns its media type.

        Remembered per (real path, size, mtime, limits), so a batch checks its logo once, and an
        edited file (preview) is checked again.
        """
        path = self.resolve(src)
        try:
            info = path.stat()
        except OSError:
            return self._load_file(src, path).media_type  # raises "does not exist"
        key = (str(path), info.st_size, info.st_mtime_ns, self.max_image_pixels, self.root)
        with _VERIFIED_LOCK:
            known = _VERIFIED.get(key)
        if known is not None:
            return known
        media_type = self._load_file(src, path).media_type
        with _VERIFIED_LOCK:
            if len(_VERIFIED) >= 4096:
                _VERIFIED.clear()
            _VERIFIED[key] = media_type
        return media_type

    # -- internals

    def _inside(self, url: str, path: str) -> Path:
        if self.root is None:
            raise refused(url, "the document has no project root, so it may not read files")
        if "\x00" in path:
            raise refused(url, "a NUL character in the path")
        real = os.path.realpath(path)
        if real == self.root or os.path.commonpath([self.root, real]) != self.root:
            raise refused(url, "outside the template project")
        return Path(real)

    def _load_file(self, url: str, path: Path) -> Asset:
        try:
            info = path.stat()
        except OSError:
            raise BackendError(
                f"asset {_short(url)!r} does not exist in the template project",
                code="E1016",
                asset=_short(url),
            ) from None
        if not stat.S_ISREG(info.st_mode):
            raise refused(url, "not a regular file")
        if info.st_size > self.max_asset_bytes:
            raise refused(url, f"{info.st_size} bytes, more than {self.max_asset_bytes}")
        with open(path, "rb") as handle:
            data = handle.read(self.max_asset_bytes + 1)
        declared = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
        media_type = self._check_content(url, data, declared, path.parent.as_uri() + "/")
        return Asset(path.as_uri(), data, media_type)

    def _load_data(self, url: str) -> Asset:
        head, comma, payload = url[5:].partition(",")
        if not comma:
            raise refused(url, "malformed data: URI")
        if len(payload) > self.max_asset_bytes * 4 // 3 + 4:
            raise refused(url, f"data: URI longer than {self.max_asset_bytes} bytes")
        params = [p.strip() for p in head.split(";")]
        is_base64 = params[-1].lower() == "base64"
        media_type = params[0].lower() if params[0] and "/" in params[0] else "text/plain"
        raw = unquote_to_bytes(payload)
        if is_base64:
            try:
                data = base64.b64decode(raw + b"=" * (-len(raw.rstrip(b"=")) % 4))
            except (binascii.Error, ValueError):
                raise refused(url, "malformed base64 in data: URI") from None
        else:
            data = raw
        media_type = self._check_content(url, data, media_type, self.base_url)
        return Asset(url, data, media_type)

    def _check_content(self, url: str, data: bytes, declared: str, base: str | None) -> str:
        if len(data) > self.max_asset_bytes:
            raise refused(url, f"larger than {self.max_asset_bytes} bytes")
        try:
            size = image_size(data)
        except ValueError as exc:
            raise refused(url, str(exc)) from None
        if size is not None:
            fmt, width, height = size
            if width <= 0 or height <= 0:
                raise refused(url, f"{fmt.upper()} image with an empty size {width}×{height}")
            if width * height > self.max_image_pixels:
                raise BackendError(
                    f"image {_short(url)!r} is {width}×{height} = {width * height} pixels, "
                    f"more than the limit of {self.max_image_pixels}",
                    code="E3009",
                    asset=_short(url),
                )
            return f"image/{fmt}"
        if data[:4] in FONT_MAGIC:
            return FONT_MAGIC[data[:4]]
        if declared == "image/svg+xml" or _looks_like_svg(data):
            for ref in svg_references(data, url, self.max_asset_bytes):
                self._check_reference(url, ref, base)
            return "image/svg+xml"
        if declared in TEXT_TYPES:
            if _has_markup_declarations(data):
                raise refused(url, "text with a DOCTYPE or entity declaration", "E3010")
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                raise refused(url, f"declared {declared} but not UTF-8 text") from None
            return declared
        raise refused(url, f"unsupported asset type ({declared})")

    def _check_reference(self, url: str, ref: str, base: str | None) -> None:
        """A reference inside an SVG: fragment, data: URI, or a project file."""
        if not ref or ref.startswith("#") or ref.lower().startswith("data:"):
            return
        if _SCHEME.match(ref) and not ref.lower().startswith("file:"):
            raise refused(url, f"SVG refers to {_short(ref)!r}, which is never fetched")
        target = urljoin(base, ref) if base else ref
        if not target.lower().startswith("file:"):
            raise refused(url, f"SVG refers to {_short(ref)!r}, outside the template project")
        try:
            self._inside(ref, url2pathname(urlsplit(target).path))
        except BackendError:
            raise refused(
                url, f"SVG refers to {_short(ref)!r}, outside the template project"
            ) from None


def _looks_like_svg(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096])


def make_fetcher(
    project_root: Path | str | None,
    *,
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS,
    max_asset_bytes: int = DEFAULT_MAX_ASSET_BYTES,
) -> SafeFetcher:
    """A WeasyPrint ``url_fetcher`` for one render of a document of ``project_root``."""
    return SafeFetcher(
        project_root, max_image_pixels=max_image_pixels, max_asset_bytes=max_asset_bytes
    )


def check_document_assets(
    document: layout.Document, fetcher: SafeFetcher, found: Inventory | None = None
) -> None:
    """Pre-flight every asset the document names, so a refusal names the template line.

    Checks each ``Image.src`` and ``FontFace.src`` (inside the project, exists, allowed type,
    pixel limit) and each ``Graphic.svg`` (no DTD or entities, no outside references). The fetcher
    stays strict for everything else during rendering (CSS ``url()``, ``@import``, SVG ``<image>``).
    ``found`` is the HTML builder's record of the images and graphics; without it the tree is
    walked.
    """
    for face in document.fonts:
        try:
            media_type = fetcher.check_file(face.src)
        except BackendError as exc:
            raise BackendError(
                f"font {face.family!r}: {exc.message}", code=exc.code, asset=exc.asset
            ) from None
        if not media_type.startswith("font/"):
            raise refused(face.src, f"font {face.family!r} is not a font file ({media_type})")
    if found is None:
        found = collect(document)
    for image in found.images:
        try:
            fetcher.check_file(image.src)
        except BackendError as exc:
            raise exc.with_origin(image.origin) from None
    for graphic in found.graphics:
        try:
            fetcher.check_svg(graphic.svg, f"{graphic.kind} graphic")
        except BackendError as exc:
            raise exc.with_origin(graphic.origin) from None
