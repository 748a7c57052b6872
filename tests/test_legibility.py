"""Legibility predicted on what is painted under the text: word by word, a byline moved
off artwork, and comparison columns set alike when they continue."""

from __future__ import annotations

from pathlib import Path

from conftest import write
from pptx import Presentation
from template_fixtures import lo

from generator.api import prepare
from generator.layout.compose import title_room
from generator.layout.frames import PANEL_MARGIN, _title_top
from generator.layout.legibility import text_windows, under_text
from generator.layout.plan import Paragraph, TextElement, TextStyle
from generator.model.geometry import Box, inches
from generator.model.inline import Run
from generator.theme.colors import worst_contrast
from generator.theme.template import Art, Backdrop, Thumb

SLIDE = Box(0, 0, inches(10), inches(7.5))


def _byline(box: Box) -> TextElement:
    style = TextStyle(font="Liberation Sans", size_pt=18, color="#000000")
    return TextElement(box, [Paragraph([Run("Platform Team · 26 November 2026")])], style)


def test_a_blot_under_one_word_is_seen_though_it_is_small_beside_the_whole_box():
    # A dark blot 0.4 in wide under the first word, in a 9 in wide box of one short line.
    blot = Art(Box(inches(0.5), inches(6.5), inches(0.4), inches(0.4)), ("#101030",))
    backdrop = Backdrop(("#F5E6C8",), art=(blot,), slide=SLIDE).painted()
    byline = _byline(Box(inches(0.5), inches(6.4), inches(9), inches(0.6)))
    whole, _ = backdrop.under(byline.box)
    assert worst_contrast("#000000", whole) > 10  # the blot is lost in the box
    words, _ = under_text(backdrop, byline)
    assert worst_contrast("#000000", words) < 3  # word by word it is under the text
    windows = text_windows(byline)
    assert len(windows) > 1 and max(w.right for w in windows) < inches(5)  # the ink only


def test_a_hairline_under_the_text_is_painted_and_seen():
    rule = Art(Box(0, inches(6.8), inches(6), 12700), ("#CCCCCC",))
    backdrop = Backdrop(("#000000",), art=(rule,), slide=SLIDE).painted()
    byline = _byline(Box(inches(0.5), inches(6.4), inches(9), inches(0.5)))
    colors, _ = under_text(backdrop, byline, quantile=0.0)
    assert "#CCCCCC" in colors


def test_region_quantile_zero_keeps_a_speck_that_the_default_leaves_out():
    pixels = bytearray(b"\xff\xff\xff" * 100)
    pixels[0:3] = b"\x00\x00\x00"
    thumb = Thumb(10, 10, bytes(pixels))
    assert thumb.region(0, 0, 1, 1)[0] == ("#FFFFFF",)
    assert thumb.region(0, 0, 1, 1, quantile=0.0)[0] == ("#000000", "#FFFFFF")


def test_the_byline_leaves_the_artwork_at_the_bottom_of_a_title_master(
    run_cli, project: Path, template_path
):
    """Nature Illustration's title master: a lawn with trees and flowers under the
    bottom of its subtitle area; the byline goes under the subtitle, on the sky."""
    template = template_path(lo("Nature_Illustration"))
    code, _, err = run_cli("theme", "init", "nature", "--from", template, cwd=project)
    assert code == 0, err
    write(
        project / "talk.yaml",
        "title: A talk\nsubtitle: Its subtitle\nauthor: Platform Team\n"
        "date: 2026-11-26\nslides:\n  - kind: title\n"
        "  - kind: bullets\n    title: One\n    bullets: [a, b]\n",
    )
    code, _, err = run_cli("build", "talk.yaml", "-t", "nature", "-o", "talk.pptx", cwd=project)
    assert code == 0, err
    shapes = {
        s.text_frame.text: s
        for s in Presentation(str(project / "talk.pptx")).slides[0].shapes
        if s.has_text_frame
    }
    byline = next((shape for text, shape in shapes.items() if "Platform" in text), None)
    assert byline is not None, list(shapes)
    subtitle = shapes["Its subtitle"]
    assert subtitle.top + subtitle.height <= byline.top  # under the subtitle, not over it
    assert byline.top + byline.height < inches(4)  # well above the lawn (from 6 in down)


def test_comparison_columns_that_continue_are_set_alike_on_the_fewest_slides(project: Path):
    left = "\n".join(f"        - Short point {n}" for n in range(3))
    right = "\n".join(
        f"        - A longer point number {n} that wraps onto a second line in a column"
        for n in range(9)
    )
    deck = write(
        project / "talk.yaml",
        "title: A talk\nslides:\n  - kind: comparison\n    title: Side by side\n"
        f"    left:\n      heading: Left\n      bullets:\n{left}\n"
        f"    right:\n      heading: Right\n      bullets:\n{right}\n",
    )
    plan = prepare(deck, "default").plan
    bodies = [
        e
        for slide in plan.slides
        for e in slide.elements
        if isinstance(e, TextElement) and e.role == "body" and len(e.paragraphs) > 1
    ]
    assert len(plan.slides) == 2
    assert len({e.style.size_pt for e in bodies}) == 1  # both columns at one size
    assert bodies[0].style.size_pt < 24  # shrunk so the right column needs two, not three


def test_a_title_grows_upwards_only_inside_the_panel_it_sits_on():
    """Sunset: the title sits on a framed gradient panel; a two-line title grown
    upwards crossed the panel's white frame."""
    panel = Art(Box(inches(0.6), inches(0.4), inches(9), inches(5.6)), ("#FFFF00", "#FF8000"))
    faint = Art(Box(0, 0, inches(10), inches(7.5)), ("#FFFFFF",), alpha=0.04)
    title = Box(inches(3.5), inches(0.7), inches(3.5), inches(0.6))
    backdrop = Backdrop(("#813709",), art=(panel, faint), slide=SLIDE)
    top = _title_top(title, backdrop)
    assert top == inches(0.4) + PANEL_MARGIN
    assert title_room(title, "bottom", top).y == top
    assert title_room(title, "bottom").y < top  # without the panel it would rise higher
    band = Art(Box(0, 0, inches(10), inches(0.5)), ("#1F497D",))
    below_band = Box(inches(1), inches(1), inches(8), inches(0.8))
    assert _title_top(below_band, Backdrop(art=(band,), slide=SLIDE)) > inches(0.5)
