"""Legibility measured on LibreOffice's render: every word against the pixels behind it.

The deck is rendered twice: as built, and as a copy whose text runs are emptied (every
shape, fill, picture and master artwork stays). For each word poppler finds in the first
PDF, the pixels that changed between the two renders are the glyphs; their colour is
compared (WCAG contrast) with the pixels of the text-free render in the same box, which
is whatever the word was drawn on: slide background, template artwork, a table fill.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

DPI = 120
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
    r"([^<]*)</word>"
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_TEXT = re.compile(rb"(<a:t>)[^<]*(</a:t>)")
_FIELD = re.compile(rb"<a:fld\b.*?</a:fld>", re.S)  # slide numbers: LibreOffice fills them
#: A background whose luminance varies more than this (standard deviation, 0..1) is busy:
#: reported with the word, for the reader.
BUSY_SPREAD = 0.12
#: How far under the WCAG ratio a measured word may be: at 120 dpi the strokes of 12 pt
#: monospace are a pixel or two wide, so even their cores blend with the background
#: (#007020 on #F6F8FA, 6.3:1 as drawn, measures 4.4:1 in a two-letter word).
TOLERANCE = 0.15
#: Word height in points at or above which text counts as large (WCAG: 18 pt), taking a
#: word box as about 1.15 times the font size.
LARGE_WORD_PT = 18 * 1.15


@dataclass
class WordContrast:
    page: int
    text: str
    contrast: float
    large: bool
    busy: bool

    @property
    def needed(self) -> float:
        return 3.0 if self.large else 4.5

    @property
    def ok(self) -> bool:
        # The contrast is already taken against the background's lightest and darkest
        # parts (5th and 95th percentile), so a textured but legible background passes.
        # TOLERANCE: the render's resolution; a thin glyph's strokes are never all ink.
        return self.contrast >= self.needed - TOLERANCE

    def __str__(self) -> str:
        busy = ", busy background" if self.busy else ""
        return (
            f"slide {self.page}: {self.text!r} {self.contrast:.1f}:1 "
            f"(needs {self.needed:g}:1{busy})"
        )


def without_text(pptx: Path, out: Path) -> Path:
    """Write a copy of the deck with every slide's text emptied; return its path."""
    with zipfile.ZipFile(pptx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if re.match(r"ppt/slides/slide\d+\.xml$", item.filename):
                data = _TEXT.sub(rb"\1\2", _FIELD.sub(b"", data))
            dst.writestr(item, data)
    return out


def _pages(pdf: Path, folder: Path, stem: str) -> list[np.ndarray]:
    """Return every page of pdf rendered at DPI, as RGB arrays."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(folder / stem)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    files = sorted(folder.glob(f"{stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [np.asarray(Image.open(f).convert("RGB"), dtype=np.float32) / 255 for f in files]


def _words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = []
    for number, chunk in enumerate(html.split("<page ")[1:], start=1):
        for match in WORD.finditer(chunk):
            x0, y0, x1, y1 = map(float, match.groups()[:4])
            found.append((number, x0, y0, x1, y1, match.group(5)))
    return found


def _luminance(rgb: np.ndarray) -> np.ndarray:
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)


def word_contrasts(pdf: Path, blank_pdf: Path, work: Path) -> list[WordContrast]:
    """Return the measured contrast of every word of pdf against blank_pdf's pixels."""
    drawn = _pages(pdf, work / "text", "p")
    blank = _pages(blank_pdf, work / "blank", "p")
    scale = DPI / 72
    result = []
    for page, x0, y0, x1, y1, text in _words(pdf):
        if page > len(drawn) or page > len(blank):
            continue
        a, b = drawn[page - 1], blank[page - 1]
        left, top = max(int(x0 * scale), 0), max(int(y0 * scale), 0)
        right, bottom = int(np.ceil(x1 * scale)), int(np.ceil(y1 * scale))
        ink = a[top:bottom, left:right]
        back = b[top:bottom, left:right]
        if ink.size == 0 or ink.shape != back.shape:
            continue
        difference = np.abs(ink - back).sum(axis=2)
        strongest = difference.max()
        if strongest < 0.05:  # nothing drawn: the word is invisible on its background
            result.append(WordContrast(page, text, 1.0, False, False))
            continue
        # The cores of the strokes: anti-aliased edges are a blend with the background,
        # and a thin glyph ("=", "-") has few pixels that are all ink.
        glyphs = ink[difference >= strongest * 0.9]
        ink_l = float(np.median(_luminance(glyphs)))
        back_l = _luminance(back.reshape(-1, 3))
        # Contrast with the background where it is least favourable (5th/95th percentile).
        low, high = np.percentile(back_l, [5, 95])
        worst = min(_ratio(ink_l, float(low)), _ratio(ink_l, float(high)))
        large = (y1 - y0) >= LARGE_WORD_PT
        busy = float(back_l.std()) > BUSY_SPREAD
        result.append(WordContrast(page, text, worst, large, busy))
    return result


def _ratio(a: float, b: float) -> float:
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)
