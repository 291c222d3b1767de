"""Document metadata and the outline for the XSL-FO backend (spec/backends-fo.md, "Metadata").

XSL-FO has no metadata properties; ``fo:declarations`` may hold XMP, which FOP writes into the
PDF's metadata stream and Info dictionary (Title, Author, Subject, Keywords). The outline is a
``fo:bookmark-tree`` made from the headings, nested by level like WeasyPrint's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from ccmlang import layout
from ccmlang.backends.base import RenderOptions
from ccmlang.backends.fo_props import fo
from ccmlang.backends.fo_text import clean

X_NS = "adobe:ns:meta/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC_NS = "http://purl.org/dc/elements/1.1/"
PDF_NS = "http://ns.adobe.com/pdf/1.3/"
XMP_NS = "http://ns.adobe.com/xap/1.0/"
CCM_NS = "urn:ccmlang:xmp:1.0#"
"""Our XMP namespace (prefix ``ccm``): template name and version, archive index fields."""
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


def language(metadata: layout.Metadata) -> str | None:
    """The document language if it is a well-formed language tag."""
    return metadata.language if metadata.language and _LANG.match(metadata.language) else None


@dataclass(frozen=True, slots=True)
class Bookmark:
    level: int
    title: str
    ref: str


def bookmark_tree(bookmarks: Sequence[Bookmark]) -> etree._Element:
    """``fo:bookmark-tree``: each heading under the nearest earlier heading of a higher level."""
    tree = fo("bookmark-tree")
    stack: list[tuple[int, etree._Element]] = [(0, tree)]
    for mark in bookmarks:
        while stack[-1][0] >= mark.level:
            stack.pop()
        element = fo("bookmark", [("internal-destination", mark.ref)])
        title = fo("bookmark-title")
        title.text = clean(mark.title)
        element.append(title)
        stack[-1][1].append(element)
        stack.append((mark.level, element))
    return tree


def declarations(metadata: layout.Metadata, options: RenderOptions) -> etree._Element:
    """``fo:declarations`` with the document's XMP. Dates only from ``options.timestamp``."""
    meta = metadata
    result = fo("declarations")
    xmp = etree.SubElement(result, f"{{{X_NS}}}xmpmeta", nsmap={"x": X_NS})
    rdf = etree.SubElement(xmp, f"{{{RDF_NS}}}RDF", nsmap={"rdf": RDF_NS})
    description = etree.SubElement(
        rdf,
        f"{{{RDF_NS}}}Description",
        {f"{{{RDF_NS}}}about": ""},
        nsmap={"dc": DC_NS, "pdf": PDF_NS, "xmp": XMP_NS, "ccm": CCM_NS},
    )

    def alt(name: str, text: str) -> None:
        if text:
            container = etree.SubElement(
                etree.SubElement(description, f"{{{DC_NS}}}{name}"), f"{{{RDF_NS}}}Alt"
            )
            item = etree.SubElement(container, f"{{{RDF_NS}}}li", {XML_LANG: "x-default"})
            item.text = clean(text)

    def items(namespace: str, name: str, kind: str, values: Iterable[str]) -> None:
        container = etree.SubElement(
            etree.SubElement(description, f"{{{namespace}}}{name}"), f"{{{RDF_NS}}}{kind}"
        )
        for text in values:
            etree.SubElement(container, f"{{{RDF_NS}}}li").text = clean(text)

    def simple(namespace: str, name: str, text: str) -> None:
        if text:
            etree.SubElement(description, f"{{{namespace}}}{name}").text = clean(text)

    alt("title", meta.title)
    if meta.author:
        items(DC_NS, "creator", "Seq", [meta.author])
    alt("description", meta.subject)
    if meta.keywords:
        items(DC_NS, "subject", "Bag", meta.keywords)
    lang = language(meta)
    if lang:
        items(DC_NS, "language", "Bag", [lang])
    simple(PDF_NS, "Keywords", ", ".join(k.replace(",", " ") for k in meta.keywords))
    simple(XMP_NS, "CreatorTool", "ccmlang")
    if options.timestamp is not None:
        stamp = options.timestamp.isoformat(timespec="seconds")
        if options.timestamp.utcoffset() is None:
            stamp += "Z"
        simple(XMP_NS, "CreateDate", stamp)
        simple(XMP_NS, "ModifyDate", stamp)
    simple(CCM_NS, "template", meta.template)
    simple(CCM_NS, "templateVersion", meta.template_version)
    if meta.index:
        items(CCM_NS, "index", "Seq", [f"{key}={value}" for key, value in meta.index])
    return result
