from __future__ import annotations

import pytest

from ccmlang.graphics.svg import GraphicError, color, escape, length_mm, num


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.0, "1"), (0.1234, "0.123"), (2.5, "2.5"), (-0.0001, "0"), (-1.25, "-1.25"), (10, "10")],
)
def test_num_fixed_precision(value: float, text: str) -> None:
    assert num(value) == text


def test_escape_covers_markup_quotes_and_illegal_chars() -> None:
    assert escape("<script>&\"'") == "&lt;script&gt;&amp;&quot;&#39;"
    assert escape("a\x00b\x1bc\ud800") == "a\ufffdb\ufffdc\ufffd"
    assert escape("tab\tand\nnewline") == "tab\tand\nnewline"


@pytest.mark.parametrize(
    ("value", "mm"),
    [("25mm", 25.0), ("2.5cm", 25.0), ("1in", 25.4), ("72pt", 25.4), ("96px", 25.4), (" 4Q ", 1.0)],
)
def test_length_mm(value: str, mm: float) -> None:
    assert length_mm(value, "size") == pytest.approx(mm)


@pytest.mark.parametrize("value", ["25", "-3mm", "0mm", "10%", "2em", "", "1e3mm", "25mm;"])
def test_length_mm_rejects(value: str) -> None:
    with pytest.raises(GraphicError, match="size"):
        length_mm(value, "size")


def test_color_validation() -> None:
    assert color("#1f4e79") == "#1f4e79"
    assert color("#fff") == "#fff"
    assert color("navy") == "navy"
    assert color("rgb(10, 20, 30)") == "rgb(10, 20, 30)"
    with pytest.raises(GraphicError, match="color"):
        color('red" onload="alert(1)')
