"""ccmlang.safexml: XML we did not write is parsed with entities, DTDs and the network off, and
anything that needs them is refused quickly with E3010 and a message naming the input."""

from __future__ import annotations

import time

import pytest
from lxml import etree

from ccmlang import safexml
from ccmlang.safexml import MalformedXmlError, UnsafeXmlError, XmlError, parse_xml

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5"/></svg>'
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&e;</text></svg>'
)


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        entities.append(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">')
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [' + "".join(entities) + "]>\n"
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>'
    ).encode()


def refuse(data: bytes, what: str = "image asset 'assets/x.svg'") -> XmlError:
    start = time.perf_counter()
    with pytest.raises(XmlError) as info:
        parse_xml(data, what=what)
    assert time.perf_counter() - start < 1.0
    return info.value


def test_a_plain_svg_parses() -> None:
    root = parse_xml(SVG, what="logo")
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root[0].get("width") == "5"


@pytest.mark.parametrize(
    "data",
    [XXE, billion_laughs(), b'<!DOCTYPE svg SYSTEM "http://example.com/svg.dtd"><svg/>'],
    ids=["xxe", "billion-laughs", "external-dtd"],
)
def test_doctypes_and_entities_are_refused_quickly_naming_the_input(data: bytes) -> None:
    error = refuse(data)
    assert isinstance(error, UnsafeXmlError)
    assert error.code == "E3010"
    assert "image asset 'assets/x.svg'" in str(error)
    assert error.what == "image asset 'assets/x.svg'"


def test_utf16_input_cannot_hide_a_doctype_from_the_scan() -> None:
    data = XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
    assert b"<!DOCTYPE" not in data
    assert refuse(data).code == "E3010"


def test_the_parsed_tree_is_checked_too_when_the_scan_misses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(safexml, "_scan", lambda data, what: None)
    for data in (XXE, billion_laughs()):
        assert refuse(data).code == "E3010"


def test_undefined_entities_are_refused() -> None:
    assert refuse(b"<svg>&nope;</svg>").code == "E3010"


def test_xinclude_and_stylesheets_are_external_references() -> None:
    xinclude = (
        b'<svg xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd"/></svg>'
    )
    assert "XInclude" in str(refuse(xinclude))
    stylesheet = b'<?xml-stylesheet type="text/css" href="http://example.com/a.css"?><svg/>'
    assert "xml-stylesheet" in str(refuse(stylesheet))


def test_size_and_depth_limits() -> None:
    with pytest.raises(UnsafeXmlError, match="111 bytes, more than the limit of 100"):
        parse_xml(b"<svg>" + b" " * 100 + b"</svg>", what="x", max_bytes=100)
    deep = b"<g>" * 150 + b"</g>" * 150
    assert "nests deeper" in str(refuse(deep))
    deeper = b"<g>" * 400 + b"</g>" * 400  # past libxml2's own limit
    assert refuse(deeper).code == "E3010"
    parse_xml(b"<g>" * 20 + b"</g>" * 20, what="x", max_depth=20)


def test_malformed_xml_is_refused_as_an_asset_not_as_unsafe() -> None:
    error = refuse(b"<svg><rect></svg>")
    assert isinstance(error, MalformedXmlError)
    assert error.code == "E3007"
    assert "not well-formed" in str(error)


def test_comments_and_processing_instructions_are_dropped_text_kept() -> None:
    root = parse_xml(b"<svg><!-- note --><?app data?>tail<text>a</text></svg>", what="x")
    assert etree.tostring(root) == b"<svg>tail<text>a</text></svg>"


def test_bytes_only() -> None:
    with pytest.raises(TypeError):
        parse_xml("<svg/>", what="x")  # type: ignore[arg-type]
