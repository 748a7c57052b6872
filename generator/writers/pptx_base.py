"""What a deck's slides are built on: python-pptx's default master, or a company template.

Decided by the plan alone: DeckPlan.template names the template (its sample slides are
removed), else the default master gets the plan's background; each SlidePlan.layout names
the layout it goes on (None: the plain "Title Only" layout).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.parts.coreprops import CorePropertiesPart

from generator.layout.plan import DeckPlan, SlidePlan
from generator.theme.prompts import is_prompt
from generator.theme.template import APP_XML, NS, SECTIONS_EXT, open_template

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PptxPresentation

# Either core-properties relationship type: package/2006/relationships/metadata/... (the
# standard's) and officedocument/2006/relationships/metadata/... (older, LibreOffice's .potx).
CORE_RT_END = "/relationships/metadata/core-properties"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class SlideBase:
    """A presentation to add slides to, and the layout each slide goes on."""

    def __init__(self, plan: DeckPlan):
        if plan.template is not None:
            self.prs = new_presentation_from_template(plan.template)
            self._title_only = None
        else:
            self.prs = Presentation()
            # python-pptx types the setters as Length, but any int of EMU is what it stores.
            self.prs.slide_width = plan.width  # type: ignore[assignment]
            self.prs.slide_height = plan.height  # type: ignore[assignment]
            fill = self.prs.slide_master.background.fill
            fill.solid()
            fill.fore_color.rgb = _rgb(plan.background)
            self._title_only = next(
                layout for layout in self.prs.slide_layouts if layout.name == "Title Only"
            )

    def layout(self, slide: SlidePlan) -> Any:
        """Return the python-pptx layout the slide is added on."""
        ref = slide.layout
        if ref is None:
            if self._title_only is None:
                raise ValueError("a slide on a template deck names no layout")
            return self._title_only
        return self.prs.slide_masters[ref.master].slide_layouts[ref.layout]


def _rgb(color: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(color.lstrip("#"))


def xpath(el: Any, expr: str) -> list[Any]:
    """Evaluate `expr` with the OOXML prefixes, on plain lxml and python-pptx elements."""
    return etree.XPath(expr, namespaces=NS)(el)


def new_presentation_from_template(path: str | Path) -> PptxPresentation:
    """Open the template with every sample slide, its notes and all references to it removed.

    Drops each sldId and its relationship, custom shows and sections (they list the removed
    slides), links into them, docProps/app.xml's stale slide titles and the thumbnail (a
    picture of a sample slide). python-pptx saves only reachable parts, so
    [Content_Types].xml then names no missing part. Keeps exactly one core-properties part
    and gives the shapes of each master and layout unique ids.
    """
    prs = open_template(path)
    part = prs.part
    gone = set()
    sld_ids = part._element.find("p:sldIdLst", NS)
    for sld_id in list(sld_ids) if sld_ids is not None else []:
        slide = part.related_part(sld_id.get(qn("r:id")))
        gone.add(slide)
        gone.update(r.target_part for r in slide.rels.values() if r.reltype == RT.NOTES_SLIDE)
        sld_ids.remove(sld_id)
    for el in xpath(part._element, f"p:custShowLst | p:extLst/p:ext[@uri='{SECTIONS_EXT}']"):
        el.getparent().remove(el)
    for src in list(part.package.iter_parts()):
        if src in gone:
            continue  # still reachable through the presentation until the loop drops that
        for rel in [r for r in src.rels.values() if not r.is_external and r.target_part in gone]:
            src.rels.pop(rel.rId)
            root = getattr(src, "_element", None)  # a hyperlink from a layout, say
            for el in xpath(root, f"//*[@r:id='{rel.rId}']") if root is not None else []:
                el.getparent().remove(el)
    try:
        props = part.part_related_by(RT.PRES_PROPS)
        root = etree.fromstring(props.blob, SAFE_PARSER)
        for el in xpath(root, "//p:showPr/p:custShow"):  # a slide show of a removed custom show
            el.getparent().remove(el)
        props.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    except KeyError:
        pass  # presProps is optional
    try:
        part.package.part_related_by(RT.EXTENDED_PROPERTIES).blob = APP_XML
    except KeyError:
        pass  # so is app.xml
    _one_core_part(part.package)
    for rel in [r for r in part.package._rels.values() if r.reltype == RT.THUMBNAIL]:
        part.package.drop_rel(rel.rId)  # a picture of the template's sample slide
    for owner in [*prs.slide_masters, *prs.slide_layouts]:
        _unique_shape_ids(owner.part._element)
    _scrub_prompt_boxes(prs)
    return prs


def _one_core_part(package: Any) -> None:
    """Relate the template's core-properties part by the type python-pptx looks for.

    Templates saved as .potx by LibreOffice relate docProps/core.xml by the older
    officeDocument/2006 type; python-pptx looks only for the package/2006 one and would
    add a second docProps/core.xml beside it (a duplicate zip entry). The first part
    under either type is kept, without the template's own values (its title, author,
    keywords, ...); the deck writes its own language (lang:) over the template's. Any
    other is dropped, so python-pptx makes a fresh one when none is usable.
    """
    rels = [
        r
        for r in package._rels.values()
        if not r.is_external and r.reltype.lower().endswith(CORE_RT_END)
    ]
    keep = next((r for r in rels if isinstance(r.target_part, CorePropertiesPart)), None)
    for rel in rels:
        package.drop_rel(rel.rId)
    if keep is None:
        return
    core = keep.target_part
    for child in list(core._element):
        if child.tag != qn("dc:language"):
            core._element.remove(child)
    package.relate_to(core, RT.CORE_PROPERTIES)


def _unique_shape_ids(root: Any) -> None:
    """Give every shape of a master or layout its own id, as PowerPoint expects.

    LibreOffice's templates number a master's group and its first placeholder both 1,
    and some layouts reuse ids: the first shape keeps an id, later ones get fresh ones.
    """
    seen: set[str] = set()
    # An mc:Fallback repeats its mc:Choice's shapes, ids included, on purpose.
    ids = [
        el
        for el in xpath(root, "//p:cNvPr")
        if not any(a.tag == MC_FALLBACK for a in el.iterancestors())
    ]
    top = max((int(i) for el in ids if (i := el.get("id", "")).isdigit()), default=0)
    for el in ids:
        if el.get("id") in seen:
            top += 1
            el.set("id", str(top))
        seen.add(el.get("id"))


def _scrub_prompt_boxes(prs: Any) -> None:
    """Remove master and layout text boxes (not placeholders) that only hold a prompt or a
    slide-number field: every slide writes its own date, footer and number, and these
    would show "<date/time>" or a second number on every slide."""
    for master in prs.slide_masters:
        for root in [master, *master.slide_layouts]:
            tree = root._element.find("p:cSld/p:spTree", NS)
            for shape in list(tree) if tree is not None else []:
                if shape.tag != qn("p:sp") or shape.find("*/p:nvPr/p:ph", NS) is not None:
                    continue
                body = shape.find("p:txBody", NS)
                if body is None:
                    continue
                text = "".join(t.text or "" for t in body.iter(qn("a:t"))).strip()
                fields = {f.get("type", "") for f in body.iter(qn("a:fld"))}
                runs_outside = "".join(
                    t.text or "" for r in body.iter(qn("a:r")) for t in r.iter(qn("a:t"))
                )
                only_number = fields == {"slidenum"} and not runs_outside.strip()
                # Prompt text that LibreOffice's export leaves in master text boxes (it turns
                # the master's date, footer and number fields into plain text boxes).
                if (text and is_prompt(text)) or only_number:
                    tree.remove(shape)
