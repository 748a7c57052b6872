"""DrawingML for plan elements, written as XML text: fast, explicit and complete.

Every run carries its font, size and colour, so every viewer shows the same
thing without relying on the master's styles or on autofit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Optional
from xml.sax.saxutils import escape, quoteattr

from generator.layout.measure import BULLET_INDENT_EMU, BULLET_LEVEL_STEP_EMU, BULLET_MARKER_EMU
from generator.layout.plan import (
    Paragraph,
    Placeholder,
    RectElement,
    TableElement,
    TextElement,
    TextStyle,
)
from generator.model.geometry import Box
from generator.model.inline import Run

NSDECLS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
BULLET_CHARS = ("\u2022", "\u2013", "\u25e6", "\u2013")
ANCHORS = {"top": "t", "middle": "ctr", "bottom": "b"}
ALIGNS = {"left": "l", "center": "ctr", "right": "r"}
DEFAULT_LANG = "en-US"

LinkResolver = Callable[[str], str]  # url -> relationship id
# For shapes on a company template: its text styles may add caps, letter spacing, bold or
# italics that the text was not measured with; a run sets b/i/u itself where it wants them.
PLAIN_LIST_STYLE = (
    '<a:lstStyle><a:lvl1pPr><a:defRPr b="0" i="0" u="none" strike="noStrike" '
    'cap="none" spc="0" baseline="0"/></a:lvl1pPr></a:lstStyle>'
)


def xfrm(box: Box, tag: str = "a:xfrm") -> str:
    return (
        f'<{tag}><a:off x="{box.x}" y="{box.y}"/>'
        f'<a:ext cx="{max(box.w, 0)}" cy="{max(box.h, 0)}"/></{tag}>'
    )


def solid(color: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{color.lstrip("#").upper()}"/></a:solidFill>'


def run_properties(
    run: Run,
    style: TextStyle,
    size_pt: float,
    link_id: Optional[str],
    tag: str = "a:rPr",
    transparent: bool = False,
    lang: str = "",
) -> str:
    size = int(round(size_pt * 100))
    attrs = f'lang={quoteattr(lang or DEFAULT_LANG)} sz="{size}"'
    if run.bold or style.bold:
        attrs += ' b="1"'
    if run.italic:
        attrs += ' i="1"'
    if link_id:
        attrs += ' u="sng"'
    font = style.code_font if run.code and style.code_font else style.font
    color = run.color or style.color
    face = quoteattr(font)
    fill = (
        solid(color)
        if not transparent
        else (
            f'<a:solidFill><a:srgbClr val="{color.lstrip("#")}"><a:alpha val="0"/></a:srgbClr>'
            "</a:solidFill>"
        )
    )
    body = f"{fill}<a:latin typeface={face}/><a:ea typeface={face}/><a:cs typeface={face}/>"
    if link_id:
        body += f'<a:hlinkClick r:id="{link_id}"/>'
    return f'<{tag} {attrs} dirty="0">{body}</{tag}>'


def paragraph_xml(
    paragraph: Paragraph,
    style: TextStyle,
    links: LinkResolver,
    slide_number: bool = False,
    transparent: bool = False,
) -> str:
    ppr = [f'algn="{ALIGNS.get(paragraph.align, "l")}"']
    if paragraph.rtl:
        ppr.append('rtl="1"')
    if paragraph.bullet:
        level = min(paragraph.level, len(BULLET_INDENT_EMU) - 1)
        ppr.append(f'marL="{BULLET_INDENT_EMU[level]}" indent="{-BULLET_MARKER_EMU}"')
    elif paragraph.level:
        ppr.append(f'marL="{paragraph.level * BULLET_LEVEL_STEP_EMU}" indent="0"')
    else:
        ppr.append('marL="0" indent="0"')
    inner = f'<a:lnSpc><a:spcPct val="{int(round(style.line_spacing * 100000))}"/></a:lnSpc>'
    inner += f'<a:spcBef><a:spcPts val="{int(round(paragraph.space_before_pt * 100))}"/></a:spcBef>'
    inner += '<a:spcAft><a:spcPts val="0"/></a:spcAft>'
    if paragraph.bullet:
        char = BULLET_CHARS[min(paragraph.level, len(BULLET_CHARS) - 1)]
        bullet_color = style.bullet_color or style.color
        inner += (
            f'<a:buClr><a:srgbClr val="{bullet_color.lstrip("#")}"/></a:buClr>'
            f'<a:buSzPct val="100000"/><a:buFont typeface="Arial"/>'
            f"<a:buChar char={quoteattr(char)}/>"
        )
    else:
        inner += "<a:buNone/>"
    parts = [f"<a:p><a:pPr {' '.join(ppr)}>{inner}</a:pPr>"]
    size = style.size_pt
    for run in paragraph.runs:
        link_id = links(run.link) if run.link else None
        props = run_properties(
            run, style, size, link_id, transparent=transparent, lang=paragraph.lang
        )
        text = escape(run.text)
        if slide_number:
            parts.append(
                f'<a:fld id="{SLIDENUM_FIELD_ID}" type="slidenum">{props}<a:t>{text}</a:t></a:fld>'
            )
        else:
            parts.append(f"<a:r>{props}<a:t>{text}</a:t></a:r>")
    end = Run("", code=bool(paragraph.runs and paragraph.runs[-1].code))
    parts.append(run_properties(end, style, size, None, tag="a:endParaRPr", lang=paragraph.lang))
    parts.append("</a:p>")
    return "".join(parts)


def text_body(
    element: TextElement,
    links: LinkResolver,
    tag: str = "p:txBody",
    list_style: str = "<a:lstStyle/>",
) -> str:
    inset = element.inset_emu
    anchor = ANCHORS.get(element.anchor, "t")
    # anchorCtr="0": a template placeholder may centre its text block as a whole
    # (Midnightblue's titles), which would move the text away from where the plan
    # measured it and from the accent rule under it; each paragraph sets its own alignment.
    body = (
        f'<{tag}><a:bodyPr wrap="square" lIns="{inset}" tIns="{inset}" rIns="{inset}" '
        f'bIns="{inset}" anchor="{anchor}" anchorCtr="0" rtlCol="0"><a:noAutofit/></a:bodyPr>'
        f"{list_style}"
    )
    paragraphs = element.paragraphs or [Paragraph([])]
    # A title that is not shown lies off the slide (the plan puts it there), and its text
    # is transparent too, so no viewer that draws past the slide's edge shows it.
    body += "".join(
        paragraph_xml(p, element.style, links, element.slide_number, element.hidden)
        for p in paragraphs
    )
    return body + f"</{tag}>"


def placeholder_tag(placeholder: Placeholder) -> str:
    attrs = ""
    if placeholder.type:
        attrs += f' type="{placeholder.type}"'
    if placeholder.idx is not None:
        attrs += f' idx="{placeholder.idx}"'
    return f"<p:ph{attrs}/>"


def text_shape(
    shape_id: int, element: TextElement, links: LinkResolver, plain: bool = False
) -> str:
    """Return a text box, or the placeholder the element names; plain resets the
    template's text styles."""
    placeholder = element.placeholder
    name = f"{element.role.capitalize()} {shape_id - 1}"
    if placeholder is not None:
        nv = (
            f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f"<p:nvPr>{placeholder_tag(placeholder)}</p:nvPr>"
        )
    else:
        nv = '<p:cNvSpPr txBox="1"/><p:nvPr/>'
    fill = solid(element.fill) if element.fill else "<a:noFill/>"
    geometry = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    style = {"list_style": PLAIN_LIST_STYLE} if plain else {}
    return (
        f'<p:sp {NSDECLS}><p:nvSpPr><p:cNvPr id="{shape_id}" name={quoteattr(name)}'
        f"/>{nv}</p:nvSpPr><p:spPr>{xfrm(element.box)}{geometry}{fill}"
        f"<a:ln><a:noFill/></a:ln></p:spPr>{text_body(element, links, **style)}</p:sp>"
    )


def rect_shape(shape_id: int, element: RectElement) -> str:
    if element.rounded:
        geometry = (
            '<a:prstGeom prst="roundRect"><a:avLst><a:gd name="adj" fmla="val 3000"/>'
            "</a:avLst></a:prstGeom>"
        )
    else:
        geometry = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    line = (
        f'<a:ln w="9525">{solid(element.line)}</a:ln>'
        if element.line
        else "<a:ln><a:noFill/></a:ln>"
    )
    return (
        f'<p:sp {NSDECLS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="Panel {shape_id - 1}"'
        f"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{xfrm(element.box)}{geometry}"
        f"{solid(element.fill)}{line}</p:spPr></p:sp>"
    )


def table_shape(shape_id: int, element: TableElement, links: LinkResolver) -> str:
    style = element.style
    header_style = replace(style, color=element.header_color, bold=True)
    rule = element.rule_color
    margin_x, margin_y = element.cell_margin_x, element.cell_margin_y
    no_line = "<a:noFill/>"

    def cell(paragraphs: list[Paragraph], cell_style: TextStyle, fill: Optional[str]) -> str:
        body = "".join(paragraph_xml(p, cell_style, links) for p in paragraphs)
        fill_xml = solid(fill) if fill else "<a:noFill/>"
        borders = (
            f'<a:lnL w="0">{no_line}</a:lnL><a:lnR w="0">{no_line}</a:lnR>'
            f'<a:lnT w="0">{no_line}</a:lnT>'
            f'<a:lnB w="12700">{solid(rule)}</a:lnB>'
        )
        return (
            f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{body}</a:txBody>"
            f'<a:tcPr marL="{margin_x}" marR="{margin_x}" marT="{margin_y}" '
            f'marB="{margin_y}" anchor="ctr">{borders}{fill_xml}</a:tcPr></a:tc>'
        )

    heights = element.row_heights or [0] * (len(element.rows) + 1)
    rtl = ' rtl="1"' if element.rtl else ""
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in element.col_widths)
    rows = [
        f'<a:tr h="{heights[0]}">'
        + "".join(cell(c, header_style, element.header_fill) for c in element.header)
        + "</a:tr>"
    ]
    for number, row in enumerate(element.rows):
        fill = element.band_fill if number % 2 == 1 else element.plain_fill
        rows.append(
            f'<a:tr h="{heights[number + 1]}">'
            + "".join(cell(c, style, fill) for c in row)
            + "</a:tr>"
        )
    return (
        f'<p:graphicFrame {NSDECLS}><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" '
        f'name="Table {shape_id - 1}"/><p:cNvGraphicFramePr><a:graphicFrameLocks '
        f'noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
        f"{xfrm(element.box, 'p:xfrm')}<a:graphic><a:graphicData "
        f'uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
        f'<a:tbl><a:tblPr{rtl} firstRow="{int(bool(element.header))}" bandRow="1"/>'
        f"<a:tblGrid>{grid}</a:tblGrid>"
        f"{''.join(rows)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
    )


def picture_background(rid: str) -> str:
    """Return a slide's <p:bg> filled with the picture related as rid, stretched."""
    return (
        '<p:bg><p:bgPr><a:blipFill dpi="0" rotWithShape="1">'
        f'<a:blip r:embed="{rid}"/><a:srcRect/><a:stretch><a:fillRect/></a:stretch>'
        "</a:blipFill><a:effectLst/></p:bgPr></p:bg>"
    )


def reveal_timing(shapes: list[tuple[int, list[int]]]) -> str:
    """Return the <p:timing> that shows each top-level paragraph of the shapes on a click.

    shapes: (shape id, the level of each of its paragraphs). A paragraph's sub-items
    appear with it, as PowerPoint's "Appear, by paragraph" does for level 1.
    """
    if not shapes:
        return ""
    ids = iter(range(3, 1 << 30))
    clicks = []
    for shape_id, levels in shapes:
        groups: list[list[int]] = []
        for index, level in enumerate(levels):
            if level == 0 or not groups:
                groups.append([index])
            else:
                groups[-1].append(index)
        for group in groups:
            effects = []
            for position, paragraph in enumerate(group):
                node = "clickEffect" if position == 0 else "withEffect"
                effects.append(
                    f'<p:par><p:cTn id="{next(ids)}" presetID="1" presetClass="entr" '
                    f'presetSubtype="0" fill="hold" grpId="0" nodeType="{node}"><p:stCondLst>'
                    '<p:cond delay="0"/></p:stCondLst><p:childTnLst><p:set><p:cBhvr>'
                    f'<p:cTn id="{next(ids)}" dur="1" fill="hold"><p:stCondLst>'
                    '<p:cond delay="0"/></p:stCondLst></p:cTn><p:tgtEl>'
                    f'<p:spTgt spid="{shape_id}"><p:txEl><p:pRg st="{paragraph}" '
                    f'end="{paragraph}"/></p:txEl></p:spTgt></p:tgtEl><p:attrNameLst>'
                    "<p:attrName>style.visibility</p:attrName></p:attrNameLst></p:cBhvr>"
                    '<p:to><p:strVal val="visible"/></p:to></p:set></p:childTnLst>'
                    "</p:cTn></p:par>"
                )
            outer, inner = next(ids), next(ids)
            clicks.append(
                f'<p:par><p:cTn id="{outer}" fill="hold"><p:stCondLst>'
                '<p:cond delay="indefinite"/></p:stCondLst><p:childTnLst>'
                f'<p:par><p:cTn id="{inner}" fill="hold"><p:stCondLst><p:cond delay="0"/>'
                f"</p:stCondLst><p:childTnLst>{''.join(effects)}</p:childTnLst></p:cTn>"
                "</p:par></p:childTnLst></p:cTn></p:par>"
            )
    builds = "".join(f'<p:bldP spid="{shape_id}" grpId="0" build="p"/>' for shape_id, _ in shapes)
    return (
        '<p:timing><p:tnLst><p:par><p:cTn id="1" dur="indefinite" restart="never" '
        'nodeType="tmRoot"><p:childTnLst><p:seq concurrent="1" nextAc="seek">'
        '<p:cTn id="2" dur="indefinite" nodeType="mainSeq"><p:childTnLst>'
        f"{''.join(clicks)}</p:childTnLst></p:cTn><p:prevCondLst>"
        '<p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond>'
        '</p:prevCondLst><p:nextCondLst><p:cond evt="onNext" delay="0"><p:tgtEl>'
        "<p:sldTgt/></p:tgtEl></p:cond></p:nextCondLst></p:seq></p:childTnLst></p:cTn>"
        f"</p:par></p:tnLst><p:bldLst>{builds}</p:bldLst></p:timing>"
    )
