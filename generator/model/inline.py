"""Inline markup: **bold**, *italic*, `code` and [label](url) into styled runs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from generator.errors import Location, Problems


@dataclass(frozen=True)
class Run:
    """A piece of text with one style. color is "#RRGGBB" or None (inherit)."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: Optional[str] = None
    color: Optional[str] = None


def plain_text(runs: Sequence[Run]) -> str:
    """Return the text of runs without their styles."""
    return "".join(run.text for run in runs)


ALLOWED_SCHEMES = ("http://", "https://", "mailto:")

# One token at a time, left to right: code first (its content is literal), then links,
# then bold, then italic, as the alternation of
#     `[^`\n]+`                       \[[^\]\n]+\]\([^)\s]+\)
#     \*\*(?=\S).+?(?<=\S)\*\*         \*(?=[^\s*])[^*\n]+?(?<=\S)\*
# would find them. Matching that with re.finditer rescans the rest of the line from
# every opener that is never closed (`[a[a[a...`, `**a **a ...`): quadratic. _Scanner
# finds each closer with a search that only moves forward, so a line costs O(n).
_OPENERS = re.compile(r"[`\[*]")
_CODE_END = re.compile(r"[`\n]")
_LABEL_END = re.compile(r"[\]\n]")
_URL_END = re.compile(r"[)\s]")
_BOLD_END = re.compile(r"(?<=\S)\*\*")
_ITALIC_END = re.compile(r"[*\n]")
_NEWLINE = re.compile(r"\n")


class _Ahead:
    """The next match of one pattern at or after a position, for positions that only grow.

    The match found from p is also the answer for every position up to its start, so
    the text is searched once overall.
    """

    def __init__(self, pattern: re.Pattern[str], text: str):
        self.pattern, self.text = pattern, text
        self.searched_from, self.found = -1, -1  # found: start of the match, -1 none

    def at(self, pos: int) -> int:
        """Return where the next match at or after pos starts, or -1."""
        if (
            self.searched_from < 0
            or pos < self.searched_from
            or (self.found >= 0 and pos > self.found)
        ):
            match = self.pattern.search(self.text, pos)
            self.searched_from, self.found = pos, match.start() if match else -1
        return self.found


class _Scanner:
    """Find the inline tokens of one text, each closer searched for forwards only."""

    def __init__(self, text: str):
        self.text = text
        self.code_end = _Ahead(_CODE_END, text)
        self.label_end = _Ahead(_LABEL_END, text)
        self.url_end = _Ahead(_URL_END, text)
        self.bold_end = _Ahead(_BOLD_END, text)
        self.italic_end = _Ahead(_ITALIC_END, text)
        self.newline = _Ahead(_NEWLINE, text)

    def tokens(self):
        """Yield (kind, start, end, inner start, inner end[, url]) for each token."""
        text, pos = self.text, 0
        while True:
            opener = _OPENERS.search(text, pos)
            if opener is None:
                return
            start = opener.start()
            token = self._token_at(start)
            if token is None:
                pos = start + 1
                continue
            yield token
            pos = token[2]

    def _token_at(self, i: int):
        text, char = self.text, self.text[i]
        if char == "`":
            end = self.code_end.at(i + 1)
            if end > i + 1 and text[end] == "`":
                return ("code", i, end + 1, i + 1, end)
            return None
        if char == "[":
            close = self.label_end.at(i + 1)
            if close > i + 1 and text[close] == "]" and text.startswith("(", close + 1):
                end = self.url_end.at(close + 2)
                if end > close + 2 and text[end] == ")":
                    return ("link", i, end + 1, i + 1, close, text[close + 2 : end])
            return None
        if text.startswith("**", i) and i + 2 < len(text) and not text[i + 2].isspace():
            close = self.bold_end.at(i + 3)
            newline = self.newline.at(i + 2)
            if close >= 0 and (newline < 0 or close < newline):
                return ("bold", i, close + 2, i + 2, close)
        if i + 1 < len(text) and not text[i + 1].isspace() and text[i + 1] != "*":
            close = self.italic_end.at(i + 2)
            if close >= 0 and text[close] == "*" and not text[close - 1].isspace():
                return ("italic", i, close + 1, i + 1, close)
        return None


def parse_inline(text: str, where: Location, problems: Problems) -> list[Run]:
    """Return the runs of one line of inline markup; unknown markup stays literal."""
    runs: list[Run] = []
    _parse(text, where, problems, runs, bold=False, italic=False)
    return _merge(runs)


def _parse(
    text: str, where: Location, problems: Problems, out: list[Run], *, bold: bool, italic: bool
) -> None:
    pos = 0
    for token in _Scanner(text).tokens():
        kind, start, end, inner_start, inner_end = token[:5]
        if start > pos:
            out.append(Run(text[pos:start], bold=bold, italic=italic))
        inner = text[inner_start:inner_end]
        if kind == "code":
            out.append(Run(inner, bold=bold, italic=italic, code=True))
        elif kind == "link":
            url = token[5]
            if not url.lower().startswith(ALLOWED_SCHEMES):
                problems.error(
                    where, f"link '{url}' is not allowed", "links must be http, https or mailto"
                )
                url = None
            label_runs: list[Run] = []
            _parse(inner, where, problems, label_runs, bold=bold, italic=italic)
            out.extend(Run(r.text, r.bold, r.italic, r.code, url) for r in label_runs)
        elif kind == "bold":
            _parse(inner, where, problems, out, bold=True, italic=italic)
        else:
            _parse(inner, where, problems, out, bold=bold, italic=True)
        pos = end
    if pos < len(text):
        out.append(Run(text[pos:], bold=bold, italic=italic))


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same style, so the XML stays small."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.code, last.link, last.color) == (
            run.bold,
            run.italic,
            run.code,
            run.link,
            run.color,
        ):
            merged[-1] = Run(
                last.text + run.text, run.bold, run.italic, run.code, run.link, run.color
            )
        else:
            merged.append(run)
    return merged
