"""The README's set-up lines and .ci/run agree, and name every system package the tests need."""

from __future__ import annotations

import re

from conftest import ROOT
from system_packages import APT_PACKAGES, FONT_PACKAGES, TOOL_PACKAGES

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _lines(text: str, pattern: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(pattern, line)]


def test_the_readme_installs_every_package_in_one_line_that_ci_runs_too():
    (install,) = _lines(README, r"sudo apt-get .*install ")
    assert install in CI.splitlines(), ".ci/run must run the README's install line verbatim"
    packages = [
        word for word in install.split(" install ", 1)[1].split() if not word.startswith("-")
    ]
    assert packages == list(APT_PACKAGES)
    needed = set(TOOL_PACKAGES.values()) | set(FONT_PACKAGES.values())
    assert needed <= set(packages), f"not installed: {sorted(needed - set(packages))}"


def test_ci_runs_the_readmes_test_command_verbatim():
    (command,) = _lines(README, r"python3 -m venv .* -m pytest$")
    assert command in CI.splitlines()
    assert 'if [ "$status" -eq 5 ]; then' in CI  # no tests collected is a failure in CI
