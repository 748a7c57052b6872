"""Read back from a built .pptx which shapes run into a slide's footer, date or number.

The chrome is every footer, date and slide-number shape: the template's placeholders
(their boxes inherited from the layout or the master when the slide sets none) or the
text boxes the grid draws ("Footer", "Date", "Number"). Every other shape on the slide is
content and must keep clear of them.
"""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

CHROME_PLACEHOLDERS = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER)
CHROME_NAMES = ("Footer ", "Date ", "Number ")


def is_chrome(shape) -> bool:
    if shape.is_placeholder:
        return shape.placeholder_format.type in CHROME_PLACEHOLDERS
    return shape.name.startswith(CHROME_NAMES)


def _box(shape) -> tuple[int, int, int, int]:
    x, y = shape.left or 0, shape.top or 0
    return x, y, x + (shape.width or 0), y + (shape.height or 0)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def chrome_overlaps(deck: Path) -> list[str]:
    """Return "slide N: shape (x0, y0, x1, y1) over chrome" for every overlap in the deck."""
    found = []
    for number, slide in enumerate(Presentation(str(deck)).slides, start=1):
        chrome = [shape for shape in slide.shapes if is_chrome(shape)]
        for shape in slide.shapes:
            if is_chrome(shape):
                continue
            for other in chrome:
                if _overlap(_box(shape), _box(other)):
                    found.append(f"slide {number}: {shape.name} {_box(shape)} over {other.name}")
    return found
