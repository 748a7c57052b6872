"""The title slide: the deck's title, subtitle, author and date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.layout import measure
from generator.layout.compose import TEXT_INSET, accent_rule, plan, text_block, title_element
from generator.layout.plan import Paragraph
from generator.model.blocks import Text
from generator.model.geometry import Box, inches
from generator.model.inline import Run
from generator.model.registry import Slide, register

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article


@register("title")
@dataclass(kw_only=True)
class TitleSlide(Slide):
    """Opens the talk; title, subtitle, author and date come from the deck."""

    role = "opening"

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        deck = ctx.deck
        frame = ctx.frame("title")
        elements: list = [
            title_element(ctx, "title", deck.title.runs, deck.title.loc, scale=1.25),
            accent_rule(ctx, frame.title),
        ]
        sub_box = frame.subtitle or frame.body
        byline = " · ".join(
            part for part in (deck.author.plain if deck.author else "", deck.date_text) if part
        )
        # Room for the byline at the caption size (more when a long author list wraps).
        caption = [Paragraph([Run(byline)])]
        byline_h = max(
            inches(0.5),
            measure.text_height(caption, ctx.style("caption"), sub_box.w - 2 * TEXT_INSET)
            + 2 * TEXT_INSET,
        )
        if deck.subtitle:
            box = Box(sub_box.x, sub_box.y, sub_box.w, max(sub_box.h - byline_h, byline_h))
            subtitle = text_block(ctx, deck.subtitle, box, role="subtitle")
            subtitle.region = "subtitle"
            elements.append(subtitle)
        if byline:
            # On the slide even where a template's subtitle area reaches its bottom edge.
            top = min(sub_box.bottom - byline_h + TEXT_INSET, frame.height - byline_h)
            box = Box(sub_box.x, top, sub_box.w, byline_h)
            elements.append(text_block(ctx, Text([Run(byline)], deck.loc), box, role="caption"))
        return [plan("title", deck.title.plain, elements, self.notes)]

    def markdown(self, article: Article) -> None:
        """The article's intro already carries the title, subtitle, author and date."""
