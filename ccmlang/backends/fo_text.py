"""Text for the XSL-FO backend: XML-safe strings, mixed content, list markers, plain text.

Kept apart from the builder because they are pure functions over strings and layout nodes, used
by several parts of it (inline content, bookmarks, column width estimates).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from ccmlang import layout

BULLETS = ("•", "◦", "▪")
"""CSS ``disc``, ``circle``, ``square``: the markers of unordered lists by depth."""
BULLET_NAMES = ("disc", "circle", "square")

_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)

Inline = etree._Element | str
"""Inline content as the builder produces it: text or elements, appended in order."""


def clean(text: str) -> str:
    """Text as XML can carry it: characters XML 1.0 forbids become U+FFFD, so that hostile
    data can never make the FO ill-formed."""
    return _NOT_XML_CHAR.sub("\ufffd", text)


def append_inline(parent: etree._Element, items: Iterable[Inline]) -> None:
    """Append text and elements in order (lxml keeps text in ``.text`` and ``.tail``).

    The parent's ``.text`` is set (``""`` at least) so pretty-printing never indents inside
    inline content: whitespace there would be text to a formatter.
    """
    last: etree._Element | None = parent[-1] if len(parent) else None
    if parent.text is None:
        parent.text = ""
    for item in items:
        if isinstance(item, str):
            if last is None:
                parent.text = (parent.text or "") + item
            else:
                last.tail = (last.tail or "") + item
        else:
            parent.append(item)
            last = item


def has_linebreak(nodes: Iterable[layout.Inline]) -> bool:
    for node in nodes:
        if isinstance(node, layout.LineBreak):
            return True
        if isinstance(node, layout.Span | layout.Link) and has_linebreak(node.children):
            return True
    return False


def plain_text(nodes: Iterable[layout.Inline]) -> str:
    """The text of inline nodes, whitespace-normalised (bookmark titles)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, layout.Text):
            parts.append(node.text)
        elif isinstance(node, layout.Span | layout.Link):
            parts.append(plain_text(node.children))
        elif isinstance(node, layout.LineBreak):
            parts.append(" ")
    return " ".join("".join(parts).split())


def plain_text_blocks(blocks: Iterable[layout.Block]) -> str:
    """All text under some blocks (column width estimates)."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, layout.Paragraph | layout.Heading):
            parts.append(plain_text(block.children))
        elif isinstance(block, layout.Box | layout.Editable):
            parts.append(plain_text_blocks(block.blocks))
        elif isinstance(block, layout.List):
            parts.extend(plain_text_blocks(item.blocks) for item in block.items)
    return " ".join(parts)


def _alpha(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _roman(index: int) -> str:
    if not 0 < index < 4000:
        return str(index)
    out = []
    for value, numeral in _ROMAN:
        while index >= value:
            out.append(numeral)
            index -= value
    return "".join(out)


def marker_text(marker: str, index: int) -> str:
    """The CSS ``list-style-type`` marker of item ``index`` (1-based), as the browser draws it
    (``"1."``, ``"b."``, ``"iv."``, a bullet); XSL-FO has no list styles, only label text."""
    kind = marker.strip().lower()
    if kind in BULLET_NAMES:
        return BULLETS[BULLET_NAMES.index(kind)]
    if kind == "none":
        return ""
    if kind == "decimal-leading-zero":
        return f"{index:02d}."
    if kind in ("lower-alpha", "lower-latin"):
        return _alpha(index) + "."
    if kind in ("upper-alpha", "upper-latin"):
        return _alpha(index).upper() + "."
    if kind == "lower-roman":
        return _roman(index) + "."
    if kind == "upper-roman":
        return _roman(index).upper() + "."
    return f"{index}."
