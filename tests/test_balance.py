"""Balanced continuations: parts of similar size, at structural boundaries, no extra slides."""

from __future__ import annotations

from pathlib import Path

from conftest import write
from hypothesis import given, settings
from hypothesis import strategies as st
from pptx import Presentation
from test_fit import PT, heights

from generator.layout import fit
from generator.source.syntax import break_scores


def sizes(pages) -> list[int]:
    return [len(page) for page in pages]


def greedy_count(per_unit: list[float], available: float) -> int:
    pages, used = 1, 0.0
    for height in per_unit:
        if used and used + height > available:
            pages, used = pages + 1, 0.0
        used += height
    return pages


# fit_units ---------------------------------------------------------------------------------


def test_36_lines_that_need_3_pages_split_12_12_12_not_16_16_4():
    units = [f"u{n}" for n in range(36)]
    blank_after = [n in (15, 31) for n in range(36)]  # blank lines that made 16/16/4 before
    result = fit.fit_units(
        units, heights(dict.fromkeys(units, 1)), 16 * 24 * PT, 24, 24, soft_breaks=blank_after
    )
    assert sizes(result.pages) == [12, 12, 12]
    assert [u for page in result.pages for u in page] == units


def test_pages_end_at_boundaries_and_never_inside_a_statement_when_a_boundary_fits():
    units = [f"u{n}" for n in range(36)]
    scores = [0.0] * 36  # inside a statement everywhere...
    for n in (9, 10, 22, 25):
        scores[n] = 1.0  # ...but after these lines
    result = fit.fit_units(
        units, heights(dict.fromkeys(units, 1)), 16 * 24 * PT, 24, 24, soft_breaks=scores
    )
    assert sizes(result.pages) == [11, 12, 13]  # after u10 and u22: the most even boundaries


def test_without_boundaries_inside_statements_only_the_balance_counts():
    units = [f"u{n}" for n in range(36)]
    result = fit.fit_units(
        units, heights(dict.fromkeys(units, 1)), 16 * 24 * PT, 24, 24, soft_breaks=[0.0] * 36
    )
    assert sizes(result.pages) == [12, 12, 12]


def test_a_list_of_13_equal_items_for_5_a_page_splits_5_4_4():
    units = "abcdefghijklm"
    result = fit.fit_units(units, heights(dict.fromkeys(units, 1)), 5 * 24 * PT, 24, 24)
    assert sizes(result.pages) == [5, 4, 4]  # before: 5, 5, 3


def test_items_of_different_heights_balance_by_height_not_by_count():
    per_unit = {"a": 4, "b": 4, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1, "h": 1, "i": 1}
    result = fit.fit_units("abcdefghi", heights(per_unit), 9 * 24 * PT, 24, 24)
    # 15 lines on 2 pages: a+b (8) and the seven short ones (7), not 5 items and 4.
    assert result.pages == [list("ab"), list("cdefghi")]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=60),
    st.integers(min_value=6, max_value=20),
    st.lists(st.sampled_from([0.0, 0.15, 0.5, 0.9, 1.0]), min_size=60, max_size=60),
)
def test_balancing_keeps_the_page_count_and_every_page_fits(per_unit, lines, scores):
    units = [f"u{n}" for n in range(len(per_unit))]
    table = dict(zip(units, per_unit, strict=True))
    result = fit.fit_units(
        units, heights(table), lines * 24 * PT, 24, 24, soft_breaks=scores[: len(units)]
    )
    assert [u for page in result.pages for u in page] == units
    assert len(result.pages) == greedy_count(per_unit, lines)
    assert all(sum(table[u] for u in page) <= lines for page in result.pages)
    assert result.sizes == [24] * len(result.pages)


# where code may break ----------------------------------------------------------------------


def test_break_scores_of_python_prefer_blank_lines_and_top_level_statements():
    source = (
        "import os\n"  # 0
        "\n"  # 1
        "def f(x):\n"  # 2
        "    y = g(\n"  # 3
        "        x)\n"  # 4
        "    return y\n"  # 5
        "# a comment\n"  # 6
        "z = f(1)\n"
    )  # 7
    scores = break_scores(source, "python")
    assert scores[0] == scores[1] == 1.0  # around the blank line, top level
    assert scores[3] == 0.0  # inside g(...)
    assert 0 < scores[2] < 0.5  # right after the header
    assert scores[4] == 0.6  # between two statements of the body
    assert scores[6] == 0.3  # between a comment and its code
    assert scores[-1] == 1.0


def test_break_scores_of_code_that_does_not_parse_come_from_indentation():
    source = "x = f(\n    1,\n)\ny = 2\n\n    z = 3\n"  # not valid Python
    scores = break_scores(source, "python")
    assert scores[0] < 0.5 and scores[1] < 0.5  # after an open bracket, before a closer
    assert scores[2] == 0.9  # a new line at the least indentation
    assert all(score > 0 for score in scores)


def test_break_scores_of_a_tree_sitter_language():
    source = "function f() {\n  return g(\n    1);\n}\n\nfunction h() {}\n"
    scores = break_scores(source, "javascript")
    assert scores[1] == 0.0 and scores[3] == 1.0 and scores[4] == 1.0


# through the CLI ---------------------------------------------------------------------------


def function(name: str, length: int) -> list[str]:
    body = [f"    v{i} = values[{i}] * {i}" for i in range(length - 2)]
    return [f"def {name}(values):", *body, "    return v0"]


def slides_text(deck: Path) -> list[tuple[str, list[str]]]:
    """Return (title, code lines) of every slide with code."""
    found = []
    for slide in Presentation(str(deck)).slides:
        for shape in slide.shapes:
            if shape.name.startswith("Code") and shape.has_text_frame:
                found.append(
                    (
                        slide.shapes.title.text_frame.text,
                        [p.text for p in shape.text_frame.paragraphs],
                    )
                )
    return found


def test_a_36_line_snippet_on_3_slides_splits_12_12_12(run_cli, project):
    lines = function("load", 15) + [""] + function("score", 15) + [""] + function("rank", 4)
    assert len(lines) == 36  # before, 15/15/4 at the two blank lines
    write(project / "a.py", "\n".join(lines) + "\n")
    write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: code\n    title: Long\n"
        "    language: python\n    file: a.py\n",
    )
    code, _, stderr = run_cli("build", "talk.yaml", "-o", "out.pptx", cwd=project)
    assert code == 0, stderr
    shown = slides_text(project / "out.pptx")
    assert [len(text) for _, text in shown] == [12, 12, 12]
    assert [title for title, _ in shown] == ["Long (1/3)", "Long (2/3)", "Long (3/3)"]


def test_no_slide_starts_inside_a_multi_line_call(run_cli, project):
    lines: list[str] = []
    step = 0
    while len(lines) < 33:
        if step % 4 == 3:
            lines += [f"result_{step} = evaluate(", f"    model_{step},", f"    data={step},", ")"]
        else:
            lines.append(f"step_{step} = prepare({step})")
        step += 1
    write(project / "b.py", "\n".join(lines) + "\n")
    write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: code\n    title: Script\n"
        "    language: python\n    file: b.py\n",
    )
    code, _, stderr = run_cli("build", "talk.yaml", "-o", "out.pptx", cwd=project)
    assert code == 0, stderr
    shown = slides_text(project / "out.pptx")
    # Before: 12/12/11 by line count alone, slide 2 starting with "    data=7,".
    assert [len(text) for _, text in shown] == [10, 13, 12]
    for _, text in shown:
        assert not text[0].startswith((" ", ")")), text[0]
        assert not text[-1].endswith(("(", ",")), text[-1]


def test_a_long_table_and_a_long_bullet_list_split_evenly(run_cli, project):
    rows = "".join(f"      - [Check {n}, Model drift, Weekly]\n" for n in range(19))
    bullets = "".join(f"      - Bullet number {n} of the list\n" for n in range(19))
    write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: table\n    title: Checks\n"
        "    header: [Check, What, When]\n    rows:\n"
        + rows
        + "  - kind: bullets\n    title: Points\n    bullets:\n"
        + bullets,
    )
    code, _, stderr = run_cli("build", "talk.yaml", "-o", "out.pptx", cwd=project)
    assert code == 0, stderr
    deck = Presentation(str(project / "out.pptx"))
    per_table = [
        len(shape.table.rows) - 1
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
    ]
    per_list = [
        len(shape.text_frame.paragraphs)
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame and shape.text_frame.text.startswith("Bullet number")
    ]
    # 9 fit a slide: filling in turn gives 9, 9, 1; before, evening out by count 7, 7, 5.
    assert per_list == [7, 6, 6]
    # Table rows set closer together (TIGHT_CELL_MARGIN_Y) hold 10 a slide: two slides,
    # evened out, rather than three.
    assert per_table == [10, 9]
