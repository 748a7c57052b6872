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
    code, stdout, stderr = run_cli("build", content, "-f", "md", "-o", "out/talk.md", *args,
                                   cwd=project)
    assert code == 0, stderr
    assert re.fullmatch(r"out/talk\.md  \d+ slides  \d+\.\d\d s\n", stdout)
    return (project / "out" / "talk.md").read_text(encoding="utf-8")


def test_every_slide_kind_becomes_its_markdown_section(run_cli, project):
    every_kind_project(project)
    assert build_md(run_cli, project) == EXPECTED


def test_speaker_notes_appear_only_with_with_notes(run_cli, project):
    every_kind_project(project)
    assert "Welcome everyone" not in build_md(run_cli, project)
    article = build_md(run_cli, project, "--with-notes")
    assert "> **Speaker notes:** Welcome everyone.\n" in article
    assert ("> **Speaker notes:** First paragraph of notes.\n>\n> Second paragraph.\n"
            in article)


def test_markdown_characters_in_plain_text_are_escaped(run_cli, project):
    write(project / "talk.yaml", textwrap.dedent("""\
        title: Escapes
        slides:
          - kind: bullets
            title: "# Not a heading"
            bullets:
              - "2 * 3 = 6, <b> is not HTML, snake_case and _emphasis_ stay text"
              - "- not a nested list"
        """))
    article = build_md(run_cli, project)
    assert "## \\# Not a heading\n" in article
    assert ("- 2 \\* 3 = 6, \\<b> is not HTML, snake_case and \\_emphasis\\_ stay text\n"
            in article)
    assert "- \\- not a nested list\n" in article


def test_long_table_and_code_stay_whole_without_continuation(run_cli, project):
    rows = "".join(f"      - [row {n}, value {n}]\n" for n in range(60))
    code = "".join(f"      x_{n} = {n}\n" for n in range(80))
    write(project / "talk.yaml", f"title: Long\nslides:\n  - kind: table\n    title: Rows\n"
          f"    header: [Row, Value]\n    rows:\n{rows}"
          f"  - kind: code\n    title: Lines\n    language: python\n    source: |\n{code}")
    article = build_md(run_cli, project)
    assert article.count("## Rows") == 1 and article.count("## Lines") == 1
    assert "(1/" not in article
    assert all(f"| row {n} | value {n} |" in article for n in range(60))
    assert all(f"\nx_{n} = {n}\n" in article for n in range(80))


def test_md_and_pptx_build_together(run_cli, project):
    write(project / "talk.yaml", "title: Both\nslides:\n  - kind: title\n")
    code, stdout, stderr = run_cli("build", "talk.yaml", "-f", "pptx", "-f", "md", "-o", "out",
                                   cwd=project)
    assert code == 0, stderr
    assert [line.split()[0] for line in stdout.splitlines()] == ["out/talk.pptx", "out/talk.md"]
    assert (project / "out" / "talk.md").read_text() == "# Both\n"


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
