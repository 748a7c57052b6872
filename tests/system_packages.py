"""The system packages the tests need, and checks that fail naming the missing one.

A test that needs LibreOffice, poppler or a font fails (never skips) when it is missing and
says which Debian package to install: a skipped test is one nobody reads. The README's test
set-up and .ci/run install exactly APT_PACKAGES (tests/test_setup_docs.py holds them to it).
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess

import pytest

#: Everything the tests need from apt, in the order the README's install line names them.
APT_PACKAGES = (
    "libreoffice-impress",  # soffice renders decks to PDF
    "libreoffice-common",  # the .otp templates that the template tests convert
    "python3-uno",  # LibreOffice's UNO bridge: one LibreOffice per batch or watch
    "poppler-utils",  # pdftotext, pdfinfo and pdftoppm read the PDFs back
    "fontconfig",  # fc-list and fc-match find the fonts below
    "fonts-liberation",  # Liberation Sans/Serif/Mono: metric-compatible Arial, Times, Courier
    "fonts-crosextra-carlito",  # Carlito: metric-compatible Calibri
    "fonts-crosextra-caladea",  # Caladea: metric-compatible Cambria
    "fonts-dejavu-core",  # DejaVu Sans and DejaVu Sans Mono (the stand-in for Consolas)
    "fonts-dejavu-extra",  # DejaVu Sans Condensed: no narrower than Helvetica Neue, Tahoma
    "fonts-noto-cjk",  # Noto Sans CJK: the Chinese and Japanese text of the tests
    "chromium",  # the HTML deck's tests drive it (Playwright, with this executable)
)

#: The package that provides each program a test runs.
TOOL_PACKAGES = {
    "soffice": "libreoffice-impress",
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "fc-list": "fontconfig",
    "fc-match": "fontconfig",
    "chromium": "chromium",
}

#: The package that provides each font family a test measures or renders with.
FONT_PACKAGES = {
    "Liberation Sans": "fonts-liberation",
    "Liberation Serif": "fonts-liberation",
    "Liberation Mono": "fonts-liberation",
    "Carlito": "fonts-crosextra-carlito",
    "Caladea": "fonts-crosextra-caladea",
    "DejaVu Sans": "fonts-dejavu-core",
    "DejaVu Sans Mono": "fonts-dejavu-core",
    "DejaVu Sans Condensed": "fonts-dejavu-extra",
    "Noto Sans CJK": "fonts-noto-cjk",
    "Noto Sans Mono CJK JP": "fonts-noto-cjk",
}


def install_hint(packages) -> str:
    return "install it with: sudo apt-get install " + " ".join(dict.fromkeys(packages))


def require_tools(*names: str) -> None:
    """Fail the calling test when a program is not on PATH, naming its package."""
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not on PATH, and this test runs it; "
            + install_hint(TOOL_PACKAGES[name] for name in missing),
            pytrace=False,
        )


@functools.cache
def installed_families() -> frozenset[str]:
    """Return every font family name fontconfig lists."""
    require_tools("fc-list")
    listing = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return frozenset(
        name.strip() for line in listing.splitlines() for name in line.split(",") if name.strip()
    )


def font_installed(family: str) -> bool:
    """Return whether fontconfig lists `family`, alone or with a region code: "Noto Sans CJK"
    is installed as "Noto Sans CJK JP", "Noto Sans CJK SC", ... ("DejaVu Sans Mono" is
    another family, not "DejaVu Sans")."""
    wanted = family.casefold()
    for name in installed_families():
        rest = name[len(family) :] if name.casefold().startswith(wanted) else None
        if rest == "" or (rest and re.fullmatch(r" [A-Z]{2,3}", rest)):
            return True
    return False


def require_fonts(*families: str, package: str | None = None) -> None:
    """Fail the calling test, naming the Debian packages, when a family is not installed.

    Each family's package comes from FONT_PACKAGES unless `package` names it.
    """
    missing = [family for family in families if not font_installed(family)]
    if not missing:
        return
    packages = [package or FONT_PACKAGES[family] for family in missing]
    pytest.fail(
        f"font {', '.join(missing)} not installed (fc-list does not list it), and "
        "this test measures or renders with it; " + install_hint(packages),
        pytrace=False,
    )


def require_font(family: str, package: str | None = None) -> None:
    """Fail the calling test when `family` is not installed, naming its Debian package."""
    require_fonts(family, package=package)


@functools.cache
def uno_bridge_python() -> str | None:
    """Return the Python that deckwright drives LibreOffice with when it can import uno."""
    from generator.writers import office
    from generator.writers.pdf import soffice

    executable = soffice()
    python = office.uno_python(executable) if executable else None
    if python is None:
        return None
    probe = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=60)
    return python if probe.returncode == 0 else None


def require_uno() -> None:
    """Fail the calling test when LibreOffice's UNO bridge is missing, naming its package."""
    require_tools("soffice")
    if uno_bridge_python() is None:
        pytest.fail(
            "LibreOffice's UNO bridge (the Python module uno) is missing, and this test "
            "runs one LibreOffice for many decks through it; " + install_hint(["python3-uno"]),
            pytrace=False,
        )
