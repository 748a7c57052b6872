"""Write a DeckPlan as a .pptx with python-pptx: native text, tables and pictures."""

from __future__ import annotations

import datetime
import functools
import io
import posixpath
import re
import uuid
import zipfile
from typing import Optional
from xml.sax.saxutils import escape

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.package import Part
from pptx.opc.packuri import PACKAGE_URI, PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml import parse_xml
from pptx.oxml.slide import CT_NotesSlide, CT_Slide
from pptx.parts.image import ImagePart
from pptx.slide import NotesSlide

from generator.errors import NOT_XML
from generator.layout.plan import (
    ChartElement,
    DeckPlan,
    PictureElement,
    RectElement,
    SlidePlan,
    TableElement,
    TextElement,
)
from generator.theme.template import SECTIONS_EXT
from generator.writers import pptx_xml
from generator.writers.pptx_base import SlideBase
from generator.writers.pptx_chart import new_chart_part
from generator.writers.save import write_entry

CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPS_RT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
MAX_CUSTOM_PROPS_BYTES = 4 * 1024 * 1024
# Decks and templates come from anywhere: no entities, no network, no huge trees.
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def write_pptx(plan: DeckPlan, *, created: Optional[datetime.datetime] = None) -> bytes:
    """Return the deck as normalised .pptx bytes (the same plan gives the same bytes)."""
    base = SlideBase(plan)
    prs = base.prs
    parts = NewParts(prs)
    plain = plan.template is not None
    for slide_plan in plan.slides:
        _write_slide(base, slide_plan, parts, plain)
    _core_properties(prs, plan, created)
    if plan.sections:
        _sections(prs, plan.sections)
    if plan.properties:
        _custom_properties(prs, plan.properties)
    return package_bytes(prs)


class TextPart(Part):
    """A slide or notes part that deckwright wrote as XML text.

    python-pptx relates and saves it like its own parts, but no lxml tree is kept:
    a slide's tree takes about ten times the memory of its text.
    """

    def __init__(self, partname: PackURI, content_type: str, package) -> None:
        super().__init__(partname, content_type, package)
        self.xml = b""

    # Part.blob has a setter in python-pptx's base class; this part's bytes live in .xml.
    @property  # type: ignore[misc]
    def blob(self) -> bytes:
        return self.xml


# Characters XML 1.0 cannot hold: lxml refuses them, so text with any goes through it
# (and fails the way it always did) instead of into a broken file.
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F]")
_NOTES_MARK = "\ue000deckwright-notes\ue000"


def _text(value: str) -> str:
    """Return value as XML text, control characters written as python-pptx does (_x0007_)."""
    value = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """Return value escaped for a double-quoted attribute, as lxml writes it."""
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def notes_paragraphs(text: str) -> str:
    """Return the <a:p> elements python-pptx's ``notes_text_frame.text = text`` makes.

    A line feed starts a paragraph, a vertical tab is a line break, and other control
    characters are escaped as _xHHHH_.
    """
    paragraphs = []
    for line in text.split("\n"):
        runs = "<a:br/>".join(
            f"<a:r><a:t>{_text(piece)}</a:t></a:r>" if piece else "" for piece in line.split("\v")
        )
        paragraphs.append(f"<a:p>{runs}</a:p>" if runs else "<a:p/>")
    return "".join(paragraphs)


# PowerPoint's "Mark as decorative": screen readers skip the picture (Office 2019 and later).
DECORATIVE_EXT = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" '
    'val="1"/></a:ext></a:extLst>'
)
P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"


def picture_xml(shape_id: int, box, alt: str, rid: str, decorative: bool = False) -> str:
    """Return the <p:pic> python-pptx's add_picture makes, with alt text as its description
    (or PowerPoint's decorative mark instead)."""
    c_nv_pr = (
        f'<p:cNvPr id="{shape_id}" name="Picture {shape_id - 1}">{DECORATIVE_EXT}</p:cNvPr>'
        if decorative
        else f'<p:cNvPr id="{shape_id}" name="Picture {shape_id - 1}" descr="{_attr(alt)}"/>'
    )
    return (
        f"<p:pic><p:nvPicPr>{c_nv_pr}<p:cNvPicPr>"
        '<a:picLocks noChangeAspect="1"/></p:cNvPicPr>'
        f'<p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
        f'</a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="{box.x}" y="{box.y}"/>'
        f'<a:ext cx="{box.w}" cy="{box.h}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></p:spPr></p:pic>"
    )


def chart_frame_xml(shape_id: int, element: ChartElement, rid: str) -> str:
    """Return the <p:graphicFrame> holding the chart, its alt text as the description."""
    return (
        f'<p:graphicFrame {pptx_xml.NSDECLS}><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" '
        f'name="Chart {shape_id - 1}" descr="{_attr(element.alt)}"/><p:cNvGraphicFramePr>'
        f'<a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
        f"</p:nvGraphicFramePr>{pptx_xml.xfrm(element.box, 'p:xfrm')}<a:graphic>"
        f'<a:graphicData uri="{CHART_URI}"><c:chart xmlns:c="{CHART_URI}" r:id="{rid}"/>'
        "</a:graphicData></a:graphic></p:graphicFrame>"
    )


CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


class NewParts:
    """Add slides, notes slides and pictures to a presentation in constant time each.

    python-pptx's own calls are O(parts) per new part, so O(n^2) per deck:
    ``notes_slide`` and ``add_picture`` name the new part by walking every part of
    the package (OpcPackage.next_partname, next_image_partname, _find_by_sha1),
    ``prs.slides`` renames every slide part on each access, ``add_slide`` rebuilds
    the presentation's relationships by type and reads every sldId for the next
    id. Here the partnames in use are read once and counters continue from them,
    so partnames stay unique, each new part gets exactly one relationship from
    its source, and content types come from the parts when the package is saved.

    Slides and notes slides are written as XML text (TextPart): the same bytes
    python-pptx would write, without building and keeping an lxml tree per part.
    """

    MAX_SLIDE_ID = 2147483647
    NOTES = "/ppt/notesSlides/notesSlide%d.xml"
    SLIDES = "/ppt/slides/slide%d.xml"

    def __init__(self, prs) -> None:
        self.prs = prs
        self.package = prs.part.package
        existing = list(self.package.iter_parts())
        self._used = {str(part.partname) for part in existing}
        self._counters: dict[str, int] = {}
        self._images: dict[str, ImagePart] = {}  # by path
        self._by_sha1 = {part.sha1: part for part in existing if isinstance(part, ImagePart)}
        self._image_numbers = {
            part.partname.idx
            for part in existing
            if str(part.partname).startswith("/ppt/media/image")
        }
        self._sld_ids = prs.part._element.get_or_add_sldIdLst()
        self._slide_ids = {int(value) for value in self._sld_ids.xpath("./p:sldId/@id")}
        self._next_slide_id = max([255, *self._slide_ids]) + 1
        self._notes: Optional[tuple[Part, str, str]] = None  # master part, text around notes
        head, tail = serialize_part_xml(CT_Slide.new()).decode("utf-8").split("</p:spTree>")
        self._slide_head, self._slide_tail = head, "</p:spTree>" + tail

    def partname(self, template: str) -> PackURI:
        """Return the next unused partname for a '/ppt/x/x%d.xml' template."""
        number = self._counters.get(template, 0) + 1
        while template % number in self._used:
            number += 1
        self._counters[template] = number
        name = template % number
        self._used.add(name)
        return PackURI(name)

    def add_slide(self, layout) -> TextPart:
        """Return a new slide part on layout, appended to the presentation; fill it with
        set_shapes()."""
        part = TextPart(self.partname(self.SLIDES), CT.PML_SLIDE, self.package)
        part.relate_to(layout.part, RT.SLIDE_LAYOUT)
        # A new part has no relationship yet, so get_or_add's search is not needed.
        rid = self.prs.part.rels._add_relationship(RT.SLIDE, part)
        self._sld_ids._add_sldId(id=self._slide_id(), rId=rid)
        return part

    def _slide_id(self) -> int:
        number = self._next_slide_id
        if number > self.MAX_SLIDE_ID:  # used up: take the lowest free one, as python-pptx does
            number = next(n for n in range(256, self.MAX_SLIDE_ID) if n not in self._slide_ids)
        self._slide_ids.add(number)
        self._next_slide_id = number + 1
        return number

    def set_shapes(
        self, slide: TextPart, fragments: list[str], *, background: str = "", timing: str = ""
    ) -> None:
        """Write the slide's XML: its shapes (pptx_xml fragments) in z-order, and its own
        background (a <p:bg>) and animations (a <p:timing>) when given."""
        declared = " " + pptx_xml.NSDECLS  # the slide's root declares these once
        shapes = "".join(fragment.replace(declared, "", 1) for fragment in fragments)
        # Markup only: text is escaped. lxml writes an empty element this way.
        shapes = shapes.replace("<a:t></a:t>", "<a:t/>")
        if NOT_XML.search(shapes):
            parse_xml(f"<p:spTree {pptx_xml.NSDECLS}>{shapes}</p:spTree>")  # raises
        head, tail = self._slide_head, self._slide_tail
        if background:
            head = head.replace("<p:cSld>", "<p:cSld>" + background, 1)
        if timing:
            tail = tail.replace("</p:sld>", timing + "</p:sld>", 1)
        slide.xml = (head + shapes + tail).encode("utf-8")

    def add_notes(self, slide: TextPart, text: str) -> None:
        """Give slide a notes slide holding text, as python-pptx's notes_slide would."""
        if NOT_XML.search(text.translate(_NOTES_ESCAPED)):
            raise ValueError(
                "All strings must be XML compatible: Unicode or ASCII, "
                "no NULL bytes or control characters"
            )
        if self._notes is None:
            self._notes = self._notes_template()
        master, head, tail = self._notes
        part = TextPart(self.partname(self.NOTES), CT.PML_NOTES_SLIDE, self.package)
        part.relate_to(master, RT.NOTES_MASTER)
        part.relate_to(slide, RT.SLIDE)
        slide.relate_to(part, RT.NOTES_SLIDE)
        part.xml = (head + (notes_paragraphs(text) if tail else "") + tail).encode("utf-8")

    def _notes_template(self) -> tuple[Part, str, str]:
        """Return the notes master and a new notes slide's XML around its notes text.

        Made once per deck the way python-pptx makes each notes slide: the master's
        slide image, notes body and slide number placeholders, cloned.
        """
        master = self.prs.part.notes_master_part
        element = CT_NotesSlide.new()
        notes = NotesSlide(element, None)  # type: ignore[arg-type]  # detached: needs no part
        notes.clone_master_placeholders(master.notes_master)
        frame = notes.notes_text_frame
        if frame is None:  # a notes master without a body: the notes slide has no text
            return master, serialize_part_xml(element).decode("utf-8"), ""
        frame.text = _NOTES_MARK
        xml = serialize_part_xml(element).decode("utf-8")
        head, tail = xml.split(f"<a:p><a:r><a:t>{_NOTES_MARK}</a:t></a:r></a:p>")
        return master, head, tail

    def picture_rid(self, slide: TextPart, path: str) -> str:
        """Return the slide's relationship id to the image at path; one part per image."""
        image_part = self._images.get(path)
        if image_part is None:
            from pptx.parts.image import Image

            image = Image.from_file(path)
            image_part = self._by_sha1.get(image.sha1)
            if image_part is None:
                number = 1
                while number in self._image_numbers:
                    number += 1
                self._image_numbers.add(number)
                name = PackURI(f"/ppt/media/image{number}.{image.ext}")
                image_part = ImagePart(
                    name, image.content_type, self.package, image.blob, image.filename
                )
                self._by_sha1[image.sha1] = image_part
            self._images[path] = image_part
        return slide.relate_to(image_part, RT.IMAGE)


# Control characters python-pptx escapes as _xHHHH_ rather than refusing.
_NOTES_ESCAPED = {code: None for code in range(0x20) if code not in (0x09, 0x0A)}


class _ZipWriter:
    """python-pptx's physical package writer, with fixed timestamps and attributes."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def write(self, uri: PackURI, blob: bytes) -> None:
        write_entry(self.archive, uri.membername, blob)


def package_bytes(prs) -> bytes:
    """Return the presentation as deterministic .pptx bytes, compressed once.

    The same bytes as prs.save() followed by save.normalise_zip(), without
    compressing every part twice: the parts in python-pptx's order, [Content_Types]
    from python-pptx's PackageWriter, relationships written as text (rels_xml), and
    zip entries with fixed timestamps and attributes.
    """
    package = prs.part.package
    parts = tuple(package.iter_parts())
    # python-pptx internals: PackageWriter without a file, _ZipWriter for its
    # _PhysPkgWriter (only write() is called).
    writer = PackageWriter(None, package._rels, parts)  # type: ignore[arg-type]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        target = _ZipWriter(archive)
        writer._write_content_types_stream(target)  # type: ignore[arg-type]
        target.write(PACKAGE_URI.rels_uri, rels_xml(package._rels, "/"))
        for part in parts:
            target.write(part.partname, part.blob)
            if part.rels:
                target.write(part.partname.rels_uri, rels_xml(part.rels, part.partname.baseURI))
    return out.getvalue()


_RELS_HEAD = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
)


def rels_xml(rels, base_uri: str) -> bytes:
    """Return a .rels part as python-pptx's _Relationships.xml writes it, as text.

    python-pptx builds an lxml tree per part and a relative path per relationship
    with posixpath.relpath; for a large deck that was a fifth of saving.
    """

    def number(rid: str) -> int:
        return int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0

    items = []
    for rid in sorted(rels.keys(), key=lambda rid: (number(rid), rid)):
        rel = rels[rid]
        if rel.is_external:
            target, mode = rel.target_ref, ' TargetMode="External"'
        else:
            target, mode = _relative_ref(str(rel.target_partname), base_uri), ""
        items.append(
            f'<Relationship Id="{_attr(rid)}" Type="{_attr(rel.reltype)}" '
            f'Target="{_attr(target)}"{mode}/>'
        )
    if not items:
        return (_RELS_HEAD + "/>").encode("utf-8")
    return (_RELS_HEAD + ">" + "".join(items) + "</Relationships>").encode("utf-8")


def _relative_ref(partname: str, base_uri: str) -> str:
    """Return PackURI(partname).relative_ref(base_uri), with the folder part cached."""
    if base_uri == "/":
        return partname[1:]
    folder, _, name = partname.rpartition("/")
    relative = _relative_folder(folder or "/", base_uri)
    return name if relative == "." else f"{relative}/{name}"


@functools.lru_cache(maxsize=256)
def _relative_folder(folder: str, base_uri: str) -> str:
    return posixpath.relpath(folder, base_uri)


def _write_slide(base: SlideBase, slide_plan: SlidePlan, parts: NewParts, plain: bool) -> None:
    """Add one slide. plain: reset the template's text styles (caps, spacing) in its shapes."""
    slide = parts.add_slide(base.layout(slide_plan))
    links: dict[str, str] = {}

    def link_id(url: str) -> str:
        if url not in links:
            links[url] = slide.relate_to(url, RT.HYPERLINK, is_external=True)
        return links[url]

    next_id = 2
    fragments: list[str] = []
    reveals: list[tuple[int, list[int]]] = []  # shape id, the level of each paragraph
    for element in slide_plan.elements:
        if isinstance(element, TextElement):
            fragments.append(pptx_xml.text_shape(next_id, element, link_id, plain=plain))
            if element.reveal and element.paragraphs:
                reveals.append((next_id, [p.level for p in element.paragraphs]))
        elif isinstance(element, RectElement):
            fragments.append(pptx_xml.rect_shape(next_id, element))
        elif isinstance(element, TableElement):
            fragments.append(pptx_xml.table_shape(next_id, element, link_id))
        elif isinstance(element, PictureElement):
            rid = parts.picture_rid(slide, element.path)
            fragments.append(
                picture_xml(next_id, element.box, element.alt, rid, element.decorative)
            )
        elif isinstance(element, ChartElement):
            chart = new_chart_part(parts.package, element, parts.partname)
            rid = slide.relate_to(chart, RT.CHART)
            fragments.append(chart_frame_xml(next_id, element, rid))
        next_id += 1
    background = ""
    if slide_plan.background is not None:
        background = pptx_xml.picture_background(parts.picture_rid(slide, slide_plan.background))
    parts.set_shapes(
        slide, fragments, background=background, timing=pptx_xml.reveal_timing(reveals)
    )
    if slide_plan.notes:
        parts.add_notes(slide, slide_plan.notes)


def _core_properties(prs, plan: DeckPlan, created: Optional[datetime.datetime]) -> None:
    props = prs.core_properties
    # Document properties hold at most 255 characters (python-pptx raises past that);
    # the slides themselves carry the full text.
    props.title = (plan.title or "")[:255]
    props.author = (plan.author or "")[:255]
    props.subject = (plan.subject or "")[:255]
    props.language = plan.lang
    props.last_modified_by = (plan.author or "deckwright")[:255]
    props.revision = 1
    stamp = created or datetime.datetime(2000, 1, 1)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


def _sections(prs, sections: list[tuple[str, int]]) -> None:
    """Write PowerPoint sections (p14:sectionLst) into presentation.xml's extLst.

    Each section lists the ids of its slides; its GUID comes from its position and
    name, so a rebuild writes the same bytes.
    """
    from pptx.oxml.ns import qn

    root = prs.part._element
    ids = [sld.get("id") for sld in root.findall(f"{qn('p:sldIdLst')}/{qn('p:sldId')}")]
    bounds = [first for _, first in sections[1:]] + [len(ids)]
    items = []
    for (name, first), end in zip(sections, bounds, strict=True):
        guid = (
            "{"
            + str(uuid.uuid5(uuid.NAMESPACE_URL, f"deckwright-section:{first}:{name}")).upper()
            + "}"
        )
        slides = "".join(f'<p14:sldId id="{number}"/>' for number in ids[first:end])
        items.append(
            f'<p14:section name="{_attr(name[:1024])}" id="{guid}">'
            f"<p14:sldIdLst>{slides}</p14:sldIdLst></p14:section>"
        )
    ext = parse_xml(
        f'<p:ext xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        f'uri="{SECTIONS_EXT}"><p14:sectionLst xmlns:p14="{P14}">{"".join(items)}'
        "</p14:sectionLst></p:ext>"
    )
    ext_lst = root.find(qn("p:extLst"))
    if ext_lst is None:
        ext_lst = root.makeelement(qn("p:extLst"), {})
        root.append(ext_lst)
    ext_lst.insert(0, ext)


def _custom_properties(prs, properties: dict[str, str]) -> None:
    """Add docProps/custom.xml with deckwright's record: the deck's only custom
    properties, as the template's own never reach it (generator.theme.scrub)."""
    items = "".join(
        f'<property fmtid="{CUSTOM_FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(sorted(properties.items()), start=2)
    )
    blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/docPropsVTypes">{items}</Properties>'
    ).encode()
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPS_CT, prs.part.package, blob)
    prs.part.package.relate_to(part, CUSTOM_PROPS_RT)


def read_custom_properties(path) -> dict[str, str]:
    """Return the custom document properties of a .pptx (empty when it has none).

    A property without a name (not one deckwright wrote) is left out.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            if archive.getinfo("docProps/custom.xml").file_size > MAX_CUSTOM_PROPS_BYTES:
                return {}
            data = archive.read("docProps/custom.xml")
    except (KeyError, OSError, zipfile.BadZipFile):
        return {}
    root = etree.fromstring(data, _SAFE_PARSER)
    return {
        name: "".join(prop.itertext()) for prop in root if (name := prop.get("name")) is not None
    }


def layouts_deck(plan: DeckPlan, layouts: list[tuple[int, int]]) -> bytes:
    """Return a deck of one empty slide per (master, layout): what each draws behind a slide.

    Built on the same template as the deck itself, prompts scrubbed, so rendering it
    shows the masters' and layouts' artwork and backgrounds, and nothing else.
    """
    base = SlideBase(plan)
    parts = NewParts(base.prs)
    for master, layout in layouts:
        slide = parts.add_slide(base.prs.slide_masters[master].slide_layouts[layout])
        parts.set_shapes(slide, [])
    return package_bytes(base.prs)
