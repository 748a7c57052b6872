"""`-f html`: one self-contained page, drawn from the fitted plan, with every text escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import BUNDLED, needs_soffice, write
from template_fixtures import lo
from test_template import template_theme

from generator.layout import measure
from generator.layout.plan import TableElement, TextElement

HOSTILE = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'

HOSTILE_DECK = f"""\
title: {HOSTILE!r}
subtitle: '<!-- & </style> "quoted" -->'
slides:
  - kind: title
    notes: {("</aside></section><script>window.pwned=3</script>")!r}
  - kind: bullets
    title: 'Bullets <b>bold</b> & friends'
    bullets:
      - {HOSTILE!r}
      - '[a link](https://example.com/?q="><script>window.pwned=4</script>)'
  - kind: code
    title: Code
    language: html
    source: |
      <script>window.pwned = 5</script>
      </script><!--
  - kind: table
    title: Table
    header: ['<th>', '&amp;']
    rows:
      - ['</table><script>window.pwned=6</script>', "it's"]
"""


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def tags(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def test_the_page_is_one_file_that_asks_for_nothing(run_cli, tmp_path):
    code, out, err = run_cli("build", BUNDLED, "-f", "html", "-t", "acme", "-o", tmp_path)
    assert code == 0, err
    page = (tmp_path / f"{BUNDLED.stem}-acme.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in page and "connect-src 'none'" in page
    parsed = tags(page)
    assert "link" not in parsed.tags and "iframe" not in parsed.tags
    assert parsed.tags.count("script") == 1  # deckwright's own, with no deck data in it
    for name, value in parsed.attrs:
        if name == "src":
            assert (value or "").startswith("data:image/"), value[:40] if value else value
    assert "url(" not in page and "@import" not in page
    assert page.count('<section class="slide"') == 22
    assert page.count('class="picture"') == 21  # the logo, on all but the title slide


def test_a_rebuild_gives_the_same_bytes(run_cli, tmp_path):
    for folder in ("a", "b"):
        assert run_cli("build", BUNDLED, "-f", "html", "-o", tmp_path / folder)[0] == 0
    name = f"{BUNDLED.stem}.html"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_hostile_text_reaches_the_page_only_as_text(run_cli, project):
    content = write(project / "talk.yaml", HOSTILE_DECK)
    code, _, err = run_cli("build", content, "-f", "html", "-o", project / "out")
    assert code == 0, err
    page = (project / "out" / "talk.html").read_text(encoding="utf-8")
    parsed = tags(page)
    assert parsed.tags.count("script") == 1
    assert "img" not in parsed.tags  # the <img onerror> of the content stayed text
    assert "window.pwned" in page  # ... escaped, not dropped
    assert "&lt;/script&gt;&lt;script&gt;window.pwned=1" in page
    assert all(not name.startswith("on") for name, _ in parsed.attrs)
    hrefs = [value for name, value in parsed.attrs if name == "href"]
    assert hrefs == ['https://example.com/?q="><script>window.pwned=4</script>']


def test_lines_are_the_fits_lines_and_code_keeps_its_indentation():
    from generator import api
    from generator.writers.html import deck_html, split_lines

    plan = api.prepare(BUNDLED).plan
    checked = 0
    for slide in plan.slides:
        for element in slide.elements:
            if isinstance(element, TextElement):
                boxes = [(element.paragraphs, element.style, element.box.w - 2 * element.inset_emu)]
            elif isinstance(element, TableElement):
                inner = [w - 2 * element.cell_margin_x for w in element.col_widths]
                boxes = [
                    (cell, element.style, width)
                    for row in [element.header, *element.rows]
                    for cell, width in zip(row, inner, strict=True)
                ]
            else:
                continue
            for paragraphs, style, width in boxes:
                for paragraph in paragraphs:
                    expected = measure.paragraph_lines(paragraph, style, width)
                    got = [
                        "".join(run.text for run in line)
                        for line in split_lines(paragraph, style, width)
                    ]
                    assert [re.sub(r"\s+", " ", g.rstrip()) for g in got] == [
                        re.sub(r"\s+", " ", line.text) for line in expected
                    ]
                    checked += 1
    assert checked > 150
    assert ">    msg </span>" in deck_html(plan)  # code keeps its indentation


@needs_soffice
def test_a_template_deck_has_its_layouts_drawn_behind_each_slide(
    tmp_path, template_path, monkeypatch
):
    """LibreOffice draws each layout the deck uses once; the second build reads the cache."""
    monkeypatch.setenv("DECKWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    from generator import api

    theme = template_theme(tmp_path / "vivid", template_path(lo("Vivid")), "extends: default\n")
    out = tmp_path / "talk.html"
    api.build(BUNDLED, theme=str(theme), output=out, formats=["html"])
    page = out.read_text(encoding="utf-8")
    arts = re.findall(r'<img class="art" alt="" src="(data:image/[a-z]+;base64,[^"]+)"', page)
    assert len(arts) == 22
    assert len(set(arts)) >= 2  # the title slide's layout is not the content slides'
    # The pictures come from the cache now: no LibreOffice needed.
    import generator.writers.pdf as pdf

    monkeypatch.setattr(pdf, "soffice", lambda: None)
    again = tmp_path / "again.html"
    api.build(BUNDLED, theme=str(theme), output=again, formats=["html"])
    assert again.read_bytes() == out.read_bytes()


def test_serve_and_html_are_in_the_help(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0 and "serve" in out
    code, out, _ = run_cli("build", "--help")
    assert "html" in out


@pytest.mark.parametrize("bad", ["-1", "70000"])
def test_serve_refuses_a_port_out_of_range(run_cli, bad):
    code, _, err = run_cli("serve", BUNDLED, "--port", bad)
    assert code == 2 and "--port" in err


def test_pictures_are_inline_with_their_alt_text(run_cli, project):
    from generator.specimen import __file__ as specimen

    picture = Path(specimen).with_name("diagram.png")
    (project / "diagram.png").write_bytes(picture.read_bytes())
    content = write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: image\n    src: diagram.png\n"
        "    alt: 'How work <moves> & who \"owns\" it'\n",
    )
    code, _, err = run_cli("build", content, "-f", "html", "-o", project / "out")
    assert code == 0, err
    page = (project / "out" / "talk.html").read_text(encoding="utf-8")
    assert 'alt="How work &lt;moves&gt; &amp; who &quot;owns&quot; it"' in page
    assert re.search(r'class="picture"[^>]*src="data:image/png;base64,', page)


def test_a_template_deck_without_libreoffice_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("DECKWRIGHT_CACHE_DIR", "off")
    from generator import api
    from generator.errors import DeckwrightError
    from generator.writers.pptx_writer import write_pptx

    plan = api.prepare(BUNDLED).plan  # a deck is a template too
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "own.pptx").write_bytes(write_pptx(plan))
    (tmp_path / "t" / "theme.yaml").write_text("name: t\nextends: default\ntemplate: own.pptx\n")
    import generator.writers.pdf as pdf

    monkeypatch.setattr(pdf, "soffice", lambda: None)
    with pytest.raises(DeckwrightError) as raised:
        api.build(BUNDLED, theme=str(tmp_path / "t"), output=tmp_path / "x.html", formats=["html"])
    (line,) = [str(problem) for problem in raised.value.problems]
    assert "needs LibreOffice (soffice)" in line and "apt-get install libreoffice-impress" in line
    assert not (tmp_path / "x.html").exists()


def test_hostile_font_names_in_a_theme_stay_inside_the_style(run_cli, project):
    """A theme's font names reach the page only inside style attributes, escaped."""
    write(
        project / "themes" / "evil" / "theme.yaml",
        "name: evil\nextends: default\nfonts:\n"
        "  heading: \"x' onmouseover='window.pwned=1\"\n"
        '  body: \'A"B<c> onclick="window.pwned=2"\'\n'
        '  code: "M}</style><script>window.pwned=3</script>"\n',
    )
    content = write(
        project / "talk.yaml",
        "title: T\ntheme: evil\nslides:\n  - kind: bullets\n    title: B\n    bullets: [a]\n"
        "  - kind: code\n    title: C\n    language: python\n    source: x = 1\n",
    )
    code, _, err = run_cli("build", content, "-f", "html", "-o", project / "out")
    assert code == 0, err
    parsed = tags((project / "out" / "talk.html").read_text(encoding="utf-8"))
    assert parsed.tags.count("script") == 1
    assert all(not name.startswith("on") for name, _ in parsed.attrs)
    families = [v for n, v in parsed.attrs if n == "style" and v and "font-family" in v]
    assert any("'x onmouseover=window.pwned=1'" in v for v in families)
