"""Template reading and layout choice: real company templates and ones the tests build.

The real templates are LibreOffice's own (converted by tests/template_fixtures.py), plus the
real-world files of ../shared/templates when that folder is there.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from conftest import assert_valid_pptx
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from template_fixtures import lo, shared

from generator.layout.choose import choose_layouts
from generator.model.geometry import Box
from generator.model.registry import kinds
from generator.theme.template import TemplateError, open_template, read_template
from generator.writers.pptx_base import new_presentation_from_template

ROOT = Path(__file__).resolve().parent.parent
EVERY_KIND = ROOT / "tests" / "golden" / "every-kind.yaml"
TEMPLATE_CT = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PML = "http://schemas.openxmlformats.org/presentationml/2006/main"
PRESENTATION_CT = (
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)


def layout(info, name: str, master: int = 0):
    return next(lay for lay in info.masters[master].layouts if lay.name == name)


def ph_types(lay) -> list[str]:
    return [f"{p.type}[{p.idx}]" for p in lay.placeholders]


def inside(inner: Box, outer: Box) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


def default_template(tmp_path: Path, name: str = "default.pptx", edit=None) -> Path:
    """Save python-pptx's own 4:3 template, after `edit(prs)`, as a file to read back."""
    prs = Presentation()
    if edit:
        edit(prs)
    path = tmp_path / name
    prs.save(path)
    return path


def as_potx(pptx: Path, potx: Path) -> Path:
    """Copy a .pptx to a .potx, relabelling its main part the way PowerPoint does."""
    with zipfile.ZipFile(pptx) as src, zipfile.ZipFile(potx, "w") as dst:
        for item in src.infolist():
            blob = src.read(item)
            if item.filename == "[Content_Types].xml":
                blob = blob.replace(PRESENTATION_CT.encode(), TEMPLATE_CT.encode())
            dst.writestr(item, blob)
    return potx


def two_masters(tmp_path: Path, name: str = "two-masters.pptx") -> Path:
    """Save a template whose first master keeps only "Title Only" and "Blank" and whose
    second master (a copy, its layouts renamed "Wide ...") has them all."""
    source = default_template(tmp_path, "one-master.pptx")
    shift = 11  # layouts 1-11 of the copy become 12-22
    rels_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    with zipfile.ZipFile(source) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    layout_ids = re.compile(rb'(<p:sldLayoutId id=")(\d+)(")')
    master = layout_ids.sub(
        lambda m: m[1] + str(int(m[2]) + 100).encode() + m[3],
        parts["ppt/slideMasters/slideMaster1.xml"],
    )
    parts["ppt/slideMasters/slideMaster2.xml"] = master
    parts["ppt/slideMasters/_rels/slideMaster2.xml.rels"] = re.sub(
        rb"slideLayout(\d+)\.xml",
        lambda m: b"slideLayout%d.xml" % (int(m[1]) + shift),
        parts["ppt/slideMasters/_rels/slideMaster1.xml.rels"],
    ).replace(b"theme1", b"theme2")
    parts["ppt/theme/theme2.xml"] = parts["ppt/theme/theme1.xml"]
    overrides = [
        b'<Override PartName="/ppt/slideMasters/slideMaster2.xml" ContentType="'
        b"application/vnd.openxmlformats-officedocument.presentationml.slideMaster"
        b'+xml"/>',
        b'<Override PartName="/ppt/theme/theme2.xml" ContentType="'
        b'application/vnd.openxmlformats-officedocument.theme+xml"/>',
    ]
    for n in range(1, 12):
        layout = parts[f"ppt/slideLayouts/slideLayout{n}.xml"]
        parts[f"ppt/slideLayouts/slideLayout{n + shift}.xml"] = layout.replace(
            b'<p:cSld name="', b'<p:cSld name="Wide '
        )
        parts[f"ppt/slideLayouts/_rels/slideLayout{n + shift}.xml.rels"] = parts[
            f"ppt/slideLayouts/_rels/slideLayout{n}.xml.rels"
        ].replace(b"slideMaster1", b"slideMaster2")
        overrides.append(
            f'<Override PartName="/ppt/slideLayouts/slideLayout{n + shift}.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"/>'.encode()
        )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b"".join(overrides) + b"</Types>"
    )
    parts["ppt/presentation.xml"] = parts["ppt/presentation.xml"].replace(
        b"</p:sldMasterIdLst>", b'<p:sldMasterId id="2147483760" r:id="rId99"/></p:sldMasterIdLst>'
    )
    parts["ppt/_rels/presentation.xml.rels"] = parts["ppt/_rels/presentation.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rId99" Type="{rels_ns}slideMaster" '
        'Target="slideMasters/slideMaster2.xml"/></Relationships>'.encode(),
    )
    joined = tmp_path / "joined.pptx"
    with zipfile.ZipFile(joined, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, blob in parts.items():
            zf.writestr(part, blob)
    prs = Presentation(str(joined))
    first = prs.slide_masters[0].slide_layouts
    for lay in [lay for lay in first if lay.name not in ("Title Only", "Blank")]:
        first.remove(lay)
    prs.save(tmp_path / name)
    return tmp_path / name


def renamed_layouts(prs) -> None:
    """Rename every layout "Folie n", drop their type hints and reverse their order."""
    for n, lay in enumerate(prs.slide_layouts):
        lay.name = f"Folie {n}"
        lay._element.attrib.pop("type", None)  # no sldLayout@type hints either
    lst = prs.slide_master._element.find(f"{{{PML}}}sldLayoutIdLst")
    lst[:] = list(reversed(lst))


def template_theme(folder: Path, template: Path, extra: str = "") -> Path:
    """Make a theme folder whose theme.yaml uses a copy of `template`; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, folder / template.name)
    (folder / "theme.yaml").write_text(
        f"name: {folder.name}\ntemplate: {template.name}\n{extra}", encoding="utf-8"
    )
    return folder


def build_deck(tmp_path: Path, template: Path, content: Path = EVERY_KIND, extra: str = ""):
    """Plan and write `content` on the template; return (prepared deck, .pptx path)."""
    from generator import api
    from generator.writers.export import pptx_bytes

    theme = template_theme(tmp_path / f"theme-{template.stem}", template, extra)
    prepared = api.prepare(content, str(theme))
    out = tmp_path / f"{template.stem}.pptx"
    out.write_bytes(pptx_bytes(prepared))
    return prepared, out


def assert_sound_package(path: Path) -> None:
    """Assert what PowerPoint checks before offering a repair: every reference resolves."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        types = etree.fromstring(zf.read("[Content_Types].xml"))
        overrides = {e.get("PartName").lstrip("/") for e in types if e.get("PartName")}
        defaults = {e.get("Extension").lower() for e in types if e.get("Extension")}
        assert overrides <= names, f"content types name missing parts: {overrides - names}"
        for name in names - {"[Content_Types].xml"}:
            assert name in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
        for rels_name in (n for n in names if n.endswith(".rels")):
            source = rels_name.replace("_rels/", "").removesuffix(".rels")
            base = PurePosixPath(source).parent
            ids = set()
            for rel in etree.fromstring(zf.read(rels_name)):
                ids.add(rel.get("Id"))
                if rel.get("TargetMode") != "External":
                    target = str(PurePosixPath(base, rel.get("Target")))
                    while "/../" in target or target.startswith("../"):
                        target = re.sub(r"[^/]+/\.\./", "", target, count=1)
                    assert target.lstrip("/") in names, f"{rels_name} -> missing {target}"
            if source in names and source.endswith(".xml"):
                used = re.findall(rb'r:(?:id|embed|link|pict)="([^"]+)"', zf.read(source))
                assert {u.decode() for u in used} <= ids, f"dangling r:id in {source}"


# --- real company templates ----------------------------------------------------------------
# LibreOffice's own Impress templates, converted to .potx/.pptx by the session fixture
# (tests/template_fixtures.py), always; the real-world files of ../shared/templates beside
# them when that folder is there. Each test states its expectations per template.

#: Several masters (Vivid 3, Candy 11), sample slides (Candy 13, 3 MB of pictures), a 4:3
#: slide (Nature_Illustration), a master whose layouts move the title (Midnightblue), and a
#: plain one-master template (Inspiration) that tests edit into awkward shapes.
REAL = [
    lo("Vivid"),
    lo("Candy"),
    lo("Nature_Illustration", "pptx"),
    lo("Midnightblue", "pptx"),
    lo("Inspiration", "pptx"),
    *shared(),
]
LO_LAYOUTS = [
    "Blank Slide",
    "Title Slide",
    "Title, Content",
    "Title, 2 Content",
    "Title Only",
    "Centered Text",
    "Title, 2 Content and Content",
    "Title Content and 2 Content",
    "Title, 2 Content over Content",
    "Title, Content over Content",
    "Title, 4 Content",
    "Title, 6 Content",
]


def edited(template: Path, out: Path, edit) -> Path:
    """Save `template` without its sample slides, after `edit(prs)`, as `out`."""
    prs = new_presentation_from_template(template)
    edit(prs)
    prs.save(out)
    return out


def keep_layouts(*names: str):
    def edit(prs):
        for master in prs.slide_masters:
            for lay in [lay for lay in master.slide_layouts if lay.name not in names]:
                master.slide_layouts.remove(lay)

    return edit


def reverse_layouts(prs) -> None:
    for master in prs.slide_masters:
        lst = master._element.find(f"{{{PML}}}sldLayoutIdLst")
        lst[:] = list(reversed(lst))


def footer_text(text: str):
    """Return an edit that writes `text` into every footer placeholder of the template."""

    def edit(prs):
        for master in prs.slide_masters:
            for holder in [
                *master.placeholders,
                *(p for lay in master.slide_layouts for p in lay.placeholders),
            ]:
                if holder.placeholder_format.type == PP_PLACEHOLDER.FOOTER:
                    holder.text_frame.text = text

    return edit


@pytest.mark.parametrize("ref", REAL, ids=str)
def test_every_real_template_opens_and_gets_a_layout_for_every_kind(ref, template_path):
    info = read_template(template_path(ref))
    assert info.width > 0 and info.height > 0
    assert info.masters and all(m.layouts for m in info.masters)
    assert {"dk1", "lt1", "dk2", "lt2", "accent1", "accent6"} <= set(info.colors)
    assert info.heading_font and info.body_font
    choices = choose_layouts(info)
    assert set(choices) == set(kinds())
    slide = Box(0, 0, info.width, info.height)
    for choice in choices.values():
        assert inside(choice.body_box, slide) and inside(choice.title_box, slide)
    comparison = choices["comparison"]
    assert comparison.left_box.right <= comparison.right_box.x


READ = {
    # Each LibreOffice master becomes a master with the same 12 layouts; their footer, number
    # and date placeholders are numbered on from the previous master's.
    "Vivid.potx": {
        "size": (10080625, 5670550),
        "layouts per master": [12, 12, 12],
        "layout names": LO_LAYOUTS,
        "placeholders": (
            "Title, 2 Content",
            1,
            ["title[0]", "obj[0]", "obj[0]", "ftr[5]", "sldNum[6]", "dt[4]"],
        ),
    },
    "Nature_Illustration.pptx": {
        "size": (10080625, 7559675),  # 28 x 21 cm, 4:3
        "layouts per master": [12, 12],
        "layout names": LO_LAYOUTS,
        "placeholders": (
            "Title, Content",
            0,
            ["title[0]", "obj[0]", "ftr[2]", "sldNum[3]", "dt[1]"],
        ),
    },
    "officer-template.pptx": {
        "size": (9144000, 6858000),
        "layout names": [
            "Title Slide",
            "Title and Content",
            "Section Header",
            "Two Content",
            "Comparison",
            "Title Only",
            "Blank",
        ],
        "placeholders": (
            "Comparison",
            0,
            [
                "title[0]",
                "body[1]",
                "obj[2]",
                "body[3]",
                "obj[4]",
                "dt[10]",
                "ftr[11]",
                "sldNum[12]",
            ],
        ),
    },
    "mecanon-template.potx": {
        "layouts per master": [9, 4],
        "placeholders": (
            "Conteúdo",
            1,
            ["title[0]", "obj[1]", "ftr[11]", "sldNum[12]", "body[13]"],
        ),
        "accent1": "#D76C23",
        # The master's text styles name Montserrat; the theme part says Calibri.
        "fonts": ("Montserrat Medium", "Montserrat"),
    },
    "pandoc-test-reference-depth.pptx": {
        "placeholders": (
            "3 Column",
            0,
            [
                "title[0]",
                "body[1]",
                "body[15]",
                "body[3]",
                "body[16]",
                "body[13]",
                "body[17]",
                "dt[10]",
                "ftr[11]",
                "sldNum[12]",
            ],
        ),
        "fonts": ("Corbel", "Corbel"),
    },
}


@pytest.mark.parametrize(
    "ref", [lo("Vivid"), lo("Nature_Illustration", "pptx"), *shared(*READ)], ids=str
)
def test_layouts_and_placeholders_are_read(ref, template_path):
    info = read_template(template_path(ref))
    expected = READ[str(ref)]
    if "size" in expected:
        assert (info.width, info.height) == expected["size"]
    if "layouts per master" in expected:
        assert [len(m.layouts) for m in info.masters] == expected["layouts per master"]
    if "layout names" in expected:
        assert [lay.name for lay in info.masters[0].layouts] == expected["layout names"]
    name, master, types = expected["placeholders"]
    assert ph_types(layout(info, name, master)) == types
    if "accent1" in expected:
        assert info.colors["accent1"] == expected["accent1"]
    if "fonts" in expected:
        assert (info.heading_font, info.body_font) == expected["fonts"]


DUPLICATES = {
    # Two content placeholders without an idx (both 0): each keeps the box of its own shape.
    "Vivid.potx": {
        "layout": "Title, 2 Content",
        "idx": [0, 0],
        "boxes": [Box(540000, 1440000, 4391640, 4050000), Box(5151600, 1440000, 4391640, 4050000)],
        "inherited": ("ftr", Box(3420000, 5130000, 3240000, 450000)),  # no xfrm on the layout
        "equal columns": True,
    },
    # Content placeholders with idx 13 and 15 only (no idx 1), 3.2 and 7.0 M EMU wide.
    "officer-ph_dupes.pptx": {
        "layout": "2-dupes",
        "idx": [13, 15],
        "boxes": [Box(838200, 2203450, 3200400, 3411538), Box(4384431, 2203450, 6969369, 3411538)],
        "inherited": ("title", Box(838200, 365125, 10515600, 1325563)),
        "equal columns": False,
    },
}


@pytest.mark.parametrize("ref", [lo("Vivid"), *shared(*DUPLICATES)], ids=str)
def test_placeholder_boxes_with_odd_or_missing_idx_come_from_the_layout_xml(ref, template_path):
    info = read_template(template_path(ref))
    expected = DUPLICATES[str(ref)]
    lay = layout(info, expected["layout"])
    assert [(p.idx, p.box) for p in lay.of_type("obj")] == list(
        zip(expected["idx"], expected["boxes"], strict=True)
    )
    # A placeholder without an xfrm of its own inherits the master's, by type.
    kind, box = expected["inherited"]
    assert next(p for p in lay.placeholders if p.type == kind).box == box
    comparison = choose_layouts(info)["comparison"]
    left, right = expected["boxes"]
    assert comparison.name == expected["layout"]
    assert comparison.left_box.w == comparison.right_box.w
    assert comparison.left_box.x == left.x and comparison.right_box.right == right.right
    if expected["equal columns"]:  # written into the two placeholders
        assert (comparison.left.box, comparison.right.box) == (left, right)
    else:  # unequal: two equal columns are drawn over both
        assert comparison.left is None


@pytest.mark.parametrize(
    ("ref", "keep", "title"),
    [
        # Kept: the one layout with a subtitle and no title; every kind falls back to drawing.
        pytest.param(
            lo("Inspiration", "pptx"),
            "Centered Text",
            ("Centered Text", "fallback"),
            id="Inspiration.pptx",
        ),
        # As it is: only "Title Slide", so there is no title+content layout at all.
        *(
            pytest.param(ref, None, ("Title Slide", "structure"), id=str(ref))
            for ref in shared("pandoc-test-reference-deleted-layouts.pptx")
        ),
    ],
)
def test_deleted_layouts_template_falls_back_inside_the_body_area(
    ref, keep, title, template_path, tmp_path: Path
):
    path = template_path(ref)
    if keep:
        path = edited(path, tmp_path / "deleted-layouts.pptx", keep_layouts(keep))
    info = read_template(path)
    if keep:
        assert {lay.name for lay in info.layouts} == {keep}
    choices = choose_layouts(info)
    assert (choices["title"].name, choices["title"].how) == title
    bullets = choices["bullets"]
    assert bullets.how == "fallback" and bullets.body is None
    master_title = info.masters[0].placeholders["title"].box
    assert bullets.title_box == master_title
    assert inside(bullets.body_box, info.body_area())
    assert bullets.body_box.y > master_title.bottom


MOVED = {
    "Inspiration.pptx": {
        "section": "Title Only",
        "comparison": "Title, 2 Content",
        "title index": 10,
    },
    "pandoc-test-reference-depth.pptx": {
        "section": "Section Header",
        "comparison": "Two Content",
        "title index": 4,
    },  # fifth, not slide_layouts[0]
}


@pytest.mark.parametrize(
    ("ref", "moved"),
    [
        # The same template with its layouts in reverse order, made here.
        pytest.param(lo("Inspiration", "pptx"), None, id="Inspiration.pptx"),
        # The same layouts in another order ("Comparison" first, "Title Slide" fifth).
        *(
            pytest.param(ref, moved, id=f"{ref}-{moved}")
            for ref in shared("pandoc-test-reference-depth.pptx")
            for moved in shared("pandoc-test-reference-moved-layouts.pptx")
        ),
    ],
)
def test_moved_layouts_get_the_same_choices(ref, moved, template_path, tmp_path: Path):
    path = template_path(ref)
    if moved is None:
        moved_path = edited(path, tmp_path / "moved.pptx", reverse_layouts)
    else:
        moved_path = template_path(moved)
    original = choose_layouts(read_template(path))
    reordered = choose_layouts(read_template(moved_path))
    expected = MOVED[str(ref)]
    assert original["section"].name == expected["section"]
    assert original["comparison"].name == expected["comparison"]
    assert reordered["title"].layout.layout_index == expected["title index"]
    assert {k: c.name for k, c in reordered.items()} == {k: c.name for k, c in original.items()}


MASTERS = {
    # The first sample slide is on master 1 (a band over the lower third); content on the
    # master with thin bars, where the body has the most room clear of artwork.
    "Vivid.potx": {
        "masters": 3,
        "slides": 3,
        "comparison": "Title, 2 Content",
        "statement": ("Title Only", "structure"),
        "title master": 0,
        "content master": 2,
    },
    "Candy.potx": {
        "masters": 11,
        "slides": 13,
        "comparison": "Title, 2 Content",
        "statement": ("Title Only", "structure"),
        "title master": 3,
        "content master": 3,
    },
    "mecanon-template.potx": {
        "masters": 2,
        "slides": 7,
        "bullets": "Conteúdo",
        # the undecorated blank layout
        "statement": ("Vazio com Bordas", "fallback"),
        "title master": 0,
        "content master": 0,
    },
}


@pytest.mark.parametrize("ref", [lo("Vivid"), lo("Candy"), *shared(*MASTERS)], ids=str)
def test_potx_with_several_masters_puts_each_role_on_its_master(ref, template_path):
    path = template_path(ref)
    expected = MASTERS[str(ref)]
    prs = open_template(path)
    assert (len(prs.slide_masters), len(prs.slides)) == (expected["masters"], expected["slides"])
    choices = choose_layouts(read_template(path))
    assert choices["title"].layout.master_index == expected["title master"]
    content = {c.layout.master_index for k, c in choices.items() if k != "title"}
    assert content == {expected["content master"]}  # the talk itself stays on one master
    for kind in ("bullets", "comparison"):
        if kind in expected:
            assert choices[kind].name == expected[kind]
    assert (choices["statement"].name, choices["statement"].how) == expected["statement"]


@pytest.mark.parametrize("ref", REAL, ids=str)
def test_sample_slides_are_removed_cleanly(ref, template_path, tmp_path: Path):
    prs = new_presentation_from_template(template_path(ref))
    assert len(prs.slides) == 0
    out = tmp_path / "empty.pptx"
    prs.save(out)
    with zipfile.ZipFile(out) as zf:
        assert not [n for n in zf.namelist() if re.match(r"ppt/(slides|notesSlides)/", n)]
        content_types = zf.read("[Content_Types].xml").decode()
        assert PRESENTATION_CT in content_types and TEMPLATE_CT not in content_types
        assert b"Slide Titles" not in zf.read("docProps/app.xml")
    assert_sound_package(out)
    assert len(Presentation(str(out)).slides) == 0
    assert_valid_pptx(out)


def test_a_deck_on_a_libreoffice_made_template_has_one_core_properties_part(
    template_path, tmp_path: Path
):
    _, out = build_deck(tmp_path, template_path(lo("Vivid")))
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


@pytest.mark.parametrize("ref", REAL, ids=str)
def test_every_kind_is_written_on_its_chosen_layout_and_placeholders(
    ref, template_path, tmp_path: Path
):
    prepared, out = build_deck(tmp_path, template_path(ref))
    choices = choose_layouts(prepared.theme.template_info, prepared.theme.layouts)
    prs = Presentation(str(out))
    assert (prs.slide_width, prs.slide_height) == (prepared.plan.width, prepared.plan.height)
    for plan, slide in zip(prepared.plan.slides, prs.slides, strict=True):
        choice = choices[plan.kind]
        assert slide.slide_layout.name == choice.name, plan.kind
        title = slide.shapes.title
        assert title is not None and title.text_frame.text.strip(), plan.kind
        if choice.title is not None:
            assert title.placeholder_format.type is not None
        ids = [s.shape_id for s in slide.shapes]
        assert len(ids) == len(set(ids))
    assert_sound_package(out)
    assert_valid_pptx(out)


#: Footer templates: the file (a LibreOffice one gets its footer text written in here), and
#: the idx of the date and slide-number placeholders the bullets layout has.
FOOTERS = {
    "Inspiration.pptx": (True, 1, 3),
    "pandoc-test-footer-reference.pptx": (False, 10, 12),
}


def footer_template(ref, template_path, tmp_path: Path) -> Path:
    path = template_path(ref)
    if FOOTERS[str(ref)][0]:
        path = edited(path, tmp_path / "footer.pptx", footer_text("this is the footer"))
    return path


@pytest.mark.parametrize("ref", [lo("Inspiration", "pptx"), *shared(*FOOTERS)], ids=str)
def test_footer_placeholders_are_read_with_the_template_text(ref, template_path, tmp_path):
    path = footer_template(ref, template_path, tmp_path)
    choice = choose_layouts(read_template(path))["bullets"]
    _, date, number = FOOTERS[str(ref)]
    assert (choice.footer.text, choice.date.idx, choice.slide_number.idx) == (
        "this is the footer",
        date,
        number,
    )


def _ph_texts(slide) -> dict[str, str]:
    """Return the text of each placeholder on a slide by its OOXML type."""
    found = {}
    for shape in slide.shapes:
        ph = shape._element.find("*/p:nvPr/p:ph", {"p": PML})
        if ph is not None and shape.has_text_frame:
            found[ph.get("type", "obj")] = shape.text_frame.text
    return found


@pytest.mark.parametrize("ref", [lo("Inspiration", "pptx"), *shared(*FOOTERS)], ids=str)
def test_template_footer_date_and_number_fill_their_placeholders(
    ref, template_path, tmp_path: Path
):
    template = footer_template(ref, template_path, tmp_path)
    prepared, out = build_deck(tmp_path, template)
    slides = Presentation(str(out)).slides
    texts = _ph_texts(slides[2])  # the bullets slide
    # The theme sets no footer, so the template's own footer text is used.
    assert texts["ftr"] == "this is the footer"
    assert texts["dt"] == "26 November 2026"  # the deck's date
    assert texts["sldNum"] == "3"
    assert 'type="slidenum"' in etree.tostring(slides[2]._element).decode()
    assert "ftr" not in _ph_texts(slides[0])  # no chrome on the title slide
    _, own = build_deck(tmp_path / "own", template, extra='footer: "Ours · {{ who }}"\n')
    assert _ph_texts(Presentation(str(own)).slides[2])["ftr"] == "Ours · Golden Team"
    assert_valid_pptx(out, own)


# --- templates the tests build ----------------------------------------------------------------


def test_default_4_3_template_maps_every_kind_by_structure(tmp_path: Path):
    info = read_template(default_template(tmp_path))
    assert (info.width, info.height) == (9144000, 6858000)
    assert info.colors["dk1"] == "#000000"  # a sysClr, resolved through lastClr
    assert info.colors["accent1"] == "#4F81BD"
    choices = choose_layouts(info)
    assert {k: c.name for k, c in choices.items()} == {
        "title": "Title Slide",
        "section": "Section Header",
        "bullets": "Title and Content",
        "table": "Title Only",
        "comparison": "Two Content",
        "code": "Title Only",
        "statement": "Title Only",
        "image": "Title Only",
        "closing": "Title Slide",
        "quote": "Title Only",
        "chart": "Title Only",
    }
    assert {c.how for c in choices.values()} == {"structure"}


def test_renamed_and_reordered_layouts_are_found_by_structure(tmp_path: Path):
    path = default_template(tmp_path, edit=renamed_layouts)
    choices = choose_layouts(read_template(path))
    assert choices["title"].name == "Folie 0"  # ctrTitle + subTitle
    assert choices["bullets"].name == "Folie 1"  # title + one big body
    assert choices["comparison"].name == "Folie 3"  # two equal side-by-side columns
    assert choices["table"].name == "Folie 5"  # title only
    assert choices["bullets"].body.type == "obj"


def test_layouts_named_in_the_theme_win(tmp_path: Path):
    info = read_template(default_template(tmp_path))
    wanted = {"bullets": "title only", "code": "Blank", "table": "Title Onyl"}
    choices = choose_layouts(info, wanted)
    assert (choices["bullets"].name, choices["bullets"].how) == ("Title Only", "named")
    assert choices["bullets"].body is None  # drawn in the body area under the title
    assert choices["code"].how == "named" and choices["code"].title is None
    assert (choices["table"].name, choices["table"].how) == ("Title Only", "structure")


def test_a_template_with_only_a_blank_layout_draws_everything(tmp_path: Path):
    def only_blank(prs):
        for lay in [lay for lay in prs.slide_layouts if lay.name != "Blank"]:
            prs.slide_layouts.remove(lay)

    path = default_template(tmp_path, edit=only_blank)
    info = read_template(path)
    choices = choose_layouts(info)
    assert {(c.name, c.how) for c in choices.values()} == {("Blank", "fallback")}
    assert inside(choices["bullets"].body_box, info.body_area())
    _, out = build_deck(tmp_path, path)
    for slide in Presentation(str(out)).slides:
        title = slide.shapes.title  # a real title placeholder, though the layout has none
        assert title is not None and title.placeholder_format.type is not None
    assert_sound_package(out)
    assert_valid_pptx(out)


def test_every_master_is_searched_and_the_deck_stays_on_the_best_one(tmp_path: Path):
    path = two_masters(tmp_path)
    info = read_template(path)
    assert [len(m.layouts) for m in info.masters] == [2, 11]
    choices = choose_layouts(info)
    assert {c.layout.master_index for c in choices.values()} == {1}
    assert choices["bullets"].name == "Wide Title and Content"
    _, out = build_deck(tmp_path, path)
    assert_sound_package(out)
    names = {s.slide_layout.name for s in Presentation(str(out)).slides}
    assert names and all(name.startswith("Wide ") for name in names)
    assert_valid_pptx(out)


def test_a_potx_opens_and_saves_as_a_pptx(tmp_path: Path):
    potx = as_potx(default_template(tmp_path), tmp_path / "company.potx")
    with pytest.raises(ValueError):
        Presentation(str(potx))  # python-pptx alone refuses it
    prs = new_presentation_from_template(potx)
    out = tmp_path / "deck.pptx"
    prs.save(out)
    with zipfile.ZipFile(out) as zf:
        assert PRESENTATION_CT in zf.read("[Content_Types].xml").decode()
    assert read_template(potx).layouts[0].name == "Title Slide"
    assert_valid_pptx(out)


def test_notes_links_and_sections_of_sample_slides_are_removed(tmp_path: Path):
    def samples(prs):
        first = prs.slides.add_slide(prs.slide_layouts[1])
        second = prs.slides.add_slide(prs.slide_layouts[1])
        first.notes_slide.notes_text_frame.text = "speaker notes"
        second.notes_slide.notes_text_frame.text = "more notes"
        first.shapes.title.click_action.target_slide = second
        ids = "".join(f'<p14:sldId id="{s.slide_id}"/>' for s in prs.slides)
        ext = etree.fromstring(
            '<p:extLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
            '<p:ext uri="{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"><p14:sectionLst xmlns:p14='
            '"http://schemas.microsoft.com/office/powerpoint/2010/main"><p14:section name="A" '
            f'id="{{00000000-0000-0000-0000-000000000001}}"><p14:sldIdLst>{ids}</p14:sldIdLst>'
            "</p14:section></p14:sectionLst></p:ext></p:extLst>"
        )
        prs.part._element.append(ext)

    path = default_template(tmp_path, "samples.pptx", edit=samples)
    prs = new_presentation_from_template(path)
    prs.slides.add_slide(prs.slide_layouts[1])
    out = tmp_path / "clean.pptx"
    prs.save(out)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert "ppt/slides/slide1.xml" in names and "ppt/slides/slide2.xml" not in names
        assert not [n for n in names if n.startswith("ppt/notesSlides/")]
        assert b"sectionLst" not in zf.read("ppt/presentation.xml")
    assert_sound_package(out)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "template not found"),
        (b"not a zip at all", "not a zip archive"),
        ("zip-without-types", "no [Content_Types].xml"),
        ("corrupt-layout", "not a readable PowerPoint file"),
    ],
)
def test_unusable_templates_raise_one_line_errors(tmp_path: Path, content, message):
    path = tmp_path / "broken.pptx"
    if content == "zip-without-types":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("hello.txt", "hi")
    elif content == "corrupt-layout":
        good = default_template(tmp_path, "good.pptx")
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
            for item in src.infolist():
                broken = item.filename == "ppt/slideLayouts/slideLayout2.xml"
                dst.writestr(item, b"<p:sldLayout" if broken else src.read(item))
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(TemplateError, match=re.escape(message)) as caught:
        read_template(path)
    assert "\n" not in str(caught.value)


# --- clean packages: one core-properties part, no prompt text -------------------------------

OLD_CORE_RT = (
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"
)
NEW_CORE_RT = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
TALK = """\
title: Quarterly review
author: Ops
date: 2026-11-26
slides:
  - kind: title
  - kind: bullets
    title: Points
    bullets: [one, two]
  - kind: closing
    title: Thanks
"""


def _company(prs) -> None:
    """Give the template the core properties and prompts a company's template carries."""
    props = prs.core_properties
    props.title, props.keywords, props.language = "Company template", "internal", "de-DE"
    prs.slide_master.placeholders[3].text_frame.text = "<footer>"  # LibreOffice's prompt
    for lay in prs.slide_layouts:
        for ph in lay.placeholders:
            if ph.placeholder_format.type == 15:  # FOOTER: LibreOffice writes its name
                ph.text_frame.text = "Footer"


def _old_core_rel_potx(folder: Path) -> Path:
    """Save a .potx whose package relates docProps/core.xml by the older type, as
    LibreOffice does when it saves a template."""
    potx = as_potx(default_template(folder, "company.pptx", edit=_company), folder / "old.potx")
    with zipfile.ZipFile(potx) as src:
        data = {item.filename: (item, src.read(item)) for item in src.infolist()}
    with zipfile.ZipFile(potx, "w") as dst:
        for name, (item, blob) in data.items():
            if name == "_rels/.rels":
                assert NEW_CORE_RT.encode() in blob
                blob = blob.replace(NEW_CORE_RT.encode(), OLD_CORE_RT.encode())
            dst.writestr(item, blob)
    return potx


def test_a_template_relating_core_properties_by_the_older_type_gives_one_core_part(
    run_cli, project: Path
):
    theme = template_theme(project / "themes" / "old", _old_core_rel_potx(project))
    talk = project / "talk.yaml"
    talk.write_text(TALK, encoding="utf-8")
    code, _, err = run_cli("build", talk, "-t", theme, "-o", project / "deck.pptx", cwd=project)
    assert code == 0, err
    with zipfile.ZipFile(project / "deck.pptx") as zf:
        names = zf.namelist()
        core = zf.read("docProps/core.xml").decode()
        rels = zf.read("_rels/.rels").decode()
    assert names.count("docProps/core.xml") == 1
    assert "docProps/thumbnail.jpeg" not in names  # a picture of the template, not the deck
    assert NEW_CORE_RT in rels and OLD_CORE_RT not in rels
    # The deck's own properties, the template's language, none of the template's values.
    assert "<dc:title>Quarterly review</dc:title>" in core
    assert "<dc:creator>Ops</dc:creator>" in core
    assert "<dc:language>de-DE</dc:language>" in core
    assert "Company template" not in core and "internal" not in core
    assert_valid_pptx(project / "deck.pptx")


def test_a_footer_prompt_in_the_template_is_no_footer(run_cli, project: Path):
    template = as_potx(
        default_template(project, "company.pptx", edit=_company), project / "company.potx"
    )
    code, out, err = run_cli("theme", "init", "company", "--from", template, cwd=project)
    assert code == 0, err
    assert "footer" not in (project / "themes" / "company" / "theme.yaml").read_text()
    talk = project / "talk.yaml"
    talk.write_text(TALK, encoding="utf-8")
    code, _, err = run_cli("build", talk, "-t", "company", "-o", project / "deck.pptx", cwd=project)
    assert code == 0, err
    slides = Presentation(str(project / "deck.pptx")).slides
    texts = [_ph_texts(slide) for slide in slides]
    assert all("ftr" not in found for found in texts), texts  # the footer stays empty
    assert texts[1]["sldNum"] == "2" and texts[1]["dt"] == "26 November 2026"
    every = " ".join(
        shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame
    )
    assert "<footer>" not in every and "Footer" not in every and "Click to" not in every
    # A footer the theme sets is shown.
    theme = project / "themes" / "company" / "theme.yaml"
    theme.write_text(theme.read_text() + 'footer: "Ops · Internal"\n', encoding="utf-8")
    code, _, err = run_cli("build", talk, "-t", "company", "-o", project / "own.pptx", cwd=project)
    assert code == 0, err
    assert _ph_texts(Presentation(str(project / "own.pptx")).slides[1])["ftr"] == "Ops · Internal"
    assert_valid_pptx(project / "deck.pptx", project / "own.pptx")


@pytest.mark.parametrize(
    ("text", "prompt"),
    [
        ("", True),
        ("  ", True),
        ("<footer>", True),
        ("<date/time>", True),
        ("<number>", True),
        ("<Fußzeile>", True),
        ("‹#›", True),
        ("‹Nr.›", True),
        ("Footer", True),
        ("Click to edit Master title style", True),
        ("Click icon to add picture", True),
        ("Mastertitelformat bearbeiten", True),
        ("Clique para editar o título Mestre", True),
        ("this is the footer", False),
        ("Acme · Internal", False),
        ("<b>Acme</b> rocks", False),
        ("Clickable demos", False),
        ("Footer of the day", False),
    ],
)
def test_placeholder_prompts_are_told_from_text(text: str, prompt: bool):
    from generator.theme.prompts import is_prompt

    assert is_prompt(text) is prompt
