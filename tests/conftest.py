"""Shared fixtures: the CLI runner, real-renderer helpers, real templates, system packages.

Tests that need a program or a font say so with `@needs_soffice` or `@needs_fonts(...)`;
when it is missing they fail before they start, naming the apt package (system_packages.py).
The real templates come from template_fixtures.py (LibreOffice's, plus ../shared/templates).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from system_packages import require_fonts, require_tools
from template_fixtures import (  # noqa: F401 (fixtures, found by pytest by name)
    libreoffice_templates,
    shared_templates,
    template_path,
)

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "content" / "ai-vs-ml-engineer.yaml"
# The OOXML schema and packaging checker (ECMA-376 schemas, OPC rules); needs lxml only.
VALIDATOR = Path(
    os.environ.get("DECKWRIGHT_OOXML_VALIDATE", ROOT.parent / "shared" / "ooxml" / "validate.py")
)


def needs_tools(*programs: str) -> pytest.MarkDecorator:
    """Mark a test that runs these programs (their packages: system_packages.TOOL_PACKAGES)."""
    return pytest.mark.needs_tools(*programs)


def needs_fonts(*families: str) -> pytest.MarkDecorator:
    """Mark a test that measures or renders with these font families (FONT_PACKAGES)."""
    return pytest.mark.needs_fonts(*families)


#: LibreOffice renders the deck and poppler reads the PDF back.
needs_soffice = needs_tools("soffice", "pdftotext", "pdfinfo")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "needs_tools(*programs): fail the test, naming the apt "
        "package, when a program is not on PATH",
    )
    config.addinivalue_line(
        "markers",
        "needs_fonts(*families): fail the test, naming the apt "
        "package, when fontconfig does not list a font family",
    )


def pytest_runtest_setup(item):
    """Check a test's programs and fonts before its fixtures run (they may render already)."""
    tools = [name for mark in item.iter_markers("needs_tools") for name in mark.args]
    fonts = [family for mark in item.iter_markers("needs_fonts") for family in mark.args]
    if tools:
        require_tools(*dict.fromkeys(tools))
    if fonts:
        require_fonts(*dict.fromkeys(fonts))


@pytest.fixture
def run_cli():
    """Run the deckwright CLI in-process; return (exit_code, stdout, stderr)."""

    def run(*args: str, cwd: Path | None = None):
        runner = CliRunner()
        old = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        finally:
            os.chdir(old)
        return result.exit_code, result.stdout, result.stderr

    return run


def assert_valid_pptx(*paths: Path) -> None:
    """Assert that validate.py finds nothing in the decks: no problem and no warning.

    One validate.py run for all of them; a finding fails with validate.py's own lines
    (`FILE:PART:LINE: message`). Skips when validate.py is not there, so call it last.
    """
    if not VALIDATOR.is_file():
        pytest.skip(f"the OOXML validator is not at {VALIDATOR} (DECKWRIGHT_OOXML_VALIDATE)")
    result = subprocess.run(
        [sys.executable, str(VALIDATOR), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    findings = [line for line in result.stdout.splitlines() if not line.startswith("validate.py:")]
    assert result.returncode == 0 and not findings, (
        f"validate.py exit {result.returncode}:\n{result.stdout}{result.stderr}"
    )


def render_pdf(pptx: Path) -> Path:
    """Convert a deck to PDF with LibreOffice and return the PDF's path."""
    from generator.writers.pdf import convert_to_pdf

    return convert_to_pdf(pptx, pptx.with_suffix(".pdf"))


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def missing_from_pdf(pdf: Path, lines: list[str]) -> list[str]:
    """Return the lines with a word the PDF's text lacks.

    Word by word (two cells of a table row are read interleaved); a word wrapped at its
    hyphen counts as present when its parts are ("tool-", "use") or poppler joined them
    ("tooluse").
    """
    words = pdf_text(pdf).split()
    drawn = set(words) | {part for word in words for part in word.split("-") if part}
    return [
        line
        for line in lines
        if not all(
            word in drawn
            or word.replace("-", "") in drawn
            or all(part in drawn for part in word.split("-") if part)
            for word in line.split()
        )
    ]


def write(path: Path, text: str) -> Path:
    """Write a small input file for a test, making its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder (with a marker, so includes are confined to it)."""
    (tmp_path / "deckwright.yaml").write_text("# project marker\n")
    return tmp_path
