"""Helpers slide kinds use to turn content into plan elements, fitted to their boxes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Optional, Sequence

from generator.errors import Location, Problems
from generator.layout import fit, measure
from generator.layout.frame import Frame
from generator.layout.plan import (EMU_PER_INCH, EMU_PER_PT, Box, Paragraph, RectElement, Run,
                                   SlidePlan, TextElement, TextStyle)

if TYPE_CHECKING:
    from generator.model.blocks import BulletItem, CodeBlock, Text
    from generator.theme.schema import Theme

TEXT_INSET = int(0.1 * EMU_PER_INCH)
CODE_INSET = int(0.2 * EMU_PER_INCH)


@dataclass
class PlanContext:
    """What a slide kind needs to plan: theme, frames, vars and where problems go."""

    theme: "Theme"
    frames: dict[str, Frame]
    problems: Problems
    deck: Any = None
    deck_title: str = ""
    subtitle: str = ""
    fitting: bool = True
    notices: list[str] = field(default_factory=list)

    def frame(self, kind: str) -> Frame:
        return self.frames[kind]

    def style(self, role: str, *, font: str | None = None, color: str | None = None,
              bold: bool = False) -> TextStyle:
        """Return the theme's text style for a role (title, body, code, ...)."""
        theme = self.theme
        fonts = theme.fonts
        heading_roles = ("title", "statement")
        family = font or (fonts.code if role == "code" else
                          fonts.heading if role in heading_roles else fonts.body)
        default_color = (theme.colors.heading if role in heading_roles else
                         theme.colors.muted if role in ("footer", "caption") else
                         theme.colors.text)
        return TextStyle(font=family, size_pt=getattr(theme.sizes, role), color=color or
                         default_color, bold=bold, code_font=fonts.code,
                         line_spacing=1.0 if role in ("code", "title") else 1.1)

    def floor(self, role: str) -> float:
        return float(getattr(self.theme.min_sizes, role))

    def warn(self, where: Location, message: str, hint: str = "") -> None:
        self.problems.warn(where, message, hint)


def runs_paragraph(runs: Sequence[Run], **kwargs) -> Paragraph:
    return Paragraph(list(runs), **kwargs)


def title_element(ctx: PlanContext, kind: str, runs: Sequence[Run], where: Location, *,
                  role: str = "title", box: Optional[Box] = None, align: str = "left",
                  anchor: str = "bottom", hidden: bool = False, scale: float = 1.0
                  ) -> TextElement:
    """Return the slide's title shape, wrapped to two lines before it shrinks."""
    frame = ctx.frame(kind)
    box = box or frame.title
    style = ctx.style(role, bold=True)
    style.size_pt *= scale
    paragraphs = [Paragraph(list(runs), align=align)]
    size, fits = fit.fit_title(paragraphs, style, box, TEXT_INSET, ctx.floor(role),
                               ctx.fitting and not hidden)
    if not fits:
        ctx.warn(where, "title does not fit its box even at the smallest size",
                 "shorten the title")
    return TextElement(box, paragraphs, replace(style, size_pt=size), role="title",
                       placeholder="title", anchor=anchor, inset_emu=TEXT_INSET, hidden=hidden)


def bullet_units(items: Sequence["BulletItem"], level: int = 0) -> list[list[Paragraph]]:
    """Return one unit per top-level bullet: its paragraph and its whole sub-list."""
    units = []
    for item in items:
        unit = [Paragraph(list(item.text.runs), level=level, bullet=True,
                          space_before_pt=8 if level == 0 else 2)]
        for child in bullet_units(item.children, level + 1):
            unit.extend(child)
        units.append(unit)
    return units


def fit_paragraph_units(ctx: PlanContext, units: list[list[Paragraph]], style: TextStyle,
                        box: Box, role: str, where: Location, inset: int = TEXT_INSET
                        ) -> fit.Fit:
    """Fit units of paragraphs into box, reporting shrinking, continuing and overflow."""
    width = box.w - 2 * inset
    available = box.h - 2 * inset

    def height_of(chosen: Sequence[list[Paragraph]], size: float) -> int:
        flat = [p for unit in chosen for p in unit]
        return fit.paragraphs_height(flat, style, size, width)

    result = fit.fit_units(units, height_of, available, style.size_pt, ctx.floor(role),
                           ctx.fitting)
    report_fit(ctx, result, style.size_pt, role, where)
    return result


def report_fit(ctx: PlanContext, result: fit.Fit, preferred: float, role: str,
               where: Location) -> None:
    """Tell the speaker about fit decisions: shrinking, continuing, overflow."""
    if result.overflow:
        ctx.warn(where, f"{role} text does not fit even alone on a slide at "
                 f"{result.size_pt:g} pt", "shorten it or split it")
    if len(result.pages) > 1:
        ctx.warn(where, f"{role} continues onto {len(result.pages)} slides")
    elif result.shrunk:
        ctx.warn(where, f"{role} text shrunk to {result.size_pt:g} pt "
                 f"(preferred {preferred:g} pt)")


def continued(title: str, index: int, total: int) -> str:
    """Return a continuation title: 'TL;DR (2/3)'."""
    return title if total == 1 else f"{title} ({index + 1}/{total})"


def continued_runs(runs: Sequence[Run], index: int, total: int) -> list[Run]:
    if total == 1:
        return list(runs)
    return [*runs, Run(f" ({index + 1}/{total})")]


def code_panel(ctx: PlanContext, box: Box, lines: list[list[Run]], size: float
               ) -> list[TextElement | RectElement]:
    """Return the quiet panel, as tall as its code, and the code text on it."""
    style = replace(ctx.style("code"), size_pt=size, font=ctx.theme.fonts.code)
    paragraphs = [Paragraph(line or [Run("", code=True)]) for line in lines]
    needed = code_height(lines, style, size, box.w - 2 * CODE_INSET) + 2 * CODE_INSET
    # A little slack: viewers round line heights differently.
    box = Box(box.x, box.y, box.w, min(box.h, int(needed * 1.04) + CODE_INSET // 2))
    panel = RectElement(box, ctx.theme.colors.code_background, rounded=True)
    text = TextElement(box, paragraphs, style, role="code", inset_emu=CODE_INSET)
    return [panel, text]


def code_height(lines: Sequence[list[Run]], style: TextStyle, size: float, width: int) -> int:
    paragraphs = [Paragraph(line or [Run("", code=True)]) for line in lines]
    return fit.paragraphs_height(paragraphs, style, size, width)


def fit_code(ctx: PlanContext, block: "CodeBlock", box: Box, where: Location
             ) -> tuple[fit.Fit, TextStyle]:
    """Highlight a code block and fit its lines into box (split between lines)."""
    from generator.theme.highlight import highlight_lines

    lines = highlight_lines(block.source, block.language, ctx.theme.code_style)
    style = ctx.style("code")
    width = box.w - 2 * CODE_INSET
    available = box.h - 2 * CODE_INSET
    # Wrapped code misleads: start from the largest size at which no line wraps.
    preferred = style.size_pt
    if ctx.fitting:
        paragraphs = [Paragraph(line) for line in lines if line]
        for size in fit.size_ladder(style.size_pt, ctx.floor("code")):
            preferred = size
            if measure.natural_width(paragraphs, replace(style, size_pt=size)) <= width:
                break
        else:
            ctx.warn(where, f"a code line is too wide for the slide even at {preferred:g} pt; "
                     "it wraps", "shorten the line")
    result = fit.fit_units(lines, lambda chosen, size: code_height(chosen, style, size, width),
                           available, preferred, ctx.floor("code"), ctx.fitting)
    result.shrunk = result.size_pt < style.size_pt
    report_fit(ctx, result, style.size_pt, "code", where)
    return result, style


def text_block(ctx: PlanContext, text: "Text", box: Box, role: str = "body",
               align: str = "left", anchor: str = "top", color: str | None = None,
               bold: bool = False) -> TextElement:
    """Return a paragraph of text fitted (shrunk) into box."""
    style = ctx.style(role, color=color, bold=bold)
    paragraphs = [Paragraph(list(text.runs), align=align)]
    result = fit.fit_units([paragraphs], lambda chosen, size: fit.paragraphs_height(
        paragraphs, style, size, box.w - 2 * TEXT_INSET), box.h - 2 * TEXT_INSET,
        style.size_pt, ctx.floor(role), ctx.fitting)
    if result.overflow:
        ctx.warn(text.loc, f"{role} text does not fit its box", "shorten it")
    return TextElement(box, paragraphs, replace(style, size_pt=result.size_pt), role=role,
                       anchor=anchor, inset_emu=TEXT_INSET)


def accent_rule(ctx: PlanContext, under: Box) -> RectElement:
    """Return the short accent bar under a title: the one place the accent shows."""
    height = int(0.06 * EMU_PER_INCH)
    return RectElement(Box(under.x + TEXT_INSET, under.bottom + int(0.04 * EMU_PER_INCH),
                           int(0.9 * EMU_PER_INCH), height), ctx.theme.colors.accent)


def plan(kind: str, title: str, elements: list, notes: Optional[str]) -> SlidePlan:
    return SlidePlan(kind=kind, title=title, elements=elements, notes=notes or "", layout=kind)


__all__ = ["EMU_PER_PT", "PlanContext", "measure"]
