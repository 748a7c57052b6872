"""One sentence, large and centred: the statement is the slide's title shape."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.layout.compose import plan, title_element
from generator.model.blocks import Text, text
from generator.model.registry import Slide, TextRole, register
from generator.model.schema import spec

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article


@register("statement")
@dataclass(kw_only=True)
class StatementSlide(Slide):
    """The line the audience should remember."""

    role = "sentence"
    text_roles = (TextRole("statement", 40, 28, "heading", "heading", doc="Statement slides."),)

    text: Text = spec("The statement.", text)

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        # Writing the statement into the title placeholder gives screen readers and
        # outlines a real title without a second, hidden copy of the sentence.
        frame = ctx.frame("statement")
        title = title_element(
            ctx,
            "statement",
            self.text.runs,
            self.text.loc,
            role="statement",
            box=frame.body,
            align="center",
            anchor="middle",
        )
        return [plan("statement", self.text.plain, [title], self.notes)]

    def markdown(self, article: Article) -> None:
        # The title is for screen readers; in the article the quote stands on its own.
        article.quote(self.text.runs)
