"""Find font files and measure text with their real advance widths.

A theme names fonts by family ("Calibri", "Inter"); this module finds the file
that stands in for each one here, through fontconfig's ``fc-match`` or, without
it, a scan of the usual font folders.

When a family is missing, a metric-compatible font wins (Carlito for Calibri,
Caladea for Cambria, Liberation Sans/Serif/Mono for Arial/Times New Roman/Courier
New, Noto Sans CJK for Noto Sans JP). Without one, a family whose average width is
known (fontwidths.py: Segoe UI, Helvetica Neue, Calibri Light, Aptos, Source Sans,
Montserrat, the CJK fonts, ...) gets the narrowest installed stand-in that is no
narrower, so a measurement errs on the side of "does not fit":

- Calibri Light: Carlito (Calibri's widths; the light cut sets no wider)
- Segoe UI, Lato, Roboto, Source Sans Pro, Corbel: Liberation Sans
- Helvetica Neue, Aptos, Trebuchet MS, Source Sans Pro Black: DejaVu Sans Condensed
- Noto Sans, Inter, Montserrat, Verdana, Meiryo: DejaVu Sans
- MS Gothic, SimSun (half-width Latin): Noto Sans Mono CJK JP
- Consolas, Menlo, Monaco, Fira Code and other code fonts: DejaVu Sans Mono
  (the widest common monospace), then Liberation Mono

Other families take the substitute table, then fontconfig's choice.

A renderer that relies on fontconfig (LibreOffice, and so ``build -f pdf``)
draws a missing family with whatever ``fc-match`` says, which for most unknown
families is DejaVu Sans. :class:`FontMetrics` therefore measures each character
as the wider of the substitute and that renderer face, so text fits both in
PowerPoint with the real font (approximated by the substitute) and in the PDF.

Single line spacing is 1.2 x the font size in PowerPoint and in LibreOffice's
PowerPoint import (measured with LibreOffice 7.4: the pitch is 1.2 x size for
every font tried, from Liberation Sans to Noto Sans CJK); a font whose own
ascent + descent + line gap is taller gets its own height, to be safe.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.layout import fontwidths
from generator.model.geometry import EMU_PER_PT

#: Single line spacing as a multiple of the font size (PowerPoint and LibreOffice).
LINE_HEIGHT_FACTOR = 1.2

# Strings whose widths one FontMetrics remembers before it starts over.
_UNITS_CACHE_LIMIT = 200_000

#: Width of a character no installed font has, in ems; never 0.
MISSING_GLYPH_EM = 1.0

_GENERIC_FAMILIES = {"sans", "sans-serif", "serif", "monospace", "mono", "system-ui"}

# Requested family (lower case) -> substitutes in order of preference, for families that
# have a metric-compatible stand-in or whose average width is not known (fontwidths.py
# picks by width for the others).
_SUBSTITUTES: dict[str, tuple[str, ...]] = {
    # Metric-compatible: same advance widths as the original.
    "calibri": ("Carlito",),
    "cambria": ("Caladea",),
    "arial": ("Liberation Sans", "Arimo"),
    "helvetica": ("Liberation Sans", "Arimo"),
    "nimbus sans": ("Liberation Sans", "Arimo"),
    "arial narrow": ("Liberation Sans Narrow", "Liberation Sans"),
    "times new roman": ("Liberation Serif", "Tinos"),
    "times": ("Liberation Serif", "Tinos"),
    "courier new": ("Liberation Mono", "Cousine"),
    "courier": ("Liberation Mono", "Cousine"),
    "noto sans jp": ("Noto Sans CJK JP",),
    "noto sans sc": ("Noto Sans CJK SC",),
    "noto sans tc": ("Noto Sans CJK TC",),
    "noto sans kr": ("Noto Sans CJK KR",),
    "source han sans": ("Noto Sans CJK JP",),
    # Width unknown: the closest guess, rounded towards wider.
    "source sans 3 light": ("Liberation Sans", "DejaVu Sans"),
    "aptos narrow": ("Liberation Sans", "DejaVu Sans"),
    "open sans": ("DejaVu Sans", "Liberation Sans"),
    "century gothic": ("DejaVu Sans", "Liberation Sans"),
    "poppins": ("DejaVu Sans", "Liberation Sans"),
    "nunito": ("DejaVu Sans", "Liberation Sans"),
    "raleway": ("DejaVu Sans", "Liberation Sans"),
    "garamond": ("Liberation Serif", "Caladea"),
    "consolas": ("DejaVu Sans Mono", "Liberation Mono"),
    "menlo": ("DejaVu Sans Mono", "Liberation Mono"),
    "monaco": ("DejaVu Sans Mono", "Liberation Mono"),
    "sf mono": ("DejaVu Sans Mono", "Liberation Mono"),
    "cascadia code": ("DejaVu Sans Mono", "Liberation Mono"),
    "cascadia mono": ("DejaVu Sans Mono", "Liberation Mono"),
    "fira code": ("DejaVu Sans Mono", "Liberation Mono"),
    "fira mono": ("DejaVu Sans Mono", "Liberation Mono"),
    "jetbrains mono": ("DejaVu Sans Mono", "Liberation Mono"),
    "source code pro": ("DejaVu Sans Mono", "Liberation Mono"),
    "ubuntu mono": ("DejaVu Sans Mono", "Liberation Mono"),
}

# Stand-ins with the same advance widths as the family they replace: measuring with one
# is measuring with the original.
_METRIC_COMPATIBLE: dict[str, frozenset[str]] = {
    "calibri": frozenset({"carlito"}),
    "cambria": frozenset({"caladea"}),
    "arial": frozenset({"liberation sans", "arimo"}),
    "helvetica": frozenset({"liberation sans", "arimo"}),
    "nimbus sans": frozenset({"liberation sans", "arimo"}),
    "arial narrow": frozenset({"liberation sans narrow"}),
    "times new roman": frozenset({"liberation serif", "tinos"}),
    "times": frozenset({"liberation serif", "tinos"}),
    "courier new": frozenset({"liberation mono", "cousine"}),
    "courier": frozenset({"liberation mono", "cousine"}),
    "menlo": frozenset({"dejavu sans mono"}),  # Menlo is derived from DejaVu Sans Mono
    # The same fonts under the names Google and Adobe give them.
    "noto sans jp": frozenset({"noto sans cjk jp"}),
    "noto sans sc": frozenset({"noto sans cjk sc"}),
    "noto sans tc": frozenset({"noto sans cjk tc"}),
    "noto sans kr": frozenset({"noto sans cjk kr"}),
    "source han sans": frozenset({"noto sans cjk jp"}),
}
# The widest common monospace (0.602 em; Consolas is 0.55, Monaco, Fira Code, JetBrains
# Mono and Source Code Pro 0.6): code that fits measured with it fits with any of them.
_WIDEST_MONOSPACE = "dejavu sans mono"

# Last resorts by kind, for families not in the table above.
_KIND_DEFAULTS = {
    "mono": ("DejaVu Sans Mono", "Liberation Mono", "Courier New"),
    "serif": ("DejaVu Serif", "Liberation Serif", "Times New Roman"),
    "sans": ("DejaVu Sans", "Liberation Sans", "Carlito", "Arial", "Helvetica"),
}

_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
    "/System/Library/Fonts",
    "C:\\Windows\\Fonts",
)
_FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}

# fontTools logs harmless complaints about odd head tables; keep them out of CLI output.
logging.getLogger("fontTools").setLevel(logging.ERROR)


@dataclass(frozen=True)
class ResolvedFont:
    """The font file that stands in for a requested family and style.

    ``path`` is None only when no font file at all is installed; measurements
    then use a rough built-in estimate. ``render_path`` is the face a
    fontconfig-based renderer draws instead, when that differs from ``path``.
    """

    requested: str
    path: str | None
    family: str
    substituted: bool
    index: int = 0
    bold: bool = False
    italic: bool = False
    render_path: str | None = None
    render_index: int = 0
    render_family: str = ""


def _kind(family: str) -> str:
    """Guess whether an unknown family is monospace, serif or sans."""
    name = family.lower()
    if any(word in name for word in ("mono", "code", "courier", "consol", "terminal")):
        return "mono"
    if "serif" in name and "sans" not in name:
        return "serif"
    if name in {"serif"} or any(word in name for word in ("times", "roman", "garamond")):
        return "serif"
    return "sans"


def _style_suffix(bold: bool, italic: bool) -> str:
    return (":bold" if bold else "") + (":italic" if italic else "")


@functools.cache
def _fc_match_available() -> bool:
    return shutil.which("fc-match") is not None


@functools.lru_cache(maxsize=1024)
def _fc_match(pattern: str) -> tuple[str, int, str] | None:
    """Return (file, index, family) that fontconfig picks for a pattern."""
    from generator.layout import fontconfig

    # In process when libfontconfig loads (same answer, no process per pattern).
    out = fontconfig.match(pattern, "%{file}\n%{index}\n%{family}\n")
    try:
        if out is None:
            out = subprocess.run(
                ["fc-match", "--format=%{file}\n%{index}\n%{family}\n", pattern],
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.split("\n")
    if len(parts) < 3 or not parts[0]:
        return None
    try:
        index = int(parts[1] or 0)
    except ValueError:
        index = 0
    # A family may come back as "DejaVu Sans,DejaVu Sans Condensed"; keep the list
    # in the third slot joined by commas, the first name being the family proper.
    return parts[0], index, parts[2].strip()


def _names(hit: tuple[str, int, str]) -> list[str]:
    return [name.strip() for name in hit[2].split(",") if name.strip()]


def _font_dirs() -> Iterable[Path]:
    for raw in _FONT_DIRS:
        if raw.startswith("C:") and sys.platform != "win32":
            continue
        path = Path(os.path.expanduser(raw))
        if path.is_dir():
            yield path


def _read_faces(path: Path) -> list[tuple[int, str, bool, bool]]:
    """Return (index, family, bold, italic) for each face in a font file; [] if unreadable."""
    from fontTools.ttLib import TTCollection, TTFont

    faces: list[tuple[int, str, bool, bool]] = []
    try:
        if path.suffix.lower() in {".ttc", ".otc"}:
            container: TTCollection | TTFont = TTCollection(str(path), lazy=True)
            fonts = list(container.fonts)
        else:
            container = TTFont(str(path), lazy=True)
            fonts = [container]
    except Exception:  # noqa: BLE001 - a broken font file must not stop a build
        return faces
    with container:
        try:
            for number, font in enumerate(fonts):
                name = font["name"]
                family = name.getDebugName(16) or name.getDebugName(1)
                selection = font["OS/2"].fsSelection if "OS/2" in font else 0
                if family:
                    faces.append((number, family, bool(selection & 0x20), bool(selection & 0x01)))
        except Exception:  # noqa: BLE001
            return faces
    return faces


@functools.lru_cache(maxsize=1)
def _scan_index() -> dict[str, dict[tuple[bool, bool], tuple[str, int]]]:
    """Index installed fonts by lower-case family, then by (bold, italic)."""
    index: dict[str, dict[tuple[bool, bool], tuple[str, int]]] = {}
    for folder in _font_dirs():
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in _FONT_SUFFIXES:
                continue
            for number, family, bold, italic in _read_faces(path):
                faces = index.setdefault(family.lower(), {})
                faces.setdefault((bold, italic), (str(path), number))
    return index


def _scan_match(family: str, bold: bool, italic: bool) -> tuple[str, int, str] | None:
    """Find a family by scanning font folders; prefer the exact style."""
    faces = _scan_index().get(family.lower())
    if not faces:
        return None
    for style in ((bold, italic), (bold, False), (False, italic), (False, False)):
        if style in faces:
            path, number = faces[style]
            return path, number, family
    path, number = next(iter(faces.values()))
    return path, number, family


def _find(family: str, bold: bool, italic: bool) -> tuple[str, int, str] | None:
    """Return (file, index, family) for an installed family, or None if it is missing."""
    if _fc_match_available():
        hit = _fc_match(family + _style_suffix(bold, italic))
        if hit and family.lower() in (name.lower() for name in _names(hit)):
            return hit[0], hit[1], family
        return None
    return _scan_match(family, bold, italic)


def _renderer_choice(family: str, bold: bool, italic: bool) -> tuple[str, int, str] | None:
    """Return what fontconfig (and so LibreOffice) draws for a family, if it can tell."""
    if not _fc_match_available():
        return None
    hit = _fc_match(family + _style_suffix(bold, italic))
    return (hit[0], hit[1], _names(hit)[0]) if hit and _names(hit) else None


@functools.lru_cache(maxsize=256)
def resolve_font(family: str, bold: bool = False, italic: bool = False) -> ResolvedFont:
    """Return the installed font that stands in for a family and style.

    An installed family is used as is. A missing one takes a metric-compatible
    stand-in, else (its average width known) the narrowest installed stand-in no
    narrower than it, else the first installed entry of the substitute table, else
    fontconfig's own choice, else a default of its kind (sans, serif or mono).
    Generic names ("sans-serif", "monospace") and the empty string never count as
    substituted.
    """
    requested = family.strip()
    generic = requested.lower() in _GENERIC_FAMILIES or not requested
    if generic:
        requested = {"mono": "monospace", "": "sans-serif", "sans": "sans-serif"}.get(
            requested.lower(), requested.lower()
        )
    else:
        hit = _find(requested, bold, italic)
        if hit:
            return ResolvedFont(requested, hit[0], hit[2], False, hit[1], bold, italic)

    renderer = _renderer_choice(requested, bold, italic)
    kind = "mono" if requested == "monospace" else _kind(requested)
    candidates = () if generic else _stand_ins(requested)
    hit = None
    for candidate in candidates:
        hit = _find(candidate, bold, italic)
        if hit:
            break
    if hit is None and renderer is not None and (generic or _kind(renderer[2]) == kind):
        hit = renderer
    if hit is None:
        for candidate in _KIND_DEFAULTS[kind]:
            hit = _find(candidate, bold, italic)
            if hit:
                break
    if hit is None:
        hit = renderer or _any_font()
    if hit is None:
        return ResolvedFont(family, None, "", True, 0, bold, italic)
    render_path, render_index, render_family = None, 0, ""
    if renderer is not None and (renderer[0], renderer[1]) != (hit[0], hit[1]):
        render_path, render_index, render_family = renderer
    return ResolvedFont(
        requested=family,
        path=hit[0],
        family=hit[2],
        substituted=not generic,
        index=hit[1],
        bold=bold,
        italic=italic,
        render_path=render_path,
        render_index=render_index,
        render_family=render_family,
    )


def _stand_ins(family: str) -> tuple[str, ...]:
    """Return the families to try for a missing one, in order.

    Metric-compatible ones first; then, when the family's average width is known,
    every stand-in no narrower (narrowest first) and, last, the widest of its kind;
    else the substitute table.
    """
    name = family.lower()
    table = _SUBSTITUTES.get(name, ())
    compatible = tuple(c for c in table if c.lower() in _METRIC_COMPATIBLE.get(name, ()))
    if fontwidths.original_width(family) is None:
        return compatible + tuple(c for c in table if c not in compatible)
    return (*compatible, *fontwidths.candidates(family), fontwidths.widest(family))


def stand_in_widths(resolved: ResolvedFont) -> tuple[float, float] | None:
    """Return (original, stand-in) average Latin advances in ems, when both are known."""
    original = fontwidths.original_width(resolved.requested)
    used = fontwidths.stand_in_width(resolved.family)
    return None if original is None or used is None else (original, used)


def substitution_kind(resolved: ResolvedFont) -> str | None:
    """Return how a stand-in measures compared with the family it replaces.

    None: nothing was substituted. "compatible": the stand-in has the same advance
    widths (Liberation Sans for Arial). "wider": its average width is no narrower than
    the original's (stand_in_widths), or a monospace family is measured with the widest
    common monospace, so what fits here fits with the original too. "approximate":
    anything else; text may fit differently where the original is installed.
    """
    if not resolved.substituted:
        return None
    requested, used = resolved.requested.strip().lower(), resolved.family.lower()
    if used in _METRIC_COMPATIBLE.get(requested, ()):
        return "compatible"
    widths = stand_in_widths(resolved)
    if widths is not None:
        return "wider" if fontwidths.no_narrower(widths[1], widths[0]) else "approximate"
    if (
        _kind(requested) == "mono"
        or requested in _SUBSTITUTES
        and _kind(_SUBSTITUTES[requested][0]) == "mono"
    ):
        if used == _WIDEST_MONOSPACE:
            return "wider"
    return "approximate"


def _any_font() -> tuple[str, int, str] | None:
    """Return some installed font, for systems without any of the usual ones."""
    index = _scan_index()
    if not index:
        return None
    family = min(index)
    path, number = index[family].get((False, False)) or next(iter(index[family].values()))
    return path, number, family


class _Face:
    """Advance widths and vertical metrics of one font file."""

    path: str
    units_per_em: int
    line_ratio: float
    #: code point -> glyph key: a glyph name from fontTools, the code point from fontcache
    cmap: Mapping[int, int | str]
    #: glyph key -> (advance, left side bearing), in font units
    advances: Mapping[int | str, tuple[int, int]]

    def __init__(self, path: str, index: int = 0) -> None:
        from generator.layout import fontcache

        cached = fontcache.load_face(path, index)  # read before, by any build
        if cached is not None:
            self.path = path
            self.units_per_em, self.line_ratio, self.cmap, self.advances = cached
            return
        from fontTools.ttLib import TTFont

        # lazy=True parses only the tables touched below, which keeps CJK fonts cheap.
        with TTFont(path, fontNumber=index, lazy=True) as font:
            self.path = path
            self.units_per_em = font["head"].unitsPerEm
            self.cmap = font.getBestCmap() or {}
            self.advances = font["hmtx"].metrics
            hhea = font["hhea"]
            height = hhea.ascent - hhea.descent + hhea.lineGap
            if "OS/2" in font:
                # The larger of hhea and the Windows metrics: PowerPoint and LibreOffice
                # disagree on which they use, and a taller line is the safe guess.
                os2 = font["OS/2"]
                height = max(height, os2.usWinAscent + os2.usWinDescent)
        self.line_ratio = height / self.units_per_em
        fontcache.store_face(path, index, self)

    def width_em(self, ch: str) -> float | None:
        """Return the advance of a character in ems, or None if the font lacks it."""
        glyph = self.cmap.get(ord(ch))
        if glyph is None:
            return None
        return self.advances[glyph][0] / self.units_per_em


@functools.lru_cache(maxsize=64)
def _face(path: str, index: int) -> _Face:
    return _Face(path, index)


@functools.lru_cache(maxsize=4096)
def _fallback_for_char(ch: str) -> _Face | None:
    """Return a face that has a character the measured fonts lack."""
    for face in _fallback_faces():
        if ord(ch) in face.cmap:
            return face
    if _fc_match_available():
        hit = _fc_match(f":charset={ord(ch):x}")
        if hit:
            face = _face(hit[0], hit[1])
            if ord(ch) in face.cmap:
                return face
    return None


# Fallbacks for characters the measured fonts lack: fontconfig patterns when it is
# there, else family names a folder scan can find (CJK first, then broad coverage).
_FALLBACK_PATTERNS = (
    "sans:lang=ja",
    "sans:lang=zh-cn",
    "sans:lang=ko",
    "DejaVu Sans",
    "OpenSymbol",
)
_FALLBACK_FAMILIES = (
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Source Han Sans",
    "Yu Gothic",
    "Microsoft YaHei",
    "MS Gothic",
    "Hiragino Sans",
    "PingFang SC",
    "Malgun Gothic",
    "Arial Unicode MS",
    "DejaVu Sans",
    "Segoe UI Symbol",
)


@functools.lru_cache(maxsize=1)
def _fallback_faces() -> tuple[_Face, ...]:
    """Return the faces that measure characters missing from the requested font."""
    if _fc_match_available():
        hits = [_fc_match(pattern) for pattern in _FALLBACK_PATTERNS]
    else:
        hits = [_scan_match(family, False, False) for family in _FALLBACK_FAMILIES]
    faces: list[_Face] = []
    seen: set[tuple[str, int]] = set()
    for hit in hits:
        if hit and (hit[0], hit[1]) not in seen:
            seen.add((hit[0], hit[1]))
            face = _try_face(hit[0], hit[1])
            if face is not None:
                faces.append(face)
    return tuple(faces)


def _try_face(path: str, index: int) -> _Face | None:
    """Return a face, or None when its file cannot be read (it is then only skipped)."""
    try:
        return _face(path, index)
    except Exception:  # noqa: BLE001
        return None


# Combining marks and format characters (zero-width space, joiners) have no advance.
_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


class _Widths(dict[str, float]):
    """Character -> advance in EMU per point of size, filled on first use."""

    def __init__(self, faces: tuple[_Face, ...]) -> None:
        super().__init__()
        self._faces = faces

    def __missing__(self, ch: str) -> float:
        value = self._compute(ch)
        self[ch] = value
        return value

    def _compute(self, ch: str) -> float:
        if ch == "\t":
            # A tab really jumps to the next tab stop; callers should expand tabs first.
            return 4 * self["\u0020"]
        category = unicodedata.category(ch)
        if category == "Cc":
            return 0.0  # line breaks and other controls take no room
        ems = [w for w in (face.width_em(ch) for face in self._faces) if w is not None]
        if not ems:
            fallback = _fallback_for_char(ch)
            width = fallback.width_em(ch) if fallback else None
            if width is None:
                if category in _ZERO_WIDTH_CATEGORIES:
                    return 0.0
                width = _estimate_em(ch) if not self._faces else MISSING_GLYPH_EM
            ems = [width]
        em = max(ems)
        if em <= 0 and category not in _ZERO_WIDTH_CATEGORIES:
            # A spacing character that reports no advance would let text overflow.
            em = MISSING_GLYPH_EM
        return em * EMU_PER_PT


def _estimate_em(ch: str) -> float:
    """Estimate a width without any font file: wide scripts 1 em, else a wide-ish Latin."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    return 0.3 if ch == " " else 0.62


class FontMetrics:
    """Widths and line height of one family and style, as measured here."""

    def __init__(self, resolved: ResolvedFont) -> None:
        self.resolved = resolved
        faces: list[_Face] = []
        for path, index in (
            (resolved.path, resolved.index),
            (resolved.render_path, resolved.render_index),
        ):
            if path:
                faces.append(_face(path, index))
        self._faces = tuple(faces)
        self.widths = _Widths(self._faces)
        self._units: dict[str, float] = {}
        ratio = max([LINE_HEIGHT_FACTOR] + [face.line_ratio for face in faces[:1]])
        self.line_ratio = ratio
        self.family_used = resolved.family or "built-in estimate"
        self.substituted_from: str | None = resolved.requested if resolved.substituted else None

    def __repr__(self) -> str:
        return f"FontMetrics({self.family_used!r}, substituted_from={self.substituted_from!r})"

    def units(self, text: str) -> float:
        """Return the width of text in EMU per point of size (multiply by the size).

        Words repeat across a deck, so widths of whole strings are cached too.
        """
        cache = self._units
        width = cache.get(text)
        if width is None:
            if len(cache) > _UNITS_CACHE_LIMIT:
                cache.clear()
            width = cache[text] = sum(map(self.widths.__getitem__, text))
        return width

    def line_height(self, size_pt: float) -> int:
        """Return the single-spaced line pitch at a size, in EMU."""
        return round(self.line_ratio * size_pt * EMU_PER_PT)


@functools.lru_cache(maxsize=256)
def font_metrics(family: str, bold: bool = False, italic: bool = False) -> FontMetrics:
    """Return the (cached) metrics for a family and style."""
    return FontMetrics(resolve_font(family, bold, italic))


def clear_caches() -> None:
    """Forget every resolved font and loaded face (for tests and long-lived watchers)."""
    for cached in (
        resolve_font,
        font_metrics,
        _fc_match,
        _fc_match_available,
        _scan_index,
        _face,
        _fallback_for_char,
        _fallback_faces,
    ):
        cached.cache_clear()
