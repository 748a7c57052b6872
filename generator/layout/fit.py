"""Fit text into boxes: shrink within the theme's floor, then continue on new slides."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence, TypeVar

from generator.layout import measure
from generator.layout.plan import Box, Paragraph, TextStyle

U = TypeVar("U")
SIZE_STEP = 2.0


@dataclass
class Fit:
    """The outcome of fitting: the size chosen and the units on each page."""

    size_pt: float
    pages: list[list]
    shrunk: bool = False  # smaller than the preferred size
    overflow: bool = False  # a unit is taller than a whole page even alone


def size_ladder(preferred: float, floor: float) -> list[float]:
    """Return sizes to try, largest first: preferred, then 2 pt steps, then the floor."""
    sizes = []
    size = preferred
    while size > floor:
        sizes.append(size)
        size -= SIZE_STEP
    sizes.append(min(floor, preferred))
    return sizes


def paragraphs_height(paragraphs: Sequence[Paragraph], style: TextStyle, size_pt: float,
                      width: int) -> int:
    """Return the height of paragraphs set at size_pt in a text area width wide."""
    return measure.text_height(list(paragraphs), replace(style, size_pt=size_pt), width)


def fit_units(units: Sequence[U], height_of: Callable[[Sequence[U], float], int],
              available: int, preferred: float, floor: float, enabled: bool = True) -> Fit:
    """Fit units (bullets with their children, table rows, code lines) into available EMU.

    Try every size from preferred down to floor on one page; when none fits,
    continue at the preferred size over as many pages as needed, splitting only
    between units. A unit that is too tall alone gets a page of its own at the floor.
    """
    units = list(units)
    if not enabled or not units:
        return Fit(preferred, [units])
    for size in size_ladder(preferred, floor):
        if height_of(units, size) <= available:
            return Fit(size, [units], shrunk=size < preferred)
    # Continuing is better than text too small to read: paginate at the largest size
    # that keeps every single unit on a page.
    size = next((s for s in size_ladder(preferred, floor)
                 if all(height_of([u], s) <= available for u in units)), floor)
    pages: list[list[U]] = [[]]
    overflow = False
    for unit in units:
        candidate = pages[-1] + [unit]
        if pages[-1] and height_of(candidate, size) > available:
            pages.append([unit])
        else:
            pages[-1] = candidate
        if height_of([unit], size) > available:
            overflow = True
    return Fit(size, _balance(pages, height_of, size, available), shrunk=size < preferred,
               overflow=overflow)


def _balance(pages: list[list[U]], height_of: Callable[[Sequence[U], float], int],
             size: float, available: int) -> list[list[U]]:
    """Even out the last page: move units back from full pages while they still fit."""
    if len(pages) < 2:
        return pages
    units = [u for page in pages for u in page]
    target = -(-len(units) // len(pages))  # ceiling division: units per page
    balanced: list[list[U]] = [[]]
    for unit in units:
        if len(balanced[-1]) >= target or (balanced[-1] and height_of(
                balanced[-1] + [unit], size) > available):
            balanced.append([])
        balanced[-1].append(unit)
    return balanced if len(balanced) == len(pages) else pages


def fit_title(paragraphs: list[Paragraph], style: TextStyle, box: Box, inset: int,
              floor: float, enabled: bool = True) -> tuple[float, bool]:
    """Return (size, fits) for a title: wrap to two lines first, then shrink to the floor."""
    width = box.w - 2 * inset
    available = box.h - 2 * inset
    if not enabled:
        return style.size_pt, True
    for size in size_ladder(style.size_pt, floor):
        if paragraphs_height(paragraphs, style, size, width) <= available:
            return size, True
    return floor, False
