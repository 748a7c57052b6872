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

# One token at a time: code first (its content is literal), then links, then emphasis.
_TOKEN = re.compile(
    r"(?P<code>`[^`\n]+`)"
    r"|(?P<link>\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]+)\))"
    r"|(?P<bold>\*\*(?=\S)(?P<bold_text>.+?)(?<=\S)\*\*)"
    r"|(?P<italic>\*(?=[^\s*])(?P<italic_text>[^*\n]+?)(?<=\S)\*)"
)


def parse_inline(text: str, where: Location, problems: Problems) -> list[Run]:
    """Return the runs of one line of inline markup; unknown markup stays literal."""
    runs: list[Run] = []
    _parse(text, where, problems, runs, bold=False, italic=False)
    return _merge(runs)


def _parse(text: str, where: Location, problems: Problems, out: list[Run], *,
           bold: bool, italic: bool) -> None:
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            out.append(Run(text[pos:match.start()], bold=bold, italic=italic))
        if match.group("code"):
            out.append(Run(match.group("code")[1:-1], bold=bold, italic=italic, code=True))
        elif match.group("link"):
            url = match.group("url")
            if not url.lower().startswith(ALLOWED_SCHEMES):
                problems.error(where, f"link '{url}' is not allowed",
                               "links must be http, https or mailto")
                url = None
            label_runs: list[Run] = []
            _parse(match.group("label"), where, problems, label_runs, bold=bold, italic=italic)
            out.extend(Run(r.text, r.bold, r.italic, r.code, url) for r in label_runs)
        elif match.group("bold"):
            _parse(match.group("bold_text"), where, problems, out, bold=True, italic=italic)
        else:
            _parse(match.group("italic_text"), where, problems, out, bold=bold, italic=True)
        pos = match.end()
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
                run.bold, run.italic, run.code, run.link, run.color):
            merged[-1] = Run(last.text + run.text, run.bold, run.italic, run.code, run.link,
                             run.color)
        else:
            merged.append(run)
    return merged
