"""Wrap and measure paragraphs the way PowerPoint and LibreOffice lay them out.

Lines break at spaces; spaces at the end of a line hang past the edge and do
not count. A line may also break after a hyphen inside a word, and between
any two ideographic characters, except before closing punctuation and after
opening punctuation (kinsoku; closing "、。" may hang past the edge). A word
wider than the whole line is broken between characters instead of running out
of the box. "\\n" (or "\\v", "\\r\\n") in a run is a line break inside the
paragraph, as ``<a:br/>`` is (code uses it).

URL-like tokens (with a slash) are where LibreOffice is least predictable: it
breaks them between characters, after slashes, or both, depending on context.
A paragraph with one is wrapped all three ways and the most lines win.

Widths are design advances without kerning, so a measured line is never
narrower than the drawn one; lines wrap ``WRAP_SAFETY`` short of the width
because LibreOffice rounds glyph advances (up to +-1 % per glyph, measured).

Heights: every line is ``line_height * style.line_spacing`` (PowerPoint scales
the whole line pitch, first line included); the tallest font in a paragraph
sets its line height. Every paragraph but the first adds its
``space_before_pt``: PowerPoint and LibreOffice both ignore space before the
first paragraph of a text box (measured with LibreOffice 7.4).

Bullet indents (the pptx writer must use the same numbers): a bullet paragraph
at level L has its text at ``BULLET_INDENT_EMU[L]`` from the left inset
(``marL``), and its marker hangs ``BULLET_MARKER_EMU`` to the left of the text
(``indent = -BULLET_MARKER_EMU``). A paragraph with level > 0 but no bullet is
indented by ``level * BULLET_LEVEL_STEP_EMU`` (``indent = 0``). Every line of a
paragraph wraps at the text width minus that indent.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.layout.fonts import FontMetrics, font_metrics
from generator.layout.plan import Paragraph, TextStyle
from generator.model.geometry import EMU_PER_PT, inches
from generator.model.inline import Run

#: Room for a bullet marker: the hanging indent of a bullet paragraph (0.3 in).
BULLET_MARKER_EMU = inches(0.3)
#: Extra indent per nesting level (0.35 in).
BULLET_LEVEL_STEP_EMU = inches(0.35)
#: Text indent (``marL``) of a bullet paragraph at levels 0-8.
BULLET_INDENT_EMU: tuple[int, ...] = tuple(
    BULLET_MARKER_EMU + level * BULLET_LEVEL_STEP_EMU for level in range(9)
)
#: Wrap this fraction short of the width. LibreOffice rounds each glyph advance
#: (up to +-1 %), so a line that fits by a hair in our sums can wrap there; 0.4 %
#: left 1 short line count in 750 random boxes, against 3 with 0.2 %.
WRAP_SAFETY = 0.004
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
_TOKEN = re.compile(rf"(\r\n|[\n\r\v])|([{_SPACES}]+)|([{_CJK}])|([^\n\r\v{_SPACES}{_CJK}]+)")
# Break opportunities inside a word: after a hyphen between a letter/digit and a
# letter (slashes make a word URL-like, see _URL_BREAK).
_WORD_BREAK = re.compile(r"(?<=[\w)][-\u2010])(?=[^\W\d_])")
# In a URL-like token (it has a slash): after a slash not followed by another, and
# after a hyphen as in a word.
_URL_BREAK = re.compile(r"(?<=/)(?=[^/])|(?<=[\w)]-)(?=[^\W\d_])")
# Kinsoku: characters that may not start a line, and ones that may not end it.
_NO_START = set(
    "、。，．・：；？！ー）」』】〕〉》〙〗｝］’”ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〻"
    ".,;:!?)]}%"
)
_NO_END = set("（「『【〔〈《〘〖｛［‘“([{")


@dataclass(frozen=True)
class Line:
    """One laid-out line: its text and its width in EMU, hanging spaces excluded.

    The text is for display and tests: runs of spaces inside it may be collapsed.
    """

    text: str
    width: int


# Break rule in front of an atom.
_GLUE, _BREAK, _SOFT = 0, 1, 2  # _SOFT: a break inside a URL-like token

# An atom is an unbreakable piece of a run, as a plain tuple because the
# benchmark builds millions of them:
#   (text, width in EMU, metrics, size, break rule, forced break before, URL group or -1,
#    is spaces)
_Atom = tuple[str, float, FontMetrics, float, int, bool, int, bool]

_SPACE_CHARS = "".join(chr(c) for c in (0x20, 0x09, 0x1680, 0x205F, 0x3000)) + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
# Closing punctuation that may hang past the right edge (LibreOffice and PowerPoint
# both allow hanging punctuation in East Asian text by default).
_HANGING = frozenset("、。，．")


def _split_word(word: str) -> tuple[list[str], bool]:
    """Split a word at its break opportunities; return the pieces and whether it is URL-like."""
    if "/" in word:
        return _URL_BREAK.split(word), True
    if "-" in word or "\u2010" in word:
        return _WORD_BREAK.split(word), False
    return [word], False


def _atoms(runs: Sequence[tuple[str, FontMetrics, float]]) -> list[_Atom]:
    """Split runs into measured atoms that carry their break opportunities."""
    atoms: list[_Atom] = []
    append = atoms.append
    prev_kind = "start"  # start, space, cjk, word
    prev_char = ""
    forced = False
    groups = 0
    for text, metrics, size in runs:
        units = metrics.units
        for newline, spaces, cjk, word in _TOKEN.findall(text):
            if newline:
                if forced or not atoms:  # an empty line before this break
                    append(("", 0.0, metrics, size, _BREAK, forced, -1, False))
                forced = True
                prev_kind, prev_char = "start", ""
            elif spaces:
                append((spaces, units(spaces) * size, metrics, size, _GLUE, forced, -1, True))
                forced = False
                prev_kind = "space"
            elif cjk:
                can = prev_kind == "space" or (
                    prev_kind != "start" and cjk not in _NO_START and prev_char not in _NO_END
                )
                brk = _BREAK if can else _GLUE
                append((cjk, units(cjk) * size, metrics, size, brk, forced, -1, False))
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
                    append((piece, units(piece) * size, metrics, size, brk, forced, group, False))
                    forced = False
                prev_kind, prev_char = "word", word[-1]
    if forced:
        # A trailing line break still opens an (empty) last line.
        append(("", 0.0, runs[-1][1], runs[-1][2], _BREAK, True, -1, False))
    return atoms


class _Word:
    """Atoms between two break opportunities; spaces at its end hang."""

    __slots__ = ("atoms", "forced", "soft", "group", "ink", "total", "hang", "group_ink")

    def __init__(self, forced: bool, soft: bool, group: int) -> None:
        self.atoms: list[_Atom] = []
        self.forced = forced  # a line break comes before it
        self.soft = soft  # the break before it is inside a URL-like token
        self.group = group
        self.ink = 0.0  # width without trailing spaces
        self.total = 0.0  # width with trailing spaces
        self.hang = 0.0  # width of closing punctuation that may hang past the edge
        self.group_ink = 0.0  # on a URL-like token's first piece: the whole token's ink


def _words(runs: Sequence[tuple[str, FontMetrics, float]]) -> list[_Word]:
    """Group atoms into words at their break opportunities."""
    words: list[_Word] = []
    current: _Word | None = None
    firsts: dict[int, _Word] = {}
    for atom in _atoms(runs):
        text, width, _, _, brk, forced, group, is_space = atom
        if current is None or brk or forced:
            current = _Word(forced, brk == _SOFT, group)
            words.append(current)
        current.atoms.append(atom)
        current.total += width
        if not is_space and text:
            current.ink = current.total
            current.hang = width if text in _HANGING else 0.0
        if group >= 0:
            firsts.setdefault(group, current).group_ink += width
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
            parts.extend(atom[0] for atom in word.atoms)
            if word.ink:
                ink = width + word.ink
            width += word.total
            continue
        # Wider than what is left: break between characters, filling each line.
        for text, _, metrics, size, *_ in word.atoms:
            table = metrics.widths
            for ch in text:
                w = table[ch] * size
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
    avail = width_emu * (1 - WRAP_SAFETY)
    simple = _wrap_simple(runs, avail)
    if simple is not None:
        return simple
    words = _words(runs)
    if not any(word.soft for word in words):
        return _wrap(words, avail, "none")
    layouts = [_wrap(words, avail, mode) for mode in ("none", "all", "later")]
    return max(layouts, key=len)


# Text the fast path can take: printable Latin-ish text with plain spaces only.
_SIMPLE_TOKEN = re.compile(r"([^ ]+)( *)")
_NOT_SIMPLE = re.compile(rf"[\n\r\v\t\-/\u2010\u1680\u2000-\u200a\u205f{_CJK}]")


def _wrap_simple(runs: Sequence[tuple[str, FontMetrics, float]], avail: float) -> list[Line] | None:
    """Wrap plain words separated by spaces quickly; None when the general path is needed.

    This is the common case (bullets, titles, table cells), and the general
    path gives the same lines for it; the split keeps the benchmark fast.
    """
    texts: list[str] = []
    inks: list[float] = []
    gaps: list[float] = []  # width of the spaces after each word
    prev_text = ""
    for text, metrics, size in runs:
        if not text:
            continue
        if _NOT_SIMPLE.search(text):
            return None
        if text[0] == " ":
            if not texts:
                return None  # leading spaces are part of the first line
            gaps[-1] += metrics.units(text[: len(text) - len(text.lstrip(" "))]) * size
        elif prev_text and prev_text[-1] != " ":
            return None  # a word spans two runs
        prev_text = text
        units = metrics.units
        space = metrics.widths[" "] * size
        for word, spaces in _SIMPLE_TOKEN.findall(text):
            texts.append(word)
            inks.append(units(word) * size)
            gaps.append(len(spaces) * space)
    if not texts or max(inks) > avail:
        return None  # nothing to wrap, or a word needs breaking between characters
    lines: list[Line] = []
    start = 0
    width = ink = 0.0
    for index, word_ink in enumerate(inks):
        if width and width + word_ink > avail:
            lines.append(Line(" ".join(texts[start:index]), round(ink)))
            start, width = index, 0.0
        ink = width + word_ink
        width = ink + gaps[index]
    lines.append(Line(" ".join(texts[start:]), round(ink)))
    return lines


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
