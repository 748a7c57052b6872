"""Slide pictures: one PNG per slide (PDFium, in process, over the PDF) and a contact sheet.

For an output path `output/talk.png` the writer makes

    output/talk/slide-01.png ...     one picture per slide, numbered from 1
    output/talk-contact.png          every slide in one grid, each numbered

Pictures are rendered into a temporary folder beside the outputs and moved into
place only when every page rendered and every other format of the build was
written (see writers.save.Staged), so a failed run leaves the old pictures whole.
Slide pictures left over from a longer, older build are removed.
"""

from __future__ import annotations

import math
import os
import struct
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import DeckwrightError, Location, Problem

if TYPE_CHECKING:
    from generator.writers.save import Staged

WIDTH = 1280  # px per slide picture: 16:9 is 1280 x 720, 4:3 is 1280 x 960
DEFAULT_TIMEOUT = 180
PNG_LEVEL = 3  # zlib: half the time of level 6, files 10% larger
THUMB_WIDTH = 320  # contact-sheet cell width in px
MAX_COLUMNS = 6
GAP = 16  # px between cells and around the sheet
SHEET_BACKGROUND = (229, 231, 235)
BADGE_BACKGROUND = (17, 24, 39)
LABEL_GAP = 4  # px between a slide and its number badge
BADGE_TEXT = (255, 255, 255)


def slide_folder(path: Path) -> Path:
    """Return the folder of the slide pictures for output path `x.png`: `x/`."""
    return path.with_suffix("")


def contact_sheet_path(path: Path) -> Path:
    """Return the contact sheet for output path `x.png`: `x-contact.png`."""
    return path.with_name(path.stem + "-contact.png")


def write_pngs(
    pdf: Path,
    path: Path,
    width: int = WIDTH,
    timeout: int = DEFAULT_TIMEOUT,
    stage: Staged | None = None,
) -> list[Path]:
    """Render every page of pdf to a PNG and write the contact sheet; return [folder, sheet].

    With stage (a build's Staged), the pictures wait in a temporary folder beside the
    outputs until the stage commits; without, they are moved into place at once.
    Raise DeckwrightError when the PDF cannot be read or rendering takes too long.
    """
    from generator.writers.save import Staged

    if stage is None:
        with Staged() as own:
            written = write_pngs(pdf, path, width, timeout, own)
            own.commit()
        return written
    folder, sheet = slide_folder(path), contact_sheet_path(path)
    work = stage.folder(folder.parent)
    pages, thumbnails = [], []
    for number, image in enumerate(render_pages(pdf, width, timeout), start=1):
        png = Path(work, f"page-{number}.png")
        write_png(image, png)
        pages.append(png)
        thumbnails.append(_thumbnail(image))
    sheet_temp = Path(work, "contact.png")
    contact_sheet(pages, sheet_temp, thumbnails)
    stage.then(lambda: _replace_pictures(pages, folder))
    stage.move(sheet_temp, sheet)
    return [folder, sheet]


def render_pages(pdf: Path, width: int, timeout: float = DEFAULT_TIMEOUT) -> Iterator[Any]:
    """Yield every page of pdf as an RGB Pillow image width pixels wide.

    PDFium renders in process: three times faster than starting pdftoppm and reading its
    pixels back, and the same anti-aliased picture. Raise DeckwrightError when the PDF
    cannot be read or rendering runs past timeout seconds.
    """
    import pypdfium2

    where = Location(str(pdf))
    deadline = time.monotonic() + timeout
    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as error:
        raise DeckwrightError([Problem(where, f"could not render the PDF: {error}")]) from None
    try:
        if len(document) == 0:
            raise DeckwrightError([Problem(where, "could not render the PDF: no pages")])
        for index in range(len(document)):
            if time.monotonic() > deadline:
                raise DeckwrightError(
                    [Problem(where, f"rendering the PDF took longer than {timeout:g} s")]
                )
            page = document[index]
            try:
                bitmap = page.render(scale=width / page.get_width())
                yield bitmap.to_pil().convert("RGB")
            finally:
                page.close()
    finally:
        document.close()


def write_png(image: Any, path: Path) -> None:
    """Write an RGB Pillow image as a PNG: every row unfiltered, zlib level PNG_LEVEL.

    Slides are flat colour and text, which deflate finds as runs and repeats in the raw
    rows: for the bundled deck this takes half the time of Pillow's encoder (which tries
    every PNG filter on every row) and gives files 10% smaller. Byte-identical for the
    same pixels.
    """
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    width, height = rgb.size
    data = rgb.tobytes()
    stride = width * 3
    rows = b"".join(b"\x00" + data[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        for kind, body in (
            (b"IHDR", header),
            (b"IDAT", zlib.compress(rows, PNG_LEVEL)),
            (b"IEND", b""),
        ):
            out.write(struct.pack(">I", len(body)) + kind + body)
            out.write(struct.pack(">I", zlib.crc32(kind + body)))


def _thumbnail(image: Any) -> Any:
    from PIL import Image

    image = image.convert("RGB")
    factor, rest = divmod(image.width, THUMB_WIDTH)
    if rest == 0 and image.height % factor == 0:
        return image.reduce(factor)  # a box average: 15x faster than Lanczos, as sharp at 1/4
    height = round(THUMB_WIDTH * image.height / image.width)
    return image.resize((THUMB_WIDTH, height), Image.Resampling.LANCZOS)


def slide_name(number: int, count: int) -> str:
    """Return `slide-01.png`: numbered from 1, zero-padded to at least two digits."""
    return f"slide-{number:0{max(2, len(str(count)))}d}.png"


def _replace_pictures(pages: list[Path], folder: Path) -> None:
    from generator.writers.save import output_target

    folder.mkdir(parents=True, exist_ok=True)
    keep = set()
    for number, page in enumerate(pages, start=1):
        name = slide_name(number, len(pages))
        os.chmod(page, 0o644)
        os.replace(page, output_target(folder / name))
        keep.add(name)
    for old in folder.glob("slide-*.png"):
        if old.name not in keep:
            old.unlink()


def contact_sheet(pages: list[Path], sheet: Path, thumbnails: list[Any] | None = None) -> None:
    """Write all pages into one grid image, each slide numbered on a badge under it.

    The number sits below the picture, never on it, so it hides no title or corner artwork.
    thumbnails: the pages already reduced (see _thumbnail), to skip reading them again.
    """
    from PIL import Image, ImageDraw

    if thumbnails is None:
        thumbnails = []
        for page in pages:
            with Image.open(page) as image:
                thumbnails.append(_thumbnail(image))
    columns = min(len(pages), MAX_COLUMNS, max(1, math.ceil(math.sqrt(len(pages)))))
    rows = math.ceil(len(pages) / columns)
    thumb_height = thumbnails[0].height
    font = _font(max(12, thumb_height // 12))
    pad = 3
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    _, digit_top, _, digit_bottom = probe.textbbox((0, 0), "0123456789", font=font)
    label_height = digit_bottom - digit_top + 2 * pad
    cell_height = thumb_height + LABEL_GAP + label_height
    width = GAP + columns * (THUMB_WIDTH + GAP)
    height = GAP + rows * (cell_height + GAP)
    canvas = Image.new("RGB", (width, height), SHEET_BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    for index, thumbnail in enumerate(thumbnails):
        x = GAP + (index % columns) * (THUMB_WIDTH + GAP)
        y = GAP + (index // columns) * (cell_height + GAP)
        canvas.paste(thumbnail, (x, y))
        label = str(index + 1)
        left, _, right, _ = draw.textbbox((0, 0), label, font=font)
        badge_y = y + thumb_height + LABEL_GAP
        draw.rectangle(
            (x, badge_y, x + right - left + 2 * pad, badge_y + label_height - 1),
            fill=BADGE_BACKGROUND,
        )
        draw.text((x + pad - left, badge_y + pad - digit_top), label, font=font, fill=BADGE_TEXT)
    write_png(canvas, sheet)
    os.chmod(sheet, 0o644)


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has only the small bitmap font
        return ImageFont.load_default()
