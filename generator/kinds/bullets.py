"""A titled bullet list; a mapping nests a sub-list under an item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.layout.compose import (
    accent_rule,
    bullet_pages,
    continued_runs,
    plan,
    title_element,
)
from generator.model.blocks import BulletItem, Text, bullet_list, text
from generator.model.inline import plain_text
from generator.model.registry import Slide, register
from generator.model.schema import spec

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article


@register("bullets")
@dataclass(kw_only=True)
class BulletsSlide(Slide):
    """Points the speaker talks through; long lists continue on a new slide."""

    role = "content"

    title: Text = spec("The slide's title.", text)
    bullets: list[BulletItem] = spec("Items; a mapping nests a sub-list.", bullet_list)

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        frame = ctx.frame("bullets")
        bodies = bullet_pages(ctx, self.bullets, frame.body, self.title.loc, region="body")
        plans = []
        for index, body in enumerate(bodies):
            runs = continued_runs(self.title.runs, index, len(bodies))
            title = title_element(ctx, "bullets", runs, self.title.loc)
            plans.append(
                plan(
                    "bullets",
                    plain_text(runs),
                    [title, accent_rule(ctx, frame.title), body],
                    self.notes,
                )
            )
        return plans

    def markdown(self, article: Article) -> None:
        article.heading(article.level, self.title.runs)
        article.bullets(self.bullets)
