"""Fixtures for the XSL-FO backend: the hand-built statement, its FO, and FOP when installed.

FOP starts a JVM (1–3 s), so every document is formatted once per module (module-scoped
fixtures). Without FOP the FOP tests are skipped locally, but never on CI (``CI`` set), where
``.ci/run`` installs it: there a missing FOP fails loudly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from ccmlang import layout
from ccmlang.backends import RenderOptions
from ccmlang.backends.fo_fop import fop_available
from ccmlang.backends.xslfo import XslFoBackend

from .handmade import make_project, statement

FO_NS = "http://www.w3.org/1999/XSL/Format"
NS = {"fo": FO_NS, "fox": "http://xmlgraphics.apache.org/fop/extensions"}

requires_fop = pytest.mark.skipif(
    not fop_available() and not os.environ.get("CI"),
    reason="Apache FOP is not installed (apt-get install fop); CI always runs these",
)


@dataclass
class Rendered:
    root: Path
    document: layout.Document
    fo: bytes

    @property
    def tree(self) -> etree._Element:
        return etree.fromstring(self.fo)

    def xpath(self, path: str) -> list[etree._Element]:
        result = self.tree.xpath(path, namespaces=NS)
        assert isinstance(result, list)
        return result  # type: ignore[return-value]


def render_fo(document: layout.Document, options: RenderOptions | None = None) -> bytes:
    return XslFoBackend().render(document, options or RenderOptions())


@pytest.fixture(scope="module")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    root = make_project(tmp_path_factory.mktemp("project"))
    document = statement(root)
    return Rendered(root, document, render_fo(document))
