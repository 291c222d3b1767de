"""Bar, line and pie charts for statements (balances per month, spend by category).

Values are ``Decimal`` end to end: tick values, value labels and pie percentages are computed in
Decimal and only positions are floats. The viewBox is the chart's size in millimetres, so font
sizes are millimetres too. Every label is a real ``<text>`` element, so PDF text extraction and
screen readers find it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext

from ccmlang.graphics.svg import (
    FONT,
    GraphicError,
    SvgGraphic,
    color,
    css_length,
    document,
    escape,
    length_mm,
    num,
)

ValueFormat = Callable[[Decimal], str]

FONT_SIZE = 3.0  # mm, about 8.5pt: axis and category labels
VALUE_FONT_SIZE = 2.5  # mm: value labels on bars and points
TITLE_FONT_SIZE = 4.0  # mm
MIN_FONT_SIZE = 1.8  # mm: labels shrink to fit, but not below this
CHAR_WIDTH = 0.55  # average sans-serif advance per character, in font sizes
BOLD_CHAR_WIDTH = 0.62
TEXT_COLOR = "#333333"
GRID_COLOR = "#d9d9d9"
AXIS_COLOR = "#595959"
PALETTE = (
    "#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000",
    "#2e75b6", "#f4b183", "#a9d18e", "#b4a7d6", "#ffd966",
)  # fmt: skip
NO_DATA = "No data"


# ---------------------------------------------------------------- input


def plain(value: Decimal) -> str:
    """Default value label: the Decimal as written, never in exponent notation."""
    return f"{value:f}"


def _series(labels: Sequence[str], values: Sequence[Decimal]) -> tuple[list[str], list[Decimal]]:
    labels, values = list(labels), list(values)
    if len(labels) != len(values):
        raise GraphicError(f"got {len(labels)} labels but {len(values)} values; they must pair up")
    checked: list[Decimal] = []
    for label, value in zip(labels, values, strict=True):
        if not isinstance(label, str):
            raise GraphicError(f"chart labels must be strings, got {label!r}")
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise GraphicError(
                f"chart value for {label!r} must be a Decimal (never a float), got {value!r}"
            )
        value = Decimal(value)
        if not value.is_finite():
            raise GraphicError(f"chart value for {label!r} must be finite, got {value}")
        checked.append(value)
    return labels, checked


def _formatter(value_format: ValueFormat | None) -> Callable[[Decimal], str]:
    fmt = value_format or plain

    def apply(value: Decimal) -> str:
        return str(fmt(value))

    return apply


# ---------------------------------------------------------------- text helpers


def _text_width(text: str, size: float, bold: bool = False) -> float:
    return len(text) * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH) * size


def _fit(text: str, width: float, size: float, bold: bool = False) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width`` (not below min)."""
    needed = _text_width(text, size, bold)
    if needed <= width or needed == 0:
        return size
    return max(min(MIN_FONT_SIZE, size), size * width / needed)


def _truncate(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` shortened with an ellipsis if it is still too wide at ``size``."""
    if _text_width(text, size, bold) <= width + 1e-9:
        return text
    keep = int(width / _text_width("x", size, bold)) - 1
    return text[: max(keep, 1)] + "…"


def _fitted(text: str, width: float, size: float, bold: bool = False) -> tuple[str, float]:
    """Shrink to fit, down to the minimum font size; past that, truncate with an ellipsis."""
    size = _fit(text, width, size, bold)
    return _truncate(text, width, size, bold), size


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = FONT_SIZE,
    anchor: str = "middle",
    fill: str = TEXT_COLOR,
    bold: bool = False,
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" {FONT} font-size="{num(size)}"{weight} '
        f'text-anchor="{anchor}" fill="{fill}">{escape(content)}</text>'
    )


@dataclass(frozen=True, slots=True)
class _Frame:
    width: float  # mm
    height: float
    css_width: str
    css_height: str
    title: str


def _frame(width: str, height: str, title: str) -> _Frame:
    if not isinstance(title, str):
        raise GraphicError(f"chart title must be a string, got {title!r}")
    return _Frame(
        width=length_mm(width, "width"),
        height=length_mm(height, "height"),
        css_width=css_length(width, "width"),
        css_height=css_length(height, "height"),
        title=title.strip(),
    )


def _title(frame: _Frame) -> tuple[list[str], float]:
    """Title element(s) and the y where the content below the title starts."""
    if not frame.title:
        return [], 2.0
    title, size = _fitted(frame.title, frame.width - 4, TITLE_FONT_SIZE, bold=True)
    return [_text(frame.width / 2, 1.5 + size, title, size=size, bold=True)], 3.5 + size


def _finish(frame: _Frame, body: list[str], data: str, kind: str) -> SvgGraphic:
    svg = document(
        width=frame.css_width,
        height=frame.css_height,
        view_width=frame.width,
        view_height=frame.height,
        body=body,
        label=frame.title or kind,
    )
    return SvgGraphic(svg=svg, width=frame.css_width, height=frame.css_height, data=data)


def _no_data(frame: _Frame, body: list[str], top: float, kind: str) -> SvgGraphic:
    middle = (top + frame.height) / 2 + FONT_SIZE / 3
    body.append(_text(frame.width / 2, middle, NO_DATA, fill="#7f7f7f"))
    return _finish(frame, body, "", kind)


def _data_text(labels: list[str], values: list[str]) -> str:
    """The payload summary stored in :attr:`SvgGraphic.data`: one ``label: value`` per line."""
    return "\n".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))


# ---------------------------------------------------------------- axis


@dataclass(frozen=True, slots=True)
class Axis:
    """A value axis from ``low`` to ``high`` with ticks every ``step`` (1, 2 or 5 × 10ⁿ)."""

    low: Decimal
    high: Decimal
    step: Decimal

    @property
    def ticks(self) -> list[Decimal]:
        count = int((self.high - self.low) / self.step)
        return [_clean(self.low + self.step * i) for i in range(count + 1)]

    def fraction(self, value: Decimal) -> float:
        """Where ``value`` sits between low (0.0) and high (1.0); geometry only."""
        return float((value - self.low) / (self.high - self.low))


def nice_axis(values: Sequence[Decimal], target_ticks: int = 5) -> Axis:
    """An axis that includes zero and every value, with round tick steps (1/2/5 × 10ⁿ).

    The step is the smallest 1/2/5 × 10ⁿ that needs at most ``target_ticks + 1`` intervals once
    the ends are rounded outwards to whole steps.
    """
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    if low == high:
        high = Decimal(1)
    exponent = ((high - low) / target_ticks).adjusted()
    candidates = [
        Decimal(multiple).scaleb(power)
        for power in (exponent - 1, exponent, exponent + 1)
        for multiple in (1, 2, 5)
    ]
    for step in candidates:
        low_tick = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
        high_tick = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
        if (high_tick - low_tick) / step <= target_ticks + 1:
            break
    return Axis(low=_clean(low_tick), high=_clean(high_tick), step=_clean(step))


def _clean(value: Decimal) -> Decimal:
    """Drop exponent noise (``2E+2`` → ``200``) and negative zero."""
    if value == 0:
        return Decimal(0)
    normal = value.normalize()
    _sign, digits, exponent = normal.as_tuple()
    if not isinstance(exponent, int) or exponent <= 0:
        return normal
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, len(digits) + exponent + 1)
        return normal.quantize(Decimal(1))


@dataclass(frozen=True, slots=True)
class _Plot:
    left: float
    right: float
    top: float
    bottom: float
    axis: Axis

    def y(self, value: Decimal) -> float:
        return self.bottom - self.axis.fraction(value) * (self.bottom - self.top)

    def band(self, count: int) -> float:
        return (self.right - self.left) / count


def _plot_area(
    frame: _Frame, top: float, values: list[Decimal], fmt: Callable[[Decimal], str]
) -> tuple[_Plot, list[str]]:
    """Lay out the plot rectangle and draw gridlines, tick labels and the zero line."""
    axis = nice_axis(values)
    tick_labels = [(tick, fmt(tick)) for tick in axis.ticks]
    label_width = max(_text_width(text, FONT_SIZE) for _, text in tick_labels)
    left = min(label_width + 3.0, frame.width * 0.4)
    negatives = any(value < 0 for value in values)
    plot = _Plot(
        left=left,
        right=frame.width - 3.0,
        top=top + VALUE_FONT_SIZE + 1.5,  # room for a value label above the highest bar
        bottom=frame.height - FONT_SIZE - 3.0 - (VALUE_FONT_SIZE + 1.0 if negatives else 0.0),
        axis=axis,
    )
    if plot.right - plot.left < 10 or plot.bottom - plot.top < 10:
        raise GraphicError(
            f"chart size {frame.css_width} x {frame.css_height} is too small for its axis"
        )
    body = [f'<g stroke="{GRID_COLOR}" stroke-width="0.2">']
    texts: list[str] = []
    for tick, text in tick_labels:
        y = plot.y(tick)
        if tick != 0:
            body.append(
                f'<line x1="{num(plot.left)}" y1="{num(y)}" x2="{num(plot.right)}" y2="{num(y)}"/>'
            )
        shown, size = _fitted(text, left - 2.0, FONT_SIZE)
        texts.append(_text(plot.left - 1.5, y + size / 3, shown, size=size, anchor="end"))
    body.append("</g>")
    body.extend(texts)
    zero = plot.y(Decimal(0))
    body.append(
        f'<line x1="{num(plot.left)}" y1="{num(plot.top)}" x2="{num(plot.left)}" '
        f'y2="{num(plot.bottom)}" stroke="{AXIS_COLOR}" stroke-width="0.3"/>'
    )
    body.append(
        f'<line x1="{num(plot.left)}" y1="{num(zero)}" x2="{num(plot.right)}" '
        f'y2="{num(zero)}" stroke="{AXIS_COLOR}" stroke-width="0.3"/>'
    )
    return plot, body


def _category_labels(plot: _Plot, labels: list[str], frame: _Frame) -> list[str]:
    band = plot.band(len(labels))
    baseline = frame.height - 2.0
    result = []
    for i, label in enumerate(labels):
        shown, size = _fitted(label, band * 0.95, FONT_SIZE)
        result.append(_text(plot.left + band * (i + 0.5), baseline, shown, size=size))
    return result


def _value_label(x: float, y: float, value: Decimal, text: str) -> str:
    if value < 0:
        return _text(x, y + VALUE_FONT_SIZE + 0.8, text, size=VALUE_FONT_SIZE)
    return _text(x, y - 1.0, text, size=VALUE_FONT_SIZE)


# ---------------------------------------------------------------- bar and line


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Decimal],
    *,
    width: str = "160mm",
    height: str = "60mm",
    title: str = "",
    color: str = "#1f4e79",
    value_format: ValueFormat | None = None,
) -> SvgGraphic:
    """Vertical bars from the zero line (negative values hang below it), labels underneath."""
    return _cartesian("bar", labels, values, width, height, title, color, value_format)


def line_chart(
    labels: Sequence[str],
    values: Sequence[Decimal],
    *,
    width: str = "160mm",
    height: str = "60mm",
    title: str = "",
    color: str = "#1f4e79",
    value_format: ValueFormat | None = None,
) -> SvgGraphic:
    """A polyline through one point per label, with a dot and a value label at each point."""
    return _cartesian("line", labels, values, width, height, title, color, value_format)


def _cartesian(
    kind: str,
    labels: Sequence[str],
    values: Sequence[Decimal],
    width: str,
    height: str,
    title: str,
    fill: str,
    value_format: ValueFormat | None,
) -> SvgGraphic:
    frame = _frame(width, height, title)
    fill = color(fill)
    names, numbers = _series(labels, values)
    fmt = _formatter(value_format)
    body, top = _title(frame)
    name = f"{kind.capitalize()} chart"
    if not numbers:
        return _no_data(frame, body, top, name)
    plot, axis_body = _plot_area(frame, top, numbers, fmt)
    body.extend(axis_body)
    band = plot.band(len(numbers))
    zero = plot.y(Decimal(0))
    texts = [fmt(value) for value in numbers]
    labels_svg: list[str] = []
    if kind == "bar":
        bar = band * 0.7
        body.append(f'<g fill="{fill}">')
        for i, value in enumerate(numbers):
            x = plot.left + band * i + (band - bar) / 2
            y = plot.y(value)
            top_y, bottom_y = min(y, zero), max(y, zero)
            body.append(
                f'<rect x="{num(x)}" y="{num(top_y)}" width="{num(bar)}" '
                f'height="{num(bottom_y - top_y)}"/>'
            )
            labels_svg.append(_value_label(x + bar / 2, y, value, texts[i]))
        body.append("</g>")
    else:
        points = [(plot.left + band * (i + 0.5), plot.y(v)) for i, v in enumerate(numbers)]
        coords = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        body.append(
            f'<polyline points="{coords}" fill="none" stroke="{fill}" stroke-width="0.6" '
            'stroke-linejoin="round"/>'
        )
        body.append(f'<g fill="{fill}">')
        for (x, y), value, text in zip(points, numbers, texts, strict=True):
            body.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="0.9"/>')
            labels_svg.append(_value_label(x, y - 0.6 if value >= 0 else y + 0.6, value, text))
        body.append("</g>")
    body.extend(labels_svg)
    body.extend(_category_labels(plot, names, frame))
    return _finish(frame, body, _data_text(names, texts), name)


# ---------------------------------------------------------------- pie

_PERCENT_STEP = Decimal("0.1")


def percentages(values: Sequence[Decimal]) -> list[Decimal]:
    """Each value's share of the total in percent, rounded half-even to one decimal."""
    total = sum(values, Decimal(0))
    if total == 0:
        return [Decimal("0.0") for _ in values]
    return [(v * 100 / total).quantize(_PERCENT_STEP, rounding=ROUND_HALF_EVEN) for v in values]


def pie_chart(
    labels: Sequence[str],
    values: Sequence[Decimal],
    *,
    width: str = "80mm",
    height: str = "60mm",
    title: str = "",
    colors: Sequence[str] | None = None,
    value_format: ValueFormat | None = None,
) -> SvgGraphic:
    """Slices clockwise from twelve o'clock; the legend gives label, value and percentage."""
    frame = _frame(width, height, title)
    names, numbers = _series(labels, values)
    palette = [color(c, "colors entry") for c in (PALETTE if colors is None else colors)]
    if not palette:
        raise GraphicError("colors must not be empty")
    for name, value in zip(names, numbers, strict=True):
        if value < 0:
            raise GraphicError(f"pie chart values cannot be negative: {name!r} is {value}")
    fmt = _formatter(value_format)
    body, top = _title(frame)
    total = sum(numbers, Decimal(0))
    if not numbers or total == 0:
        return _no_data(frame, body, top, "Pie chart")

    shares = percentages(numbers)
    texts = [fmt(value) for value in numbers]
    entries = [
        f"{name}: {text} ({share}%)" for name, text, share in zip(names, texts, shares, strict=True)
    ]
    available = frame.height - top - 2.0
    diameter = min(available, frame.width * 0.45)
    if diameter < 8:
        raise GraphicError(f"chart size {frame.css_width} x {frame.css_height} is too small")
    radius = diameter / 2
    cx, cy = 2.0 + radius, top + available / 2

    body.append('<g stroke="#ffffff" stroke-width="0.3" stroke-linejoin="round">')
    cumulative = Decimal(0)
    for i, value in enumerate(numbers):
        fill = palette[i % len(palette)]
        if value == total:
            body.append(f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(radius)}" fill="{fill}"/>')
        elif value > 0:
            start = float(cumulative / total)
            cumulative += value
            end = float(cumulative / total)
            body.append(_slice(cx, cy, radius, start, end, fill))
    body.append("</g>")

    legend_x = cx + radius + 4.0
    legend_width = frame.width - legend_x - 2.0
    if legend_width < 10:
        raise GraphicError(f"chart size {frame.css_width} x {frame.css_height} has no legend room")
    line = min(FONT_SIZE * 1.5, available / len(entries))
    size = min(line / 1.5, FONT_SIZE)
    text_width = legend_width - size - 1.5
    size = max(MIN_FONT_SIZE * 0.75, min(_fit(entry, text_width, size) for entry in entries))
    legend_top = cy - line * len(entries) / 2
    for i, entry in enumerate(entries):
        y = legend_top + line * i
        fill = palette[i % len(palette)]
        body.append(
            f'<rect x="{num(legend_x)}" y="{num(y + (line - size) / 2)}" width="{num(size)}" '
            f'height="{num(size)}" fill="{fill}"/>'
        )
        body.append(
            _text(
                legend_x + size + 1.5,
                y + line / 2 + size / 3,
                _truncate(entry, text_width, size),
                size=size,
                anchor="start",
            )
        )
    return _finish(frame, body, "\n".join(entries), "Pie chart")


def _slice(cx: float, cy: float, radius: float, start: float, end: float, fill: str) -> str:
    """An SVG arc wedge between fractions ``start`` and ``end`` of the circle (clockwise)."""

    def point(fraction: float) -> tuple[float, float]:
        angle = 2 * math.pi * fraction - math.pi / 2
        return cx + radius * math.cos(angle), cy + radius * math.sin(angle)

    x0, y0 = point(start)
    x1, y1 = point(end)
    large = 1 if end - start > 0.5 else 0
    return (
        f'<path d="M{num(cx)} {num(cy)}L{num(x0)} {num(y0)}'
        f'A{num(radius)} {num(radius)} 0 {large} 1 {num(x1)} {num(y1)}Z" fill="{fill}"/>'
    )
