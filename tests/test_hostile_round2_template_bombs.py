"""Hostile input, round two (E): template bombs are refused before they cost, or bounded.

The bombs are benchmarks/template_bombs.py's (their time and memory are recorded in
benchmarks/TEMPLATE_BOMBS.md); here each goes through `theme init` and gets one line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import assert_valid_pptx, write

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import template_bombs as bombs  # noqa: E402 (benchmarks/ is put on the path above)

import generator.theme.template as template_module  # noqa: E402

DECK = (
    "title: Bomb\nslides:\n  - kind: title\n"
    "  - kind: bullets\n    title: Points\n    bullets: [one, two]\n"
)


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (bombs.padded_attribute, "times larger (a zip bomb?)"),
        (bombs.stored(bombs.padded_attribute), "slideLayout1.xml is not well-formed XML"),
        (bombs.stored(bombs.deep_nesting), "slideLayout1.xml is not well-formed XML"),
        (bombs.entity_expansion, "theme1.xml"),
        (bombs.stored(bombs.many_elements), "more than 200,000 XML elements"),
        (bombs.zip_ratio, "pad.png unzips"),
    ],
    ids=["padded", "padded-stored", "deep-stored", "entities", "elements-stored", "zip-ratio"],
)
def test_xml_and_zip_bombs_are_refused_in_one_line(run_cli, project, make, needle):
    template = make(project / "bomb.pptx")
    code, _, err = run_cli("theme", "init", "corp", "--from", template, cwd=project)
    lines = err.splitlines()
    assert code == 1 and len(lines) == 1, err
    assert lines[0].startswith("bomb.pptx:1:1: ") or "bomb.pptx:1:1: " in lines[0], lines[0]
    assert needle in lines[0] and len(lines[0]) < 500, lines[0]
    assert not (project / "themes" / "corp").exists()


def test_a_layout_with_thousands_of_placeholders_is_read_bounded(run_cli, project):
    template = bombs.many_placeholders(project / "many.pptx")
    code, _, err = run_cli("theme", "init", "corp", "--from", template, cwd=project)
    assert code == 0, err
    info = template_module.read_template(project / "themes" / "corp" / "many.pptx")
    counts = [len(layout.placeholders) for layout in info.layouts]
    assert max(counts) == template_module.MAX_PLACEHOLDERS
    write(project / "talk.yaml", "theme: corp\n" + DECK)
    code, _, err = run_cli("build", "talk.yaml", cwd=project)
    assert code == 0, err
    assert_valid_pptx(project / "output" / "talk.pptx")


def test_a_background_shared_by_every_layout_is_decoded_once(run_cli, project, monkeypatch):
    template = bombs.shared_huge_picture(project / "shared.pptx", side=3000)
    decoded: list[int] = []
    real = template_module.picture_stats

    def counting(blob: bytes):
        decoded.append(len(blob))
        return real(blob)

    monkeypatch.setattr(template_module, "picture_stats", counting)
    template_module._read_template.cache_clear()
    code, _, err = run_cli("theme", "init", "corp", "--from", template, cwd=project)
    assert code == 0, err
    assert len(decoded) == 1  # the master and 11 layouts share one picture


def test_a_picture_over_the_pixel_cap_is_never_decoded(monkeypatch):
    from PIL import Image

    monkeypatch.setattr(template_module, "MAX_PICTURE_PIXELS", 100 * 100)
    loads: list[str] = []
    real_load = Image.Image.load

    def load(self):
        loads.append(self.format)
        return real_load(self)

    import io

    picture = io.BytesIO()
    Image.new("RGB", (200, 200), (1, 2, 3)).save(picture, "PNG")
    monkeypatch.setattr(Image.Image, "load", load)
    mean, busy, thumb = template_module.picture_stats(picture.getvalue())
    assert (mean, busy, thumb) == (None, True, None)
    assert "PNG" not in loads
