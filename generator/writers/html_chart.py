"""A plan's chart as inline SVG for the HTML deck, drawn from the same data as the .pptx.

Same box, series colours, number format, fonts and sizes as the native chart the pptx
writer makes (see pptx_chart), laid out the way PowerPoint and LibreOffice lay out
their defaults: legend at the bottom, value axis from nice round steps with a little
headroom, bars at a gap width of 60 %, the first bar category on top, pies from twelve
o'clock clockwise. Label widths are measured with the fit's font metrics, so the
output depends on nothing but the plan: the same plan gives the same bytes.

Every label is content and reaches the page only through html.escape.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable

from generator.layout import measure
from generator.layout.plan import ChartElement, Paragraph, TextStyle
from generator.model.geometry import EMU_PER_PT
from generator.model.inline import Run
from generator.theme.colors import readable_on

GAP = 0.6  # the gap between bar groups, as a share of one bar's width (pptx_chart's 60)
MAX_TICKS = 10
HEADROOM = 0.05


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _n(value: float) -> str:
    """Return a coordinate with at most two decimals, without trailing zeros."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# ---- number formats -------------------------------------------------------------


_FORMAT_TOKEN = re.compile(r'"([^"]*)"|\\(.)|([#0?,.]+)|(%)|(.)', re.S)


def format_number(value: float, number_format: str | None) -> str:
    """Return value as an Excel number format shows it: General, 0, 0.0, #,##0, 0%,
    0"%" and other quoted or backslashed literals (the first section of the format)."""
    fmt = (number_format or "").split(";")[0]
    if not fmt or fmt.lower() == "general":
        return _general(value)
    literal: list[str] = []
    pattern = ""
    percent = False
    before: list[str] = []
    for quoted, escaped, digits, pct, other in _FORMAT_TOKEN.findall(fmt):
        if digits and not pattern and any(ch in digits for ch in "#0?"):
            pattern = digits
            before, literal = literal, []
        elif pct:
            percent = True
            literal.append("%")
        elif other in ("_", "*"):
            continue
        else:
            literal.append(quoted or escaped or digits or other)
    if not pattern:
        return "".join(before + literal) or _general(value)
    if percent:
        value *= 100
    integer, _, fraction = pattern.partition(".")
    decimals = sum(1 for ch in fraction if ch in "0#?")
    grouped = "," in integer.strip(",")
    text = f"{abs(value):,.{decimals}f}" if grouped else f"{abs(value):.{decimals}f}"
    if "#" in fraction and "." in text:  # optional digits: trailing zeros left out
        text = text.rstrip("0").rstrip(".")
    if text.startswith("0") and not integer.replace(",", "").endswith("0") and "." in text:
        text = text[1:]  # #.0 shows .5, not 0.5
    negative = value < 0 and float(text.replace(",", "") or 0) != 0
    return ("-" if negative else "") + "".join(before) + text + "".join(literal)


def _general(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


# ---- scales ---------------------------------------------------------------------


def nice_scale(low: float, high: float, fixed_max: float | None = None) -> list[float]:
    """Return the value axis ticks from low to high: a 1, 2 or 5 step, at most MAX_TICKS
    steps, 5 % headroom over the data (as PowerPoint and LibreOffice pick them)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if fixed_max is not None:
        high = fixed_max
    if high == low:
        high = low + 1
    span = (high - low) * (1 + (0 if fixed_max is not None else HEADROOM))
    magnitude = 10 ** math.floor(math.log10(span / MAX_TICKS))
    step = next(
        m * magnitude * f
        for f in (1, 10, 100)
        for m in (1, 2, 5)
        if span / (m * magnitude * f) <= MAX_TICKS
    )
    bottom = math.floor(round(low / step, 9)) * step if low < 0 else 0.0
    if fixed_max is not None:
        top = fixed_max
    else:
        top = math.ceil(round((high + (high - low) * HEADROOM) / step, 9)) * step
        if high <= 0:
            top = 0.0
    if low < 0:
        bottom = math.floor(round((low - (high - low) * HEADROOM) / step, 9)) * step
    count = int(round((top - bottom) / step))
    return [round(bottom + i * step, 10) for i in range(count + 1)]


# ---- text -----------------------------------------------------------------------


def _width(text: str, style: TextStyle, bold: bool = False) -> float:
    """Return a label's width in px (pt), measured with the fit's metrics."""
    if not text:
        return 0.0
    emu = measure.natural_width([Paragraph([Run(text, bold=bold)])], style)
    return emu / EMU_PER_PT


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "middle",
    baseline: str = "central",
    color: str | None = None,
    bold: bool = False,
) -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    attrs += f' dominant-baseline="{baseline}"'
    if color:
        attrs += f' fill="{_esc(color)}"'
    if bold:
        attrs += ' font-weight="700"'
    return f"<text {attrs}>{_esc(text)}</text>"


# ---- the chart ------------------------------------------------------------------


def chart_svg(element: ChartElement, place: str, font_family: str) -> str:
    """Return the chart as an <svg> at place (the CSS of its box), named by its alt text."""
    box = element.box
    w, h = box.w / EMU_PER_PT, box.h / EMU_PER_PT
    style = element.style
    size = style.size_pt
    pad = size * 0.5
    body: list[str] = []
    bottom = h - pad
    if element.legend:
        legend_h = size * 1.6
        body.append(_legend(element, w, bottom - legend_h / 2))
        bottom -= legend_h + size * 0.4
    area = (pad, 2 * pad, w - 2 * pad, bottom)
    if element.chart_type in ("pie", "doughnut"):
        body.append(_round(element, area))
    elif element.chart_type == "scatter":
        body.append(_scatter(element, area))
    else:
        body.append(_categories(element, area))
    alt = element.alt or "Chart"
    css = (
        f"{place};font-family:{font_family};font-size:{size:g}px;"
        f"fill:{style.color};color:{style.color}"
    )
    return (
        f'<svg class="chart" role="img" aria-label="{_esc(alt)}" '
        f'data-type="{_esc(element.chart_type)}" viewBox="0 0 {_n(w)} {_n(h)}" '
        f'style="{_esc(css)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{_esc(alt)}</title>" + "".join(body) + "</svg>"
    )


def _legend(element: ChartElement, width: float, middle: float) -> str:
    style = element.style
    size = style.size_pt
    names = (
        element.categories
        if element.chart_type in ("pie", "doughnut")
        else [name for name, _ in element.series]
    )
    swatch = size * 0.6
    entries = [(name, swatch + size * 0.3 + _width(name, style)) for name in names]
    gap = size * 0.9
    total = sum(w for _, w in entries) + gap * max(len(entries) - 1, 0)
    x = (width - total) / 2
    out = ['<g class="legend">']
    for index, (name, entry_w) in enumerate(entries):
        color = element.colors[index % len(element.colors)]
        if element.chart_type == "line":  # a stretch of the line through its marker
            out.append(
                f'<line x1="{_n(x - swatch * 0.4)}" y1="{_n(middle)}" '
                f'x2="{_n(x + swatch * 1.4)}" y2="{_n(middle)}" stroke="{_esc(color)}" '
                'stroke-width="2.5"/>'
            )
        if element.chart_type in ("line", "scatter"):
            out.append(
                f'<circle cx="{_n(x + swatch / 2)}" cy="{_n(middle)}" r="{_n(swatch / 2)}" '
                f'fill="{_esc(color)}"/>'
            )
        else:
            out.append(
                f'<rect x="{_n(x)}" y="{_n(middle - swatch / 2)}" width="{_n(swatch)}" '
                f'height="{_n(swatch)}" fill="{_esc(color)}"/>'
            )
        out.append(_text(x + swatch + size * 0.3, middle, name, anchor="start"))
        x += entry_w + gap
    out.append("</g>")
    return "".join(out)


def _categories(element: ChartElement, area: tuple[float, float, float, float]) -> str:
    """Column, bar (clustered or stacked) and line charts."""
    kind = element.chart_type
    style = element.style
    size = style.size_pt
    fmt = element.number_format
    horizontal = kind in ("bar", "stacked-bar")
    stacked = kind.startswith("stacked")
    series = element.series
    count = len(element.categories)
    if stacked:
        columns = list(zip(*(values for _, values in series), strict=True))
        high = max((sum(v for v in col if v > 0) for col in columns), default=0.0)
        low = min((sum(v for v in col if v < 0) for col in columns), default=0.0)
        totals = {round(sum(col), 9) for col in columns}
        fixed = totals.pop() if len(totals) == 1 and min(totals | {1}) > 0 else None
        ticks = nice_scale(low, high, fixed)
    else:
        every = [v for _, values in series for v in values]
        ticks = nice_scale(min(every, default=0.0), max(every, default=0.0))
    tick_labels = [format_number(t, fmt) for t in ticks]
    left, top, right, bottom = area
    out: list[str] = []
    line_h = size * 1.3
    if horizontal:
        label_w = max((_width(c, style) for c in element.categories), default=0.0)
        left += label_w + size * 0.5
        top += line_h  # the value labels above the plot (the category axis runs downwards)
        edge = max(_width(tick_labels[-1], style), _width(tick_labels[0], style)) / 2
        right -= edge
        left = max(left, area[0] + edge)
    else:
        label_w = max(_width(t, style) for t in tick_labels)
        left += label_w + size * 0.5
        bottom -= line_h
    plot_w, plot_h = max(right - left, 1.0), max(bottom - top, 1.0)
    low_v, high_v = ticks[0], ticks[-1]

    def value_pos(value: float) -> float:
        share = (value - low_v) / (high_v - low_v)
        return left + share * plot_w if horizontal else bottom - share * plot_h

    grid = element.gridline_color
    out.append('<g class="axes">')
    for tick, label in zip(ticks, tick_labels, strict=True):
        at = value_pos(tick)
        if horizontal:
            out.append(
                f'<line x1="{_n(at)}" y1="{_n(top)}" x2="{_n(at)}" y2="{_n(bottom)}" '
                f'stroke="{_esc(grid)}" stroke-width="0.75"/>'
            )
            out.append(_text(at, top - line_h / 2, label))
        else:
            out.append(
                f'<line x1="{_n(left)}" y1="{_n(at)}" x2="{_n(right)}" y2="{_n(at)}" '
                f'stroke="{_esc(grid)}" stroke-width="0.75"/>'
            )
            out.append(_text(left - size * 0.4, at, label, anchor="end"))
    band = (plot_h if horizontal else plot_w) / max(count, 1)
    zero = value_pos(min(max(0.0, low_v), high_v))
    if horizontal:
        out.append(
            f'<line x1="{_n(zero)}" y1="{_n(top)}" x2="{_n(zero)}" y2="{_n(bottom)}" '
            f'stroke="{_esc(grid)}" stroke-width="0.75"/>'
        )
    else:
        out.append(
            f'<line x1="{_n(left)}" y1="{_n(zero)}" x2="{_n(right)}" y2="{_n(zero)}" '
            f'stroke="{_esc(grid)}" stroke-width="0.75"/>'
        )
    tick = size * 0.3  # the category axis's marks between categories
    for index in range(count + 1):
        at = (top if horizontal else left) + band * index
        if horizontal:
            out.append(
                f'<line x1="{_n(zero - tick)}" y1="{_n(at)}" x2="{_n(zero)}" y2="{_n(at)}" '
                f'stroke="{_esc(grid)}" stroke-width="0.75"/>'
            )
        else:
            out.append(
                f'<line x1="{_n(at)}" y1="{_n(zero)}" x2="{_n(at)}" y2="{_n(zero + tick)}" '
                f'stroke="{_esc(grid)}" stroke-width="0.75"/>'
            )
    for index, category in enumerate(element.categories):
        middle = (top if horizontal else left) + band * (index + 0.5)
        if horizontal:
            out.append(_text(left - size * 0.4, middle, category, anchor="end"))
        else:
            out.append(_text(middle, bottom + line_h / 2, category))
    out.append("</g>")
    if kind == "line":
        out.append(_lines(element, left, band, value_pos))
        return "".join(out)
    bars = 1 if stacked else max(len(series), 1)
    bar = band / (bars + GAP)
    group = bar * bars
    labels: list[str] = []
    out.append('<g class="series">')
    for index in range(count):
        start = (top if horizontal else left) + band * index + (band - group) / 2
        up, down = 0.0, 0.0
        for number, (name, values) in enumerate(series):
            value = values[index]
            color = element.colors[number % len(element.colors)]
            if stacked:
                base = up if value >= 0 else down
                a, b = value_pos(base), value_pos(base + value)
                if value >= 0:
                    up += value
                else:
                    down += value
                offset = start
            else:
                a, b = zero, value_pos(value)
                offset = start + bar * number
            lo, hi = min(a, b), max(a, b)
            if horizontal:
                x, y, bw, bh = lo, offset, hi - lo, bar
            else:
                x, y, bw, bh = offset, lo, bar, hi - lo
            out.append(
                f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bw)}" height="{_n(bh)}" '
                f'fill="{_esc(color)}"><title>{_esc(name)}, {_esc(element.categories[index])}: '
                f"{_esc(format_number(value, element.number_format))}</title></rect>"
            )
            if not element.data_labels:
                continue
            text = format_number(value, element.number_format)
            if stacked:
                ink = readable_on(color, "#000000", "#FFFFFF")
                labels.append(_text(x + bw / 2, y + bh / 2, text, color=ink))
            elif horizontal:
                end = hi + size * 0.3 if value >= 0 else lo - size * 0.3
                labels.append(_text(end, y + bh / 2, text, anchor="start" if value >= 0 else "end"))
            else:
                end = lo - line_h / 2 if value >= 0 else hi + line_h / 2
                labels.append(_text(x + bw / 2, end, text))
    out.append("</g>")
    if labels:
        out.append('<g class="labels">' + "".join(labels) + "</g>")
    return "".join(out)


def _lines(
    element: ChartElement, left: float, band: float, value_pos: Callable[[float], float]
) -> str:
    size = element.style.size_pt
    tops = [max(values) for _, values in element.series]
    highest = tops.index(max(tops)) if tops else 0
    out = ['<g class="series">']
    labels = []
    for number, (name, values) in enumerate(element.series):
        color = element.colors[number % len(element.colors)]
        points = [(left + band * (i + 0.5), value_pos(v)) for i, v in enumerate(values)]
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{_esc(color)}" stroke-width="2.5" '
            'stroke-linejoin="round"/>'
        )
        for (x, y), value, category in zip(points, values, element.categories, strict=True):
            out.append(_marker(x, y, color, f"{name}, {category}", value, element))
            if element.data_labels:
                shift = -size * 0.9 if number == highest else size * 0.9
                labels.append(_text(x, y + shift, format_number(value, element.number_format)))
    out.append("</g>")
    if labels:
        out.append('<g class="labels">' + "".join(labels) + "</g>")
    return "".join(out)


def _marker(x: float, y: float, color: str, what: str, value: float, element: ChartElement) -> str:
    shown = format_number(value, element.number_format)
    return (
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{_esc(color)}">'
        f"<title>{_esc(what)}: {_esc(shown)}</title></circle>"
    )


def _scatter(element: ChartElement, area: tuple[float, float, float, float]) -> str:
    style = element.style
    size = style.size_pt
    xs = element.x_values or [0.0] * len(element.categories)
    every = [v for _, values in element.series for v in values]
    y_ticks = nice_scale(min(every, default=0.0), max(every, default=0.0))
    x_ticks = nice_scale(min(xs, default=0.0), max(xs, default=0.0))
    y_labels = [format_number(t, element.number_format) for t in y_ticks]
    x_labels = [_general(t) for t in x_ticks]
    left, top, right, bottom = area
    line_h = size * 1.3
    left += max(_width(t, style) for t in y_labels) + size * 0.5
    left = max(left, area[0] + _width(x_labels[0], style) / 2)
    right -= _width(x_labels[-1], style) / 2
    bottom -= line_h
    plot_w, plot_h = max(right - left, 1.0), max(bottom - top, 1.0)

    def at_x(value: float) -> float:
        return left + (value - x_ticks[0]) / (x_ticks[-1] - x_ticks[0]) * plot_w

    def at_y(value: float) -> float:
        return bottom - (value - y_ticks[0]) / (y_ticks[-1] - y_ticks[0]) * plot_h

    grid = element.gridline_color
    out = ['<g class="axes">']
    for tick, label in zip(y_ticks, y_labels, strict=True):
        y = at_y(tick)
        out.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" '
            f'stroke="{_esc(grid)}" stroke-width="0.75"/>'
        )
        out.append(_text(left - size * 0.4, y, label, anchor="end"))
    for tick, label in zip(x_ticks, x_labels, strict=True):
        out.append(_text(at_x(tick), bottom + line_h / 2, label))
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}" '
        f'stroke="{_esc(grid)}" stroke-width="0.75"/>'
    )
    out.append('</g><g class="series">')
    for number, (name, values) in enumerate(element.series):
        color = element.colors[number % len(element.colors)]
        for x, value, category in zip(xs, values, element.categories, strict=True):
            out.append(_marker(at_x(x), at_y(value), color, f"{name}, {category}", value, element))
    out.append("</g>")
    return "".join(out)


def _round(element: ChartElement, area: tuple[float, float, float, float]) -> str:
    """Pie and doughnut: slices from twelve o'clock, clockwise, white lines between."""
    left, top, right, bottom = area
    radius = max(min(right - left, bottom - top) / 2, 1.0)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    doughnut = element.chart_type == "doughnut"
    hole = radius * 0.5 if doughnut else 0.0
    _, values = element.series[0] if element.series else ("", [])
    total = sum(values) or 1.0
    out = ['<g class="series">']
    labels = []
    angle = 0.0
    for index, (category, value) in enumerate(zip(element.categories, values, strict=True)):
        color = element.colors[index % len(element.colors)]
        sweep = value / total * 2 * math.pi
        shown = format_number(value, element.number_format)
        tip = f"<title>{_esc(category)}: {_esc(shown)}</title>"
        if sweep >= 2 * math.pi - 1e-9:  # one slice: a whole ring
            out.append(
                f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n((radius + hole) / 2)}" '
                f'fill="none" stroke="{_esc(color)}" '
                f'stroke-width="{_n(radius - hole)}">{tip}</circle>'
                if doughnut
                else f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(radius)}" fill="{_esc(color)}">'
                f"{tip}</circle>"
            )
        elif sweep > 0:
            out.append(
                f'<path d="{_slice(cx, cy, radius, hole, angle, angle + sweep)}" '
                f'fill="{_esc(color)}" stroke="#FFFFFF" stroke-width="0.75">{tip}</path>'
            )
        if element.data_labels and value > 0:
            middle = angle + sweep / 2
            distance = (radius + hole) / 2 if doughnut else radius * 0.8
            x = cx + distance * math.sin(middle)
            y = cy - distance * math.cos(middle)
            ink = readable_on(color, "#000000", "#FFFFFF")
            labels.append(_text(x, y, shown, color=ink, bold=True))
        angle += sweep
    out.append("</g>")
    if labels:
        out.append('<g class="labels">' + "".join(labels) + "</g>")
    return "".join(out)


def _slice(cx: float, cy: float, r: float, hole: float, start: float, end: float) -> str:
    def point(radius: float, angle: float) -> str:
        return f"{_n(cx + radius * math.sin(angle))} {_n(cy - radius * math.cos(angle))}"

    large = 1 if end - start > math.pi else 0
    if hole:
        return (
            f"M{point(r, start)} A{_n(r)} {_n(r)} 0 {large} 1 {point(r, end)} "
            f"L{point(hole, end)} A{_n(hole)} {_n(hole)} 0 {large} 0 {point(hole, start)} Z"
        )
    return f"M{_n(cx)} {_n(cy)} L{point(r, start)} A{_n(r)} {_n(r)} 0 {large} 1 {point(r, end)} Z"
