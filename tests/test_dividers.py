"""Section and closing slides on real templates: large, where they read, looking like dividers.

A template whose title place is a band made for content titles (Lights' dark gradient,
Piano's black bar, Blue Curve's blue bar, Inspiration's green bar) gets its divider titles
set large in the body area, with no panel over the band; one whose title place holds a
large title (Vivid) keeps them there.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import assert_valid_pptx, needs_soffice, render_pdf
from pptx import Presentation
from pptx.util import Emu
from template_fixtures import lo, template_project

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("Roles and stacks", "Evaluation", "Teams and hiring")

pytestmark = needs_soffice


def build_on(run_cli, tmp_path: Path, template: Path, name: str) -> tuple[Path, str]:
    """Build the bundled deck on a template; return the deck and `check`'s output."""
    project = template_project(run_cli, tmp_path, template, name)
    out = tmp_path / f"{name}.pptx"
    code, _, stderr = run_cli(
        "build", "content/ai-vs-ml-engineer.yaml", "-t", name, "-o", out, cwd=project
    )
    assert code == 0, stderr
    code, stdout, stderr = run_cli(
        "check", "content/ai-vs-ml-engineer.yaml", "-t", name, cwd=project
    )
    return out, stdout + stderr


def titles(deck: Path) -> dict[str, tuple[int, int, float]]:
    """Return each slide title's text -> (top, bottom, font size in pt)."""
    found = {}
    for slide in Presentation(str(deck)).slides:
        title = slide.shapes.title
        if title is None or not title.text_frame.text:
            continue
        sizes = [r.font.size.pt for p in title.text_frame.paragraphs for r in p.runs if r.font.size]
        found[title.text_frame.text] = (title.top, title.top + title.height, max(sizes))
    return found


@pytest.mark.parametrize("name", ["Lights", "Piano", "Blue_Curve", "Inspiration"])
def test_dividers_on_a_banded_template_are_large_and_below_the_band(
    run_cli, tmp_path: Path, template_path, name: str
):
    deck, said = build_on(run_cli, tmp_path, template_path(lo(name)), name.casefold())
    shown = titles(deck)
    content = shown["Tech stack: the overlap"]
    for divider in (*SECTIONS, "Questions?"):
        top, _, size = shown[divider]
        assert top >= content[1], f"{divider!r} is set below the band, in the body area"
        assert size >= 1.2 * content[2], f"{divider!r} at {size} pt reads as a divider"
    assert "drawn on a panel" not in said, said
    assert_valid_pptx(deck)


DIVIDER_LINES = """\
title: Dividers with a line under them
author: Me
slides:
  - kind: section
    title: Roles and stacks
    subtitle: Who builds what, and with which tools
  - kind: bullets
    title: A content slide
    bullets: [one, two]
  - kind: closing
    title: Questions?
    subtitle: me@example.com
"""


def test_a_divider_line_follows_its_title_into_the_body_and_the_band_stays_empty(
    run_cli, tmp_path: Path, template_path
):
    """The section's and closing's subtitle go under the moved title, not into the
    layout's band or a subtitle place above it; nothing is written in the band."""
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "deckwright.yaml").write_text("# project marker\n")
    (project / "content" / "dividers.yaml").write_text(DIVIDER_LINES)
    template = template_path(lo("Blue_Curve"))
    code, _, stderr = run_cli("theme", "init", "blue", "--from", template, cwd=project)
    assert code == 0, stderr
    deck = tmp_path / "dividers.pptx"
    code, _, stderr = run_cli(
        "build", "content/dividers.yaml", "-t", "blue", "-o", deck, cwd=project
    )
    assert code == 0, stderr
    assert_valid_pptx(deck)
    prs = Presentation(str(deck))
    band_bottom = prs.slides[1].shapes.title.top + prs.slides[1].shapes.title.height
    for number, line in ((0, "Who builds what, and with which tools"), (2, "me@example.com")):
        slide = prs.slides[number]
        title = slide.shapes.title
        assert title.top >= band_bottom, "the title is set below the band"
        written = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]
        under = next(s for s in written if s.text_frame.text == line)
        assert under.top >= title.top + title.height, f"{line!r} sits under its title"
        assert not [s.text_frame.text for s in written if s.top + s.height <= band_bottom], (
            "nothing is written in the band"
        )


def test_dividers_stay_in_a_title_place_made_for_them(run_cli, tmp_path: Path, template_path):
    deck, _ = build_on(run_cli, tmp_path, template_path(lo("Vivid")), "vivid")
    shown = titles(deck)
    content = shown["Tech stack: the overlap"]
    for divider in SECTIONS:
        assert shown[divider][0] < content[1], f"{divider!r} keeps the layout's title place"


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
)


def test_a_template_that_centres_its_titles_gets_its_accent_rule_centred_under_them(
    run_cli, tmp_path: Path, template_path
):
    """Midnightblue's section layout centres its title's text block (anchorCtr), which
    LibreOffice keeps whatever the slide says: the plan centres the title and puts the
    accent rule under its middle, so the rule is not left behind at the box's left."""
    deck, _ = build_on(run_cli, tmp_path, template_path(lo("Midnightblue")), "midnightblue")
    prs = Presentation(str(deck))
    number = next(
        n
        for n, slide in enumerate(prs.slides, start=1)
        if slide.shapes.title is not None and slide.shapes.title.text_frame.text == "Evaluation"
    )
    slide = prs.slides[number - 1]
    rule = next(s for s in slide.shapes if s.height < Emu(914400 // 10) < s.width)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(render_pdf(deck)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    left, right = next(
        (float(a), float(b)) for a, b, word in WORD.findall(bbox) if word == "Evaluation"
    )
    points = 72 / 914400
    rule_middle = (rule.left + rule.width / 2) * points
    assert abs((left + right) / 2 - rule_middle) < 0.15 * 72, "the rule sits under the title"
