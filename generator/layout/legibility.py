"""Text colours chosen against what is drawn under the text, and warnings where none reads.

A slide's text sits on its layout's background and, on a company template, maybe on its
artwork (bands, shapes, pictures). Every text element's colour is measured against all the
colours under its box; when it does not reach WCAG's 4.5:1 (3:1 for large text), the
template's own text colour or another theme colour that does is used instead. Text over a
busy picture, or where no colour reads, is reported at the content it shows.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from generator.errors import Location
from generator.layout import measure
from generator.layout.plan import (
    ChartElement,
    RectElement,
    SlidePlan,
    TableElement,
    TextElement,
)
from generator.model.geometry import Box, points
from generator.theme.colors import (
    MIN_CONTRAST,
    MIN_GRAPHIC_CONTRAST,
    contrast,
    graphic_color,
    legible_color,
    worst_contrast,
)

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.frame import Frame
    from generator.theme.schema import Colors
    from generator.theme.template import Backdrop

#: Renderers anti-alias small text, which reads a little lighter than its colour: aim this
#: much above what WCAG asks, so the drawn text still reaches it.
MARGIN = 0.3
#: WCAG large text (18 pt, or 14 pt bold) needs 3:1.
LARGE_TEXT_PT = 18.0
LARGE_BOLD_TEXT_PT = 14.0
MIN_LARGE_CONTRAST = 3.0
#: Text is measured word by word, as a reader meets it: in windows about this many line
#: heights wide along each line, so a tree trunk or an ink blot under one word is not
#: averaged away over a long line of text.
WORD_WINDOW_LINES = 3


def needed_contrast(element: TextElement) -> float:
    """Return the contrast WCAG asks of the element's text: 3:1 large, else 4.5:1."""
    style = element.style
    large = style.size_pt >= LARGE_TEXT_PT or (style.bold and style.size_pt >= LARGE_BOLD_TEXT_PT)
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
        if isinstance(element, TableElement):
            _legible_table(element, backdrop.under(element.box)[0], colors)
            continue
        if isinstance(element, ChartElement):
            _legible_chart(element, backdrop.under(element.box)[0], colors)
            continue
        if not isinstance(element, TextElement) or element.hidden or element.fill:
            continue
        if element.role == "code":
            continue  # on its own panel; token colours are checked with the code style
        under, busy = under_text(backdrop, element)
        need = needed_contrast(element)
        preferred = _preferred_colors(element, frame, colors)
        # Large text may make do with 3:1, but where a colour reaches 4.5:1 it reads better.
        color, ratio = legible_color(under, preferred, MIN_CONTRAST + MARGIN)
        if ratio < MIN_CONTRAST + MARGIN:
            color, ratio = legible_color(under, preferred, need + MARGIN)
        if color != element.style.color:
            element.style = replace(element.style, color=color)
        bullet = element.style.bullet_color
        if bullet and worst_contrast(bullet, under) < MIN_GRAPHIC_CONTRAST + MARGIN:
            # A bullet is a graphic: 3:1; in the text's colour when the accent is not.
            element.style = replace(element.style, bullet_color=color)
        at = element.source or where
        if ratio < need:
            # No colour reads on what is drawn here (a busy picture, a gradient from dark
            # to light): the text gets a panel of its own, in the theme's background.
            ctx.note(
                at,
                f"text over artwork: contrast {ratio:.1f}:1 (needs {need:g}:1); "
                "drawn on a panel of the background colour",
                "choose another layout in the theme's `layouts:` to do without",
            )
            panel = colors.background
            color, ratio = legible_color(
                (panel,), preferred + ["#000000", "#FFFFFF"], need + MARGIN
            )
            element.fill = panel
            element.box = _panel_box(element, frame)
            element.style = replace(element.style, color=color, bullet_color=color)
        elif busy:
            ctx.note(
                at,
                "text over artwork: a busy picture lies under it, though the text "
                f"reads at {ratio:.1f}:1",
            )


#: Room a text panel keeps above and below its lines, so no part of a glyph's line box
#: (descenders, accents) stands on the artwork around it.
PANEL_PAD_PT = 2.0


def _panel_box(element: TextElement, frame: Frame) -> Box:
    """Return element's box grown, about its middle and on the slide, to hold its lines.

    A footer or date box may be cut to its text's height; as a panel it must cover the
    whole line box of every line, or the descenders sit on what the panel was to hide."""
    style = element.style
    lines = max(1, len(element.paragraphs))
    line_pt = style.size_pt * 1.2 * max(1.0, style.line_spacing)
    needed = points(lines * line_pt + 2 * PANEL_PAD_PT) + 2 * element.inset_emu
    box = element.box
    if box.h >= needed:
        return box
    top = max(0, min(box.y - (needed - box.h) // 2, frame.height - needed))
    return Box(box.x, top, box.w, needed)


def _preferred_colors(element: TextElement, frame: Frame, colors: Colors) -> list[str]:
    """Return the colours the element's text may take, best first: its own, the
    template's for the layout, then the theme's."""
    own = frame.text_colors.get("title" if element.role == "title" else "body")
    return [
        element.style.color,
        *([own] if own else []),
        colors.heading if element.role == "title" else colors.text,
        colors.text,
        colors.heading,
        colors.background,
    ]


def reads_clearly(ctx: PlanContext, frame: Frame, element: TextElement) -> bool:
    """Return whether one of the element's colours reads at 4.5:1 on every pixel of what
    is painted under its text, with no busy picture there: clear of artwork, where a
    kind has a choice of places (a title slide's byline)."""
    if frame.backdrop is None:
        return True
    under, busy = under_text(frame.backdrop, element, quantile=0.0)
    preferred = _preferred_colors(element, frame, ctx.theme.colors)
    return not busy and legible_color(under, preferred, MIN_CONTRAST + MARGIN)[1] >= (
        MIN_CONTRAST + MARGIN
    )


def text_windows(element: TextElement) -> list[Box]:
    """Return word-sized boxes along every line the element's text takes (its ink, not its
    whole box), with a quarter line above and below for ascenders and descenders."""
    box, inset = element.box, element.inset_emu
    inner = max(1, box.w - 2 * inset)
    lines = [
        (paragraph.align, line.width)
        for paragraph in element.paragraphs
        for line in measure.paragraph_lines(paragraph, element.style, inner)
        if line.width > 0
    ]
    if not lines:
        return [box]
    height = measure.text_height(element.paragraphs, element.style, inner)
    line_h = max(1, height // len(lines))
    top = {
        "top": box.y + inset,
        "bottom": box.bottom - inset - height,
        "middle": box.y + (box.h - height) // 2,
    }.get(element.anchor, box.y + inset)
    window = WORD_WINDOW_LINES * line_h
    pad = line_h // 4
    boxes = []
    for number, (align, width) in enumerate(lines):
        width = min(width, inner)
        left = (
            box.x + inset + {"right": inner - width, "center": (inner - width) // 2}.get(align, 0)
        )
        count = max(1, math.ceil(width / window))
        step = width // count
        y = top + number * line_h - pad
        boxes += [Box(left + i * step, y, max(1, step), line_h + 2 * pad) for i in range(count)]
    return boxes


def under_text(
    backdrop: Backdrop, element: TextElement, quantile: float = 0.1
) -> tuple[tuple[str, ...], bool]:
    """Return the colours under the element's text, word window by word window, and
    whether any of it is busy (quantile: see Backdrop.under)."""
    colors: list[str] = []
    busy = False
    for window in text_windows(element):
        part, part_busy = backdrop.under(window, quantile=quantile)
        colors += part
        busy = busy or part_busy
    return tuple(dict.fromkeys(colors)), busy


def _legible_table(table: TableElement, under: tuple[str, ...], colors: Colors) -> None:
    """Make a table's body text read on its bands and on what shows through the rows
    between them; where no colour does, those rows get the band's opaque fill's partner:
    the theme background, with text coloured for it."""
    text = table.style.color
    preferred = [text, colors.text, colors.heading, "#000000", "#FFFFFF"]
    need = MIN_CONTRAST + MARGIN
    color, ratio = legible_color((*under, table.band_fill), preferred, need)
    if ratio < need:
        table.plain_fill = colors.background
        color, ratio = legible_color((table.plain_fill, table.band_fill), preferred, need)
        if ratio < need:
            table.plain_fill = table.band_fill = "#FFFFFF"
            color = "#000000"
    if color != text:
        table.style = replace(table.style, color=color)
    header = table.header_color
    if worst_contrast(header, (table.header_fill,)) < need:
        table.header_color = legible_color(
            (table.header_fill,), [header, "#FFFFFF", "#000000"], need
        )[0]


def _legible_chart(chart: ChartElement, under: tuple[str, ...], colors: Colors) -> None:
    """Make a chart's axis, legend and label text read on what lies under it, and its
    series reach 3:1 there (WCAG's graphics contrast) against the colour that is worst."""
    if not under:
        return
    preferred = [chart.style.color, colors.text, colors.heading, "#000000", "#FFFFFF"]
    color, _ = legible_color(under, preferred, MIN_CONTRAST + MARGIN)
    if color != chart.style.color:
        chart.style = replace(chart.style, color=color)
    fixed = []
    for series in chart.colors:
        if worst_contrast(series, under) >= MIN_GRAPHIC_CONTRAST:
            fixed.append(series)
            continue
        worst = min(under, key=lambda back: contrast(series, back))
        fixed.append(graphic_color(series, worst))
    chart.colors = fixed


def legible_accents(slide: SlidePlan, backdrop: Backdrop, accent: str) -> None:
    """Darken or lighten the accent rules of a slide with its own background picture
    until they reach 3:1 on it (WCAG's graphics contrast), as the theme's do on its
    background."""
    for element in slide.elements:
        if not isinstance(element, RectElement) or element.fill != accent:
            continue
        under, _ = backdrop.under(element.box)
        if under and worst_contrast(element.fill, under) < MIN_GRAPHIC_CONTRAST:
            worst = min(under, key=lambda back: contrast(element.fill, back))
            element.fill = graphic_color(element.fill, worst, MIN_GRAPHIC_CONTRAST + MARGIN)
