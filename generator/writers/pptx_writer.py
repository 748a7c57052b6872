"""Write a DeckPlan as a .pptx with python-pptx: native text, tables and pictures."""

from __future__ import annotations

import datetime
import io
import re
from typing import Optional, Protocol
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml

from generator.layout.plan import (DeckPlan, PictureElement, RectElement, SlidePlan,
                                   TableElement, TextElement)
from generator.writers import pptx_xml
from generator.writers.save import normalise_zip

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
    for slide_plan in plan.slides:
        _write_slide(prs, base, slide_plan, accent, rule)
    _core_properties(prs, plan, created)
    if plan.properties:
        _custom_properties(prs, plan.properties)
    buffer = io.BytesIO()
    prs.save(buffer)
    return normalise_zip(buffer.getvalue())


def _write_slide(prs, base: Base, slide_plan: SlidePlan, accent: str, rule: str) -> None:
    slide = prs.slides.add_slide(base.layout(prs, slide_plan.kind))
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
            fragments.append(pptx_xml.text_shape(next_id, element, link_id, accent, ph))
        elif isinstance(element, RectElement):
            fragments.append(pptx_xml.rect_shape(next_id, element))
        elif isinstance(element, TableElement):
            fragments.append(pptx_xml.table_shape(next_id, element, link_id, accent, rule))
        elif isinstance(element, PictureElement):
            flush()
            box = element.box
            picture = slide.shapes.add_picture(element.path, box.x, box.y, box.w, box.h)
            picture._element.nvPicPr.cNvPr.set("descr", element.alt)
            picture._element.nvPicPr.cNvPr.set("id", str(next_id))
        next_id += 1
    flush()
    etree.cleanup_namespaces(tree)
    if slide_plan.notes:
        slide.notes_slide.notes_text_frame.text = slide_plan.notes


def _core_properties(prs, plan: DeckPlan, created: Optional[datetime.datetime]) -> None:
    props = prs.core_properties
    props.title = plan.title
    props.author = plan.author
    props.subject = plan.subject
    props.last_modified_by = plan.author or "deckwright"
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
