"""Every real template, end to end, as a new user meets it: `theme init`, `build`, render.

The corpus: LibreOffice's 23 designed Impress templates, each as .potx and as .pptx, and
the real-world files in ../shared/templates when present. For each, the bundled deck is
built through the CLI with the theme `theme init` made, rendered by LibreOffice, and read
back by poppler and by the OOXML validator. The checks:

- the package validates (../shared/ooxml/validate.py, when present);
- nothing overflows: every word inside a text shape and on the slide;
- legibility on the render: every word reaches 4.5:1 against the pixels behind it (3:1
  when large), never over a busy background (see legibility_render);
- no content shape runs into the slide's footer, date or slide number (chrome_overlap);
- density: at most 1.2 times the slides of the default theme (no one-row tables);
- every TL;DR cell and every evaluation code line is in the PDF.

Set DECKWRIGHT_CORPUS_REPORT=FILE to write the table of results (master and layout per
kind, slides, problems per check), and DECKWRIGHT_CORPUS=Vivid,Focus to run a few only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from chrome_overlap import chrome_overlaps
from click.testing import CliRunner
from conftest import ROOT, missing_from_pdf, needs_soffice, needs_tools
from legibility_render import WordContrast, without_text, word_contrasts
from pptx import Presentation
from template_fixtures import TemplateRef, libreoffice_template_names, lo, shared
from test_bundled_deck import TLDR_CELLS, evaluation_code_lines
from test_overflow_render import overflow_problems

from generator.cli import main

VALIDATOR = ROOT.parent / "shared" / "ooxml" / "validate.py"
SHARED_FILES = (
    "mecanon-template.potx",
    "officer-ph_dupes.pptx",
    "officer-template.pptx",
    "pandoc-test-footer-reference.pptx",
    "pandoc-test-reference-deleted-layouts.pptx",
    "pandoc-test-reference-depth.pptx",
    "pandoc-test-reference-moved-layouts.pptx",
)
CORPUS = [lo(name, fmt) for fmt in ("potx", "pptx") for name in libreoffice_template_names()]
CORPUS += shared(*SHARED_FILES)
if os.environ.get("DECKWRIGHT_CORPUS"):  # e.g. "Vivid,Focus": a quicker look at a few
    _only = os.environ["DECKWRIGHT_CORPUS"].split(",")
    CORPUS = [ref for ref in CORPUS if any(name in str(ref) for name in _only)]
DENSITY = 1.2


@dataclass
class Built:
    """One template's build: the theme's layouts, the deck, its renders and its output."""

    name: str
    code: int
    output: str
    mapping: list[str] = field(default_factory=list)
    deck: Path | None = None
    pdf: Path | None = None
    blank_pdf: Path | None = None
    slides: int = 0
    contrasts: list[WordContrast] = field(default_factory=list)


def _cli(*args: str, cwd: Path) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout + result.stderr


def _theme_name(ref: TemplateRef) -> str:
    return str(ref).replace(" ", "_").replace(".", "-")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, template_path) -> dict[str, Built]:
    """Build the bundled deck on every template of the corpus and render them all."""
    work = tmp_path_factory.mktemp("corpus")
    project = work / "project"
    shutil.copytree(ROOT / "content", project / "content")
    (project / "deckwright.yaml").write_text("# project marker\n")
    decks = work / "decks"
    results: dict[str, Built] = {}
    code, output = _cli(
        "build", "content/ai-vs-ml-engineer.yaml", "-o", decks / "default.pptx", cwd=project
    )
    assert code == 0, output
    results["default"] = Built("default", code, output, deck=decks / "default.pptx")
    for ref in CORPUS:
        name = _theme_name(ref)
        code, output = _cli("theme", "init", name, "--from", template_path(ref), cwd=project)
        built = Built(str(ref), code, output)
        built.mapping = [
            line.strip()
            for line in output.splitlines()
            if line.startswith("  ") and ": " in line and "(" in line and not line.startswith("   ")
        ]
        results[str(ref)] = built
        if code != 0:
            continue
        deck = decks / f"{name}.pptx"
        built.code, build_output = _cli(
            "build", "content/ai-vs-ml-engineer.yaml", "-t", name, "-o", deck, cwd=project
        )
        built.output += build_output
        if built.code == 0:
            built.deck = deck
    to_render = []
    for built in results.values():
        if built.deck is not None:
            built.slides = len(Presentation(str(built.deck)).slides)
            blank = without_text(built.deck, built.deck.with_name(built.deck.stem + "-blank.pptx"))
            built.pdf, built.blank_pdf = (built.deck.with_suffix(".pdf"), blank.with_suffix(".pdf"))
            to_render += [built.deck, blank]
    profile = work / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(decks),
            *map(str, to_render),
        ],
        check=True,
        capture_output=True,
        timeout=1800,
        env={**os.environ, "HOME": str(work)},
    )
    for built in results.values():
        if built.pdf is not None and built.blank_pdf is not None:
            built.contrasts = word_contrasts(
                built.pdf, built.blank_pdf, work / "pixels" / _theme_name_of(built)
            )
            shutil.rmtree(work / "pixels" / _theme_name_of(built), ignore_errors=True)
    if os.environ.get("DECKWRIGHT_CORPUS_REPORT"):
        Path(os.environ["DECKWRIGHT_CORPUS_REPORT"]).write_text(report(results))
    return results


def _theme_name_of(built: Built) -> str:
    return built.name.replace(" ", "_").replace(".", "-")


def _validate(deck: Path) -> list[str]:
    run = subprocess.run(
        [sys.executable, str(VALIDATOR), str(deck)], capture_output=True, text=True, timeout=300
    )
    return [
        line
        for line in run.stdout.splitlines()
        if ": " in line
        and "warning:" not in line
        and not line.startswith(("OK", "0 "))
        and str(deck) in line
    ]


def _missing_in_pdf(built: Built) -> list[str]:
    """Return the TL;DR cells and code lines with a word the PDF lacks."""
    assert built.pdf is not None
    return missing_from_pdf(built.pdf, TLDR_CELLS + evaluation_code_lines())


def report(results: dict[str, Built]) -> str:
    """Return the corpus as a Markdown table: mapping, slides and problems per check."""
    default = results["default"].slides
    lines = [
        "| template | title | bullets | table, code | section | slides | validate "
        "| overflow | illegible words | TL;DR/code missing |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, built in results.items():
        if name == "default":
            continue
        kinds = {line.split()[0]: line.split(None, 1)[1].split("  (")[0] for line in built.mapping}
        if built.deck is None:
            lines.append(f"| {name} | build failed: {built.output.strip()[-120:]} |")
            continue
        valid = len(_validate(built.deck)) if VALIDATOR.exists() else "-"
        overflow = len(overflow_problems(built.deck, built.pdf)) if built.pdf else "-"
        illegible = sum(not c.ok for c in built.contrasts)
        lines.append(
            f"| {name} | {kinds.get('title', '')} | {kinds.get('bullets', '')} | "
            f"{kinds.get('table', '')} | {kinds.get('section', '')} | {built.slides} "
            f"({built.slides / default:.2f}x) | {valid} | {overflow} | {illegible} of "
            f"{len(built.contrasts)} | {len(_missing_in_pdf(built))} |"
        )
    return "\n".join(lines) + "\n"


pytestmark = [needs_soffice, needs_tools("pdftoppm", "pdftotext")]
IDS = [str(ref) for ref in CORPUS]

#: What is not met yet, per check and template (either format), and why. Strict: a fix
#: makes the test pass and then fail as an unexpected pass, so this list cannot go stale.
KNOWN: dict[str, dict[str, str]] = {}


def cases(check: str) -> list:
    """Return the corpus for a check, with the templates KNOWN to fail it marked."""
    known = KNOWN.get(check, {})
    params = []
    for name in IDS:
        reason = next((why for base, why in known.items() if name.startswith(base + ".")), None)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(name, marks=marks, id=name))
    return params


@pytest.mark.parametrize("name", IDS)
def test_theme_init_and_build_succeed(corpus, name: str):
    built = corpus[name]
    assert built.code == 0 and built.deck is not None, built.output
    assert "Traceback" not in built.output


@pytest.mark.skipif(not VALIDATOR.exists(), reason="../shared/ooxml/validate.py is not here")
@pytest.mark.parametrize("name", IDS)
def test_the_deck_validates(corpus, name: str):
    built = corpus[name]
    assert built.deck is not None, built.output
    assert _validate(built.deck) == []


@pytest.mark.parametrize("name", cases("inside"))
def test_every_word_is_inside_its_shape_and_the_slide(corpus, name: str):
    built = corpus[name]
    assert built.deck is not None and built.pdf is not None, built.output
    assert overflow_problems(built.deck, built.pdf) == []


@pytest.mark.parametrize("name", ["default", *cases("chrome")])
def test_no_content_runs_into_the_footer_date_or_slide_number(corpus, name: str):
    built = corpus[name]
    assert built.deck is not None, built.output
    assert chrome_overlaps(built.deck) == []


@pytest.mark.parametrize("name", cases("legible"))
def test_every_word_is_legible_on_what_is_drawn_behind_it(corpus, name: str):
    built = corpus[name]
    assert built.contrasts, built.output
    illegible = [str(c) for c in built.contrasts if not c.ok]
    assert illegible == [], f"{len(illegible)} of {len(built.contrasts)} words"


@pytest.mark.parametrize("name", cases("density"))
def test_density_is_close_to_the_default_themes(corpus, name: str):
    built = corpus[name]
    assert built.deck is not None, built.output
    default = corpus["default"].slides
    assert built.slides <= DENSITY * default, f"{built.slides} slides, default {default}"


@pytest.mark.parametrize("name", IDS)
def test_every_tldr_cell_and_code_line_is_in_the_pdf(corpus, name: str):
    built = corpus[name]
    assert built.pdf is not None, built.output
    assert _missing_in_pdf(built) == []
