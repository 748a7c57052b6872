"""One sentence, large and centred: the statement is the slide's title shape."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.kinds import Slide, register
from generator.layout.compose import plan, title_element
from generator.model.blocks import Text, text
from generator.model.schema import spec

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan


@register("statement")
@dataclass(kw_only=True)
class StatementSlide(Slide):
    """The line the audience should remember."""

    text: Text = spec("The statement.", text)

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        # Writing the statement into the title placeholder gives screen readers and
        # outlines a real title without a second, hidden copy of the sentence.
        frame = ctx.frame("statement")
        title = title_element(ctx, "statement", self.text.runs, self.text.loc,
                              role="statement", box=frame.body, align="center",
                              anchor="middle")
        return [plan("statement", self.text.plain, [title], self.notes)]
