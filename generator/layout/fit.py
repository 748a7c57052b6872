"""Fit text into boxes: shrink within the theme's floor, then continue on new slides.

The order is the one a designer follows. Text that fits at its preferred size stays
at it. Otherwise it shrinks in 2 pt steps down to the theme's floor for its role.
Otherwise it continues on as many slides as it needs, split only between units
(a bullet with its sub-list, a table row, a code line), at the largest size at which
every unit fits a page of its own, with the pages balanced. A unit too tall for a
whole page even at the floor gets a page to itself, set below the floor as a last
resort (never below ``MIN_LEGIBLE_PT``); the caller warns about it, and only when
even that fails does text overflow.

Titles wrap to two lines before they shrink, may grow into the room above their box
for those two lines, and go below the floor only as a last resort (see fit_title).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

from generator.layout import measure
from generator.layout.plan import Paragraph, TextStyle
from generator.model.geometry import Box

U = TypeVar("U")
#: Shrinking steps, in points, from the preferred size down to the floor.
SIZE_STEP = 2.0
#: Below the theme's floor the size drops 1 pt at a time, but never under this.
MIN_LEGIBLE_PT = 8.0

HeightOf = Callable[[Sequence[U], float], int]


@dataclass
class Fit(Generic[U]):
    """The outcome of fitting: the units on each page and the size of each page."""

    pages: list[list[U]]
    sizes: list[float]
    preferred: float
    floor: float
    overflow: bool = False  # a unit is too tall for a page even at MIN_LEGIBLE_PT
    #: (index into the units given, size) of each unit set below the floor on a page of
    #: its own.
    below_floor: list[tuple[int, float]] = field(default_factory=list)

    @property
    def size_pt(self) -> float:
        """Return the size of the normal pages (a unit below the floor has a smaller one)."""
        return max(self.sizes) if self.sizes else self.preferred

    @property
    def shrunk(self) -> bool:
        """Return whether any page is smaller than the preferred size."""
        return any(size < self.preferred for size in self.sizes)


def size_ladder(preferred: float, floor: float) -> list[float]:
    """Return sizes to try, largest first: preferred, then 2 pt steps, then the floor."""
    sizes = []
    size = preferred
    while size > floor:
        sizes.append(size)
        size -= SIZE_STEP
    sizes.append(min(floor, preferred))
    return sizes


def below_floor_ladder(floor: float) -> list[float]:
    """Return the last-resort sizes under a floor, 1 pt apart, largest first."""
    sizes = []
    size = float(int(floor)) if int(floor) < floor else floor - 1
    while size >= MIN_LEGIBLE_PT:
        sizes.append(size)
        size -= 1
    return sizes


def paragraphs_height(paragraphs: Sequence[Paragraph], style: TextStyle, size_pt: float,
                      width: int) -> int:
    """Return the height of paragraphs set at size_pt in a text area width wide."""
    return measure.text_height(list(paragraphs), replace(style, size_pt=size_pt), width)


def fit_units(units: Sequence[U], height_of: HeightOf, available: int, preferred: float,
              floor: float, enabled: bool = True, *,
              soft_breaks: Sequence[bool] | None = None) -> Fit[U]:
    """Fit units (bullets with their children, table rows, code lines) into available EMU.

    height_of(units, size) is the height the units take together at a size. With
    fitting disabled everything goes on one page at the preferred size.
    soft_breaks[i] says a page had better end after unit i (a blank line in code):
    pages then end there when that costs no extra page and keeps each page at least
    two thirds full; otherwise the pages are balanced.
    """
    units = list(units)
    floor = min(floor, preferred)
    if not enabled or not units:
        return Fit([units], [preferred], preferred, floor)
    ladder = size_ladder(preferred, floor)
    for size in ladder:
        if height_of(units, size) <= available:
            return Fit([units], [size], preferred, floor)
    # Continuing beats text too small to read: paginate at the largest size that keeps
    # every unit that can fit at the floor on a page of its own.
    fits_alone = [height_of([unit], floor) <= available for unit in units]
    normal = [unit for unit, ok in zip(units, fits_alone, strict=True) if ok]
    size = next((s for s in ladder if all(height_of([u], s) <= available for u in normal)),
                floor)
    soft = list(soft_breaks) if soft_breaks is not None else [False] * len(units)
    result: Fit[U] = Fit([], [], preferred, floor)
    run: list[int] = []
    for index, ok in enumerate(fits_alone):
        if ok:
            run.append(index)
            continue
        _paginate(result, units, run, soft, height_of, size, available)
        run = []
        size_alone = _last_resort(units[index], height_of, available, floor, result)
        result.pages.append([units[index]])
        result.sizes.append(size_alone)
        result.below_floor.append((index, size_alone))
    _paginate(result, units, run, soft, height_of, size, available)
    return result


def _paginate(result: Fit[U], units: list[U], run: list[int], soft: list[bool],
              height_of: HeightOf, size: float, available: int) -> None:
    """Append the units at indexes run to result's pages at size.

    Pages are filled greedily and evened out; where soft breaks give as few pages,
    they win instead.
    """
    if not run:
        return
    chosen = [units[i] for i in run]
    greedy = _fill(chosen, [False] * len(run), height_of, size, available)
    pages = _balance(greedy, height_of, size, available)
    flags = [soft[i] for i in run]
    if any(flags):
        at_breaks = _fill(chosen, flags, height_of, size, available)
        if len(at_breaks) == len(greedy):
            pages = at_breaks
    result.pages.extend(pages)
    result.sizes.extend([size] * len(pages))


def _fill(units: list[U], soft: list[bool], height_of: HeightOf, size: float,
          available: int) -> list[list[U]]:
    """Fill pages greedily; a full page ends at its last soft break in its final third."""
    pages: list[list[int]] = [[]]
    for index, unit in enumerate(units):
        page = pages[-1]
        if page and height_of([units[i] for i in page] + [unit], size) > available:
            cut = next((n for n in range(len(page), 0, -1)
                        if soft[page[n - 1]] and 3 * n >= 2 * len(page)), len(page))
            carried = page[cut:]
            if carried and height_of([units[i] for i in carried] + [unit], size) > available:
                carried, cut = [], len(page)
            del page[cut:]
            pages.append(carried)
        pages[-1].append(index)
    return [[units[i] for i in page] for page in pages]


def _last_resort(unit: U, height_of: HeightOf, available: int, floor: float,
                 result: Fit[U]) -> float:
    """Return the largest size under the floor at which a unit fits alone (else overflow)."""
    for size in below_floor_ladder(floor):
        if height_of([unit], size) <= available:
            return size
    result.overflow = True
    return MIN_LEGIBLE_PT if MIN_LEGIBLE_PT < floor else floor


def _balance(pages: list[list[U]], height_of: HeightOf, size: float,
             available: int) -> list[list[U]]:
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


@dataclass
class TitleFit:
    """A title's size, its box (grown into the room above when two lines need it), lines."""

    size_pt: float
    box: Box
    lines: int
    preferred: float
    floor: float
    fits: bool = True

    @property
    def shrunk(self) -> bool:
        return self.size_pt < self.preferred

    @property
    def below_floor(self) -> bool:
        return self.size_pt < self.floor


def fit_title(paragraphs: list[Paragraph], style: TextStyle, box: Box, inset: int,
              floor: float, enabled: bool = True, *, room: Box | None = None,
              max_lines: int | None = 2, anchor: str = "bottom") -> TitleFit:
    """Fit a title: wrap to two lines first, then shrink to the floor, then below it.

    room is the largest box the title may take (its own box when None); the box
    grows into it away from its anchor (upwards for a bottom-anchored title). A
    title that fits in max_lines lines at its preferred size keeps that size; one
    that needs more shrinks until it takes max_lines lines. When no size down to
    the floor gives max_lines lines that fit the room, the largest size at which
    the title fits the room in any number of lines wins, below the floor as a last
    resort (fits is False only when even ``MIN_LEGIBLE_PT`` does not fit).
    max_lines None means only the height counts (statements).
    """
    preferred = style.size_pt
    floor = min(floor, preferred)
    room = room or box
    width = box.w - 2 * inset
    if not enabled or width <= 0:
        return TitleFit(preferred, box, 0, preferred, floor)

    def measured(size: float) -> tuple[int, int]:
        sized = replace(style, size_pt=size)
        lines = measure.line_count(paragraphs, sized, width)
        return lines, measure.text_height(paragraphs, sized, width) + 2 * inset

    ladder = size_ladder(preferred, floor)
    for size in ladder:
        lines, height = measured(size)
        if (max_lines is None or lines <= max_lines) and height <= room.h:
            return TitleFit(size, _grow(box, room, height, anchor), lines, preferred, floor)
    for size in ladder + below_floor_ladder(floor):
        lines, height = measured(size)
        if height <= room.h:
            return TitleFit(size, _grow(box, room, height, anchor), lines, preferred, floor)
    lines, height = measured(MIN_LEGIBLE_PT)
    return TitleFit(min(MIN_LEGIBLE_PT, floor), room, lines, preferred, floor, fits=False)


def _grow(box: Box, room: Box, height: int, anchor: str) -> Box:
    """Return box grown to height inside room, away from its anchored edge."""
    if height <= box.h:
        return box
    height = min(height, room.h)
    if anchor == "top":
        return Box(box.x, box.y, box.w, height)
    if anchor == "middle":
        middle = box.y + box.h // 2
        top = min(max(room.y, middle - height // 2), room.bottom - height)
        return Box(box.x, top, box.w, height)
    return Box(box.x, max(room.y, box.bottom - height), box.w, height)
