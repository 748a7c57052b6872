"""Slide plans: what goes where, in EMU, with styled runs. No pptx here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Optional, Union

EMU_PER_INCH = 914400
EMU_PER_PT = 12700


@dataclass(frozen=True)
class Box:
    """A rectangle in EMU, origin at the slide's top-left corner."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def inset(self, dx: int, dy: int | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.x + dx, self.y + dy, max(0, self.w - 2 * dx), max(0, self.h - 2 * dy))


@dataclass(frozen=True)
class Run:
    """A piece of text with one style. color is "#RRGGBB" or None (inherit)."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: Optional[str] = None
    color: Optional[str] = None


def plain_text(runs: Sequence[Run]) -> str:
    """Return the text of runs without their styles."""
    return "".join(run.text for run in runs)


@dataclass
class Paragraph:
    """A paragraph of runs; level > 0 indents a bullet list."""

    runs: list[Run]
    level: int = 0
    bullet: bool = False
    align: str = "left"  # left, center, right
    space_before_pt: float = 0.0

    @property
    def text(self) -> str:
        return plain_text(self.runs)


@dataclass
class TextStyle:
    """Font and colour of a text element; size in points."""

    font: str
    size_pt: float
    color: str
    bold: bool = False
    code_font: str = ""
    line_spacing: float = 1.0  # multiple of single spacing


@dataclass
class TextElement:
    """A text box, or a template placeholder when `placeholder` names one."""

    box: Box
    paragraphs: list[Paragraph]
    style: TextStyle
    role: str = "body"  # title, subtitle, body, code, caption, footer, number, statement
    placeholder: Optional[str] = None  # title, subtitle, body, left, right, footer, ...
    anchor: str = "top"  # top, middle, bottom
    inset_emu: int = 91440
    fill: Optional[str] = None
    hidden: bool = False
    slide_number: bool = False  # the text is the slide-number field


@dataclass
class TableElement:
    """A native table: header row plus body rows of cell paragraphs."""

    box: Box
    header: list[list[Paragraph]]
    rows: list[list[list[Paragraph]]]
    col_widths: list[int]
    style: TextStyle
    header_fill: str
    header_color: str
    band_fill: str
    row_heights: list[int] = field(default_factory=list)


@dataclass
class PictureElement:
    """A picture from a file, with its alt text as the description."""

    box: Box
    path: str
    alt: str


@dataclass
class RectElement:
    """A filled rectangle: a panel, a rule, an accent bar."""

    box: Box
    fill: str
    line: Optional[str] = None
    rounded: bool = False


Element = Union[TextElement, TableElement, PictureElement, RectElement]


@dataclass
class SlidePlan:
    """One slide to write: its elements in z-order, notes and title."""

    kind: str
    title: str
    elements: list[Element]
    notes: str = ""
    layout: Optional[str] = None  # template layout role ("title", "bullets", ...)
    background: Optional[str] = None


@dataclass
class DeckPlan:
    """Every slide of a deck, ready for any writer."""

    width: int
    height: int
    slides: list[SlidePlan]
    title: str = ""
    author: str = ""
    subject: str = ""
    properties: dict[str, str] = field(default_factory=dict)
