"""Write a DeckPlan as a .pptx with python-pptx: native text, tables and pictures."""

from __future__ import annotations

import copy
import datetime
import io
import zipfile
import re
from typing import Optional, Protocol
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml import parse_xml
from pptx.oxml.slide import CT_NotesSlide
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.slide import NotesSlide

from generator.layout.plan import (DeckPlan, PictureElement, RectElement, SlidePlan,
                                   TableElement, TextElement)
from generator.writers import pptx_xml
from generator.writers.save import ZIP_EPOCH

Placeholder = tuple[Optional[str], Optional[int]]
CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPS_RT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                   "custom-properties")
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
MAX_CUSTOM_PROPS_BYTES = 4 * 1024 * 1024
# Decks and templates come from anywhere: no entities, no network, no huge trees.
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class Base(Protocol):
    """Where slides come from: a fresh presentation and a layout per slide kind."""

    def presentation(self, plan: DeckPlan) -> Presentation: ...

    def layout(self, prs: Presentation, kind: str): ...

    def placeholder(self, kind: str, role: str) -> Optional[Placeholder]: ...


class GridBase:
    """No template: python-pptx's default master, resized, with the theme's background."""

    def __init__(self, background: str):
        self.background = background

    def presentation(self, plan: DeckPlan) -> Presentation:
        prs = Presentation()
        prs.slide_width, prs.slide_height = plan.width, plan.height
        fill = prs.slide_master.background.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(self.background)
        self._title_only = next(layout for layout in prs.slide_layouts
                                if layout.name == "Title Only")
        return prs

    def layout(self, prs: Presentation, kind: str):
        return self._title_only

    def placeholder(self, kind: str, role: str) -> Optional[Placeholder]:
        return ("title", None) if role == "title" else None


def _rgb(color: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(color.lstrip("#"))


def write_pptx(plan: DeckPlan, base: Base, *, accent: str, rule: str,
               created: Optional[datetime.datetime] = None) -> bytes:
    """Return the deck as normalised .pptx bytes (the same plan gives the same bytes)."""
    prs = base.presentation(plan)
    parts = NewParts(prs)
    for slide_plan in plan.slides:
        _write_slide(prs, base, slide_plan, accent, rule, parts)
    _core_properties(prs, plan, created)
    if plan.properties:
        _custom_properties(prs, plan.properties)
    return package_bytes(prs)


class NewParts:
    """Add slides, notes slides and pictures to a presentation in constant time each.

    python-pptx's own calls are O(parts) per new part, so O(n^2) per deck:
    ``notes_slide`` and ``add_picture`` name the new part by walking every part of
    the package (OpcPackage.next_partname, ImageParts._find_by_sha1),
    ``prs.slides`` renames every slide part on each access, ``add_slide`` rebuilds
    the presentation's relationships by type, reads every sldId for the next id
    and clones layout placeholders that the writer deletes again. Here the
    partnames in use are read once and counters continue from them, so
    partnames stay unique, each new part gets exactly one relationship from its
    source, and content types still come from the parts when the package is
    saved. The XML is the same as python-pptx's, byte for byte.
    """

    MAX_SLIDE_ID = 2147483647

    def __init__(self, prs) -> None:
        self.prs = prs
        self.package = prs.part.package
        self._used = {str(part.partname) for part in self.package.iter_parts()}
        self._counters: dict[str, int] = {}
        self._sld_ids = prs.part._element.get_or_add_sldIdLst()
        used_ids = [int(value) for value in self._sld_ids.xpath("./p:sldId/@id")]
        self._next_slide_id = max([255, *used_ids]) + 1
        self._notes: Optional[tuple[Part, object]] = None  # (notes master part, template)
        self._images: dict[str, Part] = {}

    def partname(self, template: str) -> PackURI:
        """Return the next unused partname for a '/ppt/x/x%d.xml' template."""
        number = self._counters.get(template, 0) + 1
        while template % number in self._used:
            number += 1
        self._counters[template] = number
        name = template % number
        self._used.add(name)
        return PackURI(name)

    def add_slide(self, layout):
        """Return a new, empty slide on layout, appended to the presentation."""
        if self._next_slide_id > self.MAX_SLIDE_ID:  # ids run out: python-pptx reuses gaps
            return self.prs.slides.add_slide(layout)
        part = SlidePart.new(self.partname("/ppt/slides/slide%d.xml"), self.package,
                             layout.part)
        # A new part has no relationship yet, so get_or_add's search is not needed.
        rid = self.prs.part.rels._add_relationship(RT.SLIDE, part)
        self._sld_ids._add_sldId(id=self._next_slide_id, rId=rid)
        self._next_slide_id += 1
        return part.slide

    def add_notes(self, slide, text: str) -> None:
        """Give slide a notes slide holding text, as python-pptx's notes_slide would."""
        if slide.part.rels._rels_by_reltype.get(RT.NOTES_SLIDE):
            slide.notes_slide.notes_text_frame.text = text
            return
        if self._notes is None:
            master_part = self.prs.part.notes_master_part
            template = CT_NotesSlide.new()
            NotesSlide(template, None).clone_master_placeholders(master_part.notes_master)
            self._notes = (master_part, template)
        master_part, template = self._notes
        part = NotesSlidePart(self.partname("/ppt/notesSlides/notesSlide%d.xml"),
                              CT.PML_NOTES_SLIDE, self.package, copy.deepcopy(template))
        part.relate_to(master_part, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        frame = part.notes_slide.notes_text_frame
        if frame is None:  # a notes master without a body placeholder
            return
        frame.text = text

    def add_picture(self, slide, path: str, x: int, y: int, w: int, h: int):
        """Return a new picture shape; one image part per file, however many slides show it."""
        image_part = self._images.get(path)
        if image_part is None:
            image_part, rid = slide.part.get_or_add_image_part(path)
            self._images[path] = image_part
        else:
            rid = slide.part.relate_to(image_part, RT.IMAGE)
        pic = slide.shapes._add_pic_from_image_part(image_part, rid, x, y, w, h)
        return slide.shapes._shape_factory(pic)


class _ZipWriter:
    """python-pptx's physical package writer, with fixed timestamps and attributes."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def write(self, uri: PackURI, blob: bytes) -> None:
        entry = zipfile.ZipInfo(uri.membername, date_time=ZIP_EPOCH)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        entry.create_system = 0
        self.archive.writestr(entry, blob, compresslevel=6)


def package_bytes(prs) -> bytes:
    """Return the presentation as deterministic .pptx bytes, compressed once.

    The same as prs.save() followed by save.normalise_zip(), without compressing
    every part twice: python-pptx's PackageWriter lays out the package, and the
    zip entries get fixed timestamps and attributes as they are written.
    """
    package = prs.part.package
    writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        target = _ZipWriter(archive)
        writer._write_content_types_stream(target)
        writer._write_pkg_rels(target)
        writer._write_parts(target)
    return out.getvalue()


def _write_slide(prs, base: Base, slide_plan: SlidePlan, accent: str, rule: str,
                 parts: Optional[NewParts] = None) -> None:
    parts = parts or NewParts(prs)
    slide = parts.add_slide(base.layout(prs, slide_plan.kind))
    tree = slide.shapes._spTree
    for shape in list(tree.iterchildren()):
        if etree.QName(shape).localname in ("sp", "graphicFrame", "pic", "grpSp", "cxnSp"):
            tree.remove(shape)
    links: dict[str, str] = {}

    def link_id(url: str) -> str:
        if url not in links:
            links[url] = slide.part.relate_to(url, RT.HYPERLINK, is_external=True)
        return links[url]

    next_id = 2
    fragments: list[str] = []

    def flush() -> None:
        if fragments:
            for element in parse_xml(f"<p:spTree {pptx_xml.NSDECLS}>{''.join(fragments)}"
                                     "</p:spTree>"):
                tree.append(element)
            fragments.clear()

    for element in slide_plan.elements:
        if isinstance(element, TextElement):
            role = element.placeholder
            ph = base.placeholder(slide_plan.kind, role) if role else None
            fragments.append(pptx_xml.text_shape(next_id, element, link_id, accent, ph,
                                                 plain=getattr(base, "plain_styles", False)))
        elif isinstance(element, RectElement):
            fragments.append(pptx_xml.rect_shape(next_id, element))
        elif isinstance(element, TableElement):
            fragments.append(pptx_xml.table_shape(next_id, element, link_id, accent, rule))
        elif isinstance(element, PictureElement):
            flush()
            box = element.box
            picture = parts.add_picture(slide, element.path, box.x, box.y, box.w, box.h)
            picture._element.nvPicPr.cNvPr.set("descr", element.alt)
            picture._element.nvPicPr.cNvPr.set("id", str(next_id))
        next_id += 1
    flush()
    etree.cleanup_namespaces(tree)
    if slide_plan.notes:
        parts.add_notes(slide, slide_plan.notes)


def _core_properties(prs, plan: DeckPlan, created: Optional[datetime.datetime]) -> None:
    props = prs.core_properties
    # Document properties hold at most 255 characters (python-pptx raises past that);
    # the slides themselves carry the full text.
    props.title = (plan.title or "")[:255]
    props.author = (plan.author or "")[:255]
    props.subject = (plan.subject or "")[:255]
    props.last_modified_by = (plan.author or "deckwright")[:255]
    props.revision = 1
    stamp = created or datetime.datetime(2000, 1, 1)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


def _custom_properties(prs, properties: dict[str, str]) -> None:
    items = "".join(
        f'<property fmtid="{CUSTOM_FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(sorted(properties.items()), start=2))
    package = prs.part.package
    try:
        existing = package.part_related_by(CUSTOM_PROPS_RT)
    except (KeyError, ValueError):
        existing = None
    if existing is not None:
        # A company template may carry its own (sensitivity labels, say): keep them,
        # after ours, and give every property a fresh pid.
        kept = [prop for prop in etree.fromstring(existing.blob, _SAFE_PARSER)
                if prop.get("name") not in properties]
        items += "".join(etree.tostring(prop, encoding="unicode") for prop in kept)
        items = re.sub(r'(<property\b[^>]*?) pid="\d+"', _renumber(), items)
    blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/docPropsVTypes">{items}</Properties>').encode("utf-8")
    if existing is not None:
        existing._blob = blob
        return
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPS_CT, package, blob)
    package.relate_to(part, CUSTOM_PROPS_RT)


def _renumber():
    numbers = iter(range(2, 1 << 30))
    return lambda match: f'{match.group(1)} pid="{next(numbers)}"'


def read_custom_properties(path) -> dict[str, str]:
    """Return the custom document properties of a .pptx (empty when it has none)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            if archive.getinfo("docProps/custom.xml").file_size > MAX_CUSTOM_PROPS_BYTES:
                return {}
            data = archive.read("docProps/custom.xml")
    except (KeyError, OSError, zipfile.BadZipFile):
        return {}
    root = etree.fromstring(data, _SAFE_PARSER)
    return {prop.get("name"): "".join(prop.itertext()) for prop in root}
