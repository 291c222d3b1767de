"""``ccm render --to tree``: the layout tree as JSON (spec/layout-tree.md, spec/backends.md).

The serialisation itself lives with the contract in :func:`ccmlang.layout.to_json` (sorted keys,
so the bytes are deterministic); this backend only wraps it in the protocol.
"""

from __future__ import annotations

from ccmlang import layout
from ccmlang.backends.base import RenderOptions


class TreeBackend:
    name = "tree"
    media_type = "application/json"
    extension = "json"

    def render(self, document: layout.Document, options: RenderOptions) -> bytes:
        return layout.to_json(document).encode("utf-8")
