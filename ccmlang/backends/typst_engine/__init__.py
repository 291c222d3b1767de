"""The Typst engine behind ``ccm render --to pdf --engine typst`` (spec/typst.md).

``render.typ`` (package data) is one fixed Typst program that interprets the layout tree passed
to it as JSON data (:mod:`.lower`), so record data can never become Typst code. :mod:`.fonts`
builds a font book of the project's own fonts only, :mod:`.compiler` keeps one Typst compiler per
project and font set, and :mod:`.pdfinfo` adds the custom document-information entries.
Importing this package does not import the ``typst`` module (the optional ``ccmlang[typst]``).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

SOURCE_LINE = '#let ccm-source = sys.inputs.at("ccm-tree", default: none)'
"""The program's one line that reads its input; ``ccm render --to typst`` replaces it."""
INPUT_KEY = "ccm-tree"


@lru_cache(maxsize=1)
def program() -> str:
    """The text of ``render.typ``."""
    text = resources.files(__name__).joinpath("render.typ").read_text(encoding="utf-8")
    if text.count(SOURCE_LINE) != 1:  # pragma: no cover - guards edits to render.typ
        raise RuntimeError("render.typ must read its input on exactly one line")
    return text


def typst_string(text: str) -> str:
    """A Typst string literal of ``text``: backslash, quote and every control character escaped.

    Inside a string literal nothing is markup or code, and with these escaped the literal
    cannot be closed early, so the text can never become code.
    """
    out = ['"']
    for char in text:
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or code in (0x2028, 0x2029):
            out.append(f"\\u{{{code:x}}}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def standalone_source(tree_json: str, header: str = "") -> str:
    """The program with its input embedded as a string literal: one self-contained ``.typ``."""
    line = f"#let ccm-source = {typst_string(tree_json)}"
    return header + program().replace(SOURCE_LINE, line, 1)
