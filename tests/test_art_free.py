"""Body text never over a template's artwork (issue 12, item 2).

Yellow Idea's content master draws a large white light bulb over the bottom left of its
yellow panel, right where its body placeholder runs: bullets, columns and captions set
there were legible (black on yellow, thin white strokes) but crossed the drawing. The
bundled deck is built through the CLI and every text shape but the title is compared with
the drawings of its slide's layout and master, read back from the .pptx.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import assert_valid_pptx
from pptx import Presentation
from pptx.util import Emu, Inches
from template_fixtures import lo

ROOT = Path(__file__).resolve().parent.parent
#: Drawings smaller than this either way are sparkles and ticks text may cross (texture);
#: drawings of half the slide or more are the panel or background text is set on.
SPECK = Inches(0.5)
BACKGROUND_SHARE = 0.5
DENSITY = 1.2  # slides, at most, against the default theme's build


def _boxes_of_artwork(slide, slide_area: int) -> list[tuple[int, int, int, int, str]]:
    """Return (left, top, right, bottom, where) of every drawing a slide shows behind it."""
    layout = slide.slide_layout
    parts = [("layout", layout)]
    if layout._element.get("showMasterSp") != "0":
        parts.append(("master", layout.slide_master))
    found = []
    for where, part in parts:
        for shape in part.shapes:
            if shape.is_placeholder:
                continue
            w, h = shape.width or 0, shape.height or 0
            if max(w, h) < SPECK or w * h >= slide_area * BACKGROUND_SHARE:
                continue
            found.append((shape.left, shape.top, shape.left + w, shape.top + h, where))
    return found


def _over_artwork(deck: Path) -> list[str]:
    prs = Presentation(str(deck))
    slide_area = prs.slide_width * prs.slide_height
    found = []
    for number, slide in enumerate(prs.slides, 1):
        art = _boxes_of_artwork(slide, slide_area)
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            if shape == slide.shapes.title:
                continue  # a title may sit on artwork designed for it
            left, top = shape.left, shape.top
            right, bottom = left + shape.width, top + shape.height
            for x0, y0, x1, y1, where in art:
                if left < x1 and x0 < right and top < y1 and y0 < bottom:
                    text = shape.text_frame.text.strip().splitlines()[0][:30]
                    found.append(
                        f"slide {number}: {text!r} over the {where}'s drawing at "
                        f"{Emu(x0).inches:.2f}, {Emu(y0).inches:.2f} in"
                    )
    return found


def _build(run_cli, tmp_path: Path, template: Path | None, name: str) -> Path:
    project = tmp_path / "project"
    if not project.exists():
        shutil.copytree(ROOT / "content", project / "content")
        (project / "deckwright.yaml").write_text("# project marker\n")
    theme: list[str] = []
    if template is not None:
        code, _, stderr = run_cli("theme", "init", name, "--from", template, cwd=project)
        assert code == 0, stderr
        theme = ["-t", name]
    out = tmp_path / f"{name}.pptx"
    code, _, stderr = run_cli(
        "build", "content/ai-vs-ml-engineer.yaml", *theme, "-o", out, cwd=project
    )
    assert code == 0, stderr
    return out


@pytest.mark.parametrize("name", ["Yellow_Idea"])
def test_body_text_keeps_clear_of_the_templates_drawings(
    run_cli, tmp_path: Path, template_path, name: str
):
    deck = _build(run_cli, tmp_path, template_path(lo(name)), name.casefold())
    assert _over_artwork(deck) == []
    default = _build(run_cli, tmp_path, None, "default")
    slides, default_slides = (len(Presentation(str(d)).slides) for d in (deck, default))
    assert slides <= DENSITY * default_slides, f"{slides} slides, default {default_slides}"
    assert_valid_pptx(deck)
