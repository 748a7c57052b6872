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
from generator.layout.plan import ChartElement, TableElement, TextElement

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
    slides = re.findall(r'<section class="slide"', page)
    assert len(slides) >= 22 and len(arts) == len(slides)  # every slide has its artwork
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


ALL_HANDS = BUNDLED.parent / "examples" / "all-hands.yaml"
CHART_TYPES = ("column", "bar", "stacked-column", "stacked-bar", "line", "pie", "doughnut")
HOSTILE_SERIES = "</svg><script>window.pwned=7</script>"


def _chart_deck() -> str:
    """A deck with a chart of every type; names and labels with markup in them."""
    slides = []
    for kind in CHART_TYPES:
        series = [f"{{name: {HOSTILE_SERIES!r}, values: [30, 50, 20]}}"]
        if kind not in ("pie", "doughnut"):
            series.append("{name: 'Q & A \"team\"', values: [12, 8, 40]}")
        slides.append(
            f"  - kind: chart\n    title: {kind}\n    type: {kind}\n"
            f"    categories: ['<b>North</b>', South, 'East & West']\n"
            f"    series: [{', '.join(series)}]\n    number_format: '0\"%\"'\n"
            f"    alt: 'The {kind} chart <shows> \"shares\"'\n"
        )
    slides.append(
        "  - kind: chart\n    title: scatter\n    type: scatter\n"
        "    categories: [1, 2, 4]\n    series: [{name: '<i>p99</i>', values: [3, 5.5, 9]}]\n"
        "    alt: Latency grows\n"
    )
    return "title: Charts\nslides:\n" + "".join(slides)


def _svgs(page: str) -> list[str]:
    return re.findall(r"<svg class=\"chart\".*?</svg>", page, flags=re.S)


def test_every_chart_of_the_example_is_an_svg_with_its_names_labels_and_alt(run_cli, tmp_path):
    from generator import api

    code, _, err = run_cli("build", ALL_HANDS, "-f", "html", "-o", tmp_path)
    assert code == 0, err
    page = (tmp_path / "all-hands.html").read_text(encoding="utf-8")
    plan = api.prepare(ALL_HANDS).plan
    charts = [e for s in plan.slides for e in s.elements if isinstance(e, ChartElement)]
    svgs = _svgs(page)
    assert len(charts) == len(svgs) == 5
    for chart, svg in zip(charts, svgs, strict=True):
        assert f'data-type="{chart.chart_type}"' in svg
        assert f'role="img" aria-label="{chart.alt}"' in svg
        assert f"<title>{chart.alt}</title>" in svg
        texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
        round_chart = chart.chart_type in ("pie", "doughnut")
        for name in [] if round_chart else [name for name, _ in chart.series]:
            assert name in texts  # in the legend
        for label in [] if chart.chart_type == "scatter" else chart.categories:
            assert label in texts  # on the axis (pie and doughnut: in the legend)
        for color in chart.colors:
            assert f'fill="{color}"' in svg
    stacked = svgs[2]  # 0"%" on the values: the axis ends at 100%, the labels say 40%
    assert ">100%</text>" in stacked and ">40%</text>" in stacked
    assert ">6.3</text>" in svgs[0] and ">4.0</text>" in svgs[0]  # 0.0
    # The slide background and the picture beside the bullets are in the page, inline.
    assert page.count('<img class="art" alt="" src="data:image/png;base64,') == 1
    assert 'alt="A roadmap with three milestones on a line"' in page
    # Reveal: the three top-level bullets are three steps, the sub-items go with theirs.
    assert re.findall(r'<p data-step="(\d)"', page) == ["1", "2", "2", "2", "3"]


def test_charts_of_every_type_escape_their_text_and_rebuild_the_same(run_cli, project):
    content = write(project / "charts.yaml", _chart_deck())
    for folder in ("a", "b"):
        code, _, err = run_cli("build", content, "-f", "html", "-o", project / folder)
        assert code == 0, err
    page = (project / "a" / "charts.html").read_text(encoding="utf-8")
    assert page == (project / "b" / "charts.html").read_text(encoding="utf-8")
    svgs = _svgs(page)
    assert [re.search(r'data-type="([^"]+)"', s).group(1) for s in svgs] == [
        *CHART_TYPES,
        "scatter",
    ]
    parsed = tags(page)
    assert parsed.tags.count("script") == 1 and parsed.tags.count("svg") == 8
    assert "b" not in parsed.tags and "i" not in parsed.tags
    assert "&lt;/svg&gt;&lt;script&gt;window.pwned=7&lt;/script&gt;" in page
    assert "&lt;b&gt;North&lt;/b&gt;" in page and "East &amp; West" in page
    assert 'aria-label="The pie chart &lt;shows&gt; &quot;shares&quot;"' in page
    for svg in svgs[:-1]:  # every category chart labels its values in the format
        assert ">30%</text>" in svg


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (4.25, None, "4.25"),
        (7.0, "General", "7"),
        (6.34, "0", "6"),
        (6.34, "0.0", "6.3"),
        (0.523, "0%", "52%"),
        (0.5234, "0.0%", "52.3%"),
        (52, '0"%"', "52%"),
        (1234567.8, "#,##0", "1,234,568"),
        (3.5, '"€"0.00', "€3.50"),
        (-2, "0", "-2"),
        (12, '0\\ "ms"', "12 ms"),
    ],
)
def test_chart_numbers_show_in_the_excel_format(value, number_format, shown):
    from generator.writers.html_chart import format_number

    assert format_number(value, number_format) == shown
