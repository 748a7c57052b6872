"""Slide plans: what goes where, in EMU, with styled runs. No pptx here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

from generator.errors import Location
from generator.model.geometry import Box
from generator.model.inline import Run, plain_text


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
    bullet_color: Optional[str] = None  # the bullet character's colour; None: the text's


@dataclass(frozen=True)
class Placeholder:
    """A template placeholder a shape is written as: its type and idx (None: left out)."""

    type: Optional[str]
    idx: Optional[int] = None


@dataclass(frozen=True)
class LayoutRef:
    """A template layout: the master's index and the layout's index within it."""

    master: int
    layout: int
    name: str = ""


@dataclass
class TextElement:
    """A text box, or a template placeholder when `placeholder` names one."""

    box: Box
    paragraphs: list[Paragraph]
    style: TextStyle
    role: str = "body"  # a text role: title, subtitle, body, code, caption, footer, ...
    region: Optional[str] = None  # the frame region it fills: title, subtitle, body, ...
    placeholder: Optional[Placeholder] = None  # written as this placeholder (the planner sets it)
    anchor: str = "top"  # top, middle, bottom
    inset_emu: int = 91440
    fill: Optional[str] = None
    hidden: bool = False
    slide_number: bool = False  # the text is the slide-number field
    source: Optional[Location] = None  # the content it shows, for messages about it
    reveal: bool = False  # each top-level paragraph appears on a click (with its sub-items)


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
    rule_color: str  # the line under every row
    cell_margin_x: int
    cell_margin_y: int
    row_heights: list[int] = field(default_factory=list)
    plain_fill: Optional[str] = None  # the rows between the bands; None: see-through


@dataclass
class PictureElement:
    """A picture from a file, with its alt text as the description."""

    box: Box
    path: str
    alt: str


@dataclass
class ChartElement:
    """A native chart: its data, series colours and text style; alt is its description."""

    box: Box
    chart_type: str  # a generator.model.charts.CHART_TYPES name
    categories: list[str]
    series: list[tuple[str, list[float]]]
    colors: list[str]  # one per series; pie and doughnut: one per category
    style: TextStyle  # axes, legend and data labels
    alt: str
    number_format: Optional[str] = None
    x_values: Optional[list[float]] = None  # scatter
    legend: bool = True
    data_labels: bool = False
    gridline_color: str = "#D9D9D9"


@dataclass
class RectElement:
    """A filled rectangle: a panel, a rule, an accent bar."""

    box: Box
    fill: str
    line: Optional[str] = None
    rounded: bool = False


Element = Union[TextElement, TableElement, PictureElement, RectElement, ChartElement]


@dataclass
class SlidePlan:
    """One slide to write: its elements in z-order, notes and title."""

    kind: str
    title: str
    elements: list[Element]
    notes: str = ""
    layout: Optional[LayoutRef] = None  # None: the plain grid's title-only layout
    background: Optional[str] = None  # a picture file filling the slide's background


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
    template: Optional[str] = None  # the .pptx/.potx the slides are built on, if any
    background: str = "#FFFFFF"  # the plain grid's slide background (no template)
    # The number of each content slide's first slide (continuations follow it), 1-based.
    first_numbers: list[int] = field(default_factory=list)
