"""What a document uses that backends must prepare for: styles, zebra colours, images, graphics.

The stylesheet needs the styles and zebra colours; the asset pre-check needs the images and
graphics. The HTML builder records them while it emits the document, so the per-record path walks
the layout tree once (issue 3: two extra walks were a fifth of our HTML time); :func:`collect` is
the same inventory from a walk of its own, for backends that do not build HTML (XSL-FO) and for
third-party HTML builders, whose overrides may not record what they emit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ccmlang import layout
from ccmlang.backends.base import walk


@dataclass(slots=True)
class Inventory:
    """Styles by object identity (one entry per distinct object; equal styles share a class),
    zebra colours, and the image and graphic nodes in document order."""

    styles: dict[int, layout.Style] = field(default_factory=dict)
    zebras: set[str] = field(default_factory=set)
    images: list[layout.Image] = field(default_factory=list)
    graphics: list[layout.Graphic] = field(default_factory=list)

    def add_style(self, style: layout.Style) -> None:
        self.styles[id(style)] = style

    def distinct_styles(self) -> set[layout.Style]:
        return set(self.styles.values())


def collect(document: layout.Document) -> Inventory:
    """The inventory of ``document`` from one walk of the whole tree."""
    found = Inventory()
    for node in walk(document):
        style = getattr(node, "style", None)
        if style is not None:
            found.add_style(style)
        kind = type(node)
        if kind is layout.Table:
            found.add_style(node.header_style)
            if node.zebra:
                found.zebras.add(node.zebra)
        elif kind is layout.Image:
            found.images.append(node)
        elif kind is layout.Graphic:
            found.graphics.append(node)
    return found
