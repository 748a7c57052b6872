"""One sentence, large and centred; the title exists for screen readers only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from generator.kinds import Slide, register
from generator.layout.compose import plan, text_block, title_element
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
    title: Optional[Text] = spec("A title for screen readers and outlines (hidden).", text,
                                 default=None)

    def title_text(self) -> str:
        return (self.title or self.text).plain

    def plan(self, ctx: "PlanContext") -> list["SlidePlan"]:
        frame = ctx.frame("statement")
        hidden_title = title_element(ctx, "statement", (self.title or self.text).runs,
                                     self.text.loc, hidden=True)
        body = text_block(ctx, self.text, frame.body, role="statement", align="center",
                          anchor="middle", color=ctx.theme.colors.heading, bold=True)
        return [plan("statement", self.title_text(), [hidden_title, body], self.notes)]
