"""The Typst backends: ``pdf-typst`` (PDF through the Typst compiler) and ``typst`` (its source).

spec/typst.md. The layout tree is lowered to JSON data (:mod:`.typst_engine.lower`) and handed to
one fixed Typst program, ``render.typ``, through the compiler's ``sys.inputs``: data is never
pasted into markup, so a customer called ``#read("/etc/passwd")`` is printed, not run. One
compiler per project and font set is reused for every record (:mod:`.typst_engine.compiler`).

* :class:`TypstPdfBackend` (``ccm render --to pdf --engine typst``, entry point ``pdf-typst``):
  PDF bytes, with PDF/A (``a-2b``, ``a-3b``, ``a-3u``), PDF/UA-1, attachments and metadata;
  Typst tags every PDF (structure tree), so ``tagged`` needs no switch.
  :meth:`TypstPdfBackend.render_stream` lays several records out in one compilation, each with
  its own page numbering: the print-stream path of ``ccm batch``.
* :class:`TypstSourceBackend` (``ccm render --to typst``, entry point ``typst``): the program
  with the document's JSON embedded as one escaped string literal, compilable on its own with
  ``typst compile --root <project> --ignore-system-fonts --font-path <fonts>``.

Determinism: no clock. Without ``RenderOptions.timestamp`` the PDF has no date, except PDF/A,
which requires one and gets :data:`FIXED_DATE`.
"""

from __future__ import annotations

import io
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from pypdf import PdfReader

from ccmlang import layout
from ccmlang.backends.base import (
    Attachment,
    BackendError,
    RenderOptions,
    enforce_output_limit,
    enforce_page_limit,
)
from ccmlang.backends.fetch import SafeFetcher, image_size, make_fetcher
from ccmlang.backends.html import DEFAULT_MAX_OUTPUT_BYTES
from ccmlang.backends.typst_engine import standalone_source
from ccmlang.backends.typst_engine.lower import Lowering, length, metadata

FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
"""The date written to PDF/A output (which must carry one) when no timestamp is given."""

_SVG_WIDTH = re.compile(rb"<svg\b[^>]*?\swidth\s*=\s*[\"']([^\"']+)[\"']", re.S)
_natural_lock = threading.Lock()
_natural_cache: OrderedDict[tuple[str, int, int], float | None] = OrderedDict()


def _natural_width(fetcher: SafeFetcher) -> Callable[[str], float | None]:
    """CSS's intrinsic width of an image with neither width nor height, in points.

    CSS gives an image one CSS pixel (0.75pt) per image pixel, and SVG user units are pixels;
    Typst would give a point each, so without this an unsized image would be a third larger.
    """

    def width(src: str) -> float | None:
        path = fetcher.resolve(src)
        info = path.stat()
        key = (str(path), info.st_size, info.st_mtime_ns)
        with _natural_lock:
            if key in _natural_cache:
                return _natural_cache[key]
        data = fetcher.load(quote(src, safe="/")).data
        result: float | None = None
        size = image_size(data)
        if size is not None:
            result = size[1] * 0.75
        else:
            match = _SVG_WIDTH.search(data[:4096])
            text = match[1].decode("ascii", "replace").strip() if match else ""
            if re.fullmatch(r"\d+(?:\.\d*)?", text):
                result = float(text) * 0.75  # SVG user units are CSS pixels
            elif text:
                try:
                    value = length(text)
                except BackendError:
                    value = None
                if isinstance(value, float):
                    result = value
        with _natural_lock:
            _natural_cache[key] = result
            while len(_natural_cache) > 256:
                _natural_cache.popitem(last=False)
        return result

    return width


def _attachment(attachment: Attachment) -> dict[str, Any]:
    raw = bytes(attachment.data)
    try:
        data: Any = raw.decode("utf-8")
    except UnicodeDecodeError:
        data = list(raw)  # Typst's bytes() takes an array of byte values
    return {
        "name": attachment.name,
        "data": data,
        "mime": attachment.media_type,
        "desc": attachment.description or None,
        "rel": (attachment.relationship or "Unspecified").lower(),
    }


def attachments_of(options: RenderOptions) -> list[dict[str, Any]]:
    items = list(options.attachments)
    if options.data_json is not None:
        items.append(
            Attachment(
                "data.json",
                options.data_json,
                "application/json",
                "The data record this document was rendered from",
                "Data",
            )
        )
    return [_attachment(a) for a in items]


def custom_info(document: layout.Document, *, index: bool = True) -> list[tuple[str, str]]:
    """The entries WeasyPrint writes from the HTML ``<meta>`` tags, under the same names."""
    meta = document.metadata
    out = [("ccm:template", meta.template), ("ccm:template-version", meta.template_version)]
    if index:
        out.extend((f"ccm:index:{key}", value) for key, value in meta.index)
    return [(k, v) for k, v in out if v]


class AssetChecks:
    """One project's fetcher and the assets it already vetted (spec/backends.md, "Fetcher").

    Every record re-resolves each image path (symlinks followed, must stay inside the project)
    and re-stats it; the content checks (type, pixel count, SVG references) run again only when
    the file changed. Graphics we drew are vetted once per distinct SVG text.
    """

    def __init__(self, root: str | None, max_image_pixels: int) -> None:
        self.fetcher = make_fetcher(root, max_image_pixels=max_image_pixels)
        self._files: dict[str, tuple[str, int, int]] = {}
        self._svgs: OrderedDict[str, None] = OrderedDict()
        self.natural_width = _natural_width(self.fetcher)

    def image(self, src: str) -> None:
        path = self.fetcher.resolve(src)
        try:
            info = path.stat()
        except OSError:
            self.fetcher.check_file(src)  # raises the asset-missing error
            raise
        stamp = (str(path), info.st_size, info.st_mtime_ns)
        if self._files.get(src) != stamp:
            self.fetcher.check_file(src)
            self._files[src] = stamp

    def svg(self, svg: str, name: str) -> None:
        if svg in self._svgs:
            return
        self.fetcher.check_svg(svg, name)
        self._svgs[svg] = None
        while len(self._svgs) > 256:
            self._svgs.popitem(last=False)


_checks_lock = threading.Lock()
_checks: dict[tuple[str | None, int], AssetChecks] = {}


def asset_checks(root: str | None, max_image_pixels: int) -> AssetChecks:
    key = (root, max_image_pixels)
    with _checks_lock:
        found = _checks.get(key)
        if found is None:
            found = _checks[key] = AssetChecks(root, max_image_pixels)
        return found


class Prepared:
    """What a set of documents needs before compiling: vetted fonts, asset checks, engine."""

    def __init__(self, documents: Sequence[layout.Document], max_image_pixels: int | None) -> None:
        from ccmlang.backends.fetch import DEFAULT_MAX_IMAGE_PIXELS
        from ccmlang.backends.typst_engine.compiler import engine_for
        from ccmlang.backends.typst_engine.fonts import font_set

        if not documents:
            raise ValueError("no documents to render")
        first = documents[0]
        for other in documents[1:]:
            if other.project_root != first.project_root or other.fonts != first.fonts:
                raise ValueError("documents rendered together must share project and fonts")
        root = os.path.realpath(first.project_root) if first.project_root else None
        self.checks = asset_checks(root, max_image_pixels or DEFAULT_MAX_IMAGE_PIXELS)
        self.fonts = font_set(first, self.checks.fetcher)
        self.engine = engine_for(root, self.fonts)

    def input_json(self, documents: Sequence[layout.Document], options: RenderOptions) -> str:
        """The program's input: styles, metadata, attachments and one entry per record."""
        lowering = Lowering(
            self.fonts.map,
            natural_width=self.checks.natural_width,
            check_image=self.checks.image,
            check_svg=self.checks.svg,
        )
        records = [lowering.record(d) for d in documents]
        first = documents[0]
        base = lowering.style(first.base_style)
        dated = options.timestamp is not None or _is_pdfa(options)
        data: dict[str, Any] = {
            "styles": lowering.styles,
            "formats": lowering.formats,
            "font": self.fonts.map.default,
            "meta": metadata(first.metadata, dated=dated),
            "attach": attachments_of(options),
            "records": records,
        }
        if base is not None:
            data["s"] = base
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _is_pdfa(options: RenderOptions) -> bool:
    return (options.pdf_variant or "").startswith("pdf/a")


class TypstPdfBackend:
    """``ccm render --to pdf --engine typst``: PDF through the Typst compiler."""

    name = "pdf-typst"
    media_type = "application/pdf"
    extension = "pdf"

    def __init__(
        self,
        *,
        max_image_pixels: int | None = None,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    ) -> None:
        self.max_image_pixels = max_image_pixels
        self.max_output_bytes = max_output_bytes

    def prepare(self, document: layout.Document) -> None:
        """Load the fonts, build the compiler and compile this document once, discarding the
        PDF: a worker's first record then costs no more than the others."""
        prepared = Prepared([document], self.max_image_pixels)
        prepared.engine.compile(prepared.input_json([document], RenderOptions()))

    def render(self, document: layout.Document, options: RenderOptions) -> bytes:
        return self._compile([document], options, custom_info(document))

    def render_stream(self, documents: Sequence[layout.Document], options: RenderOptions) -> bytes:
        """Several records in one PDF and one compilation, each numbered from its page 1.

        Metadata comes from the first record; per-record archive index entries are left out
        (they describe one record, not the stream).
        """
        if not documents:
            raise ValueError("no documents to render")
        return self._compile(documents, options, custom_info(documents[0], index=False))

    def _compile(
        self,
        documents: Sequence[layout.Document],
        options: RenderOptions,
        info: list[tuple[str, str]],
    ) -> bytes:
        from ccmlang.backends.typst_engine.pdfinfo import add_info

        prepared = Prepared(documents, options.max_image_pixels or self.max_image_pixels)
        tree = prepared.input_json(documents, options)
        timestamp = options.timestamp or (FIXED_DATE if _is_pdfa(options) else None)
        data = prepared.engine.compile(tree, pdf_variant=options.pdf_variant, timestamp=timestamp)
        data = add_info(data, info)
        if options.max_pages is not None and len(documents) == 1:  # the limit is per document
            enforce_page_limit(len(PdfReader(io.BytesIO(data)).pages), options)
        return enforce_output_limit(data, options, self.max_output_bytes, "PDF")


class TypstSourceBackend:
    """``ccm render --to typst``: the Typst source of the document, self-contained."""

    name = "typst"
    media_type = "text/x-typst; charset=utf-8"
    extension = "typ"

    def render(self, document: layout.Document, options: RenderOptions) -> bytes:
        prepared = Prepared([document], None)
        tree = prepared.input_json([document], options)
        fonts = prepared.fonts.directory
        header = (
            "// Generated by ccmlang (spec/typst.md): the fixed ccmlang program with this\n"
            "// document's layout tree embedded as data. Compile it from the template project:\n"
            "//   typst compile --root <project> --ignore-system-fonts "
            f"{'--font-path <project fonts> ' if fonts else ''}<this file>\n"
        )
        return standalone_source(tree, header).encode("utf-8")
