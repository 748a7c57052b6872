"""A native table with a header row; long tables continue with the header repeated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Optional

from generator.errors import Location
from generator.layout import fit, measure
from generator.layout.compose import (
    accent_rule,
    continued_runs,
    plan,
    report_fit,
    runs_paragraph,
    title_element,
)
from generator.layout.plan import Paragraph, TableElement, TextStyle
from generator.model.blocks import Text, text
from generator.model.geometry import Box, inches
from generator.model.inline import plain_text
from generator.model.registry import Slide, register
from generator.model.schema import BuildContext, describe, spec, weights
from generator.source.yamlload import Seq

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article

CELL_MARGIN_X = inches(0.12)
CELL_MARGIN_Y = inches(0.06)
TIGHT_CELL_MARGIN_Y = inches(0.03)  # when it keeps the table on fewer slides
MAX_COLUMNS = 12


def _row(value: Any, where: Location, ctx: BuildContext) -> list[Text] | None:
    if not isinstance(value, Seq):
        ctx.problems.error(where, f"a table row must be a list of cells, got {describe(value)}")
        return None
    cells = [text(cell, value.loc_of(i), ctx) for i, cell in enumerate(value)]
    return None if any(c is None for c in cells) else cells  # type: ignore[return-value]


def _rows(value: Any, where: Location, ctx: BuildContext) -> list[list[Text]] | None:
    if not isinstance(value, Seq) or not value:
        ctx.problems.error(where, f"rows must be a non-empty list of rows, got {describe(value)}")
        return None
    rows = [_row(row, value.loc_of(i), ctx) for i, row in enumerate(value)]
    return None if any(r is None for r in rows) else rows  # type: ignore[return-value]


def _widths(value: Any, where: Location, ctx: BuildContext) -> list[float] | None:
    numbers = weights(value, where, ctx, "widths")
    if numbers is not None and max(numbers) > 20 * min(numbers):
        ctx.problems.error(where, "widths leave a column too narrow", "keep them within 20:1")
        return None
    return numbers


@register("table")
@dataclass(kw_only=True)
class TableSlide(Slide):
    """Rows and columns as a real PowerPoint table."""

    role = "canvas"

    title: Text = spec("The slide's title.", text)
    header: list[Text] = spec("Column headings.", _row)
    rows: list[list[Text]] = spec("Rows of cells, as many as the header.", _rows)
    widths: Optional[list[float]] = spec(
        "Relative column widths, e.g. [1, 2, 2]; measured from the text when absent.",
        _widths,
        default=None,
    )

    def check(self, node: Any, ctx: BuildContext) -> None:
        columns = len(self.header)
        if not 1 <= columns <= MAX_COLUMNS:
            ctx.problems.error(
                self.title.loc, f"a table needs 1 to {MAX_COLUMNS} columns, got {columns}"
            )
        for row in self.rows:
            if len(row) != columns:
                where = row[0].loc if row else self.title.loc
                ctx.problems.error(where, f"row has {len(row)} cells; the header has {columns}")
        if self.widths is not None and len(self.widths) != columns:
            ctx.problems.error(
                node.loc_of("widths"),
                f"widths has {len(self.widths)} numbers; the table has {columns} columns",
            )

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        frame = ctx.frame("table")
        box = frame.body
        style = ctx.style("table")
        if self.widths is not None:
            widths = [int(box.w * share / sum(self.widths)) for share in self.widths]
            widths[-1] += box.w - sum(widths)
        else:
            widths = column_widths(self.header, self.rows, style, box.w)
        header = [[runs_paragraph(cell.runs, source=cell.loc)] for cell in self.header]
        rows = [[[runs_paragraph(cell.runs, source=cell.loc)] for cell in row] for row in self.rows]

        margin_y = CELL_MARGIN_Y

        def row_height(cells: Sequence[list[Paragraph]], size: float, bold: bool = False) -> int:
            cell_style = replace(style, size_pt=size, bold=bold)
            return (
                max(
                    measure.text_height(cell, cell_style, width - 2 * CELL_MARGIN_X)
                    for cell, width in zip(cells, widths, strict=True)
                )
                + 2 * margin_y
            )

        def height_of(chosen: Sequence[list[list[Paragraph]]], size: float) -> int:
            return row_height(header, size, bold=True) + sum(row_height(r, size) for r in chosen)

        def fitted() -> fit.Fit:
            return fit.fit_units(
                rows, height_of, box.h, style.size_pt, ctx.floor("table"), ctx.fitting
            )

        result = fitted()
        if len(result.pages) > 1:
            # Rows closer together before a second slide: a table that misses by a
            # fraction of an inch stays whole (LibreOffice's Vivid: 0.03 in).
            margin_y = TIGHT_CELL_MARGIN_Y
            tight = fitted()
            if len(tight.pages) < len(result.pages):
                result = tight
            else:
                margin_y = CELL_MARGIN_Y
        report_fit(
            ctx,
            result,
            "table",
            self.title.loc,
            unit_what="table row",
            unit_locations=[row[0].loc if row else self.title.loc for row in self.rows],
        )
        colors = ctx.theme.colors
        plans = []
        for index, page in enumerate(result.pages):
            runs = continued_runs(self.title.runs, index, len(result.pages))
            size = result.sizes[index]
            heights = [row_height(header, size, True)] + [row_height(r, size) for r in page]
            table = TableElement(
                Box(box.x, box.y, box.w, sum(heights)),
                header,
                page,
                widths,
                replace(style, size_pt=size),
                header_fill=colors.accent,
                header_color=colors.on_accent,
                band_fill=colors.surface,
                rule_color=colors.surface,
                cell_margin_x=CELL_MARGIN_X,
                cell_margin_y=margin_y,
                row_heights=heights,
            )
            plans.append(
                plan(
                    "table",
                    plain_text(runs),
                    [
                        title_element(ctx, "table", runs, self.title.loc),
                        accent_rule(ctx, frame.title),
                        table,
                    ],
                    self.notes,
                )
            )
        return plans

    def markdown(self, article: Article) -> None:
        article.heading(article.level, self.title.runs)
        article.table(self.header, self.rows)


def column_widths(
    header: list[Text], rows: list[list[Text]], style: TextStyle, total: int
) -> list[int]:
    """Share the width by each column's natural (one-line) width, within bounds."""
    columns = len(header)
    natural = []
    for index in range(columns):
        cells = [header[index]] + [row[index] for row in rows if index < len(row)]
        longest = max(measure.natural_width([Paragraph(list(cell.runs))], style) for cell in cells)
        natural.append(longest + 2 * CELL_MARGIN_X)
    if sum(natural) <= total:
        spare = total - sum(natural)
        widths = [n + spare * n // sum(natural) for n in natural]
    else:
        floor = total // (columns * 2)
        ceiling = total * 0.5
        clamped = [min(max(n, floor), ceiling) for n in natural]
        widths = [int(total * c / sum(clamped)) for c in clamped]
    widths[-1] += total - sum(widths)
    return widths
