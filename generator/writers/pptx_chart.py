"""Native charts: a chart part with its embedded workbook, styled from the plan.

python-pptx writes the chart XML and, with XlsxWriter, the workbook PowerPoint opens on
"Edit Data". XlsxWriter stamps the workbook with the time it was made; here it gets a
fixed time, so the same plan gives the same bytes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pptx.chart.data import CategoryChartData, XyChartData
from pptx.chart.xlsx import CategoryWorkbookWriter, XyWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.packuri import PackURI
from pptx.parts.chart import ChartPart
from pptx.parts.embeddedpackage import EmbeddedXlsxPart
from pptx.util import Pt

from generator.layout.plan import ChartElement
from generator.theme.colors import readable_on

WORKBOOK_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
CHART_TYPES = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked-column": XL_CHART_TYPE.COLUMN_STACKED,
    "stacked-bar": XL_CHART_TYPE.BAR_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "pie": XL_CHART_TYPE.PIE,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
    "scatter": XL_CHART_TYPE.XY_SCATTER,
}


class _FixedTimeWriter:
    """A workbook writer whose workbook says it was made at WORKBOOK_TIME."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: Any) -> Iterator[tuple[Any, Any]]:
        with super()._open_worksheet(xlsx_file) as (workbook, worksheet):  # type: ignore[misc]
            workbook.set_properties({"created": WORKBOOK_TIME})
            yield workbook, worksheet


class _CategoryWriter(_FixedTimeWriter, CategoryWorkbookWriter):
    pass


class _XyWriter(_FixedTimeWriter, XyWorkbookWriter):
    pass


class _CategoryData(CategoryChartData):
    @property
    def _workbook_writer(self) -> Any:
        return _CategoryWriter(self)


class _XyData(XyChartData):
    @property
    def _workbook_writer(self) -> Any:
        return _XyWriter(self)


def chart_data(element: ChartElement) -> Any:
    """Return python-pptx chart data for the element, its number format on the values."""
    number_format = element.number_format or "General"
    if element.chart_type == "scatter":
        xy = _XyData(number_format=number_format)
        xs = element.x_values or []
        for name, values in element.series:
            series = xy.add_series(name, number_format=number_format)
            for x, y in zip(xs, values, strict=True):
                series.add_data_point(x, y)
        return xy
    data = _CategoryData(number_format=number_format)
    data.categories = element.categories
    for name, values in element.series:
        data.add_series(name, values)
    return data


def new_chart_part(
    package: Any, element: ChartElement, partname: Callable[[str], PackURI]
) -> ChartPart:
    """Return a chart part and its workbook part, styled as the plan says.

    As python-pptx's ChartPart.new, but partname names the parts: python-pptx walks
    every part of the package for each new name, which made a deck of charts quadratic.
    """
    data = chart_data(element)
    part = ChartPart.load(
        partname(ChartPart.partname_template),
        CT.DML_CHART,
        package,
        data.xml_bytes(CHART_TYPES[element.chart_type]),
    )
    workbook = EmbeddedXlsxPart(
        partname(EmbeddedXlsxPart.partname_template),
        EmbeddedXlsxPart.content_type,
        package,
        data.xlsx_blob,
    )
    part.chart_workbook.xlsx_part = workbook
    _style(part.chart, element)
    return part


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _font(font: Any, element: ChartElement, size: float | None = None) -> None:
    font.name = element.style.font
    font.size = Pt(size or element.style.size_pt)
    font.color.rgb = _rgb(element.style.color)


def _style(chart: Any, element: ChartElement) -> None:
    kind = element.chart_type
    round_chart = kind in ("pie", "doughnut")
    chart.has_title = False
    _font(chart.font, element)
    chart.has_legend = element.legend
    if element.legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        _font(chart.legend.font, element)
    plot = chart.plots[0]
    if kind in ("column", "bar", "stacked-column", "stacked-bar"):
        plot.gap_width = 60
        if kind.startswith("stacked"):
            plot.overlap = 100
    if round_chart:
        plot.vary_by_categories = True
        for index, point in enumerate(plot.series[0].points):
            fill = element.colors[index % len(element.colors)]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(fill)
            point.format.line.color.rgb = _rgb("#FFFFFF")
    else:
        plot.vary_by_categories = False
        for series, color in zip(plot.series, element.colors, strict=False):
            _color_series(series, kind, color)
        _axes(chart, element)
    if element.data_labels:
        _labels(plot, element)


def _color_series(series: Any, kind: str, color: str) -> None:
    if kind in ("line", "scatter"):
        if kind == "line":
            series.format.line.color.rgb = _rgb(color)
            series.format.line.width = Pt(2.5)
            series.smooth = False
        else:
            series.format.line.fill.background()  # points only: no line between them
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 8
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(color)
        series.marker.format.line.color.rgb = _rgb(color)
        return
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = _rgb(color)


def _axes(chart: Any, element: ChartElement) -> None:
    value_axis = chart.value_axis
    category_axis = chart.category_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb(element.gridline_color)
    value_axis.format.line.fill.background()
    category_axis.format.line.color.rgb = _rgb(element.gridline_color)
    category_axis.has_major_gridlines = False
    for axis in (value_axis, category_axis):
        _font(axis.tick_labels.font, element)
    if element.number_format:
        value_axis.tick_labels.number_format = element.number_format
        value_axis.tick_labels.number_format_is_linked = False
    if element.chart_type in ("bar", "stacked-bar"):
        category_axis.reverse_order = True  # the first category on top, as it reads
    if element.chart_type.startswith("stacked"):
        totals = {
            round(sum(column), 9) for column in zip(*(v for _, v in element.series), strict=True)
        }
        if len(totals) == 1 and min(totals) > 0:  # shares of one whole: the axis ends there
            value_axis.maximum_scale = totals.pop()
            value_axis.minimum_scale = 0


def _labels(plot: Any, element: ChartElement) -> None:
    kind = element.chart_type
    plot.has_data_labels = True
    labels = plot.data_labels
    if element.number_format:
        labels.number_format = element.number_format
        labels.number_format_is_linked = False
    labels.show_value = True
    _font(labels.font, element)
    if kind in ("column", "bar"):
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
    elif kind == "line":
        # The top series labelled above its points, the others below, so two close
        # lines do not print their labels over each other.
        tops = [max(values) for _, values in element.series]
        highest = tops.index(max(tops))
        for index, series in enumerate(plot.series):
            series.data_labels.show_value = True
            series.data_labels.position = (
                XL_LABEL_POSITION.ABOVE if index == highest else XL_LABEL_POSITION.BELOW
            )
            _font(series.data_labels.font, element)
            if element.number_format:
                series.data_labels.number_format = element.number_format
                series.data_labels.number_format_is_linked = False
    elif kind.startswith("stacked"):
        labels.position = XL_LABEL_POSITION.CENTER
        for series, color in zip(plot.series, element.colors, strict=False):
            series.data_labels.show_value = True
            series.data_labels.position = XL_LABEL_POSITION.CENTER
            _font(series.data_labels.font, element)
            series.data_labels.font.color.rgb = _rgb(readable_on(color, "#000000", "#FFFFFF"))
            if element.number_format:
                series.data_labels.number_format = element.number_format
                series.data_labels.number_format_is_linked = False
    else:  # pie, doughnut: each label on its slice, in black or white, whichever reads
        for index, point in enumerate(plot.series[0].points):
            fill = element.colors[index % len(element.colors)]
            label = point.data_label
            label.has_text_frame = False
            label.show_value = True
            label.position = (
                XL_LABEL_POSITION.CENTER if kind == "doughnut" else XL_LABEL_POSITION.INSIDE_END
            )
            _font(label.font, element)
            label.font.bold = True
            label.font.color.rgb = _rgb(readable_on(fill, "#000000", "#FFFFFF"))
