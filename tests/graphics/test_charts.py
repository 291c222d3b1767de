from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ccmlang.graphics import GraphicError, bar_chart, line_chart, pie_chart
from ccmlang.graphics.charts import nice_axis, percentages

from .svgtools import find, parse, texts, view_box

D = Decimal
MONTHS = ["Jan", "Feb", "Mar", "Apr"]
VALUES = [D("100.00"), D("250.50"), D("-50.25"), D("0")]


def euro(value: Decimal) -> str:
    assert isinstance(value, Decimal), "formatters must receive Decimal, never float"
    return f"€{value:,.2f}"


def _zero_line_y(root: Any) -> float:
    """The axis-coloured horizontal line is the zero line."""
    for line in find(root, "line"):
        if line.get("stroke") == "#595959" and line.get("y1") == line.get("y2"):
            return float(line.get("y1", "nan"))
    raise AssertionError("no zero line")


def test_bar_count_heights_and_labels() -> None:
    graphic = bar_chart(MONTHS, VALUES, title="Balance")
    root = parse(graphic.svg)
    rects = find(root, "rect")
    assert len(rects) == 4
    heights = [float(r.get("height", "nan")) for r in rects]
    assert heights[1] / heights[0] == pytest.approx(2.505, rel=1e-3)
    assert heights[2] / heights[0] == pytest.approx(0.5025, rel=1e-2)
    assert heights[3] == 0
    zero = _zero_line_y(root)
    tops = [float(r.get("y", "nan")) for r in rects]
    assert tops[0] + heights[0] == pytest.approx(zero, abs=1e-3)  # positive bars stand on zero
    assert tops[2] == pytest.approx(zero, abs=1e-3)  # negative bars hang from it
    words = texts(root)
    for expected in ["Balance", *MONTHS, "100.00", "250.50", "-50.25", "0"]:
        assert expected in words
    assert graphic.data == "Jan: 100.00\nFeb: 250.50\nMar: -50.25\nApr: 0"


def test_bars_are_ordered_left_to_right_under_their_labels() -> None:
    root = parse(bar_chart(MONTHS, VALUES).svg)
    centres = [float(r.get("x", "0")) + float(r.get("width", "0")) / 2 for r in find(root, "rect")]
    label_x = {t.text: float(t.get("x", "nan")) for t in find(root, "text")}
    assert centres == sorted(centres)
    for month, centre in zip(MONTHS, centres, strict=True):
        assert label_x[month] == pytest.approx(centre, abs=1e-3)


def test_value_format_is_used_for_values_and_ticks() -> None:
    root = parse(bar_chart(["a", "b"], [D("1234.5"), D("99")], value_format=euro).svg)
    words = texts(root)
    assert "€1,234.50" in words and "€99.00" in words
    assert "€0.00" in words  # tick label


def test_axis_ticks_are_nice() -> None:
    axis = nice_axis([D("1200.50"), D("-300"), D("2300.10")])
    assert (axis.low, axis.high, axis.step) == (D(-500), D(2500), D(500))
    assert [str(t) for t in axis.ticks] == ["-500", "0", "500", "1000", "1500", "2000", "2500"]
    assert [str(t) for t in nice_axis([D("0.003"), D("0.0171")]).ticks] == [
        "0", "0.005", "0.01", "0.015", "0.02",
    ]  # fmt: skip
    assert [str(t) for t in nice_axis([D(0)]).ticks] == ["0", "0.2", "0.4", "0.6", "0.8", "1"]
    for values in ([D(7)], [D(-3), D(999)], [D("123456789.12")], [D("-0.5"), D("0.5")]):
        axis = nice_axis(values)
        digits = axis.step.normalize().as_tuple().digits
        assert digits in ((1,), (2,), (5,))
        assert axis.low <= min([D(0), *values]) and axis.high >= max([D(0), *values])
        assert 2 <= len(axis.ticks) <= 7


def test_line_chart_points() -> None:
    root = parse(line_chart(MONTHS, VALUES, title="Trend").svg)
    (polyline,) = find(root, "polyline")
    points = [tuple(map(float, p.split(","))) for p in polyline.get("points", "").split()]
    assert len(points) == 4 and len(find(root, "circle")) == 4
    zero = _zero_line_y(root)
    assert points[3][1] == pytest.approx(zero, abs=1e-3)
    rise = [zero - y for _, y in points]
    assert rise[1] / rise[0] == pytest.approx(2.505, rel=1e-3)
    assert rise[2] < 0
    assert [x for x, _ in points] == sorted(x for x, _ in points)
    assert {"Trend", *MONTHS, "250.50", "-50.25"} <= set(texts(root))


def test_pie_percentages_half_even() -> None:
    assert percentages([D(1), D(15)]) == [D("6.2"), D("93.8")]  # 6.25 -> 6.2, 93.75 -> 93.8
    assert percentages([D(1), D(1), D(1)]) == [D("33.3")] * 3
    assert percentages([D(1), D(7)]) == [D("12.5"), D("87.5")]


def test_pie_slices_and_legend() -> None:
    graphic = pie_chart(
        ["Rent", "Food", "Zero", "Other"],
        [D("900"), D("350.25"), D("0"), D("80")],
        title="Spend",
        value_format=euro,
    )
    root = parse(graphic.svg)
    assert len(find(root, "path")) == 3  # zero-value slices are not drawn
    assert len(find(root, "rect")) == 4  # but every entry has a legend swatch
    words = texts(root)
    assert "Rent: €900.00 (67.7%)" in words
    assert "Zero: €0.00 (0.0%)" in words
    assert "Spend" in words
    fills = [p.get("fill") for p in find(root, "path")]
    assert len(set(fills)) == 3


def test_pie_single_value_is_a_circle_and_colors_cycle() -> None:
    root = parse(pie_chart(["all"], [D(5)]).svg)
    assert len(find(root, "circle")) == 1 and not find(root, "path")
    root = parse(pie_chart(["a", "b", "c"], [D(1), D(2), D(3)], colors=["#111111", "#222"]).svg)
    assert [p.get("fill") for p in find(root, "path")] == ["#111111", "#222", "#111111"]


@pytest.mark.parametrize("chart", [bar_chart, line_chart, pie_chart])
def test_empty_data_says_no_data(chart: Any) -> None:
    root = parse(chart([], [], title="Nothing").svg)
    assert texts(root) == ["Nothing", "No data"]
    assert not find(root, "rect") and not find(root, "path") and not find(root, "polyline")


def test_pie_all_zero_is_no_data() -> None:
    assert "No data" in texts(parse(pie_chart(["a"], [D(0)]).svg))


@pytest.mark.parametrize("chart", [bar_chart, line_chart, pie_chart])
def test_text_is_escaped(chart: Any) -> None:
    evil = '<script>alert("x")</script> & co'
    graphic = chart([evil, "ok"], [D(1), D(2)], title=evil)
    assert "<script" not in graphic.svg
    assert "&lt;script&gt;" in graphic.svg
    root = parse(graphic.svg)
    assert any(evil in text for text in texts(root))
    assert root.get("aria-label") == evil


@pytest.mark.parametrize("chart", [bar_chart, line_chart, pie_chart])
def test_deterministic(chart: Any) -> None:
    first = chart(MONTHS, [D(3), D(1), D(4), D(1)], title="Same")
    second = chart(list(MONTHS), (D(3), D(1), D(4), D(1)), title="Same")
    assert first.svg == second.svg


def test_text_that_cannot_fit_is_shrunk_then_truncated() -> None:
    title = "A title far too long for the chart " * 6
    labels = [f"Category label number {i}" for i in range(24)]
    root = parse(bar_chart(labels, [D(i) for i in range(24)], title=title).svg)
    shown = texts(root)
    assert shown[0].endswith("…") and title.startswith(shown[0][:-1])
    assert sum(text.endswith("…") for text in shown) == 25
    for element in find(root, "text"):
        assert float(element.get("font-size", "0")) >= 1.8
    root = parse(bar_chart(["Jan", "A label that fits"], [D(1), D(2)], title="Short").svg)
    assert {"Jan", "A label that fits", "Short"} <= set(texts(root))


def test_size_and_view_box() -> None:
    graphic = bar_chart(MONTHS, VALUES, width="120mm", height="2in")
    root = parse(graphic.svg)
    assert (graphic.width, graphic.height) == ("120mm", "2in")
    assert view_box(root) == (120, 50.8)
    for text in find(root, "text"):
        assert text.get("font-family") == "sans-serif"
        assert float(text.get("font-size", "0")) > 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bar_chart(["a"], [D(1), D(2)]), "1 labels but 2 values"),
        (lambda: bar_chart(["a"], [1.5]), "never a float"),  # type: ignore[list-item]
        (lambda: line_chart(["a"], [D("Infinity")]), "finite"),
        (lambda: bar_chart(["a"], [D(1)], color="javascript:x"), "color"),
        (lambda: bar_chart(["a"], [D(1)], width="100%"), "width"),
        (lambda: bar_chart(["a"], [D(1)], width="5mm"), "too small"),
        (lambda: pie_chart(["a", "b"], [D(1), D(-1)]), "cannot be negative"),
        (lambda: pie_chart(["a"], [D(1)], colors=[]), "colors must not be empty"),
        (lambda: bar_chart([1], [D(1)]), "labels must be strings"),  # type: ignore[list-item]
    ],
)
def test_invalid_input(call: Any, message: str) -> None:
    with pytest.raises(GraphicError, match=message):
        call()
