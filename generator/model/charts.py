"""Chart data: a chart's type, categories and series, from the YAML or a CSV file.

Used by the chart kind and by a comparison column holding a chart. Every value is
checked where it is written: a word in a number column of the CSV is reported at
its line and column in the CSV; a series with a value too few at its list.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from generator.errors import Location, did_you_mean
from generator.model.schema import BuildContext, describe, string
from generator.source.includes import confined_path
from generator.source.yamlload import Map, Seq

#: The chart types, by their YAML names.
CHART_TYPES = (
    "column",
    "bar",
    "stacked-column",
    "stacked-bar",
    "line",
    "pie",
    "doughnut",
    "scatter",
)
CHART_KEYS = ("type", "categories", "series", "data", "number_format", "alt")
MAX_CSV_BYTES = 1024 * 1024
MAX_SERIES = 6  # colours stay told apart (by hue, at 3:1) up to this many
MAX_POINTS = 1000  # per series: a slide shows trends, not a data dump
MAX_LABEL_CHARS = 200


@dataclass
class Series:
    """One named row of values."""

    name: str
    values: list[float]


@dataclass
class ChartData:
    """What a chart plots: category labels (x values for scatter) and named series."""

    type: str
    categories: list[str]
    series: list[Series]
    alt: str
    loc: Location
    number_format: Optional[str] = None
    x_values: Optional[list[float]] = None  # scatter: the categories as numbers
    source: Optional[Path] = None  # the CSV it was read from

    @property
    def points(self) -> int:
        return len(self.categories) * len(self.series)


def _number(value: Any) -> float | None:
    """Return value as a finite float, or None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "")) if value.strip() else math.nan
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _label(value: Any, where: Location, ctx: BuildContext) -> str | None:
    text = string(value, where, ctx)
    if text is None:
        return None
    if len(text) > MAX_LABEL_CHARS:
        ctx.problems.error(
            where, f"label is {len(text)} characters; the limit is {MAX_LABEL_CHARS}"
        )
        return None
    return text


def chart_fields(node: Map, ctx: BuildContext, *, alt_required: bool = True) -> ChartData | None:
    """Build ChartData from a mapping's type, categories + series or data, number_format, alt."""
    before = len(ctx.problems.errors)
    kind = node.get("type")
    chart_type: str | None = None
    if kind is None:
        ctx.problems.error(node.loc, "chart is missing required field 'type'")
    elif not isinstance(kind, str) or kind not in CHART_TYPES:
        ctx.problems.error(
            node.loc_of("type"),
            f"unknown chart type {str(kind)!r}",
            did_you_mean(str(kind), CHART_TYPES) or "types: " + ", ".join(CHART_TYPES),
        )
    else:
        chart_type = kind
    alt = node.get("alt")
    alt_text = string(alt, node.loc_of("alt"), ctx) if alt is not None else None
    if alt is None or (alt_text is not None and not alt_text.strip()):
        if alt_required:
            ctx.problems.error(
                node.loc_of("alt") if "alt" in node else node.loc,
                "chart needs alt text ('alt:') saying what it shows, for screen readers",
            )
    number_format = None
    if "number_format" in node:
        number_format = string(node["number_format"], node.loc_of("number_format"), ctx)
    given = [key for key in ("categories", "data") if key in node]
    table: tuple[list[str], list[Series], list[Location]] | None = None
    source = None
    if given == ["data"]:
        if "series" in node:
            ctx.problems.error(node.key_locs["series"], "'series' does not go with 'data'")
        read = _read_csv(node["data"], node.loc_of("data"), ctx)
        if read is not None:
            table, source = read[:3], read[3]
    elif given == ["categories"]:
        table = _yaml_table(node, ctx)
    elif not given:
        ctx.problems.error(node.loc, "chart needs 'categories' and 'series', or 'data: FILE.csv'")
    else:
        ctx.problems.error(
            node.key_locs["data"], "give 'categories' and 'series', or 'data', not both"
        )
    if table is None or chart_type is None or len(ctx.problems.errors) > before:
        return None
    categories, series, category_locs = table
    x_values = None
    if chart_type == "scatter":
        x_values = []
        for label, where in zip(categories, category_locs, strict=True):
            number = _number(label)
            if number is None:
                ctx.problems.error(
                    where,
                    f"a scatter chart's categories are its x values: {label!r} is not a number",
                )
            x_values.append(number or 0.0)
    if chart_type in ("pie", "doughnut"):
        if len(series) != 1:
            ctx.problems.error(
                node.loc,
                f"a {chart_type} chart shows one series, got {len(series)}",
                "use a column or bar chart for more",
            )
        elif any(v < 0 for v in series[0].values):
            ctx.problems.error(node.loc, f"a {chart_type} chart cannot show negative values")
        elif len(categories) > MAX_SERIES:
            ctx.problems.warn(
                node.loc_of("categories") if "categories" in node else node.loc_of("data"),
                f"a {chart_type} chart of {len(categories)} slices repeats colours after "
                f"{MAX_SERIES}",
                "group the small ones as 'Other', or use a bar chart",
            )
    if len(ctx.problems.errors) > before:
        return None
    return ChartData(
        chart_type,
        categories,
        series,
        (alt_text or "").strip(),
        node.loc,
        number_format=number_format,
        x_values=x_values,
        source=source,
    )


def _yaml_table(
    node: Map, ctx: BuildContext
) -> tuple[list[str], list[Series], list[Location]] | None:
    raw = node["categories"]
    where = node.loc_of("categories")
    if not isinstance(raw, Seq) or not raw:
        ctx.problems.error(where, f"categories must be a non-empty list, got {describe(raw)}")
        return None
    if len(raw) > MAX_POINTS:
        ctx.problems.error(where, f"{len(raw)} categories; the limit is {MAX_POINTS}")
        return None
    categories = [_label(item, raw.loc_of(i), ctx) for i, item in enumerate(raw)]
    locs = [raw.loc_of(i) for i in range(len(raw))]
    if "series" not in node:
        ctx.problems.error(node.loc, "chart has 'categories' but no 'series'")
        return None
    items = node["series"]
    where = node.loc_of("series")
    if not isinstance(items, Seq) or not items:
        ctx.problems.error(
            where, f"series must be a non-empty list of {{name, values}}, got {describe(items)}"
        )
        return None
    if len(items) > MAX_SERIES:
        ctx.problems.error(where, f"{len(items)} series; the limit is {MAX_SERIES}")
        return None
    series = []
    for index, item in enumerate(items):
        at = items.loc_of(index)
        if not isinstance(item, Map):
            ctx.problems.error(at, f"a series is a mapping {{name, values}}, got {describe(item)}")
            continue
        for key in item:
            if key not in ("name", "values"):
                ctx.problems.error(
                    item.key_locs[key],
                    f"unknown field '{key}' in series",
                    did_you_mean(str(key), ("name", "values")) or "a series has name and values",
                )
        if "name" not in item or "values" not in item:
            ctx.problems.error(at, "a series needs 'name' and 'values'")
            continue
        name = _label(item["name"], item.loc_of("name"), ctx)
        values = item["values"]
        values_at = item.loc_of("values")
        if not isinstance(values, Seq):
            ctx.problems.error(
                values_at, f"values must be a list of numbers, got {describe(values)}"
            )
            continue
        if len(values) != len(raw):
            ctx.problems.error(
                values_at,
                f"series '{name}' has {len(values)} values; there are {len(raw)} categories",
            )
            continue
        numbers = []
        for i, value in enumerate(values):
            number = _number(value) if not isinstance(value, str) else None
            if number is None:
                ctx.problems.error(values.loc_of(i), f"expected a number, got {describe(value)}")
            numbers.append(number or 0.0)
        if name is not None:
            series.append(Series(name, numbers))
    if any(c is None for c in categories):
        return None
    return [c for c in categories if c is not None], series, locs


def _read_csv(
    value: Any, where: Location, ctx: BuildContext
) -> tuple[list[str], list[Series], list[Location], Path] | None:
    """Read a CSV inside the project: header row of series names, first column categories."""
    relative = string(value, where, ctx)
    if relative is None:
        return None
    path = confined_path(relative, ctx.base_dir, ctx.root_dir, where, ctx.problems)
    if path is None:
        return None
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            ctx.problems.error(
                where, f"'{relative}' is {size:,} bytes; the limit is {MAX_CSV_BYTES:,}"
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        ctx.problems.error(where, f"cannot read '{relative}': {exc.strerror or exc}")
        return None
    ctx.files.append(path)
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ctx.problems.error(where, f"'{relative}' is not UTF-8 text (byte {exc.start + 1})")
        return None
    shown = str(Path(where.path).parent / relative) if where.path else relative
    if shown.startswith("./"):
        shown = shown[2:]
    lines = content.splitlines()
    try:
        rows = list(csv.reader(io.StringIO(content)))
    except csv.Error as exc:
        ctx.problems.error(Location(shown, 1, 1), f"not a CSV file: {exc}")
        return None
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(c.strip() for c in row)]
    if len(numbered) < 2:
        ctx.problems.error(
            Location(shown, 1, 1) if numbered else where,
            f"'{relative}' has no data"
            + (": a header row and at least one row of values are needed" if numbered else ""),
        )
        return None

    def cell_loc(line: int, column: int) -> Location:
        text = lines[line - 1] if line - 1 < len(lines) else ""
        # Columns of a plain line; a quoted cell with a comma makes this approximate.
        col = 1 + sum(len(part) + 1 for part in text.split(",")[:column])
        return Location(shown, line, min(col, len(text) + 1))

    (header_line, header), body = numbered[0], numbered[1:]
    width = len(header)
    if width < 2:
        ctx.problems.error(
            cell_loc(header_line, 0),
            "the header row needs a categories column and at least one series column",
        )
        return None
    if width - 1 > MAX_SERIES:
        ctx.problems.error(
            cell_loc(header_line, 0), f"{width - 1} series; the limit is {MAX_SERIES}"
        )
        return None
    if len(body) > MAX_POINTS:
        ctx.problems.error(cell_loc(header_line, 0), f"{len(body)} rows; the limit is {MAX_POINTS}")
        return None
    names = []
    for column, name in enumerate(header[1:], start=1):
        label = _label(name.strip(), cell_loc(header_line, column), ctx)
        if label is not None and not label:
            ctx.problems.error(cell_loc(header_line, column), "a series column needs a name")
        names.append(label or "")
    values: list[list[float]] = [[] for _ in names]
    categories, locs = [], []
    for line, row in body:
        if len(row) != width:
            ctx.problems.error(
                cell_loc(line, min(len(row), width)),
                f"row has {len(row)} cells; the header has {width}",
            )
            continue
        label = _label(row[0].strip(), cell_loc(line, 0), ctx)
        categories.append(label or "")
        locs.append(cell_loc(line, 0))
        for column, cell in enumerate(row[1:], start=1):
            number = _number(cell)
            if number is None:
                ctx.problems.error(
                    cell_loc(line, column), f"expected a number, got {cell.strip()!r}"
                )
            values[column - 1].append(number or 0.0)
    series = [Series(name, numbers) for name, numbers in zip(names, values, strict=True)]
    return categories, series, locs, path


def chart_block(value: Any, where: Location, ctx: BuildContext) -> ChartData | None:
    """Convert a chart mapping (a comparison column's `chart:`)."""
    if not isinstance(value, Map):
        ctx.problems.error(where, f"chart must be a mapping, got {describe(value)}")
        return None
    for key in value:
        if key not in CHART_KEYS:
            ctx.problems.error(
                value.key_locs[key],
                f"unknown field '{key}' in chart",
                did_you_mean(str(key), CHART_KEYS) or "fields: " + ", ".join(CHART_KEYS),
            )
    return chart_fields(value, ctx)
