"""Remember the metrics fonts.py reads from a font file, across runs.

Reading one face with fontTools costs 5-25 ms, and importing fontTools 15 ms
more; every build measures with half a dozen faces. The cache keeps, per face,
the numbers measuring needs: units per em, the line-height ratio and the advance
of every character the face maps. An entry is keyed by the file's path, face
index, size and modification time, so a font that changes is read again.

The cache lives in $DECKWRIGHT_CACHE_DIR, else $XDG_CACHE_HOME/deckwright, else
~/.cache/deckwright; DECKWRIGHT_CACHE_DIR=off turns it off. It is plain JSON,
written through a temporary file and a rename; an entry that cannot be read,
written or trusted is ignored and the font is read again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Optional

VERSION = 1
_OFF = {"", "0", "off", "no", "false"}


def cache_dir() -> Optional[Path]:
    """Return the cache folder, or None when caching is turned off."""
    value = os.environ.get("DECKWRIGHT_CACHE_DIR")
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "deckwright"


def _entry(path: str, index: int) -> Optional[Path]:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = f"{VERSION}\0{os.path.abspath(path)}\0{index}\0{stat.st_size}\0{stat.st_mtime_ns}"
    return folder / "fonts" / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + ".json")


def load_face(path: str, index: int) -> Optional[tuple[int, float, dict, dict]]:
    """Return (units_per_em, line_ratio, cmap, advances) of a face, or None if not cached.

    cmap maps code points to themselves and advances maps them to (advance, 0), so
    ``advances[cmap[cp]][0]`` is the advance as it is for fontTools' glyph names.
    """
    entry = _entry(path, index)
    if entry is None:
        return None
    try:
        with open(entry, encoding="utf-8") as handle:
            data = json.load(handle)
        units, ratio = int(data["units_per_em"]), float(data["line_ratio"])
        points, widths = data["code_points"], data["advances"]
        if units <= 0 or len(points) != len(widths):
            return None
        cmap = {int(point): int(point) for point in points}
        pairs = zip(points, widths, strict=True)
        advances = {int(point): (int(width), 0) for point, width in pairs}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return units, ratio, cmap, advances


def store_face(path: str, index: int, face: Any) -> None:
    """Remember a face read with fontTools (see fonts._Face); failures are ignored."""
    entry = _entry(path, index)
    if entry is None:
        return
    try:
        points = sorted(face.cmap)
        data = {"units_per_em": face.units_per_em, "line_ratio": face.line_ratio,
                "code_points": points,
                "advances": [face.advances[face.cmap[point]][0] for point in points]}
        text = json.dumps(data, separators=(",", ":"))
    except (KeyError, TypeError, ValueError, IndexError):
        return
    temp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, entry)
    except OSError:
        try:
            temp.unlink()
        except OSError:
            pass
