"""In sync: code from files by range or region, fingerprints and `check --outputs`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write
from pptx import Presentation

from generator import __version__
from generator.writers.pptx_writer import read_custom_properties

DECK = """\
title: Sync
theme: {theme}
slides:
  - kind: code
    title: Snippet
    language: {language}
    file: {file}
{extra}"""


def code_deck(
    project: Path, file: str, extra: str = "", language: str = "python", theme: str = "default"
) -> Path:
    return write(
        project / "talk.yaml", DECK.format(file=file, extra=extra, language=language, theme=theme)
    )


def code_on_slide(deck: Path) -> str:
    """Return the text of the code shape on the deck's first slide."""
    slide = Presentation(str(deck)).slides[0]
    shapes = [s for s in slide.shapes if s.name.startswith("Code") and s.has_text_frame]
    assert len(shapes) == 1, [s.name for s in slide.shapes]
    return "\n".join(p.text for p in shapes[0].text_frame.paragraphs)


def build(run_cli, project: Path, content: str = "talk.yaml", out: str = "out/talk.pptx"):
    code, stdout, stderr = run_cli("build", content, "-o", out, cwd=project)
    assert code == 0, stderr
    return project / out


# Code from files ------------------------------------------------------------------------


def test_region_include_shows_exactly_the_regions_lines_dedented(run_cli, project):
    write(
        project / "snippets" / "eval.py",
        "import os\n\n"
        "class Eval:\n"
        "    # [start:score]\n"
        "    def score(self, y):\n"
        "        # [start:inner]\n"
        "        return sum(y)\n"
        "        # [end:inner]\n"
        "    # [end:score]\n"
        "\n"
        "print('after')\n",
    )
    code_deck(project, "snippets/eval.py", "    region: score\n")
    deck = build(run_cli, project)
    assert code_on_slide(deck) == "def score(self, y):\n    return sum(y)"


def test_line_range_include_shows_those_lines(run_cli, project):
    write(project / "snippets" / "a.py", "".join(f"line_{n} = {n}\n" for n in range(1, 11)))
    code_deck(project, "snippets/a.py", "    lines: 3-5\n")
    deck = build(run_cli, project)
    assert code_on_slide(deck) == "line_3 = 3\nline_4 = 4\nline_5 = 5"


def test_whole_file_include_leaves_out_the_marker_lines(run_cli, project):
    write(project / "snippets" / "a.py", "# [start:r]\nx = 1\n# [end:r]\ny = 2\n")
    code_deck(project, "snippets/a.py")
    deck = build(run_cli, project)
    assert code_on_slide(deck) == "x = 1\ny = 2"


@pytest.mark.parametrize(
    "language, name, source",
    [
        (
            "javascript",
            "app.js",
            "function f() {\n  // [start:body]\n  return 1;\n  // [end:body]\n}\n",
        ),
        (
            "html",
            "page.html",
            "<body>\n  <!-- [start:body] -->\n  <p>hi</p>\n  <!-- [end:body] -->\n",
        ),
        ("sql", "q.sql", "-- [start:body]\nSELECT 1;\n-- [end:body]\n"),
        ("c", "x.c", "/* [start:body] */\nint x = 1;\n/* [end:body] */\n"),
    ],
)
def test_region_markers_use_the_languages_comment_syntax(run_cli, project, language, name, source):
    write(project / "snippets" / name, source)
    code_deck(project, f"snippets/{name}", "    region: body\n", language=language)
    deck = build(run_cli, project)
    expected = {
        "javascript": "return 1;",
        "html": "<p>hi</p>",
        "sql": "SELECT 1;",
        "c": "int x = 1;",
    }[language]
    assert code_on_slide(deck) == expected


def test_marker_text_inside_code_is_code_not_a_marker(run_cli, project):
    write(
        project / "snippets" / "m.py",
        "# [start:demo]\nMARK = '[start:other]'\nprint(MARK)  # [end:other]\n# [end:demo]\n",
    )
    code_deck(project, "snippets/m.py", "    region: demo\n")
    deck = build(run_cli, project)
    assert code_on_slide(deck) == "MARK = '[start:other]'\nprint(MARK)  # [end:other]"


def test_missing_include_file_is_a_located_error_naming_it(run_cli, project):
    code_deck(project, "snippets/gone.py")
    code, stdout, stderr = run_cli("build", "talk.yaml", "-o", "out/t.pptx", cwd=project)
    assert code == 1
    assert stderr == "talk.yaml:7:11: file 'snippets/gone.py' not found\n"
    assert not (project / "out" / "t.pptx").exists()


def test_missing_region_is_a_located_error_naming_region_and_file(run_cli, project):
    write(project / "snippets" / "a.py", "# [start:setup]\nx = 1\n# [end:setup]\n")
    code_deck(project, "snippets/a.py", "    region: stup\n")
    code, _, stderr = run_cli("check", "talk.yaml", cwd=project)
    assert code == 1
    assert stderr == (
        "talk.yaml:8:13: region 'stup' not found in 'snippets/a.py' (did you mean 'setup'?)\n"
    )


def test_line_range_past_the_end_is_a_located_error_naming_the_range(run_cli, project):
    write(project / "snippets" / "a.py", "x = 1\ny = 2\n")
    code_deck(project, "snippets/a.py", "    lines: 2-9\n")
    code, _, stderr = run_cli("check", "talk.yaml", cwd=project)
    assert code == 1
    assert stderr == "talk.yaml:8:12: lines 2-9 are outside 'snippets/a.py' (2 lines)\n"


def test_empty_region_is_an_error(run_cli, project):
    write(project / "snippets" / "a.py", "# [start:nothing]\n\n# [end:nothing]\n")
    code_deck(project, "snippets/a.py", "    region: nothing\n")
    code, _, stderr = run_cli("check", "talk.yaml", cwd=project)
    assert code == 1
    assert stderr == "talk.yaml:8:13: region 'nothing' in 'snippets/a.py' is empty\n"


def test_include_outside_the_project_is_refused(run_cli, project):
    write(project.parent / f"{project.name}-secret.py", "token = 1\n")
    code_deck(project, f"../{project.name}-secret.py")
    code, _, stderr = run_cli("check", "talk.yaml", cwd=project)
    assert code == 1
    assert "is outside the project folder" in stderr


# Fingerprints ---------------------------------------------------------------------------


def fingerprinted_project(project: Path) -> Path:
    """A project with an include and its own theme (extending default) with a logo."""
    from PIL import Image

    write(project / "snippets" / "a.py", "# [start:r]\nx = 1\n# [end:r]\n")
    write(
        project / "themes" / "acme" / "theme.yaml",
        'name: acme\nextends: default\nlogo: logo.png\ncolors: {accent: "#E4002B"}\n',
    )
    Image.new("RGB", (40, 20), "red").save(project / "themes" / "acme" / "logo.png")
    return code_deck(project, "snippets/a.py", "    region: r\n", theme="acme")


def test_deck_records_the_hash_of_every_input_and_the_version(run_cli, project):
    import hashlib

    fingerprinted_project(project)
    deck = build(run_cli, project)
    properties = read_custom_properties(deck)
    inputs = {
        k.removeprefix("deckwright:input:"): v
        for k, v in properties.items()
        if k.startswith("deckwright:input:")
    }
    expected = ["snippets/a.py", "talk.yaml", "themes/acme/logo.png", "themes/acme/theme.yaml"]
    assert sorted(k for k in inputs if not k.startswith("<deckwright>")) == expected
    assert "<deckwright>/default/theme.yaml" in inputs
    for name in expected:
        assert inputs[name] == hashlib.sha256((project / name).read_bytes()).hexdigest()
    assert properties["deckwright:version"] == __version__
    assert properties["deckwright:content"] == "talk.yaml"
    assert len(properties["deckwright:fingerprint"]) == 64


def test_check_outputs_exits_0_when_every_deck_is_fresh(run_cli, project):
    fingerprinted_project(project)
    build(run_cli, project)
    code, stdout, stderr = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout, stderr) == (0, "", "")


@pytest.mark.parametrize(
    "changed", ["snippets/a.py", "themes/acme/theme.yaml", "themes/acme/logo.png", "talk.yaml"]
)
def test_check_outputs_names_the_stale_deck_and_the_input_that_changed(run_cli, project, changed):
    fingerprinted_project(project)
    build(run_cli, project)
    with open(project / changed, "ab") as handle:
        handle.write(b"\n# edited\n" if not changed.endswith(".png") else b"\0")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert code == 1
    assert stdout == f"out/talk.pptx: stale: {changed} changed\n"


def test_check_outputs_reports_a_missing_input(run_cli, project):
    fingerprinted_project(project)
    build(run_cli, project)
    (project / "snippets" / "a.py").unlink()
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert code == 1
    assert stdout == "out/talk.pptx: stale: snippets/a.py missing\n"


def test_check_outputs_reports_only_the_stale_decks(run_cli, project):
    fingerprinted_project(project)
    write(project / "other.yaml", "title: Other\nslides:\n  - kind: title\n")
    build(run_cli, project)
    build(run_cli, project, "other.yaml", "out/other.pptx")
    write(project / "snippets" / "a.py", "# [start:r]\nx = 2\n# [end:r]\n")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert code == 1
    assert stdout == "out/talk.pptx: stale: snippets/a.py changed\n"


def test_check_outputs_reports_a_deck_built_by_another_deckwright_version(
    run_cli, project, monkeypatch
):
    fingerprinted_project(project)
    monkeypatch.setattr("generator.sync.__version__", "0.0.1")
    build(run_cli, project)
    monkeypatch.undo()
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert code == 1
    assert stdout == f"out/talk.pptx: stale: built with deckwright 0.0.1, this is {__version__}\n"


def test_check_outputs_works_from_another_folder(run_cli, project):
    fingerprinted_project(project)
    build(run_cli, project)
    write(project / "snippets" / "a.py", "# [start:r]\nx = 3\n# [end:r]\n")
    code, stdout, _ = run_cli("check", "--outputs", project / "out", cwd=project.parent)
    assert code == 1
    assert stdout.endswith(f"talk.pptx: stale: {project.name}/snippets/a.py changed\n")


def test_check_outputs_with_content_validates_it_and_reports_stale_decks(run_cli, project):
    fingerprinted_project(project)
    build(run_cli, project)
    write(project / "broken.yaml", "title: Broken\nslides:\n  - kind: tabel\n")
    write(project / "snippets" / "a.py", "# [start:r]\nx = 4\n# [end:r]\n")
    code, stdout, stderr = run_cli("check", "broken.yaml", "--outputs", "out", cwd=project)
    assert code == 1
    assert "unknown slide kind 'tabel'" in stderr
    assert stdout == "out/talk.pptx: stale: snippets/a.py changed\n"


def test_check_outputs_without_content_checks_content_folder_too(run_cli, project):
    write(project / "content" / "talk.yaml", "title: T\nslides:\n  - kind: title\n")
    build(run_cli, project, "content/talk.yaml", "output/talk.pptx")
    assert run_cli("check", "--outputs", "output", cwd=project)[0] == 0
    write(project / "content" / "talk.yaml", "title: T\nslides:\n  - kind: titel\n")
    code, stdout, stderr = run_cli("check", "--outputs", "output", cwd=project)
    assert code == 1
    assert "unknown slide kind 'titel'" in stderr
    assert stdout == "output/talk.pptx: stale: content/talk.yaml changed\n"


def test_check_outputs_warns_about_a_deck_without_fingerprint(run_cli, project):
    (project / "out").mkdir()
    Presentation().save(str(project / "out" / "foreign.pptx"))
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert code == 0
    assert stdout.startswith("out/foreign.pptx: warning: no deckwright fingerprint")


def test_check_outputs_of_a_missing_folder_is_a_usage_error(run_cli, project):
    code, _, stderr = run_cli("check", "--outputs", "nowhere", cwd=project)
    assert code == 2
    assert "nowhere" in stderr


def test_a_templates_own_custom_properties_are_kept_beside_the_fingerprint(tmp_path):
    # Company templates often carry custom properties (sensitivity labels); the deck
    # must keep them and still have exactly one custom.xml with the fresh fingerprint.
    import zipfile

    from generator.layout.plan import DeckPlan
    from generator.writers.pptx_writer import write_pptx

    template = tmp_path / "corp.pptx"
    old = {"Classification": "Internal", "deckwright:version": "0.0.1"}
    template.write_bytes(write_pptx(DeckPlan(9144000, 6858000, [], properties=old)))
    deck = tmp_path / "deck.pptx"
    new = {"deckwright:version": "9.9.9", "deckwright:input:talk.yaml": "ab" * 32}
    deck.write_bytes(
        write_pptx(DeckPlan(9144000, 6858000, [], properties=new, template=str(template)))
    )
    assert read_custom_properties(deck) == {"Classification": "Internal", **new}
    with zipfile.ZipFile(deck) as archive:
        assert archive.namelist().count("docProps/custom.xml") == 1
