"""Template reading: real company templates and ones the tests build from python-pptx's own."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree
from pptx import Presentation

from generator.layout.plan import Box
from generator.theme.template import (
    KINDS,
    TemplateError,
    add_slide,
    choose_layouts,
    new_presentation_from_template,
    open_template,
    read_template,
)

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "shared" / "templates"
SHARED = sorted(p for p in TEMPLATES.glob("*") if p.suffix in (".pptx", ".potx"))
needs_shared = pytest.mark.skipif(
    not SHARED, reason=f"the shared real-world templates are not at {TEMPLATES}"
)
TEMPLATE_CT = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_CT = (
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)


def shared(name: str) -> Path:
    path = TEMPLATES / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {TEMPLATES}")
    return path


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


# --- the shared real-world templates ----------------------------------------------------------


@needs_shared
@pytest.mark.parametrize("path", SHARED, ids=lambda p: p.name)
def test_every_shared_template_opens_and_gets_a_layout_for_every_kind(path: Path):
    info = read_template(path)
    assert info.width > 0 and info.height > 0
    assert info.masters and all(m.layouts for m in info.masters)
    assert {"dk1", "lt1", "dk2", "lt2", "accent1", "accent6"} <= set(info.colors)
    assert info.heading_font and info.body_font
    choices, problems = choose_layouts(info)
    assert problems == []
    assert set(choices) == set(KINDS)
    slide = Box(0, 0, info.width, info.height)
    for choice in choices.values():
        assert inside(choice.body_box, slide) and inside(choice.title_box, slide)
    comparison = choices["comparison"]
    assert comparison.left_box.right <= comparison.right_box.x


@needs_shared
def test_readme_layouts_and_placeholders_are_read():
    officer = read_template(shared("officer-template.pptx"))
    assert (officer.width, officer.height) == (9144000, 6858000)
    assert [lay.name for lay in officer.layouts] == [
        "Title Slide",
        "Title and Content",
        "Section Header",
        "Two Content",
        "Comparison",
        "Title Only",
        "Blank",
    ]
    assert ph_types(layout(officer, "Comparison")) == [
        "title[0]",
        "body[1]",
        "obj[2]",
        "body[3]",
        "obj[4]",
        "dt[10]",
        "ftr[11]",
        "sldNum[12]",
    ]
    mecanon = read_template(shared("mecanon-template.potx"))
    assert [len(m.layouts) for m in mecanon.masters] == [9, 4]
    assert ph_types(layout(mecanon, "Conteúdo", master=1)) == [
        "title[0]",
        "obj[1]",
        "ftr[11]",
        "sldNum[12]",
        "body[13]",
    ]
    assert mecanon.colors["accent1"] == "#D76C23"
    # The master's text styles name Montserrat; the theme part says Calibri.
    assert (mecanon.heading_font, mecanon.body_font) == ("Montserrat Medium", "Montserrat")
    depth = read_template(shared("pandoc-test-reference-depth.pptx"))
    assert ph_types(layout(depth, "3 Column"))[:3] == ["title[0]", "body[1]", "body[15]"]
    assert depth.heading_font == "Corbel"


@needs_shared
def test_placeholder_boxes_with_odd_idx_come_from_the_layout_xml():
    info = read_template(shared("officer-ph_dupes.pptx"))
    dupes = layout(info, "2-dupes")
    boxes = {p.idx: p.box for p in dupes.of_type("obj")}
    assert boxes == {
        13: Box(838200, 2203450, 3200400, 3411538),
        15: Box(4384431, 2203450, 6969369, 3411538),
    }
    # The title has no xfrm of its own: it inherits the master title's, by type.
    assert dupes.title.box == Box(838200, 365125, 10515600, 1325563)
    comparison = choose_layouts(info)[0]["comparison"]
    assert (comparison.name, comparison.left.idx, comparison.right.idx) == ("2-dupes", 13, 15)


@needs_shared
def test_deleted_layouts_template_falls_back_inside_the_body_area():
    info = read_template(shared("pandoc-test-reference-deleted-layouts.pptx"))
    choices, _ = choose_layouts(info)
    assert choices["title"].how == "structure" and choices["title"].name == "Title Slide"
    bullets = choices["bullets"]
    assert bullets.how == "fallback" and bullets.body is None
    master_title = info.masters[0].placeholders["title"].box
    assert bullets.title_box == master_title
    assert inside(bullets.body_box, info.body_area())
    assert bullets.body_box.y > master_title.bottom


@needs_shared
def test_moved_layouts_get_the_same_choices_as_depth():
    depth = choose_layouts(read_template(shared("pandoc-test-reference-depth.pptx")))[0]
    moved = choose_layouts(read_template(shared("pandoc-test-reference-moved-layouts.pptx")))[0]
    assert {k: c.name for k, c in moved.items()} == {k: c.name for k, c in depth.items()}
    assert depth["section"].name == "Section Header"
    assert depth["comparison"].name == "Two Content"
    assert moved["title"].layout.layout_index == 4  # fifth, not slide_layouts[0]


@needs_shared
def test_potx_with_two_masters_opens_and_stays_on_one_master():
    path = shared("mecanon-template.potx")
    prs = open_template(path)
    assert len(prs.slide_masters) == 2 and len(prs.slides) == 7
    choices, _ = choose_layouts(read_template(path))
    assert {c.layout.master_index for c in choices.values()} == {0}
    assert choices["bullets"].name == "Conteúdo"
    assert choices["statement"].how == "fallback"
    assert choices["statement"].name == "Vazio com Bordas"  # the undecorated blank layout


@needs_shared
@pytest.mark.parametrize("path", SHARED, ids=lambda p: p.name)
def test_sample_slides_are_removed_cleanly(path: Path, tmp_path: Path):
    prs = new_presentation_from_template(path)
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


@needs_shared
@pytest.mark.parametrize("path", SHARED, ids=lambda p: p.name)
def test_a_slide_of_every_kind_pins_the_chosen_boxes(path: Path, tmp_path: Path):
    choices, _ = choose_layouts(read_template(path))
    prs = new_presentation_from_template(path)
    for choice in choices.values():
        slide, shapes = add_slide(prs, choice, footer=True, date=True, slide_number=True)
        assert shapes["title"].is_placeholder and slide.shapes.title is not None
        title = shapes["title"]
        assert Box(title.left, title.top, title.width, title.height) == choice.title_box
        if choice.left is not None:
            assert (shapes["left"].left, shapes["right"].left) == (
                choice.left_box.x,
                choice.right_box.x,
            )
        if choice.slide_number is not None:
            assert "slidenum" in shapes["slide_number"]._element.xml
        ids = [s.shape_id for s in slide.shapes]
        assert len(ids) == len(set(ids))
    out = tmp_path / "kinds.pptx"
    prs.save(out)
    assert_sound_package(out)
    assert len(Presentation(str(out)).slides) == len(KINDS)


@needs_shared
def test_footer_placeholders_are_cloned_from_the_layout():
    path = shared("pandoc-test-footer-reference.pptx")
    choice = choose_layouts(read_template(path))[0]["bullets"]
    prs = new_presentation_from_template(path)
    _, bare = add_slide(prs, choice)
    assert set(bare) == {"title", "body"}
    _, shapes = add_slide(prs, choice, footer=True, date=True, slide_number=True)
    assert {"footer", "date", "slide_number"} <= set(shapes)
    assert shapes["footer"].top == choice.footer.box.y


# --- templates the tests build ----------------------------------------------------------------


def test_default_4_3_template_maps_every_kind_by_structure(tmp_path: Path):
    info = read_template(default_template(tmp_path))
    assert (info.width, info.height) == (9144000, 6858000)
    assert info.colors["dk1"] == "#000000"  # a sysClr, resolved through lastClr
    assert info.colors["accent1"] == "#4F81BD"
    choices, _ = choose_layouts(info)
    assert {k: c.name for k, c in choices.items()} == {
        "title": "Title Slide",
        "section": "Section Header",
        "bullets": "Title and Content",
        "table": "Title Only",
        "comparison": "Two Content",
        "code": "Title Only",
        "statement": "Title Only",
        "image": "Title Only",
        "closing": "Title Only",
    }
    assert {c.how for c in choices.values()} == {"structure"}


def test_renamed_and_reordered_layouts_are_found_by_structure(tmp_path: Path):
    def rename(prs):
        for n, lay in enumerate(prs.slide_layouts):
            lay.name = f"Folie {n}"
            lay._element.attrib.pop("type", None)  # no sldLayout@type hints either
        lst = prs.slide_master._element.find(
            "{http://schemas.openxmlformats.org/presentationml/2006/main}sldLayoutIdLst"
        )
        lst[:] = list(reversed(lst))

    choices, _ = choose_layouts(read_template(default_template(tmp_path, edit=rename)))
    assert choices["title"].name == "Folie 0"  # ctrTitle + subTitle
    assert choices["bullets"].name == "Folie 1"  # title + one big body
    assert choices["comparison"].name == "Folie 3"  # two equal side-by-side columns
    assert choices["table"].name == "Folie 5"  # title only
    assert choices["bullets"].body.type == "obj"


def test_layouts_named_in_the_theme_win_and_unknown_names_are_problems(tmp_path: Path):
    info = read_template(default_template(tmp_path))
    wanted = {"bullets": "title only", "code": "Blank", "table": "Title Onyl", "tabel": "Blank"}
    choices, problems = choose_layouts(info, wanted)
    assert (choices["bullets"].name, choices["bullets"].how) == ("Title Only", "named")
    assert choices["bullets"].body is None  # drawn in the body area under the title
    assert choices["code"].how == "named" and choices["code"].title is None
    assert (choices["table"].name, choices["table"].how) == ("Title Only", "structure")
    assert problems == [
        (
            "layout 'Title Onyl' for table slides is not in the template",
            "did you mean 'Title Only'?",
        ),
        ("unknown slide kind 'tabel' in layouts", "did you mean 'table'?"),
    ]


def test_a_template_with_only_a_blank_layout_draws_everything(tmp_path: Path):
    def only_blank(prs):
        for lay in [lay for lay in prs.slide_layouts if lay.name != "Blank"]:
            prs.slide_layouts.remove(lay)

    path = default_template(tmp_path, edit=only_blank)
    info = read_template(path)
    choices, _ = choose_layouts(info)
    assert {(c.name, c.how) for c in choices.values()} == {("Blank", "fallback")}
    assert inside(choices["bullets"].body_box, info.body_area())
    prs = new_presentation_from_template(path)
    _, shapes = add_slide(prs, choices["bullets"], slide_number=True)
    assert shapes["title"].placeholder_format.type is not None  # a real title, added
    out = tmp_path / "blank.pptx"
    prs.save(out)
    assert_sound_package(out)


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
    add_slide(prs, choose_layouts(read_template(path))[0]["bullets"])
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


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is needed")
def test_libreoffice_renders_a_templated_deck_page_per_slide(tmp_path: Path):
    mecanon = TEMPLATES / "mecanon-template.potx"
    path = mecanon if mecanon.is_file() else default_template(tmp_path)
    choices, _ = choose_layouts(read_template(path))
    prs = new_presentation_from_template(path)
    for kind, choice in choices.items():
        _, shapes = add_slide(prs, choice, footer=True, slide_number=True)
        shapes["title"].text_frame.text = kind
    deck = tmp_path / "deck.pptx"
    prs.save(deck)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "deck.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(KINDS)
    assert io.BytesIO(pdf).read(5) == b"%PDF-"
