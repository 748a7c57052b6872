"""Lengths and rectangles in EMU, the unit of OOXML (914,400 to the inch)."""

from __future__ import annotations

from dataclasses import dataclass

EMU_PER_INCH = 914400
EMU_PER_PT = 12700


def inches(value: float) -> int:
    """Return value inches in EMU, rounded down as every box on a slide is."""
    return int(value * EMU_PER_INCH)


def points(value: float) -> int:
    """Return value points in EMU."""
    return int(value * EMU_PER_PT)


@dataclass(frozen=True)
class Box:
    """A rectangle in EMU, origin at the slide's top-left corner."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def area(self) -> int:
        return max(self.w, 0) * max(self.h, 0)

    def inset(self, dx: int, dy: int | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.x + dx, self.y + dy, max(0, self.w - 2 * dx), max(0, self.h - 2 * dy))

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def intersection(self, other: Box) -> Box | None:
        x, y = max(self.x, other.x), max(self.y, other.y)
        right, bottom = min(self.right, other.right), min(self.bottom, other.bottom)
        if right <= x or bottom <= y:
            return None
        return Box(x, y, right - x, bottom - y)


def covered(box: Box, obstacles: list[Box]) -> float:
    """Return the fraction of box that obstacles cover (overlaps counted once per obstacle,
    so the result may overestimate; capped at 1)."""
    if box.area == 0:
        return 0.0
    total = sum(part.area for o in obstacles if (part := box.intersection(o)) is not None)
    return min(1.0, total / box.area)


def largest_free(
    box: Box, obstacles: list[Box], min_w: int = 0, min_h: int = 0, keep: int = 64
) -> Box | None:
    """Return the largest rectangle inside box that no obstacle overlaps (None: none of
    at least min_w by min_h).

    Maximal empty rectangles: each obstacle splits every free rectangle it overlaps into
    the parts left, right, above and below it. At most `keep` candidates are carried from
    one obstacle to the next, so the work stays linear in the obstacles.
    """
    free = [box]
    for obstacle in obstacles:
        if not obstacle.overlaps(box):
            continue
        pieces: list[Box] = []
        for rect in free:
            if not rect.overlaps(obstacle):
                pieces.append(rect)
                continue
            pieces += [
                Box(rect.x, rect.y, obstacle.x - rect.x, rect.h),
                Box(obstacle.right, rect.y, rect.right - obstacle.right, rect.h),
                Box(rect.x, rect.y, rect.w, obstacle.y - rect.y),
                Box(rect.x, obstacle.bottom, rect.w, rect.bottom - obstacle.bottom),
            ]
        pieces = [p for p in pieces if p.w >= max(min_w, 1) and p.h >= max(min_h, 1)]
        pieces.sort(key=lambda p: -p.area)
        free = []
        for piece in pieces:
            if not any(_contains(other, piece) for other in free):
                free.append(piece)
            if len(free) >= keep:
                break
        if not free:
            return None
    return max(free, key=lambda p: p.area) if free else None


def _contains(outer: Box, inner: Box) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )
