"""Plan a whole deck: frames from the theme, each slide's plan, then the chrome."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from generator.errors import Problems
from generator.kinds import KINDS
from generator.layout.compose import TEXT_INSET, PlanContext
from generator.layout.frame import SIZES, Frame, grid_frame
from generator.layout.plan import (DeckPlan, Paragraph, PictureElement, Run, SlidePlan,
                                   TextElement)

if TYPE_CHECKING:
    from generator.model.deck import Deck
    from generator.theme.schema import Theme

FrameSource = Callable[[str], Frame]


def plan_deck(deck: "Deck", theme: "Theme", problems: Problems, *, fitting: bool = True,
              footer: str = "", frames: dict[str, Frame] | None = None,
              size: tuple[int, int] | None = None) -> DeckPlan:
    """Return the plan of every slide; fit decisions are reported as warnings."""
    width, height = size or SIZES[theme.size]
    frames = frames or {kind: grid_frame(width, height, kind) for kind in KINDS}
    ctx = PlanContext(theme, frames, problems, deck=deck, fitting=fitting)
    slides: list[SlidePlan] = []
    for slide in deck.slides:
        slides.extend(slide.plan(ctx))
    for number, slide_plan in enumerate(slides, start=1):
        add_chrome(ctx, slide_plan, number, footer)
    return DeckPlan(width, height, slides, title=deck.title.plain,
                    author=deck.author.plain if deck.author else "",
                    subject=deck.subtitle.plain if deck.subtitle else "")


def add_chrome(ctx: PlanContext, slide: SlidePlan, number: int, footer: str) -> None:
    """Add footer, slide number and logo: on every slide but the title slide."""
    if slide.kind == "title":
        return
    theme = ctx.theme
    frame = ctx.frame(slide.kind)
    style = ctx.style("footer")
    if footer:
        slide.elements.append(TextElement(frame.footer, [Paragraph([Run(footer)])], style,
                                          role="footer", placeholder="footer", anchor="middle",
                                          inset_emu=TEXT_INSET))
    if theme.slide_numbers:
        slide.elements.append(TextElement(frame.number, [Paragraph([Run(str(number))],
                                                                   align="right")],
                                          style, role="number", placeholder="number",
                                          anchor="middle", inset_emu=TEXT_INSET,
                                          slide_number=True))
    if theme.logo_path is not None and slide.kind != "statement":
        slide.elements.append(PictureElement(frame.logo, str(theme.logo_path),
                                             f"{theme.name} logo"))
