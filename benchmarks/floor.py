"""The floor: the least python-pptx work that makes the same slides as deckwright.

Usage: python benchmarks/floor.py DECK.json OUT.pptx [--linear]

DECK.json is dumped by ``benchmarks/run.py`` from deckwright's own plan (after
fitting), so the floor makes the same shapes, runs, tables, pictures and notes,
at the same positions and sizes, through python-pptx's public API only: no
YAML, no templates, no validation, no measuring or fitting, no zip
normalisation. It is what a careful hand-written python-pptx script for this
deck costs, including python-pptx's own habits (``notes_slide`` names each new
part by walking the whole package). The input is JSON so that parsing it is a
few milliseconds even at 100x.

``--linear`` is for reference only: it patches OpcPackage.next_partname with a
counter per template, so the floor no longer walks the package for every notes
slide. It shows how much of the floor's time at 100x is that one quadratic path.

JSON shape (lists, to keep the file small):

    {"width": EMU, "height": EMU, "background": "RRGGBB", "title": str,
     "author": str, "slides": [{"notes": str, "shapes": [SHAPE, ...]}, ...]}
    SHAPE = ["text", [x, y, w, h], role, anchor, inset, fill|null, [PARA, ...]]
          | ["rect", [x, y, w, h], fill, line|null, rounded]
          | ["table", [x, y, w, h], [col widths], [row heights], [[CELL, ...], ...],
             header_fill, band_fill]            # first row is the header
          | ["pic", [x, y, w, h], path, alt]
    PARA  = [align, level, [RUN, ...]]
    RUN   = [text, font, size_pt, bold, italic, color, link|null]
    CELL  = [PARA, ...]
"""

from __future__ import annotations

import json
import sys


def linear_partnames() -> None:
    """Make OpcPackage.next_partname count instead of walking every part (one walk each)."""
    from pptx.opc.package import OpcPackage
    from pptx.opc.packuri import PackURI

    walk = OpcPackage.next_partname
    last: dict[tuple[int, str], int] = {}

    def next_partname(package, tmpl: str) -> PackURI:
        key = (id(package), tmpl)
        last[key] = last[key] + 1 if key in last else walk(package, tmpl).idx
        return PackURI(tmpl % last[key])

    OpcPackage.next_partname = next_partname


def main(source: str, target: str) -> int:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Pt

    with open(source, encoding="utf-8") as handle:
        deck = json.load(handle)
    aligns = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
    anchors = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}
    colors: dict[str, RGBColor] = {}

    def rgb(value: str) -> RGBColor:
        if value not in colors:
            colors[value] = RGBColor.from_string(value)
        return colors[value]

    def fill_paragraphs(frame, paragraphs) -> None:
        for number, (align, level, runs) in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
            paragraph.alignment = aligns[align]
            if level:
                paragraph.level = level
            for text, font_name, size, bold, italic, color, link in runs:
                run = paragraph.add_run()
                run.text = text
                font = run.font
                font.name = font_name
                font.size = Pt(size)
                if bold:
                    font.bold = True
                if italic:
                    font.italic = True
                font.color.rgb = rgb(color)
                if link:
                    run.hyperlink.address = link

    prs = Presentation()
    prs.slide_width, prs.slide_height = deck["width"], deck["height"]
    background = prs.slide_master.background.fill
    background.solid()
    background.fore_color.rgb = rgb(deck["background"])
    layout = next(item for item in prs.slide_layouts if item.name == "Title Only")
    for slide_data in deck["slides"]:
        slide = prs.slides.add_slide(layout)
        shapes = slide.shapes
        title_shape = shapes.title
        for shape in slide_data["shapes"]:
            kind, (x, y, w, h) = shape[0], shape[1]
            if kind == "text":
                _, _, role, anchor, inset, fill, paragraphs = shape
                if role == "title" and title_shape is not None:
                    box = title_shape
                    box.left, box.top, box.width, box.height = x, y, w, h
                    title_shape = None
                else:
                    box = shapes.add_textbox(x, y, w, h)
                frame = box.text_frame
                frame.word_wrap = True
                frame.vertical_anchor = anchors[anchor]
                frame.margin_left = frame.margin_right = inset
                frame.margin_top = frame.margin_bottom = inset
                if fill:
                    box.fill.solid()
                    box.fill.fore_color.rgb = rgb(fill)
                fill_paragraphs(frame, paragraphs)
            elif kind == "rect":
                _, _, fill, line, rounded = shape
                rect = shapes.add_shape(
                    MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE, x, y, w, h
                )
                rect.fill.solid()
                rect.fill.fore_color.rgb = rgb(fill)
                if line:
                    rect.line.color.rgb = rgb(line)
                else:
                    rect.line.fill.background()
            elif kind == "table":
                _, _, widths, heights, rows, header_fill, band_fill = shape
                table = shapes.add_table(len(rows), len(widths), x, y, w, h).table
                for column, width in zip(table.columns, widths, strict=True):
                    column.width = width
                for row, height in zip(table.rows, heights, strict=True):
                    if height:
                        row.height = height
                for row_number, cells in enumerate(rows):
                    fill = (
                        header_fill
                        if row_number == 0
                        else (band_fill if row_number % 2 == 0 else None)
                    )
                    for column_number, paragraphs in enumerate(cells):
                        cell = table.cell(row_number, column_number)
                        if fill:
                            cell.fill.solid()
                            cell.fill.fore_color.rgb = rgb(fill)
                        fill_paragraphs(cell.text_frame, paragraphs)
            elif kind == "pic":
                _, _, path, alt = shape
                picture = shapes.add_picture(path, x, y, w, h)
                picture._element.nvPicPr.cNvPr.set("descr", alt)
        if slide_data["notes"]:
            slide.notes_slide.notes_text_frame.text = slide_data["notes"]
    props = prs.core_properties
    props.title = deck["title"]
    props.author = deck["author"]
    prs.save(target)
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[2:] == ["--linear"]:
        linear_partnames()
        arguments = arguments[:2]
    if len(arguments) != 2:
        sys.exit("usage: floor.py DECK.json OUT.pptx [--linear]")
    sys.exit(main(*arguments))
