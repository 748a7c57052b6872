"""Read a company's .pptx/.potx template: layouts, placeholder boxes, colours and fonts.

Placeholder geometry comes from the layout and master XML, matching a layout placeholder to
the master's by TYPE, never by idx: templates number placeholders freely, and duplicated idx
values make python-pptx report wrong inherited positions. Choosing a layout per slide kind is
generator.layout.choose; TemplateBase hands those choices to the pptx writer. Only this module
and the pptx writer import pptx.
"""

from __future__ import annotations

import functools
import io
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from generator.model.geometry import Box
from generator.model.schema import is_language_tag
from generator.theme.scrub import UnsafePackage, scrub_package

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PptxPresentation

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
SECTIONS_EXT = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"
MAX_TEMPLATE_BYTES = 256 * 1024 * 1024  # the template file itself, zipped
TITLES = ("title", "ctrTitle")
TEXTS = ("body", "obj", "subTitle")
MEDIA = ("pic", "tbl", "chart", "dgm", "media", "clipArt")
FOOTERS = ("dt", "ftr", "sldNum")
APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://'
    b'schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class TemplateError(Exception):
    """A template that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class PlaceholderInfo:
    """A placeholder and its effective box; order is its index among the layout's placeholders."""

    type: str  # OOXML ph type: title, ctrTitle, subTitle, body, obj, pic, dt, ftr, sldNum, ...
    idx: int
    name: str
    box: Box
    order: int
    vertical: bool = False
    text: str = ""  # what the template wrote in it: a footer's text, say
    color: str | None = None  # its own text colour, where it sets a solid one
    # Its text block is centred as a whole (bodyPr anchorCtr="1"): LibreOffice keeps that
    # on a slide whatever the slide's own shape says, so the plan centres such text too.
    centred: bool = False


@dataclass(frozen=True)
class Thumb:
    """A small RGB picture of what a fill paints (a photo, a gradient), to tell which
    colours lie under a given part of it."""

    w: int
    h: int
    pixels: bytes  # RGB, row by row
    alpha: bytes | None = None  # opacity per pixel (a gradient with translucent stops)

    def region(
        self, x0: float, y0: float, x1: float, y1: float, quantile: float = 0.1
    ) -> tuple[tuple[str, ...], bool]:
        """Return the dark and light colours of the part between fractions (x0, y0) and
        (x1, y1) of the picture, and whether that part is busy.

        Dark and light are the pixels at `quantile` from either end: by default a few specks
        do not decide the text colour; 0 takes the darkest and lightest pixel."""
        from generator.theme.colors import luminance

        left, right = int(max(0.0, x0) * self.w), int(min(1.0, x1) * self.w + 0.999)
        top, bottom = int(max(0.0, y0) * self.h), int(min(1.0, y1) * self.h + 0.999)
        left, top = min(left, self.w - 1), min(top, self.h - 1)
        right, bottom = max(min(right, self.w), left + 1), max(min(bottom, self.h), top + 1)
        pixels: list[tuple[int, int, int]] = []
        for y in range(top, bottom):
            row = self.pixels[(y * self.w + left) * 3 : (y * self.w + right) * 3]
            pixels += zip(row[0::3], row[1::3], row[2::3], strict=True)
        # Ranked by a quick squared-channel luma, close enough to WCAG's for ranking.
        ranked = sorted(pixels, key=lambda p: 2126 * p[0] ** 2 + 7152 * p[1] ** 2 + 722 * p[2] ** 2)
        skip = int(len(ranked) * quantile)
        dark, light = ("#{:02X}{:02X}{:02X}".format(*ranked[i]) for i in (skip, -1 - skip))
        spread = luminance(light) - luminance(dark)
        return tuple(dict.fromkeys((dark, light))), spread > BUSY_LUMINANCE_SPREAD


#: A part of a picture whose luminance varies more than this (0..1) is busy for text.
BUSY_LUMINANCE_SPREAD = 0.5


@dataclass(frozen=True)
class Art:
    """A drawn shape or picture a slide shows (not a placeholder) and the colours it covers.

    colors: what text over it would sit on (a fill, a gradient's stops, a pattern's two
    colours, a picture's average; a line's colour for outlines). busy: a picture or a
    pattern with a wide spread of colours, where no text colour reads well everywhere.
    parts: the rectangles the shape really covers (a triangle or a circle covers much
    less than its box), rasterised on a coarse grid; empty means the whole box.
    """

    box: Box
    colors: tuple[str, ...] = ()
    busy: bool = False
    parts: tuple[Box, ...] = ()
    image: Thumb | None = None  # what it paints where, for a picture or a gradient
    alpha: float = 1.0  # its fill's opacity

    @property
    def covers(self) -> tuple[Box, ...]:
        return self.parts or (self.box,)


@dataclass(frozen=True)
class Backdrop:
    """What a layout draws behind every slide: its background and its artwork."""

    background: tuple[str, ...] = ("#FFFFFF",)  # one colour, a gradient's stops, ...
    busy: bool = False  # a background picture with a wide spread of colours
    art: tuple[Art, ...] = ()
    image: Thumb | None = None  # the background picture or gradient, for where it lies
    slide: Box | None = None  # the slide, which the background image covers
    composite: Thumb | None = None  # background and artwork painted together, small

    def painted(self) -> Backdrop:
        """Return this backdrop with `composite`: the background, then every piece of
        artwork in z-order (its real outline, its opacity) painted on a small canvas."""
        if self.slide is None or self.slide.area == 0:
            return self
        from PIL import Image, ImageDraw

        width = COMPOSITE_WIDTH
        height = max(1, round(width * self.slide.h / self.slide.w))
        canvas = Image.new("RGB", (width, height), _rgb(self.background[0]))
        if self.image is not None:
            canvas = _thumb_image(self.image).resize((width, height))
        sx, sy = width / self.slide.w, height / self.slide.h
        for art in self.art:
            if not art.colors and art.image is None:
                continue
            # A hairline (a rule, a connector) stays a pixel wide: text touching it counts.
            x0, y0 = round(art.box.x * sx), round(art.box.y * sy)
            x1 = max(round(art.box.right * sx), x0 + 1)
            y1 = max(round(art.box.bottom * sy), y0 + 1)
            if x1 <= x0 or y1 <= y0 or x1 <= 0 or y1 <= 0 or x0 >= width or y0 >= height:
                continue
            if art.image is not None:
                layer = _thumb_image(art.image).resize((x1 - x0, y1 - y0))
                if art.image.alpha is not None:
                    opacity = Image.frombytes("L", (art.image.w, art.image.h), art.image.alpha)
                    canvas.paste(layer, (x0, y0), opacity.resize((x1 - x0, y1 - y0)))
                    continue
            else:
                layer = Image.new("RGB", (x1 - x0, y1 - y0), _rgb(_mean(art.colors)))
            mask = Image.new("L", (x1 - x0, y1 - y0), 0)
            draw = ImageDraw.Draw(mask)
            for part in art.covers:
                left, top = round(part.x * sx) - x0, round(part.y * sy) - y0
                right = max(left, round(part.right * sx) - x0 - 1)
                bottom = max(top, round(part.bottom * sy) - y0 - 1)
                draw.rectangle(
                    (left, top, right, bottom), fill=round(255 * min(max(art.alpha, 0.0), 1.0))
                )
            canvas.paste(layer, (x0, y0), mask)
        return replace(self, composite=Thumb(width, height, canvas.tobytes()))

    def under(
        self, box: Box, *, slide_area: int = 0, quantile: float = 0.1
    ) -> tuple[tuple[str, ...], bool]:
        """Return the colours under box (background and overlapping artwork) and whether
        any of it is busy. Artwork touching less than 2% of the box is left out; on the
        painted backdrop, the pixels within `quantile` of either end (see Thumb.region)."""
        if self.composite is not None and self.slide is not None:
            return _part_of(self.composite, self.slide, box, quantile)
        colors = list(self.background)
        busy = self.busy
        if self.image is not None and self.slide is not None and self.slide.area:
            part_colors, busy = _part_of(self.image, self.slide, box)
            colors = list(part_colors)
        least = max(1, box.area // 50)
        for art in self.art:
            touched = sum(
                overlap.area
                for part in art.covers
                if (overlap := part.intersection(box)) is not None
            )
            if touched >= least:
                if art.image is not None:
                    part_colors, part_busy = _part_of(art.image, art.box, box)
                    colors.extend(part_colors)
                    busy = busy or part_busy
                else:
                    colors.extend(art.colors)
                    busy = busy or art.busy
        return tuple(dict.fromkeys(colors)), busy


COMPOSITE_WIDTH = 192  # pixels across the painted backdrop: a word is a few


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _mean(colors: tuple[str, ...]) -> str:
    channels = [_rgb(c) for c in colors]
    r, g, b = (round(sum(c[i] for c in channels) / len(channels)) for i in range(3))
    return f"#{r:02X}{g:02X}{b:02X}"


def _thumb_image(thumb: Thumb) -> Any:
    from PIL import Image

    return Image.frombytes("RGB", (thumb.w, thumb.h), thumb.pixels)


def _part_of(
    image: Thumb, painted: Box, box: Box, quantile: float = 0.1
) -> tuple[tuple[str, ...], bool]:
    """Return the colours of the part of `image` (painted over `painted`) under box."""
    w, h = max(painted.w, 1), max(painted.h, 1)
    return image.region(
        (box.x - painted.x) / w,
        (box.y - painted.y) / h,
        (box.right - painted.x) / w,
        (box.bottom - painted.y) / h,
        quantile,
    )


@dataclass(frozen=True)
class LayoutInfo:
    """One slide layout: its name, where it lives and what it holds."""

    name: str
    master_index: int
    layout_index: int
    type: str  # sldLayout@type: title, obj, secHead, twoObj, titleOnly, blank, cust, ...
    placeholders: tuple[PlaceholderInfo, ...]
    shapes: int  # drawn shapes (logos, bands) that are not placeholders
    decorations: tuple[Box, ...] = ()  # boxes of the drawn shapes a slide shows, master's too
    backdrop: Backdrop = Backdrop()  # background and artwork, master's included when shown
    text_colors: tuple[tuple[str, str], ...] = ()  # (title|body, "#RRGGBB") via its colour map

    def of_type(self, *types: str) -> list[PlaceholderInfo]:
        """Return the placeholders of the given types, in layout order."""
        return [p for p in self.placeholders if p.type in types]

    @property
    def title(self) -> PlaceholderInfo | None:
        return next(iter(self.of_type(*TITLES)), None)


@dataclass(frozen=True)
class MasterInfo:
    """A slide master: its layouts, its placeholders by type, its theme colours and fonts."""

    index: int
    name: str
    layouts: tuple[LayoutInfo, ...]
    placeholders: dict[str, PlaceholderInfo]  # the first of each type
    colors: dict[str, str]  # dk1, lt1, dk2, lt2, accent1-6, hlink, folHlink -> "#RRGGBB"
    heading_font: str  # the master's title font, else the theme's major font
    body_font: str  # the master's body font, else the theme's minor font
    color_map: dict[str, str] = field(default_factory=dict)  # bg1 -> lt1, tx1 -> dk1, ...
    background: str | None = None  # the slide background: a fill, or an image's mean colour
    title_color: str | None = None  # the master title style's solid colour
    name_shown: str = ""  # how messages name it: "master 2 'Vivid Blue'"


@dataclass(frozen=True)
class TemplateInfo:
    """Everything deckwright reads from a template; colours and fonts are the first master's."""

    path: str
    width: int
    height: int
    masters: tuple[MasterInfo, ...]
    colors: dict[str, str]
    heading_font: str
    body_font: str
    samples: tuple[tuple[int, int], ...] = ()  # (master, layout) of each sample slide, in order
    language: str = ""  # its document language (dc:language, BCP 47), if it names one

    @property
    def layouts(self) -> list[LayoutInfo]:
        return [lay for m in self.masters for lay in m.layouts]

    def find_master(self, master: int | str) -> MasterInfo | None:
        """Return a master by its 1-based index or its name (ignoring case)."""
        if isinstance(master, int):
            return self.masters[master - 1] if 1 <= master <= len(self.masters) else None
        wanted = str(master).strip().casefold()
        return next((m for m in self.masters if m.name.strip().casefold() == wanted), None)

    def find_layout(self, name: str, master: int | str | None = None) -> LayoutInfo | None:
        """Return the layout called name (exactly, else ignoring case and outer spaces),
        on the given master (1-based index or name) or on the first master that has it."""
        pool = self.layouts
        if master is not None:
            found_master = self.find_master(master)
            pool = list(found_master.layouts) if found_master is not None else []
        found = [lay for lay in pool if lay.name == name] or [
            lay for lay in pool if lay.name.casefold() == str(name).strip().casefold()
        ]
        return found[0] if found else None

    def body_area(self, master_index: int = 0) -> Box:
        """Return the master's body placeholder box; without one, the slide inset by 7.5%."""
        body = self.masters[master_index].placeholders.get("body")
        if body:
            return body.box
        return Box(0, 0, self.width, self.height).inset(self.width * 3 // 40, self.height * 3 // 40)


def open_template(path: str | Path) -> PptxPresentation:
    """Open a .pptx, .potx, .pptm, .potm or .ppsx as a python-pptx Presentation.

    The package is scrubbed first (generator.theme.scrub): macros, controls, embeddings
    and external links never reach a deck. Raises TemplateError for a missing or special
    file, a file that is not a zip or not a presentation, and corrupt or oversized XML.
    """
    path = Path(path)
    data = template_package(path)
    try:
        return Presentation(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - untrusted input; pptx, lxml and zipfile raise many
        raise TemplateError(f"{path}: not a readable PowerPoint file ({_short(exc)})") from None


def template_package(path: str | Path, *, as_presentation: bool = True) -> bytes:
    """Return the template's package bytes, scrubbed: what a deck or a theme may carry.

    as_presentation: labelled a presentation for python-pptx; else a .potx stays one.
    """
    path = Path(path)
    try:
        found = path.stat()
    except OSError:
        found = None
    if found is None or not stat.S_ISREG(found.st_mode):
        return _scrubbed(path, as_presentation)  # refused there, with the reason
    # Cached like read_template: `theme init` reads a template, then copies it.
    return _scrubbed_cached(path, found.st_size, found.st_mtime_ns, as_presentation)


@functools.lru_cache(maxsize=2)
def _scrubbed_cached(path: Path, size: int, mtime: int, as_presentation: bool) -> bytes:
    return _scrubbed(path, as_presentation)


def _scrubbed(path: Path, as_presentation: bool) -> bytes:
    data = read_regular_file(path, MAX_TEMPLATE_BYTES)
    try:
        return scrub_package(data, as_presentation=as_presentation)
    except UnsafePackage as exc:
        raise TemplateError(f"{path}: {exc}") from None


def read_regular_file(path: Path, limit: int) -> bytes:
    """Return the bytes of a regular file of at most `limit` bytes.

    A FIFO, a device (/dev/zero), a folder or a link to one is refused without waiting
    on it or reading it: the file is opened non-blocking and checked before reading.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise TemplateError(f"template not found: {path}") from None
    except IsADirectoryError:
        raise TemplateError(f"{path}: is a folder, not a template file") from None
    except OSError as exc:
        raise TemplateError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise TemplateError(f"{path}: is a folder, not a template file")
        if not stat.S_ISREG(info.st_mode):
            raise TemplateError(f"{path}: not a regular file (a device, a pipe or a socket)")
        if info.st_size > limit:
            raise TemplateError(f"{path}: {info.st_size:,} bytes; the limit is {limit:,}")
        with os.fdopen(fd, "rb", closefd=True) as stream:
            fd = -1
            data = stream.read(limit + 1)
    except OSError as exc:
        raise TemplateError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:
        raise TemplateError(f"{path}: larger than the limit of {limit:,} bytes")
    return data


def _short(exc: object, limit: int = 200) -> str:
    """Return an exception's message (or a value) on one short line: a parser may quote a
    whole part, a template a huge attribute."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit] + "..."


def read_template(path: str | Path) -> TemplateInfo:
    """Return the slide size, masters, layouts, placeholder boxes, colours and fonts.

    Reads are cached by path, size and modification time: a theme's template is read when
    the theme loads and again when the deck is planned, and a watch rebuild re-reads it
    only when it changed.
    """
    path = Path(path)
    try:
        found = path.stat()
    except OSError:
        raise TemplateError(f"template not found: {path}") from None
    return _read_template(path.resolve(), found.st_size, found.st_mtime_ns)


#: PowerPoint's range for a slide's width and height (ST_SlideSizeCoordinate), in EMU.
SLIDE_SIZE_RANGE = (914400, 51206400)


def _slide_size(prs: Any, path: Path) -> tuple[int, int]:
    """Return the slide's width and height; TemplateError when unreadable or out of range."""
    size = prs.part._element.find("p:sldSz", NS)
    if size is None:  # absent: PowerPoint uses 4:3
        return 9144000, 6858000
    low, high = SLIDE_SIZE_RANGE
    try:
        width, height = int(size.get("cx", "")), int(size.get("cy", ""))
    except ValueError:
        width = height = 0
    if not (low <= width <= high and low <= height <= high):
        raise TemplateError(
            f"{path}: presentation.xml: bad slide size (sldSz cx={_short(size.get('cx'), 20)!r}"
            f" cy={_short(size.get('cy'), 20)!r}); each side must be {low:,} to {high:,} EMU"
        )
    return width, height


@functools.lru_cache(maxsize=8)
def _read_template(path: Path, size: int, mtime: int) -> TemplateInfo:
    prs = open_template(path)
    pictures: dict = {}  # image part name -> (mean colour, busy): each picture read once
    width, height = _slide_size(prs, path)
    try:
        masters_found = list(prs.slide_masters)
    except Exception as exc:  # noqa: BLE001 - untrusted structure python-pptx cannot walk
        raise TemplateError(f"{path}: broken slide master list ({_short(exc)})") from None
    for number, master in enumerate(masters_found, start=1):
        try:
            master.part.part_related_by(RT.THEME)
        except KeyError:
            raise TemplateError(f"{path}: slide master {number} has no theme part") from None
    slide = Box(0, 0, width, height)
    try:
        masters = tuple(
            _master_info(i, m, pictures, slide) for i, m in enumerate(prs.slide_masters)
        )
        samples = _samples(prs)
    except Exception as exc:  # noqa: BLE001 - untrusted XML: a bad number, a missing part
        raise TemplateError(
            f"{path}: broken slide master, layout or theme ({_short(exc)})"
        ) from None
    if not masters:
        raise TemplateError(f"{path}: the template has no slide master")
    if not any(master.layouts for master in masters):
        raise TemplateError(f"{path}: the template has no slide layouts")
    first = masters[0]
    return TemplateInfo(
        str(path),
        width,
        height,
        masters,
        first.colors,
        first.heading_font,
        first.body_font,
        samples,
        _language(prs),
    )


def _language(prs: Any) -> str:
    """Return the template's document language, under either core-properties type."""
    for rel in prs.part.package._rels.values():
        if rel.is_external or not rel.reltype.lower().endswith("/core-properties"):
            continue
        try:
            root = etree.fromstring(rel.target_part.blob, _PARSER)
        except (etree.XMLSyntaxError, ValueError):
            return ""
        found = root.findtext("{http://purl.org/dc/elements/1.1/}language") or ""
        return found.strip() if is_language_tag(found.strip()) else ""
    return ""


def _master_info(index: int, master: Any, pictures: dict, slide: Box) -> MasterInfo:
    colors, major, minor = _theme(master)
    clr_map = master._element.find("p:clrMap", NS)
    color_map = dict(clr_map.attrib) if clr_map is not None else {}
    resolve = _color_resolver(colors, color_map)
    by_type = {p.type: p for p in reversed(_placeholders(master._element, {}, resolve))}
    own = _decorations(master._element)
    layouts = []
    for i, lay in enumerate(master.slide_layouts):
        shows_master = lay._element.get("showMasterSp") != "0"
        # A layout may remap the scheme (a dark layout on a light master): its colours,
        # and the master's artwork drawn under it, resolve through its own map.
        override = lay._element.find("p:clrMapOvr/a:overrideClrMapping", NS)
        lay_resolve = (
            _color_resolver(colors, dict(override.attrib)) if override is not None else resolve
        )
        background = (
            _backdrop_background(lay._element, lay.part, lay_resolve, pictures)
            or _backdrop_background(master._element, master.part, lay_resolve, pictures)
            or ((lay_resolve_scheme(lay_resolve, "bg1") or "#FFFFFF",), False, None)
        )
        art = _artwork(lay._element, lay.part, lay_resolve, pictures)
        if shows_master:
            art = _artwork(master._element, master.part, lay_resolve, pictures) + art
        layouts.append(
            LayoutInfo(
                lay.name or f"layout {index}.{i}",
                index,
                i,
                lay._element.get("type", "cust"),
                tuple(_placeholders(lay._element, by_type, resolve)),
                len(_shape_elements(lay._element)) - len(_ph_elements(lay._element)),
                _decorations(lay._element) + (own if shows_master else ()),
                Backdrop(
                    background[0], background[1], art[:MAX_ART], background[2], slide
                ).painted(),
                _text_colors(master, lay_resolve),
            )
        )
    fonts = _style_font(master, "title", major), _style_font(master, "body", minor)
    title_fill = master._element.find(
        "p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr/a:solidFill/*", NS
    )
    title_color = resolve(title_fill) if title_fill is not None else None
    name = master.name or ""
    return MasterInfo(
        index,
        name,
        tuple(layouts),
        by_type,
        colors,
        *fonts,
        color_map,
        _background(master, resolve, pictures),
        title_color,
        f"master {index + 1}" + (f" '{name}'" if name else ""),
    )


def _decorations(root: Any) -> tuple[Box, ...]:
    """Return the boxes of the drawn shapes (not placeholders) on a master or layout."""
    boxes = []
    for el in _shape_elements(root):
        if el.find("*/p:nvPr/p:ph", NS) is None:
            xfrm = el.find("p:spPr/a:xfrm", NS)
            for where in ("p:grpSpPr/a:xfrm", "p:xfrm"):
                xfrm = el.find(where, NS) if xfrm is None else xfrm
            box = _xfrm_box(el, None) if xfrm is None else _box_of(xfrm)
            if box is not None:
                boxes.append(box)
    return tuple(boxes)


MAX_ART = 400  # shapes per layout taken into account: enough for any design, bounded work
#: Colour spread (mean absolute deviation per channel, 0-255) above which a picture is busy.
BUSY_SPREAD = 40


def _artwork(root: Any, part: Any, resolve: Any, pictures: dict) -> tuple[Art, ...]:
    """Return the drawn shapes of a master or layout with the colours they cover.

    A group's shapes are taken one by one, placed through the group's transform.
    """
    result: list[Art] = []
    for el in _shape_elements(root)[:MAX_ART]:
        if el.find("*/p:nvPr/p:ph", NS) is None:
            _add_art(el, part, resolve, pictures, result, None, 0)
    return tuple(result[:MAX_ART])


Transform = tuple[float, float, float, float]  # x' = a + b*x, y' = c + d*y


def _add_art(
    el: Any,
    part: Any,
    resolve: Any,
    pictures: dict,
    result: list[Art],
    transform: Transform | None,
    depth: int,
) -> None:
    """Append the artwork of one shape (a group's, recursively) to result."""
    if len(result) >= MAX_ART or depth > 8:
        return
    box = _shape_box(el)
    if box is None:
        return
    if transform is not None:
        a, b, c, d = transform
        box = Box(int(a + b * box.x), int(c + d * box.y), int(b * box.w), int(d * box.h))
    if etree.QName(el).localname == "grpSp":
        xfrm = el.find("p:grpSpPr/a:xfrm", NS)
        child_off = xfrm.find("a:chOff", NS) if xfrm is not None else None
        child_ext = xfrm.find("a:chExt", NS) if xfrm is not None else None
        if child_off is None or child_ext is None:
            inner: Transform = (box.x, 1.0, box.y, 1.0)
        else:
            cx, cy = _int(child_off.get("x"), 0), _int(child_off.get("y"), 0)
            cw, ch = _int(child_ext.get("cx"), 0) or 1, _int(child_ext.get("cy"), 0) or 1
            sx, sy = box.w / cw, box.h / ch
            inner = (box.x - cx * sx, sx, box.y - cy * sy, sy)
        for child in _group_children(el):
            _add_art(child, part, resolve, pictures, result, inner, depth + 1)
        return
    if box.w <= 0 and box.h <= 0:
        return
    colors, busy, image = _shape_colors(el, part, resolve, pictures)
    # Lines have no height: give them a point, so text crossing them is seen.
    box = Box(box.x, box.y, max(box.w, 12700), max(box.h, 12700))
    alpha = el.find("p:spPr/*/*/a:alpha", NS)
    if alpha is None:
        alpha = el.find("p:spPr/a:gradFill/a:gsLst/a:gs/*/a:alpha", NS)
    opacity = _int(alpha.get("val") if alpha is not None else None, 100000) / 100000
    result.append(Art(box, colors, busy, _covered_parts(el, box), image, opacity))


GEOMETRY_GRID = 12  # cells a side when a shape's outline is rasterised


def _covered_parts(el: Any, box: Box) -> tuple[Box, ...]:
    """Return the rectangles a triangle, circle or freeform really covers (() for its box).

    The outline (custom geometry's straight and curved segments by their points, or a
    preset ellipse or triangle) is drawn on a GRID x GRID mask; each row's runs become
    rectangles, and rows with the same runs are merged.
    """
    geometry = el.find("p:spPr/a:custGeom/a:pathLst", NS)
    preset = el.find("p:spPr/a:prstGeom", NS)
    kind = preset.get("prst") if preset is not None else None
    if geometry is None and kind not in ("ellipse", "triangle", "rtTriangle", "diamond"):
        return ()
    from PIL import Image, ImageDraw

    n = GEOMETRY_GRID
    mask = Image.new("1", (n, n), 0)
    draw = ImageDraw.Draw(mask)
    if geometry is not None:
        for path in list(geometry)[:16]:
            try:
                w = float(path.get("w") or 0) or 1.0
                h = float(path.get("h") or 0) or 1.0
                points = [
                    (float(pt.get("x", 0)) / w * (n - 1), float(pt.get("y", 0)) / h * (n - 1))
                    for pt in path.iter(qn("a:pt"))
                ][:2000]
            except ValueError:  # a guide name instead of a number: keep the whole box
                return ()
            if path.find(qn("a:arcTo")) is not None or len(points) < 3:
                return ()
            draw.polygon(points, fill=1)
    elif kind == "ellipse":
        draw.ellipse((0, 0, n - 1, n - 1), fill=1)
    elif kind == "triangle":
        draw.polygon([((n - 1) / 2, 0), (n - 1, n - 1), (0, n - 1)], fill=1)
    elif kind == "rtTriangle":
        draw.polygon([(0, 0), (0, n - 1), (n - 1, n - 1)], fill=1)
    else:  # diamond
        m = (n - 1) / 2
        draw.polygon([(m, 0), (n - 1, m), (m, n - 1), (0, m)], fill=1)
    rows = []
    for y in range(n):
        runs, start = [], None
        for x in range(n + 1):
            on = x < n and mask.getpixel((x, y))
            if on and start is None:
                start = x
            elif not on and start is not None:
                runs.append((start, x))
                start = None
        rows.append(tuple(runs))
    parts: list[Box] = []
    y = 0
    while y < n:
        end = y
        while end + 1 < n and rows[end + 1] == rows[y]:
            end += 1
        for a, b in rows[y]:
            parts.append(
                Box(
                    box.x + box.w * a // n,
                    box.y + box.h * y // n,
                    box.w * (b - a) // n + 1,
                    box.h * (end + 1 - y) // n + 1,
                )
            )
        y = end + 1
    return tuple(parts) or ()


def _shape_box(el: Any) -> Box | None:
    xfrm = el.find("p:spPr/a:xfrm", NS)
    for where in ("p:grpSpPr/a:xfrm", "p:xfrm"):
        xfrm = el.find(where, NS) if xfrm is None else xfrm
    return None if xfrm is None else _box_of(xfrm)


Paint = tuple[tuple[str, ...], bool, "Thumb | None"]  # colours, busy, picture of them


def _shape_colors(el: Any, part: Any, resolve: Any, pictures: dict) -> Paint:
    """Return the colours a shape paints, whether it is busy (a varied picture), and a
    small picture of them where they vary across the shape (a photo, a gradient)."""
    tag = etree.QName(el).localname
    if tag == "grpSp":
        colors: list[str] = []
        busy = False
        for child in _group_children(el)[:MAX_ART]:
            child_colors, child_busy, _ = _shape_colors(child, part, resolve, pictures)
            colors.extend(child_colors)
            busy = busy or child_busy
        return tuple(dict.fromkeys(colors)), busy, None
    props = el.find("p:spPr", NS)
    blip = el.find("p:blipFill/a:blip", NS)
    if blip is None and props is not None:
        blip = props.find("a:blipFill/a:blip", NS)
    if blip is not None:
        return _picture_colors(blip, part, pictures)
    fill = _fill_colors(props, resolve) if props is not None else None
    if fill is None:  # no fill of its own: the shape style's fill reference
        ref = el.find("p:style/a:fillRef", NS)
        if ref is not None and ref.get("idx", "0") != "0" and len(ref):
            fill = (resolve(ref[0]),), False, None
    if fill is None or not fill[0]:
        line = props.find("a:ln/a:solidFill/*", NS) if props is not None else None
        color = resolve(line) if line is not None else None
        return ((color,) if color else ()), False, None
    return tuple(c for c in fill[0] if c), fill[1], fill[2]


def _group_children(el: Any) -> list[Any]:
    tags = {qn(f"p:{t}") for t in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp")}
    return [child for child in el if child.tag in tags]


def _fill_colors(props: Any, resolve: Any) -> Paint | None:
    """Return the colours of a shape's or background's fill (None: it sets no fill)."""
    solid = props.find("a:solidFill/*", NS)
    if solid is not None:
        return (resolve(solid),), False, None
    gradient = props.find("a:gradFill", NS)
    if gradient is not None:
        stops = []
        for stop in _xpath(gradient, "a:gsLst/a:gs")[:16]:
            color = resolve(stop[0]) if len(stop) else None
            if color:
                alpha = stop[0].find("a:alpha", NS)
                opacity = _int(alpha.get("val") if alpha is not None else None, 100000)
                stops.append((_int(stop.get("pos"), 0) / 100000, color, opacity / 100000))
        if stops:
            return (
                tuple(dict.fromkeys(c for _, c, _ in stops)),
                False,
                _gradient_thumb(gradient, sorted(stops)),
            )
    pattern = props.find("a:pattFill", NS)
    if pattern is not None:
        colors = [resolve(c) for c in _xpath(pattern, "a:fgClr/* | a:bgClr/*")]
        return tuple(c for c in colors if c), False, None
    if props.find("a:noFill", NS) is not None:
        return (), False, None
    return None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


GRADIENT_THUMB = 24  # pixels a side of a gradient's picture


def _gradient_thumb(gradient: Any, stops: list[tuple[float, str, float]]) -> Thumb:
    """Return a small picture of a linear (a:lin) or path (a:path) gradient."""
    import math

    from generator.theme.colors import blend

    n = GRADIENT_THUMB
    lin, path = gradient.find("a:lin", NS), gradient.find("a:path", NS)
    angle = math.radians(_int(lin.get("ang") if lin is not None else None, 0) / 60000)
    dx, dy = math.cos(angle), math.sin(angle)
    span = abs(dx) + abs(dy) or 1.0
    to_rect = path.find("a:fillToRect", NS) if path is not None else None
    cx = (
        0.5
        if to_rect is None
        else (_int(to_rect.get("l"), 50000) + 100000 - _int(to_rect.get("r"), 50000)) / 200000
    )
    cy = (
        0.5
        if to_rect is None
        else (_int(to_rect.get("t"), 50000) + 100000 - _int(to_rect.get("b"), 50000)) / 200000
    )
    far = max(math.hypot(max(cx, 1 - cx), max(cy, 1 - cy)), 1e-6)

    def color_at(t: float) -> tuple[str, float]:
        t = min(max(t, 0.0), 1.0)
        if t <= stops[0][0]:
            return stops[0][1], stops[0][2]
        for (p0, c0, a0), (p1, c1, a1) in zip(stops, stops[1:], strict=False):
            if t <= p1:
                k = (t - p0) / (p1 - p0) if p1 > p0 else 0.0
                return blend(c0, c1, k), a0 + (a1 - a0) * k
        return stops[-1][1], stops[-1][2]

    pixels, opacities = bytearray(), bytearray()
    for y in range(n):
        for x in range(n):
            u, v = (x + 0.5) / n, (y + 0.5) / n
            if path is not None:  # from the focus (the first stop) outwards
                t = math.hypot(u - cx, v - cy) / far
            else:
                t = ((u - 0.5) * dx + (v - 0.5) * dy) / span + 0.5
            color, opacity = color_at(t)
            pixels += bytes(int(color[i : i + 2], 16) for i in (1, 3, 5))
            opacities.append(round(255 * min(max(opacity, 0.0), 1.0)))
    translucent = any(value < 255 for value in opacities)
    return Thumb(n, n, bytes(pixels), bytes(opacities) if translucent else None)


def _picture_colors(blip: Any, part: Any, pictures: dict) -> Paint:
    """Return a picture's mean colour, whether its colours vary widely (busy), and a small
    copy of it."""
    rid = blip.get(qn("r:embed"))
    try:
        image = part.related_part(rid)
    except (KeyError, ValueError):
        return (), False, None
    key = str(image.partname)
    if key not in pictures:
        pictures[key] = picture_stats(image.blob)
    mean, busy, thumb = pictures[key]
    return ((mean,) if mean else ()), busy, thumb


PICTURE_THUMB = 96  # pixels a side of a picture's copy: a tree trunk still shows
#: Pixels decoded to look at a template's picture (after a JPEG's draft); larger ones are
#: taken as busy, unseen: 50 megapixels decode to at most 200 MB.
MAX_PICTURE_PIXELS = 50_000_000


def picture_stats(blob: bytes) -> tuple[str | None, bool, Thumb | None]:
    try:
        from PIL import Image, ImageStat

        with Image.open(io.BytesIO(blob)) as picture:
            copy = (2 * PICTURE_THUMB, 2 * PICTURE_THUMB)
            picture.draft("RGB", copy)  # JPEG decodes small; others are thumbnailed
            if picture.width * picture.height > MAX_PICTURE_PIXELS:
                return None, True, None  # too large to look at: assume the worst
            if picture.mode in ("RGB", "RGBA", "L", "LA"):
                picture.thumbnail(copy)  # shrunk as decoded: no full-size copy
            if picture.mode.startswith("I"):  # 16-bit grey: scale to 8 bits first
                picture = picture.convert("I").point(lambda v: v / 256).convert("L")
            picture = picture.convert("RGBA")
            picture.thumbnail(copy)
            background = Image.new("RGBA", picture.size, (255, 255, 255, 255))
            picture = Image.alpha_composite(background, picture).convert("RGB")
            small = picture.resize((PICTURE_THUMB, PICTURE_THUMB), Image.Resampling.BOX)
            picture.thumbnail((64, 64))  # the spread of a 64-pixel copy tells busy
            stat = ImageStat.Stat(picture)
    except Exception:  # noqa: BLE001 - a broken or exotic picture: colour unknown
        return None, True, None
    r, g, b = (round(v) for v in stat.mean)
    spread = sum(stat.stddev) / 3
    return (
        f"#{r:02X}{g:02X}{b:02X}",
        spread > BUSY_SPREAD,
        Thumb(PICTURE_THUMB, PICTURE_THUMB, small.tobytes()),
    )


def _backdrop_background(root: Any, part: Any, resolve: Any, pictures: dict) -> Paint | None:
    """Return a master's or layout's own background colours and busyness (None: none)."""
    bg = root.find("p:cSld/p:bg", NS)
    if bg is None:
        return None
    ref = bg.find("p:bgRef/*", NS)
    if ref is not None:
        color = resolve(ref)
        return ((color,), False, None) if color else None
    props = bg.find("p:bgPr", NS)
    if props is None:
        return None
    blip = props.find("a:blipFill/a:blip", NS)
    if blip is not None:
        paint = _picture_colors(blip, part, pictures)
        if not paint[0] and paint[1]:  # a picture too large to look at: busy, colour unknown
            return (lay_resolve_scheme(resolve, "bg1") or "#FFFFFF",), True, None
        return paint if paint[0] else None
    fill = _fill_colors(props, resolve)
    return fill if fill and fill[0] else None


def lay_resolve_scheme(resolve: Any, name: str) -> str | None:
    """Return the colour a scheme name (bg1, tx1, ...) resolves to."""
    return resolve(etree.fromstring(f'<a:schemeClr xmlns:a="{NS["a"]}" val="{name}"/>'))


def _text_colors(master: Any, resolve: Any) -> tuple[tuple[str, str], ...]:
    """Return the master's title and body text colours (its styles, else tx1)."""
    result = []
    for role, style in (("title", "titleStyle"), ("body", "bodyStyle")):
        fill = master._element.find(f"p:txStyles/p:{style}/a:lvl1pPr/a:defRPr/a:solidFill/*", NS)
        color = resolve(fill) if fill is not None else lay_resolve_scheme(resolve, "tx1")
        if color:
            result.append((role, color))
    return tuple(result)


def _samples(prs: Any) -> tuple[tuple[int, int], ...]:
    """Return (master index, layout index) of every sample slide the template holds."""
    where = {}
    for m, master in enumerate(prs.slide_masters):
        for n, layout in enumerate(master.slide_layouts):
            where[layout.part.partname] = (m, n)
    found = []
    sld_ids = prs.part._element.find("p:sldIdLst", NS)
    for sld_id in list(sld_ids)[:200] if sld_ids is not None else []:
        try:
            slide = prs.part.related_part(sld_id.get(qn("r:id")))
            layout = slide.part_related_by(RT.SLIDE_LAYOUT)
        except (KeyError, ValueError):
            continue  # a dangling slide: no evidence
        if layout.partname in where:
            found.append(where[layout.partname])
    return tuple(found)


def _box_of(xfrm: Any) -> Box | None:
    off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
    if off is None or ext is None:
        return None
    return Box(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))


def _color_resolver(
    palette: dict[str, str], color_map: dict[str, str], under: str | None = None
) -> Any:
    """Return a function from a DrawingML colour element to "#RRGGBB" (or None).

    With `under` (the background), a translucent colour (a:alpha) is the colour seen: the
    two blended.
    """

    def resolve(el: Any) -> str | None:
        tag = etree.QName(el).localname
        if tag == "srgbClr":
            value = _hex(el.get("val"))
        elif tag == "schemeClr":
            value = palette.get(color_map.get(el.get("val"), el.get("val")), "")
        elif tag == "sysClr":
            value = _hex(el.get("lastClr"))
        else:
            return None
        if not value:
            return None
        mod, off = (el.find(f"a:{name}", NS) for name in ("lumMod", "lumOff"))
        if mod is not None or off is not None:
            import colorsys

            r, g, b = (int(value[i : i + 2], 16) / 255 for i in (1, 3, 5))
            hue, light, sat = colorsys.rgb_to_hls(r, g, b)
            light = light * (int(mod.get("val")) if mod is not None else 100000) / 100000
            light = min(1.0, light + (int(off.get("val")) if off is not None else 0) / 100000)
            value = "#" + "".join(
                f"{round(c * 255):02X}" for c in colorsys.hls_to_rgb(hue, light, sat)
            )
        alpha = el.find("a:alpha", NS)
        if alpha is not None and under is not None:
            from generator.theme.colors import blend

            opacity = min(max(int(alpha.get("val", "100000")) / 100000, 0.0), 1.0)
            value = blend(value, under, 1 - opacity)
        return value

    return resolve


def _background(master: Any, resolve: Any, pictures: dict) -> str | None:
    """Return the master background's colour: its fill, or the mean colour of its picture."""
    bg = master._element.find("p:cSld/p:bg", NS)
    if bg is None:
        return None
    solid = bg.find("p:bgPr/a:solidFill/*", NS)
    solid = bg.find("p:bgRef/*", NS) if solid is None else solid
    if solid is not None:
        return resolve(solid)
    stops = [resolve(s) for s in _xpath(bg, "p:bgPr/a:gradFill/a:gsLst/a:gs/*")]
    if [s for s in stops if s]:
        from generator.theme.colors import blend

        mean = stops[0] or "#FFFFFF"
        for n, stop in enumerate(stops[1:], start=2):
            mean = blend(mean, stop or mean, 1 / n)
        return mean
    blip = bg.find("p:bgPr/a:blipFill/a:blip", NS)
    if blip is None:
        return None
    colors, _, _ = _picture_colors(blip, master.part, pictures)  # decoded once per template
    return colors[0] if colors else None


_HEX = re.compile(r"[0-9A-Fa-f]{6}")


def _hex(value: str | None) -> str | None:
    """Return "#RRGGBB" for six hex digits, else None (a template's colour is untrusted)."""
    return "#" + value.upper() if value is not None and _HEX.fullmatch(value) else None


def _xpath(el: Any, expr: str) -> list[Any]:
    """Evaluate `expr` with our prefixes, on plain lxml and python-pptx elements alike."""
    return etree.XPath(expr, namespaces=NS)(el)


def _shape_elements(root: Any) -> list[Any]:
    """Return the shapes directly on the shape tree, in the order python-pptx iterates them."""
    tags = {qn(f"p:{t}") for t in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp", "contentPart")}
    return [e for e in root.find("p:cSld/p:spTree", NS) if e.tag in tags]


def _ph_elements(root: Any) -> list[Any]:
    return [e for e in _shape_elements(root) if e.find("*/p:nvPr/p:ph", NS) is not None]


def _ph_type(el: Any) -> str:
    return el.find("*/p:nvPr/p:ph", NS).get("type", "obj")  # the schema's default type


#: Placeholders per layout or master taken into account: real layouts have a dozen; the
#: bound keeps every later step (pairs, fits, choices) cheap on a padded one.
MAX_PLACEHOLDERS = 100


def _placeholders(
    root: Any, master: dict[str, PlaceholderInfo], resolve: Any
) -> list[PlaceholderInfo]:
    """Return the placeholders of a layout (or master) that have a box, inheriting by type.

    title and ctrTitle inherit from the master title; dt, ftr and sldNum from their own type;
    everything else from the master body. A placeholder placed nowhere is left out.
    """
    result = []
    for order, el in enumerate(_ph_elements(root)[:MAX_PLACEHOLDERS]):
        kind = _ph_type(el)
        base = master.get(
            kind if kind in ("title", *FOOTERS) else "title" if kind in TITLES else "body"
        )
        box = _xfrm_box(el, base.box if base else None)
        if box is not None:
            ph, name = el.find("*/p:nvPr/p:ph", NS), el.find("*/p:cNvPr", NS).get("name", "")
            vertical = ph.get("orient") == "vert"
            text = " ".join(
                "".join(t.text or "" for t in _xpath(p, "a:r/a:t | a:fld/a:t")).strip()
                for p in _xpath(el, "p:txBody/a:p")
            ).strip()
            fill = el.find("p:txBody/a:lstStyle/a:lvl1pPr/a:defRPr/a:solidFill/*", NS)
            color = resolve(fill) if fill is not None else None
            body = el.find("p:txBody/a:bodyPr", NS)
            own_centring = body.get("anchorCtr") if body is not None else None
            centred = own_centring in ("1", "true")
            if base is not None:
                text, color = text or base.text, color or base.color
                centred = centred if own_centring is not None else base.centred
            result.append(
                PlaceholderInfo(
                    kind, int(ph.get("idx", "0")), name, box, order, vertical, text, color, centred
                )
            )
    return result


def _xfrm_box(el: Any, inherited: Box | None) -> Box | None:
    """Return the shape's own box; a missing offset or extent comes from `inherited`."""
    xfrm = el.find("p:spPr/a:xfrm", NS)
    xfrm = el.find("p:xfrm", NS) if xfrm is None else xfrm  # graphic frames keep it outside
    off = xfrm.find("a:off", NS) if xfrm is not None else None
    ext = xfrm.find("a:ext", NS) if xfrm is not None else None
    if off is not None and ext is not None:
        return Box(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))
    if inherited is not None and off is not None:
        return replace(inherited, x=int(off.get("x")), y=int(off.get("y")))
    if inherited is not None and ext is not None:
        return replace(inherited, w=int(ext.get("cx")), h=int(ext.get("cy")))
    return inherited


def _theme(master: Any) -> tuple[dict[str, str], str, str]:
    """Return the scheme colours (sysClr resolved via lastClr) and major and minor fonts."""
    try:
        root = etree.fromstring(master.part.part_related_by(RT.THEME).blob, _PARSER)
    except KeyError:
        return {}, "", ""
    colors = {}
    for slot in root.iterfind("a:themeElements/a:clrScheme/*", NS):
        rgb, system = slot.find("a:srgbClr", NS), slot.find("a:sysClr", NS)
        value = _hex(rgb.get("val")) if rgb is not None else None
        value = _hex(system.get("lastClr")) if value is None and system is not None else value
        if value:  # a colour that is not six hex digits is no colour
            colors[etree.QName(slot).localname] = value
    fonts = [
        root.find(f"a:themeElements/a:fontScheme/a:{w}/a:latin", NS)
        for w in ("majorFont", "minorFont")
    ]
    major, minor = (f.get("typeface", "") if f is not None else "" for f in fonts)
    return colors, major, minor


def _style_font(master: Any, style: str, theme_font: str) -> str:
    """Return the font of the master's title or body text; theme references resolve."""
    el = master._element.find(f"p:txStyles/p:{style}Style/a:lvl1pPr/a:defRPr/a:latin", NS)
    face = el.get("typeface", "") if el is not None else ""
    # "+mj-lt" and "+mn-lt" point at the theme; many masters name a real face instead.
    return theme_font if not face or face.startswith("+") else face
