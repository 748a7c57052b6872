"""The chart kind: every type built through the CLI, opened by python-pptx, rendered by
LibreOffice, validated, rebuilt byte for byte; bad data located where it is written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import assert_valid_pptx, needs_soffice, pdf_text, render_pdf, write
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from test_template import default_template, template_theme

from generator.theme.colors import MIN_GRAPHIC_CONTRAST, contrast, series_colors
from generator.writers.pptx_writer import read_custom_properties

EXPECTED_TYPES = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked-column": XL_CHART_TYPE.COLUMN_STACKED,
    "stacked-bar": XL_CHART_TYPE.BAR_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "pie": XL_CHART_TYPE.PIE,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
    "scatter": XL_CHART_TYPE.XY_SCATTER,
}
TWO_SERIES = """\
    categories: [Alpha, Bravo, Charlie]
    series:
      - {name: Northwind, values: [3, 5, 4]}
      - {name: Southgate, values: [7, 9, 12]}
"""
ONE_SERIES = """\
    categories: [Alpha, Bravo, Charlie]
    series:
      - {name: Northwind, values: [50, 30, 20]}
"""
SCATTER = """\
    categories: [1, 2, 4]
    series:
      - {name: Northwind, values: [3, 5, 4]}
      - {name: Southgate, values: [7, 9, 12]}
"""


def every_type_talk() -> str:
    slides = []
    for kind in EXPECTED_TYPES:
        data = {"pie": ONE_SERIES, "doughnut": ONE_SERIES, "scatter": SCATTER}.get(kind, TWO_SERIES)
        slides.append(
            f"  - kind: chart\n    title: A {kind} chart\n    type: {kind}\n{data}"
            f"    alt: What the {kind} chart shows\n"
        )
    return "title: Charts\nslides:\n" + "".join(slides)


@pytest.fixture
def every_type(run_cli, project: Path) -> Path:
    talk = write(project / "talk.yaml", every_type_talk())
    out = project / "talk.pptx"
    code, _, stderr = run_cli("build", talk, "-o", out)
    assert code == 0, stderr
    return out


def test_every_chart_type_is_a_native_chart_with_its_series_and_values(every_type: Path):
    slides = Presentation(str(every_type)).slides
    assert len(slides) == len(EXPECTED_TYPES)
    for slide, (kind, chart_type) in zip(slides, EXPECTED_TYPES.items(), strict=True):
        frames = [shape for shape in slide.shapes if shape.has_chart]
        assert len(frames) == 1, kind
        frame = frames[0]
        assert frame._element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr") == [
            f"What the {kind} chart shows"
        ]
        chart = frame.chart
        assert chart.chart_type == chart_type, kind
        plot = chart.plots[0]
        names = [series.name for series in plot.series]
        if kind in ("pie", "doughnut"):
            assert names == ["Northwind"]
            assert list(plot.series[0].values) == [50, 30, 20]
            assert list(plot.categories) == ["Alpha", "Bravo", "Charlie"]
        elif kind == "scatter":
            assert names == ["Northwind", "Southgate"]
            assert list(plot.series[1].values) == [7, 9, 12]
        else:
            assert names == ["Northwind", "Southgate"]
            assert list(plot.series[0].values) == [3, 5, 4]
            assert list(plot.series[1].values) == [7, 9, 12]
            assert list(plot.categories) == ["Alpha", "Bravo", "Charlie"]


def test_charts_are_valid_and_rebuild_byte_for_byte(run_cli, every_type: Path):
    again = every_type.with_name("again.pptx")
    code, _, stderr = run_cli("build", every_type.with_name("talk.yaml"), "-o", again)
    assert code == 0, stderr
    assert every_type.read_bytes() == again.read_bytes()
    with zipfile.ZipFile(every_type) as archive:
        names = archive.namelist()
        workbooks = [n for n in names if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
        assert len(workbooks) == len(EXPECTED_TYPES)
        assert len([n for n in names if n.startswith("ppt/charts/chart")]) == len(EXPECTED_TYPES)
        inner = zipfile.ZipFile(io.BytesIO(archive.read(workbooks[0])))
        core = inner.read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z' in core
    assert_valid_pptx(every_type)


@needs_soffice
def test_libreoffice_draws_category_and_series_names(every_type: Path):
    text = pdf_text(render_pdf(every_type))
    for word in ("Alpha", "Bravo", "Charlie", "Northwind", "Southgate"):
        assert word in text


def test_series_colours_start_with_the_accent_and_reach_3_to_1(every_type: Path):
    chart = Presentation(str(every_type)).slides[0].shapes[2].chart
    fills = [str(series.format.fill.fore_color.rgb) for series in chart.plots[0].series]
    assert fills[0] == "2563EB"  # the default theme's accent
    for background in ("#FFFFFF", "#111827", "#FAFAF9"):
        colors = series_colors("#2563EB", background, 6)
        assert len(set(colors)) == 6
        assert all(contrast(c, background) >= MIN_GRAPHIC_CONTRAST for c in colors)


def test_csv_data_is_confined_fingerprinted_and_exported_as_a_table(run_cli, project: Path):
    write(project / "data" / "revenue.csv", "Quarter,Revenue,Costs\nQ1,4.2,3.9\nQ2,4.8,4\n")
    talk = write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: chart\n    title: Revenue\n    type: line\n"
        "    data: data/revenue.csv\n    number_format: '0.0'\n    alt: Revenue grows\n"
        "    caption: 'Source: finance'\n",
    )
    out = project / "talk.pptx"
    code, _, stderr = run_cli("build", talk, "-o", out, "-f", "pptx", "-f", "md", cwd=project)
    assert code == 0, stderr
    chart = next(s for s in Presentation(str(out)).slides[0].shapes if s.has_chart).chart
    assert [s.name for s in chart.plots[0].series] == ["Revenue", "Costs"]
    assert list(chart.plots[0].series[0].values) == [4.2, 4.8]
    assert any("revenue.csv" in key for key in read_custom_properties(out))
    markdown = out.with_suffix(".md").read_text()
    assert "|  | Revenue | Costs |\n| --- | --- | --- |\n| Q1 | 4.2 | 3.9 |" in markdown
    assert "*Source: finance*" in markdown


BAD = [
    (
        "    type: colum\n" + TWO_SERIES + "    alt: A\n",
        "talk.yaml:5:11: unknown chart type 'colum' (did you mean 'column'?)",
    ),
    (
        "    type: column\n    categories: [A, B, C]\n    series:\n"
        "      - {name: N, values: [1, 2]}\n    alt: A\n",
        "talk.yaml:8:27: series 'N' has 2 values; there are 3 categories",
    ),
    (
        "    type: column\n    categories: [A, B]\n    series:\n"
        "      - {name: N, values: [1, lots]}\n    alt: A\n",
        "talk.yaml:8:31: expected a number, got a string",
    ),
    ("    type: column\n" + TWO_SERIES, "talk.yaml:3:5: chart needs alt text ('alt:')"),
    (
        "    type: pie\n" + TWO_SERIES + "    alt: A\n",
        "talk.yaml:3:5: a pie chart shows one series, got 2",
    ),
    (
        "    type: scatter\n" + TWO_SERIES + "    alt: A\n",
        "talk.yaml:6:18: a scatter chart's categories are its x values: 'Alpha' is not a number",
    ),
    ("    type: line\n    data: ../outside.csv\n    alt: A\n", "is outside the project folder"),
    (
        "    type: line\n    data: data/empty.csv\n    alt: A\n",
        "talk.yaml:6:11: 'data/empty.csv' has no data",
    ),
    (
        "    type: line\n    data: data/words.csv\n    alt: A\n",
        "data/words.csv:3:4: expected a number, got 'many'",
    ),
    (
        "    type: line\n    data: data/ragged.csv\n    alt: A\n",
        "data/ragged.csv:2:5: row has 2 cells; the header has 3",
    ),
]


@pytest.mark.parametrize(("body", "message"), BAD, ids=[m.split(": ", 1)[-1][:40] for _, m in BAD])
def test_bad_chart_data_is_one_located_line(run_cli, project: Path, body: str, message: str):
    write(project / "data" / "empty.csv", "\n\n")
    write(project / "data" / "words.csv", "x,a\nQ1,1\nQ2,many\n")
    write(project / "data" / "ragged.csv", "x,a,b\nQ1,1\n")
    write(project.parent / "outside.csv", "x,a\nQ1,1\n")
    talk = write(project / "talk.yaml", f"title: T\nslides:\n  - kind: chart\n    title: C\n{body}")
    out = project / "talk.pptx"
    code, _, stderr = run_cli("build", "talk.yaml", "-o", out, cwd=project)
    assert code != 0
    assert message in stderr, stderr
    assert "Traceback" not in stderr
    assert not out.exists()
    assert talk.is_file()


def test_a_chart_can_be_a_column_of_a_comparison(run_cli, project: Path):
    talk = write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: comparison\n    title: Side by side\n"
        "    left: {heading: Numbers, chart: {type: bar, categories: [Alpha, Bravo],"
        " series: [{name: Northwind, values: [1, 2]}], alt: Bravo is twice Alpha}}\n"
        "    right: {heading: Words, text: Bravo leads.}\n",
    )
    out = project / "talk.pptx"
    code, _, stderr = run_cli("build", talk, "-o", out)
    assert code == 0, stderr
    slide = Presentation(str(out)).slides[0]
    chart_frame = next(s for s in slide.shapes if s.has_chart)
    words = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text == "Words")
    assert chart_frame.left + chart_frame.width <= words.left
    assert chart_frame.chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert_valid_pptx(out)


def test_on_a_template_the_chart_goes_in_the_canvas_region(run_cli, project: Path):
    folder = template_theme(project / "themes" / "corp", default_template(project))
    talk = write(project / "talk.yaml", every_type_talk())
    out = project / "talk.pptx"
    code, _, stderr = run_cli("build", talk, "-t", folder, "-o", out, cwd=project)
    assert code == 0, stderr
    prs = Presentation(str(out))
    for slide in prs.slides:
        title = slide.shapes.title
        frame = next(s for s in slide.shapes if s.has_chart)
        assert frame.top >= title.top + title.height
        assert frame.left + frame.width <= prs.slide_width
        assert frame.top + frame.height <= prs.slide_height
    assert_valid_pptx(out)


def test_an_edited_csv_makes_the_deck_stale(run_cli, project: Path):
    write(project / "data" / "revenue.csv", "Quarter,Revenue\nQ1,4.2\nQ2,4.8\n")
    write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: chart\n    title: Revenue\n    type: column\n"
        "    data: data/revenue.csv\n    alt: Revenue grows\n",
    )
    code, _, stderr = run_cli("build", "talk.yaml", "-o", "out/talk.pptx", cwd=project)
    assert code == 0, stderr
    assert run_cli("check", "--outputs", "out", cwd=project) == (0, "", "")
    with open(project / "data" / "revenue.csv", "a") as handle:
        handle.write("Q3,5.6\n")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout) == (1, "out/talk.pptx: stale: data/revenue.csv changed\n")
