"""The tests' own fixtures: LibreOffice's templates, converted and cached, and checks that
fail naming the package to install when a program or a font is missing."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import conftest
import pytest
import system_packages
import template_fixtures
from conftest import needs_fonts, needs_soffice
from system_packages import require_font, require_fonts, require_tools
from template_fixtures import (
    LibreOfficeTemplates,
    find_otp_files,
    libreoffice_template_names,
    lo,
    shared,
)

TEMPLATE_CT = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_CT = (
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)


def main_content_type(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        types = zf.read("[Content_Types].xml").decode()
    return next((ct for ct in (TEMPLATE_CT, PRESENTATION_CT) if ct in types), "")


def failure(call, *args, **kwargs) -> str:
    """Return the message of the pytest.fail that `call` raises."""
    with pytest.raises(pytest.fail.Exception) as failed:
        call(*args, **kwargs)
    return str(failed.value)


class SofficeRuns:
    """Record the conversions template_fixtures runs, letting them through."""

    def __init__(self, monkeypatch):
        self.commands: list[list[str]] = []
        real = subprocess.Popen

        def popen(command, *args, **kwargs):
            if "--convert-to" in command:
                self.commands.append(command)
            return real(command, *args, **kwargs)

        monkeypatch.setattr(template_fixtures.subprocess, "Popen", popen)


# --- LibreOffice's templates --------------------------------------------------------------


def test_libreoffice_templates_are_converted_to_potx_and_pptx(template_path):
    potx, pptx = template_path(lo("Vivid")), template_path(lo("Grey Elegant", "pptx"))
    assert potx.suffix == ".potx" and main_content_type(potx) == TEMPLATE_CT
    assert pptx.suffix == ".pptx" and main_content_type(pptx) == PRESENTATION_CT
    assert pptx.name.startswith("Grey_Elegant-")  # "Grey Elegant" is Grey_Elegant.otp


def test_the_templates_the_tests_use_are_all_there(libreoffice_templates):
    # LibreOffice 7.4 ships 23; the tests name these.
    used = {
        "Vivid",
        "Candy",
        "Nature_Illustration",
        "Midnightblue",
        "Inspiration",
        "Grey_Elegant",
        "Focus",
        "DNA",
        "Sunset",
    }
    assert used <= set(libreoffice_templates.names)
    assert libreoffice_template_names() == libreoffice_templates.names
    assert len(libreoffice_templates.names) >= 20


def test_a_cold_cache_converts_every_recorded_file_of_a_format_in_one_run(tmp_path, monkeypatch):
    runs = SofficeRuns(monkeypatch)
    cold = LibreOfficeTemplates(cache=tmp_path, recorded={("Focus", "pptx"), ("DNA", "potx")})
    path = cold.path("Sunset", "potx")
    assert len(runs.commands) == 1
    assert {Path(arg).name for arg in runs.commands[0] if arg.endswith(".otp")} == {
        "Sunset.otp",
        "DNA.otp",
    }  # the recorded .pptx waits for its own run
    assert path.parent == tmp_path and main_content_type(path) == TEMPLATE_CT
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == ["DNA", "Sunset"]
    # Warm: no soffice run, the same file.
    again = LibreOfficeTemplates(cache=tmp_path)
    assert again.paths(["Sunset", "DNA"], "potx")["Sunset"] == path
    assert len(runs.commands) == 1


def test_the_cache_is_keyed_by_the_otp_and_the_libreoffice_version(tmp_path, monkeypatch):
    first = LibreOfficeTemplates(cache=tmp_path)
    monkeypatch.setattr(first, "_version", "LibreOffice 7.4.7.2")
    other = LibreOfficeTemplates(cache=tmp_path)
    monkeypatch.setattr(other, "_version", "LibreOffice 24.8.1.2")
    assert first._cached("Vivid", "potx") != other._cached("Vivid", "potx")
    assert first._cached("Vivid", "potx") != first._cached("Focus", "potx")
    assert first._cached("Vivid", "potx").with_suffix(".pptx") == first._cached("Vivid", "pptx")


def test_all_gives_every_template_by_name(libreoffice_templates, monkeypatch):
    # The corpus helper: one call, every name; checked here without converting all 23.
    asked = []
    monkeypatch.setattr(
        libreoffice_templates, "paths", lambda names, fmt: asked.append((list(names), fmt)) or {}
    )
    libreoffice_templates.all("pptx")
    assert asked == [(libreoffice_templates.names, "pptx")]


def test_an_unknown_template_name_fails_listing_the_names(libreoffice_templates):
    message = failure(libreoffice_templates.path, "No Such Template")
    assert "No_Such_Template" in message and "Vivid" in message
    assert "apt-get install libreoffice-common" in message


def test_without_libreoffice_the_fixture_fails_naming_the_packages(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    message = failure(LibreOfficeTemplates, cache=tmp_path)
    assert "soffice" in message
    assert "sudo apt-get install libreoffice-impress libreoffice-common" in message


def test_without_the_otp_files_the_fixture_fails_naming_the_package(monkeypatch, tmp_path):
    fake = tmp_path / "program" / "soffice"
    fake.parent.mkdir()
    fake.write_text("")
    monkeypatch.setattr(template_fixtures, "INSTALL_FOLDERS", ())
    message = failure(find_otp_files, str(fake))
    assert "*.otp" in message and str(tmp_path / "share" / "template") in message
    assert "apt-get install libreoffice-common" in message


def test_shared_templates_are_an_extra_listed_only_when_present(shared_templates):
    assert shared("no-such-template.pptx") == []
    assert [str(ref) for ref in shared()] == list(shared_templates)
    assert all(path.is_file() for path in shared_templates.values())


# --- programs and fonts -------------------------------------------------------------------


def test_a_missing_font_fails_naming_its_package():
    message = failure(require_font, "No Such Font Family 3000", package="fonts-no-such")
    assert "No Such Font Family 3000" in message
    assert "sudo apt-get install fonts-no-such" in message


def test_missing_fonts_fail_naming_every_package(monkeypatch):
    monkeypatch.setattr(
        system_packages, "installed_families", lambda: frozenset({"Liberation Sans", "DejaVu Sans"})
    )
    message = failure(require_fonts, "Liberation Sans", "Noto Sans CJK", "Carlito")
    assert "Noto Sans CJK, Carlito" in message
    assert message.endswith("sudo apt-get install fonts-noto-cjk fonts-crosextra-carlito")
    require_fonts("Liberation Sans", "DejaVu Sans")  # installed: nothing happens


def test_a_family_is_found_by_its_name_with_a_suffix(monkeypatch):
    monkeypatch.setattr(
        system_packages,
        "installed_families",
        lambda: frozenset({"Noto Sans CJK JP", "DejaVu Sans Mono"}),
    )
    require_font("Noto Sans CJK")
    assert failure(require_font, "DejaVu Sans")  # "Mono" is another family, not a suffix


def test_a_missing_program_fails_naming_its_package(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    message = failure(require_tools, "soffice", "pdftotext")
    assert message.startswith("soffice, pdftotext not on PATH")
    assert message.endswith("sudo apt-get install libreoffice-impress poppler-utils")


class Item:
    """Just enough of a pytest item for pytest_runtest_setup."""

    def __init__(self, *decorators):
        self.marks = [decorator.mark for decorator in decorators]

    def iter_markers(self, name):
        return (mark for mark in self.marks if mark.name == name)


def test_marked_tests_fail_before_they_start_naming_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(system_packages, "installed_families", lambda: frozenset())
    message = failure(conftest.pytest_runtest_setup, Item(needs_fonts("Noto Sans CJK")))
    assert message.endswith("sudo apt-get install fonts-noto-cjk")
    monkeypatch.setenv("PATH", str(tmp_path))
    message = failure(conftest.pytest_runtest_setup, Item(needs_soffice))
    assert message.endswith("sudo apt-get install libreoffice-impress poppler-utils")
    conftest.pytest_runtest_setup(Item())  # nothing needed, nothing checked
