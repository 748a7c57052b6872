"""Highlighted code is legible: every token colour reaches 4.5:1 on the code panel."""

from __future__ import annotations

import colorsys
from pathlib import Path

import pytest
from conftest import BUNDLED, write
from pptx import Presentation

from generator.layout.highlight import (
    TARGET_CONTRAST,
    highlight_lines,
    readable_color,
    style_colors,
)
from generator.theme.colors import MIN_CONTRAST, contrast

PANELS = [
    ("friendly", "#F6F8FA"),
    ("monokai", "#272822"),
    ("default", "#F6F8FA"),
    ("friendly", "#1E1E1E"),
]


def _hue(color: str) -> tuple[float, float]:
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _, saturation = colorsys.rgb_to_hls(r, g, b)
    return hue, saturation


@pytest.mark.parametrize(("style", "panel"), PANELS)
def test_every_token_colour_of_a_style_reaches_4_5_on_its_panel(style: str, panel: str):
    for token in style_colors(style, panel):
        assert contrast(token.drawn, panel) >= MIN_CONTRAST, token
        if contrast(token.original, panel) >= TARGET_CONTRAST:
            assert token.drawn == token.original  # readable colours are left alone
        elif _hue(token.original)[1] > 0.2:
            # Moved along its own hue: tokens keep the colours that tell them apart.
            before, after = _hue(token.original)[0], _hue(token.drawn)[0]
            assert min(abs(before - after), 1 - abs(before - after)) < 0.02, token


def test_friendly_s_faint_colours_are_darkened_just_enough_on_the_default_panel():
    panel = "#F6F8FA"
    for faint in ("#0E84B5", "#40A070", "#60A0B0", "#70A0D0"):
        assert contrast(faint, panel) < 4.0  # 3.9, 3.0, 2.8, 2.6 : 1 as Pygments draws them
        drawn = readable_color(faint, panel)
        # Up to the target, which leaves room for anti-aliasing, and no further.
        assert TARGET_CONTRAST <= contrast(drawn, panel) < TARGET_CONTRAST + 0.3


def test_highlighted_runs_use_the_adjusted_colours_for_their_panel():
    source = "# a comment\nx = 42\n"
    on_light = {
        run.color
        for line in highlight_lines(source, "python", "friendly", "#F6F8FA")
        for run in line
        if run.color
    }
    on_dark = {
        run.color
        for line in highlight_lines(source, "python", "friendly", "#1E1E1E")
        for run in line
        if run.color
    }
    assert on_light != on_dark  # the panel is part of the answer (and of the cache key)
    assert all(contrast(c, "#F6F8FA") >= MIN_CONTRAST for c in on_light)
    assert all(contrast(c, "#1E1E1E") >= MIN_CONTRAST for c in on_dark)


def _code_runs(deck: Path):
    """Yield (slide number, text, colour) of every run in the code boxes of a deck."""
    for number, slide in enumerate(Presentation(str(deck)).slides, start=1):
        for shape in slide.shapes:
            if shape.name.startswith("Code ") and shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        if run.text.strip():
                            yield number, run.text, f"#{run.font.color.rgb}"


@pytest.mark.parametrize("theme", ["default", "acme", "dark"])
def test_every_code_run_of_the_bundled_deck_reaches_4_5_on_its_panel(
    run_cli, tmp_path: Path, theme: str
):
    from generator.errors import Location, Problems
    from generator.theme.load import load_theme

    panel = load_theme(theme, Location("-"), Problems()).colors.code_background
    deck = tmp_path / f"{theme}.pptx"
    code, _, err = run_cli("build", BUNDLED, "-t", theme, "-o", deck)
    assert code == 0, err
    runs = list(_code_runs(deck))
    assert len({number for number, _, _ in runs}) >= 4  # the deck's code slides
    faint = [
        (number, text, color, round(contrast(color, panel), 2))
        for number, text, color in runs
        if contrast(color, panel) < MIN_CONTRAST
    ]
    assert not faint, faint[:5]


def test_check_notes_the_adjusted_token_colours_and_warns_about_none(run_cli, project: Path):
    content = write(project / "talk.yaml", "title: T\nslides:\n  - kind: title\n")
    code, stdout, _ = run_cli("check", "--strict", content, cwd=project)
    assert code == 0
    notes = [line for line in stdout.splitlines() if "code style 'friendly'" in line]
    assert len(notes) == 1 and ": note: " in notes[0]
    assert (
        "on #F6F8FA (4.5:1 and room for anti-aliased strokes) are drawn darker along their hue"
    ) in notes[0]
    assert "#0E84B5 4.0:1 -> #0C7099 5.2:1" in notes[0]
    assert "#70A0D0 2.6:1 -> #356BA2 5.2:1" in notes[0]


def test_uncoloured_tokens_on_a_panel_that_does_not_suit_the_text_colour_are_a_warning(
    run_cli, project: Path
):
    write(
        project / "themes" / "t" / "theme.yaml",
        'name: t\nextends: default\ncolors: {code_background: "#333333"}\n',
    )
    content = write(project / "talk.yaml", "title: T\ntheme: t\nslides:\n  - kind: title\n")
    code, stdout, _ = run_cli("check", content, cwd=project)
    assert code == 0
    lines = [line for line in stdout.splitlines() if "code style" in line]
    assert any(": note: " in line and "drawn lighter along their hue" in line for line in lines)
    assert [line for line in lines if ": warning: " in line] == [
        "themes/t/theme.yaml:3:27: warning: Hard-to-read text contrast: code style 'friendly': "
        "text colour #1F2937 "
        "(uncoloured tokens) on the code background #333333 has a contrast of 1.2:1, under "
        "4.5:1 (pick a code style made for that background (a dark one such as monokai on a "
        "dark panel) or change colors.code_background)"
    ]
