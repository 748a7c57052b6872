"""A code slide: Pygments-highlighted text runs on a quiet panel, with a caption."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from generator.layout.compose import (
    accent_rule,
    code_panel,
    continued_runs,
    fit_code,
    plan,
    text_block,
    title_element,
)
from generator.model.blocks import CodeBlock, Text, code_fields, text
from generator.model.geometry import Box, inches
from generator.model.inline import plain_text
from generator.model.registry import Slide, register
from generator.model.schema import BuildContext, schema_keys, spec
from generator.source.yamlload import Map

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article

CAPTION_H = inches(0.6)


@register("code")
@dataclass(kw_only=True)
class CodeSlide(Slide):
    """Code shown as tested: `source:`, or `file:` by `lines:`, `region:` or `symbol:`."""

    role = "canvas"
    extra_keys = ("language", "source", "file", "lines", "region", "symbol", "ref")
    title: Text = spec("The slide's title.", text)
    caption: Optional[Text] = spec("A line under the code.", text, default=None)
    code: Optional[CodeBlock] = field(default=None)

    def check(self, node: Map, ctx: BuildContext) -> None:
        own = frozenset({"kind", *schema_keys(type(self))})
        self.code = code_fields(node, ctx, ignore=own, what="code slide")

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        assert self.code is not None
        frame = ctx.frame("code")
        body = frame.body
        panel_box = Box(body.x, body.y, body.w, body.h - (CAPTION_H if self.caption else 0))
        result = fit_code(ctx, self.code, panel_box)
        plans = []
        for index, page in enumerate(result.pages):
            runs = continued_runs(self.title.runs, index, len(result.pages))
            elements: list = [
                title_element(ctx, "code", runs, self.title.loc),
                accent_rule(ctx, frame.title),
            ]
            panel = code_panel(ctx, panel_box, page, result.sizes[index])
            elements += panel
            if self.caption and index == len(result.pages) - 1:
                caption_box = Box(
                    body.x, panel[0].box.bottom + inches(0.05), body.w, CAPTION_H - inches(0.05)
                )
                elements.append(text_block(ctx, self.caption, caption_box, role="caption"))
            plans.append(plan("code", plain_text(runs), elements, self.notes))
        return plans

    def markdown(self, article: Article) -> None:
        assert self.code is not None
        article.heading(article.level, self.title.runs)
        article.code(self.code)
        article.caption(self.caption)
