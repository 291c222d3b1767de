from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccmlang.graphics import GraphicError, code128

from .svgtools import find, parse, texts, view_box

# ISO/IEC 15417 Table 1, typed independently of the implementation: bar/space widths for
# symbol values 0..105 (start codes A/B/C are 103/104/105); the stop pattern is separate.
_TABLE_TEXT = """
212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132
122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212
322112 322211 212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 231113 231311
112133 112331 132131 113123 113321 133121 313121 211331 231131 213113 213311 213131 311123 311321
331121 312113 312311 332111 314111 221411 431111 111224 111422 121124 121421 141122 141221 112214
112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212
124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 114311 411113
411311 113141 114131 311141 411131 211412 211214 211232
"""
TABLE = _TABLE_TEXT.split()
STOP = "2331112"
VALUE_OF = {pattern: value for value, pattern in enumerate(TABLE)}
START_B, START_C, CODE_B, CODE_C = 104, 105, 100, 99


def test_reference_table_is_sane() -> None:
    assert len(TABLE) == 106 and len(set(TABLE)) == 106
    for pattern in TABLE:
        widths = [int(c) for c in pattern]
        assert sum(widths) == 11
        assert sum(widths[0::2]) % 2 == 0  # bar modules are even (self-checking parity)


def symbol_values(svg: str) -> tuple[list[int], float]:
    """Read the bars back: widths -> symbol values; also checks quiet zones and coordinates."""
    root = parse(svg)
    total, _ = view_box(root)
    bars = []
    for rect in find(root, "rect"):
        x_attr, width_attr = rect.get("x", ""), rect.get("width", "")
        assert x_attr.isdigit() and width_attr.isdigit(), "bars need integer module coordinates"
        bars.append((int(x_attr), int(width_attr)))
    bars.sort()
    assert bars[0][0] == 10, "left quiet zone is 10 modules"
    assert total - (bars[-1][0] + bars[-1][1]) == 10, "right quiet zone is 10 modules"
    widths: list[int] = []
    for (x, width), (next_x, _) in zip(
        bars, [*bars[1:], (bars[-1][0] + bars[-1][1], 0)], strict=True
    ):
        widths.append(width)
        if next_x > x + width:
            widths.append(next_x - x - width)
    assert "".join(map(str, widths[-7:])) == STOP
    body = widths[:-7]
    assert len(body) % 6 == 0
    values = [VALUE_OF["".join(map(str, body[i : i + 6]))] for i in range(0, len(body), 6)]
    return values, total


def decode(values: list[int]) -> str:
    """Check the mod-103 check character and decode subsets B and C."""
    *symbols, check = values
    assert check == (symbols[0] + sum(i * v for i, v in enumerate(symbols[1:], 1))) % 103
    assert symbols[0] in (START_B, START_C)
    subset = "B" if symbols[0] == START_B else "C"
    out = []
    for value in symbols[1:]:
        if subset == "B" and value == CODE_C:
            subset = "C"
        elif subset == "C" and value == CODE_B:
            subset = "B"
        elif subset == "B":
            assert value < 95
            out.append(chr(value + 32))
        else:
            assert value < 100
            out.append(f"{value:02d}")
    return "".join(out)


@cache
def fewest(data: str, subset: str) -> int:
    """Independent reference: fewest data+switch symbols to encode ``data`` from ``subset``."""
    if not data:
        return 0
    pair = len(data) >= 2 and data[:2].isdigit()
    in_b = 1 + fewest(data[1:], "B")
    in_c = 1 + fewest(data[2:], "C") if pair else 10**6
    return min(in_b, 1 + in_c) if subset == "B" else min(in_c, 1 + in_b)


def test_hello_uses_subset_b() -> None:
    values, _ = symbol_values(code128("Hello").svg)
    assert values == [START_B, 40, 69, 76, 76, 79, 76]  # check character 1209 mod 103 = 76


def test_digit_run_uses_subset_c() -> None:
    values, total = symbol_values(code128("1234567890").svg)
    assert values == [START_C, 12, 34, 56, 78, 90, 85]  # 1115 mod 103 = 85
    assert total == 10 + 11 * 7 + 13 + 10


def test_switches_to_c_inside_text_when_shorter() -> None:
    values, _ = symbol_values(code128("AB12345678CD").svg)
    assert values[:-1] == [START_B, 33, 34, CODE_C, 12, 34, 56, 78, CODE_B, 35, 36]
    assert decode(values) == "AB12345678CD"


@pytest.mark.parametrize("data", ["1", "12", "123", "12345", "A1234B", "9876543210x", "x12"])
def test_digit_edge_cases_are_optimal(data: str) -> None:
    values, _ = symbol_values(code128(data).svg)
    assert decode(values) == data
    assert len(values) - 2 == min(fewest(data, "B"), fewest(data, "C"))


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=40))
def test_round_trip_printable_ascii(data: str) -> None:
    graphic = code128(data)
    values, _ = symbol_values(graphic.svg)
    assert decode(values) == data
    assert len(values) - 2 == min(fewest(data, "B"), fewest(data, "C"))
    assert graphic.data == data


def test_human_readable_text_is_escaped() -> None:
    graphic = code128("<a&b>")
    assert "&lt;a&amp;b&gt;" in graphic.svg
    assert texts(parse(graphic.svg)) == ["<a&b>"]
    assert texts(parse(code128("<a&b>", human_readable=False).svg)) == []


def test_size_from_module_or_width() -> None:
    graphic = code128("Hello", module="0.5mm", height="15mm")
    total = 10 + 11 * 7 + 13 + 10
    assert graphic.width == f"{total * 0.5:g}mm"
    assert graphic.height == "15mm"
    root = parse(graphic.svg)
    assert view_box(root) == (total, 30)
    fixed = code128("Hello", width="50mm")
    assert fixed.width == "50mm"
    assert parse(fixed.svg).get("width") == "50mm"


def test_bars_leave_room_for_text() -> None:
    root = parse(code128("Hello").svg)
    _, height = view_box(root)
    bar_height = float(find(root, "rect")[0].get("height", "0"))
    baseline = float(find(root, "text")[0].get("y", "0"))
    assert 0 < bar_height < baseline <= height
    root = parse(code128("Hello", human_readable=False).svg)
    assert float(find(root, "rect")[0].get("height", "0")) == pytest.approx(view_box(root)[1])


def test_deterministic() -> None:
    assert code128("INV-2024-0001").svg == code128("INV-2024-0001").svg


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "non-empty"),
        ("café", "character 4 is 'é'"),
        ("a\nb", "printable ASCII"),
        ("\x7f", r"U\+007F"),
    ],
)
def test_rejects_non_printable_ascii(data: str, message: str) -> None:
    with pytest.raises(GraphicError, match=message):
        code128(data)


def test_rejects_bad_lengths() -> None:
    with pytest.raises(GraphicError, match="height"):
        code128("x", height="tall")
    with pytest.raises(GraphicError, match="module"):
        code128("x", module="0")
