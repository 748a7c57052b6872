"""Text colours chosen against what is drawn under the text, and warnings where none reads.

A slide's text sits on its layout's background and, on a company template, maybe on its
artwork (bands, shapes, pictures). Every text element's colour is measured against all the
colours under its box; when it does not reach WCAG's 4.5:1 (3:1 for large text), the
template's own text colour or another theme colour that does is used instead. Text over a
busy picture, or where no colour reads, is reported at the content it shows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from generator.errors import Location
from generator.layout.plan import SlidePlan, TextElement
from generator.theme.colors import MIN_CONTRAST, legible_color

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.frame import Frame

#: WCAG large text (18 pt, or 14 pt bold) needs 3:1.
LARGE_TEXT_PT = 18.0
LARGE_BOLD_TEXT_PT = 14.0
MIN_LARGE_CONTRAST = 3.0


def needed_contrast(element: TextElement) -> float:
    """Return the contrast WCAG asks of the element's text: 3:1 large, else 4.5:1."""
    style = element.style
    large = style.size_pt >= LARGE_TEXT_PT or (style.bold and style.size_pt
                                               >= LARGE_BOLD_TEXT_PT)
    return MIN_LARGE_CONTRAST if large else MIN_CONTRAST


def make_legible(ctx: PlanContext, slide: SlidePlan, frame: Frame, where: Location) -> None:
    """Recolour the slide's text where its colour does not read on what lies under it.

    where locates messages about text that shows no content (footers, slide numbers).
    """
    backdrop = frame.backdrop
    if backdrop is None:
        return
    colors = ctx.theme.colors
    for element in slide.elements:
        if not isinstance(element, TextElement) or element.hidden or element.fill:
            continue
        if element.role == "code":
            continue  # on its own panel; token colours are checked with the code style
        under, busy = backdrop.under(element.box)
        need = needed_contrast(element)
        own = frame.text_colors.get("title" if element.role == "title" else "body")
        preferred = [element.style.color, *([own] if own else []),
                     colors.heading if element.role == "title" else colors.text,
                     colors.text, colors.heading, colors.background]
        # Large text may make do with 3:1, but where a colour reaches 4.5:1 it reads better.
        color, ratio = legible_color(under, preferred, MIN_CONTRAST)
        if ratio < MIN_CONTRAST:
            color, ratio = legible_color(under, preferred, need)
        if color != element.style.color:
            element.style = replace(element.style, color=color)
        at = element.source or where
        if busy:
            ctx.warn(at, "text over artwork: a busy picture lies under it",
                     "choose another layout in the theme's `layouts:`")
        elif ratio < need:
            ctx.warn(at, f"text over artwork: contrast {ratio:.1f}:1 (needs {need:g}:1)",
                     "choose another layout in the theme's `layouts:`")
