"""The tests' own fixtures: checks that fail naming the package to install when a program or
a font is missing."""

from __future__ import annotations

import conftest
import pytest
import system_packages
from conftest import needs_fonts, needs_soffice
from system_packages import require_font, require_fonts, require_tools


def failure(call, *args, **kwargs) -> str:
    """Return the message of the pytest.fail that `call` raises."""
    with pytest.raises(pytest.fail.Exception) as failed:
        call(*args, **kwargs)
    return str(failed.value)


# --- programs and fonts -------------------------------------------------------------------


def test_a_missing_font_fails_naming_its_package():
    message = failure(require_font, "No Such Font Family 3000", package="fonts-no-such")
    assert "No Such Font Family 3000" in message
    assert "sudo apt-get install fonts-no-such" in message


def test_missing_fonts_fail_naming_every_package(monkeypatch):
    monkeypatch.setattr(system_packages, "installed_families",
                        lambda: frozenset({"Liberation Sans", "DejaVu Sans"}))
    message = failure(require_fonts, "Liberation Sans", "Noto Sans CJK", "Carlito")
    assert "Noto Sans CJK, Carlito" in message
    assert message.endswith("sudo apt-get install fonts-noto-cjk fonts-crosextra-carlito")
    require_fonts("Liberation Sans", "DejaVu Sans")  # installed: nothing happens


def test_a_family_is_found_by_its_name_with_a_suffix(monkeypatch):
    monkeypatch.setattr(system_packages, "installed_families",
                        lambda: frozenset({"Noto Sans CJK JP", "DejaVu Sans Mono"}))
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
