"""Accessibility by PowerPoint's Accessibility Checker rules: built through the CLI, read
back from the .pptx, validated by validate.py; findings under the Checker's rule names."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, assert_valid_pptx, needs_soffice, pdf_text, render_pdf, write
from lxml import etree
from PIL import Image
from pptx import Presentation
from test_template import default_template, template_theme

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "p14": "http://schemas.microsoft.com/office/powerpoint/2010/main",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
    "dc": "http://purl.org/dc/elements/1.1/",
}
BUNDLED = ROOT / "content" / "ai-vs-ml-engineer.yaml"


def part(pptx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(pptx) as archive:
        return etree.fromstring(archive.read(name))


def slide_parts(pptx: Path) -> list[etree._Element]:
    with zipfile.ZipFile(pptx) as archive:
        names = sorted(
            (n for n in archive.namelist() if n.startswith("ppt/slides/slide")),
            key=lambda n: int(n.rsplit("slide", 1)[1].split(".")[0]),
        )
        return [etree.fromstring(archive.read(n)) for n in names]


def picture(project: Path, name: str = "images/diagram.png") -> str:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (400, 300), "#2563EB").save(path, "PNG")
    return name


def build(run_cli, project: Path, talk: str, *extra: str) -> tuple[int, str, str, Path]:
    content = write(project / "talk.yaml", talk)
    out = project / "talk.pptx"
    code, stdout, stderr = run_cli("build", content, "-o", out, *extra)
    return code, stdout, stderr, out


# --- 1. document language and title ---------------------------------------------------


def test_every_run_and_the_document_carry_the_language(run_cli, project: Path):
    talk = """\
title: Sprachen
lang: de-DE
slides:
  - kind: bullets
    title: Deutsch
    bullets: [Eins, Zwei]
  - kind: bullets
    title: Français
    lang: fr-FR
    bullets: [Un, Deux]
  - kind: table
    title: Tabelle
    header: [A, B]
    rows: [[1, 2]]
"""
    code, _, stderr, out = build(run_cli, project, talk)
    assert code == 0, stderr
    first, second, table = slide_parts(out)
    langs = first.xpath("//a:rPr/@lang | //a:endParaRPr/@lang", namespaces=NS)
    assert langs and set(langs) == {"de-DE"}
    assert set(second.xpath("//a:rPr/@lang", namespaces=NS)) == {"fr-FR"}
    assert set(table.xpath("//a:tc//a:rPr/@lang", namespaces=NS)) == {"de-DE"}
    core = part(out, "docProps/core.xml")
    assert core.findtext("dc:language", namespaces=NS) == "de-DE"
    assert core.findtext("dc:title", namespaces=NS) == "Sprachen"
    assert_valid_pptx(out)


def _german_template(prs) -> None:
    prs.core_properties.language = "de-DE"


@pytest.mark.parametrize(("given", "expected"), [("", "de-DE"), ("lang: fr-CA\n", "fr-CA")])
def test_without_lang_the_templates_language_is_the_talks(
    run_cli, project: Path, tmp_path: Path, given: str, expected: str
):
    template = default_template(tmp_path, "german.pptx", edit=_german_template)
    theme = template_theme(project / "themes" / "corp", template)
    talk = f"title: T\n{given}slides:\n  - kind: bullets\n    title: A\n    bullets: [b]\n"
    code, _, stderr, out = build(run_cli, project, talk, "-t", theme / "theme.yaml")
    assert code == 0, stderr
    assert set(slide_parts(out)[0].xpath("//a:rPr/@lang", namespaces=NS)) == {expected}
    assert part(out, "docProps/core.xml").findtext("dc:language", namespaces=NS) == expected
    assert_valid_pptx(out)


def test_the_language_defaults_to_en_us(run_cli, project: Path):
    code, _, stderr, out = build(run_cli, project, "title: T\nslides:\n  - kind: title\n")
    assert code == 0, stderr
    assert set(slide_parts(out)[0].xpath("//a:rPr/@lang", namespaces=NS)) == {"en-US"}
    assert part(out, "docProps/core.xml").findtext("dc:language", namespaces=NS) == "en-US"


@pytest.mark.parametrize("tag", ["english", "en_US", "en-", "de-DE-1"])
def test_a_malformed_language_tag_is_a_located_error(run_cli, project: Path, tag: str):
    code, _, stderr, out = build(
        run_cli, project, f"title: T\nlang: {tag}\nslides:\n  - kind: title\n"
    )
    assert code == 1
    assert stderr.startswith(f"{project / 'talk.yaml'}:2:7: '{tag}' is not a BCP 47 language tag")
    assert not out.exists()


RTL_TALK = """\
title: Shalom
slides:
  - kind: bullets
    title: שלום עולם
    lang: he-IL
    bullets: [ספר טוב מאוד, בית גדול]
  - kind: bullets
    title: Left to right
    bullets: [Still English]
"""


def test_hebrew_and_arabic_paragraphs_are_right_to_left(run_cli, project: Path):
    talk = RTL_TALK + (
        "  - kind: statement\n    lang: ar\n    text: مرحبا بالعالم\n"
        "  - kind: table\n    lang: fa\n    title: جدول\n    header: [الف, ب]\n    rows: [[1, 2]]\n"
    )
    code, _, stderr, out = build(run_cli, project, talk)
    assert code == 0, stderr
    hebrew, english, arabic, table = slide_parts(out)
    assert table.xpath("//a:tblPr/@rtl", namespaces=NS) == ["1"]
    assert not english.xpath("//a:tblPr", namespaces=NS)
    for slide in (hebrew, arabic):
        texts = slide.xpath(
            "//a:p[a:r/a:rPr[starts-with(@lang, 'he') or @lang='ar']]/a:pPr", namespaces=NS
        )
        assert texts and all(p.get("rtl") == "1" for p in texts)
    body = hebrew.xpath("//a:p[a:r/a:t='ספר טוב מאוד']/a:pPr", namespaces=NS)[0]
    assert body.get("algn") == "r"
    assert not english.xpath("//a:pPr[@rtl]", namespaces=NS)
    # The accent bar under the title starts where the title does: at the right.
    (bar,) = hebrew.xpath(
        "//p:sp[p:nvSpPr/p:cNvPr[starts-with(@name, 'Panel')]]//a:off/@x", namespaces=NS
    )
    (english_bar,) = english.xpath(
        "//p:sp[p:nvSpPr/p:cNvPr[starts-with(@name, 'Panel')]]//a:off/@x", namespaces=NS
    )
    assert int(bar) > 6 * 914400 > int(english_bar)
    assert_valid_pptx(out)


@needs_soffice
def test_a_right_to_left_slide_renders_with_its_words(run_cli, project: Path):
    code, _, stderr, out = build(run_cli, project, RTL_TALK)
    assert code == 0, stderr
    text = pdf_text(render_pdf(out))
    for word in ("שלום", "עולם", "ספר", "גדול", "Still English"):
        assert word in text
    png = project / "rtl"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out.with_suffix(".pdf")), png],
        check=True,
    )
    shots = Path("/work/shots-a11y")
    if shots.is_dir():  # where a developer looks at it
        shutil.copyfile(next(project.glob("rtl*.png")), shots / "rtl-hebrew-slide.png")


# --- 2. alternative text --------------------------------------------------------------


def test_a_decorative_picture_carries_powerpoints_mark_and_no_description(run_cli, project: Path):
    src = picture(project)
    talk = f"""\
title: Pictures
slides:
  - kind: image
    title: A flourish
    src: {src}
    decorative: true
  - kind: comparison
    title: Side by side
    left: {{heading: Plain, image: {src}, decorative: true}}
    right: {{heading: Described, image: {src}, alt: A blue square}}
"""
    code, _, stderr, out = build(run_cli, project, talk)
    assert code == 0, stderr
    first, second = slide_parts(out)
    pictures = first.xpath("//p:pic/p:nvPicPr/p:cNvPr", namespaces=NS)
    assert len(pictures) == 1 and pictures[0].get("descr") is None
    ext = pictures[0].find("a:extLst/a:ext", NS)
    assert ext.get("uri") == "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
    assert ext.find("adec:decorative", NS).get("val") == "1"
    pics = second.xpath("//p:pic/p:nvPicPr/p:cNvPr", namespaces=NS)
    assert [p.get("descr") for p in pics] == [None, "A blue square"]
    assert_valid_pptx(out)


def test_missing_alt_text_is_a_located_error_named_after_the_rule(run_cli, project: Path):
    src = picture(project)
    code, _, stderr, out = build(
        run_cli, project, f"title: P\nslides:\n  - kind: image\n    src: {src}\n"
    )
    assert code == 1
    assert stderr.startswith(f"{project / 'talk.yaml'}:3:5: Missing alternative text: ")
    assert not out.exists()


def test_alt_text_that_is_a_file_name_is_an_error(run_cli, project: Path):
    src = picture(project)
    talk = f"title: P\nslides:\n  - kind: image\n    src: {src}\n    alt: diagram.png\n"
    code, _, stderr, out = build(run_cli, project, talk)
    assert code == 1
    assert (
        f"{project / 'talk.yaml'}:5:10: Missing alternative text: the alt text "
        "'diagram.png' is a file name" in stderr
    )
    assert not out.exists()


def test_alt_and_decorative_together_is_an_error(run_cli, project: Path):
    src = picture(project)
    talk = f"title: P\nslides:\n  - kind: image\n    src: {src}\n    alt: A\n    decorative: true\n"
    code, _, stderr, _ = build(run_cli, project, talk)
    assert code == 1
    assert f"{project / 'talk.yaml'}:6:17: a decorative image has no alt text" in stderr


# --- 3. tables ------------------------------------------------------------------------


def test_a_table_flags_its_header_row(run_cli, project: Path):
    talk = (
        "title: T\nslides:\n  - kind: table\n    title: T\n    header: [A, B]\n    rows: [[1, 2]]\n"
    )
    code, _, stderr, out = build(run_cli, project, talk)
    assert code == 0, stderr
    (slide,) = slide_parts(out)
    assert slide.xpath("//a:tbl/a:tblPr/@firstRow", namespaces=NS) == ["1"]
    (frame,) = [s for s in Presentation(str(out)).slides[0].shapes if s.has_table]
    table = frame.table
    assert table.first_row and table.cell(0, 0).text == "A"
    assert not slide.xpath("//a:tc[@gridSpan or @rowSpan or @hMerge or @vMerge]", namespaces=NS)


def test_a_table_without_a_header_row_is_found(project: Path):
    from generator.errors import Location, Problems
    from generator.layout import accessibility
    from generator.layout.plan import DeckPlan, SlidePlan, TableElement, TextStyle
    from generator.model.geometry import Box

    box = Box(0, 0, 100, 100)
    table = TableElement(
        box,
        [],
        [[[]]],
        [100],
        TextStyle("Arial", 12, "#000000"),
        "#000000",
        "#FFFFFF",
        "#EEEEEE",
        "#000000",
        0,
        0,
    )
    plan = DeckPlan(100, 100, [SlidePlan("table", "T", [table], source=Location("t.yaml", 3, 5))])
    problems = Problems()
    accessibility.check(plan, problems, Location("t.yaml"))
    assert [str(p) for p in problems if "header" in p.message] == [
        "t.yaml:3:5: Table has no header row: the table has no header row "
        "(give it header: with a heading for each column)"
    ]


# --- 4. slide titles ------------------------------------------------------------------

EVERY_KIND = ROOT / "tests" / "golden" / "every-kind.yaml"


def _titles(out: Path) -> list[str]:
    titles = []
    for slide in Presentation(str(out)).slides:
        title = slide.shapes.title
        assert title is not None, "a slide without a title placeholder"
        titles.append(title.text_frame.text)
    return titles


def test_every_kind_has_a_title_placeholder_and_unshown_titles_sit_off_the_slide(
    run_cli, tmp_path: Path
):
    out = tmp_path / "every.pptx"
    code, _, stderr = run_cli("build", EVERY_KIND, "-o", out)
    assert code == 0, stderr
    titles = _titles(out)
    assert all(t.strip() for t in titles)
    prs = Presentation(str(out))
    for slide in prs.slides:
        title = slide.shapes.title
        assert title._element.xpath("./p:nvSpPr/p:cNvPr/@hidden") == []
        if slide.slide_layout and title.top < 0:  # an image slide without a title
            assert title.top + title.height < 0
    assert any(s.shapes.title.top < 0 for s in prs.slides)
    assert_valid_pptx(out)


def test_every_kind_is_titled_on_a_template_too(run_cli, project: Path, tmp_path: Path):
    theme = template_theme(project / "themes" / "corp", default_template(tmp_path))
    out = project / "every.pptx"
    code, _, stderr = run_cli("build", EVERY_KIND, "-t", theme / "theme.yaml", "-o", out)
    assert code == 0, stderr
    assert all(t.strip() for t in _titles(out))
    assert_valid_pptx(out)


def test_duplicate_titles_warn_and_continuations_do_not(run_cli, project: Path):
    many = "\n".join(f"      - Point number {n} of a long list" for n in range(30))
    talk = f"""\
title: T
slides:
  - kind: bullets
    title: Same
    bullets: [a]
  - kind: bullets
    title: Same
    bullets: [b]
  - kind: bullets
    title: Long
    bullets:
{many}
"""
    content = write(project / "talk.yaml", talk)
    code, stdout, _ = run_cli("check", content)
    assert code == 0
    found = [line for line in stdout.splitlines() if "Duplicate slide title" in line]
    assert found == [
        f"{content}:6:5: warning: Duplicate slide title: slide 2 'Same' has the same title "
        "as slide 1 (make each title say what its slide adds)"
    ]
    code, _, stderr = run_cli("check", content, "--strict")
    assert code == 1 and "Duplicate slide title" in stderr


def test_a_decorative_image_without_title_or_caption_misses_its_title(run_cli, project: Path):
    src = picture(project)
    talk = f"title: P\nslides:\n  - kind: image\n    src: {src}\n    decorative: true\n"
    code, _, stderr, _ = build(run_cli, project, talk)
    assert code == 1
    assert f"{project / 'talk.yaml'}:3:5: Missing slide title: slide 1 has no title" in stderr


# --- 5. sections ----------------------------------------------------------------------


@needs_soffice
def test_section_slides_become_named_powerpoint_sections(run_cli, tmp_path: Path):
    out = tmp_path / "deck.pptx"
    code, _, stderr = run_cli("build", BUNDLED, "-o", out)
    assert code == 0, stderr
    root = part(out, "ppt/presentation.xml")
    sections = root.xpath("//p14:sectionLst/p14:section", namespaces=NS)
    names = [s.get("name") for s in sections]
    prs = Presentation(str(out))
    divider_titles = [
        s.shapes.title.text_frame.text for s in prs.slides if s.slide_layout.name and _is_section(s)
    ]
    assert names == ["Default Section", *divider_titles]
    listed = [i for s in sections for i in s.xpath("p14:sldIdLst/p14:sldId/@id", namespaces=NS)]
    assert listed == root.xpath("p:sldIdLst/p:sldId/@id", namespaces=NS)
    assert_valid_pptx(out)
    assert "Roles and stacks" in pdf_text(render_pdf(out))


def _is_section(slide) -> bool:
    return any(
        shape.name.startswith("Title") and shape.text_frame.text in SECTION_NAMES
        for shape in slide.shapes
        if shape.has_text_frame
    )


SECTION_NAMES = {
    "Roles and stacks",
    "Training vs prompting and RAG",
    "Evaluation",
    "Teams and hiring",
}


# --- 6. reading order -----------------------------------------------------------------


def test_the_title_is_read_first_on_every_slide(run_cli, tmp_path: Path):
    out = tmp_path / "every.pptx"
    code, _, stderr = run_cli("build", EVERY_KIND, "-o", out)
    assert code == 0, stderr
    for slide in slide_parts(out):
        shapes = slide.xpath(
            "//p:spTree/*[self::p:sp or self::p:pic or self::p:graphicFrame]", namespaces=NS
        )
        read = [
            s
            for s in shapes
            if not s.xpath("./p:nvSpPr/p:cNvPr[starts-with(@name, 'Panel')]", namespaces=NS)
        ]
        assert read[0].xpath("./p:nvSpPr/p:nvPr/p:ph/@type", namespaces=NS)[0] in (
            "title",
            "ctrTitle",
        )


def test_a_shape_read_before_the_one_above_it_is_found():
    from generator.errors import Location, Problems
    from generator.layout import accessibility
    from generator.layout.plan import (
        DeckPlan,
        Paragraph,
        Placeholder,
        SlidePlan,
        TextElement,
        TextStyle,
    )
    from generator.model.geometry import Box
    from generator.model.inline import Run

    style = TextStyle("Arial", 12, "#000000")
    TITLE = Placeholder("title")

    def text(y: int, role: str = "body") -> TextElement:
        return TextElement(
            Box(0, y, 100, 10), [Paragraph([Run(role)])], style, role=role, placeholder=TITLE
        )

    slide = SlidePlan(
        "bullets", "T", [text(0, "title"), text(50), text(20)], source=Location("t.yaml", 7, 5)
    )
    problems = Problems()
    accessibility.check(DeckPlan(100, 100, [slide]), problems, Location("t.yaml"))
    assert [str(p) for p in problems] == [
        "t.yaml:7:5: warning: Reading order: on slide 1 a shape is read before the one above it"
    ]
    accessibility.apply(
        DeckPlan(100, 100, [s := SlidePlan("b", "T", [text(50), text(0, "title")])]), None
    )
    assert s.elements[0].role == "title"


# --- 7. links and colour --------------------------------------------------------------


def test_link_text_must_say_where_it_goes(run_cli, project: Path):
    talk = """\
title: Links
slides:
  - kind: bullets
    title: Read more
    bullets:
      - "[https://example.com/runbook](https://example.com/runbook)"
      - "For the runbook [click here](https://example.com/runbook)"
      - "[The deploy runbook](https://example.com/runbook)"
"""
    content = write(project / "talk.yaml", talk)
    code, stdout, _ = run_cli("check", content)
    assert code == 0
    found = [line for line in stdout.splitlines() if "Meaningful hyperlink text" in line]
    assert [line.split(" does not")[0] for line in found] == [
        f"{content}:6:9: warning: Meaningful hyperlink text: the link text "
        "'https://example.com/runbook'",
        f"{content}:7:9: warning: Meaningful hyperlink text: the link text 'click here'",
    ]
    code, _, stderr = run_cli("build", content, "-o", project / "t.pptx", "--strict")
    assert code == 1 and "Meaningful hyperlink text" in stderr


def test_colour_alone_is_found():
    from generator.errors import Location, Problems
    from generator.layout import accessibility
    from generator.layout.plan import (
        DeckPlan,
        Paragraph,
        Placeholder,
        SlidePlan,
        TextElement,
        TextStyle,
    )
    from generator.model.geometry import Box
    from generator.model.inline import Run

    style = TextStyle("Arial", 12, "#000000")
    TITLE = Placeholder("title")
    runs = [Run("Status: "), Run("failing", color="#FF0000")]
    title = TextElement(
        Box(0, 0, 100, 10), [Paragraph([Run("T")])], style, role="title", placeholder=TITLE
    )
    body = TextElement(
        Box(0, 20, 100, 10), [Paragraph(runs)], style, source=Location("t.yaml", 9, 7)
    )
    problems = Problems()
    accessibility.check(
        DeckPlan(100, 100, [SlidePlan("b", "T", [title, body])]), problems, Location("t.yaml")
    )
    assert [p.message.split(":")[0] for p in problems] == ["Colour alone carries meaning"]
    body.paragraphs = [Paragraph([runs[0], Run("failing", bold=True, color="#FF0000")])]
    problems.clear()
    accessibility.check(
        DeckPlan(100, 100, [SlidePlan("b", "T", [title, body])]), problems, Location("t.yaml")
    )
    assert not problems


# --- the bundled deck -----------------------------------------------------------------


def test_the_bundled_deck_passes_every_rule(run_cli, tmp_path: Path):
    code, stdout, stderr = run_cli("check", BUNDLED, "--strict")
    assert code == 0, stderr
    assert "warning" not in stdout
    out = tmp_path / "deck.pptx"
    assert run_cli("build", BUNDLED, "-o", out)[0] == 0
    titles = _titles(out)
    assert all(t.strip() for t in titles) and len(set(titles)) == len(titles)
    for slide in slide_parts(out):
        assert set(slide.xpath("//a:rPr/@lang", namespaces=NS)) <= {"en-US"}
        for pic in slide.xpath("//p:pic/p:nvPicPr/p:cNvPr", namespaces=NS):
            assert pic.get("descr", "").strip() or pic.find("a:extLst", NS) is not None
    assert_valid_pptx(out)


# --- charts: the alt-text rule applies to every element that carries alt text ----------

CHART = """\
title: Metrics
lang: de-DE
slides:
  - kind: chart
    title: Deploys per week
    type: column
    categories: [W1, W2]
    series:
      - {name: ML team, values: [3, 5]}
    alt: ALT
"""


def test_a_chart_is_described_and_its_text_carries_the_language(run_cli, project: Path):
    alt = "Deploys rose from three to five"
    code, _, stderr, out = build(run_cli, project, CHART.replace("ALT", alt))
    assert code == 0, stderr
    (slide,) = slide_parts(out)
    frame = slide.xpath("//p:graphicFrame/p:nvGraphicFramePr/p:cNvPr", namespaces=NS)
    assert [f.get("descr") for f in frame] == [alt]
    # The title is read first, then the chart.
    names = [e.get("name") for e in slide.xpath("//p:spTree/*/*[1]/p:cNvPr", namespaces=NS)]
    assert names and names[0].startswith("Title"), names
    (chart,) = [s for s in Presentation(str(out)).slides[0].shapes if s.has_chart]
    langs = chart.chart.part._element.xpath(".//a:defRPr/@lang")
    assert langs and set(langs) == {"de-DE"}
    assert_valid_pptx(out)


def test_chart_alt_text_that_is_a_file_name_is_an_error(run_cli, project: Path):
    code, _, stderr, out = build(run_cli, project, CHART.replace("ALT", "deploys.png"))
    assert code == 1
    assert (
        f"{project / 'talk.yaml'}:4:5: Missing alternative text: the alt text 'deploys.png' "
        "is a file name" in stderr
    ), stderr
    assert "describe what the chart shows" in stderr
    assert not out.exists()


def test_a_chart_without_alt_text_fails_check_under_the_rule_name(run_cli, project: Path):
    content = write(project / "talk.yaml", CHART.replace("    alt: ALT\n", ""))
    code, _, stderr = run_cli("check", content, "--strict")
    assert code == 1
    assert f"{content}:4:5: Missing alternative text: chart needs alt text" in stderr


def test_the_all_hands_example_passes_every_rule(run_cli, tmp_path: Path):
    example = ROOT / "content" / "examples" / "all-hands.yaml"
    code, stdout, stderr = run_cli("check", example, "--strict")
    assert code == 0, stderr
    assert "warning" not in stdout + stderr
    out = tmp_path / "all-hands.pptx"
    assert run_cli("build", example, "-o", out)[0] == 0
    for slide in slide_parts(out):
        frames = slide.xpath(
            "//p:graphicFrame[.//c:chart]/p:nvGraphicFramePr/p:cNvPr",
            namespaces={**NS, "c": "http://schemas.openxmlformats.org/drawingml/2006/chart"},
        )
        assert all(f.get("descr", "").strip() for f in frames)
    titles = _titles(out)
    assert all(t.strip() for t in titles) and len(set(titles)) == len(titles)
    assert_valid_pptx(out)


def test_the_html_deck_carries_the_languages_and_right_to_left_paragraphs(run_cli, project: Path):
    content = write(project / "talk.yaml", RTL_TALK)
    out = project / "talk.html"
    code, _, stderr = run_cli("build", content, "-f", "html", "-o", out)
    assert code == 0, stderr
    page = etree.HTML(out.read_text(encoding="utf-8"))
    assert page.get("lang") == "en-US"
    hebrew, english = page.xpath("//section[@class='slide']")
    assert hebrew.get("lang") == "he-IL" and english.get("lang") is None
    assert hebrew.xpath(".//p[@dir='rtl']") and not english.xpath(".//p[@dir='rtl']")
    bullet = hebrew.xpath(".//p[@dir='rtl']/span/span[@class='bullet']")[0]
    assert bullet.get("style").startswith("right:")
