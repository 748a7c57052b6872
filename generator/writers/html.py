"""One self-contained HTML file per deck, drawn from the same fitted plan as the .pptx.

Every element sits where the plan puts it (EMU to CSS px at 1 px a point, on a slide
of fixed size that a script scales to the window), with the plan's fonts, sizes and
colours, and with exactly the lines the fit measured: each line is a block of its
own that never wraps, so the browser cannot lay the text out differently. Fonts are
system font stacks (the family the theme names, then the stand-in deckwright measured
with), pictures are data: URIs, and a Content-Security-Policy forbids every request,
so the page never touches the network. A template's masters and layouts are drawn
once by LibreOffice (see layout_art) and placed behind each slide.

All text is content, and content is untrusted: it only ever reaches the page through
html.escape, as element text or a quoted attribute, never inside a script. A theme's
font names go into style attributes, stripped of what could end a CSS string and then
escaped with the rest of the attribute.
"""

from __future__ import annotations

import base64
import html
import mimetypes
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from generator.layout import measure
from generator.layout.fonts import resolve_font
from generator.layout.plan import (
    ChartElement,
    DeckPlan,
    Paragraph,
    PictureElement,
    RectElement,
    SlidePlan,
    TableElement,
    TextElement,
    TextStyle,
)
from generator.model.geometry import EMU_PER_PT, Box
from generator.model.inline import Run
from generator.writers.html_chart import chart_svg
from generator.writers.pptx_xml import BULLET_CHARS

if TYPE_CHECKING:
    from collections.abc import Mapping

ASSETS = Path(__file__).with_name("html_assets")
#: No request of any kind: pictures are data: URIs, styles and the script are inline.
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; connect-src 'none'; base-uri 'none'; form-action 'none'"
)
_GENERIC = {"sans": "sans-serif", "mono": "monospace"}
_SPACES = set(
    " \t\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u205f\u3000"
)
_NEWLINES = "\r\n\v"


def px(emu: float) -> str:
    """Return a length in EMU as CSS px at one px a point, without trailing zeros."""
    value = round(emu / EMU_PER_PT, 3)
    return f"{value:g}px"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def deck_html(plan: DeckPlan, art: Mapping[tuple[int, int], str] | None = None) -> str:
    """Return the deck as one HTML page.

    art maps a layout (master, layout index) to a data: URI of what that layout draws
    behind a slide (template decks); a slide without one gets the plan's background.
    """
    art = art or {}
    width, height = plan.width / EMU_PER_PT, plan.height / EMU_PER_PT
    slides = "\n".join(
        _slide(plan, slide, number, len(plan.slides), art)
        for number, slide in enumerate(plan.slides, start=1)
    )
    css = (ASSETS / "deck.css").read_text(encoding="utf-8")
    script = (ASSETS / "deck.js").read_text(encoding="utf-8")
    page_in = f"{plan.width / 914400:.4f}in {plan.height / 914400:.4f}in"
    title = plan.title or "Slides"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_esc(plan.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="deckwright">\n'
        f"<title>{_esc(title)}</title>\n"
        f'<style id="deck-size">:root{{--slide-w:{width:g}px;--slide-h:{height:g}px}}'
        f"@page{{size:{page_in};margin:0}}</style>\n"
        f"<style>{css}</style>\n"
        "</head>\n<body>\n"
        f'<main id="deck" data-width="{width:g}" data-height="{height:g}" '
        f'aria-label="{_esc(title)}">\n{slides}\n</main>\n'
        '<div id="counter" aria-hidden="true"></div>\n'
        f"<script>{script}</script>\n"
        "</body>\n</html>\n"
    )


def _slide(
    plan: DeckPlan, slide: SlidePlan, number: int, total: int, art: Mapping[tuple[int, int], str]
) -> str:
    parts = []
    key = (slide.layout.master, slide.layout.layout) if slide.layout is not None else None
    background = f"background:{plan.background}"
    if key is not None and key in art:
        parts.append(f'<img class="art" alt="" src="{_esc(art[key])}">')
    elif plan.template is not None:
        background = "background:#FFFFFF"
    if slide.background is not None:  # the slide's own picture, stretched, as in the .pptx
        parts.append(f'<img class="art" alt="" src="{_esc(data_uri(Path(slide.background)))}">')
    for element in slide.elements:
        if isinstance(element, TextElement):
            parts.append(_text(element))
        elif isinstance(element, RectElement):
            parts.append(_rect(element))
        elif isinstance(element, TableElement):
            parts.append(_table(element))
        elif isinstance(element, PictureElement):
            parts.append(_picture(element))
        elif isinstance(element, ChartElement):
            parts.append(chart_svg(element, _place(element.box), font_stack(element.style.font)))
    notes = f'<aside class="notes" hidden>{_notes(slide.notes)}</aside>' if slide.notes else ""
    label = f"Slide {number} of {total}" + (f": {slide.title}" if slide.title else "")
    lang = f' lang="{_esc(slide.lang)}"' if slide.lang and slide.lang != plan.lang else ""
    return (
        f'<section class="slide" id="slide-{number}" data-kind="{_esc(slide.kind)}"{lang} '
        f'aria-label="{_esc(label)}" style="{_esc(background)}">'
        + "".join(parts)
        + notes
        + "</section>"
    )


def _notes(text: str) -> str:
    return "".join(f"<p>{_esc(line)}</p>" for line in text.replace("\v", "\n").split("\n"))


def _place(box: Box) -> str:
    return f"left:{px(box.x)};top:{px(box.y)};width:{px(max(box.w, 0))};height:{px(max(box.h, 0))}"


def _rect(element: RectElement) -> str:
    style = f"{_place(element.box)};background:{element.fill}"
    if element.rounded:
        style += f";border-radius:{px(min(element.box.w, element.box.h) * 0.03)}"
    if element.line:
        style += f";box-shadow:inset 0 0 0 0.75px {element.line}"
    return f'<div class="rect" style="{_esc(style)}"></div>'


def _picture(element: PictureElement) -> str:
    return (
        f'<img class="picture" style="{_place(element.box)}" alt="{_esc(element.alt)}" '
        f'src="{_esc(data_uri(Path(element.path)))}">'
    )


def data_uri(path: Path) -> str:
    """Return a picture file as a data: URI."""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if not mime.startswith("image/"):
        mime = "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def font_stack(family: str, bold: bool = False, italic: bool = False) -> str:
    """Return a CSS font-family list: the theme's family, then the stand-in measured here."""
    names = [family.strip()] if family.strip() else []
    resolved = resolve_font(family, bold, italic)
    for name in (resolved.family, resolved.render_family):
        if name and name not in names:
            names.append(name)
    joined = " ".join(names).lower()
    generic = (
        "monospace"
        if "mono" in joined
        else "serif"
        if "serif" in joined and "sans" not in joined
        else "sans-serif"
    )
    quoted = [
        _css_string(_GENERIC.get(name, name))
        for name in names
        if name.lower() not in ("sans-serif", "monospace", "serif")
    ]
    return ", ".join([*quoted, generic])


def _css_string(name: str) -> str:
    """Return a family name as a CSS string. Quotes, backslashes and anything else that
    could end the string are left out; the style attribute is HTML-escaped as well."""
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in "'\"\\<>;{}&")
    return f"'{cleaned}'"


def _text(element: TextElement) -> str:
    style = element.style
    inset = element.inset_emu
    classes = ["text", f"role-{_css_ident(element.role)}", f"anchor-{element.anchor}"]
    if element.hidden:
        classes.append("hidden-title")
    # The box's own font is the text's: the line's strut then has the runs' metrics, and
    # a line is never taller than its line-height.
    css = (
        f"{_place(element.box)};padding:{px(inset)};color:{style.color};"
        f"font-size:{style.size_pt:g}px;font-family:{font_stack(style.font, style.bold)}"
    )
    if element.fill:
        css += f";background:{element.fill}"
    body = _paragraphs(element.paragraphs, style, element.box.w - 2 * inset, element.reveal)
    tag = "h2" if element.role == "title" else "div"
    opening = f'<{tag} class="{" ".join(classes)}" style="{_esc(css)}">'
    return f'{opening}<div class="flow">{body}</div></{tag}>'


def _css_ident(name: str) -> str:
    return "".join(ch for ch in name if ch.isalnum() or ch in "-_") or "x"


def _paragraphs(
    paragraphs: Sequence[Paragraph], style: TextStyle, width: int, reveal: bool = False
) -> str:
    """Return the paragraphs; with reveal, each top-level paragraph (and its sub-items)
    is a step of its own (data-step, from 1), shown one click at a time by deck.js."""
    out = []
    step = 0
    for number, paragraph in enumerate(paragraphs or [Paragraph([])]):
        if reveal and (paragraph.level == 0 or step == 0):
            step += 1
        out.append(_paragraph(paragraph, style, width, first=number == 0, step=step))
    return "".join(out)


def _paragraph(
    paragraph: Paragraph, style: TextStyle, width: int, *, first: bool, step: int = 0
) -> str:
    """Return a paragraph as one block per measured line, its bullet hung in front."""
    indent = measure.paragraph_indent_emu(paragraph)
    single = _line_height(paragraph, style)
    line_h = single * style.line_spacing
    # LibreOffice and PowerPoint put the extra of a line spacing over 100 % above the
    # text, where CSS would split it above and below: the line's padding takes it.
    extra = max(0.0, line_h - single)
    line_css = f"height:{px(line_h)}"
    if extra:
        line_css += f";padding-top:{px(extra)};line-height:{px(single)}"
    css = [f"line-height:{px(line_h)}", f"text-align:{paragraph.align}"]
    side = "right" if paragraph.rtl else "left"  # right to left: indent and bullet mirrored
    if indent:
        css.append(f"padding-{side}:{px(indent)}")
    if not first and paragraph.space_before_pt:
        css.append(f"margin-top:{paragraph.space_before_pt:g}px")
    lines = split_lines(paragraph, style, width)
    marker = ""
    if paragraph.bullet:
        char = BULLET_CHARS[min(paragraph.level, len(BULLET_CHARS) - 1)]
        color = style.bullet_color or style.color
        left = px(indent - measure.BULLET_MARKER_EMU)
        marker_css = _esc(f"{side}:{left};color:{color}")
        marker = f'<span class="bullet" aria-hidden="true" style="{marker_css}">{_esc(char)}</span>'
    rendered = []
    for number, line in enumerate(lines):
        if hanging(line):
            spans = "".join(_run(run, style) for run in line[:-1])
            spans += f'<span class="hang">{_esc(line[-1].text)}</span>'
        else:
            spans = "".join(_run(run, style) for run in line)
        rendered.append(
            f'<span class="line" style="{line_css}">{marker if number == 0 else ""}{spans}</span>'
        )
    stepped = f' data-step="{step}"' if step else ""
    direction = ' dir="rtl"' if paragraph.rtl else ""
    return f'<p{stepped}{direction} style="{_esc(";".join(css))}">{"".join(rendered)}</p>'


def _line_height(paragraph: Paragraph, style: TextStyle) -> int:
    """Return the single line pitch of a paragraph in EMU: its tallest font's."""
    runs = paragraph.runs or [Run("")]
    return max(measure.run_metrics(run, style).line_height(style.size_pt) for run in runs)


def _run(run: Run, style: TextStyle) -> str:
    css = []
    family = style.code_font if run.code and style.code_font else style.font
    bold = run.bold or style.bold
    css.append(f"font-family:{font_stack(family, bold, run.italic)}")
    if bold:
        css.append("font-weight:700")
    if run.italic:
        css.append("font-style:italic")
    if run.color:
        css.append(f"color:{run.color}")
    text = _esc(run.text)
    inner = f'<span style="{_esc(";".join(css))}">{text}</span>'
    if run.link:
        return f'<a href="{_esc(run.link)}" target="_blank" rel="noopener noreferrer">{inner}</a>'
    return inner


def split_lines(paragraph: Paragraph, style: TextStyle, width: int) -> list[list[Run]]:
    """Return the paragraph's runs cut into the lines measure.paragraph_lines wraps them to.

    The measured lines are mapped back onto the runs character by character; runs of
    spaces a line's text may have collapsed are matched whole, line-break characters are
    left out. The spaces a line wraps at end it as a run of their own (see HANG), so the
    page's text keeps its words apart.
    """
    runs = paragraph.runs
    text = "".join(run.text for run in runs)
    owner: list[int] = []
    for index, run in enumerate(runs):
        owner.extend([index] * len(run.text))
    lines = measure.paragraph_lines(paragraph, style, width)
    spans: list[tuple[int, int]] = []
    hangs: list[str] = []
    pos = 0
    for number, line in enumerate(lines):
        if number:
            hang_start = pos
            while pos < len(text) and text[pos] in _SPACES:
                pos += 1
            hangs.append(text[hang_start:pos])
            if text.startswith("\r\n", pos):
                pos += 2
            elif pos < len(text) and text[pos] in _NEWLINES:
                pos += 1
        start = pos
        pos = _match(line.text, text, pos)
        spans.append((start, pos))
    hangs.append("")
    out = []
    for (start, end), spaces in zip(spans, hangs, strict=True):
        pieces: list[Run] = []
        cursor = start
        while cursor < end:
            index = owner[cursor]
            run = runs[index]
            stop = cursor
            while stop < end and owner[stop] == index:
                stop += 1
            piece = text[cursor:stop]
            if piece:
                pieces.append(replace(run, text=piece))
            cursor = stop
        if spaces and pieces:
            pieces.append(Run(spaces))
        out.append(pieces)
    return out


def hanging(line: list[Run]) -> bool:
    """Return whether a line's last run is the spaces it wrapped at (drawn as nothing)."""
    return len(line) > 1 and not line[-1].text.strip(" \t\u3000")


def _match(line: str, text: str, pos: int) -> int:
    """Return where line (as measured) ends in text from pos; a run of spaces matches any."""
    i = 0
    while i < len(line) and pos < len(text):
        if line[i] in _SPACES:
            while i < len(line) and line[i] in _SPACES:
                i += 1
            while pos < len(text) and text[pos] in _SPACES:
                pos += 1
            continue
        if text[pos] in _NEWLINES:
            break  # the measured line ended at a forced break
        i += 1
        pos += 1
    return pos


def _table(element: TableElement) -> str:
    style = element.style
    header_style = replace(style, color=element.header_color, bold=True)
    heights = element.row_heights or [0] * (len(element.rows) + 1)
    cols = "".join(f'<col style="width:{px(w)}">' for w in element.col_widths)
    margin = f"padding:{px(element.cell_margin_y)} {px(element.cell_margin_x)}"

    def cells(
        row: Sequence[list[Paragraph]], cell_style: TextStyle, fill: Optional[str], tag: str
    ) -> str:
        out = []
        for paragraphs, width in zip(row, element.col_widths, strict=True):
            css = f"{margin};color:{cell_style.color}"
            if fill:
                css += f";background:{fill}"
            css += f";box-shadow:inset 0 -1px 0 {element.rule_color}"
            body = _paragraphs(paragraphs, cell_style, width - 2 * element.cell_margin_x)
            scope = ' scope="col"' if tag == "th" else ""
            out.append(f'<{tag}{scope} style="{_esc(css)}"><div class="cell">{body}</div></{tag}>')
        return "".join(out)

    rows = [
        f'<thead><tr style="height:{px(heights[0])}">'
        + cells(element.header, header_style, element.header_fill, "th")
        + "</tr></thead><tbody>"
    ]
    for number, row in enumerate(element.rows):
        fill = element.band_fill if number % 2 == 1 else element.plain_fill
        rows.append(
            f'<tr style="height:{px(heights[number + 1])}">'
            + cells(row, style, fill, "td")
            + "</tr>"
        )
    rows.append("</tbody>")
    box = element.box
    css = (
        f"left:{px(box.x)};top:{px(box.y)};width:{px(sum(element.col_widths))};"
        f"font-size:{style.size_pt:g}px;color:{style.color};font-family:{font_stack(style.font)}"
    )
    return (
        f'<table class="table" style="{_esc(css)}" data-height="{px(box.h)}">'
        f"<colgroup>{cols}</colgroup>{''.join(rows)}</table>"
    )


def layout_refs(plan: DeckPlan) -> list[tuple[int, int]]:
    """Return every (master, layout) the deck's slides are on, in order of first use."""
    return list(
        dict.fromkeys(
            (slide.layout.master, slide.layout.layout)
            for slide in plan.slides
            if slide.layout is not None
        )
    )


def live_page(page: str, version: str) -> str:
    """Return a built deck page as `deckwright serve` sends it: allowed to reach its own
    server (for the build events) and with the script that swaps in every new build."""
    script = (ASSETS / "live.js").read_text(encoding="utf-8")
    page = page.replace("connect-src 'none'", "connect-src 'self'", 1)
    page = page.replace(
        '<meta name="generator" content="deckwright">',
        '<meta name="generator" content="deckwright">\n'
        f'<meta name="deckwright-version" content="{_esc(version)}">',
        1,
    )
    head, _, tail = page.rpartition("</body>")
    return f"{head}<script>{script}</script>\n</body>{tail}"


def problems_page(lines: Sequence[str]) -> str:
    """Return the page `serve` shows before any build succeeded: the problems, live."""
    empty = DeckPlan(12192000, 6858000, [], title="deckwright serve")
    page = live_page(deck_html(empty), "")
    listing = "\n".join(_esc(line) for line in lines)
    return page.replace(
        '<div id="counter"', f'<pre id="problems" role="alert">{listing}</pre><div id="counter"', 1
    )
