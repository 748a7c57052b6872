"""Problems with a location, and the one exception the CLI catches."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file; line and col are 1-based, 0 means unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        path = one_line(self.path)
        if self.line:
            return f"{path}:{self.line}:{self.col or 1}"
        return f"{path}:1:1"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) at one location."""

    location: Location
    message: str
    hint: str = ""
    severity: str = "error"  # "error", "warning" or "note" (never an error, even --strict)

    def __str__(self) -> str:
        prefix = f"{self.severity}: " if self.severity in ("warning", "note") else ""
        text = f"{self.location}: {prefix}{one_line(self.message)}"
        return f"{text} ({one_line(self.hint)})" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class Problems(list):
    """A list of Problem with helpers for the common cases."""

    def error(self, location: Location, message: str, hint: str = "") -> None:
        self.append(Problem(location, message, hint))

    def warn(self, location: Location, message: str, hint: str = "") -> None:
        self.append(Problem(location, message, hint, "warning"))

    def note(self, location: Location, message: str, hint: str = "") -> None:
        """Add something `check` tells the user that needs no action."""
        self.append(Problem(location, message, hint, "note"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity == "warning"]


class DeckwrightError(Exception):
    """Raised between stages when problems stop the pipeline; exit code 1."""

    exit_code = 1

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


#: What a slide cannot show: the characters XML 1.0 cannot hold (C0 controls but tab and
#: line feed, surrogates, U+FFFE/F), and carriage returns, which a text run would show as
#: _x000D_. The one rule for content, rendered templates and the writers' last check.
NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")

_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(text: str) -> str:
    """Return text safe to print as part of one line: controls and surrogates escaped.

    Messages quote what the user wrote (a key, a kind, a URL), which may hold a
    line break, a terminal escape or a lone surrogate from a --var.
    """
    return _UNSHOWABLE.sub(lambda m: ascii(m.group())[1:-1], str(text))


def display_path(path: Path) -> str:
    """Return path relative to the working folder when it is inside it, as messages show it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return str(path)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a "did you mean 'x'?" hint, or "" when nothing is close."""
    matches = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""
