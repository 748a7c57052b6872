"""The title slide: the deck's title, subtitle, author and date."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from generator.layout import measure
from generator.layout.compose import TEXT_INSET, accent_rule, plan, text_block, title_element
from generator.layout.legibility import reads_clearly
from generator.layout.plan import Paragraph, TextElement
from generator.model.blocks import Text
from generator.model.geometry import Box, inches
from generator.model.inline import Run
from generator.model.registry import Slide, register

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.frame import Frame
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
        subtitle = None
        if deck.subtitle:
            box = Box(sub_box.x, sub_box.y, sub_box.w, max(sub_box.h - byline_h, byline_h))
            subtitle = text_block(ctx, deck.subtitle, box, role="subtitle")
            subtitle.region = "subtitle"
            elements.append(subtitle)
        if byline:
            # On the slide even where a template's subtitle area reaches its bottom edge.
            top = min(sub_box.bottom - byline_h + TEXT_INSET, frame.height - byline_h)
            text = Text([Run(byline)], deck.loc)
            box = Box(sub_box.x, top, sub_box.w, byline_h)
            placed = text_block(ctx, text, box, role="caption")
            if not reads_clearly(ctx, frame, placed):
                placed = _byline_higher(ctx, frame, text, subtitle, sub_box, placed)
            elements.append(placed)
        return [plan("title", deck.title.plain, elements, self.notes)]

    def markdown(self, article: Article) -> None:
        """The article's intro already carries the title, subtitle, author and date."""


def _byline_higher(
    ctx: PlanContext,
    frame: Frame,
    text: Text,
    subtitle: TextElement | None,
    sub_box: Box,
    caption: TextElement,
) -> TextElement:
    """Return the byline moved up under the subtitle's text (or to the top of the subtitle
    area), when the bottom of that area lies on artwork (a lawn, an ink blot, a rule) and
    the place higher up reads clearly; else the byline as it was."""
    top = sub_box.y
    if subtitle is not None:
        inner = subtitle.box.w - 2 * subtitle.inset_emu
        used = measure.text_height(subtitle.paragraphs, subtitle.style, inner)
        top = subtitle.box.y + used + 2 * subtitle.inset_emu
    if top >= caption.box.y:
        return caption
    higher = text_block(ctx, text, replace(caption.box, y=top), role="caption")
    if not reads_clearly(ctx, frame, higher):
        return caption
    if subtitle is not None:  # the subtitle's box ends where the byline starts
        subtitle.box = replace(subtitle.box, h=top - subtitle.box.y)
    return higher
