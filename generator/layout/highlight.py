"""Pygments highlighting into coloured runs, one list of runs per line."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from generator.model.inline import Run


@lru_cache(maxsize=64)
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name

    return get_lexer_by_name(language, stripnl=False, ensurenl=False, tabsize=4)


@lru_cache(maxsize=16)
def _style_colors(style_name: str) -> dict[Any, tuple[str | None, bool, bool]]:
    from pygments.styles import get_style_by_name
    from pygments.util import ClassNotFound

    try:
        style = get_style_by_name(style_name)
    except ClassNotFound:
        style = get_style_by_name("friendly")
    colors = {}
    for token, spec in style:
        color = f"#{spec['color'].upper()}" if spec["color"] else None
        colors[token] = (color, bool(spec["bold"]), bool(spec["italic"]))
    return colors


def highlight_lines(source: str, language: str, style_name: str) -> list[list[Run]]:
    """Return source as lines of runs coloured by the style; tabs become 4 spaces.

    Results are remembered in this process and on disk (see generator.diskcache):
    building a Pygments lexer compiles its regular expressions, 50 ms for Python,
    and a snippet that did not change highlights the same way next build.
    """
    return [list(line) for line in _highlighted(source, language, style_name)]


@lru_cache(maxsize=256)
def _highlighted(source: str, language: str, style_name: str) -> tuple[tuple[Run, ...], ...]:
    from pygments import __version__ as pygments_version

    from generator import diskcache

    key = f"highlight 1\0{pygments_version}\0{language}\0{style_name}\0{source}"
    stored = diskcache.load("highlight", key)
    if isinstance(stored, list):
        try:
            return tuple(tuple(Run(text, bold, italic, True, None, color)
                               for text, bold, italic, color in line) for line in stored)
        except (TypeError, ValueError):
            pass
    lines = _highlight(source, language, style_name)
    diskcache.store("highlight", key, [[[run.text, run.bold, run.italic, run.color]
                                        for run in line] for line in lines])
    return tuple(tuple(line) for line in lines)


def _highlight(source: str, language: str, style_name: str) -> list[list[Run]]:
    colors = _style_colors(style_name)
    lines: list[list[Run]] = [[]]
    for token, value in _lexer(language).get_tokens(source.expandtabs(4)):
        color, bold, italic = colors.get(token, (None, False, False))
        parts = value.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append([])
            if part:
                line = lines[-1]
                last = line[-1] if line else None
                # Whitespace has no visible colour: fold it into the run before it.
                if last and (part.isspace() or (last.color, last.bold, last.italic) == (
                        color, bold, italic)):
                    line[-1] = Run(last.text + part, last.bold, last.italic, True, None,
                                   last.color)
                else:
                    line.append(Run(part, bold, italic, True, None, color))
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines
