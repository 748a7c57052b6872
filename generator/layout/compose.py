"""Helpers slide kinds use to turn content into plan elements, fitted to their boxes.

Every fit decision a speaker should know about is reported at the content's
location: a warning (``--strict``: an error) when text shrinks below its preferred
size, continues onto more slides, goes below the theme's floor or still overflows;
a note when code is set smaller so that its longest line does not wrap (the code is
the tested snippet, so there is nothing to shorten).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Optional

from generator.errors import Location, Problems
from generator.layout import fit, measure
from generator.layout.frame import Frame
from generator.layout.highlight import highlight_lines
from generator.layout.plan import (
    ChartElement,
    Paragraph,
    RectElement,
    SlidePlan,
    TextElement,
    TextStyle,
)
from generator.model.geometry import Box, inches
from generator.model.inline import Run, plain_text
from generator.model.registry import text_roles
from generator.theme.colors import blend, series_colors

if TYPE_CHECKING:
    from generator.model.blocks import BulletItem, CodeBlock, Text
    from generator.model.charts import ChartData
    from generator.theme.schema import Theme

TEXT_INSET = inches(0.1)
CODE_INSET = inches(0.2)
#: A title may grow upwards for its second line, leaving at least this much above it...
TITLE_TOP_MARGIN = inches(0.15)
#: ...and by at most this fraction of its own height.
TITLE_GROWTH = 0.5
TAB_SIZE = 4


@dataclass
class PlanContext:
    """What a slide kind needs to plan: theme, frames, vars and where problems go."""

    theme: Theme
    frames: dict[str, Frame]
    problems: Problems
    deck: Any = None
    fitting: bool = True
    _said: set[tuple[Location, str]] = field(default_factory=set)

    def frame(self, kind: str) -> Frame:
        return self.frames[kind]

    def style(
        self, role: str, *, font: str | None = None, color: str | None = None, bold: bool = False
    ) -> TextStyle:
        """Return the theme's text style for a text role (title, body, code, ...)."""
        theme = self.theme
        spec = text_roles()[role]
        return TextStyle(
            font=font or getattr(theme.fonts, spec.family),
            size_pt=theme.sizes[role],
            color=color or getattr(theme.colors, spec.color),
            bold=bold,
            code_font=theme.fonts.code,
            line_spacing=spec.line_spacing,
            bullet_color=theme.colors.accent,
        )

    def floor(self, role: str) -> float:
        return float(self.theme.min_sizes[role])

    def label(self, role: str) -> str:
        """Return how fit messages name text of role ("caption", "statement", "text")."""
        return text_roles()[role].label

    def warn(self, where: Location, message: str, hint: str = "") -> None:
        """Warn once: continuation slides repeat their title, not its warning."""
        if self._first(where, message):
            self.problems.warn(where, message, hint)

    def note(self, where: Location, message: str, hint: str = "") -> None:
        """Tell `check` about a decision that needs no action (never an error)."""
        if self._first(where, message):
            self.problems.note(where, message, hint)

    def trial(self) -> PlanContext:
        """Return a copy that reports nothing: for fitting tried and maybe not kept."""
        return replace(self, problems=Problems(), _said=set())

    def _first(self, where: Location, message: str) -> bool:
        key = (where, message)
        if key in self._said:
            return False
        self._said.add(key)
        return True


def expand_tabs(runs: Sequence[Run]) -> list[Run]:
    """Return runs with tabs turned into spaces up to the next 4-character stop.

    A tab in a text box jumps to PowerPoint's next 1-inch tab stop, which depends on
    where the line breaks; spaces are measured and drawn the same everywhere.
    """
    if not any("\t" in run.text for run in runs):
        return list(runs)
    column = 0
    expanded = []
    for run in runs:
        text = []
        for ch in run.text:
            if ch == "\t":
                width = TAB_SIZE - column % TAB_SIZE
                text.append(" " * width)
                column += width
            else:
                text.append(ch)
                column = 0 if ch == "\n" else column + 1
        expanded.append(replace(run, text="".join(text)))
    return expanded


def runs_paragraph(runs: Sequence[Run], **kwargs) -> Paragraph:
    return Paragraph(expand_tabs(runs), **kwargs)


def title_room(box: Box, anchor: str, ceiling: int = 0) -> Box:
    """Return the box a title may grow into: upwards above a bottom-anchored title, not
    above ceiling (see Frame.title_top)."""
    if anchor != "bottom":
        return box
    top = max(TITLE_TOP_MARGIN, ceiling, box.y - int(box.h * TITLE_GROWTH))
    top = min(top, box.y)
    return Box(box.x, top, box.w, box.bottom - top)


def title_element(
    ctx: PlanContext,
    kind: str,
    runs: Sequence[Run],
    where: Location,
    *,
    role: str = "title",
    box: Optional[Box] = None,
    align: str = "left",
    anchor: str = "bottom",
    hidden: bool = False,
    scale: float = 1.0,
) -> TextElement:
    """Return the slide's title shape: two lines before it shrinks (see fit.fit_title).

    A title takes at most two lines; other roles (a statement) as many as the box holds.
    """
    frame = ctx.frame(kind)
    box = box or frame.title
    style = ctx.style(role, bold=True)
    style.size_pt *= scale
    floor = min(ctx.floor(role) * scale, style.size_pt)
    paragraphs = [runs_paragraph(runs, align=align)]
    result = fit.fit_title(
        paragraphs,
        style,
        box,
        TEXT_INSET,
        floor,
        ctx.fitting,
        room=title_room(box, anchor, frame.title_top if box == frame.title else 0),
        max_lines=2 if role == "title" else None,
        anchor=anchor,
    )
    name = ctx.label(role)
    if not hidden:  # a hidden title is fitted too, so its transparent text stays inside
        if not result.fits:
            ctx.warn(
                where,
                f"{name} does not fit its box even at {result.size_pt:g} pt; it overflows",
                "shorten it",
            )
        elif result.below_floor:
            ctx.warn(
                where,
                f"{name} shrunk to {result.size_pt:g} pt, below the theme's "
                f"floor of {floor:g} pt, to fit in {result.lines} lines",
                "shorten it",
            )
        elif result.shrunk:
            ctx.warn(
                where,
                f"{name} shrunk to {result.size_pt:g} pt (preferred "
                f"{style.size_pt:g} pt) to fit in {result.lines} lines",
            )
    return TextElement(
        result.box,
        paragraphs,
        replace(style, size_pt=result.size_pt),
        role="title",
        region="title",
        anchor=anchor,
        inset_emu=TEXT_INSET,
        hidden=hidden,
        source=where,
    )


#: How much of the body area a divider's title moved into it takes, from the top: its
#: line ends a little below the middle of the area.
DIVIDER_SHARE = 0.55


def divider_title(
    ctx: PlanContext, kind: str, runs: Sequence[Run], where: Location, *, scale: float
) -> TextElement:
    """Return a section or closing slide's large title.

    In the layout's title place when it holds the title at least at the ordinary title
    size and reads there; else (a template whose title place is a band made for content
    titles) set large in the layout's free body area: a divider must look like one, not
    like a content slide nobody filled, and get no panel over the band.
    """
    from generator.layout.legibility import reads_clearly

    frame = ctx.frame(kind)
    if frame.layout is None:  # the grid's title place is made for it
        return title_element(ctx, kind, runs, where, scale=scale)
    placed = title_element(ctx.trial(), kind, runs, where, scale=scale)
    if placed.style.size_pt >= ctx.style("title").size_pt and reads_clearly(ctx, frame, placed):
        return title_element(ctx, kind, runs, where, scale=scale)
    body = frame.body
    box = Box(body.x, body.y, body.w, max(inches(1.2), int(body.h * DIVIDER_SHARE)))
    return title_element(ctx, kind, runs, where, box=box, scale=scale)


def line_under(title: Box, bottom: Optional[int] = None) -> Box:
    """Return the box of a line (a subtitle) under a title, ending by bottom when given."""
    top = title.bottom + inches(0.25)
    height = inches(1.0) if bottom is None else max(0, min(inches(1.0), bottom - top))
    return Box(title.x, top, title.w, height)


def bullet_units(items: Sequence[BulletItem], level: int = 0) -> list[list[Paragraph]]:
    """Return one unit per top-level bullet: its paragraph and its whole sub-list."""
    units = []
    for item in items:
        unit = [
            runs_paragraph(
                item.text.runs,
                level=level,
                bullet=True,
                space_before_pt=8 if level == 0 else 2,
                source=item.text.loc,
            )
        ]
        for child in bullet_units(item.children, level + 1):
            unit.extend(child)
        units.append(unit)
    return units


def bullet_fit(
    ctx: PlanContext, items: Sequence[BulletItem], box: Box, size: Optional[float] = None
) -> fit.Fit:
    """Return how the bullets fit into box (pages and sizes), at most at size when given;
    nothing is reported."""
    style = ctx.style("body")
    width = box.w - 2 * TEXT_INSET

    def height_of(chosen: Sequence[list[Paragraph]], size: float) -> int:
        flat = [p for unit in chosen for p in unit]
        return fit.paragraphs_height(flat, style, size, width)

    preferred = style.size_pt if size is None else min(size, style.size_pt)
    result = fit.fit_units(
        bullet_units(items),
        height_of,
        box.h - 2 * TEXT_INSET,
        preferred,
        min(ctx.floor("body"), preferred),
        ctx.fitting,
    )
    result.preferred = style.size_pt  # shrinking is told against the theme's size
    return result


def bullet_pages(
    ctx: PlanContext,
    items: Sequence[BulletItem],
    box: Box,
    where: Location,
    *,
    region: Optional[str] = None,
    size: Optional[float] = None,
) -> list[TextElement]:
    """Return the bullets fitted into box: one text element for each slide they need
    (at most at size, when given: columns set alike).

    Shrinking and continuing are reported at where (the slide's title); a bullet set
    below the floor on a slide of its own is reported at its own line.
    """
    style = ctx.style("body")
    result = bullet_fit(ctx, items, box, size)
    report_fit(
        ctx,
        result,
        "bullets",
        where,
        unit_what="bullet",
        unit_locations=[item.text.loc for item in items],
    )
    return [
        TextElement(
            box,
            [p for unit in page for p in unit],
            replace(style, size_pt=size),
            region=region,
            inset_emu=TEXT_INSET,
            source=where,
        )
        for page, size in zip(result.pages, result.sizes, strict=True)
    ]


def report_fit(
    ctx: PlanContext,
    result: fit.Fit,
    what: str,
    where: Location,
    *,
    unit_what: str = "",
    unit_locations: Sequence[Location] = (),
) -> None:
    """Tell the speaker about fit decisions: shrinking, continuing, the floor, overflow.

    what names the content ("bullets", "table", "code"); units set below the floor
    are reported at their own location when unit_locations has it.
    """
    verb = "continues" if what in ("table", "code", "text") else "continue"
    size = result.size_pt
    if len(result.pages) > 1:
        sized = (
            f" at {size:g} pt"
            if size == result.preferred
            else f", shrunk to {size:g} pt (preferred {result.preferred:g} pt)"
        )
        ctx.warn(
            where,
            f"{what} {verb} onto {len(result.pages)} slides{sized}",
            _SPLIT_HINTS.get(what, "shorten it to keep it on one slide"),
        )
    elif result.shrunk:
        ctx.warn(
            where,
            f"{what} shrunk to {size:g} pt to fit (preferred "
            f"{result.preferred:g} pt, floor {result.floor:g} pt)",
        )
    for index, page_size in result.below_floor:
        at = unit_locations[index] if index < len(unit_locations) else where
        thing = unit_what or what
        if result.overflow and page_size <= fit.MIN_LEGIBLE_PT:
            ctx.warn(
                at,
                f"{thing} does not fit a whole slide even at {page_size:g} pt; it overflows",
                "shorten it or split it",
            )
        else:
            ctx.warn(
                at,
                f"{thing} does not fit a whole slide at the theme's floor of "
                f"{result.floor:g} pt; set at {page_size:g} pt on a slide of its own",
                "shorten it or split it",
            )


_SPLIT_HINTS = {
    "bullets": "shorten the list or split the slide to keep it on one",
    "table": "drop rows or split the table to keep it on one slide",
    "code": "show fewer lines (`lines:` or `region:`) to keep it on one slide",
}


def continued_runs(runs: Sequence[Run], index: int, total: int) -> list[Run]:
    """Return a title's runs on page index of total: 'TL;DR (2/3)' when it continues."""
    if total == 1:
        return list(runs)
    return [*runs, Run(f" ({index + 1}/{total})")]


def code_panel(
    ctx: PlanContext, box: Box, lines: list[list[Run]], size: float
) -> list[TextElement | RectElement]:
    """Return the quiet panel, as tall as its code, and the code text on it.

    Blank lines at either end are left out: where code continues, a page should not
    open or close on an empty line.
    """
    style = replace(ctx.style("code"), size_pt=size)
    paragraphs = _code_paragraphs(_trim_blank(lines))
    needed = fit.paragraphs_height(paragraphs, style, size, box.w - 2 * CODE_INSET) + 2 * CODE_INSET
    # A little slack: viewers round line heights differently.
    box = Box(box.x, box.y, box.w, min(box.h, int(needed * 1.04) + CODE_INSET // 2))
    panel = RectElement(box, ctx.theme.colors.code_background, rounded=True)
    text = TextElement(box, paragraphs, style, role="code", inset_emu=CODE_INSET)
    return [panel, text]


def _blank(line: Sequence[Run]) -> bool:
    return not plain_text(line).strip()


def _trim_blank(lines: list[list[Run]]) -> list[list[Run]]:
    start, end = 0, len(lines)
    while start < end and _blank(lines[start]):
        start += 1
    while end > start and _blank(lines[end - 1]):
        end -= 1
    return lines[start:end] or lines[:1]


def _code_paragraphs(lines: Sequence[list[Run]]) -> list[Paragraph]:
    """Return a paragraph per code line; an empty line keeps the code font's height."""
    return [Paragraph(line or [Run("", code=True)]) for line in lines]


def fit_code(ctx: PlanContext, block: CodeBlock, box: Box) -> fit.Fit:
    """Highlight a code block and fit its lines into box (split between lines).

    Wrapped code misleads, so the code starts from the largest size down to the
    floor at which no line wraps (a note, not a warning: the snippet is the tested
    one); only then does it shrink further or continue. Decisions are reported at
    the code's own location.
    """
    lines = highlight_lines(
        block.source,
        block.language,
        ctx.theme.code_style,
        ctx.theme.colors.code_background,
        lambda message, hint: ctx.warn(block.loc, message, hint),
    )
    style = ctx.style("code")
    width = box.w - 2 * CODE_INSET
    available = box.h - 2 * CODE_INSET
    floor = ctx.floor("code")
    preferred = style.size_pt
    where = block.loc
    if ctx.fitting:
        paragraphs = [Paragraph(line) for line in lines if line]
        for size in fit.size_ladder(style.size_pt, floor):
            preferred = size
            # Lines wrap WRAP_SAFETY short of the width (see measure): so must this test.
            if measure.natural_width(paragraphs, replace(style, size_pt=size)) <= width * (
                1 - measure.WRAP_SAFETY
            ):
                if preferred < style.size_pt:
                    ctx.note(
                        where,
                        f"code set at {preferred:g} pt (theme size "
                        f"{style.size_pt:g} pt) so that its longest line does not wrap",
                    )
                break
        else:
            widest = max(
                range(len(lines)),
                key=lambda n: (
                    measure.natural_width([Paragraph(lines[n])], style) if lines[n] else 0
                ),
            )
            chars = len(plain_text(lines[widest]))
            ctx.warn(
                where,
                f"code line {widest + 1} ({chars} characters) is too wide for "
                f"its panel even at {preferred:g} pt; it wraps",
                "shorten the line, or show it on a slide of its own",
            )

    def height_of(chosen: Sequence[list[Run]], size: float) -> int:
        return fit.paragraphs_height(_code_paragraphs(chosen), style, size, width)

    result = fit.fit_units(
        lines,
        height_of,
        available,
        preferred,
        floor,
        ctx.fitting,
        soft_breaks=_code_breaks(block, lines),
    )
    report_fit(ctx, result, "code", where, unit_what="code line")
    return result


def _code_breaks(block: CodeBlock, lines: list[list[Run]]) -> list[float]:
    """Return how good the end of each code line is for continuing on the next slide.

    Between top-level statements and at blank lines is best, inside a statement
    worst (see generator.source.syntax.break_scores); blank lines alone decide
    when the highlighted lines are not the source's lines.
    """
    from generator.source.syntax import break_scores

    scores = break_scores(block.source, block.language, block.origin.name if block.origin else "")
    if len(scores) != len(lines):
        return [1.0 if _blank(line) else 0.5 for line in lines]
    return scores


def text_block(
    ctx: PlanContext,
    text: Text,
    box: Box,
    role: str = "body",
    align: str = "left",
    anchor: str = "top",
    color: str | None = None,
    bold: bool = False,
) -> TextElement:
    """Return a paragraph of text fitted (shrunk) into box; below the floor as a last resort."""
    style = ctx.style(role, color=color, bold=bold)
    paragraphs = [runs_paragraph(text.runs, align=align)]
    result = fit.fit_title(
        paragraphs,
        style,
        box,
        TEXT_INSET,
        ctx.floor(role),
        ctx.fitting,
        max_lines=None,
        anchor=anchor,
    )
    name = ctx.label(role)
    if not result.fits:
        ctx.warn(
            text.loc,
            f"{name} does not fit its box even at {result.size_pt:g} pt; it overflows",
            "shorten it",
        )
    elif result.below_floor:
        ctx.warn(
            text.loc,
            f"{name} shrunk to {result.size_pt:g} pt, below the theme's floor "
            f"of {result.floor:g} pt",
            "shorten it",
        )
    elif result.shrunk:
        ctx.warn(
            text.loc,
            f"{name} shrunk to {result.size_pt:g} pt to fit (preferred {result.preferred:g} pt)",
        )
    return TextElement(
        box,
        paragraphs,
        replace(style, size_pt=result.size_pt),
        role=role,
        anchor=anchor,
        inset_emu=TEXT_INSET,
        source=text.loc,
    )


def one_line_style(
    ctx: PlanContext, text: str, style: TextStyle, width: int, role: str, where: Location
) -> TextStyle:
    """Return style sized so text stays on one line of width (footers, dates).

    It shrinks to the role's floor, then below it as a last resort, with a warning.
    """
    if not ctx.fitting or not text:
        return style
    paragraphs = [Paragraph([Run(text)])]
    for size in fit.size_ladder(style.size_pt, ctx.floor(role)) + fit.below_floor_ladder(
        min(ctx.floor(role), style.size_pt)
    ):
        sized = replace(style, size_pt=size)
        if measure.line_count(paragraphs, sized, width) == 1:
            break
    if sized.size_pt < style.size_pt:
        ctx.warn(
            where,
            f"{role} shrunk to {sized.size_pt:g} pt (preferred "
            f"{style.size_pt:g} pt) to stay on one line",
            "shorten it",
        )
    return sized


def fit_picture(box: Box, width_px: int, height_px: int) -> Box:
    """Return the largest box of the picture's aspect ratio centred in box."""
    scale = min(box.w / max(width_px, 1), box.h / max(height_px, 1))
    width, height = int(width_px * scale), int(height_px * scale)
    return Box(box.x + (box.w - width) // 2, box.y + (box.h - height) // 2, width, height)


def accent_rule(ctx: PlanContext, under: Box) -> RectElement:
    """Return the short accent bar under a title: the one place the accent shows."""
    height = inches(0.06)
    return RectElement(
        Box(under.x + TEXT_INSET, under.bottom + inches(0.04), inches(0.9), height),
        ctx.theme.colors.accent,
        title_rule=True,
    )


def plan(kind: str, title: str, elements: list, notes: Optional[str]) -> SlidePlan:
    """Return a slide plan; the planner puts it on its kind's layout."""
    return SlidePlan(kind=kind, title=title, elements=elements, notes=notes or "")


#: Data labels go on every point while a chart has at most this many (pie: slices).
MAX_LABELLED_POINTS = 12


def chart_element(ctx: PlanContext, data: ChartData, box: Box) -> ChartElement:
    """Return a chart in box: series coloured from the theme, text in its body font."""
    colors = ctx.theme.colors
    round_chart = data.type in ("pie", "doughnut")
    count = len(data.categories) if round_chart else len(data.series)
    palette = series_colors(colors.accent, colors.background, count)
    style = ctx.style("chart")
    return ChartElement(
        box,
        data.type,
        list(data.categories),
        [(series.name, list(series.values)) for series in data.series],
        palette,
        style,
        data.alt,
        number_format=data.number_format,
        x_values=data.x_values,
        legend=round_chart or len(data.series) > 1,
        data_labels=data.type != "scatter" and data.points <= MAX_LABELLED_POINTS,
        gridline_color=blend(colors.muted, colors.background, 0.6),
        source=data.loc,
    )
