"""Writing a deck stays linear in its slides: python-pptx's quadratic paths stay closed.

python-pptx names each new part by walking every part of the package
(OpcPackage.next_partname), and rebuilds the presentation's relationships by
type for each new slide; with notes and a logo on every slide, a deck of n
slides then costs O(n^2). These tests count that work with spies for two deck
sizes instead of timing them, so they are exact on a busy machine.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from pptx.opc import package as opc_package

from generator import api
from generator.writers.export import pptx_bytes


def _deck(folder: Path, slides: int) -> Path:
    """Write a content file of bullet slides with notes, a hyperlink and an image slide."""
    from PIL import Image

    Image.new("RGB", (40, 30), "#2563EB").save(folder / "diagram.png")
    lines = [
        "title: Linear",
        "date: 2026-01-01",
        "slides:",
        "  - kind: title",
        "    notes: Opening notes.",
    ]
    for number in range(slides):
        if number % 5 == 4:
            lines += [
                "  - kind: image",
                f"    title: Picture {number}",
                "    src: diagram.png",
                "    alt: A blue rectangle",
                f"    notes: Picture notes {number}.",
            ]
        else:
            lines += [
                "  - kind: bullets",
                f"    title: Slide {number}",
                "    bullets:",
                f"      - Point {number} [docs](https://example.com/{number})",
                "      - Another point",
                f"    notes: Notes for slide {number}.",
            ]
    path = folder / f"deck-{slides}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class _Spy:
    """Count the parts OpcPackage walks and the relationships python-pptx re-sorts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.next_partname = 0
        self.parts_walked = 0
        self.rels_sorted = 0
        iter_parts = opc_package.OpcPackage.iter_parts
        next_partname = opc_package.OpcPackage.next_partname
        by_reltype = opc_package._Relationships._rels_by_reltype.fget

        def counted_iter_parts(package):
            for part in iter_parts(package):
                self.parts_walked += 1
                yield part

        def counted_next_partname(package, tmpl):
            self.next_partname += 1
            return next_partname(package, tmpl)

        def counted_by_reltype(rels):
            self.rels_sorted += len(rels)
            return by_reltype(rels)

        monkeypatch.setattr(opc_package.OpcPackage, "iter_parts", counted_iter_parts)
        monkeypatch.setattr(opc_package.OpcPackage, "next_partname", counted_next_partname)
        monkeypatch.setattr(
            opc_package._Relationships, "_rels_by_reltype", property(counted_by_reltype)
        )


def _write(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[_Spy, bytes]:
    prepared = api.prepare(path)
    with monkeypatch.context() as patch:
        spy = _Spy(patch)
        data = pptx_bytes(prepared)
    return spy, data


def test_writing_notes_and_pictures_walks_the_package_a_linear_number_of_times(
    tmp_path, monkeypatch
):
    small, _ = _write(_deck(tmp_path, 20), monkeypatch)
    large, _ = _write(_deck(tmp_path, 80), monkeypatch)
    # 4x the slides: linear work is about 4x, the quadratic path about 16x.
    assert large.parts_walked <= 5 * small.parts_walked, (small.parts_walked, large.parts_walked)
    assert large.rels_sorted <= 5 * small.rels_sorted, (small.rels_sorted, large.rels_sorted)
    # next_partname walks the whole package: it may only be used a fixed number of times.
    assert large.next_partname == small.next_partname <= 2


def test_linear_writer_keeps_partnames_unique_and_every_part_related(tmp_path, monkeypatch):
    _, data = _write(_deck(tmp_path, 12), monkeypatch)
    archive = zipfile.ZipFile(BytesIO(data))
    names = archive.namelist()
    assert len(names) == len(set(names))
    notes = sorted(n for n in names if n.startswith("ppt/notesSlides/notesSlide"))
    slides = sorted(n for n in names if n.startswith("ppt/slides/slide"))
    assert len([n for n in notes if n.endswith(".xml")]) == 13
    assert len([n for n in slides if n.endswith(".xml")]) == 13
    media = [n for n in names if n.startswith("ppt/media/")]
    assert len(media) == 1  # one image part, shared by every slide that shows it
    types = archive.read("[Content_Types].xml").decode()
    assert "notesSlide+xml" in types and 'Extension="png"' in types
    # python-pptx reads it back: every slide has its notes and its layout.
    from pptx import Presentation

    prs = Presentation(BytesIO(data))
    assert len(prs.slides) == 13
    texts = [slide.notes_slide.notes_text_frame.text for slide in prs.slides]
    assert texts[0] == "Opening notes."
    assert texts[1] == "Notes for slide 0."
    assert all(slide.slide_layout is not None for slide in prs.slides)
    ids = [slide.slide_id for slide in prs.slides]
    assert ids == sorted(set(ids))


def test_linear_writer_writes_what_python_pptx_writes(tmp_path, monkeypatch):
    """The fast path makes the same notes XML as python-pptx's own notes_slide."""
    from lxml import etree
    from pptx import Presentation

    _, data = _write(_deck(tmp_path, 3), monkeypatch)
    prs = Presentation(BytesIO(data))
    ours = prs.slides[1].notes_slide
    reference = Presentation()
    slide = reference.slides.add_slide(reference.slide_layouts[5])
    slide.notes_slide.notes_text_frame.text = "Notes for slide 0."
    assert etree.tostring(ours._element) == etree.tostring(slide.notes_slide._element)


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "",
        "a & b < c > d \"q\" 'a'",
        "two\nparagraphs",
        "\n\nblank first",
        "soft\vbreak",
        "tab\there",
        "bell\x07 and esc\x1b and cr\r",
        "café 日本語 🎉",
    ],
)
def test_notes_text_is_what_python_pptx_writes(text):
    from lxml import etree
    from pptx import Presentation

    from generator.writers.pptx_writer import notes_paragraphs

    reference = Presentation()
    slide = reference.slides.add_slide(reference.slide_layouts[5])
    frame = slide.notes_slide.notes_text_frame
    frame.text = text
    expected = "".join(etree.tostring(p, encoding="unicode") for p in frame._txBody.p_lst)
    assert notes_paragraphs(text) == re.sub(r' xmlns:\w+="[^"]*"', "", expected)


def test_saved_package_is_what_python_pptx_saves(tmp_path, monkeypatch):
    """package_bytes and rels_xml give the bytes of prs.save() + normalise_zip()."""
    from generator.writers import pptx_writer
    from generator.writers.save import normalise_zip

    seen = []
    fast = pptx_writer.package_bytes

    def both(prs):
        buffer = BytesIO()
        prs.save(buffer)
        seen.append(normalise_zip(buffer.getvalue()))
        return fast(prs)

    monkeypatch.setattr(pptx_writer, "package_bytes", both)
    _, data = _write(_deck(tmp_path, 6), monkeypatch)
    assert data == seen[0]
