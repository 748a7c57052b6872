"""Plan a whole deck: frames from the theme, each slide's plan, then the chrome."""

from __future__ import annotations

import functools
import os
from dataclasses import replace
from typing import TYPE_CHECKING

from generator.errors import Location, Problems
from generator.layout import accessibility
from generator.layout.compose import TEXT_INSET, PlanContext, fit_picture, one_line_style
from generator.layout.frame import Frame
from generator.layout.frames import theme_frames
from generator.layout.legibility import legible_accents, make_legible
from generator.layout.plan import (
    DeckPlan,
    Paragraph,
    PictureElement,
    RectElement,
    SlidePlan,
    TextElement,
    TextStyle,
)
from generator.model.geometry import Box, points
from generator.model.inline import Run
from generator.model.registry import kinds
from generator.theme.template import Backdrop, picture_stats

if TYPE_CHECKING:
    from generator.model.deck import Deck
    from generator.theme.schema import Theme


def centre_title(slide: SlidePlan) -> None:
    """Centre the slide's title and its accent rule under it (a template that centres
    its title's text block: see PlaceholderInfo.centred)."""
    title = accessibility.title_of(slide)
    if title is None or title.hidden:
        return
    for paragraph in title.paragraphs:
        paragraph.align = "center"
    for element in slide.elements:
        if isinstance(element, RectElement) and element.title_rule:
            box = element.box
            element.box = Box(title.box.x + (title.box.w - box.w) // 2, box.y, box.w, box.h)


def plan_deck(
    deck: Deck, theme: Theme, problems: Problems, *, fitting: bool = True, footer: str = ""
) -> DeckPlan:
    """Return the plan of every slide; fit decisions are reported as warnings.

    The plan is complete: every slide names its layout and every text element the
    placeholder it is written as, so writers need nothing but the plan.
    """
    frames = theme_frames(theme, problems)
    ctx = PlanContext(theme, frames.by_kind, problems, deck=deck, fitting=fitting)
    slides: list[SlidePlan] = []
    first_numbers = []  # each content slide's first slide in the deck, 1-based
    for slide in deck.slides:
        first_numbers.append(len(slides) + 1)
        for slide_plan in slide.plan(ctx):
            slide_plan.source = slide_plan.source or slide.loc
            slide_plan.lang = slide_plan.lang or slide.lang or ""
            if slide.background is not None:
                slide_plan.background = str(slide.background.path)
            slides.append(slide_plan)
    chrome_at = (
        theme.locations.get("footer")
        or theme.locations.get("template")
        or Location(str(theme.chain[-1]) if theme.chain else theme.name)
    )
    for number, slide_plan in enumerate(slides, start=1):
        add_chrome(ctx, slide_plan, number, footer)
        frame = ctx.frame(slide_plan.kind)
        _place(slide_plan, frame)
        if frame.title_centred:
            centre_title(slide_plan)
        if slide_plan.background is not None:
            frame = replace(frame, backdrop=picture_backdrop(frame, slide_plan.background))
            if frame.backdrop is not None:
                legible_accents(slide_plan, frame.backdrop, theme.colors.accent)
        make_legible(ctx, slide_plan, frame, chrome_at)
    plan = DeckPlan(
        frames.width,
        frames.height,
        slides,
        title=deck.title.plain,
        author=deck.author.plain if deck.author else "",
        subject=deck.subtitle.plain if deck.subtitle else "",
        template=frames.template,
        background=theme.colors.background,
        first_numbers=first_numbers,
        lang=deck.lang or (info.language if (info := theme.template_info) else "") or "en-US",
    )
    accessibility.apply(plan, deck)
    accessibility.check(plan, problems, deck.loc)
    return plan


def _place(slide: SlidePlan, frame: Frame) -> None:
    """Put the slide on its frame's layout and its text in the layout's placeholders."""
    slide.layout = frame.layout
    for element in slide.elements:
        if isinstance(element, TextElement):
            element.placeholder = frame.placeholder(element.region)


def add_chrome(ctx: PlanContext, slide: SlidePlan, number: int, footer: str) -> None:
    """Add footer, slide number and logo: on every slide but the title slide."""
    if kinds()[slide.kind].role == "opening":
        return
    theme = ctx.theme
    frame = ctx.frame(slide.kind)
    style = ctx.style("footer", color=frame.chrome_color)
    if footer:
        where = theme.locations.get("footer") or Location(str(theme.folder))
        slide.elements.append(_one_line(ctx, frame.footer, footer, style, "footer", where))
    date = ctx.deck.date_text if ctx.deck is not None else ""
    if frame.date is not None and date:  # only a template's date placeholder
        where = ctx.deck.loc if ctx.deck is not None else Location(str(theme.folder))
        slide.elements.append(_one_line(ctx, frame.date, date, style, "date", where))
    if theme.slide_numbers:
        slide.elements.append(
            TextElement(
                frame.number,
                [Paragraph([Run(str(number))], align="right")],
                style,
                role="number",
                region="number",
                anchor="middle",
                inset_emu=_chrome_inset(frame.number, style),
                slide_number=True,
            )
        )
    if theme.logo_path is not None:
        slide.elements.append(
            PictureElement(
                _keep_aspect(frame.logo, theme.logo_size),
                str(theme.logo_path),
                f"{theme.name} logo",
            )
        )


def _one_line(
    ctx: PlanContext, box: Box, text: str, style: TextStyle, region: str, where: Location
) -> TextElement:
    """Return a footer or date: one line in its box, shrunk (with a warning) to stay one."""
    inset = _chrome_inset(box, style)
    sized = one_line_style(ctx, text, style, box.w - 2 * inset, "footer", where)
    return TextElement(
        box,
        [Paragraph([Run(text)])],
        sized,
        role=region,
        region=region,
        anchor="middle",
        inset_emu=inset,
    )


def _chrome_inset(box: Box, style: TextStyle) -> int:
    """Return the text inset, less in a box too short for a line between full insets."""
    line = points(style.size_pt * 1.2)
    return max(0, min(TEXT_INSET, (box.h - line) // 2))


def _keep_aspect(box: Box, size: tuple[int, int] | None) -> Box:
    """Return the largest box of the picture's aspect ratio in box, at its right edge."""
    if not size:
        return box
    centred = fit_picture(box, *size)
    return Box(box.right - centred.w, centred.y, centred.w, centred.h)


def picture_backdrop(frame: Frame, path: str) -> Backdrop:
    """Return the frame's backdrop with a slide's own background picture under its artwork."""
    stat = os.stat(path)
    mean, busy, thumb = _picture_stats(path, stat.st_size, stat.st_mtime_ns)
    base = frame.backdrop or Backdrop()
    return replace(
        base,
        background=(mean or "#808080",),
        busy=busy,
        image=thumb,
        slide=Box(0, 0, frame.width, frame.height),
        composite=None,
    ).painted()


@functools.lru_cache(maxsize=32)
def _picture_stats(path: str, size: int, mtime_ns: int) -> tuple:
    """Return picture_stats of a file, once per file version: many slides share one."""
    with open(path, "rb") as handle:
        return picture_stats(handle.read())
