"""Accessibility by PowerPoint's Accessibility Checker rules, on the plan.

Two steps, both on the DeckPlan so writers only write what it says:

- ``apply()`` makes the plan accessible where deckwright decides: every run's language
  and right-to-left paragraphs, titles that are not shown placed off the slide (what
  PowerPoint's own guidance does: screen readers and the outline still read them; a
  hidden="1" shape is skipped by screen readers), the title first in reading order, and
  `section` slides as named PowerPoint sections.
- ``check()`` reports what content must fix, each finding under the Checker's rule name
  ("Missing alternative text", "Missing slide title", ...): errors for what the Checker
  calls errors, warnings for its warnings.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from generator.errors import Location, Problems
from generator.layout.plan import (
    ChartElement,
    DeckPlan,
    Paragraph,
    PictureElement,
    RectElement,
    SlidePlan,
    TableElement,
    TextElement,
)
from generator.model.geometry import Box, inches

if TYPE_CHECKING:
    from generator.model.deck import Deck

# Scripts written right to left, by the language subtag of a BCP 47 tag.
RTL_LANGUAGES = frozenset({"ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
# Each rule by the name PowerPoint's Accessibility Checker gives it.
MISSING_ALT = "Missing alternative text"
MISSING_TITLE = "Missing slide title"
DUPLICATE_TITLE = "Duplicate slide title"
NO_HEADER = "Table has no header row"
MERGED_CELLS = "Merged cells"
LINK_TEXT = "Meaningful hyperlink text"
READING_ORDER = "Reading order"
CONTRAST = "Hard-to-read text contrast"
COLOR_ALONE = "Colour alone carries meaning"

IMAGE_FILE = re.compile(
    r"^\S[^\\/]*\.(png|jpe?g|gif|bmp|tiff?|webp|svg|emf|wmf|heic|ico)$", re.IGNORECASE
)
VAGUE_LINK_TEXT = frozenset(
    {"click here", "here", "link", "this link", "click", "more", "read more", "this", "go"}
)
BARE_URL = re.compile(r"^(?:https?://|mailto:|www\.)\S*$", re.IGNORECASE)
OFF_SLIDE_GAP = inches(0.5)


def is_rtl(lang: str) -> bool:
    """Return whether a BCP 47 tag names a language written right to left."""
    return lang.split("-")[0].lower() in RTL_LANGUAGES


# --- making the plan accessible -------------------------------------------------------


def apply(plan: DeckPlan, deck: Optional[Deck]) -> None:
    """Set languages, place unshown titles off the slide, order titles first, name sections."""
    for slide in plan.slides:
        lang = slide.lang or plan.lang
        for paragraph in paragraphs_of(slide):
            paragraph.lang = paragraph.lang or lang
            if is_rtl(paragraph.lang):
                paragraph.rtl = True
                if paragraph.align == "left":
                    paragraph.align = "right"
        title = title_of(slide)
        if title is not None and is_rtl(lang):
            _mirror_title_rules(slide, title.box)
        for element in slide.elements:
            if isinstance(element, TableElement) and is_rtl(lang):
                element.rtl = True
            elif isinstance(element, ChartElement):
                element.lang = element.lang or lang
        for element in slide.elements:
            if isinstance(element, TextElement) and element.hidden and element.box.bottom > 0:
                box = element.box
                element.box = Box(box.x, -box.h - OFF_SLIDE_GAP, box.w, box.h)
        _title_first(slide)
    plan.sections = sections(plan)


def _mirror_title_rules(slide: SlidePlan, title: Box) -> None:
    """Put the accent bar under a right-to-left title at its right end, where it starts."""
    for element in slide.elements:
        if isinstance(element, RectElement) and element.title_rule:
            box = element.box
            if box.x - title.x > title.right - box.right:
                continue  # at the right end already: apply() may run again on a plan
            element.box = Box(title.x + title.right - box.right, box.y, box.w, box.h)


def paragraphs_of(slide: SlidePlan) -> list[Paragraph]:
    """Return every paragraph of the slide: text shapes and table cells."""
    found: list[Paragraph] = []
    for element in slide.elements:
        if isinstance(element, TextElement):
            found.extend(element.paragraphs)
        elif isinstance(element, TableElement):
            for row in [element.header, *element.rows]:
                for cell in row:
                    found.extend(cell)
    return found


def _title_first(slide: SlidePlan) -> None:
    """Move the title to the front of the shape tree: screen readers read that order.

    Only shapes drawn under the title (an accent bar behind it) stay before it, so it
    is never painted over.
    """
    title = title_of(slide)
    if title is None:
        return
    index = slide.elements.index(title)
    behind = [
        e
        for e in slide.elements[:index]
        if isinstance(e, RectElement) and _overlap(e.box, title.box)
    ]
    rest = [e for e in slide.elements if e is not title and not any(e is b for b in behind)]
    slide.elements[:] = [*behind, title, *rest]


def title_of(slide: SlidePlan) -> Optional[TextElement]:
    """Return the slide's title shape, if it has one."""
    return next(
        (e for e in slide.elements if isinstance(e, TextElement) and e.role == "title"), None
    )


def sections(plan: DeckPlan) -> list[tuple[str, int]]:
    """Return the PowerPoint sections: one per `section` slide, named by its title.

    Slides before the first section go in an unnamed first section, as PowerPoint
    puts them ("Default Section"); a deck without section slides has no sections.
    """
    found = [
        (slide.title, index) for index, slide in enumerate(plan.slides) if slide.kind == "section"
    ]
    if found and found[0][1] > 0:
        found.insert(0, ("Default Section", 0))
    return found


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


# --- the checker ------------------------------------------------------------------------


def check(plan: DeckPlan, problems: Problems, fallback: Location) -> None:
    """Report each finding of PowerPoint's Accessibility Checker rules, located."""
    titles: dict[str, int] = {}
    for number, slide in enumerate(plan.slides, start=1):
        where = slide.source or fallback
        _alt_text(slide, where, problems)
        _title(slide, number, where, titles, problems)
        _tables(slide, where, problems)
        _reading_order(slide, number, where, problems)
        _links(slide, where, problems)


def _alt_text(slide: SlidePlan, where: Location, problems: Problems) -> None:
    """Pictures and charts (any element with alt text) need alt text or a decorative mark."""
    for element in slide.elements:
        if not hasattr(element, "alt"):
            continue
        if getattr(element, "decorative", False):
            continue
        alt = (element.alt or "").strip()
        at = getattr(element, "source", None) or where
        if not alt:
            problems.error(
                at,
                f"{MISSING_ALT}: a {_what(element)} has no alt text",
                "add 'alt:' describing it, or 'decorative: true' for an ornament",
            )
        elif IMAGE_FILE.match(alt) or alt == getattr(element, "path", "").rsplit("/", 1)[-1]:
            problems.error(
                at,
                f"{MISSING_ALT}: the alt text '{alt}' is a file name",
                f"describe what the {_what(element)} shows",
            )


def _what(element: object) -> str:
    if isinstance(element, PictureElement):
        return "picture"
    return type(element).__name__.removesuffix("Element").lower()  # a chart, ...


def _title(
    slide: SlidePlan, number: int, where: Location, titles: dict[str, int], problems: Problems
) -> None:
    title = title_of(slide)
    text = " ".join(p.text for p in title.paragraphs).strip() if title else ""
    if title is None or not text:
        problems.error(
            where,
            f"{MISSING_TITLE}: slide {number} has no title",
            "give it a title: (it may stay off the slide, as on an image slide)",
        )
        return
    if title.placeholder is None or title.placeholder.type not in ("title", "ctrTitle"):
        problems.error(
            where,
            f"{MISSING_TITLE}: slide {number}'s title is not a title placeholder",
            "choose a layout with a title for this kind",
        )
    key = " ".join(text.split()).casefold()
    if key in titles:
        problems.warn(
            where,
            f"{DUPLICATE_TITLE}: slide {number} '{text}' has the same title as slide {titles[key]}",
            "make each title say what its slide adds",
        )
    else:
        titles[key] = number


def _tables(slide: SlidePlan, where: Location, problems: Problems) -> None:
    for element in slide.elements:
        if not isinstance(element, TableElement):
            continue
        if not element.header or not any(p.text.strip() for cell in element.header for p in cell):
            problems.error(
                where,
                f"{NO_HEADER}: the table has no header row",
                "give it header: with a heading for each column",
            )


def _reading_order(slide: SlidePlan, number: int, where: Location, problems: Problems) -> None:
    """The title comes first; within a column (shapes that overlap horizontally) shapes
    are read top to bottom. Decoration (rectangles) is not read."""
    read = [e for e in slide.elements if not isinstance(e, RectElement)]
    title = title_of(slide)
    if title is not None and read and read[0] is not title:
        problems.warn(where, f"{READING_ORDER}: slide {number}'s title is not read first")
    for index, later in enumerate(read):
        for earlier in read[:index]:
            if earlier is title:
                continue
            a, b = earlier.box, later.box
            same_column = a.x < b.right and b.x < a.right
            if same_column and b.bottom <= a.y:
                problems.warn(
                    where,
                    f"{READING_ORDER}: on slide {number} a shape is read before the one above it",
                )
                return


def _links(slide: SlidePlan, where: Location, problems: Problems) -> None:
    for element in slide.elements:
        at = (element.source if isinstance(element, TextElement) else None) or where
        for paragraph in _element_paragraphs(element):
            for run in paragraph.runs:
                if not run.link:
                    continue
                text = run.text.strip()
                bare = BARE_URL.match(text) or text == run.link
                if bare or text.casefold().strip(".!:") in VAGUE_LINK_TEXT:
                    problems.warn(
                        paragraph.source or at,
                        f"{LINK_TEXT}: the link text '{text}' does not say where it goes",
                        "write [what it is](url), e.g. [the deploy runbook](https://...)",
                    )
            if not (isinstance(element, TextElement) and element.role == "code"):
                _colour_only(paragraph, paragraph.source or at, problems)


def _element_paragraphs(element: object) -> list[Paragraph]:
    if isinstance(element, TextElement):
        return list(element.paragraphs)
    if isinstance(element, TableElement):
        return [p for row in [element.header, *element.rows] for cell in row for p in cell]
    return []


def _colour_only(paragraph: Paragraph, where: Location, problems: Problems) -> None:
    """A run set apart from its neighbours by colour alone: no bold, italics, code
    face or underline tells the difference to someone who cannot see the colour."""
    runs = [r for r in paragraph.runs if r.text.strip()]
    plain = [r for r in runs if not r.color]
    for run in runs:
        if run.color and plain and not (run.bold or run.italic or run.code or run.link):
            problems.warn(
                where,
                f"{COLOR_ALONE}: '{run.text.strip()}' differs from the text around it by "
                "colour only",
                "make it bold or italic too",
            )
            return
