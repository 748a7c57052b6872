"""`-f md`: the talk as a Markdown article, from the same YAML as the deck."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from conftest import BUNDLED, ROOT, write
from test_bundled_deck import TLDR_CELLS

EVERY_KIND = """\
title: The **Talk**
subtitle: A subtitle
author: Ada
date: 2026-11-26
slides:
  - kind: title
    notes: Welcome everyone.
  - kind: bullets
    title: Points
    bullets:
      - "**bold**, *italic*, `code` and [a link](https://example.com/a)"
      - Parent:
          - Child
          - Grandparents:
              - Grandchild
    notes: |-
      First paragraph of notes.

      Second paragraph.
  - kind: section
    title: Part one
    subtitle: Where it starts
  - kind: table
    title: Table
    header: [Name, "Pipe | inside"]
    rows:
      - [a, "x | y"]
  - kind: code
    title: Code
    language: python
    source: |
      print("hi")
    caption: Say hi.
  - kind: statement
    text: Remember *this*.
  - kind: image
    title: Picture
    src: images/box.png
    alt: A red box
    caption: The box.
  - kind: comparison
    title: Two sides
    left: {heading: Left, text: Plain words}
    right:
      heading: Right
      code: {language: sql, source: "SELECT 1;"}
  - kind: closing
    title: Questions?
"""

EXPECTED = """\
# The **Talk**

*A subtitle*

Ada · 26 November 2026

## Points

- **bold**, *italic*, `code` and [a link](https://example.com/a)
- Parent
    - Child
    - Grandparents
        - Grandchild

## Part one

Where it starts

### Table

| Name | Pipe \\| inside |
| --- | --- |
| a | x \\| y |

### Code

```python
print("hi")
```

*Say hi.*

> Remember *this*.

### Picture

![A red box](../images/box.png)

*The box.*

### Two sides

#### Left

Plain words

#### Right

```sql
SELECT 1;
```

## Questions?
"""


def every_kind_project(project: Path) -> Path:
    from PIL import Image

    (project / "images").mkdir()
    Image.new("RGB", (40, 20), "red").save(project / "images" / "box.png")
    return write(project / "talk.yaml", EVERY_KIND)


def build_md(run_cli, project: Path, *args: str, content: str = "talk.yaml") -> str:
    code, stdout, stderr = run_cli(
        "build", content, "-f", "md", "-o", "out/talk.md", *args, cwd=project
    )
    assert code == 0, stderr
    assert re.fullmatch(r"out/talk\.md  \d+ slides  \d+\.\d\d s\n", stdout)
    return without_record((project / "out" / "talk.md").read_text(encoding="utf-8"))


def without_record(article: str) -> str:
    """Return the article without the fingerprint comment that ends it (see test_sync)."""
    body, record = article.rsplit("\n<!-- deckwright-fingerprint ", 1)
    assert record.endswith(" -->\n") and record.count("\n") == 1
    return body


def test_every_slide_kind_becomes_its_markdown_section(run_cli, project):
    every_kind_project(project)
    assert build_md(run_cli, project) == EXPECTED


def test_speaker_notes_appear_only_with_with_notes(run_cli, project):
    every_kind_project(project)
    assert "Welcome everyone" not in build_md(run_cli, project)
    article = build_md(run_cli, project, "--with-notes")
    # Notes are prose the speaker says, not a quote: quotes are statement slides.
    assert "\n\n*Speaker notes:* Welcome everyone.\n\n" in article
    assert "\n\n*Speaker notes:* First paragraph of notes.\n\nSecond paragraph.\n\n" in article


def test_markdown_characters_in_plain_text_are_escaped(run_cli, project):
    write(
        project / "talk.yaml",
        textwrap.dedent("""\
        title: Escapes
        slides:
          - kind: bullets
            title: "# Not a heading"
            bullets:
              - "2 * 3 = 6, <b> is not HTML, snake_case and _emphasis_ stay text"
              - "- not a nested list"
        """),
    )
    article = build_md(run_cli, project)
    assert "## # Not a heading\n" in article  # a heading's text starts no block
    assert "- 2 \\* 3 = 6, \\<b> is not HTML, snake_case and \\_emphasis\\_ stay text\n" in article
    assert "- \\- not a nested list\n" in article


def test_only_a_line_start_that_would_start_a_block_is_escaped(run_cli, project):
    write(
        project / "talk.yaml",
        textwrap.dedent("""\
        title: Numbers
        slides:
          - kind: table
            title: "Scores #1"
            header: ["# runs", "1. place"]
            rows:
              - ["6.1 %", "- 3 points"]
          - kind: statement
            text: "2026. The year"
          - kind: statement
            text: "6.1 % of 2 - 1 = 1 # not"
          - kind: statement
            text: "#hashtag, > 1 and - 1 start blocks"
        """),
    )
    article = build_md(run_cli, project)
    # Inside a table cell nothing starts a block: the cells are written as they are.
    assert "| # runs | 1. place |\n| --- | --- |\n| 6.1 % | - 3 points |\n" in article
    assert "## Scores #1\n" in article
    assert "> 2026\\. The year\n" in article  # the dot escaped: "\\2026" would show
    assert "> 6.1 % of 2 - 1 = 1 # not\n" in article
    assert "> #hashtag, > 1 and - 1 start blocks\n" in article


def test_a_heading_keeps_its_closing_hashes(run_cli, project):
    write(
        project / "talk.yaml",
        "title: Langs\nslides:\n  - kind: bullets\n    title: 'C #'\n    bullets: [x]\n",
    )
    assert "## C \\#\n" in build_md(run_cli, project)


def test_code_from_a_file_is_captioned_with_its_source(run_cli, project):
    write(
        project / "snippets" / "demo.py",
        textwrap.dedent("""\
        # [start:main]
        def main():
            return 1
        # [end:main]


        def helper():
            return 2
        """),
    )
    write(
        project / "talk.yaml",
        textwrap.dedent("""\
        title: Sources
        slides:
          - {kind: code, title: Region, language: python, file: snippets/demo.py,
             region: main, caption: The entry point.}
          - {kind: code, title: Symbol, language: python, file: snippets/demo.py,
             symbol: helper}
          - {kind: code, title: Lines, language: python, file: snippets/demo.py,
             lines: 2-3}
          - {kind: code, title: Whole, language: python, file: snippets/demo.py}
          - {kind: code, title: Inline, language: python, source: "x = 1"}
        """),
    )
    article = build_md(run_cli, project)
    assert "```\n\n*From `snippets/demo.py`, region `main`.*\n\n*The entry point.*\n" in article
    assert "```\n\n*From `snippets/demo.py`, symbol `helper`.*\n" in article
    assert "```\n\n*From `snippets/demo.py`, lines `2-3`.*\n" in article
    assert "```\n\n*From `snippets/demo.py`.*\n" in article
    assert article.count("*From ") == 4  # code written in the content has no source


def test_the_article_is_named_after_the_content_alone(run_cli, project):
    write(project / "talk.yaml", "title: Named\nslides:\n  - kind: title\n")
    code, stdout, stderr = run_cli(
        "build", "talk.yaml", "-f", "md", "-f", "pptx", "-t", "dark", "-o", "out", cwd=project
    )
    assert code == 0, stderr
    # The theme shapes the deck, not the article.
    assert sorted(p.name for p in (project / "out").iterdir()) == ["talk-dark.pptx", "talk.md"]


def test_long_table_and_code_stay_whole_without_continuation(run_cli, project):
    rows = "".join(f"      - [row {n}, value {n}]\n" for n in range(60))
    code = "".join(f"      x_{n} = {n}\n" for n in range(80))
    write(
        project / "talk.yaml",
        f"title: Long\nslides:\n  - kind: table\n    title: Rows\n"
        f"    header: [Row, Value]\n    rows:\n{rows}"
        f"  - kind: code\n    title: Lines\n    language: python\n    source: |\n{code}",
    )
    article = build_md(run_cli, project)
    assert article.count("## Rows") == 1 and article.count("## Lines") == 1
    assert "(1/" not in article
    assert all(f"| row {n} | value {n} |" in article for n in range(60))
    assert all(f"\nx_{n} = {n}\n" in article for n in range(80))


def test_md_and_pptx_build_together(run_cli, project):
    write(project / "talk.yaml", "title: Both\nslides:\n  - kind: title\n")
    code, stdout, stderr = run_cli(
        "build", "talk.yaml", "-f", "pptx", "-f", "md", "-o", "out", cwd=project
    )
    assert code == 0, stderr
    assert [line.split()[0] for line in stdout.splitlines()] == ["out/talk.pptx", "out/talk.md"]
    assert without_record((project / "out" / "talk.md").read_text()) == "# Both\n"


def table_cells(article: str) -> set[str]:
    """Return every cell of every pipe table, with the Markdown code marks removed."""
    cells = set()
    for line in article.splitlines():
        if line.startswith("| ") and line.endswith(" |"):
            for cell in re.split(r"(?<!\\) \| ", line[2:-2]):
                cells.add(cell.replace("`", "").replace("\\|", "|"))
    return cells


def snippet_regions() -> list[list[str]]:
    """Return the lines of every region of the bundled deck's snippets, dedented."""
    regions = []
    for path in sorted((ROOT / "content" / "snippets").glob("*.py")):
        inside: list[str] | None = None
        for line in path.read_text().splitlines():
            if line.startswith("# [start:"):
                inside = []
            elif line.startswith("# [end:"):
                regions.append(textwrap.dedent("\n".join(inside or [])).splitlines())
                inside = None
            elif inside is not None:
                inside.append(line)
    return regions


def test_bundled_deck_article_has_every_tldr_cell_and_every_code_line(run_cli, tmp_path):
    out = tmp_path / "article.md"
    code, _, stderr = run_cli("build", BUNDLED, "-f", "md", "-o", out)
    assert code == 0, stderr
    article = out.read_text(encoding="utf-8")
    missing = [cell for cell in TLDR_CELLS if cell not in table_cells(article)]
    assert not missing, f"TL;DR cells missing from the article: {missing}"
    regions = snippet_regions()
    assert len(regions) == 5
    for region in regions:
        # Each region is one fenced block, line for line, blank lines included.
        assert "\n".join(region) + "\n```" in article, region[0]


def to_html(article: str) -> str:
    """Return the article as HTML: pandoc's GitHub Markdown when it is installed, else
    markdown-it-py's CommonMark with tables (the dev extras install it)."""
    import shutil
    import subprocess

    if shutil.which("pandoc"):
        return subprocess.run(
            ["pandoc", "-f", "gfm", "-t", "html"],
            input=article,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(article)


def test_bundled_article_reads_as_an_article_in_html(run_cli, tmp_path):
    import html

    out = tmp_path / "article.md"
    code, _, stderr = run_cli("build", BUNDLED, "-f", "md", "-o", out, "--with-notes")
    assert code == 0, stderr
    page = to_html(out.read_text(encoding="utf-8"))
    words = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "\\" not in words, "a stray backslash shows in the article"
    cells = {
        html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", page, re.S)
    }
    missing = [cell for cell in TLDR_CELLS if cell not in cells]
    assert not missing, f"TL;DR cells not shown as written: {missing}"
    blocks = re.findall(r"</code></pre>\s*<p>(.*?)</p>", page, re.S)
    assert len(blocks) == 5 and all(b.startswith("<em>From <code>snippets/") for b in blocks)
    assert "<em>From <code>snippets/ml_eval.py</code>, region <code>metrics</code>.</em>" in page
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", page, re.S)
    assert quotes and not any("Speaker notes" in quote for quote in quotes)
    assert page.count("<p><em>Speaker notes:</em> ") >= 10
