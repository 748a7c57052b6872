"""The last slide: a title such as "Questions?" and an optional line under it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from generator.layout.compose import divider_title, line_under, plan, text_block
from generator.model.blocks import Text, text
from generator.model.registry import Slide, register
from generator.model.schema import spec

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article


@register("closing")
@dataclass(kw_only=True)
class ClosingSlide(Slide):
    """Ends the talk."""

    role = "closing"

    title: Text = spec("The closing line, e.g. Questions?", text)
    subtitle: Optional[Text] = spec("A line under it: contact, link, thanks.", text, default=None)

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        frame = ctx.frame("closing")
        title = divider_title(ctx, "closing", self.title.runs, self.title.loc, scale=1.25)
        elements: list = [title]
        if self.subtitle and frame.subtitle is not None:
            if title.box.overlaps(frame.title):
                sub = text_block(ctx, self.subtitle, frame.subtitle, role="subtitle")
                sub.region = "subtitle"
            else:  # the title moved into the body area (see divider_title): the line too
                box = line_under(title.box, frame.body.bottom)
                sub = text_block(ctx, self.subtitle, box, role="subtitle")
            elements.append(sub)
        return [plan("closing", self.title.plain, elements, self.notes)]

    def markdown(self, article: Article) -> None:
        article.heading(2, self.title.runs)
        article.text(self.subtitle)
