"""Problems with a location, and the one exception the CLI catches."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file; line and col are 1-based, 0 means unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col or 1}"
        return f"{self.path}:1:1"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) at one location."""

    location: Location
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        text = f"{self.location}: {prefix}{self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class Problems(list):
    """A list of Problem with helpers for the common cases."""

    def error(self, location: Location, message: str, hint: str = "") -> None:
        self.append(Problem(location, message, hint))

    def warn(self, location: Location, message: str, hint: str = "") -> None:
        self.append(Problem(location, message, hint, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if not p.is_error]


class DeckwrightError(Exception):
    """Raised between stages when problems stop the pipeline; exit code 1."""

    exit_code = 1

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a "did you mean 'x'?" hint, or "" when nothing is close."""
    matches = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""
