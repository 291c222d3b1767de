"""Code 128 linear barcodes (ISO/IEC 15417:2007), implemented here because it is small.

Only code sets B (ASCII 32..126) and C (digit pairs) are used: mail-room scanners and
keyboard-wedge readers want exactly the printable text. Code set switching is chosen by dynamic
programming, so the symbol is as short as possible (the standard's code set selection rules are
heuristics for the same goal). The symbol check character is the weighted sum mod 103 and the
quiet zones are 10 modules, as the standard requires.
"""

from __future__ import annotations

from ccmlang.graphics.svg import FONT, GraphicError, SvgGraphic, document, escape, length_mm, num

# Bar/space widths in modules for symbol values 0..106 (ISO/IEC 15417 Table 1), bar first.
# Every symbol is 11 modules wide; the stop (106) is 13 including its termination bar.
PATTERNS: tuple[str, ...] = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
)  # fmt: skip

CODE_C = 99  # in subset B: switch to C
CODE_B = 100  # in subset C: switch to B
START_B = 104
START_C = 105
STOP = 106
QUIET_ZONE = 10  # modules each side, the ISO/IEC 15417 minimum
TEXT_MM = 2.8  # nominal human-readable text height (about 8pt)


def _check_data(data: str) -> None:
    if not isinstance(data, str) or data == "":
        raise GraphicError("Code 128 data must be a non-empty string")
    for index, ch in enumerate(data):
        if not 32 <= ord(ch) <= 126:
            raise GraphicError(
                f"Code 128 data may only contain printable ASCII (32..126); "
                f"character {index + 1} is {ch!r} (U+{ord(ch):04X})"
            )


def encode(data: str) -> list[int]:
    """Symbol values for ``data``: start, data and switch codes, check character, stop.

    ``cost[i][s]`` is the fewest symbols that encode ``data[i:]`` starting in subset ``s``
    (0 = B, 1 = C). Ties prefer not switching, then subset B, so the output is deterministic.
    """
    _check_data(data)
    n = len(data)
    big = 10 * n + 10
    cost = [[big, big] for _ in range(n + 1)]
    cost[n] = [0, 0]
    for i in range(n - 1, -1, -1):
        pair = i + 1 < n and data[i].isdigit() and data[i + 1].isdigit()
        stay_b = 1 + cost[i + 1][0]
        stay_c = 1 + cost[i + 2][1] if pair else big
        cost[i][0] = min(stay_b, 1 + stay_c)
        cost[i][1] = min(stay_c, 1 + stay_b)

    values: list[int] = []
    subset = 0 if cost[0][0] <= cost[0][1] else 1
    values.append(START_B if subset == 0 else START_C)
    i = 0
    while i < n:
        pair = i + 1 < n and data[i].isdigit() and data[i + 1].isdigit()
        here_b = 1 + cost[i + 1][0]
        here_c = 1 + cost[i + 2][1] if pair else big
        if subset == 0 and here_c + 1 < here_b:
            values.append(CODE_C)
            subset = 1
        elif subset == 1 and here_b + 1 < here_c:
            values.append(CODE_B)
            subset = 0
        if subset == 0:
            values.append(ord(data[i]) - 32)
            i += 1
        else:
            values.append(int(data[i : i + 2]))
            i += 2
    values.append(checksum(values))
    values.append(STOP)
    return values


def checksum(values: list[int]) -> int:
    """Symbol check character: start value plus position-weighted values, mod 103."""
    return (values[0] + sum(pos * v for pos, v in enumerate(values[1:], start=1))) % 103


def bars(values: list[int]) -> list[tuple[int, int]]:
    """(x, width) of every bar in modules, the first bar at x = 0 (no quiet zone)."""
    result: list[tuple[int, int]] = []
    x = 0
    for value in values:
        for element, width_char in enumerate(PATTERNS[value]):
            width = int(width_char)
            if element % 2 == 0:
                result.append((x, width))
            x += width
    return result


def code128(
    data: str,
    *,
    width: str | None = None,
    height: str = "12mm",
    module: str = "0.33mm",
    human_readable: bool = True,
) -> SvgGraphic:
    """A Code 128 barcode; the viewBox is in modules so bars sit on integer coordinates.

    ``width`` (if given) is the whole graphic including quiet zones and overrides ``module``;
    ``height`` includes the human-readable line below the bars.
    """
    values = encode(data)
    symbol_modules = 11 * (len(values) - 1) + 13
    total = symbol_modules + 2 * QUIET_ZONE
    if width is None:
        module_mm = length_mm(module, "module")
        width = f"{num(module_mm * total)}mm"
    else:
        module_mm = length_mm(width, "width") / total
        width = width.strip()
    height_mm = length_mm(height, "height")
    view_height = height_mm / module_mm

    bar_height = view_height
    text: list[str] = []
    if human_readable:
        font = min(TEXT_MM / module_mm, view_height * 0.3, symbol_modules / (0.6 * len(data)))
        bar_height = view_height - font * 1.25
        text.append(
            f'<text x="{num(total / 2)}" y="{num(view_height - font * 0.2)}" {FONT} '
            f'font-size="{num(font)}" text-anchor="middle" fill="#000000">{escape(data)}</text>'
        )
    if bar_height <= 0:
        raise GraphicError(f"height {height!r} leaves no room for the bars")

    rects = [
        f'<rect x="{x + QUIET_ZONE}" y="0" width="{w}" height="{num(bar_height)}"/>'
        for x, w in bars(values)
    ]
    body = [
        '<g fill="#000000" shape-rendering="crispEdges">',
        *rects,
        "</g>",
        *text,
    ]
    svg = document(
        width=width,
        height=height.strip(),
        view_width=total,
        view_height=view_height,
        body=body,
        label=data,
    )
    return SvgGraphic(svg=svg, width=width, height=height.strip(), data=data)
