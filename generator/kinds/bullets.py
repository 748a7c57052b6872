"""A titled bullet list; a mapping nests a sub-list under an item."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from generator.kinds import Slide, register
from generator.layout.compose import (
    TEXT_INSET,
    accent_rule,
    bullet_units,
    continued_runs,
    fit_paragraph_units,
    plan,
    title_element,
)
from generator.layout.plan import TextElement
from generator.model.blocks import BulletItem, Text, bullet_list, text
from generator.model.schema import spec

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan


@register("bullets")
@dataclass(kw_only=True)
class BulletsSlide(Slide):
    """Points the speaker talks through; long lists continue on a new slide."""

    title: Text = spec("The slide's title.", text)
    bullets: list[BulletItem] = spec("Items; a mapping nests a sub-list.", bullet_list)

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        frame = ctx.frame("bullets")
        style = ctx.style("body")
        result = fit_paragraph_units(ctx, bullet_units(self.bullets), style, frame.body,
                                     "body", self.title.loc,
                                     unit_locations=[item.text.loc for item in self.bullets])
        plans = []
        for index, page in enumerate(result.pages):
            runs = continued_runs(self.title.runs, index, len(result.pages))
            title = title_element(ctx, "bullets", runs, self.title.loc)
            body = TextElement(frame.body, [p for unit in page for p in unit],
                               replace(style, size_pt=result.sizes[index]), placeholder="body",
                               inset_emu=TEXT_INSET)
            plans.append(plan("bullets", "".join(r.text for r in runs),
                              [title, accent_rule(ctx, frame.title), body], self.notes))
        return plans
