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


def paragraphs_height(
    paragraphs: Sequence[Paragraph], style: TextStyle, size_pt: float, width: int
) -> int:
    """Return the height of paragraphs set at size_pt in a text area width wide."""
    return measure.text_height(list(paragraphs), replace(style, size_pt=size_pt), width)


def fit_units(
    units: Sequence[U],
    height_of: HeightOf,
    available: int,
    preferred: float,
    floor: float,
    enabled: bool = True,
    *,
    soft_breaks: Sequence[float] | None = None,
) -> Fit[U]:
    """Fit units (bullets with their children, table rows, code lines) into available EMU.

    height_of(units, size) is the height the units take together at a size. With
    fitting disabled everything goes on one page at the preferred size.
    soft_breaks[i] says how good a place the end of unit i is for a page to end:
    1 (or True) a structural boundary (a blank line, between top-level statements),
    0.5 (or False) nothing known, 0 inside a statement (see break_cost). Without
    it every place between units is as good as any other (bullets, table rows).
    Continued units take as many pages as filling each page in turn would, with
    pages of similar height, ending at the best places (see _paginate).
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
    size = next((s for s in ladder if all(height_of([u], s) <= available for u in normal)), floor)
    # A plain "no" is "nothing known", not "inside a statement".
    soft = (
        [0.5 if b is False else float(b) for b in soft_breaks]
        if soft_breaks is not None
        else [1.0] * len(units)
    )
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


def break_cost(score: float) -> float:
    """Return what ending a page at a place of this soft-break score costs.

    A structural boundary costs nothing; other places between statements, or a
    place nothing is known about, cost about as much as one page 30% off the mean
    height (see _paginate); a poor one (before a closing brace) about twice that;
    a place inside a statement more than the most lopsided pages cost, so it is
    taken only when no split into as many pages at better places fits.
    """
    if score <= 0:
        return 10.0
    return 0.2 * (1.0 - min(score, 1.0))


def _paginate(
    result: Fit[U],
    units: list[U],
    run: list[int],
    soft: list[float],
    height_of: HeightOf,
    size: float,
    available: int,
) -> None:
    """Append the units at indexes run to result's pages at size.

    The page count is the one filling each page in turn gives (the fewest). The
    pages are then chosen among all splits into that many pages that fit: the one
    whose pages are closest to the same height (the sum of squared differences
    from the mean, relative to it) plus the break_cost of where they end, with the
    earlier pages the fuller on a tie. 36 equal lines that need three pages split
    12/12/12, not 16/16/4; at blank lines and between statements where those are
    near.
    """
    if not run:
        return
    chosen = [units[i] for i in run]
    greedy = _fill(chosen, height_of, size, available)
    pages = greedy
    if len(greedy) > 1:
        pages = (
            _balanced(chosen, [soft[i] for i in run], height_of, size, available, len(greedy))
            or greedy
        )
    result.pages.extend(pages)
    result.sizes.extend([size] * len(pages))


def _fill(units: list[U], height_of: HeightOf, size: float, available: int) -> list[list[U]]:
    """Fill pages in turn, each with as many units as fit."""
    pages: list[list[U]] = [[]]
    for unit in units:
        if pages[-1] and height_of(pages[-1] + [unit], size) > available:
            pages.append([])
        pages[-1].append(unit)
    return pages


def _balanced(
    units: list[U], soft: list[float], height_of: HeightOf, size: float, available: int, count: int
) -> list[list[U]] | None:
    """Return units split into count pages that fit, the cheapest (see _paginate).

    Heights of a page are measured whole to decide what fits; for the balance
    they are summed from each unit's own height (above what an empty page takes,
    a table's header), which is close enough to compare splits. A page's height
    only grows with its units, so the pages that fit are found in one pass, and
    the search only visits the page ends that leave room for the pages before and
    after them (about units x page length x page length).
    """
    n = len(units)
    base = height_of([], size)
    prefix = [0]
    for unit in units:
        prefix.append(prefix[-1] + max(height_of([unit], size) - base, 0))
    mean = max(prefix[-1] / count, 1)
    # reach[i]: the end (exclusive) of the longest page that starts at unit i and fits.
    reach = [0] * n
    end = 1
    for start in range(n):
        end = max(end, start + 1)
        while end < n and height_of(units[start : end + 1], size) <= available:
            end += 1
        reach[start] = end
    # first[j]: the earliest start of a page that ends at j (exclusive) and fits.
    first = [0] * (n + 1)
    start = 0
    for j in range(1, n + 1):
        while reach[start] < j:
            start += 1
        first[j] = start
    # Page p may end at j only when p pages can hold units[:j] and the other pages the rest.
    most = [0]
    for _ in range(count):
        most.append(reach[most[-1]] if most[-1] < n else n)
    least = [n]
    for _ in range(count):
        least.append(first[least[-1]])
    if most[count] < n:
        return None
    infinite = float("inf")
    best: list[dict[int, float]] = [{0: 0.0}]
    back: list[dict[int, int]] = [{}]
    for page in range(1, count + 1):
        costs: dict[int, float] = {}
        starts: dict[int, int] = {}
        previous = best[page - 1]
        for j in range(max(least[count - page], page), most[page] + 1):
            ending = 0.0 if j == n else break_cost(soft[j - 1])
            for i in range(j - 1, first[j] - 1, -1):  # later starts first: ties keep them
                if i not in previous:
                    continue
                deviation = (prefix[j] - prefix[i] - mean) / mean
                cost = previous[i] + deviation * deviation + ending
                if cost < costs.get(j, infinite) - 1e-9:
                    costs[j] = cost
                    starts[j] = i
        best.append(costs)
        back.append(starts)
    if n not in best[count]:
        return None
    pages: list[list[U]] = []
    j = n
    for page in range(count, 0, -1):
        i = back[page][j]
        pages.append(units[i:j])
        j = i
    pages.reverse()
    if any(height_of(page, size) > available for page in pages):
        return None  # a height that did not only grow with its units: fill in turn instead
    return pages


def _last_resort(
    unit: U, height_of: HeightOf, available: int, floor: float, result: Fit[U]
) -> float:
    """Return the largest size under the floor at which a unit fits alone (else overflow)."""
    for size in below_floor_ladder(floor):
        if height_of([unit], size) <= available:
            return size
    result.overflow = True
    return MIN_LEGIBLE_PT if MIN_LEGIBLE_PT < floor else floor


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


def fit_title(
    paragraphs: list[Paragraph],
    style: TextStyle,
    box: Box,
    inset: int,
    floor: float,
    enabled: bool = True,
    *,
    room: Box | None = None,
    max_lines: int | None = 2,
    anchor: str = "bottom",
) -> TitleFit:
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
