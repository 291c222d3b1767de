"""Images, barcodes, QR codes and charts: assets from the project and graphics we draw.

Images are files of the template project and nothing else (ARCHITECTURE.md, "Limits and
safety"): a source is resolved against the directory of the file that names it, must stay inside
the project root after symbolic links are followed, and must exist (``E3007`` otherwise). URLs
are refused outright, because rendering never touches the network.

Barcodes and charts are drawn by :mod:`ccmlang.graphics`; what it rejects (an IBAN with a bad
check digit, data a symbology cannot encode) becomes ``E3008`` at the element.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ccmlang.compiler.evaluate_expr import fail
from ccmlang.compiler.source import Span

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


def project_asset(root: Path, base: Path, src: str, span: Span) -> str:
    """``src`` as a path relative to the project ``root`` (``/`` separators), or ``E3007``.

    ``root`` must already be resolved; ``base`` is the directory of the declaring file.
    """
    if not src:
        fail("E3007", "the image source is empty", span)
    if _URL.match(src):
        fail(
            "E3007",
            f"`{src}` is a URL; images must be files inside the template project",
            span,
            "copy the file into the project and refer to it by a relative path",
        )
    target = (base / src).resolve()
    try:
        relative = target.relative_to(root)
    except ValueError:
        fail(
            "E3007",
            f"`{src}` is outside the template project ({root.name}/)",
            span,
            "templates may read only files under the directory that holds ccm.toml",
        )
    if not target.is_file():
        fail("E3007", f"image `{src}` not found (looked for {relative.as_posix()})", span)
    return relative.as_posix()


def draw(make: Callable[[], Any], span: Span, what: str, font_family: str | None = None) -> Any:
    """Call a :mod:`ccmlang.graphics` generator, turning its refusals into ``E3008``; text in
    the graphic is set in ``font_family`` (the document's font) when given."""
    from ccmlang.graphics import GraphicError, with_font

    try:
        return with_font(make(), font_family)
    except GraphicError as exc:
        fail("E3008", f"cannot draw the {what}: {exc}", span)


def barcode(
    kind: str, data: str, *, width: str | None, height: str | None, human_readable: bool
) -> Callable[[], Any]:
    from ccmlang import graphics

    if kind == "datamatrix":
        size = width or height or "20mm"
        return lambda: graphics.datamatrix(data, size=size)
    options: dict[str, Any] = {"human_readable": human_readable}
    if width is not None:
        options["width"] = width
    if height is not None:
        options["height"] = height
    return lambda: graphics.code128(data, **options)


def chart(
    kind: str,
    labels: Sequence[str],
    values: Sequence[Decimal],
    *,
    options: dict[str, Any],
    value_format: Callable[[Decimal], str],
) -> Callable[[], Any]:
    from ccmlang import graphics

    options = {k: v for k, v in options.items() if v is not None}
    if kind == "pie":
        options.pop("color", None)  # slices take the palette's colours
        return lambda: graphics.pie_chart(labels, values, value_format=value_format, **options)
    make = graphics.line_chart if kind == "line" else graphics.bar_chart
    return lambda: make(labels, values, value_format=value_format, **options)
