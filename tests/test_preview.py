"""`deckwright theme preview NAME`: the specimen deck and its contact sheet, in one picture."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import assert_valid_pptx, needs_soffice
from PIL import Image
from pptx import Presentation

from generator.model.registry import kinds

needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is needed"
)


def test_the_specimen_has_every_registered_slide_kind():
    from generator.preview import specimen_kinds

    assert sorted(specimen_kinds()) == sorted(kinds())


@needs_soffice
@needs_pdftoppm
def test_preview_writes_the_specimen_deck_and_its_contact_sheet(run_cli, project: Path):
    from generator import api
    from generator.preview import SPECIMEN, _specimen_folder

    code, stdout, stderr = run_cli("theme", "preview", "acme", cwd=project)
    assert (code, stderr) == (0, ""), stderr
    deck, sheet = (
        project / "output" / "preview-acme.pptx",
        project / "output" / "preview-acme-contact.png",
    )
    slides = len(Presentation(str(deck)).slides)
    assert stdout.splitlines()[0].startswith(f"output/preview-acme.pptx  {slides} slides  ")
    assert stdout.splitlines()[1] == (
        "output/preview-acme-contact.png  every kind: title, section, bullets, table, "
        "comparison, code, statement, image, chart, quote, closing"
    )
    with Image.open(sheet) as picture:
        assert picture.width >= 800 and picture.height >= 200
    assert len(list((project / "output" / "preview-acme").glob("slide-*.png"))) == slides
    # Every kind is on a slide of its own: the deck is the specimen's plan, slide for slide.
    plan = api.prepare(Path(str(_specimen_folder().joinpath(SPECIMEN))), "acme").plan
    assert {slide.kind for slide in plan.slides} == set(kinds())
    assert len(plan.slides) == slides
    assert_valid_pptx(deck)


def test_preview_of_an_unknown_theme_is_one_located_line(run_cli, project: Path):
    code, stdout, stderr = run_cli("theme", "preview", "acmee", cwd=project)
    assert code == 1 and stdout == ""
    assert stderr.splitlines()[0].startswith(
        "--theme:1:1: theme 'acmee' not found (did you mean 'acme'?)"
    )
    assert not (project / "output").exists()


def test_theme_init_suggests_the_preview(run_cli, project: Path, tmp_path: Path):
    from pptx import Presentation as New

    template = tmp_path / "company.pptx"
    New().save(template)
    code, stdout, _ = run_cli("theme", "init", "company", "--from", template, cwd=project)
    assert code == 0
    assert stdout.splitlines()[-1] == "see it: deckwright theme preview company"
