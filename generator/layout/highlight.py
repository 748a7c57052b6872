"""Pygments highlighting into coloured runs, one list of runs per line.

A style's colours are made for its own background; on the theme's code panel some miss
WCAG's 4.5:1 (Pygments' friendly style on #F6F8FA draws #0E84B5 at 3.9:1, #70A0D0 at
2.6:1). Each such colour is darkened (or, on a dark panel, lightened) along its own hue,
as little as reaches 4.5:1, so tokens keep their distinct hues and every one is legible.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from generator.model.inline import Run
from generator.theme.colors import MIN_CONTRAST, contrast

# Token colours reach this: code is small and thin (12-16 pt monospace), and renderers
# anti-alias its strokes, which reads lighter than the colour itself; measured on
# LibreOffice's render, tokens at 4.55:1 drew at 4.1-4.4:1, tokens at 5.2:1 at 4.5 or more.
TARGET_CONTRAST = MIN_CONTRAST + 0.7


@lru_cache(maxsize=64)
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name

    return get_lexer_by_name(language, stripnl=False, ensurenl=False, tabsize=4)


def readable_color(color: str, panel: str) -> str:
    """Return color, or the nearest colour of its hue and saturation that reaches
    4.5:1 on panel: darker on a light panel, lighter on a dark one.

    A colour that reaches 4.5:1 is returned as it is. When even black (or white) does
    not reach it on the panel, the end of the range is returned.
    """
    if contrast(color, panel) >= TARGET_CONTRAST:
        return color
    minimum = TARGET_CONTRAST
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, saturation = colorsys.rgb_to_hls(r, g, b)
    darken = contrast("#000000", panel) >= contrast("#FFFFFF", panel)

    def at(lightness: float) -> str:
        rgb = colorsys.hls_to_rgb(hue, lightness, saturation)
        return "#" + "".join(f"{round(c * 255):02X}" for c in rgb)

    # Bisect the lightness between the colour's own and the end (black or white).
    near, far = light, (0.0 if darken else 1.0)
    for _ in range(30):
        middle = (near + far) / 2
        if contrast(at(middle), panel) >= minimum:
            far = middle
        else:
            near = middle
    return at(far)


@dataclass(frozen=True)
class TokenColor:
    """One colour a code style draws tokens in, and what it becomes on the panel."""

    tokens: tuple[str, ...]  # Pygments token names, e.g. ("Name.Builtin",)
    original: str
    drawn: str

    @property
    def adjusted(self) -> bool:
        return self.original != self.drawn


def style_colors(style_name: str, panel: str) -> list[TokenColor]:
    """Return every colour of a Pygments style as drawn on panel, in the style's order.

    Whitespace's colour is left out: it draws nothing (and runs fold it into the run
    before it).
    """
    found: dict[str, list[str]] = {}
    for token, spec in _style(style_name):
        if spec["color"] and "Whitespace" not in str(token):
            found.setdefault(f"#{spec['color'].upper()}", []).append(
                str(token).removeprefix("Token."))
    return [TokenColor(tuple(tokens), color, readable_color(color, panel))
            for color, tokens in found.items()]


def colors_everything(style_name: str) -> bool:
    """Return True when the style colours every token (else some inherit the text colour)."""
    return bool(_style(style_name).style_for_token(_root_token())["color"])


def _root_token() -> Any:
    from pygments.token import Token

    return Token


def _style(style_name: str) -> Any:
    from pygments.styles import get_style_by_name
    from pygments.util import ClassNotFound

    try:
        return get_style_by_name(style_name)
    except ClassNotFound:
        return get_style_by_name("friendly")


@lru_cache(maxsize=16)
def _style_colors(style_name: str, panel: str) -> dict[Any, tuple[str | None, bool, bool]]:
    colors = {}
    for token, spec in _style(style_name):
        color = readable_color(f"#{spec['color'].upper()}", panel) if spec["color"] else None
        colors[token] = (color, bool(spec["bold"]), bool(spec["italic"]))
    return colors


def highlight_lines(source: str, language: str, style_name: str,
                    panel: str) -> list[list[Run]]:
    """Return source as lines of runs coloured by the style; tabs become 4 spaces.

    Every token colour reaches 4.5:1 on the panel colour (readable_color); tokens the
    style leaves uncoloured inherit the code text colour.

    Results are remembered in this process and on disk (see generator.diskcache):
    building a Pygments lexer compiles its regular expressions, 50 ms for Python,
    and a snippet that did not change highlights the same way next build.
    """
    return [list(line) for line in _highlighted(source, language, style_name, panel.upper())]


@lru_cache(maxsize=256)
def _highlighted(source: str, language: str, style_name: str,
                 panel: str) -> tuple[tuple[Run, ...], ...]:
    from pygments import __version__ as pygments_version

    from generator import diskcache

    key = f"highlight 2\0{pygments_version}\0{language}\0{style_name}\0{panel}\0{source}"
    stored = diskcache.load("highlight", key)
    if isinstance(stored, list):
        try:
            return tuple(tuple(Run(text, bold, italic, True, None, color)
                               for text, bold, italic, color in line) for line in stored)
        except (TypeError, ValueError):
            pass
    lines = _highlight(source, language, style_name, panel)
    diskcache.store("highlight", key, [[[run.text, run.bold, run.italic, run.color]
                                        for run in line] for line in lines])
    return tuple(tuple(line) for line in lines)


def _highlight(source: str, language: str, style_name: str, panel: str) -> list[list[Run]]:
    colors = _style_colors(style_name, panel)
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
