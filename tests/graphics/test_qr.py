from __future__ import annotations

import pytest
import segno

from ccmlang.graphics import GraphicError, qr_code

from .svgtools import find, matrix_modules, parse, path_modules, view_box


def _check_against_segno(svg: str, expected: segno.QRCode) -> None:
    root = parse(svg)
    paths = find(root, "path")
    assert len(paths) == 1
    assert paths[0].get("shape-rendering") == "crispEdges"
    size = len(expected.matrix)
    assert view_box(root) == (size + 8, size + 8)  # 4-module quiet zone each side
    assert path_modules(paths[0].get("d", "")) == matrix_modules(expected.matrix, offset=4)


@pytest.mark.parametrize(
    "data", ["A", "https://example.com/pay?id=42&x=<1>", "Grüße €", "0123456789" * 20]
)
def test_modules_match_segno(data: str) -> None:
    graphic = qr_code(data)
    _check_against_segno(graphic.svg, segno.make_qr(data, error="M", boost_error=False))
    assert graphic.data == data
    assert (graphic.width, graphic.height) == ("25mm", "25mm")


def test_error_level_is_honoured_not_boosted() -> None:
    for level in ("L", "q", "H"):
        graphic = qr_code("ccmlang", error=level)
        expected = segno.make_qr("ccmlang", error=level.upper(), boost_error=False)
        _check_against_segno(graphic.svg, expected)


def test_quiet_zone_is_empty() -> None:
    root = parse(qr_code("quiet").svg)
    modules = path_modules(find(root, "path")[0].get("d", ""))
    width, _ = view_box(root)
    assert min(x for x, _ in modules) == 4
    assert min(y for _, y in modules) == 4
    assert max(x for x, _ in modules) == width - 5
    assert max(y for _, y in modules) == width - 5


def test_size_and_color() -> None:
    graphic = qr_code("x", size="1in", color="#1f4e79")
    root = parse(graphic.svg)
    assert root.get("width") == root.get("height") == "1in"
    assert find(root, "path")[0].get("fill") == "#1f4e79"


def test_deterministic() -> None:
    assert qr_code("same input").svg == qr_code("same input").svg


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"data": ""}, "non-empty"),
        ({"data": "x", "error": "X"}, "error level"),
        ({"data": "x" * 8000}, "cannot encode"),
        ({"data": "x", "size": "25"}, "size"),
        ({"data": "x", "color": "url(#evil)"}, "color"),
    ],
)
def test_invalid_input(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(GraphicError, match=message):
        qr_code(**kwargs)
