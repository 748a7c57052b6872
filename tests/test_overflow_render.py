"""Nothing overflows, as LibreOffice draws it: every word inside its shape and the slide.

A deck is built through the CLI and rendered to PDF with LibreOffice. The words of
the PDF (``pdftotext -bbox-layout``) are then checked against the shapes of the
.pptx (python-pptx): every word must lie inside the page and inside at least one
text-bearing shape (a table counts as its graphic frame), within TOLERANCE_PT.
LibreOffice leaves text that runs off the slide out of the PDF, so every word of
the .pptx must also be found in the PDF. The check runs on the stress deck
(tests/stress/), on the bundled deck with every theme `deckwright themes` lists,
and, to show it can fail, on the stress deck built with fitting turned off.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BUNDLED, ROOT, needs_fonts, needs_soffice, render_pdf

from generator.cli import main

# The themes' Arial and Consolas are drawn with Liberation Sans and DejaVu Sans Mono, and the
# stress deck has Chinese and Japanese bullets: without these fonts the check means nothing.
pytestmark = needs_fonts("Liberation Sans", "DejaVu Sans Mono", "Noto Sans CJK")
STRESS = ROOT / "tests" / "stress" / "stress.yaml"
EMU_PER_PT = 12700
#: How far (pt) a word's box may poke out of its shape: glyph boxes include the ascent.
TOLERANCE_PT = 2.0


# --- reading the deck and the PDF -----------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    """A rectangle in points, origin at the top-left corner of the slide."""

    x0: float
    y0: float
    x1: float
    y1: float
    name: str = ""

    def holds(self, other: Rect, tolerance: float = TOLERANCE_PT) -> bool:
        return (
            other.x0 >= self.x0 - tolerance
            and other.y0 >= self.y0 - tolerance
            and other.x1 <= self.x1 + tolerance
            and other.y1 <= self.y1 + tolerance
        )

    def __str__(self) -> str:
        return f"({self.x0:.0f},{self.y0:.0f})-({self.x1:.0f},{self.y1:.0f}) pt"


@dataclass
class SlideShapes:
    """One slide of the .pptx: where its text may go and which words it shows."""

    rects: list[Rect]
    words: list[str]  # every visible word, as the .pptx holds it


@dataclass(frozen=True)
class Word:
    text: str
    rect: Rect


def _rect(shape, name: str) -> Rect | None:
    if shape.left is None or shape.width is None:
        return None
    return Rect(
        shape.left / EMU_PER_PT,
        shape.top / EMU_PER_PT,
        (shape.left + shape.width) / EMU_PER_PT,
        (shape.top + shape.height) / EMU_PER_PT,
        name,
    )


def _flatten(shapes):
    for shape in shapes:
        if hasattr(shape, "shapes"):  # a group
            yield from _flatten(shape.shapes)
        else:
            yield shape


def _text(shape) -> str:
    if getattr(shape, "has_table", False):
        return "\n".join(cell.text for row in shape.table.rows for cell in row.cells)
    if getattr(shape, "has_text_frame", False):
        return shape.text_frame.text
    return ""


def _hidden(shape) -> bool:
    return shape._element.xpath("./*[1]/p:cNvPr/@hidden") in (["1"], ["true"])


def read_pptx(pptx: Path) -> tuple[tuple[float, float], list[SlideShapes]]:
    """Return the slide size in points and each slide's text rectangles and words.

    Text a slide's layout or master draws itself (not its placeholders) counts too.
    """
    from pptx import Presentation

    deck = Presentation(str(pptx))
    slides = []
    for slide in deck.slides:
        rects, words = [], []
        for shape in _flatten(slide.shapes):
            text = _text(shape)
            if text.strip():
                rect = _rect(shape, shape.name)
                rects += [rect] if rect else []
                words += [] if _hidden(shape) else text.split()
        layout = slide.slide_layout
        for owner in (layout, layout.slide_master):
            for shape in _flatten(owner.shapes):
                if not shape.is_placeholder and _text(shape).strip():
                    rect = _rect(shape, f"{owner.name or 'master'}: {shape.name}")
                    rects += [rect] if rect else []
        slides.append(SlideShapes(rects, words))
    return (deck.slide_width / EMU_PER_PT, deck.slide_height / EMU_PER_PT), slides


def read_pdf(pdf: Path) -> list[tuple[tuple[float, float], list[Word]]]:
    """Return each page's size in points and its words with their boxes."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in re.findall(r"<page (.*?)</page>", xml, flags=re.S):
        size = re.search(r'width="([\d.]+)" height="([\d.]+)"', page)
        assert size, page[:200]
        words = [
            Word(unescape(text), Rect(*(float(v) for v in box)))
            for *box, text in re.findall(
                r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" '
                r'yMax="([\d.-]+)">(.*?)</word>',
                page,
            )
        ]
        pages.append(((float(size[1]), float(size[2])), words))
    return pages


def _squash(text: str) -> str:
    """Drop whitespace: a long token may be broken over two lines."""
    return re.sub(r"\s+", "", text)


def overflow_problems(pptx: Path, pdf: Path) -> list[str]:
    """Return one line per word outside every text shape or the slide, or missing."""
    (width_pt, height_pt), slides = read_pptx(pptx)
    pages = read_pdf(pdf)
    problems = []
    if len(pages) != len(slides):
        problems.append(f"{len(slides)} slides but {len(pages)} PDF pages")
    for number, (slide, page_words) in enumerate(zip(slides, pages, strict=False), 1):
        (page_w, page_h), words = page_words
        sx, sy = page_w / width_pt, page_h / height_pt
        rects = [Rect(r.x0 * sx, r.y0 * sy, r.x1 * sx, r.y1 * sy, r.name) for r in slide.rects]
        page = Rect(0, 0, page_w, page_h, "the slide")
        for word in words:
            if not page.holds(word.rect, tolerance=0.5):
                problems.append(f"slide {number}: {word.text!r} at {word.rect} is off the slide")
            elif not any(rect.holds(word.rect) for rect in rects):
                near = min(rects, key=lambda r: _distance(r, word.rect), default=None)
                problems.append(
                    f"slide {number}: {word.text!r} at {word.rect} is outside "
                    "every text shape" + (f" (nearest: {near.name} {near})" if near else "")
                )
        drawn = _squash("".join(word.text for word in words))
        missing = [word for word in slide.words if _squash(word) not in drawn]
        short = Counter(_squash("".join(slide.words))) - Counter(drawn)
        if missing:
            problems.append(
                f"slide {number}: missing from the PDF: {' '.join(missing[:10])}"
                + (" ..." if len(missing) > 10 else "")
            )
        elif short:
            problems.append(
                f"slide {number}: characters missing from the PDF: "
                f"{''.join(sorted(short.elements()))[:60]!r}"
            )
    return problems


def _distance(rect: Rect, word: Rect) -> float:
    return (
        max(rect.x0 - word.x0, 0)
        + max(word.x1 - rect.x1, 0)
        + max(rect.y0 - word.y0, 0)
        + max(word.y1 - rect.y1, 0)
    )


# --- building and rendering -----------------------------------------------------------------


def themes() -> list[str]:
    """Return the themes `deckwright themes` lists (run where the tests run: the repo)."""
    result = CliRunner().invoke(main, ["themes"])
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def build_and_render(content: Path, out: Path, *args: str) -> tuple[Path, Path, str]:
    """Build content through the CLI into out, render it; return pptx, pdf and stderr."""
    result = CliRunner().invoke(main, ["build", str(content), "-o", str(out), *args])
    assert result.exit_code == 0, result.output + result.stderr
    return out, render_pdf(out), result.stderr


@pytest.fixture(scope="module")
def stress(tmp_path_factory) -> tuple[Path, Path, str]:
    return build_and_render(STRESS, tmp_path_factory.mktemp("stress") / "stress.pptx")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """Return a function: theme name -> (pptx, pdf) of the bundled deck, rendered once."""
    folder = tmp_path_factory.mktemp("bundled")
    cache: dict[str, tuple[Path, Path, str]] = {}

    def get(theme: str) -> tuple[Path, Path]:
        if theme not in cache:
            cache[theme] = build_and_render(BUNDLED, folder / f"deck-{theme}.pptx", "-t", theme)
        return cache[theme][:2]

    return get


# --- predicted against drawn line counts ----------------------------------------------------


@dataclass
class LineCount:
    slide: int
    what: str
    predicted: int
    drawn: int


def line_counts(content: Path, theme: str, pdf: Path) -> list[LineCount]:
    """Return, per text box (and table cell) of a deck, the lines measured and drawn.

    Predicted: lines with visible text from generator.layout.measure for the plan the
    build wrote. Drawn: distinct line positions of the PDF words inside the box.
    """
    from generator import api
    from generator.kinds.table import CELL_MARGIN_X
    from generator.layout import measure
    from generator.layout.plan import TableElement, TextElement

    plan = api.prepare(content, theme).plan
    pages = read_pdf(pdf)
    counts = []
    for number, (slide, (_, words)) in enumerate(zip(plan.slides, pages, strict=True), start=1):
        boxes = []  # (rect, paragraphs, style, text width, what)
        for element in slide.elements:
            if (
                isinstance(element, TextElement)
                and not element.hidden
                and any(p.text.strip() for p in element.paragraphs)
            ):
                b = element.box
                boxes.append(
                    (
                        _pt(b.x, b.y, b.w, b.h),
                        element.paragraphs,
                        element.style,
                        b.w - 2 * element.inset_emu,
                        element.role,
                    )
                )
            elif isinstance(element, TableElement):
                y = element.box.y
                rows = [element.header, *element.rows]
                for row, height in zip(rows, element.row_heights, strict=True):
                    x = element.box.x
                    style = element.style
                    for cell, width in zip(row, element.col_widths, strict=True):
                        boxes.append(
                            (
                                _pt(x, y, width, height),
                                cell,
                                style,
                                width - 2 * CELL_MARGIN_X,
                                "table cell",
                            )
                        )
                        x += width
                    y += height
        owner: dict[int, list[Word]] = {i: [] for i in range(len(boxes))}
        for word in words:
            inside = [i for i, box in enumerate(boxes) if box[0].holds(word.rect)]
            if inside:
                smallest = min(
                    inside,
                    key=lambda i: (
                        (boxes[i][0].x1 - boxes[i][0].x0) * (boxes[i][0].y1 - boxes[i][0].y0)
                    ),
                )
                owner[smallest].append(word)
        for index, (_, paragraphs, style, width, what) in enumerate(boxes):
            predicted = sum(
                1
                for p in paragraphs
                for line in measure.paragraph_lines(p, style, width)
                if line.text.strip()
            )
            tops: list[float] = []
            for top in sorted(word.rect.y0 for word in owner[index]):
                if not tops or top - tops[-1] > 0.5 * style.size_pt:
                    tops.append(top)
            counts.append(LineCount(number, what, predicted, len(tops)))
    return counts


def _pt(x: int, y: int, w: int, h: int) -> Rect:
    return Rect(x / EMU_PER_PT, y / EMU_PER_PT, (x + w) / EMU_PER_PT, (y + h) / EMU_PER_PT)


def summary(counts: list[LineCount]) -> str:
    exact = sum(c.predicted == c.drawn for c in counts)
    over = [c for c in counts if c.predicted > c.drawn]
    short = [c for c in counts if c.predicted < c.drawn]
    return (
        f"{exact}/{len(counts)} boxes exact, {sum(c.predicted for c in counts)} lines "
        f"predicted for {sum(c.drawn for c in counts)} drawn; predicted over in "
        f"{[(c.slide, c.what, c.predicted, c.drawn) for c in over]}; predicted short in "
        f"{[(c.slide, c.what, c.predicted, c.drawn) for c in short]}"
    )


# --- the tests ------------------------------------------------------------------------------


@needs_soffice
def test_stress_deck_renders_every_word_inside_its_shape_and_the_slide(stress):
    pptx, pdf, _ = stress
    problems = overflow_problems(pptx, pdf)
    assert not problems, "\n".join(problems)


@needs_soffice
def test_stress_deck_continues_long_content_onto_numbered_slides(stress):
    from pptx import Presentation

    titles = [slide.shapes.title.text_frame.text for slide in Presentation(str(stress[0])).slides]
    assert [t for t in titles if t.startswith("Twenty-five long bullets")] == [
        f"Twenty-five long bullets ({n}/5)" for n in range(1, 6)
    ]
    assert [t for t in titles if t.startswith("A forty-row table")] == [
        f"A forty-row table ({n}/4)" for n in range(1, 5)
    ]
    assert sum(t.startswith("A 120-line file (") for t in titles) == 8


@needs_soffice
def test_check_fails_on_a_deck_built_without_fitting(tmp_path: Path):
    """The same check reports the overflow of the stress deck built with --no-fit."""
    pptx, pdf, _ = build_and_render(STRESS, tmp_path / "unfitted.pptx", "--no-fit")
    problems = overflow_problems(pptx, pdf)
    report = "\n".join(problems)
    # Unfitted, slide 2 holds all 25 bullets, 3 the 40 rows, 4 the 120 lines and 5 the
    # 25-word title at 32 pt: each runs out of its box, and off the slide.
    assert {int(p.split()[1].rstrip(":")) for p in problems} >= {2, 3, 4, 5}, report
    assert any("slide 2:" in p and "outside every text shape" in p for p in problems), report
    for slide in (2, 3, 4, 5):
        assert any(p.startswith(f"slide {slide}: missing from the PDF") for p in problems), report


@needs_soffice
@pytest.mark.parametrize("theme", themes())
def test_bundled_deck_renders_inside_its_shapes_with_every_theme(theme: str, bundled):
    problems = overflow_problems(*bundled(theme))
    assert not problems, "\n".join(problems)


@needs_soffice
def test_predicted_line_counts_of_the_bundled_deck_match_libreoffice(bundled):
    counts = line_counts(BUNDLED, "default", bundled("default")[1])
    report = summary(counts)
    print("bundled deck, default theme:", report)
    assert len(counts) > 60, report
    # Never fewer lines than drawn (that would be an overflow); mostly exact.
    assert all(c.predicted >= c.drawn for c in counts), report
    assert sum(c.predicted == c.drawn for c in counts) >= 0.9 * len(counts), report


@needs_soffice
def test_predicted_line_counts_of_the_stress_deck_match_libreoffice(stress):
    counts = line_counts(STRESS, "default", stress[1])
    report = summary(counts)
    print("stress deck, default theme:", report)
    assert all(c.predicted >= c.drawn for c in counts), report
    assert sum(c.predicted == c.drawn for c in counts) >= 0.9 * len(counts), report
