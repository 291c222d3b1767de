"""Custom document-information entries (archive index, template) added to Typst's PDF.

Typst writes the standard entries (title, author, subject, keywords, dates) but no custom ones,
while the WeasyPrint backend writes ``/ccmtemplate``, ``/ccmindexcustomer``… (spec/backends.md,
"Metadata"). Re-writing the PDF with a PDF library would cost more than Typst took to make it, so
this appends a PDF *incremental update* instead (ISO 32000-1 §7.5.6): a new ``/Info`` object with
the old entries plus ours, a one-entry cross-reference section and a trailer pointing back to
the original. Typst's bytes are untouched; the appended bytes are deterministic; readers and PDF/A
validators accept incremental updates (custom entries have no XMP counterpart to agree with).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref", re.S)
_SIZE = re.compile(rb"/Size\s+(\d+)")
_REF = re.compile(rb"/(Root|Info)\s+(\d+)\s+(\d+)\s+R")
_ID = re.compile(rb"/ID\s*\[[^\]]*\]")
_KEY = re.compile(r"[^A-Za-z0-9]")


class InfoUpdateError(ValueError):
    """The PDF is not laid out as Typst writes it (classic cross-reference table)."""


def info_key(name: str) -> str:
    """``ccm:index:customer`` → ``ccmindexcustomer``: what WeasyPrint names the same entry."""
    return _KEY.sub("", name)


def pdf_text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with a byte-order mark, hex-encoded (no escaping to get wrong)."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _object_body(pdf: bytes, xref_offset: int, number: int) -> bytes:
    """The dictionary text ``<<…>>`` of object ``number``, found through the xref table."""
    head = re.compile(rb"xref\s+0\s+(\d+)\s*\n").match(pdf, xref_offset)
    if head is None:
        raise InfoUpdateError("no single-section cross-reference table")
    entry = pdf[head.end() + 20 * number : head.end() + 20 * number + 20]
    if len(entry) != 20 or entry[17:18] != b"n":
        raise InfoUpdateError(f"object {number} is not in the cross-reference table")
    start = int(entry[:10])
    match = re.compile(rb"\s*%d\s+0\s+obj\s*(<<.*?>>)\s*endobj" % number, re.S).match(pdf, start)
    if match is None:
        raise InfoUpdateError(f"object {number} is not a dictionary")
    return match[1]


def add_info(pdf: bytes, entries: Iterable[tuple[str, str]]) -> bytes:
    """``pdf`` with ``entries`` (key without the slash, text value) added to its ``/Info``."""
    items = [(info_key(k), v) for k, v in entries if info_key(k)]
    if not items:
        return pdf
    end = _STARTXREF.search(pdf, max(0, len(pdf) - 64))
    trailer = _TRAILER.search(pdf, max(0, len(pdf) - 1024))
    if end is None or trailer is None:
        raise InfoUpdateError("no trailer")
    prev = int(end[1])
    body = trailer[1]
    size_match = _SIZE.search(body)
    if size_match is None:
        raise InfoUpdateError("trailer without /Size")
    size = int(size_match[1])
    refs = {m[1]: int(m[2]) for m in _REF.finditer(body)}
    if b"Root" not in refs:
        raise InfoUpdateError("trailer without /Root")
    old = b"<<>>"
    if b"Info" in refs:
        old = _object_body(pdf, prev, refs[b"Info"])
    added = b"".join(b"/" + k.encode("ascii") + pdf_text(v) for k, v in items)
    info = old[:-2] + added + b">>"
    tail = bytearray(pdf)
    if not tail.endswith(b"\n"):
        tail += b"\n"
    offset = len(tail)
    tail += b"%d 0 obj\n" % size + info + b"\nendobj\n"
    xref = len(tail)
    tail += b"xref\n%d 1\n%010d 00000 n \n" % (size, offset)
    ident = _ID.search(body)
    tail += b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R" % (size + 1, refs[b"Root"], size)
    if ident is not None:
        tail += ident[0]
    tail += b"/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (prev, xref)
    return bytes(tail)
