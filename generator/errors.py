"""Problems with a location, and the exceptions the CLI turns into lines and exit codes."""

from __future__ import annotations

import difflib
import os
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
        text = f"{self.location}: {prefix}{shortened(one_line(self.message))}"
        return f"{text} ({shortened(one_line(self.hint))})" if self.hint else text

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

    def lines(self) -> list[str]:
        """Return what the CLI prints: one line a problem."""
        return [str(problem) for problem in self.problems]


BUG = "internal error (this is a bug in deckwright, please report it)"
DEBUG_HINT = "set DECKWRIGHT_DEBUG=1 for the traceback"
MAX_DETAIL = 300  # characters of the crash's own message shown on the line


class InternalError(Exception):
    """A crash, which is a bug in deckwright: one line saying so; exit code 70.

    subject is what was being worked on when it crashed (a content file), so a
    batch says which deck; "deckwright" when it is the command itself. detail
    names the original exception; it is plain text, so the error pickles.
    """

    exit_code = 70  # EX_SOFTWARE in sysexits.h

    def __init__(self, detail: str, subject: str = "deckwright"):
        super().__init__(detail, subject)
        self.detail, self.subject = detail, subject

    @classmethod
    def from_exception(cls, exc: BaseException, subject: str = "deckwright") -> InternalError:
        """Return the InternalError that reports exc: its type and the start of its message."""
        try:
            text = " ".join(str(exc).split())
        except Exception:  # noqa: BLE001 - an exception whose own __str__ fails
            text = ""
        if len(text) > MAX_DETAIL:
            text = text[:MAX_DETAIL] + "..."
        name = type(exc).__name__
        return cls(f"{name}: {text}" if text else name, subject)

    def __str__(self) -> str:
        return f"{one_line(self.subject)}: {BUG}: {one_line(self.detail)} ({DEBUG_HINT})"

    def lines(self) -> list[str]:
        return [str(self)]


def debugging() -> bool:
    """Return whether DECKWRIGHT_DEBUG asks for crashes to raise with their traceback."""
    return os.environ.get("DECKWRIGHT_DEBUG", "") not in ("", "0")


#: What a slide cannot show: the characters XML 1.0 cannot hold (C0 controls but tab and
#: line feed, surrogates, U+FFFE/F), and carriage returns, which a text run would show as
#: _x000D_. The one rule for content, rendered templates and the writers' last check.
NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")

#: What a printed line must not carry raw: controls (C0, DEL, C1 with NEL), line and
#: paragraph separators, bidi overrides and isolates (they reorder what follows), surrogates.
UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def one_line(text: str) -> str:
    """Return text safe to print as part of one line: controls and surrogates escaped.

    Messages quote what the user wrote (a key, a kind, a URL), which may hold a
    line break, a terminal escape or a lone surrogate from a --var.
    """
    return UNSHOWABLE.sub(lambda m: ascii(m.group())[1:-1], str(text))


MAX_SHOWN = 1000  # characters of a message or hint shown on a line


def shortened(text: str, limit: int = MAX_SHOWN) -> str:
    """Return text cut to about `limit` characters (its start and end), saying how long.

    Messages quote what the user wrote; a value of 100,000 characters (a huge number
    written as text, a long line) must not become a 100 KB line.
    """
    if len(text) <= limit:
        return text
    tail = limit // 4  # the end says what went wrong ("... not found"): keep it
    return f"{text[: limit - tail]}...[{len(text):,} characters]...{text[-tail:]}"


def display_path(path: Path) -> str:
    """Return path as printed: relative to the working folder when it is inside it.

    Control characters in a file name (a content file named with a terminal escape)
    are escaped like the rest of a printed line (see one_line).
    """
    try:
        return one_line(str(path.resolve().relative_to(Path.cwd().resolve())))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return one_line(str(path))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a "did you mean 'x'?" hint, or "" when nothing is close."""
    matches = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""
