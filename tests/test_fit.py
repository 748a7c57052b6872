"""Fitting: shrink within the theme's floor, continue between units, titles on two lines,
and every decision reported at its path:line:col (``--strict``: an error)."""

from __future__ import annotations

from pathlib import Path

from conftest import BUNDLED, ROOT, write
from pptx import Presentation

from generator.layout import fit
from generator.layout.compose import expand_tabs
from generator.layout.plan import Paragraph, TextStyle
from generator.model.geometry import EMU_PER_PT, Box, inches
from generator.model.inline import Run

STRESS = ROOT / "tests" / "stress" / "stress.yaml"
PT = EMU_PER_PT


def heights(per_unit: dict[str, float]):
    """Return height_of for units named by letters: each is per_unit[name] * size pt tall."""
    return lambda units, size: round(sum(per_unit[u] for u in units) * size * PT)


# --- fit_units ------------------------------------------------------------------------------


def test_size_ladder_steps_2_pt_and_ends_at_the_floor():
    assert fit.size_ladder(24, 18) == [24, 22, 20, 18]
    assert fit.size_ladder(24, 19) == [24, 22, 20, 19]
    assert fit.size_ladder(16, 20) == [16]


def test_text_that_fits_keeps_its_preferred_size():
    result = fit.fit_units("ab", heights({"a": 1, "b": 1}), 48 * PT, 24, 18)
    assert (result.pages, result.sizes, result.shrunk) == ([["a", "b"]], [24], False)


def test_text_shrinks_in_steps_down_to_the_floor_before_it_continues():
    result = fit.fit_units("ab", heights({"a": 1, "b": 1}), 40 * PT, 24, 18)
    assert (result.pages, result.sizes, result.shrunk) == ([["a", "b"]], [20], True)


def test_text_that_cannot_fit_at_the_floor_continues_at_the_preferred_size_balanced():
    units = "abcdefg"
    result = fit.fit_units(units, heights(dict.fromkeys(units, 1)), 100 * PT, 24, 18)
    # 4 units fit a page at 24 pt; 7 units make pages of 4 and 3, not 4, 3 balanced as 4+3.
    assert result.pages == [list("abcd"), list("efg")]
    assert result.sizes == [24, 24] and not result.shrunk and not result.overflow


def test_pages_end_at_soft_breaks_when_that_costs_no_extra_page():
    units = "abcdefghij"
    blank_after = [u in "c" for u in units]  # e.g. a blank line in code after "c"
    result = fit.fit_units(
        units, heights(dict.fromkeys(units, 1)), 100 * PT, 24, 18, soft_breaks=blank_after
    )
    # 4 lines fit a page: without the break "abcd", "efgh", "ij" (balanced: 4, 3, 3).
    assert result.pages == [list("abc"), list("defg"), list("hij")]


def test_a_soft_break_early_in_a_page_is_ignored():
    units = "abcdefgh"
    result = fit.fit_units(
        units,
        heights(dict.fromkeys(units, 1)),
        100 * PT,
        24,
        18,
        soft_breaks=[u == "a" for u in units],
    )
    assert result.pages == [list("abcd"), list("efgh")]


def test_continuing_uses_the_largest_size_at_which_every_unit_fits_alone():
    result = fit.fit_units("aab", heights({"a": 1, "b": 4.5}), 100 * PT, 24, 18)
    assert set(result.sizes) == {22}  # b is 108 pt at 24, 99 pt at 22


def test_a_unit_too_tall_for_a_page_gets_a_page_of_its_own_below_the_floor():
    result = fit.fit_units("aXa", heights({"a": 1, "X": 8}), 100 * PT, 24, 18)
    assert result.pages == [["a"], ["X"], ["a"]]
    assert result.sizes == [24, 12, 24]  # 8 x 12 = 96 pt: the largest size that fits
    assert result.below_floor == [(1, 12)] and not result.overflow


def test_a_unit_too_tall_even_at_the_minimum_size_is_an_overflow():
    result = fit.fit_units("X", heights({"X": 100}), 100 * PT, 24, 18)
    assert result.overflow and result.sizes == [fit.MIN_LEGIBLE_PT]


def test_fitting_turned_off_keeps_everything_on_one_page_at_the_preferred_size():
    result = fit.fit_units("abc", heights(dict.fromkeys("abc", 10)), 10 * PT, 24, 18, enabled=False)
    assert (result.pages, result.sizes) == ([list("abc")], [24])


# --- fit_title ------------------------------------------------------------------------------

TITLE_STYLE = TextStyle(font="Liberation Sans", size_pt=32, color="#000000", bold=True)
INSET = inches(0.1)
BOX = Box(inches(0.6), inches(0.4), inches(8), inches(1.1))
ROOM = Box(BOX.x, inches(0.15), BOX.w, BOX.bottom - inches(0.15))


def title(words: int) -> list[Paragraph]:
    return [Paragraph([Run(" ".join(["Evaluation"] * words))])]


def test_a_one_line_title_keeps_its_size_and_box():
    result = fit.fit_title(title(3), TITLE_STYLE, BOX, INSET, 28, room=ROOM)
    assert (result.size_pt, result.lines, result.box) == (32, 1, BOX)


def test_a_title_wraps_to_two_lines_at_its_preferred_size_and_grows_upwards():
    result = fit.fit_title(title(5), TITLE_STYLE, BOX, INSET, 28, room=ROOM)
    assert (result.size_pt, result.lines) == (32, 2)
    assert result.box.bottom == BOX.bottom and result.box.y < BOX.y
    assert result.box.h >= 2 * 32 * 1.2 * PT + 2 * INSET


def test_a_title_of_three_lines_shrinks_until_it_takes_two():
    result = fit.fit_title(title(7), TITLE_STYLE, BOX, INSET, 20, room=ROOM)
    assert (result.size_pt, result.lines) == (26, 2)  # 3 lines at 32, 30 and 28 pt
    assert not result.below_floor and result.fits


def test_a_title_too_long_for_the_floor_goes_below_it_rather_than_overflow():
    result = fit.fit_title(title(30), TITLE_STYLE, BOX, INSET, 28, room=ROOM)
    assert result.fits and result.below_floor and result.size_pt < 28
    assert result.box.h <= ROOM.h


def test_a_title_is_never_smaller_than_the_minimum_legible_size():
    result = fit.fit_title(title(400), TITLE_STYLE, BOX, INSET, 28, room=ROOM)
    assert not result.fits and result.size_pt == fit.MIN_LEGIBLE_PT


def test_a_statement_takes_as_many_lines_as_its_box_holds():
    box = Box(BOX.x, BOX.y, BOX.w, inches(4))
    result = fit.fit_title(title(9), TITLE_STYLE, box, INSET, 28, max_lines=None)
    assert (result.size_pt, result.lines, result.box) == (32, 3, box)


def test_tabs_become_spaces_to_the_next_stop_across_runs():
    runs = expand_tabs([Run("ab\tc"), Run("\td", bold=True)])
    assert [run.text for run in runs] == ["ab  c", "   d"]
    assert runs[1].bold


# --- reporting, through the CLI -------------------------------------------------------------


def stress_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "stress.yaml" in line]


def test_check_reports_every_fit_decision_of_the_stress_deck_at_its_location(run_cli):
    code, stdout, _ = run_cli("check", STRESS.relative_to(ROOT), cwd=ROOT)
    assert code == 0
    assert stress_lines(stdout) == [
        "tests/stress/stress.yaml:12:12: warning: bullets continue onto 5 slides at 24 pt "
        "(shorten the list or split the slide to keep it on one)",
        "tests/stress/stress.yaml:40:12: warning: table continues onto 4 slides at 20 pt "
        "(drop rows or split the table to keep it on one slide)",
        "tests/stress/stress.yaml:86:11: warning: code continues onto 8 slides at 16 pt "
        "(show fewer lines (`lines:` or `region:`) to keep it on one slide)",
        "tests/stress/stress.yaml:89:12: warning: title shrunk to 23 pt, below the theme's "
        "floor of 28 pt, to fit in 3 lines (shorten it)",
        "tests/stress/stress.yaml:100:17: warning: code line 2 (110 characters) is too wide "
        "for its panel even at 12 pt; it wraps (shorten the line, or show it on a slide of "
        "its own)",
    ]


def test_strict_makes_fit_warnings_errors(run_cli):
    code, stdout, stderr = run_cli("check", "--strict", STRESS.relative_to(ROOT), cwd=ROOT)
    assert code == 1
    lines = stress_lines(stderr)
    assert len(lines) == 5 and not any("warning:" in line for line in lines)
    assert lines[0].startswith("tests/stress/stress.yaml:12:12: bullets continue onto 5 slides")


def test_build_prints_the_warnings_and_strict_build_writes_nothing(run_cli, tmp_path: Path):
    out = tmp_path / "stress.pptx"
    code, stdout, stderr = run_cli("build", STRESS, "-o", out, "--strict")
    assert code == 1 and not out.exists()
    code, stdout, stderr = run_cli("build", STRESS, "-o", out)
    assert code == 0 and len(stress_lines(stderr)) == 5
    assert "note:" not in stderr  # notes are for check; a build stays quiet about them


def test_the_bundled_deck_passes_strict_check_with_notes_only(run_cli):
    code, stdout, stderr = run_cli("check", "--strict", BUNDLED.relative_to(ROOT), cwd=ROOT)
    assert (code, stderr) == (0, ""), stderr
    assert all(": note: " in line for line in stdout.splitlines()), stdout
    assert (
        "content/ai-vs-ml-engineer.yaml:129:15: note: code set at 12 pt (theme size 16 pt)"
        " so that its longest line does not wrap"
    ) in stdout.splitlines()


def test_a_metric_compatible_font_is_a_note_at_the_theme_s_line(run_cli, project: Path):
    from generator.layout.fonts import resolve_font

    write(
        project / "themes" / "t" / "theme.yaml",
        "name: t\nfonts:\n  heading: Arial\n  body: Arial\n  code: Courier New\n",
    )
    content = write(project / "talk.yaml", "title: T\ntheme: t\nslides:\n  - kind: title\n")
    code, stdout, _ = run_cli("check", "--strict", content, cwd=project)
    assert code == 0
    expected = []
    if resolve_font("Arial").substituted:
        expected.append(
            "themes/t/theme.yaml:3:12: note: font 'Arial' is not installed; "
            f"measuring with '{resolve_font('Arial').family}' (metric-compatible)"
        )
    if resolve_font("Courier New").substituted:
        expected.append(
            "themes/t/theme.yaml:5:9: note: font 'Courier New' is not installed; "
            f"measuring with '{resolve_font('Courier New').family}' "
            "(metric-compatible)"
        )
    fonts = [line for line in stdout.splitlines() if ": note: font " in line]
    assert fonts == expected  # Arial is reported once, for heading and body


def test_a_bullet_too_long_for_a_whole_slide_is_reported_at_the_bullet(run_cli, project: Path):
    long = " ".join(["evaluation"] * 400)
    content = write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: bullets\n"
        f"    title: Long\n    bullets:\n      - short\n      - {long}\n",
    )
    code, stdout, _ = run_cli("check", content, cwd=project)
    assert code == 0
    assert (
        "talk.yaml:7:9: warning: bullet does not fit a whole slide at the theme's floor "
        "of 18 pt; set at " in stdout
    )


def test_a_two_line_title_stays_at_the_preferred_size(run_cli, project: Path):
    title_text = "Where the stacks of the two roles diverge and where they meet again in 2026"
    content = write(
        project / "talk.yaml",
        f"title: T\nslides:\n  - kind: bullets\n    title: {title_text}\n    bullets: [one]\n",
    )
    out = project / "talk.pptx"
    code, stdout, stderr = run_cli("build", content, "-o", out)
    assert (code, stderr) == (0, "")
    shape = Presentation(str(out)).slides[0].shapes.title
    sizes = {run.font.size.pt for p in shape.text_frame.paragraphs for run in p.runs}
    assert sizes == {32}
    assert shape.top < inches(0.4)  # grown upwards for its second line


def test_a_long_footer_shrinks_to_stay_on_one_line_and_says_so(run_cli, project: Path):
    write(project / "themes" / "f" / "theme.yaml", 'name: f\nfooter: "{{ company }}"\n')
    company = (
        "Acme Corporation International Holdings, Platform Engineering and " * 2
        + "Developer Experience Group, EMEA"
    )  # 918 pt long at 12 pt
    content = write(
        project / "talk.yaml",
        f"title: T\ntheme: f\nvars: {{company: '{company}'}}\n"
        "slides:\n  - kind: bullets\n    title: One\n    bullets: [a]\n",
    )
    code, stdout, _ = run_cli("check", content, cwd=project)
    assert code == 0
    assert [line for line in stdout.splitlines() if "footer" in line] == [
        "themes/f/theme.yaml:2:9: warning: footer shrunk to 9 pt (preferred 12 pt) to stay "
        "on one line (shorten it)"
    ]
