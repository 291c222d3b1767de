"""Named limits (spec/limits.md): every one has a default, an error code and a test.

Templates cannot loop forever (loops only iterate over data), but data can be huge and
components can nest; these bounds make a render's cost predictable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int = 64
    """Nesting of blocks in the produced document (``E3002``)."""
    max_nodes: int = 200_000
    """Layout nodes per document (``E3003``)."""
    max_pages: int = 500
    """Pages per document (``E3004``); checked by the paginating backends."""
    max_output_bytes: int = 50 * 1024 * 1024
    """Bytes a backend may produce for one document (``E3005``)."""
    max_render_seconds: float = 30.0
    """Wall-clock time to evaluate one document (``E3006``)."""
    max_image_pixels: int = 40_000_000
    """Pixels of one raster image, read from its header before decoding (``E3009``)."""
