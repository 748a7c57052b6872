"""What a template's layouts draw behind a slide, as pictures for the HTML deck.

A deck of one empty slide per layout the deck uses is rendered by LibreOffice once
(to PDF, then pdftoppm to PNG) and kept in the disk cache under the template's
SHA-256, the slide size and the layouts: a rebuild, or `serve` after every save,
pays nothing, and a changed template is rendered again.
"""

from __future__ import annotations

import base64
import hashlib
import io
import subprocess
import tempfile
from pathlib import Path

from generator import diskcache
from generator.errors import DeckwrightError, Location, Problem
from generator.layout.plan import DeckPlan

#: Picture width in px: sharp on a 1080p projector, small enough to inline.
ART_WIDTH = 1920
#: A rendered layout larger than this as PNG (a photo, a gradient) is stored as JPEG.
PNG_LIMIT = 300_000
_VERSION = "1"


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
    from generator.writers.images import missing_tool_message, pdftoppm
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
    executable = pdftoppm()
    if executable is None:
        raise DeckwrightError(
            [Problem(where, "HTML of a template deck: " + missing_tool_message())]
        )
    with tempfile.TemporaryDirectory(prefix="deckwright-art-") as work:
        pptx = Path(work, "layouts.pptx")
        pptx.write_bytes(layouts_deck(plan, layouts))
        pdf = convert_to_pdf(pptx, Path(work, "layouts.pdf"))
        subprocess.run(
            [
                executable,
                "-png",
                "-scale-to-x",
                str(ART_WIDTH),
                "-scale-to-y",
                "-1",
                str(pdf),
                str(Path(work, "art")),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pages = sorted(Path(work).glob("art-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        if len(pages) != len(layouts):
            raise DeckwrightError(
                [Problem(where, f"LibreOffice drew {len(pages)} layouts, not {len(layouts)}")]
            )
        return [_encode(page) for page in pages]


def _encode(path: Path) -> str:
    """Return a picture as a data: URI, PNG when small, else JPEG."""
    data = path.read_bytes()
    if len(data) <= PNG_LIMIT:
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    from PIL import Image

    with Image.open(path) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    smaller = out.getvalue()
    if len(smaller) >= len(data):
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return "data:image/jpeg;base64," + base64.b64encode(smaller).decode("ascii")
