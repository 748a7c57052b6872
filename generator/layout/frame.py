"""The grid: where titles, bodies and columns go on a slide of a given size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from generator.layout.plan import LayoutRef, Placeholder
from generator.model.geometry import Box, inches
from generator.theme.template import Backdrop

SIZES = {"16:9": (12192000, 6858000), "4:3": (9144000, 6858000)}


@dataclass
class Frame:
    """Regions of one slide kind; a template fills them from its layout."""

    width: int
    height: int
    title: Box
    body: Box
    left: Box
    right: Box
    footer: Box
    number: Box
    logo: Box
    subtitle: Optional[Box] = None
    date: Optional[Box] = None  # a template's date placeholder, filled with the deck's date
    chrome_color: Optional[str] = None  # footer, number and date text colour, if not muted
    # Regions written as template placeholders (filled) rather than drawn shapes.
    placeholders: dict[str, Placeholder] = field(default_factory=dict)
    layout: Optional[LayoutRef] = None  # None: the plain grid
    chosen_by: str = "grid"
    backdrop: Optional[Backdrop] = None  # what the layout draws behind the slide
    text_colors: dict[str, str] = field(default_factory=dict)  # title/body: the template's
    # The highest a bottom-anchored title may grow to: inside the panel it was designed on,
    # below the artwork above it (0: the slide's top margin).
    title_top: int = 0
    # The template centres the title's text block (see PlaceholderInfo.centred).
    title_centred: bool = False

    @property
    def layout_name(self) -> Optional[str]:
        return self.layout.name if self.layout else None

    def placeholder(self, region: Optional[str]) -> Optional[Placeholder]:
        """Return the placeholder a region is written as; every title is a title one.

        A slide on a layout without a title still gets a real title shape (it inherits
        the master's title style), for outlines and screen readers.
        """
        if region is None:
            return None
        found = self.placeholders.get(region)
        if found is None and region == "title":
            return Placeholder("title")
        return found


#: The room left between a content region and the footer, date or slide number under it.
CHROME_GAP = inches(0.1)


def above_chrome(frame: Frame, box: Box) -> Box:
    """Return box cut short above the footer, date and slide number it would run into.

    A template's body placeholder may reach down over its footer (LibreOffice's Vivid):
    content placed in it would be drawn over the date and the slide number. Never cut
    to less than half the box."""
    bottom = box.bottom
    for chrome in (frame.footer, frame.number, frame.date):
        if chrome is not None and chrome.x < box.right and box.x < chrome.right:
            if box.y < chrome.y < bottom:
                bottom = chrome.y - CHROME_GAP
    return Box(box.x, box.y, box.w, max(bottom - box.y, box.h // 2))


def grid_frame(width: int, height: int, role: str) -> Frame:
    """Return the default grid for a slide role: 0.6 in margins, title band, body, footer."""
    margin = inches(0.6)
    gutter = inches(0.4)
    top = inches(0.4)
    title_h = inches(1.1)
    footer_h = inches(0.4)
    footer_y = height - footer_h - inches(0.15)
    body_y = top + title_h + inches(0.3)
    body_h = footer_y - body_y - inches(0.1)
    inner_w = width - 2 * margin
    column_w = (inner_w - gutter) // 2
    number_w = inches(1.0)
    logo_h = inches(0.45)
    frame = Frame(
        width=width,
        height=height,
        title=Box(margin, top, inner_w, title_h),
        body=Box(margin, body_y, inner_w, body_h),
        left=Box(margin, body_y, column_w, body_h),
        right=Box(margin + column_w + gutter, body_y, column_w, body_h),
        footer=Box(margin, footer_y, inner_w - number_w - gutter, footer_h),
        number=Box(width - margin - number_w, footer_y, number_w, footer_h),
        logo=Box(width - margin - inches(1.6), top + inches(0.1), inches(1.6), logo_h),
    )
    if role in ("opening", "closing"):
        frame.title = Box(margin, int(height * 0.28), inner_w, inches(1.9))
        frame.subtitle = Box(margin, frame.title.bottom + inches(0.2), inner_w, inches(1.6))
    elif role == "divider":
        frame.title = Box(margin, int(height * 0.38), inner_w, inches(1.4))
    elif role == "sentence":
        frame.body = Box(
            margin + gutter, top + inches(0.4), inner_w - 2 * gutter, footer_y - top - inches(0.6)
        )
    return frame
