"""Two columns side by side; each holds bullets, code, text or an image."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from generator.errors import Location
from generator.layout.compose import (
    above_chrome,
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
from generator.layout.plan import PictureElement
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


MAX_RATIO = 4.0  # a column narrower than a fifth of the two holds nothing readable


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
        left, right = split_columns(frame.left, frame.right, self.ratio)
        pages_left = column_pages(ctx, self.left, left, self.title)
        pages_right = column_pages(ctx, self.right, right, self.title)
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

    def markdown(self, article: Article) -> None:
        article.heading(article.level, self.title.runs)
        article.column(self.left)
        article.column(self.right)


def column_pages(ctx: PlanContext, block: Column, box: Box, title: Text) -> list[list]:
    """Return the elements of one column, one list per slide it needs."""
    heading: list = []
    if block.heading is not None:
        heading_box = Box(box.x, box.y, box.w, HEADING_H)
        heading.append(
            text_block(
                ctx,
                block.heading,
                heading_box,
                role="body",
                color=ctx.theme.colors.heading,
                bold=True,
                anchor="bottom",
            )
        )
        box = Box(box.x, box.y + HEADING_H + inches(0.1), box.w, box.h - HEADING_H - inches(0.1))
    if block.bullets is not None:
        return [
            (heading if i == 0 else []) + [body]
            for i, body in enumerate(bullet_pages(ctx, block.bullets, box, title.loc))
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
        return [
            heading + [chart_element(ctx, block.chart, above_chrome(ctx.frame("comparison"), box))]
        ]
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
