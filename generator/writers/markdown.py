"""The talk as a Markdown article, written from the Deck (not the plan).

The article opens with the title and an intro (subtitle, author, date); every
slide becomes a section under its own heading. A section slide is a `##`
heading and the slides after it sit one level below (`###`); before the first
section slide, slides are `##`. Tables are pipe tables, bullets nest, code is
a fenced block with its language, statements are quotes, pictures are
`![alt](path)` relative to the article, and the two columns of a comparison
are subsections. Code read from a file is followed by a caption naming the file
and the part shown. Speaker notes are included only when asked for, as plain
paragraphs (a quote is what statement slides are). Only what Markdown would read
as markup is escaped: a line-start marker only where a block could start.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import Any, Optional

from generator.model.inline import Run

# Underscores only count as emphasis at a word's edge: snake_case stays readable.
_ESCAPE = re.compile(r"([\\`*\[\]<]|(?<!\w)_|_(?!\w))")
# What starts a block only at the start of a line (a paragraph, list item or quote):
# a heading, a quote, a list marker followed by a space, a rule or setext underline,
# a ~~~ fence. "6.1 %" is not a list, "2026. The year" is; the "." is escaped then,
# as a backslash before a digit would show.
_BLOCK_START = re.compile(
    r"^(?P<lead>\s*)(?:(?P<mark>#{1,6}(?=\s|$)|>|[-+](?=\s|$)|~~~|=+\s*$|-(?=[-\s]*$))"
    r"|(?P<digits>\d{1,9})(?P<after>[.)])(?=\s|$))"
)


def deck_markdown(deck: Any, path: Optional[Path] = None, *, with_notes: bool = False) -> str:
    """Return the article for a deck; image links are relative to path's folder."""
    folder = (path.parent if path is not None else Path.cwd()).resolve()
    writer = Article(folder, with_notes)
    writer.intro(deck)
    for slide in deck.slides:
        writer.slide(slide)
    return "\n\n".join(block.rstrip() for block in writer.blocks if block.strip()) + "\n"


# Inline markup ---------------------------------------------------------------------------


def escape(text: str, *, starts_block: bool = True) -> str:
    """Return plain text with the characters Markdown would read as markup escaped.

    With starts_block, text begins a paragraph, list item or quote, so a leading
    `#`, `>`, `- `, `1. ` and the like are escaped too; elsewhere (a table cell, a
    heading's text, after other text) they are only text.
    """
    text = _ESCAPE.sub(r"\\\1", text)
    return _BLOCK_START.sub(_escape_block_start, text, count=1) if starts_block else text


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group("digits") is not None:
        return match.group("lead") + match.group("digits") + "\\" + match.group("after")
    return match.group("lead") + "\\" + match.group("mark")


def inline(runs: list[Run], *, table: bool = False, starts_block: bool = True) -> str:
    """Return runs as inline Markdown: **bold**, *italic*, `code`, [label](url).

    A table cell never starts a block; starts_block=False says the same of other text.
    """
    out: list[str] = []
    for index, run in enumerate(runs):
        text = run.text.replace("\n", " ")
        if run.code:
            piece = _code_span(text)
        else:  # only the first run can start a line, and so look like a list or heading
            piece = escape(text, starts_block=starts_block and not table and index == 0)
        piece = _emphasis(piece, run.bold, run.italic)
        if run.link:
            url = run.link if not re.search(r"[\s()<>]", run.link) else f"<{run.link}>"
            piece = f"[{piece}]({url})"
        out.append(piece)
    text = "".join(out)
    return text.replace("|", "\\|") if table else text


def _code_span(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _emphasis(piece: str, bold: bool, italic: bool) -> str:
    marker = "***" if bold and italic else "**" if bold else "*" if italic else ""
    if not marker or not piece.strip():
        return piece
    # Markers must touch the text: "** word**" is not emphasis, so spaces go outside.
    lead = piece[: len(piece) - len(piece.lstrip())]
    trail = piece[len(piece.rstrip()) :]
    return f"{lead}{marker}{piece.strip()}{marker}{trail}"


def fenced(source: str, language: str) -> str:
    """Return code as a fenced block, the fence longer than any backtick run inside."""
    longest = max((len(m) for m in re.findall(r"^\s*(`{3,})", source, re.M)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{source.rstrip(chr(10))}\n{fence}"


# Blocks ----------------------------------------------------------------------------------


class Article:
    """Collects the article's blocks (paragraphs, lists, tables, code) in order.

    Each slide kind adds itself (Slide.markdown) with the methods below.
    """

    def __init__(self, folder: Path, with_notes: bool):
        self.folder = folder
        self.with_notes = with_notes
        self.blocks: list[str] = []
        self.level = 2  # heading level of a slide; 3 after a section slide

    def add(self, block: str) -> None:
        self.blocks.append(block)

    def heading(self, level: int, runs: list[Run]) -> None:
        text = inline(runs, starts_block=False)
        # A heading's closing #s are dropped: "## C #" would read as "C".
        text = re.sub(r"(\s)(#+\s*)$", lambda m: m.group(1) + "\\" + m.group(2), text)
        self.add("#" * min(level, 6) + " " + text)

    def intro(self, deck: Any) -> None:
        self.heading(1, deck.title.runs)
        self.caption(deck.subtitle)  # in italics, as a caption is
        byline = [escape(deck.author.plain)] if deck.author is not None else []
        if deck.date is not None:
            byline.append(f"{deck.date.day} {deck.date:%B %Y}")
        if byline:
            self.add(" · ".join(byline))

    def slide(self, slide: Any) -> None:
        slide.markdown(self)
        if self.with_notes and getattr(slide, "notes", None):
            self.notes(slide.notes)

    def notes(self, notes: str) -> None:
        """Add speaker notes as plain paragraphs, the first led by an italic label.

        Notes are prose the speaker says, not a quote: blank lines separate paragraphs.
        """
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", notes.strip()) if p.strip()]
        for index, paragraph in enumerate(paragraphs):
            lines = [escape(line.strip()) for line in paragraph.splitlines()]
            if index == 0:
                lines[0] = "*Speaker notes:* " + escape(
                    paragraph.splitlines()[0].strip(), starts_block=False
                )
            self.add("\n".join(lines))

    def quote(self, runs: list[Run]) -> None:
        self.add("> " + inline(runs))

    def text(self, value: Any) -> None:
        if value is not None:
            self.add(inline(value.runs))

    def caption(self, value: Any) -> None:
        """Add value in italics, unless it sets bold or italics of its own."""
        if value is not None:
            self.add(
                f"*{inline(value.runs)}*" if not _has_emphasis(value.runs) else inline(value.runs)
            )

    def bullets(self, items: list, depth: int = 0) -> None:
        self.add("\n".join(_bullet_lines(items, depth)))

    def code(self, block: Any) -> None:
        """Add a fenced block and, for code read from a file, where it came from."""
        self.add(fenced(block.source, block.language))
        if block.include is not None:
            self.add(source_caption(block.include))

    def image(self, picture: Any) -> None:
        target = os.path.relpath(picture.path, self.folder)
        target = PurePosixPath(Path(target)).as_posix()
        if re.search(r"[\s()<>]", target):
            target = f"<{target}>"
        alt = _ESCAPE.sub(r"\\\1", picture.alt.replace("\n", " "))
        self.add(f"![{alt}]({target})")

    def table(self, header: list, rows: list) -> None:
        lines = [
            "| " + " | ".join(inline(c.runs, table=True) for c in header) + " |",
            "|" + "|".join(" --- " for _ in header) + "|",
        ]
        for row in rows:
            cells = [inline(c.runs, table=True) for c in row]
            cells += [""] * (len(header) - len(cells))
            lines.append("| " + " | ".join(cells) + " |")
        self.add("\n".join(lines))

    def chart(self, data: Any) -> None:
        """Add a chart as what it says (its alt text) and its data as a table."""
        self.add(escape(data.alt))
        header = [Run(""), *(Run(series.name) for series in data.series)]
        lines = [
            "| " + " | ".join(inline([run], table=True) for run in header) + " |",
            "|" + "|".join(" --- " for _ in header) + "|",
        ]
        for index, category in enumerate(data.categories):
            cells = [inline([Run(category)], table=True)]
            cells += [f"{series.values[index]:g}" for series in data.series]
            lines.append("| " + " | ".join(cells) + " |")
        self.add("\n".join(lines))

    def column(self, column: Any) -> None:
        if column.heading is not None:
            self.heading(self.level + 1, column.heading.runs)
        if column.bullets is not None:
            self.bullets(column.bullets)
        elif column.code is not None:
            self.code(column.code)
        elif column.text is not None:
            self.text(column.text)
        elif column.image is not None:
            self.image(column.image)
        elif column.chart is not None:
            self.chart(column.chart)


def source_caption(include: Any) -> str:
    """Return `*From `snippets/ml_eval.py`, region `metrics`.*`, the file as the content names it.

    A line range, symbol or git ref is named the same way; a whole file by its name alone.
    """
    words = [f"From {_code_span(include.file)}"]
    if include.part is not None:
        words.append(f"{include.part[0]} {_code_span(include.part[1])}")
    if include.ref is not None:
        words.append(f"at {_code_span(include.ref)}")
    return "*" + ", ".join(words) + ".*"


def _has_emphasis(runs: list[Run]) -> bool:
    return any(run.bold or run.italic for run in runs)


def _bullet_lines(items: list, depth: int) -> list[str]:
    lines = []
    for item in items:
        lines.append("    " * depth + "- " + inline(item.text.runs))
        lines += _bullet_lines(item.children, depth + 1)
    return lines
