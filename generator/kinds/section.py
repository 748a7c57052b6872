"""A section divider: a large title, an optional subtitle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from generator.kinds import Slide, register
from generator.layout.compose import accent_rule, plan, text_block, title_element
from generator.layout.plan import EMU_PER_INCH, Box
from generator.model.blocks import Text, text
from generator.model.schema import spec

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan


@register("section")
@dataclass(kw_only=True)
class SectionSlide(Slide):
    """Starts a part of the talk."""

    title: Text = spec("The section's name.", text)
    subtitle: Optional[Text] = spec("A line under the name.", text, default=None)

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        frame = ctx.frame("section")
        title = title_element(ctx, "section", self.title.runs, self.title.loc, scale=1.25)
        elements: list = [title, accent_rule(ctx, frame.title)]
        if self.subtitle:
            # A template's section layout has its own place for the line (often above the
            # title); the grid puts it under the title.
            box = frame.subtitle or Box(frame.title.x, frame.title.bottom
                                        + int(0.25 * EMU_PER_INCH), frame.title.w,
                                        int(1.0 * EMU_PER_INCH))
            subtitle = text_block(ctx, self.subtitle, box, role="subtitle")
            subtitle.placeholder = "subtitle" if frame.subtitle else None
            elements.append(subtitle)
        return [plan("section", self.title.plain, elements, self.notes)]
