"""One scrub pass over a template package before anything parses it as a presentation.

A template comes from anywhere, and what it carries is copied into every deck built on
it. Only what a slide design needs may pass: relationships of an allow-listed type to
parts of an allow-listed content type, external targets only for http(s) and mailto
hyperlinks, and click actions that only move between slides. Everything else (macros,
ActiveX controls, OLE embeddings, custom XML, pictures or media linked to a URL, a UNC
path or a file, `javascript:` links, `ppaction://program`) is dropped together with the
markup that points at it, so no dangling id is left. The macro-enabled and template main
content types become a plain presentation's.

SVG pictures go whole rather than sanitised: an SVG is a document (scripts, event
handlers, foreignObject, hrefs and CSS that fetch), and PowerPoint keeps a PNG fallback
in the blip beside its svgBlip extension, so dropping the SVG and that extension leaves
the picture drawn from the PNG. A picture is judged by its bytes as well as its label.
Embedded fonts are data and stay; custom document properties do not (tracking ids,
another deck's record): a deck is a new document and records only its own.

Before any XML is parsed, sizes are bounded: entries, each part, the whole and the
compression ratio (a zip bomb); parsing uses no entities, no network, no DTD and no huge
trees; element counts are bounded per part and per package.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from urllib.parse import unquote, urlsplit

from lxml import etree

MAX_ENTRIES = 5_000  # zip members in one template
MAX_PART_BYTES = 32 * 1024 * 1024  # one XML part, unzipped
MAX_MEDIA_BYTES = 64 * 1024 * 1024  # one picture, video or font, unzipped
MAX_UNZIPPED = 512 * 1024 * 1024  # the whole template, unzipped
MAX_RATIO = 200  # unzipped size / zipped size, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_PART_ELEMENTS = 200_000  # elements in one XML part
MAX_ELEMENTS = 1_000_000  # elements in the whole template

CONTENT_TYPES = "[Content_Types].xml"
_PML = "application/vnd.openxmlformats-officedocument.presentationml."
PRESENTATION_MAIN = _PML + "presentation.main+xml"
#: Templates, shows and macro-enabled files are presentations under another label; the
#: deck is saved as a .pptx, so they are relabelled.
OTHER_MAINS = (
    _PML + "template.main+xml",
    _PML + "slideshow.main+xml",
    *(
        f"application/vnd.ms-powerpoint.{kind}.macroEnabled.main+xml"
        for kind in ("presentation", "template", "slideshow")
    ),
)

_REL_BASES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
    "http://schemas.openxmlformats.org/package/2006/relationships/",
    "http://schemas.microsoft.com/office/2006/relationships/",
    "http://schemas.microsoft.com/office/2007/relationships/",
    "http://schemas.microsoft.com/office/2011/relationships/",
    "http://schemas.microsoft.com/office/2015/10/relationships/",
    "http://schemas.microsoft.com/office/2017/10/relationships/",
    "http://schemas.microsoft.com/office/2018/10/relationships/",
)
#: Relationship types a slide design may carry (the last part of the type's URI).
ALLOWED_RELATIONSHIPS = frozenset(
    {
        "officeDocument",
        "metadata/core-properties",
        "extended-properties",
        "metadata/thumbnail",
        "slideMaster",
        "slideLayout",
        "slide",
        "notesMaster",
        "notesSlide",
        "handoutMaster",
        "theme",
        "themeOverride",
        "image",
        "hdphoto",
        "presProps",
        "viewProps",
        "tableStyles",
        "commentAuthors",
        "comments",
        "authors",
        "revisionInfo",
        "font",
        "hyperlink",
        "chart",
        "chartUserShapes",
        "chartStyle",
        "chartColorStyle",
        "diagramData",
        "diagramLayout",
        "diagramQuickStyle",
        "diagramColors",
        "diagramDrawing",
        "media",
        "video",
        "audio",
        "tags",
    }
)
_ALLOWED_FOLDED = frozenset(name.lower() for name in ALLOWED_RELATIONSHIPS)
_PICTURE_RELATIONSHIPS = ("/image", "/hdphoto", "/metadata/thumbnail")
#: Content types of parts that may be carried (prefixes end with '.' or '/').
_ALLOWED_TYPE_PREFIXES = (
    "image/",
    "audio/",
    "video/",
    _PML,
    "application/vnd.openxmlformats-officedocument.drawingml.",
)
_ALLOWED_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-package.core-properties+xml",
        "application/vnd.openxmlformats-package.relationships+xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        "application/vnd.openxmlformats-officedocument.theme+xml",
        "application/vnd.openxmlformats-officedocument.themeOverride+xml",
        "application/vnd.openxmlformats-officedocument.obfuscatedFont",
        "application/x-fontdata",
        "application/x-font-ttf",
        "application/x-font",
        "application/vnd.ms-office.chartstyle+xml",
        "application/vnd.ms-office.chartcolorstyle+xml",
        "application/vnd.ms-office.drawingml.diagramDrawing+xml",
        "application/vnd.ms-powerpoint.comments+xml",
        "application/vnd.ms-powerpoint.authors+xml",
        "application/vnd.ms-powerpoint.revisioninfo+xml",
        "application/xml",
    }
)
#: Click actions that only move within the deck.
_ALLOWED_ACTIONS = (
    "ppaction://hlinkshowjump",
    "ppaction://hlinksldjump",
    "ppaction://noaction",
    "ppaction://customshow",
    "ppaction://media",
)
_EXTERNAL_SCHEMES = ("http", "https", "mailto")
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_R_PREFIX = "{" + _R + "}"
_WITH_ACTION = etree.XPath("//*[@action]")
_REL_ATTRIBUTES = etree.XPath(f"//@*[namespace-uri() = '{_R}']", smart_strings=True)
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_GRAPHIC_DATA = "{http://schemas.openxmlformats.org/drawingml/2006/main}graphicData"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_SHAPES = {_P + t for t in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp", "contentPart")}
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_EMPTY_LISTS = {_P + "controls", _P + "custDataLst", _P + "extLst", _A + "extLst"}  # left empty
#: An extension (an SVG picture beside its PNG fallback, a video's media part) goes whole
#: when what it points at is dropped: it means nothing without it.
_EXTENSIONS = {_P + "ext", _A + "ext"}
_COLORS = {_A + "srgbClr": "val", _A + "sysClr": "lastClr"}  # element -> its hex attribute
_HEX = re.compile("[0-9A-Fa-f]{6}")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


#: The root element each PresentationML part type must have (by its content type's end).
_ROOTS = {
    "slideMaster+xml": "sldMaster",
    "slideLayout+xml": "sldLayout",
    "slide+xml": "sld",
    "notesMaster+xml": "notesMaster",
    "notesSlide+xml": "notes",
    "handoutMaster+xml": "handoutMaster",
    "presProps+xml": "presentationPr",
    "viewProps+xml": "viewPr",
    "tableStyles+xml": "tblStyleLst",
}


class UnsafePackage(ValueError):
    """The package cannot be used safely; the message is one line for the user."""


def allowed_content_type(content_type: str) -> bool:
    """Return whether a part of this content type may be carried into a deck."""
    content_type = content_type.strip().lower()
    if "macroenabled" in content_type or "vba" in content_type:
        return False
    if content_type.startswith("image/") and ("svg" in content_type or "xml" in content_type):
        return False  # a picture that is a document: scripts, links, external styles
    return content_type in {t.lower() for t in _ALLOWED_TYPES} or any(
        content_type.startswith(prefix.lower()) for prefix in _ALLOWED_TYPE_PREFIXES
    )


def allowed_relationship(reltype: str, target: str, external: bool) -> bool:
    """Return whether a relationship of this type to target may be carried."""
    folded = reltype.strip().lower()  # LibreOffice writes "officedocument" for one
    base = next((b for b in _REL_BASES if folded.startswith(b.lower())), None)
    if base is None or folded[len(base) :] not in _ALLOWED_FOLDED:
        return False
    if external:
        return reltype.endswith("/hyperlink") and _external_link_ok(target)
    return True


def markup_picture(blob: bytes) -> bool:
    """Return whether a picture's bytes are markup (an SVG under any label) or gzip (an
    SVGZ): no raster or metafile format PowerPoint draws starts that way."""
    head = blob[:64]
    if head.startswith((b"\x1f\x8b", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True  # gzip, or a text byte-order mark
    return head.lstrip(b" \t\r\n\x00").startswith(b"<")


def _external_link_ok(target: str) -> bool:
    try:
        parts = urlsplit(target.strip())
    except ValueError:
        return False
    if parts.scheme.lower() not in _EXTERNAL_SCHEMES:
        return False
    return parts.scheme.lower() == "mailto" or bool(parts.netloc)


def parse_part(name: str, blob: bytes) -> etree._Element:
    """Parse one XML part safely: no DTD (OOXML has none), a bounded number of elements."""
    # Counted in the bytes first (start tags; an upper bound), so no tree is built for a
    # part that is refused: three million elements take 450 MB as a tree.
    if blob.count(b"<") - blob.count(b"</") > MAX_PART_ELEMENTS + 16:
        raise UnsafePackage(f"part {name} has more than {MAX_PART_ELEMENTS:,} XML elements")
    try:
        root = etree.fromstring(blob, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnsafePackage(f"part {name} is not well-formed XML ({exc})") from None
    if root.getroottree().docinfo.doctype:
        raise UnsafePackage(f"part {name} declares a DTD, which OOXML never does")
    if _elements(root) > MAX_PART_ELEMENTS:
        raise UnsafePackage(f"part {name} has more than {MAX_PART_ELEMENTS:,} XML elements")
    return root


_COUNT = etree.XPath("count(//*)")


def _elements(root: etree._Element) -> int:
    """Return the number of elements under root, counted by libxml2 (no Python objects)."""
    return int(_COUNT(root))


def scrub_package(data: bytes, *, as_presentation: bool = True) -> bytes:
    """Return the package with everything active or external dropped (data itself when
    nothing needed to change). Raises UnsafePackage for what cannot be read safely.

    as_presentation: label the main part a presentation (what python-pptx opens); else a
    template stays a template and only a macro-enabled label becomes its plain kind.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafePackage("not a PowerPoint file (not a zip archive)") from None
    with archive:
        infos = _checked_members(archive)
        names = {info.filename for info in infos}
        if CONTENT_TYPES not in names:
            raise UnsafePackage("not a PowerPoint file (no [Content_Types].xml)")
        blobs = {info.filename: _read(archive, info) for info in infos}
    return _Scrub(blobs).run(data, as_presentation)


def _checked_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnsafePackage(f"more than {MAX_ENTRIES:,} files inside the zip archive")
    total = 0
    for info in infos:
        limit = MAX_PART_BYTES if info.filename.lower().endswith((".xml", ".rels")) else 0
        limit = limit or MAX_MEDIA_BYTES
        if info.file_size > limit:
            raise UnsafePackage(
                f"part {info.filename} is {info.file_size:,} bytes unzipped; the limit is {limit:,}"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafePackage(
                f"part {info.filename} unzips {info.file_size // max(info.compress_size, 1):,}"
                f" times larger (a zip bomb?); the limit is {MAX_RATIO}"
            )
        total += info.file_size
    if total > MAX_UNZIPPED:
        raise UnsafePackage(f"too large when unzipped ({total:,} bytes)")
    return infos


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        return archive.read(info)
    except Exception as exc:  # noqa: BLE001 - a damaged member: zlib, CRC, encryption
        raise UnsafePackage(f"part {info.filename} cannot be unzipped ({exc})") from None


def _source_of(rels_name: str) -> str:
    """Return the part name ('ppt/x.xml', '' for the package) a .rels member belongs to."""
    folder, _, name = rels_name.rpartition("_rels/")
    return folder + name.removesuffix(".rels")


class _Scrub:
    """The scrub of one package's members (name -> bytes)."""

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self.blobs = blobs
        self.changed = False
        self.elements = 0
        self.types = parse_part(CONTENT_TYPES, blobs[CONTENT_TYPES])
        self.defaults = {
            el.get("Extension", "").lower(): el.get("ContentType", "")
            for el in self.types.iter(f"{{{_CT}}}Default")
        }
        self.overrides = {
            el.get("PartName", "").lstrip("/").lower(): el.get("ContentType", "")
            for el in self.types.iter(f"{{{_CT}}}Override")
        }

    def content_type(self, name: str) -> str:
        found = self.overrides.get(name.lower())
        if found is not None:
            return found
        return self.defaults.get(name.rpartition(".")[2].lower(), "")

    def run(self, original: bytes, as_presentation: bool) -> bytes:
        self._relabel(as_presentation)
        known: dict[str, set[str]] = {}  # part -> the relationship ids it may refer to
        targets: dict[str, list[str]] = {}
        for name in [n for n in self.blobs if n.endswith(".rels")]:
            source = _source_of(name)
            known[source], targets[source] = self._scrub_rels(name)
        reachable = _reachable(targets)
        for name in list(self.blobs):
            if name == CONTENT_TYPES:
                continue
            owner = _source_of(name) if name.endswith(".rels") else name
            if owner and owner not in reachable:
                del self.blobs[name]  # a macro project, a control, custom XML: now orphans
                self.changed = True
            elif not name.endswith(".rels") and self._is_xml(name):
                self._scrub_xml(name, known.get(name, set()))
        if not self.changed:
            return original
        self._prune_content_types()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, blob in self.blobs.items():
                archive.writestr(name, blob)
        return out.getvalue()

    def _relabel(self, as_presentation: bool) -> None:
        for el in self.types.iter(f"{{{_CT}}}Override"):
            label = el.get("ContentType", "")
            if label not in OTHER_MAINS:
                continue
            if as_presentation:
                plain = PRESENTATION_MAIN
            elif "macroEnabled" in label:  # application/vnd.ms-powerpoint.template.macro...
                plain = _PML + label.split(".")[-3] + ".main+xml"
            else:
                continue
            el.set("ContentType", plain)
            self.overrides[el.get("PartName", "").lstrip("/").lower()] = plain
            self.changed = True

    def _count(self, root: etree._Element, name: str) -> None:
        self.elements += _elements(root)
        if self.elements > MAX_ELEMENTS:
            raise UnsafePackage(f"more than {MAX_ELEMENTS:,} XML elements in all (at part {name})")

    def _is_xml(self, name: str) -> bool:
        return self.content_type(name).endswith("xml") or name.lower().endswith(".xml")

    def _scrub_rels(self, name: str) -> tuple[set[str], list[str]]:
        """Drop the relationships that may not be carried; return the ids kept and the
        part names they point at."""
        root = parse_part(name, self.blobs[name])
        self._count(root, name)
        source = _source_of(name)
        folder = posixpath.dirname(source)
        gone, kept, ids = set(), [], set()
        for rel in list(root):
            reltype, target = rel.get("Type", ""), rel.get("Target", "")
            external = rel.get("TargetMode", "Internal") == "External"
            keep = allowed_relationship(reltype, target, external)
            if keep and not external:
                target = unquote(target)
                partname = posixpath.normpath(
                    target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                )
                if partname not in self.blobs:
                    keep = False  # dangling: its markup goes too
                else:
                    keep = self._allowed_part(partname, reltype)
                if keep:
                    kept.append(partname)
            if not keep:
                gone.add(rel.get("Id", ""))
                root.remove(rel)
            else:
                ids.add(rel.get("Id", ""))
        if gone:
            self.blobs[name] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
            self.changed = True
        return ids, kept

    def _allowed_part(self, name: str, reltype: str) -> bool:
        """Return whether the part a relationship of this type points at may be carried: a
        picture only when labelled one and its bytes are not markup (an SVG in disguise)."""
        kind = self.content_type(name).strip().lower()
        if not allowed_content_type(kind):
            return False
        if reltype.lower().endswith(_PICTURE_RELATIONSHIPS) and not kind.startswith("image/"):
            return False
        return not (kind.startswith("image/") and markup_picture(self.blobs[name]))

    def _check_root(self, name: str, root: etree._Element) -> None:
        """Refuse a part whose root element is not the one its content type promises."""
        kind = self.content_type(name)
        expected = _ROOTS.get(kind.rpartition(".")[2]) if kind.startswith(_PML) else None
        if kind == PRESENTATION_MAIN or kind in OTHER_MAINS:
            expected = "presentation"
        elif kind.endswith("theme+xml"):
            expected = "theme"
        found = etree.QName(root).localname
        if expected is not None and found != expected:
            raise UnsafePackage(f"part {name} holds <{found}> where <{expected}> belongs")

    def _scrub_xml(self, name: str, known: set[str]) -> None:
        """Drop the markup that points at a relationship the part does not keep (dropped
        or never there), foreign click actions; refuse colours that are not hex."""
        root = parse_part(name, self.blobs[name])
        self._count(root, name)
        self._check_root(name, root)
        doomed: list[etree._Element] = []
        # libxml2 finds the few elements that matter; Python never walks the whole tree.
        for el in root.iter(*_COLORS):
            value = el.get(_COLORS[el.tag])
            if value is not None and not _HEX.fullmatch(value):
                raise UnsafePackage(
                    f"part {name} line {el.sourceline}: colour {_shown(value)} "
                    "is not six hex digits"
                )
        for el in _WITH_ACTION(root):
            if not el.get("action", "").lower().startswith(_ALLOWED_ACTIONS):
                doomed.append(el)  # ppaction://program, ppaction://macro, ppaction://ole
        for value in _REL_ATTRIBUTES(root):
            el = value.getparent()
            if not value or value in known or el is None:
                continue
            if value.attrname == _R_PREFIX + "link" and el.get(_R_PREFIX + "embed"):
                del el.attrib[value.attrname]  # a linked copy beside the embedded picture
                continue
            doomed.append(_enclosing(el))
        if not doomed:
            return
        for el in doomed:
            parent = el.getparent()
            if parent is None:
                continue  # already gone with an ancestor, or the root itself
            parent.remove(el)
            if parent.tag in _EMPTY_LISTS and len(parent) == 0 and parent.getparent() is not None:
                parent.getparent().remove(parent)
        self.blobs[name] = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        self.changed = True

    def _prune_content_types(self) -> None:
        for el in list(self.types):
            if el.tag == f"{{{_CT}}}Override":
                name = el.get("PartName", "").lstrip("/")
                if name not in self.blobs or not allowed_content_type(el.get("ContentType", "")):
                    self.types.remove(el)
            elif el.tag == f"{{{_CT}}}Default" and not allowed_content_type(
                el.get("ContentType", "")
            ):
                self.types.remove(el)
        self.blobs[CONTENT_TYPES] = etree.tostring(
            self.types, xml_declaration=True, encoding="UTF-8", standalone=True
        )


def _shown(value: str, limit: int = 40) -> str:
    """Return a value from the template quoted for a one-line message, cut short."""
    return repr(value if len(value) <= limit else value[:limit] + "...")


def _reachable(targets: dict[str, list[str]]) -> set[str]:
    """Return the parts reachable from the package's relationships (source '')."""
    seen: set[str] = set()
    todo = list(targets.get("", []))
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(targets.get(name, []))
    return seen


def _enclosing(el: etree._Element) -> etree._Element:
    """Return what goes with markup pointing at a dropped part: the whole shape for an
    object inside a graphic frame (an OLE object, a control), the picture or the picture
    bullet for its blip, the whole extension for one inside an extension (an SVG
    picture: its PNG fallback stays), else the element itself."""
    node = el
    while node is not None:
        if node.tag == _GRAPHIC_DATA:
            frame = node.getparent()
            while frame is not None and frame.tag not in _SHAPES:
                frame = frame.getparent()
            return frame if frame is not None else el
        node = node.getparent()
    holder = el.getparent() if el.tag == _A + "blip" else None
    if holder is not None and holder.tag == _A + "buBlip":
        return holder  # a picture bullet needs its blip: the bullet goes, the text stays
    if holder is not None and holder.tag == _P + "blipFill" and holder.getparent() is not None:
        if holder.getparent().tag == _P + "pic":
            return holder.getparent()  # a picture with nothing left to show
    node = el
    while node is not None and node.tag not in _EXTENSIONS:
        node = node.getparent()
    return el if node is None else node
