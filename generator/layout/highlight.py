"""Pygments highlighting into coloured runs, one list of runs per line.

A style's colours are made for its own background; on the theme's code panel some miss
WCAG's 4.5:1 (Pygments' friendly style on #F6F8FA draws #0E84B5 at 3.9:1, #70A0D0 at
2.6:1). Each such colour is darkened (or, on a dark panel, lightened) along its own hue,
as little as reaches 4.5:1, so tokens keep their distinct hues and every one is legible.
"""

from __future__ import annotations

import colorsys
import hashlib
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
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
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
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
                str(token).removeprefix("Token.")
            )
    return [
        TokenColor(tuple(tokens), color, readable_color(color, panel))
        for color, tokens in found.items()
    ]


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


def highlight_lines(
    source: str,
    language: str,
    style_name: str,
    panel: str,
    on_fallback: Callable[[str, str], None] | None = None,
) -> list[list[Run]]:
    """Return source as lines of runs coloured by the style; tabs become 4 spaces.

    Every token colour reaches 4.5:1 on the panel colour (readable_color); tokens the
    style leaves uncoloured inherit the code text colour.

    Results are remembered in this process and on disk (see generator.diskcache):
    building a Pygments lexer compiles its regular expressions, 50 ms for Python,
    and a snippet that did not change highlights the same way next build.

    Lexing runs under a time budget: some lexers' regular expressions backtrack
    catastrophically on crafted code (Maple on a quote and 40 backslashes: minutes).
    A snippet that overruns it is shown as plain text, and on_fallback(message, hint)
    is called so the caller can warn at the code's location.
    """
    try:
        return [list(line) for line in _highlighted(source, language, style_name, panel.upper())]
    except _TooSlow as slow:
        if on_fallback is not None:
            on_fallback(
                f"code not highlighted: {slow}; it is shown as plain text",
                "a Pygments lexer slows down on this code; check the language, or "
                "split the snippet",
            )
        return [
            [Run(line, code=True)] if line else []
            for line in source.expandtabs(4).rstrip("\n").split("\n")
        ]


@lru_cache(maxsize=256)
def _highlighted(
    source: str, language: str, style_name: str, panel: str
) -> tuple[tuple[Run, ...], ...]:
    from pygments import __version__ as pygments_version

    from generator import diskcache

    key = f"highlight 2\0{pygments_version}\0{language}\0{style_name}\0{panel}\0{source}"
    stored = diskcache.load("highlight", key)
    if isinstance(stored, list):
        try:
            return tuple(
                tuple(
                    Run(text, bold, italic, True, None, color) for text, bold, italic, color in line
                )
                for line in stored
            )
        except (TypeError, ValueError):
            pass
    lines = _highlight(source, language, style_name, panel)
    diskcache.store(
        "highlight",
        key,
        [[[run.text, run.bold, run.italic, run.color] for run in line] for line in lines],
    )
    return tuple(tuple(line) for line in lines)


def _highlight(source: str, language: str, style_name: str, panel: str) -> list[list[Run]]:
    colors = _style_colors(style_name, panel)
    lines: list[list[Run]] = [[]]
    for token, value in _tokens_in_time(language, source.expandtabs(4)):
        color, bold, italic = colors.get(token, (None, False, False))
        parts = value.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append([])
            if part:
                line = lines[-1]
                last = line[-1] if line else None
                # Whitespace has no visible colour: fold it into the run before it.
                if last and (
                    part.isspace() or (last.color, last.bold, last.italic) == (color, bold, italic)
                ):
                    line[-1] = Run(last.text + part, last.bold, last.italic, True, None, last.color)
                else:
                    line.append(Run(part, bold, italic, True, None, color))
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


# The time budget of lexing. Each snippet may take SNIPPET_SECONDS plus SECONDS_PER_MIB
# for its size (Pygments lexes about 1 MiB a second). All snippets of a process share a
# bank of at most BANK_SECONDS, refilled by the same SECONDS_PER_MIB for each snippet
# and by REFILL_PER_SECOND of the time that passes. Code in good faith never empties
# it; many snippets crafted to be slow empty it after BANK_SECONDS, then are shown
# plain at once, and a long-lived process (watch) has its budget back after a while.
SNIPPET_SECONDS = 0.5
SECONDS_PER_MIB = 2.0
BANK_SECONDS = 3.0
REFILL_PER_SECOND = 0.1
CHILD_START_SECONDS = 1.0  # a Python process importing Pygments, off the main thread
_bank = {"left": BANK_SECONDS, "at": time.monotonic()}
_too_slow: set[str] = set()  # digests of (language, source) that overran: not tried again


class _TooSlow(Exception):
    """A lexer overran its budget; str() says how, in the words of the warning."""


class _Deadline(BaseException):
    """Raised by SIGALRM inside the lexer. BaseException: a lexer's `except Exception`
    must not swallow it."""


def _tokens_in_time(language: str, text: str) -> list[tuple[Any, str]]:
    """Return the lexer's tokens for text, or raise _TooSlow when it overruns its budget.

    On the main thread (every build: batch workers run jobs on theirs) a SIGALRM timer
    interrupts the lexer, even inside one regular-expression match (the re module
    checks for signals while it backtracks). Elsewhere, where no signal can be
    delivered, the lexer runs in a child process that is killed at the deadline.
    """
    key = hashlib.sha256(f"{language}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    if key in _too_slow:
        raise _TooSlow(f"the '{language}' lexer was too slow on this code before")
    lexer = _lexer(language)  # compiling its expressions is not lexing: outside the budget
    earned = SECONDS_PER_MIB * len(text) / (1024 * 1024)
    started = time.monotonic()
    left = min(
        BANK_SECONDS, _bank["left"] + earned + REFILL_PER_SECOND * max(0.0, started - _bank["at"])
    )
    allowed = min(SNIPPET_SECONDS + earned, left)
    try:
        if allowed < 0.001:
            raise _TooSlow("the time for highlighting is used up (by slow code before it)")
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            return _with_alarm(allowed, language, lambda: list(lexer.get_tokens(text)))
        return _in_child(language, text, allowed)
    except _TooSlow:
        if allowed < SNIPPET_SECONDS:  # the bank set the limit: this code may be fine
            raise _TooSlow(
                "the time for highlighting is used up (by slow code before it)"
            ) from None
        _too_slow.add(key)
        raise
    finally:
        _bank["at"] = time.monotonic()
        _bank["left"] = max(0.0, left - (_bank["at"] - started))


def _with_alarm(
    seconds: float, language: str, work: Callable[[], list[tuple[Any, str]]]
) -> list[tuple[Any, str]]:
    """Return work() if it finishes within seconds, else raise _TooSlow.

    A timer someone else set (ITIMER_REAL) is paused and given back, less the time
    spent; if it would have fired first, it fires as soon as this returns.
    """

    def expired(signum: int, frame: Any) -> None:
        raise _Deadline

    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, 0)
    outer_handler = signal.signal(signal.SIGALRM, expired)
    started = time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_delay or seconds))
        try:
            return work()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Deadline:
        raise _TooSlow(f"the '{language}' lexer took longer than {seconds:.2g} s") from None
    finally:
        signal.signal(signal.SIGALRM, signal.SIG_DFL if outer_handler is None else outer_handler)
        if outer_delay:
            left = outer_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), outer_interval)


_CHILD = """
import json, sys
from pygments.lexers import get_lexer_by_name
lexer = get_lexer_by_name(sys.argv[1], stripnl=False, ensurenl=False, tabsize=4)
text = sys.stdin.buffer.read().decode("utf-8", "surrogatepass")
json.dump([[str(token), value] for token, value in lexer.get_tokens(text)], sys.stdout)
"""


def _in_child(language: str, text: str, seconds: float) -> list[tuple[Any, str]]:
    """Return the tokens lexed in a child process, killed after seconds (plus its start)."""
    from pygments.token import string_to_tokentype

    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, language],
            check=False,
            input=text.encode("utf-8", "surrogatepass"),
            capture_output=True,
            timeout=seconds + CHILD_START_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise _TooSlow(f"the '{language}' lexer took longer than {seconds:.2g} s") from None
    except OSError as exc:  # no process to start: better plain than a crash
        raise _TooSlow(f"the '{language}' lexer could not run ({exc.strerror or exc})") from None
    if done.returncode != 0:
        raise _TooSlow(f"the '{language}' lexer failed on this code")
    return [(string_to_tokentype(token), value) for token, value in json.loads(done.stdout)]
