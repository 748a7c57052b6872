"""Two columns side by side; each holds bullets, code, text or an image."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Optional

from generator.errors import Location
from generator.layout import compose, fit
from generator.layout.compose import (
    TEXT_INSET,
    accent_rule,
    bullet_pages,
    chart_element,
    code_panel,
    continued_runs,
    fit_code,
    fit_picture,
    plan,
    text_block,
    title_element,
)
from generator.layout.plan import PictureElement, TextElement
from generator.model.blocks import Column, Text, column, text
from generator.model.geometry import Box, inches
from generator.model.inline import plain_text
from generator.model.registry import Slide, register
from generator.model.schema import BuildContext, spec, weights

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article

HEADING_H = inches(0.65)
HEADING_GAP = inches(0.1)  # between a column's heading and its body


MAX_RATIO = 4.0  # a column narrower than a fifth of the two holds nothing readable
#: Columns that continue onto another slide when set equal are tried wider on the fuller
#: side, in this order; the first that saves a slide is used (a 3:2 split still reads as
#: a pair; a slide holding the last bullet of one column does not).
AUTO_RATIOS = ((11.0, 9.0), (3.0, 2.0))


def ratio_pair(value: Any, where: Location, ctx: BuildContext) -> tuple[float, float] | None:
    """Convert [left, right]: two positive numbers, neither more than 4 times the other."""
    numbers = weights(value, where, ctx, "ratio")
    if numbers is None:
        return None
    if len(numbers) != 2:
        ctx.problems.error(where, f"ratio needs two numbers, [left, right], got {len(numbers)}")
        return None
    if max(numbers) > MAX_RATIO * min(numbers):
        ctx.problems.error(
            where,
            f"ratio {numbers[0]:g}:{numbers[1]:g} leaves a column too narrow",
            f"keep it within {MAX_RATIO:g}:1",
        )
        return None
    return numbers[0], numbers[1]


def split_columns(left: Box, right: Box, ratio: Optional[tuple[float, float]]) -> tuple[Box, Box]:
    """Return the two column boxes with the span between them shared by ratio."""
    if ratio is None:
        return left, right
    gutter = right.x - left.right
    room = right.right - left.x - gutter
    left_w = round(room * ratio[0] / (ratio[0] + ratio[1]))
    return (
        Box(left.x, left.y, left_w, left.h),
        Box(left.x + left_w + gutter, right.y, room - left_w, right.h),
    )


@register("comparison")
@dataclass(kw_only=True)
class ComparisonSlide(Slide):
    """Two things side by side, each under its own heading."""

    role = "columns"

    title: Text = spec("The slide's title.", text)
    left: Column = spec("The left column: heading and one block.", column)
    right: Column = spec("The right column: heading and one block.", column)
    ratio: Optional[tuple[float, float]] = spec(
        "Relative column widths, e.g. [2, 1]; equal when absent.", ratio_pair, default=None
    )

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        frame = ctx.frame("comparison")
        pages_left, pages_right = self._columns(ctx, self._setting(ctx))
        _headings_alike([pages_left, pages_right], (self.left, self.right))
        total = max(len(pages_left), len(pages_right))
        plans = []
        for index in range(total):
            runs = continued_runs(self.title.runs, index, total)
            elements: list = [
                title_element(ctx, "comparison", runs, self.title.loc),
                accent_rule(ctx, frame.title),
            ]
            for pages in (pages_left, pages_right):
                if index < len(pages):
                    elements += pages[index]
            plans.append(plan("comparison", plain_text(runs), elements, self.notes))
        return plans

    def _columns(
        self, ctx: PlanContext, setting: tuple[Optional[tuple[float, float]], int]
    ) -> tuple[list[list], list[list]]:
        """Return each column's elements per slide: the span shared by the setting's
        ratio, the headings the setting's height."""
        ratio, heading_h = setting
        frame = ctx.frame("comparison")
        left, right = split_columns(frame.left, frame.right, ratio)
        size = common_size(ctx, (self.left, left), (self.right, right), heading_h)
        return (
            column_pages(ctx, self.left, left, self.title, size, heading_h),
            column_pages(ctx, self.right, right, self.title, size, heading_h),
        )

    def _setting(self, ctx: PlanContext) -> tuple[Optional[tuple[float, float]], int]:
        """Return the ratio and heading height to set the columns at.

        Equal columns (or the slide's own ratio) under headings HEADING_H tall, unless the
        columns then continue onto another slide and a tighter setting saves one: headings
        only as tall as their lines, then the fuller column wider (AUTO_RATIOS).
        """
        usual = (self.ratio, HEADING_H)
        if not ctx.fitting:
            return usual
        trial = ctx.trial()
        equal = self._columns(trial, usual)
        slides = max(len(pages) for pages in equal)
        if slides == 1:
            return usual
        tight = heading_height(trial, (self.left, self.right), ctx.frame("comparison").left)
        fuller_left = len(equal[0]) >= len(equal[1])
        ratios = [] if self.ratio is not None else list(AUTO_RATIOS)
        candidates = [(self.ratio, tight)] + [
            (ratio if fuller_left else (ratio[1], ratio[0]), height)
            for ratio in ratios
            for height in (HEADING_H, tight)
        ]
        for setting in candidates:
            if max(len(pages) for pages in self._columns(trial, setting)) < slides:
                return setting
        return usual

    def markdown(self, article: Article) -> None:
        article.heading(article.level, self.title.runs)
        article.column(self.left)
        article.column(self.right)


def common_size(
    ctx: PlanContext, left: tuple[Column, Box], right: tuple[Column, Box], heading_h: int
) -> float | None:
    """Return the one size both bullet columns are set at when either continues, else None.

    Fitted alone, a column that continues does so at the largest size each bullet fits
    at, while the other shrinks onto one slide: three slides of two bullets beside one
    of five. Set alike, at the largest size needing the fewest slides, the columns
    match and continue as little as they can.
    """
    columns = (left, right)
    if not ctx.fitting or any(block.bullets is None for block, _ in columns):
        return None
    boxes = [_body_box(box, block, heading_h) for block, box in columns]
    alone = [
        compose.bullet_fit(ctx, block.bullets or [], box)
        for (block, _), box in zip(columns, boxes, strict=True)
    ]
    if all(len(result.pages) == 1 for result in alone):
        return None
    ladder = fit.size_ladder(ctx.style("body").size_pt, ctx.floor("body"))
    costs = []  # per size: the slides needed, then how far apart the columns' sizes are
    for size in ladder:
        fits = [
            compose.bullet_fit(ctx, block.bullets or [], box, size)
            for (block, _), box in zip(columns, boxes, strict=True)
        ]
        sizes = [result.size_pt for result in fits]
        costs.append((max(len(result.pages) for result in fits), max(sizes) - min(sizes)))
    return ladder[costs.index(min(costs))]


def _body_box(box: Box, block: Column, heading_h: int = HEADING_H) -> Box:
    """Return the part of a column's box under its heading."""
    if block.heading is None:
        return box
    return Box(box.x, box.y + heading_h + HEADING_GAP, box.w, box.h - heading_h - HEADING_GAP)


def heading_height(ctx: PlanContext, blocks: tuple[Column, ...], column: Box) -> int:
    """Return the height the columns' headings need as they are set (at most HEADING_H)."""
    width = column.w - 2 * TEXT_INSET
    needed = []
    for block in blocks:
        if block.heading is None:
            continue
        # Fitted as column_pages sets it (shrunk to fit HEADING_H), then measured.
        shown = _heading(ctx, block.heading, Box(column.x, column.y, column.w, HEADING_H))
        lines = fit.paragraphs_height(shown.paragraphs, shown.style, shown.style.size_pt, width)
        needed.append(lines + 2 * TEXT_INSET)
    return min(HEADING_H, max(needed, default=0))


def _headings_alike(columns: list[list[list]], blocks: tuple[Column, ...]) -> None:
    """Set both headings at the smaller of their fitted sizes: a pair reads as a pair."""
    headings = [pages[0][0] for pages, block in zip(columns, blocks, strict=True) if block.heading]
    if len(headings) == 2:
        size = min(element.style.size_pt for element in headings)
        for element in headings:
            element.style = replace(element.style, size_pt=size)


def _heading(ctx: PlanContext, heading: Text, box: Box) -> TextElement:
    return text_block(
        ctx, heading, box, role="body", color=ctx.theme.colors.heading, bold=True, anchor="bottom"
    )


def column_pages(
    ctx: PlanContext,
    block: Column,
    box: Box,
    title: Text,
    size: float | None = None,
    heading_h: int = HEADING_H,
) -> list[list]:
    """Return the elements of one column, one list per slide it needs (bullets at most at
    size, when given), under a heading heading_h tall."""
    heading: list = []
    if block.heading is not None:
        heading_box = Box(box.x, box.y, box.w, heading_h)
        heading.append(_heading(ctx, block.heading, heading_box))
        box = _body_box(box, block, heading_h)
    if block.bullets is not None:
        return [
            (heading if i == 0 else []) + [body]
            for i, body in enumerate(bullet_pages(ctx, block.bullets, box, title.loc, size=size))
        ]
    if block.code is not None:
        result = fit_code(ctx, block.code, box)
        return [
            (heading if i == 0 else []) + code_panel(ctx, box, page, size)
            for i, (page, size) in enumerate(zip(result.pages, result.sizes, strict=True))
        ]
    if block.text is not None:
        return [heading + [text_block(ctx, block.text, box)]]
    if block.chart is not None:
        return [heading + [chart_element(ctx, block.chart, box)]]
    assert block.image is not None
    return [
        heading
        + [
            PictureElement(
                fit_picture(box, block.image.width_px, block.image.height_px),
                str(block.image.path),
                block.image.alt,
                decorative=block.image.decorative,
                source=block.image.alt_loc or block.image.loc,
            )
        ]
    ]
