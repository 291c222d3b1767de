"""The example in spec/layout-tree.md is what the evaluator produces, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccmlang import layout
from ccmlang.compiler.compile import compile_source
from ccmlang.data import parse_json

DOC = Path(__file__).resolve().parents[2] / "spec" / "layout-tree.md"
_FENCE = re.compile(r"^```(ccm|json)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)


def test_the_example_tree_is_current(project: Path) -> None:
    example = DOC.read_text(encoding="utf-8").split("## Example", 1)[1]
    (_, source), (_, record), (_, tree) = (m.groups() for m in _FENCE.finditer(example))
    template = compile_source(source, path=str(project / "letter.ccm"), project_root=project)
    assert layout.to_json(template.render(parse_json(record))) == tree


def test_every_node_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    names = [n for n in dir(layout) if isinstance(getattr(layout, n), type)]
    nodes = [n for n in names if hasattr(getattr(layout, n), "__dataclass_fields__")]
    assert [n for n in nodes if f"`{n}`" not in text] == []


def test_fast_constructors_make_the_same_frozen_nodes() -> None:
    """The evaluator's table loop builds nodes through slot descriptors (layout.make_*): they
    must be indistinguishable from the dataclass constructors' (equal, same hash, frozen)."""
    import dataclasses

    L = layout
    origin = L.Origin("t.ccm", 3, 5)
    style = L.Style(name="x", color="#000000")
    text = L.make_text("hello", origin)
    para = L.make_paragraph((text,), style, origin)
    cell = L.make_cell((para,), style, origin)
    row = L.make_row((cell,), style, origin)
    pairs = [
        (text, L.Text("hello", origin)),
        (para, L.Paragraph((L.Text("hello", origin),), style, origin)),
        (cell, L.Cell((para,), style, 1, None, origin)),
        (row, L.Row((L.Cell((para,), style, 1, None, origin),), style, origin)),
    ]
    for fast, slow in pairs:
        assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.origin = None  # type: ignore[misc]
