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
