"""A section divider: a large title, an optional subtitle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from generator.layout.compose import accent_rule, divider_title, line_under, plan, text_block
from generator.model.blocks import Text, text
from generator.model.registry import Slide, register
from generator.model.schema import spec

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article


@register("section")
@dataclass(kw_only=True)
class SectionSlide(Slide):
    """Starts a part of the talk."""

    role = "divider"

    title: Text = spec("The section's name.", text)
    subtitle: Optional[Text] = spec("A line under the name.", text, default=None)

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        frame = ctx.frame("section")
        title = divider_title(ctx, "section", self.title.runs, self.title.loc, scale=1.25)
        moved = not title.box.overlaps(frame.title)  # into the body area: see divider_title
        under = title.box if moved else frame.title
        elements: list = [title, accent_rule(ctx, under)]
        if self.subtitle:
            # A template's section layout has its own place for the line (often above the
            # title); the grid, or a title moved into the body area, has it under the title.
            own = frame.subtitle if not moved else None
            box = own or line_under(under)
            subtitle = text_block(ctx, self.subtitle, box, role="subtitle")
            subtitle.region = "subtitle" if own else None
            elements.append(subtitle)
        return [plan("section", self.title.plain, elements, self.notes)]

    def markdown(self, article: Article) -> None:
        """A `##` heading; the slides after it sit one level below."""
        article.heading(2, self.title.runs)
        article.text(self.subtitle)
        article.level = 3
