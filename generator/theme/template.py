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
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from generator.model.geometry import Box

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PptxPresentation

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_PML = "application/vnd.openxmlformats-officedocument.presentationml."
_MACRO = "application/vnd.ms-powerpoint."
PRESENTATION_MAIN = _PML + "presentation.main+xml"
# Templates, shows and macro-enabled files are presentations under another label; the deck we
# save is a .pptx, so they are relabelled (and macros dropped in open_template).
OTHER_MAINS = (
    _PML + "template.main+xml",
    _PML + "slideshow.main+xml",
    *(
        _MACRO + f"{kind}.macroEnabled.main+xml"
        for kind in ("presentation", "template", "slideshow")
    ),
)
VBA_PROJECT = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
SECTIONS_EXT = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"
MAX_UNZIPPED = 512 * 1024 * 1024  # refuse zip bombs posing as templates
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

    @property
    def layouts(self) -> list[LayoutInfo]:
        return [lay for m in self.masters for lay in m.layouts]

    def find_layout(self, name: str) -> LayoutInfo | None:
        """Return the layout called name: exactly, else ignoring case and outer spaces."""
        found = [lay for lay in self.layouts if lay.name == name] or [
            lay for lay in self.layouts if lay.name.casefold() == str(name).strip().casefold()
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

    Raises TemplateError for a missing file, a file that is not a zip or not a presentation,
    and corrupt XML. Macros are dropped: the deck is saved as a .pptx.
    """
    path = Path(path)
    try:
        data = _relabelled(path.read_bytes())
        prs = Presentation(io.BytesIO(data))
    except FileNotFoundError:
        raise TemplateError(f"template not found: {path}") from None
    except TemplateError as exc:
        raise TemplateError(f"{path}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - untrusted input; pptx, lxml and zipfile raise many
        raise TemplateError(f"{path}: not a readable PowerPoint file ({exc})") from None
    for rel in [r for r in prs.part.rels.values() if r.reltype == VBA_PROJECT]:
        prs.part.rels.pop(rel.rId)
    return prs


def _relabelled(data: bytes) -> bytes:
    """Return the package with a template's main content type relabelled as a presentation."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TemplateError("not a PowerPoint file (not a zip archive)") from None
    with zf:
        if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED:
            raise TemplateError("too large when unzipped")
        if "[Content_Types].xml" not in zf.namelist():
            raise TemplateError("not a PowerPoint file (no [Content_Types].xml)")
        types = patched = zf.read("[Content_Types].xml")
        for other in OTHER_MAINS:
            patched = patched.replace(other.encode(), PRESENTATION_MAIN.encode())
        if patched == types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in zf.infolist():
                dst.writestr(
                    item, patched if item.filename == "[Content_Types].xml" else zf.read(item)
                )
        return out.getvalue()


def read_template(path: str | Path) -> TemplateInfo:
    """Return the slide size, masters, layouts, placeholder boxes, colours and fonts.

    Reads are cached by path, size and modification time: a theme's template is read when
    the theme loads and again when the deck is planned, and a watch rebuild re-reads it
    only when it changed.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise TemplateError(f"template not found: {path}") from None
    return _read_template(path.resolve(), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read_template(path: Path, size: int, mtime: int) -> TemplateInfo:
    prs = open_template(path)
    try:
        masters = tuple(_master_info(i, m) for i, m in enumerate(prs.slide_masters))
    except Exception as exc:  # noqa: BLE001 - untrusted XML: a bad number, a missing part
        raise TemplateError(f"{path}: broken slide master, layout or theme ({exc})") from None
    if not masters:
        raise TemplateError(f"{path}: the template has no slide master")
    # sldSz may be absent: python-pptx then reports None, and PowerPoint uses 4:3.
    width, height = int(prs.slide_width or 9144000), int(prs.slide_height or 6858000)
    first = masters[0]
    return TemplateInfo(
        str(path), width, height, masters, first.colors, first.heading_font, first.body_font
    )


def _master_info(index: int, master: Any) -> MasterInfo:
    colors, major, minor = _theme(master)
    clr_map = master._element.find("p:clrMap", NS)
    color_map = dict(clr_map.attrib) if clr_map is not None else {}
    resolve = _color_resolver(colors, color_map)
    by_type = {p.type: p for p in reversed(_placeholders(master._element, {}, resolve))}
    own = _decorations(master._element)
    layouts = tuple(
        LayoutInfo(
            lay.name or f"layout {index}.{i}",
            index,
            i,
            lay._element.get("type", "cust"),
            tuple(_placeholders(lay._element, by_type, resolve)),
            len(_shape_elements(lay._element)) - len(_ph_elements(lay._element)),
            _decorations(lay._element) + (own if lay._element.get("showMasterSp") != "0" else ()),
        )
        for i, lay in enumerate(master.slide_layouts)
    )
    fonts = _style_font(master, "title", major), _style_font(master, "body", minor)
    title_fill = master._element.find(
        "p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr/a:solidFill/*", NS
    )
    title_color = resolve(title_fill) if title_fill is not None else None
    return MasterInfo(
        index, master.name, layouts, by_type, colors, *fonts, color_map,
        _background(master, resolve), title_color,
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


def _box_of(xfrm: Any) -> Box | None:
    off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
    if off is None or ext is None:
        return None
    return Box(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))


def _color_resolver(palette: dict[str, str], color_map: dict[str, str]) -> Any:
    """Return a function from a DrawingML colour element to "#RRGGBB" (or None)."""

    def resolve(el: Any) -> str | None:
        tag = etree.QName(el).localname
        if tag == "srgbClr":
            value = "#" + el.get("val", "").upper()
        elif tag == "schemeClr":
            value = palette.get(color_map.get(el.get("val"), el.get("val")), "")
        elif tag == "sysClr":
            value = "#" + el.get("lastClr", "").upper()
        else:
            return None
        if len(value) != 7:
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
        return value

    return resolve


def _background(master: Any, resolve: Any) -> str | None:
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
    try:
        from PIL import Image

        blob = master.part.related_part(blip.get(qn("r:embed"))).blob
        with Image.open(io.BytesIO(blob)) as picture:
            picture.draft("RGB", (64, 64))  # JPEG decodes small; others are thumbnailed
            if picture.mode.startswith("I"):  # 16-bit grey: scale to 8 bits first
                picture = picture.convert("I").point(lambda v: v / 256).convert("L")
            picture = picture.convert("RGB")
            picture.thumbnail((64, 64))
            r, g, b = picture.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    except Exception:  # noqa: BLE001 - a broken or exotic picture: colour unknown
        return None
    return f"#{r:02X}{g:02X}{b:02X}"


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


def _placeholders(
    root: Any, master: dict[str, PlaceholderInfo], resolve: Any
) -> list[PlaceholderInfo]:
    """Return the placeholders of a layout (or master) that have a box, inheriting by type.

    title and ctrTitle inherit from the master title; dt, ftr and sldNum from their own type;
    everything else from the master body. A placeholder placed nowhere is left out.
    """
    result = []
    for order, el in enumerate(_ph_elements(root)):
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
            if base is not None:
                text, color = text or base.text, color or base.color
            result.append(
                PlaceholderInfo(
                    kind, int(ph.get("idx", "0")), name, box, order, vertical, text, color
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
        value = rgb.get("val") if rgb is not None else None
        value = system.get("lastClr") if value is None and system is not None else value
        if value:
            colors[etree.QName(slot).localname] = "#" + value.upper()
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
