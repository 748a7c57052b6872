"""A deck of every kind on LibreOffice's 23 designed Impress templates, as .potx and .pptx.

Each template goes through `theme init`, then one `build` makes all 46 decks in parallel
(the golden every-kind deck: the bundled one takes three times as long to build and check).
Every deck must be a clean package (validate.py finds nothing: one core-properties part
whatever relationship type the template used, unique shape ids) and show no placeholder
prompt (`<footer>`, `<date/time>`, `<number>`, "Click to edit ...").
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, assert_valid_pptx
from template_fixtures import FORMATS, all_libreoffice_templates, libreoffice_template_names

NAMES = libreoffice_template_names()
CASES = [(name, fmt) for name in NAMES for fmt in FORMATS]
PROMPT = re.compile(r"<a:t>\s*(&lt;[^<]*&gt;|‹#›|Click to [^<]*|Footer)\s*</a:t>")


def theme_name(name: str, fmt: str) -> str:
    return f"{name.lower().replace('_', '-')}-{fmt}"


@pytest.fixture(scope="module")
def lo_decks(tmp_path_factory, run_cli_module) -> dict[tuple[str, str], Path]:
    """Return (template, format) -> the bundled deck built on it, through the CLI."""
    project = tmp_path_factory.mktemp("lo-templates")
    for name in ("every-kind.yaml", "diagram.png"):
        shutil.copyfile(ROOT / "tests" / "golden" / name, project / name)
    (project / "deckwright.yaml").write_text("# project marker\n")
    themes = {}
    for fmt in FORMATS:
        for name, template in all_libreoffice_templates(fmt).items():
            theme = theme_name(name, fmt)
            code, out, err = run_cli_module("theme", "init", theme, "--from", template, cwd=project)
            assert code == 0, err
            themes[(name, fmt)] = theme
    if not themes:
        pytest.skip("LibreOffice and its Impress templates (.otp) are needed")
    args = [arg for theme in themes.values() for arg in ("-t", theme)]
    code, out, err = run_cli_module("build", "every-kind.yaml", *args, cwd=project)
    assert code == 0, err
    return {case: project / "output" / f"every-kind-{theme}.pptx" for case, theme in themes.items()}


@pytest.fixture(scope="module")
def run_cli_module():
    from click.testing import CliRunner

    from generator.cli import main

    def run(*args, cwd: Path):
        import os

        old = Path.cwd()
        os.chdir(cwd)
        try:
            result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        finally:
            os.chdir(old)
        return result.exit_code, result.stdout, result.stderr

    return run


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}.{f}" for n, f in CASES])
def test_a_deck_on_a_libreoffice_template_is_clean(lo_decks, name: str, fmt: str):
    deck = lo_decks.get((name, fmt))
    if deck is None:
        pytest.skip(f"soffice could not convert {name}.otp to .{fmt}")
    with zipfile.ZipFile(deck) as zf:
        names = zf.namelist()
        assert names.count("docProps/core.xml") == 1
        assert "docProps/thumbnail.jpeg" not in names
        core = zf.read("docProps/core.xml").decode()
        assert "<dc:title>Every kind</dc:title>" in core
        prompts = {
            m.group(1)
            for n in names
            if re.match(r"ppt/slides/slide\d+\.xml$", n)
            for m in PROMPT.finditer(zf.read(n).decode())
        }
    assert not prompts, f"placeholder prompts on slides: {sorted(prompts)}"
    theme = (deck.parent.parent / "themes" / theme_name(name, fmt) / "theme.yaml").read_text()
    assert "footer" not in theme
    assert_valid_pptx(deck)
