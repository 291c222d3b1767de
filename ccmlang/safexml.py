"""Safe XML parsing: the one way ccmlang reads XML it did not write (ARCHITECTURE.md, "Limits
and safety": "XML is parsed with entity resolution and network access off").

An XML document can make a parser read local files (external entities, XXE), fetch URLs (external
DTDs, ``xml-stylesheet``, XInclude) or allocate without bound (entity expansion, "billion
laughs"; deep nesting). ccmlang has no use for any of that: SVG assets, graphics and XML inputs
are plain element trees. So :func:`parse_xml` refuses them outright instead of trying to defuse
them, with ``E3010`` (``xml.unsafe``, spec/diagnostics.md) and a message naming the input:

* any ``<!DOCTYPE`` (and so any internal DTD or ``<!ENTITY``): found by a byte scan *before*
  parsing, so an entity bomb costs a regular-expression search, and checked again on the parsed
  tree's ``docinfo`` for encodings the scan cannot see (UTF-16, UTF-32);
* entity references that survive parsing, ``xml-stylesheet`` processing instructions and
  XInclude elements (external references);
* input larger than ``max_bytes`` or nested deeper than ``max_depth``.

The parser itself is configured defensively as well (``resolve_entities=False``,
``no_network=True``, ``load_dtd=False``, ``huge_tree=False``), so even a check we missed cannot
expand an entity or touch the network. Input that is merely not well-formed raises
:class:`MalformedXmlError` (``E3007``, the refused-asset code the asset fetcher uses).
"""

from __future__ import annotations

import re
import threading

from lxml import etree

UNSAFE_CODE = "E3010"
MALFORMED_CODE = "E3007"
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
"""16 MiB: far above any logo, chart or barcode; an SVG larger than this is a mistake."""
DEFAULT_MAX_DEPTH = 128
"""Element nesting limit. Real SVG nests a handful of groups; libxml2's own limit is 256."""

XINCLUDE_NAMESPACES = frozenset(
    {"http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude"}
)

_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_STYLESHEET_PI = re.compile(rb"<\?\s*xml-stylesheet", re.IGNORECASE)
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


class XmlError(ValueError):
    """An XML input ccmlang will not use. ``code`` is its diagnostic code, ``what`` names it."""

    code = MALFORMED_CODE

    def __init__(self, message: str, *, what: str) -> None:
        super().__init__(message)
        self.message = message
        self.what = what

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class UnsafeXmlError(XmlError):
    """DOCTYPE, entities, external references, or over-size/over-deep input (``E3010``)."""

    code = UNSAFE_CODE


class MalformedXmlError(XmlError):
    """Not well-formed XML (``E3007``)."""


_local = threading.local()


def _parser() -> etree.XMLParser:
    """One parser per thread: lxml parsers are not thread-safe, but cheap to keep around."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=False,  # kept so that ``xml-stylesheet`` can be seen and refused
            collect_ids=False,
        )
        _local.parser = parser
    return parser


def _unsafe(what: str, why: str) -> UnsafeXmlError:
    return UnsafeXmlError(f"refused {what}: {why}", what=what)


def _scan(data: bytes, what: str) -> None:
    """The fast path: refuse declarations by a byte search, before any parsing."""
    texts = [data]
    if data.startswith(_WIDE_BOMS) or b"\x00" in data[:4]:
        # UTF-16/32 input: search a decoded copy too (the parsed-tree checks back this up).
        for encoding in ("utf-16", "utf-32"):
            try:
                texts.append(data.decode(encoding).encode("utf-8"))
                break
            except UnicodeDecodeError:
                continue
    for text in texts:
        if _DECLARATION.search(text):
            raise _unsafe(what, "it has a DOCTYPE or entity declaration (DTDs are never read)")
        if _STYLESHEET_PI.search(text):
            raise _unsafe(what, "it has an xml-stylesheet instruction (an external reference)")


def parse_xml(
    data: bytes,
    *,
    what: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> etree._Element:
    """Parse ``data`` and return its root element, or refuse it.

    ``what`` names the input in messages (``"image asset 'assets/logo.svg'"``). Comments are
    dropped; other processing instructions are removed from the returned tree.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"parse_xml takes bytes, not {type(data).__name__}")
    data = bytes(data)
    if len(data) > max_bytes:
        raise _unsafe(what, f"it is {len(data)} bytes, more than the limit of {max_bytes}")
    _scan(data, what)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        if "depth" in message.lower() or "huge" in message.lower():
            raise _unsafe(what, f"it nests too deeply ({message})") from None
        if "entit" in message.lower():
            raise _unsafe(what, f"it uses entities ({message})") from None
        raise MalformedXmlError(
            f"refused {what}: not well-formed XML ({message})", what=what
        ) from None
    docinfo = root.getroottree().docinfo
    doctype = getattr(docinfo, "doctype", "")
    if doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _unsafe(what, "it has a DOCTYPE or entity declaration (DTDs are never read)")
    _check_tree(root, what, max_depth)
    return root


def _check_tree(root: etree._Element, what: str, max_depth: int) -> None:
    """Refuse entity references, stylesheets and XInclude; enforce the depth limit."""
    for sibling in (*root.itersiblings(preceding=True), *root.itersiblings()):
        if isinstance(sibling, etree._ProcessingInstruction) and sibling.target == "xml-stylesheet":
            raise _unsafe(what, "it has an xml-stylesheet instruction (an external reference)")
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    instructions: list[etree._Element] = []
    while stack:
        element, depth = stack.pop()
        if depth > max_depth:
            raise _unsafe(what, f"it nests deeper than the limit of {max_depth} elements")
        if isinstance(element, etree._Entity):
            raise _unsafe(what, f"it uses the entity &{element.name};")
        if isinstance(element, etree._ProcessingInstruction):
            if element.target == "xml-stylesheet":
                raise _unsafe(what, "it has an xml-stylesheet instruction (an external reference)")
            instructions.append(element)
            continue
        tag = element.tag
        if isinstance(tag, str) and tag.startswith("{"):
            namespace = tag[1:].partition("}")[0]
            if namespace in XINCLUDE_NAMESPACES:
                raise _unsafe(what, "it uses XInclude (an external reference)")
        stack.extend((child, depth + 1) for child in element)
    for instruction in instructions:
        _remove_keeping_tail(instruction)


def _remove_keeping_tail(node: etree._Element) -> None:
    parent = node.getparent()
    assert parent is not None
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)
