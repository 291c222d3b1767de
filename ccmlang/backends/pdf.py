"""Layout tree to PDF through WeasyPrint 70 (spec/backends.md, "PDF").

Per template, not per record: the stylesheet is built from the document's shape and parsed once
(cached by content hash), and fonts are configured once per font set (one WeasyPrint
``FontConfiguration`` per process for documents without ``@font-face``). Per record: HTML from
:mod:`ccmlang.backends.html` without its ``<style>``, then ``write_pdf``.

Every fetch goes through :class:`ccmlang.backends.fetch.SafeFetcher`; a refused asset fails the
render with the fetcher's :class:`BackendError`, even where WeasyPrint would only log it.

Deterministic bytes (spec/backends.md, "Determinism"): no clock (dates only from
``RenderOptions.timestamp``), the PDF ``/ID`` derived from a hash of the input, fonts subset by
content, no temporary paths or random ids in the output.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from ccmlang import layout
from ccmlang.backends import css
from ccmlang.backends.base import (
    Attachment,
    BackendError,
    RenderOptions,
    enforce_output_limit,
    enforce_page_limit,
)
from ccmlang.backends.fetch import (
    DEFAULT_MAX_IMAGE_PIXELS,
    SafeFetcher,
    check_document_assets,
    make_fetcher,
)
from ccmlang.backends.html import DEFAULT_MAX_OUTPUT_BYTES, build_html_and_inventory
from ccmlang.backends.inventory import Inventory

ATTACHMENT_DATE = datetime(2000, 1, 1, tzinfo=UTC)
"""Date of embedded files when no timestamp is given: a constant, never the clock."""

_lock = threading.RLock()
_default_font_config: FontConfiguration | None = None
_font_cache: OrderedDict[tuple[Any, ...], tuple[FontConfiguration, weasyprint.CSS]] = OrderedDict()
_css_cache: OrderedDict[str, weasyprint.CSS] = OrderedDict()
FONT_CACHE_SIZE = 16
CSS_CACHE_SIZE = 64


def default_font_config() -> FontConfiguration:
    """The process-wide font configuration for documents without ``@font-face``."""
    global _default_font_config
    with _lock:
        if _default_font_config is None:
            _default_font_config = FontConfiguration()
        return _default_font_config


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)


def fonts_for(
    document: layout.Document, fetcher: SafeFetcher
) -> tuple[FontConfiguration, weasyprint.CSS | None]:
    """The font configuration and parsed ``@font-face`` stylesheet of a document's font set.

    One per (project, fonts, font files' size and mtime): a template's fonts are loaded into
    fontconfig once, and an edited font file (preview) is picked up.
    """
    if not document.fonts:
        return default_font_config(), None
    stamps = []
    for face in document.fonts:
        info = fetcher.resolve(face.src).stat()
        stamps.append((face, info.st_size, info.st_mtime_ns))
    key = (fetcher.root, tuple(stamps))
    with _lock:
        cached = _font_cache.get(key)
        if cached is not None:
            _font_cache.move_to_end(key)
            return cached
        config = FontConfiguration()
        sheet = _parse_css(css.font_face_rules(document.fonts), fetcher, config)
        _remember(_font_cache, key, (config, sheet), FONT_CACHE_SIZE)
        return config, sheet


def layout_css(
    document: layout.Document, found: Inventory | None = None
) -> tuple[weasyprint.CSS, str]:
    """The parsed layout stylesheet (pages, structure, styles) and its content hash."""
    text = css.layout_rules(document, found)
    key = hashlib.sha256(text.encode()).hexdigest()
    with _lock:
        cached = _css_cache.get(key)
        if cached is not None:
            _css_cache.move_to_end(key)
            return cached, key
        sheet = _parse_css(text, make_fetcher(None), None)
        _remember(_css_cache, key, sheet, CSS_CACHE_SIZE)
        return sheet, key


def _parse_css(
    text: str, fetcher: SafeFetcher, font_config: FontConfiguration | None
) -> weasyprint.CSS:
    with _refusals_raised(fetcher):
        return weasyprint.CSS(
            string=text, base_url=fetcher.base_url, url_fetcher=fetcher, font_config=font_config
        )


@contextlib.contextmanager
def _refusals_raised(fetcher: SafeFetcher) -> Iterator[None]:
    """Turn WeasyPrint's fatal fetch errors, and refusals it swallowed, into our error."""
    try:
        yield
    except FatalURLFetchingError as exc:
        if fetcher.refusals:
            raise fetcher.refusals[0] from None
        cause = exc.__cause__
        if isinstance(cause, BackendError):
            raise cause from None
        raise BackendError(str(exc), code="E3007") from None
    if fetcher.refusals:
        raise fetcher.refusals[0]


@contextlib.contextmanager
def _bytes_source(data: bytes, media_type: str) -> Iterator[tuple[io.BytesIO, None, None, str]]:
    yield io.BytesIO(data), None, None, media_type


def _attachment(attachment: Attachment, when: datetime) -> weasyprint.Attachment:
    data = bytes(attachment.data)
    result = weasyprint.Attachment(
        string=data,
        name=attachment.name,
        description=attachment.description or None,
        created=when,
        modified=when,
        relationship=attachment.relationship,
    )
    # WeasyPrint 70 guesses the media type from the name with the host's mimetypes database;
    # give it ours instead (pdf/anchors.py, write_pdf_attachment reads ``source``).
    result.source = _bytes_source(data, attachment.media_type)
    return result


def attachments_of(options: RenderOptions) -> tuple[Attachment, ...]:
    extra: tuple[Attachment, ...] = ()
    if options.data_json is not None:
        extra = (
            Attachment(
                "data.json",
                options.data_json,
                "application/json",
                "The data record this document was rendered from",
                "Data",
            ),
        )
    return (*options.attachments, *extra)


def _identifier(html: str, sheets: Sequence[str], options: RenderOptions) -> bytes:
    digest = hashlib.sha256()
    for part in (html, *sheets, options.pdf_variant or "", str(options.tagged)):
        digest.update(part.encode())
        digest.update(b"\0")
    for attachment in attachments_of(options):
        digest.update(attachment.name.encode() + b"\0" + hashlib.sha256(attachment.data).digest())
    when = options.utc_timestamp()
    if when is not None:
        digest.update(when.isoformat().encode())
    return digest.hexdigest()[:32].encode()


def write_pdf(
    html: str,
    *,
    fetcher: SafeFetcher,
    options: RenderOptions,
    stylesheets: Sequence[weasyprint.CSS | str] = (),
    font_config: FontConfiguration | None = None,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    identity: Sequence[str] = (),
) -> bytes:
    """HTML to PDF bytes through the safe fetcher: the single path every PDF takes.

    ``stylesheets`` are parsed objects (cached) or CSS text (parsed here, through the fetcher).
    ``identity`` names the parsed stylesheets for the PDF identifier (their content hashes).
    """
    # A raw HTML string may carry its own @font-face: never let it into a shared configuration.
    font_config = font_config or FontConfiguration()
    sheets = [_parse_css(s, fetcher, font_config) if isinstance(s, str) else s for s in stylesheets]
    when = (options.utc_timestamp() or ATTACHMENT_DATE).replace(tzinfo=None)
    texts = [*identity, *(s for s in stylesheets if isinstance(s, str))]
    pdf_options: dict[str, Any] = {
        "stylesheets": sheets,
        "pdf_identifier": _identifier(html, texts, options),
        "custom_metadata": True,
        "attachments": [_attachment(a, when) for a in attachments_of(options)] or None,
    }
    if options.pdf_variant is not None:
        pdf_options["pdf_variant"] = options.pdf_variant
    if options.tagged or (options.pdf_variant or "").startswith("pdf/ua"):
        pdf_options["pdf_tags"] = True
    with _refusals_raised(fetcher):
        source = weasyprint.HTML(string=html, base_url=fetcher.base_url, url_fetcher=fetcher)
        laid_out = source.render(font_config=font_config, **pdf_options)
        enforce_page_limit(len(laid_out.pages), options)
        data: bytes = laid_out.write_pdf(**pdf_options)
    return enforce_output_limit(data, options, max_output_bytes, "PDF")


class PdfBackend:
    """``ccm render --to pdf``."""

    name = "pdf"
    media_type = "application/pdf"
    extension = "pdf"

    def __init__(
        self,
        *,
        max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    ) -> None:
        self.max_image_pixels = max_image_pixels
        self.max_output_bytes = max_output_bytes

    def _fetcher(
        self, document: layout.Document, options: RenderOptions | None = None
    ) -> SafeFetcher:
        root = Path(document.project_root) if document.project_root else None
        pixels = options.max_image_pixels if options is not None else None
        return make_fetcher(root, max_image_pixels=pixels or self.max_image_pixels)

    def prepare(self, document: layout.Document) -> None:
        """Parse the stylesheet and load the fonts of this template shape now."""
        fetcher = self._fetcher(document)
        fonts_for(document, fetcher)
        layout_css(document)

    def render(self, document: layout.Document, options: RenderOptions) -> bytes:
        fetcher = self._fetcher(document, options)
        html_options = dataclasses.replace(options, source_positions=False, inline_assets=False)
        html, found = build_html_and_inventory(document, html_options, embed_css=False)
        check_document_assets(document, fetcher, found)
        font_config, font_sheet = fonts_for(document, fetcher)
        layout_sheet, layout_key = layout_css(document, found)
        sheets = [layout_sheet] if font_sheet is None else [font_sheet, layout_sheet]
        identity = [layout_key, css.font_face_rules(document.fonts)]
        return write_pdf(
            html,
            fetcher=fetcher,
            options=options,
            stylesheets=sheets,
            font_config=font_config,
            max_output_bytes=self.max_output_bytes,
            identity=identity,
        )
