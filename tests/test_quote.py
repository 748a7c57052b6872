"""The quote kind: one module, built through the CLI on the grid and on a template."""

from __future__ import annotations

from pathlib import Path

from conftest import needs_soffice, pdf_text, render_pdf, write
from pptx import Presentation
from test_template import default_template, template_theme

TALK = """\
title: Quotes
slides:
  - kind: quote
    text: Simple is better than complex.
    attribution: The Zen of Python
    notes: Read it slowly.
  - kind: quote
    text: Make it work, make it right, make it fast.
"""


def test_a_quote_is_the_slides_title_with_its_attribution_under_it(run_cli, project: Path):
    talk = write(project / "talk.yaml", TALK)
    code, _, stderr = run_cli("build", talk, "-o", project / "talk.pptx")
    assert code == 0, stderr
    first, second = Presentation(str(project / "talk.pptx")).slides
    assert first.shapes.title.text_frame.text == "\u201cSimple is better than complex.\u201d"
    texts = [s.text_frame.text for s in first.shapes if s.has_text_frame]
    assert "\u2014 The Zen of Python" in texts
    assert first.notes_slide.notes_text_frame.text == "Read it slowly."
    assert [s.text_frame.text for s in second.shapes if s.has_text_frame][0].startswith(
        "\u201cMake it work"
    )


def test_a_long_quote_shrinks_with_a_warning_named_after_its_role(run_cli, project: Path):
    words = " ".join(["endlessly"] * 60)
    talk = write(project / "talk.yaml", f"title: Q\nslides:\n  - kind: quote\n    text: {words}\n")
    code, stdout, _ = run_cli("check", talk)
    assert code == 0
    assert (
        "talk.yaml:4:11: warning: quote shrunk to 26 pt (preferred 36 pt) to fit in 10 lines"
    ) in stdout


def test_theme_sizes_and_floors_reach_the_quote(run_cli, project: Path):
    write(
        project / "themes" / "big" / "theme.yaml",
        "name: big\nextends: default\nsizes: {quote: 44, attribution: 22}\n"
        "min_sizes: {quote: 30}\n",
    )
    talk = write(project / "talk.yaml", TALK)
    code, _, stderr = run_cli(
        "build", talk, "-t", project / "themes" / "big", "-o", project / "talk.pptx", cwd=project
    )
    assert code == 0, stderr
    slide = Presentation(str(project / "talk.pptx")).slides[0]
    sizes = {
        run.font.size.pt
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for run in p.runs
    }
    assert {44, 22} <= sizes


def test_an_unknown_text_role_in_a_theme_is_located_with_did_you_mean(run_cli, project: Path):
    write(project / "themes" / "t" / "theme.yaml", "name: t\nsizes: {qoute: 40}\n")
    talk = write(project / "talk.yaml", TALK)
    code, _, stderr = run_cli("check", talk, "-t", project / "themes" / "t", cwd=project)
    assert code == 1
    assert "themes/t/theme.yaml:2:9: unknown text role 'qoute' (did you mean 'quote'?)" in stderr


def test_a_template_theme_may_name_the_quote_layout(run_cli, project: Path):
    template = default_template(project)
    folder = template_theme(
        project / "themes" / "corp", template, "layouts: {quote: Section Header}\n"
    )
    talk = write(project / "talk.yaml", TALK)
    code, _, stderr = run_cli("build", talk, "-t", folder, "-o", project / "talk.pptx", cwd=project)
    assert code == 0, stderr
    slides = Presentation(str(project / "talk.pptx")).slides
    assert {slide.slide_layout.name for slide in slides} == {"Section Header"}


def test_a_template_theme_puts_quotes_on_the_sentence_layout_by_structure(run_cli, project: Path):
    folder = template_theme(project / "themes" / "corp", default_template(project))
    talk = write(project / "talk.yaml", TALK + "  - kind: statement\n    text: Hi.\n")
    code, _, stderr = run_cli("build", talk, "-t", folder, "-o", project / "talk.pptx", cwd=project)
    assert code == 0, stderr
    names = [slide.slide_layout.name for slide in Presentation(str(project / "talk.pptx")).slides]
    assert names[0] == names[1] == names[2]  # a quote plays the statement's role


def test_the_article_quotes_with_the_attribution(run_cli, project: Path):
    talk = write(project / "talk.yaml", TALK)
    code, _, stderr = run_cli("build", talk, "-f", "md", "-o", project / "talk.md")
    assert code == 0, stderr
    assert (
        "> Simple is better than complex.\n>\n> \u2014 The Zen of Python\n\n"
        "> Make it work, make it right, make it fast.\n"
    ) in (project / "talk.md").read_text()


@needs_soffice
def test_libreoffice_renders_the_quote_and_attribution(run_cli, project: Path):
    talk = write(project / "talk.yaml", TALK)
    code, _, stderr = run_cli("build", talk, "-o", project / "talk.pptx")
    assert code == 0, stderr
    text = " ".join(pdf_text(render_pdf(project / "talk.pptx")).split())
    assert "Simple is better than complex." in text and "The Zen of Python" in text
