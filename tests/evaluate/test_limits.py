"""Limits enforced while evaluating: depth (E3002), nodes (E3003), time (E3006)."""

from __future__ import annotations

import pytest

from ccmlang.compiler.evaluate import RenderError
from ccmlang.compiler.limits import Limits

from .conftest import Render


def error(render: Render, source: str, data: object, limits: Limits) -> tuple[str, str, str]:
    with pytest.raises(RenderError) as caught:
        render(source, data, limits=limits)
    (d,) = caught.value.diagnostics
    return d.code, d.message, "" if d.span is None else d.span.text


def test_depth_limit(render: Render) -> None:
    source = 'box { box { box { paragraph "deep" } } }'
    render(source, limits=Limits(max_depth=3))  # three element bodies inside each other
    code, message, where = error(render, source, {}, Limits(max_depth=2))
    assert code == "E3002" and "2 levels" in message
    assert where == 'box { paragraph "deep" }'


def test_depth_counts_component_nesting(render: Render) -> None:
    source = """
component inner() { box { paragraph "x" } }
component outer() { box { use inner() } }
use outer()
"""
    render(source, limits=Limits(max_depth=4))  # use, box, use, box
    code, _, where = error(render, source, {}, Limits(max_depth=3))
    assert (code, where) == ("E3002", 'box { paragraph "x" }')


def test_node_limit(render: Render) -> None:
    source = 'for x in xs { "{x}" }'
    render(source, {"xs": list(range(10))}, limits=Limits(max_nodes=20))
    code, message, where = error(render, source, {"xs": list(range(11))}, Limits(max_nodes=20))
    assert code == "E3003" and "20 layout nodes" in message
    assert where == '"{x}"'


def test_node_limit_in_table_rows(render: Render) -> None:
    source = 'table xs as x { column "A" = x }'
    code, _, where = error(render, source, {"xs": list(range(100))}, Limits(max_nodes=50))
    assert code == "E3003" and where.startswith("table xs as x")


def test_time_limit_is_checked_while_looping(render: Render) -> None:
    # 1000 iterations without producing a node still look at the clock
    source = 'for x in xs { let y = x }\n"done"'
    code, message, where = error(
        render, source, {"xs": list(range(1000))}, Limits(max_render_seconds=0)
    )
    assert code == "E3006" and "longer than 0 s" in message
    assert where.startswith("for x in xs")


def test_time_limit_is_checked_at_the_end(render: Render) -> None:
    code, _, where = error(render, '"tiny"', {}, Limits(max_render_seconds=0))
    assert (code, where) == ("E3006", "")


def test_defaults_are_generous(render: Render) -> None:
    limits = Limits()
    assert (limits.max_depth, limits.max_nodes, limits.max_render_seconds) == (64, 200_000, 30.0)
    render('for x in xs { "{x}" }', {"xs": list(range(5000))})
