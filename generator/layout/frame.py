"""The grid: where titles, bodies and columns go on a slide of a given size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from generator.layout.plan import EMU_PER_INCH, Box

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
    # Which regions are template placeholders (filled) rather than drawn shapes.
    placeholders: set[str] = field(default_factory=set)
    layout_name: Optional[str] = None
    chosen_by: str = "grid"


def grid_frame(width: int, height: int, kind: str) -> Frame:
    """Return the default grid: 0.6 in margins, title band, body, footer band."""
    margin = int(0.6 * EMU_PER_INCH)
    gutter = int(0.4 * EMU_PER_INCH)
    top = int(0.4 * EMU_PER_INCH)
    title_h = int(1.1 * EMU_PER_INCH)
    footer_h = int(0.4 * EMU_PER_INCH)
    footer_y = height - footer_h - int(0.15 * EMU_PER_INCH)
    body_y = top + title_h + int(0.3 * EMU_PER_INCH)
    body_h = footer_y - body_y - int(0.1 * EMU_PER_INCH)
    inner_w = width - 2 * margin
    column_w = (inner_w - gutter) // 2
    number_w = int(1.0 * EMU_PER_INCH)
    logo_h = int(0.45 * EMU_PER_INCH)
    frame = Frame(
        width=width,
        height=height,
        title=Box(margin, top, inner_w, title_h),
        body=Box(margin, body_y, inner_w, body_h),
        left=Box(margin, body_y, column_w, body_h),
        right=Box(margin + column_w + gutter, body_y, column_w, body_h),
        footer=Box(margin, footer_y, inner_w - number_w - gutter, footer_h),
        number=Box(width - margin - number_w, footer_y, number_w, footer_h),
        logo=Box(width - margin - int(1.6 * EMU_PER_INCH), top + int(0.1 * EMU_PER_INCH),
                 int(1.6 * EMU_PER_INCH), logo_h),
    )
    if kind in ("title", "closing"):
        frame.title = Box(margin, int(height * 0.28), inner_w, int(1.9 * EMU_PER_INCH))
        frame.subtitle = Box(margin, frame.title.bottom + int(0.2 * EMU_PER_INCH), inner_w,
                             int(1.6 * EMU_PER_INCH))
    elif kind == "section":
        frame.title = Box(margin, int(height * 0.38), inner_w, int(1.4 * EMU_PER_INCH))
    elif kind in ("statement",):
        frame.body = Box(margin + gutter, top + int(0.4 * EMU_PER_INCH), inner_w - 2 * gutter,
                         footer_y - top - int(0.6 * EMU_PER_INCH))
    return frame
