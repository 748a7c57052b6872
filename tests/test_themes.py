"""Themes: the bundled three, validation with located errors, logos, contrast, fonts, init."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import BUNDLED, write
from test_template import as_potx, default_template

from generator import api
from generator.errors import Location, Problems
from generator.layout.checks import PAIRS, theme_warnings
from generator.layout.plan import PictureElement, TextElement
from generator.theme.colors import MIN_CONTRAST, contrast, roles_from_palette
from generator.theme.load import available_themes, load_theme

TALK = """\
title: A talk
date: 2026-11-26
vars: {company: Initech}
slides:
  - kind: title
  - kind: bullets
    title: Points
    bullets: [One, Two]
"""


def theme_dir(root: Path, name: str, text: str) -> Path:
    """Write themes/<name>/theme.yaml under root; return the theme folder."""
    write(root / "themes" / name / "theme.yaml", text)
    return root / "themes" / name


def load(path: Path) -> tuple[object, Problems]:
    problems = Problems()
    return load_theme(str(path), Location("--theme"), problems), problems


# --- the bundled themes -------------------------------------------------------------------


def test_three_themes_ship_and_local_themes_come_first(run_cli, tmp_path: Path):
    theme_dir(tmp_path, "zeta", "name: zeta\n")
    theme_dir(tmp_path, "dark", "name: dark\nextends: default\n")  # shadows the bundled one
    code, stdout, _ = run_cli("themes", cwd=tmp_path)
    assert code == 0
    assert stdout.splitlines() == ["dark", "zeta", "acme", "default"]
    assert dict(available_themes(tmp_path))["dark"] == (tmp_path / "themes" / "dark").resolve()


@pytest.mark.parametrize("name", ["default", "dark", "acme"])
def test_bundled_themes_load_and_reach_4_5_to_1(name: str):
    problems = Problems()
    theme = load_theme(name, Location("--theme"), problems)
    assert theme is not None and not problems.errors
    for fore, back, _ in PAIRS:
        pair = getattr(theme.colors, fore), getattr(theme.colors, back)
        assert contrast(*pair) >= MIN_CONTRAST, (fore, back, pair)
    theme_warnings(theme, problems)
    assert not [p for p in problems if "contrast" in p.message]


def test_dark_theme_puts_code_on_its_styles_own_dark_panel():
    theme = load_theme("dark", Location("--theme"), Problems())
    assert theme.code_style == "monokai"
    from pygments.styles import get_style_by_name

    assert theme.colors.code_background == get_style_by_name("monokai").background_color.upper()
    assert contrast(theme.colors.text, theme.colors.background) >= 7


def test_acme_logo_is_on_every_slide_but_the_title_slide_at_its_own_aspect():
    prepared = api.prepare(BUNDLED, "acme")
    slides = prepared.plan.slides
    assert slides[0].kind == "title"
    logo = prepared.theme.logo_path
    for number, slide in enumerate(slides):
        logos = [e for e in slide.elements if isinstance(e, PictureElement) and e.path == str(logo)]
        assert len(logos) == (0 if number == 0 else 1), number
        for picture in logos:
            width, height = prepared.theme.logo_size
            assert abs(picture.box.w / picture.box.h - width / height) < 0.01
            for text in (e for e in slide.elements if isinstance(e, TextElement)):
                box = text.box
                clear = (
                    picture.box.right <= box.x
                    or box.right <= picture.box.x
                    or picture.box.bottom <= box.y
                    or box.bottom <= picture.box.y
                )
                assert clear, f"slide {number + 1}: the logo overlaps its {text.role}"
    footers = {
        e.paragraphs[0].text
        for s in slides
        for e in s.elements
        if isinstance(e, TextElement) and e.role == "footer"
    }
    assert footers == {"Acme · Internal"}


# --- validation -----------------------------------------------------------------------------


def test_theme_problems_are_located_lines_all_at_once(run_cli, project: Path):
    content = write(project / "talk.yaml", TALK)
    write(project / "themes" / "bad" / "logo.png", "not a picture")
    theme_dir(
        project,
        "bad",
        """\
name: bad
colors: {text: "#12345", accent: blue}
sizes: {body: 300}
fonts: {heading: [Arial]}
code_style: monokia
slide_numbers: sometimes
logo: logo.png
footr: x
""",
    )
    code, stdout, stderr = run_cli("check", content, "-t", "bad", cwd=project)
    assert code == 1 and stdout == ""
    theme_file = "themes/bad/theme.yaml"
    assert stderr.splitlines() == [
        f"{theme_file}:7:7: 'logo.png' is not an image file (use PNG, JPEG or GIF)",
        f"{theme_file}:8:1: unknown field 'footr' in theme (did you mean 'footer'?)",
        f"{theme_file}:2:16: invalid colour '#12345' (write colours as \"#RRGGBB\")",
        f"{theme_file}:2:34: invalid colour 'blue' (write colours as \"#RRGGBB\")",
        f"{theme_file}:4:18: expected text, got a list",
        f"{theme_file}:3:15: expected a font size in points (6-200), got 300",
        f"{theme_file}:5:13: unknown code style 'monokia' (did you mean 'monokai'?)",
        f"{theme_file}:6:16: expected true or false, got a string",
    ]


def test_unknown_layout_names_are_located_with_did_you_mean(run_cli, project: Path):
    content = write(project / "talk.yaml", TALK)
    folder = theme_dir(
        project,
        "co",
        """\
name: co
template: company.pptx
layouts:
  bullets: Title and Contnet
  tabel: Title Only
""",
    )
    default_template(folder, "company.pptx")
    code, _, stderr = run_cli("check", content, "-t", "co", cwd=project)
    assert code == 1
    assert stderr.splitlines() == [
        "themes/co/theme.yaml:4:12: layout 'Title and Contnet' for bullets slides is not in "
        "the template (did you mean 'Title and Content'?)",
        "themes/co/theme.yaml:5:3: unknown slide kind 'tabel' in layouts (did you mean 'table'?)",
    ]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("missing.pptx", "file 'missing.pptx' not found"),
        (
            "notes.txt",
            "template 'notes.txt' is not a PowerPoint template (use a .pptx or .potx file)",
        ),
        ("broken.pptx", "not a PowerPoint file (not a zip archive)"),
        ("../outside.pptx", "is outside the project folder"),
    ],
)
def test_unusable_templates_are_one_located_error(tmp_path: Path, template: str, message: str):
    folder = theme_dir(tmp_path, "t", f"name: t\ntemplate: {template}\n")
    (folder / "notes.txt").write_text("hello")
    (folder / "broken.pptx").write_text("hello")
    (folder.parent / "outside.pptx").write_text("hello")
    theme, problems = load(folder)
    assert theme is None or not theme.template_info
    assert len(problems) == 1 and message in str(problems[0])
    assert str(problems[0].location).endswith("theme.yaml:2:11")


def test_extends_cycles_are_an_error(tmp_path: Path):
    theme_dir(tmp_path, "a", "name: a\nextends: b\n")
    theme_dir(tmp_path, "b", "name: b\nextends: a\n")
    theme, problems = load(tmp_path / "themes" / "a")
    assert theme is None
    assert [p.message for p in problems] == ["theme 'extends' cycle: a -> b -> a"]


# --- warnings: contrast, fonts, layouts -----------------------------------------------------


def test_check_warns_when_text_contrast_is_under_4_5_to_1(run_cli, project: Path):
    content = write(project / "talk.yaml", TALK)
    theme_dir(project, "pale", 'name: pale\nextends: default\ncolors:\n  text: "#9CA3AF"\n')
    code, stdout, _ = run_cli("check", content, "-t", "pale", cwd=project)
    assert code == 0
    warning = next(line for line in stdout.splitlines() if "contrast" in line)
    assert warning == (
        "themes/pale/theme.yaml:4:9: warning: Hard-to-read text contrast: text colour #9CA3AF "
        "on #FFFFFF has a contrast "
        "of 2.5:1, under 4.5:1 (darken or lighten colors.text or colors.background)"
    )


def test_a_font_that_is_not_installed_is_measured_with_a_named_stand_in(tmp_path: Path):
    from generator.layout.fonts import resolve_font

    folder = theme_dir(tmp_path, "f", "name: f\nfonts: {heading: Nonexistent Grotesk}\n")
    theme, problems = load(folder)
    theme_warnings(theme, problems)
    stand_in = resolve_font("Nonexistent Grotesk").family
    problems = [p for p in problems if p.severity != "note"]  # the code colours' note
    assert [p.message for p in problems] == [
        f"font 'Nonexistent Grotesk' (heading) is not installed here; text is measured with "
        f"'{stand_in}', so it may fit differently where 'Nonexistent Grotesk' is installed"
    ]
    assert str(problems[0].location).endswith("theme.yaml:2:18")


def test_layouts_without_a_template_are_a_warning(tmp_path: Path):
    from generator.layout.frames import theme_frames

    theme, problems = load(theme_dir(tmp_path, "l", "name: l\nlayouts: {bullets: Blank}\n"))
    theme_frames(theme, problems)
    assert [p.message for p in problems if p.severity != "note"] == [
        "'layouts' has no effect without a template"
    ]


# --- templates in themes --------------------------------------------------------------------


def test_a_template_supplies_colours_fonts_and_size_its_theme_does_not_set(tmp_path: Path):
    folder = theme_dir(
        tmp_path, "t", 'name: t\nextends: default\ntemplate: c.pptx\ncolors: {accent: "#E4002B"}\n'
    )
    default_template(folder, "c.pptx")  # python-pptx's own: 4:3, Calibri, accent1 #4F81BD
    theme, problems = load(folder)
    assert not problems.errors
    assert theme.colors.accent == "#E4002B"  # the theme's own key wins
    assert theme.colors.text == "#000000"  # the template's tx1 beats default's colour
    assert (theme.fonts.heading, theme.fonts.body) == ("Calibri", "Calibri")
    assert theme.fonts.code == "Consolas"  # a template has no code font: inherited
    assert theme.palette["accent1"] == "#4F81BD"
    content = write(tmp_path / "talk.yaml", TALK)
    prepared = api.prepare(content, str(folder))
    assert (prepared.plan.width, prepared.plan.height) == (9144000, 6858000)


def test_a_dark_template_gets_dark_code_and_readable_roles():
    palette = {"dk1": "#000000", "lt1": "#FFFFFF", "accent1": "#1A1A1A", "accent2": "#FFC000"}
    roles = roles_from_palette(palette, {"bg1": "dk1", "tx1": "lt1"})
    assert (roles["background"], roles["text"]) == ("#000000", "#FFFFFF")
    assert roles["accent"] == "#FFC000"  # accent1 does not show on black
    assert roles["code_background"] == "#272822"
    assert contrast(roles["muted"], roles["background"]) >= MIN_CONTRAST


# --- theme init ------------------------------------------------------------------------------


def test_theme_init_scaffolds_a_theme_and_prints_its_mapping(run_cli, project: Path):
    potx = as_potx(default_template(project, "brand.pptx"), project / "brand.potx")
    code, stdout, stderr = run_cli("theme", "init", "brand", "--from", potx, cwd=project)
    assert code == 0, stderr
    folder = project / "themes" / "brand"
    assert (folder / "brand.potx").read_bytes() == potx.read_bytes()
    lines = stdout.splitlines()
    assert lines[0] == "wrote themes/brand/theme.yaml (template brand.potx)"
    assert (
        "  accent          #4F81BD  accent1, or the first accent that shows on the "
        "background" in lines
    )
    assert "  bullets     1: Title and Content  (its placeholders)" in lines
    assert lines[-1] == "see it: deckwright theme preview brand"
    text = (folder / "theme.yaml").read_text()
    assert (
        'bullets: {master: 1, layout: "Title and Content"}  # its placeholders' in text
        and 'accent1: "#4F81BD"' in text
    )
    theme, problems = load(folder)
    assert theme is not None and not problems.errors
    assert theme.layouts["bullets"] == {"layout": "Title and Content", "master": 1}
    content = write(project / "talk.yaml", TALK)
    assert (
        run_cli("build", content, "-t", "brand", "-o", project / "deck.pptx", cwd=project)[0] == 0
    )
    code, _, stderr = run_cli("theme", "init", "brand", "--from", potx, cwd=project)
    assert code == 1
    assert stderr == (
        "themes/brand:1:1: theme folder 'themes/brand' already exists "
        "(choose another name or remove the folder)\n"
    )


def test_theme_init_refuses_what_is_not_a_template(run_cli, tmp_path: Path):
    shutil.copyfile(BUNDLED, tmp_path / "talk.pptx")
    code, _, stderr = run_cli("theme", "init", "x", "--from", tmp_path / "talk.pptx", cwd=tmp_path)
    assert code == 1 and len(stderr.splitlines()) == 1
    assert "not a PowerPoint file (not a zip archive)" in stderr
    assert not (tmp_path / "themes").exists()
    assert run_cli("theme", "init", "../x", "--from", tmp_path / "talk.pptx", cwd=tmp_path)[0] == 1
