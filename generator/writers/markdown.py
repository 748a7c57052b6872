"""The talk as a Markdown article, written from the Deck (not the plan).

The article opens with the title and an intro (subtitle, author, date); every
slide becomes a section under its own heading. A section slide is a `##`
heading and the slides after it sit one level below (`###`); before the first
section slide, slides are `##`. Tables are pipe tables, bullets nest, code is
a fenced block with its language, statements are quotes, pictures are
`![alt](path)` relative to the article, and the two columns of a comparison
are subsections. Speaker notes are included only when asked for.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import Any, Optional

from generator.model.inline import Run

# Underscores only count as emphasis at a word's edge: snake_case stays readable.
_ESCAPE = re.compile(r"([\\`*\[\]<]|(?<!\w)_|_(?!\w))")
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def deck_markdown(deck: Any, path: Optional[Path] = None, *, with_notes: bool = False) -> str:
    """Return the article for a deck; image links are relative to path's folder."""
    folder = (path.parent if path is not None else Path.cwd()).resolve()
    writer = Article(folder, with_notes)
    writer.intro(deck)
    for slide in deck.slides:
        writer.slide(slide)
    return "\n\n".join(block.rstrip() for block in writer.blocks if block.strip()) + "\n"


# Inline markup ---------------------------------------------------------------------------


def escape(text: str) -> str:
    """Return plain text with the characters Markdown would read as markup escaped."""
    text = _ESCAPE.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)


def inline(runs: list[Run], *, table: bool = False) -> str:
    """Return runs as inline Markdown: **bold**, *italic*, `code`, [label](url)."""
    out: list[str] = []
    for index, run in enumerate(runs):
        text = run.text.replace("\n", " ")
        if run.code:
            piece = _code_span(text)
        else:  # only the first run can start a line, and so look like a list or heading
            piece = escape(text) if index == 0 else _ESCAPE.sub(r"\\\1", text)
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
    lead = piece[:len(piece) - len(piece.lstrip())]
    trail = piece[len(piece.rstrip()):]
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
        self.add("#" * min(level, 6) + " " + inline(runs))

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
        lines = notes.strip().splitlines()
        quoted = ["> **Speaker notes:** " + escape(lines[0])]
        quoted += ["> " + escape(line) if line.strip() else ">" for line in lines[1:]]
        self.add("\n".join(quoted))

    def quote(self, runs: list[Run]) -> None:
        self.add("> " + inline(runs))

    def text(self, value: Any) -> None:
        if value is not None:
            self.add(inline(value.runs))

    def caption(self, value: Any) -> None:
        """Add value in italics, unless it sets bold or italics of its own."""
        if value is not None:
            self.add(f"*{inline(value.runs)}*" if not _has_emphasis(value.runs)
                     else inline(value.runs))

    def bullets(self, items: list, depth: int = 0) -> None:
        self.add("\n".join(_bullet_lines(items, depth)))

    def code(self, block: Any) -> None:
        self.add(fenced(block.source, block.language))

    def image(self, picture: Any) -> None:
        target = os.path.relpath(picture.path, self.folder)
        target = PurePosixPath(Path(target)).as_posix()
        if re.search(r"[\s()<>]", target):
            target = f"<{target}>"
        alt = _ESCAPE.sub(r"\\\1", picture.alt.replace("\n", " "))
        self.add(f"![{alt}]({target})")

    def table(self, header: list, rows: list) -> None:
        lines = ["| " + " | ".join(inline(c.runs, table=True) for c in header) + " |",
                 "|" + "|".join(" --- " for _ in header) + "|"]
        for row in rows:
            cells = [inline(c.runs, table=True) for c in row]
            cells += [""] * (len(header) - len(cells))
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


def _has_emphasis(runs: list[Run]) -> bool:
    return any(run.bold or run.italic for run in runs)


def _bullet_lines(items: list, depth: int) -> list[str]:
    lines = []
    for item in items:
        lines.append("    " * depth + "- " + inline(item.text.runs))
        lines += _bullet_lines(item.children, depth + 1)
    return lines
