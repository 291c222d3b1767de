"""Vertical space: making XSL space resolution agree with CSS margins (spec/backends-fo.md,
"Spaces: where XSL and CSS differ").

Two differences matter for pagination, because every paragraph has ``1em`` margins:

* XSL discards ``space-before``/``space-after`` at the start and end of a region and of a table
  cell (``conditionality="discard"``); CSS keeps margins at the top of the first page, after a
  forced page break, inside page-margin boxes and inside table cells. :func:`retain_space`
  writes ``conditionality="retain"`` there.
* CSS collapses a first (last) child's margin through its parent when nothing separates them;
  FOP does not carry spaces out of a list item's body or a table cell. :func:`hoist_space` moves
  them onto the list item or the table standing in for a box.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from lxml import etree

from ccmlang.backends import fo_props as props
from ccmlang.backends.fo_props import FO

_EDGE = {
    "before": ("padding-before", "border-before-width"),
    "after": ("padding-after", "border-after-width"),
}
_COLLAPSING = frozenset({FO + "block", FO + "block-container", FO + "list-block", FO + "table"})


def _edge_child(element: etree._Element, side: str) -> etree._Element | None:
    """The block whose margin collapses with ``element``'s on ``side`` in CSS: its first (last)
    block child when nothing (padding, border, text) separates them."""
    padding, border = _EDGE[side]
    if element.get(padding) or element.get(border):
        return None
    if element.tag == FO + "block":
        text = element.text if side == "before" else (element[-1].tail if len(element) else None)
        if (text or "").strip() or not len(element):
            return None
        child = element[0] if side == "before" else element[-1]
        return child if child.tag in _COLLAPSING else None
    if element.tag == FO + "block-container" and len(element):
        return element[0] if side == "before" else element[-1]
    return None


def retain_space(element: etree._Element, side: str) -> None:
    """Keep ``space-<side>`` of ``element`` at a region's or cell's edge, and that of the
    blocks whose margins CSS collapses with it. Only breaks the formatter chooses itself (CSS:
    unforced breaks) still drop them."""
    current: etree._Element | None = element
    while current is not None:
        if current.get(f"space-{side}") is not None:
            current.set(f"space-{side}.conditionality", "retain")
        current = _edge_child(current, side)


def retain_edges(children: Sequence[etree._Element]) -> None:
    """Keep the margins at the top and bottom of a table cell, as CSS does (a cell is a block
    formatting context); XSL formatters discard them there."""
    if children:
        retain_space(children[0], "before")
        retain_space(children[-1], "after")


def hoist_space(
    container: etree._Element,
    children: Sequence[etree._Element],
    sides: Iterable[str] = ("before", "after"),
) -> None:
    """Move the first child's ``space-before`` and the last child's ``space-after`` onto
    ``container`` (a list item, a table standing in for a box), where FOP resolves them against
    the container's siblings. Collapsed margins keep the larger one."""
    if not children:
        return
    for side in sides:
        child = children[0] if side == "before" else children[-1]
        value = child.get(f"space-{side}")
        if value is None:
            continue
        del child.attrib[f"space-{side}"]
        value = resolve_em(value, child)
        current = container.get(f"space-{side}")
        if current is not None:
            a, b = props.length_pt(current), props.length_pt(value)
            if a is None or b is None or a >= b:
                continue
        container.set(f"space-{side}", value)


def resolve_em(value: str, element: etree._Element) -> str:
    """``em`` is relative to the element's own font size: keep it exact when moving a space to
    an element that may have another one."""
    size = element.get("font-size")
    if not value.endswith("em") or size is None:
        return value
    base = props.length_pt(size)
    if base is None:
        return value
    return props.points(Decimal(value[:-2] or "0") * base)


def doubled(value: str) -> str:
    absolute = props.length_pt(value)
    if absolute is not None:
        return props.points(absolute * 2)
    return f"({value}) * 2"
