"""What a template's layouts draw behind a slide, as pictures for the HTML deck.

A deck of one empty slide per layout the deck uses is rendered by LibreOffice once
(to PDF, then PDFium to pixels) and kept in the disk cache under the template's
SHA-256, the slide size and the layouts: a rebuild, or `serve` after every save,
pays nothing, and a changed template is rendered again.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tempfile
from pathlib import Path
from typing import Any

from generator import diskcache
from generator.errors import DeckwrightError, Location, Problem
from generator.layout.plan import DeckPlan

#: Picture width in px: sharp on a 1080p projector, small enough to inline.
ART_WIDTH = 1920
#: A rendered layout larger than this as PNG (a photo, a gradient) is stored as JPEG.
PNG_LIMIT = 300_000
_VERSION = "2"


def layout_art(plan: DeckPlan, layouts: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Return a data: URI per (master, layout) of a template deck; {} without a template."""
    if plan.template is None or not layouts:
        return {}
    digest = hashlib.sha256(Path(plan.template).read_bytes()).hexdigest()
    key = f"{_VERSION}|{digest}|{plan.width}x{plan.height}|{ART_WIDTH}|{layouts}"
    cached = diskcache.load("html-art", key)
    if isinstance(cached, list) and len(cached) == len(layouts):
        return dict(zip(layouts, cached, strict=True))
    uris = _render(plan, layouts)
    diskcache.store("html-art", key, uris)
    return dict(zip(layouts, uris, strict=True))


def _render(plan: DeckPlan, layouts: list[tuple[int, int]]) -> list[str]:
    from generator.writers.images import render_pages
    from generator.writers.pdf import INSTALL_HINT, convert_to_pdf, soffice
    from generator.writers.pptx_writer import layouts_deck

    where = Location(str(plan.template))
    if soffice() is None:
        raise DeckwrightError(
            [
                Problem(
                    where,
                    "HTML of a template deck needs LibreOffice (soffice) to draw the "
                    "template's layouts once, and it is not on PATH",
                    INSTALL_HINT,
                )
            ]
        )
    with tempfile.TemporaryDirectory(prefix="deckwright-art-") as work:
        pptx = Path(work, "layouts.pptx")
        pptx.write_bytes(layouts_deck(plan, layouts))
        pdf = convert_to_pdf(pptx, Path(work, "layouts.pdf"))
        pictures = list(render_pages(pdf, ART_WIDTH))
        if len(pictures) != len(layouts):
            raise DeckwrightError(
                [Problem(where, f"LibreOffice drew {len(pictures)} layouts, not {len(layouts)}")]
            )
        return [_encode(picture) for picture in pictures]


def _encode(picture: Any) -> str:
    """Return a picture (a Pillow image) as a data: URI, PNG when small, else JPEG."""
    out = io.BytesIO()
    picture.save(out, "PNG")
    data = out.getvalue()
    if len(data) <= PNG_LIMIT:
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88, optimize=True)
    smaller = out.getvalue()
    if len(smaller) >= len(data):
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return "data:image/jpeg;base64," + base64.b64encode(smaller).decode("ascii")
