"""The bundled deck on real-world and home-made templates, rendered by LibreOffice.

The real-world templates are LibreOffice's own (tests/template_fixtures.py), plus those of
../shared/templates when that folder is there.

Every deck is built through the API, then all are converted in one LibreOffice run (a run
costs seconds to start). Each must give one PDF page per slide, carry every TL;DR cell,
keep every word on the page and pass validate.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BUNDLED, assert_valid_pptx, missing_from_pdf, needs_soffice
from pptx import Presentation
from template_fixtures import lo, shared
from test_bundled_deck import TLDR_CELLS
from test_template import (
    as_potx,
    default_template,
    renamed_layouts,
    template_theme,
    two_masters,
)

#: Several masters and a .potx (Vivid), 4:3 (Nature_Illustration), a title moved into the
#: middle of the content layouts (Midnightblue); and every shared real-world template there is.
REAL = {
    str(ref): ref
    for ref in [
        lo("Vivid"),
        lo("Nature_Illustration", "pptx"),
        lo("Midnightblue", "pptx"),
        *shared(),
    ]
}


def _only_blank(prs) -> None:
    for lay in [lay for lay in prs.slide_layouts if lay.name != "Blank"]:
        prs.slide_layouts.remove(lay)


MADE = {
    "made-4x3.pptx": lambda d: default_template(d, "made-4x3.pptx"),
    "made-renamed.pptx": lambda d: default_template(d, "made-renamed.pptx", edit=renamed_layouts),
    "made-blank-only.pptx": lambda d: default_template(d, "made-blank-only.pptx", edit=_only_blank),
    "made-two-masters.pptx": lambda d: two_masters(d, "made-two-masters.pptx"),
    "made-company.potx": lambda d: as_potx(
        default_template(d, "made-plain.pptx"), d / "made-company.potx"
    ),
}
WORD = re.compile(
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)"'
    r">([^<]*)</word>"
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def _convert_all(decks: list[Path], outdir: Path) -> None:
    """Convert every deck to PDF in one LibreOffice run with a throw-away profile."""
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, decks),
        ],
        check=True,
        capture_output=True,
        timeout=600,
        env={**os.environ, "HOME": str(outdir)},
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, template_path) -> dict[str, tuple[Path, Path]]:
    """Build the bundled deck on every template there is; return name -> (pptx, pdf)."""
    from generator import api

    work = tmp_path_factory.mktemp("templated")
    real = work / "real"
    real.mkdir()
    # Copied under the name the tests know them by (the cache adds a hash to the name).
    templates = [shutil.copyfile(template_path(ref), real / name) for name, ref in REAL.items()]
    made = work / "made"
    made.mkdir()
    templates += [make(made) for make in MADE.values()]
    decks = {}
    for template in templates:
        # extends default: the default theme's 16:9 loses to a 4:3 template's own size
        theme = template_theme(work / "themes" / template.stem, template, "extends: default\n")
        out = work / "decks" / f"{template.stem}.pptx"
        api.build(BUNDLED, theme=str(theme), output=out)
        decks[template.name] = out
    _convert_all(list(decks.values()), work / "decks")
    return {name: (pptx, pptx.with_suffix(".pdf")) for name, pptx in decks.items()}


def _words(pdf: Path) -> tuple[list[tuple[float, float]], list[tuple[float, ...]]]:
    """Return the page sizes and every word's box from poppler's -bbox-layout output."""
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages, words = [], []
    for chunk in html.split("<page ")[1:]:
        width, height = map(float, PAGE.match("<page " + chunk).groups())
        pages.append((width, height))
        words += [
            (len(pages), width, height, *map(float, w.groups()[:4])) for w in WORD.finditer(chunk)
        ]
    return pages, words


@needs_soffice
@pytest.mark.parametrize("name", [*REAL, *MADE])
def test_templated_deck_renders_every_slide_cell_and_word_on_the_page(rendered, name: str):
    pptx, pdf = rendered[name]
    prs = Presentation(str(pptx))
    pages, words = _words(pdf)
    assert len(pages) == len(prs.slides), "one PDF page per slide"
    # Word by word: where two cells of a row both wrap, poppler may read their lines
    # interleaved, so a cell's text is not one run of the page text.
    missing = missing_from_pdf(pdf, list(TLDR_CELLS))
    assert not missing, f"TL;DR cells missing from the PDF: {missing}"
    slack = 0.5  # points: rounding in poppler's boxes
    outside = [
        (page, x0, y0, x1, y1)
        for page, w, h, x0, y0, x1, y1 in words
        if x0 < -slack or y0 < -slack or x1 > w + slack or y1 > h + slack
    ]
    assert not outside, f"words outside the page (page, box): {outside[:5]}"
    width, height = pages[0]
    aspect = prs.slide_width / prs.slide_height
    assert abs(width / height - aspect) < 0.01
    if name in ("made-4x3.pptx", "officer-template.pptx", "Nature_Illustration.pptx"):
        assert abs(aspect - 4 / 3) < 0.01  # the template's own size beat the theme's 16:9
    assert_valid_pptx(pptx)


@needs_soffice
def test_templated_decks_keep_their_templates_layouts(rendered):
    from generator.theme.template import read_template

    pptx, _ = rendered["made-renamed.pptx"]
    names = [s.slide_layout.name for s in Presentation(str(pptx)).slides]
    assert set(names) <= {lay.name for lay in read_template(pptx).layouts}
    assert all(n.startswith("Folie ") for n in names)
