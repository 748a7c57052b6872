"""Remember the metrics fonts.py reads from a font file, across runs (see diskcache).

Reading one face with fontTools costs 5-25 ms, and importing fontTools 15 ms
more; every build measures with half a dozen faces. The cache keeps, per face,
the numbers measuring needs: units per em, the line-height ratio and the advance
of every character the face maps. An entry is keyed by the file's path, face
index, size and modification time, so a font that changes is read again.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from generator import diskcache

VERSION = 1


def _key(path: str, index: int) -> Optional[str]:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return f"face {VERSION}\0{os.path.abspath(path)}\0{index}\0{stat.st_size}\0{stat.st_mtime_ns}"


def load_face(
    path: str, index: int
) -> Optional[tuple[int, float, dict[int, int | str], dict[int | str, tuple[int, int]]]]:
    """Return (units_per_em, line_ratio, cmap, advances) of a face, or None if not cached.

    cmap maps code points to themselves and advances maps them to (advance, 0), so
    ``advances[cmap[cp]][0]`` is the advance, as it is with fontTools' glyph names.
    """
    key = _key(path, index)
    data = diskcache.load("fonts", key) if key else None
    if data is None:
        return None
    try:
        units, ratio = int(data["units_per_em"]), float(data["line_ratio"])
        points, widths = data["code_points"], data["advances"]
        if units <= 0:
            return None
        pairs = list(zip(points, widths, strict=True))
        cmap: dict[int, int | str] = {int(point): int(point) for point, _ in pairs}
        advances: dict[int | str, tuple[int, int]] = {
            int(point): (int(width), 0) for point, width in pairs
        }
    except (ValueError, KeyError, TypeError):
        return None
    return units, ratio, cmap, advances


def store_face(path: str, index: int, face: Any) -> None:
    """Remember a face read with fontTools (see fonts._Face); failures are ignored."""
    key = _key(path, index)
    if key is None:
        return
    try:
        points = sorted(face.cmap)
        data = {
            "units_per_em": face.units_per_em,
            "line_ratio": face.line_ratio,
            "code_points": points,
            "advances": [face.advances[face.cmap[point]][0] for point in points],
        }
    except (KeyError, TypeError, ValueError, IndexError):
        return
    diskcache.store("fonts", key, data)
