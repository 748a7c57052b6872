"""Wrap and measure paragraphs the way PowerPoint and LibreOffice lay them out.

Lines break at spaces; spaces at the end of a line hang past the edge and do
not count. A line may also break after a hyphen or a slash inside a word (as
LibreOffice's ICU breaker does, so a URL breaks at its slashes), and between
any two ideographic characters, except before closing punctuation and after
opening punctuation (kinsoku). A word wider than the whole line is broken
between characters instead of running out of the box. "\\n" in a run is a line
break inside the paragraph (code uses it).

Heights: every line is ``line_height * style.line_spacing`` (PowerPoint scales
the whole line pitch, first line included) and every paragraph but the first
adds its ``space_before_pt``; PowerPoint and LibreOffice both ignore space
before the first paragraph of a text box (measured with LibreOffice 7.4).

Bullet indents (the pptx writer must use the same numbers): a bullet paragraph
at level L has its text at ``BULLET_INDENT_EMU[L]`` from the left inset
(``marL``), and its marker hangs ``BULLET_MARKER_EMU`` to the left of the text
(``indent = -BULLET_MARKER_EMU``). A paragraph with level > 0 but no bullet is
indented by the nesting step alone. Wrapping width is the text width minus
that indent, on every line of the paragraph.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from generator.layout.fonts import FontMetrics, font_metrics
from generator.layout.plan import EMU_PER_INCH, EMU_PER_PT, Paragraph, Run, TextStyle

#: Room for a bullet marker: the hanging indent of a bullet paragraph (0.3 in).
BULLET_MARKER_EMU = int(0.3 * EMU_PER_INCH)
#: Extra indent per nesting level (0.35 in).
BULLET_LEVEL_STEP_EMU = int(0.35 * EMU_PER_INCH)
#: Text indent (``marL``) of a bullet paragraph at levels 0-8.
BULLET_INDENT_EMU: tuple[int, ...] = tuple(
    BULLET_MARKER_EMU + level * BULLET_LEVEL_STEP_EMU for level in range(9)
)
#: Wrap this fraction short of the width: LibreOffice lays text out in 1/100 mm and
#: a line that fits by a hair in our sums can wrap there.
WRAP_SAFETY = 0.002
#: PowerPoint's default left/right inset; top/bottom default is half of it.
DEFAULT_INSET_EMU = 91440

# Ideographic scripts: a line may break between any two of these characters.
_CJK = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u33ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua000-\ua4cf\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff"
)
# Breakable spaces. A no-break space (U+00A0) is part of its word on purpose.
_SPACES = " \t\u1680\u2000-\u200a\u205f\u3000"
_TOKEN = re.compile(rf"(\n)|([{_SPACES}]+)|([{_CJK}])|([^\n{_SPACES}{_CJK}]+)")
# Break opportunities inside a word: after a hyphen between a letter/digit and a
# letter, and after a slash that is not followed by a digit or another slash.
_WORD_BREAK = re.compile(r"(?<=[\w)][-\u2010])(?=[^\W\d_])")
# Kinsoku: characters that may not start a line, and ones that may not end it.
_NO_START = set(
    "、。，．・：；？！ー）」』】〕〉》〙〗｝］’”ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〻"
    ".,;:!?)]}%"
)
_NO_END = set("（「『【〔〈《〘〖｛［‘“([{")


@dataclass(frozen=True)
class Line:
    """One laid-out line: its text and its width in EMU, hanging spaces excluded."""

    text: str
    width: int


class _Atom(NamedTuple):
    """An unbreakable piece of a run and the break rule in front of it."""

    text: str
    metrics: FontMetrics
    size: float
    brk: int  # _GLUE, _BREAK, or _SOFT (a break inside a URL-like token)
    forced: bool  # a line break comes before it
    group: int  # URL-like token it belongs to, or -1


_GLUE, _BREAK, _SOFT = 0, 1, 2

_SPACE_CHARS = "".join(chr(c) for c in (0x20, 0x09, 0x1680, 0x205F, 0x3000)) + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
# Closing punctuation that may hang past the right edge (LibreOffice and PowerPoint
# both allow hanging punctuation in East Asian text by default).
_HANGING = set("、。，．")


def _split_word(word: str) -> tuple[list[str], bool]:
    """Split a word at its break opportunities; return the pieces and whether it is URL-like."""
    if "/" in word:
        return re.split(r"(?<=/)(?=[^/])|(?<=[\w)]-)(?=[^\W\d_])", word), True
    if "-" in word or "\u2010" in word:
        return _WORD_BREAK.split(word), False
    return [word], False


def _atoms(runs: Sequence[tuple[str, FontMetrics, float]]) -> list[_Atom]:
    """Split runs into atoms that carry their break opportunities."""
    atoms: list[_Atom] = []
    prev_kind = "start"  # start, space, cjk, word
    prev_char = ""
    forced = False
    groups = 0
    for text, metrics, size in runs:
        for newline, spaces, cjk, word in _TOKEN.findall(text):
            if newline:
                if forced:  # an empty line between two breaks
                    atoms.append(_Atom("", metrics, size, _BREAK, True, -1))
                forced = True
                prev_kind, prev_char = "start", ""
            elif spaces:
                atoms.append(_Atom(spaces, metrics, size, _GLUE, forced, -1))
                forced = False
                prev_kind, prev_char = "space", " "
            elif cjk:
                can = prev_kind == "space" or (
                    prev_kind in ("cjk", "word")
                    and cjk not in _NO_START
                    and prev_char not in _NO_END
                )
                atoms.append(_Atom(cjk, metrics, size, _BREAK if can else _GLUE, forced, -1))
                forced = False
                prev_kind, prev_char = "cjk", cjk
            else:
                pieces, url_like = _split_word(word)
                group = groups if url_like and len(pieces) > 1 else -1
                groups += group >= 0
                for number, piece in enumerate(pieces):
                    if number:
                        brk = _SOFT if group >= 0 else _BREAK
                    elif prev_kind == "space":
                        brk = _BREAK
                    elif prev_kind == "cjk":
                        # After an ideograph a Latin word may start a line, unless it
                        # begins with closing punctuation.
                        can = piece[0] not in _NO_START and prev_char not in _NO_END
                        brk = _BREAK if can else _GLUE
                    else:
                        brk = _GLUE
                    atoms.append(_Atom(piece, metrics, size, brk, forced, group))
                    forced = False
                    prev_kind, prev_char = "word", piece[-1]
    if forced:
        # A trailing line break still opens an (empty) last line.
        atoms.append(_Atom("", runs[-1][1], runs[-1][2], _BREAK, True, -1))
    return atoms


@dataclass
class _Word:
    """Atoms between two break opportunities; spaces at its end hang."""

    atoms: list[_Atom]
    forced: bool  # a line break comes before it
    soft: bool  # the break before it is inside a URL-like token
    group: int
    ink: float = 0.0  # width without trailing spaces
    total: float = 0.0  # width with trailing spaces
    hang: float = 0.0  # width of closing punctuation that may hang past the edge
    group_ink: float = 0.0  # on a URL-like token's first piece: the whole token's ink


def _words(runs: Sequence[tuple[str, FontMetrics, float]]) -> list[_Word]:
    """Group atoms into words at their break opportunities and measure them."""
    words: list[_Word] = []
    current: _Word | None = None
    firsts: dict[int, _Word] = {}
    for atom in _atoms(runs):
        if current is None or atom.brk != _GLUE or atom.forced:
            current = _Word([], atom.forced, atom.brk == _SOFT, atom.group)
            words.append(current)
        current.atoms.append(atom)
        width = atom.metrics.units(atom.text) * atom.size
        current.total += width
        if atom.text.strip(_SPACE_CHARS):
            current.ink = current.total
            current.hang = width if atom.text in _HANGING else 0.0
        if atom.group >= 0:
            first = firsts.setdefault(atom.group, current)
            first.group_ink += width
    return words


def _wrap(words: list[_Word], width_emu: float, url_mode: str) -> list[Line]:
    """Fill lines greedily; url_mode says where URL-like tokens may break.

    "none": only between characters when the token is wider than the line;
    "all": after every slash and hyphen; "later": not on the line where the
    token starts, then at every slash and hyphen (LibreOffice does each, by context).
    """
    lines: list[Line] = []
    parts: list[str] = []
    width = 0.0  # width of the line so far, hanging spaces included
    ink = 0.0  # width up to the end of its last non-space character
    group_line: dict[int, int] = {}

    def flush() -> None:
        nonlocal width, ink
        lines.append(Line("".join(parts).rstrip(_SPACE_CHARS), round(ink)))
        parts.clear()
        width = ink = 0.0

    for number, word in enumerate(words):
        if word.forced and number:
            flush()
        glued = word.soft and (
            url_mode == "none" or (url_mode == "later" and group_line[word.group] == len(lines))
        )
        need = word.ink - word.hang
        if word.group_ink and url_mode != "all":
            need = max(need, word.group_ink)  # the whole token moves to a new line first
        if width and not glued and width + need > width_emu:
            flush()
        if word.group >= 0 and not word.soft:
            group_line[word.group] = len(lines)
        if width + word.ink - word.hang <= width_emu or not word.ink:
            parts.extend(atom.text for atom in word.atoms)
            if word.ink:
                ink = width + word.ink
            width += word.total
            continue
        # Wider than what is left: break between characters, filling each line.
        for atom in word.atoms:
            table = atom.metrics.widths
            for ch in atom.text:
                w = table[ch] * atom.size
                if ch not in _SPACE_CHARS:
                    if width and width + w > width_emu:
                        flush()
                    ink = width + w
                parts.append(ch)
                width += w
    flush()
    return lines


def wrap_runs(runs: Sequence[tuple[str, FontMetrics, float]], width_emu: int) -> list[Line]:
    """Return the lines of one paragraph of runs wrapped at a width in EMU.

    Each run is (text, metrics, size in points). An empty paragraph is one
    empty line, as in PowerPoint. A single character wider than the width
    still takes a line of its own (it overflows; nothing can be done).
    A paragraph with a URL-like token is wrapped each way LibreOffice may
    break it, and the layout with the most lines wins, so it is never short.
    """
    words = _words(runs)
    avail = width_emu * (1 - WRAP_SAFETY)
    if not any(word.soft for word in words):
        return _wrap(words, avail, "none")
    layouts = [_wrap(words, avail, mode) for mode in ("none", "all", "later")]
    return max(layouts, key=len)


def paragraph_indent_emu(paragraph: Paragraph) -> int:
    """Return the left indent (``marL``) of a paragraph's text, in EMU."""
    level = max(0, min(paragraph.level, len(BULLET_INDENT_EMU) - 1))
    if paragraph.bullet:
        return BULLET_INDENT_EMU[level]
    return level * BULLET_LEVEL_STEP_EMU


def run_metrics(run: Run, style: TextStyle) -> FontMetrics:
    """Return the metrics a run is drawn with: code font for code, bold face for bold."""
    family = (style.code_font or "monospace") if run.code else style.font
    return font_metrics(family, run.bold or style.bold, run.italic)


def _run_key(paragraph: Paragraph) -> tuple[tuple[str, bool, bool, bool], ...]:
    return tuple((run.text, run.bold, run.italic, run.code) for run in paragraph.runs)


@functools.lru_cache(maxsize=65536)
def _cached_lines(
    runs: tuple[tuple[str, bool, bool, bool], ...],
    font: str,
    code_font: str,
    bold: bool,
    size_pt: float,
    width_emu: int,
) -> tuple[tuple[Line, ...], int]:
    """Wrap a paragraph given as hashable parts; return its lines and line height."""
    style = TextStyle(font=font, size_pt=size_pt, color="", bold=bold, code_font=code_font)
    measured = [(text, run_metrics(Run(text, b, i, c), style), size_pt) for text, b, i, c in runs]
    if not measured:
        measured = [("", font_metrics(font, bold), size_pt)]
    height = max(metrics.line_height(size_pt) for _, metrics, _ in measured)
    return tuple(wrap_runs(measured, width_emu)), height


def paragraph_lines(paragraph: Paragraph, style: TextStyle, width_emu: int) -> list[Line]:
    """Return the wrapped lines of a paragraph in a text area of width_emu."""
    avail = max(1, width_emu - paragraph_indent_emu(paragraph))
    lines, _ = _cached_lines(
        _run_key(paragraph), style.font, style.code_font, style.bold, style.size_pt, avail
    )
    return list(lines)


def paragraph_height(
    paragraph: Paragraph, style: TextStyle, width_emu: int, *, first: bool = False
) -> int:
    """Return the height of one paragraph, with its space before unless it comes first."""
    avail = max(1, width_emu - paragraph_indent_emu(paragraph))
    lines, line_h = _cached_lines(
        _run_key(paragraph), style.font, style.code_font, style.bold, style.size_pt, avail
    )
    height = len(lines) * line_h * style.line_spacing
    if not first:
        height += paragraph.space_before_pt * EMU_PER_PT
    return round(height)


def text_height(paragraphs: Sequence[Paragraph], style: TextStyle, width_emu: int) -> int:
    """Return the height of paragraphs in a text area of width_emu (insets already off)."""
    return sum(
        paragraph_height(p, style, width_emu, first=number == 0)
        for number, p in enumerate(paragraphs)
    )


def line_count(paragraphs: Sequence[Paragraph], style: TextStyle, width_emu: int) -> int:
    """Return how many lines paragraphs take in a text area of width_emu."""
    return sum(len(paragraph_lines(p, style, width_emu)) for p in paragraphs)


def natural_width(paragraphs: Sequence[Paragraph], style: TextStyle) -> int:
    """Return the width of the widest line with no wrapping, indent included (for code)."""
    widest = 0
    for p in paragraphs:
        lines = paragraph_lines(p, style, 1 << 40)
        widest = max(widest, paragraph_indent_emu(p) + max(line.width for line in lines))
    return widest


Inset = int | tuple[int, int, int, int]


def fits(
    paragraphs: Sequence[Paragraph],
    style: TextStyle,
    box_w: int,
    box_h: int,
    inset: Inset | None = DEFAULT_INSET_EMU,
) -> bool:
    """Return whether paragraphs fit a box; inset is one value or (left, top, right, bottom).

    Text fits when its height is within the box minus its insets and no line
    is wider than the text area (only a single oversized character can be).
    """
    left, top, right, bottom = (
        (inset, inset, inset, inset) if isinstance(inset, int) else (inset or (0, 0, 0, 0))
    )
    width = box_w - left - right
    if width <= 0:
        return False
    if text_height(paragraphs, style, width) > box_h - top - bottom:
        return False
    return all(
        line.width <= width - paragraph_indent_emu(p)
        for p in paragraphs
        for line in paragraph_lines(p, style, width)
    )
