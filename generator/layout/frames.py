"""Choose what slides are built on: the theme's template, or the plain grid.

With a template, every slide kind gets a Frame made from its chosen layout: the title, body,
column, footer, slide-number and date boxes are the layout's own placeholders (or the
master's), so planning fits text into the template's real geometry. The logo goes in a
corner that no text and no decoration of the layout uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from generator.errors import Problems
from generator.layout.checks import theme_warnings
from generator.layout.choose import HEADLINE_ROLES, LayoutChoice, choose_layouts, clear_of_art
from generator.layout.frame import SIZES, Frame, above_chrome, grid_frame
from generator.layout.plan import LayoutRef, Placeholder
from generator.model.geometry import Box, inches
from generator.model.registry import kinds
from generator.theme.template import Backdrop

if TYPE_CHECKING:
    from generator.theme.schema import Theme
    from generator.theme.template import TemplateInfo

# A frame region -> the LayoutChoice attribute that holds its placeholder.
PLACEHOLDER_REGIONS = {
    "title": "title",
    "subtitle": "subtitle",
    "body": "body",
    "left": "left",
    "right": "right",
    "footer": "footer",
    "number": "slide_number",
    "date": "date",
}

LOGO_MAX = (inches(1.6), inches(0.45))  # width, height
LOGO_MARGIN = inches(0.25)
GAP = inches(0.15)
SUBTITLE_H = inches(1.6)
MIN_SUBTITLE_H = inches(1.2)  # a title slide's subtitle and author/date line


@dataclass
class Frames:
    """Where every slide kind's regions are, on a slide of one size."""

    by_kind: dict[str, Frame]
    width: int
    height: int
    template: Optional[str] = None  # the template the layouts belong to


def theme_frames(theme: Theme, problems: Problems) -> Frames:
    """Return the frame of every slide kind: the template's layouts, else the grid.

    Also warns about the theme's contrast and fonts measured with a stand-in.
    """
    theme_warnings(theme, problems)
    info = theme.template_info
    if info is None:
        if theme.layouts and not theme.template:
            problems.warn(
                theme.locations["layouts"],
                "'layouts' has no effect without a template",
                "add `template: FILE.pptx` or remove 'layouts'",
            )
        width, height = SIZES[theme.size]
        frames = {}
        for kind, cls in kinds().items():
            frames[kind] = grid_frame(width, height, cls.role)
            if theme.logo_size is not None:
                _place_logo(frames[kind], cls.role, theme.logo_size, ())
            frames[kind].backdrop = Backdrop((theme.colors.background,))
        return Frames(frames, width, height)
    choices = choose_layouts(info, theme.layouts)  # load_theme reported bad names
    frames = {
        kind: template_frame(info, choice, theme.logo_size) for kind, choice in choices.items()
    }
    assert theme.template_path is not None
    return Frames(frames, info.width, info.height, str(theme.template_path))


def template_frame(
    info: TemplateInfo, choice: LayoutChoice, logo_size: tuple[int, int] | None = None
) -> Frame:
    """Return the regions of one slide kind on its chosen layout."""
    width, height = info.width, info.height
    grid = grid_frame(width, height, choice.role)
    master = info.masters[choice.layout.master_index].placeholders

    def chrome(ph: Any, ph_type: str, drawn: Box) -> Box:
        box = ph.box if ph is not None else master[ph_type].box if ph_type in master else drawn
        return clear_of_art(_on_slide(box, width, height), choice.layout, info)

    body = choice.body_box
    half = (body.w - body.w // 25) // 2
    frame = Frame(
        width=width,
        height=height,
        title=choice.title_box,
        body=body,
        left=choice.left_box or Box(body.x, body.y, half, body.h),
        right=choice.right_box or Box(body.right - half, body.y, half, body.h),
        footer=chrome(choice.footer, "ftr", grid.footer),
        number=chrome(choice.slide_number, "sldNum", grid.number),
        logo=grid.logo,
        subtitle=_subtitle(choice, height),
        date=(
            clear_of_art(_on_slide(choice.date.box, width, height), choice.layout, info)
            if choice.date is not None
            else None
        ),
        chrome_color=next(
            (
                ph.color
                for ph in (
                    choice.footer,
                    choice.slide_number,
                    master.get("ftr"),
                    master.get("sldNum"),
                )
                if ph is not None and ph.color
            ),
            None,
        ),
        placeholders={
            region: Placeholder(ph.type, ph.idx or None)
            for region, attribute in PLACEHOLDER_REGIONS.items()
            if (ph := getattr(choice, attribute)) is not None
        },
        layout=LayoutRef(choice.layout.master_index, choice.layout.layout_index, choice.name),
        chosen_by=choice.how,
        backdrop=choice.layout.backdrop,
        text_colors=dict(choice.layout.text_colors),
    )
    frame.title_top = _title_top(frame.title, choice.layout.backdrop)
    title = choice.title or master.get("title")
    frame.title_centred = title is not None and title.centred
    if choice.role != "opening":  # the title slide has no footer, date or number
        # Content ends above the footer, date and slide number its placeholder runs into.
        frame.body, frame.left, frame.right = (
            above_chrome(frame, box) for box in (frame.body, frame.left, frame.right)
        )
        if frame.subtitle is not None:
            frame.subtitle = above_chrome(frame, frame.subtitle)
    if logo_size is not None:
        _place_logo(frame, choice.role, logo_size, choice.layout.decorations)
    return frame


#: How far inside a panel's edge a title keeps: its outline is drawn half inside.
PANEL_MARGIN = inches(0.1)
#: Artwork fainter than this (opacity) is texture a title may grow over.
FAINT_ART = 0.2


def _title_top(title: Box, backdrop: Backdrop) -> int:
    """Return the highest a title growing upwards may reach: inside every panel that
    holds its box (Sunset's framed gradient), below artwork above it; 0 for no limit."""
    top = 0
    for art in backdrop.art:
        if art.alpha < FAINT_ART or (not art.colors and art.image is None):
            continue
        box = art.box
        if box.right <= title.x or box.x >= title.right:
            continue
        if box.y <= title.y and box.bottom >= title.bottom and box.x <= title.x:
            if box.right >= title.right and box.y > 0:
                top = max(top, box.y + PANEL_MARGIN)  # the panel the title sits on
        elif box.bottom <= title.y:
            top = max(top, box.bottom + GAP // 2)  # a band or a picture above it
    return min(top, title.y)


def _on_slide(box: Box, width: int, height: int) -> Box:
    """Return box moved (then cut) to lie on the slide: some templates place their
    footer placeholders partly off the page."""
    w, h = min(box.w, width), min(box.h, height)
    return Box(min(max(box.x, 0), width - w), min(max(box.y, 0), height - h), w, h)


def _subtitle(choice: LayoutChoice, height: int) -> Box | None:
    """Return the box under a title slide's or closing slide's title (None: none wanted).

    The layout's subtitle, grown over an author/date placeholder stacked right under it;
    without one, a band under the title, so a closing subtitle is never dropped.
    """
    sub, extra = choice.subtitle, choice.body
    if sub is not None:
        box = choice.subtitle_box or sub.box
        if choice.role == "opening" and extra is not None and extra is not sub:
            below = extra.box
            if 0 <= below.y - box.bottom <= GAP and below.x < box.right and box.x < below.right:
                x, right = min(box.x, below.x), max(box.right, below.right)
                box = Box(x, box.y, right - x, below.bottom - box.y)
        if choice.role == "opening" and box.h < MIN_SUBTITLE_H:
            # Too short for a subtitle and a byline: grow away from the title.
            if box.bottom <= choice.title_box.y + GAP:
                top = max(GAP, box.bottom - MIN_SUBTITLE_H)
                box = Box(box.x, top, box.w, box.bottom - top)
            else:
                box = Box(box.x, box.y, box.w, min(MIN_SUBTITLE_H, height - GAP - box.y))
        return box
    if choice.role not in ("opening", "closing"):
        return None
    title = choice.title_box
    top = title.bottom + GAP
    return Box(title.x, top, title.w, max(0, min(SUBTITLE_H, height - GAP - top)))


def _place_logo(frame: Frame, role: str, size: tuple[int, int], decorations: Iterable[Box]) -> None:
    """Put the logo in the first free corner: top right, bottom right, bottom left.

    Free means clear of the kind's text regions and of the layout's own drawings (logos,
    bands; a shape covering a quarter of the slide or more is a background and does not
    count). Failing that it goes top right and the title is narrowed to keep clear of it.
    """
    scale = min(LOGO_MAX[0] / max(size[0], 1), LOGO_MAX[1] / max(size[1], 1))
    w, h = max(1, int(size[0] * scale)), max(1, int(size[1] * scale))
    slide = frame.width * frame.height
    drawn = [d for d in decorations if d.w * d.h < slide // 4]
    text = [frame.body if role == "sentence" else frame.title, frame.footer, frame.number]
    if role not in HEADLINE_ROLES:
        text += [frame.body, frame.left, frame.right]
    elif frame.subtitle is not None:
        text.append(frame.subtitle)
    if frame.date is not None:
        text.append(frame.date)
    right = frame.width - LOGO_MARGIN
    bottom = frame.height - LOGO_MARGIN // 2
    corners = [
        Box(right - w, LOGO_MARGIN, w, h),
        Box(right - w, bottom - h, w, h),
        Box(LOGO_MARGIN, bottom - h, w, h),
    ]
    for corner in corners:
        if not any(_overlap(corner, other) for other in [*text, *drawn]):
            frame.logo = corner
            return
    title = frame.title
    corner = Box(min(right, title.right) - w, max(title.y, LOGO_MARGIN), w, h)
    frame.logo = corner
    if _overlap(corner, title) and corner.x - GAP - title.x >= title.w * 3 // 5:
        frame.title = Box(title.x, title.y, corner.x - GAP - title.x, title.h)


def _overlap(a: Box, b: Box) -> bool:
    return a.overlaps(b)
