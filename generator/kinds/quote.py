"""A quotation, large and centred, with an optional attribution line under it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from generator.layout.compose import plan, text_block, title_element
from generator.model.blocks import Text
from generator.model.blocks import text as text_field
from generator.model.geometry import Box, inches
from generator.model.inline import Run
from generator.model.registry import Slide, TextRole, register
from generator.model.schema import spec
from generator.writers.markdown import inline

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article

ATTRIBUTION_H = inches(0.9)


@register("quote")
@dataclass(kw_only=True)
class QuoteSlide(Slide):
    """Somebody's words, in quotation marks, and who said them."""

    role = "sentence"
    text_roles = (
        TextRole("quote", 36, 24, "heading", "heading", doc="Quotations."),
        TextRole("attribution", 20, 16, "body", "muted", doc="Who said a quotation."),
    )
    text: Text = spec("The quotation, without quotation marks.", text_field)
    attribution: Optional[Text] = spec(
        "Who said it, e.g. Grace Hopper, 1987.", text_field, default=None
    )

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        # The quotation is the title shape, as a statement is: outlines and screen
        # readers get a real title without a second, hidden copy.
        frame = ctx.frame("quote")
        body = frame.body
        if self.attribution is not None:
            body = Box(body.x, body.y, body.w, body.h - ATTRIBUTION_H)
        runs = [Run("\u201c"), *self.text.runs, Run("\u201d")]
        elements: list = [
            title_element(
                ctx,
                "quote",
                runs,
                self.text.loc,
                role="quote",
                box=body,
                align="center",
                anchor="middle",
            )
        ]
        if self.attribution is not None:
            line = Text([Run("\u2014 "), *self.attribution.runs], self.attribution.loc)
            box = Box(body.x, body.bottom, body.w, ATTRIBUTION_H)
            elements.append(text_block(ctx, line, box, role="attribution", align="center"))
        return [plan("quote", self.text.plain, elements, self.notes)]

    def markdown(self, article: Article) -> None:
        lines = ["> " + inline(self.text.runs)]
        if self.attribution is not None:
            lines += [">", "> \u2014 " + inline(self.attribution.runs)]
        article.add("\n".join(lines))
