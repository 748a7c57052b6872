"""A native, editable PowerPoint chart from data written in the YAML or read from a CSV."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from generator.layout.compose import (
    accent_rule,
    chart_element,
    plan,
    text_block,
    title_element,
)
from generator.model.blocks import Text, text
from generator.model.charts import CHART_KEYS, ChartData, chart_fields
from generator.model.geometry import Box, inches
from generator.model.registry import Slide, TextRole, register
from generator.model.schema import BuildContext, spec
from generator.source.yamlload import Map

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article

CAPTION_H = inches(0.6)


@register("chart")
@dataclass(kw_only=True)
class ChartSlide(Slide):
    """A column, bar, line, pie, doughnut or scatter chart that PowerPoint can edit."""

    role = "canvas"
    text_roles = (TextRole("chart", 16, 12, doc="Chart axes, legend and data labels."),)
    extra_keys = CHART_KEYS
    title: Text = spec("The slide's title.", text)
    caption: Optional[Text] = spec("A line under the chart, e.g. its source.", text, default=None)
    data: Optional[ChartData] = field(default=None)

    def check(self, node: Map, ctx: BuildContext) -> None:
        self.data = chart_fields(node, ctx)

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        assert self.data is not None
        frame = ctx.frame("chart")
        body = frame.body
        elements: list = [
            title_element(ctx, "chart", self.title.runs, self.title.loc),
            accent_rule(ctx, frame.title),
        ]
        if self.caption:
            caption_box = Box(body.x, body.bottom - CAPTION_H, body.w, CAPTION_H)
            body = Box(body.x, body.y, body.w, body.h - CAPTION_H)
        elements.append(chart_element(ctx, self.data, body))
        if self.caption:
            elements.append(
                text_block(ctx, self.caption, caption_box, role="caption", align="center")
            )
        return [plan("chart", self.title.plain, elements, self.notes)]

    def markdown(self, article: Article) -> None:
        assert self.data is not None
        article.heading(article.level, self.title.runs)
        article.chart(self.data)
        article.caption(self.caption)
