"""The backend registry: built-ins through entry points, lazy loading, broken plugins,
duplicates; the NodeVisitor dispatch; RenderOptions checks."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import pytest

from ccmlang import layout as L
from ccmlang.backends import Backend, NodeVisitor, load_backends
from ccmlang.backends.base import BackendError, Registry, RenderOptions, UnknownBackendError


@dataclass
class FakeEntryPoint:
    name: str
    value: str
    target: Any = None
    error: Exception | None = None
    loads: int = 0

    def load(self) -> Any:
        self.loads += 1
        if self.error is not None:
            raise self.error
        return self.target


class EchoBackend:
    name = "echo"
    media_type = "text/plain"
    extension = "txt"

    def render(self, document: L.Document, options: RenderOptions) -> bytes:
        return document.metadata.title.encode()


def test_builtins_are_registered_through_entry_points() -> None:
    registry = load_backends()
    assert {"html", "pdf", "text", "tree"} <= set(registry.names())
    for name, extension in (("html", "html"), ("pdf", "pdf"), ("text", "txt"), ("tree", "json")):
        backend = registry.get(name)
        assert isinstance(backend, Backend)
        assert backend.name == name and backend.extension == extension
    assert registry.get("pdf") is registry.get("pdf")  # one shared instance (its caches)
    assert not {"html", "pdf", "text", "tree"} & set(registry.broken)


def test_lazy_loading() -> None:
    ep = FakeEntryPoint("echo", "plugin:EchoBackend", EchoBackend)
    registry = Registry([ep])
    assert registry.names() == ["echo"] and ep.loads == 0
    document = L.Document(
        L.Metadata(title="hi"), L.PageMaster("1mm", "1mm", ("0",) * 4), None, (), L.Style()
    )
    assert registry.get("echo").render(document, RenderOptions()) == b"hi"
    registry.get("echo")
    assert ep.loads == 1


def test_broken_plugin_is_reported_not_fatal() -> None:
    registry = Registry(
        [
            FakeEntryPoint("good", "plugin:EchoBackend", EchoBackend),
            FakeEntryPoint("bad", "plugin_bad:Backend", error=ImportError("No module named 'x'")),
            FakeEntryPoint("notbackend", "plugin:thing", target=object()),
            FakeEntryPoint("crashy", "plugin:Crashy", target=_crashy),
        ]
    )
    broken = registry.broken
    assert set(broken) == {"bad", "notbackend", "crashy"}
    assert "No module named 'x'" in broken["bad"] and "plugin_bad:Backend" in broken["bad"]
    assert "Backend protocol" in broken["notbackend"]
    assert "boom" in broken["crashy"]
    assert registry.get("good").name == "echo"
    with pytest.raises(UnknownBackendError, match=r"broken.*No module named"):
        registry.get("bad")
    with pytest.raises(UnknownBackendError, match="available: good"):
        registry.get("nope")


class _crashy(EchoBackend):
    def __init__(self) -> None:
        raise RuntimeError("boom")


def test_duplicates() -> None:
    same = Registry(
        [
            FakeEntryPoint("echo", "plugin:EchoBackend", EchoBackend),
            FakeEntryPoint("echo", "plugin.alias:EchoBackend", EchoBackend),
        ]
    )
    assert same.get("echo").name == "echo"

    class Other(EchoBackend):
        pass

    clash = Registry(
        [
            FakeEntryPoint("echo", "plugin:EchoBackend", EchoBackend),
            FakeEntryPoint("echo", "other:Other", Other),
        ]
    )
    assert "duplicate backend name" in clash.broken["echo"]
    with pytest.raises(UnknownBackendError):
        clash.get("echo")


def test_register_by_hand() -> None:
    registry = Registry([])
    echo = EchoBackend()
    registry.register("echo", echo)
    registry.register("echo", echo)  # the same object again is fine
    with pytest.raises(ValueError, match="already registered"):
        registry.register("echo", EchoBackend())
    with pytest.raises(TypeError):
        registry.register("x", object())


def test_importing_backends_does_not_import_weasyprint() -> None:
    import subprocess

    code = "import ccmlang.backends, sys; print('weasyprint' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_node_visitor_dispatch() -> None:
    class Names(NodeVisitor[str]):
        def visit_Text(self, node: L.Text) -> str:
            return node.text

        def visit_Paragraph(self, node: L.Paragraph) -> str:
            return "P(" + "".join(self.visit(c) for c in node.children) + ")"

    para = L.Paragraph((L.Text("a"), L.Text("b")), L.Style())
    assert Names().visit(para) == "P(ab)"
    with pytest.raises(BackendError) as info:
        Names().visit(L.Spacer("1mm", origin=L.Origin("x.ccm", 2, 5)))
    assert info.value.code == "E3008" and str(info.value).startswith("x.ccm:2:5: E3008")


def test_render_options() -> None:
    with pytest.raises(ValueError, match="unknown PDF variant"):
        RenderOptions(pdf_variant="pdf/x-4")
    assert RenderOptions(pdf_variant="pdf/a-3b").pdf_variant == "pdf/a-3b"
