"""In sync: code from files by range or region, fingerprints and `check --outputs`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_valid_pptx, needs_soffice, needs_tools, write
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
    # Code files are fingerprinted by what the slides show of them, not by their bytes.
    expected = ["talk.yaml", "themes/acme/logo.png", "themes/acme/theme.yaml"]
    assert sorted(k for k in inputs if not k.startswith("<deckwright>")) == expected
    assert "<deckwright>/default/theme.yaml" in inputs
    for name in expected:
        assert inputs[name] == hashlib.sha256((project / name).read_bytes()).hexdigest()
    assert properties["deckwright:version"] == __version__
    assert properties["deckwright:content"] == "talk.yaml"
    excerpt = json.loads(properties["deckwright:excerpt:0.0"])
    assert {k: v for k, v in excerpt.items() if k != "sha256"} == {
        "slide": 1,
        "title": "Snippet",
        "shows": "snippets/a.py region 'r'",
    }
    assert len(properties["deckwright:fingerprint"]) == 64


def test_check_outputs_exits_0_when_every_deck_is_fresh(run_cli, project):
    fingerprinted_project(project)
    build(run_cli, project)
    code, stdout, stderr = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout, stderr) == (0, "", "")


@pytest.mark.parametrize("changed", ["themes/acme/theme.yaml", "themes/acme/logo.png", "talk.yaml"])
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
    # The content names the file, so the content's own located error says what is wrong.
    assert stdout == "out/talk.pptx: stale: talk.yaml:7:11: file 'snippets/a.py' not found\n"


SNIPPET_STALE = "stale: slide 1 \"Snippet\": snippets/a.py region 'r' changed\n"


def test_an_edit_inside_the_shown_region_names_the_slide(run_cli, project):
    fingerprinted_project(project)
    build(run_cli, project)
    write(project / "snippets" / "a.py", "# [start:r]\nx = 1  # one\n# [end:r]\n")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout) == (1, "out/talk.pptx: " + SNIPPET_STALE)


def test_an_edit_outside_every_shown_excerpt_leaves_the_deck_fresh(run_cli, project):
    fingerprinted_project(project)
    deck = build(run_cli, project)
    before = deck.read_bytes()
    with open(project / "snippets" / "a.py", "a") as handle:
        handle.write("\n# a comment no slide shows\ndef helper():\n    return 2\n")
    assert run_cli("check", "--outputs", "out", cwd=project)[:2] == (0, "")
    assert build(run_cli, project).read_bytes() == before


def test_lines_that_now_show_other_code_are_stale(run_cli, project):
    write(project / "snippets" / "a.py", "x = 1\ny = 2\nz = 3\n")
    code_deck(project, "snippets/a.py", "    lines: 2-3\n")
    build(run_cli, project)
    write(project / "snippets" / "a.py", "import os\nx = 1\ny = 2\nz = 3\n")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout) == (
        1,
        "out/talk.pptx: stale: slide 1 \"Snippet\": snippets/a.py lines '2-3' now show "
        "different code than the deck recorded\n",
    )


def test_excerpts_are_read_again_with_the_vars_the_deck_was_built_with(run_cli, project):
    write(project / "snippets" / "a.py", "# [start:r]\nx = 1\n# [end:r]\n")
    write(project / "snippets" / "b.py", "# [start:r]\ny = 1\n# [end:r]\n")
    code_deck(project, "snippets/{{ which }}.py", "    region: r\n")
    code, _, stderr = run_cli(
        "build", "talk.yaml", "-o", "out/talk.pptx", "--var", "which=b", cwd=project
    )
    assert code == 0, stderr
    assert run_cli("check", "--outputs", "out", cwd=project)[:2] == (0, "")
    write(project / "snippets" / "a.py", "# [start:r]\nx = 2\n# [end:r]\n")
    assert run_cli("check", "--outputs", "out", cwd=project)[:2] == (0, "")
    write(project / "snippets" / "b.py", "# [start:r]\ny = 2\n# [end:r]\n")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout) == (
        1,
        "out/talk.pptx: stale: slide 1 \"Snippet\": snippets/b.py region 'r' changed\n",
    )


def test_check_outputs_reports_only_the_stale_decks(run_cli, project):
    fingerprinted_project(project)
    write(project / "other.yaml", "title: Other\nslides:\n  - kind: title\n")
    build(run_cli, project)
    build(run_cli, project, "other.yaml", "out/other.pptx")
    write(project / "snippets" / "a.py", "# [start:r]\nx = 2\n# [end:r]\n")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert code == 1
    assert stdout == "out/talk.pptx: " + SNIPPET_STALE


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
    assert stdout == f"{project.name}/out/talk.pptx: " + SNIPPET_STALE


def test_check_outputs_with_content_validates_it_and_reports_stale_decks(run_cli, project):
    fingerprinted_project(project)
    build(run_cli, project)
    write(project / "broken.yaml", "title: Broken\nslides:\n  - kind: tabel\n")
    write(project / "snippets" / "a.py", "# [start:r]\nx = 4\n# [end:r]\n")
    code, stdout, stderr = run_cli("check", "broken.yaml", "--outputs", "out", cwd=project)
    assert code == 1
    assert "unknown slide kind 'tabel'" in stderr
    assert stdout == "out/talk.pptx: " + SNIPPET_STALE


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


def test_a_templates_own_custom_properties_never_reach_the_deck(tmp_path):
    # A deck used as a template (or a company template) carries custom properties: a
    # tracking id, or another deck's record. The deck is a new document: it records its
    # own inputs and nothing else, in exactly one custom.xml.
    import zipfile

    from generator.layout.plan import DeckPlan
    from generator.writers.pptx_writer import write_pptx

    template = tmp_path / "corp.pptx"
    old = {
        "TrackingId": "corp-7f3a9",
        "deckwright:version": "0.0.1",
        "deckwright:input:old.yaml": "cd" * 32,
    }
    template.write_bytes(write_pptx(DeckPlan(9144000, 6858000, [], properties=old)))
    assert read_custom_properties(template) == old
    deck = tmp_path / "deck.pptx"
    new = {"deckwright:version": "9.9.9", "deckwright:input:talk.yaml": "ab" * 32}
    deck.write_bytes(
        write_pptx(DeckPlan(9144000, 6858000, [], properties=new, template=str(template)))
    )
    assert read_custom_properties(deck) == new
    with zipfile.ZipFile(deck) as archive:
        assert archive.namelist().count("docProps/custom.xml") == 1


# Outputs that are missing ---------------------------------------------------------------


def output_lines(stdout: str, folder: str = "out/") -> list[str]:
    """Return the lines about outputs, without the content's notes (fonts, code sizes)."""
    return [line for line in stdout.splitlines() if line.startswith(folder)]


def test_check_outputs_reports_a_content_file_whose_deck_is_missing(run_cli, project):
    fingerprinted_project(project)
    write(project / "other.yaml", "title: Other\nslides:\n  - kind: title\n")
    build(run_cli, project)
    code, stdout, _ = run_cli("check", "talk.yaml", "other.yaml", "--outputs", "out", cwd=project)
    assert (code, output_lines(stdout)) == (
        1,
        ["out/other.pptx: missing: other.yaml has not been built here"],
    )


def test_an_empty_output_folder_fails_for_the_content_folder(run_cli, project):
    write(project / "content" / "talk.yaml", "title: T\nslides:\n  - kind: title\n")
    (project / "output").mkdir()
    code, stdout, _ = run_cli("check", "--outputs", "output", cwd=project)
    assert (code, output_lines(stdout, "output/")) == (
        1,
        ["output/talk.pptx: missing: content/talk.yaml has not been built here"],
    )


def test_a_deck_under_another_name_counts_as_built(run_cli, project):
    fingerprinted_project(project)
    build(run_cli, project, out="out/all-hands.pptx")
    code, stdout, _ = run_cli("check", "talk.yaml", "--outputs", "out", cwd=project)
    assert (code, output_lines(stdout)) == (0, [])
    code, stdout, _ = run_cli("check", "talk.yaml", "-t", "dark", "--outputs", "out", cwd=project)
    assert (code, output_lines(stdout)) == (
        1,
        ["out/talk-dark.pptx: missing: talk.yaml has not been built here"],
    )


# Other outputs: the article, PDF and PNG ------------------------------------------------


def test_an_article_is_stale_when_its_excerpt_changes_and_not_when_the_theme_does(run_cli, project):
    fingerprinted_project(project)
    code, _, stderr = run_cli("build", "talk.yaml", "-f", "md", "-o", "out/talk.md", cwd=project)
    assert code == 0, stderr
    article = (project / "out" / "talk.md").read_bytes()
    assert article.decode().splitlines()[-1].startswith("<!-- deckwright-fingerprint {")
    with open(project / "themes" / "acme" / "theme.yaml", "a") as handle:
        handle.write("# a theme edit: the article has no theme\n")
    with open(project / "snippets" / "a.py", "a") as handle:
        handle.write("# outside the region\n")
    assert run_cli("check", "--outputs", "out", cwd=project)[:2] == (0, "")
    assert run_cli("build", "talk.yaml", "-f", "md", "-o", "out/talk.md", cwd=project)[0] == 0
    assert (project / "out" / "talk.md").read_bytes() == article
    write(project / "snippets" / "a.py", "# [start:r]\nx = 5\n# [end:r]\n")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout) == (1, "out/talk.md: " + SNIPPET_STALE)


def test_a_title_that_would_end_the_comment_is_kept_whole(run_cli, project):
    write(project / "snippets" / "a.py", "# [start:r]\nx = 1\n# [end:r]\n")
    write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: code\n    title: 'a --> b'\n"
        "    language: python\n    file: snippets/a.py\n    region: r\n",
    )
    assert run_cli("build", "talk.yaml", "-f", "md", "-o", "out/talk.md", cwd=project)[0] == 0
    assert (project / "out" / "talk.md").read_text().count("-->") == 2  # heading and comment
    write(project / "snippets" / "a.py", "# [start:r]\nx = 2\n# [end:r]\n")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout) == (
        1,
        "out/talk.md: stale: slide 1 \"a --> b\": snippets/a.py region 'r' changed\n",
    )


def test_markdown_or_pdf_without_a_fingerprint_is_not_an_output(run_cli, project):
    write(project / "out" / "NOTES.md", "# My notes\n")
    write(project / "out" / "paper.pdf", "%PDF-1.4\n%%EOF\n")
    assert run_cli("check", "--outputs", "out", cwd=project)[:2] == (0, "")


def test_a_png_is_checked_by_its_sidecar_and_a_forged_one_is_not_followed(run_cli, project):
    # The sidecar is what a PNG build writes beside its contact sheet
    # (test_pdf_and_png_builds_carry_the_fingerprint makes them with LibreOffice);
    # here it is the pptx's record, copied.
    fingerprinted_project(project)
    deck = build(run_cli, project)
    name = "talk-contact.png"
    write(project / "out" / name, "not really a picture")
    write(project / "out" / f"{name}.deckwright.json", json.dumps(read_custom_properties(deck)))
    assert run_cli("check", "--outputs", "out", cwd=project)[:2] == (0, "")
    write(project / "snippets" / "a.py", "# [start:r]\nx = 6\n# [end:r]\n")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, f"out/{name}: " + SNIPPET_STALE in stdout) == (1, True)
    (project / "out" / name).unlink()
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert f"out/{name}: stale: missing (its fingerprint is still there)\n" in stdout
    # A sidecar that is a device is never read (it would never end): no output.
    for sidecar in (project / "out").glob("*.deckwright.json"):
        sidecar.unlink()
    write(project / "out" / name, "x")
    (project / "out" / f"{name}.deckwright.json").symlink_to("/dev/zero")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert f"out/{name}" not in stdout


@needs_soffice
@needs_tools("pdftoppm", "pdfinfo")
def test_pdf_and_png_builds_carry_the_fingerprint(run_cli, project):
    import subprocess

    fingerprinted_project(project)
    code, _, stderr = run_cli(
        "build", "talk.yaml", "-f", "pptx", "-f", "pdf", "-f", "png", "-o", "out", cwd=project
    )
    assert code == 0, stderr
    info = subprocess.run(
        ["pdfinfo", "-custom", str(project / "out" / "talk.pdf")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert info.stderr == ""  # poppler reads the updated document information cleanly
    line = next(x for x in info.stdout.splitlines() if x.startswith("DeckwrightFingerprint:"))
    record = json.loads(line.split(":", 1)[1])
    assert record == read_custom_properties(project / "out" / "talk.pptx")
    assert "Title:" in info.stdout  # LibreOffice's own entries are kept
    sidecar = json.loads((project / "out" / "talk-contact.png.deckwright.json").read_text())
    assert sidecar == record
    assert run_cli("check", "--outputs", "out", cwd=project)[:2] == (0, "")
    write(project / "snippets" / "a.py", "# [start:r]\nx = 7\n# [end:r]\n")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout) == (
        1,
        "out/talk-contact.png: "
        + SNIPPET_STALE
        + "out/talk.pdf: "
        + SNIPPET_STALE
        + "out/talk.pptx: "
        + SNIPPET_STALE,
    )


# What counts as an excerpt --------------------------------------------------------------


def test_a_changed_picture_names_its_slide(run_cli, project):
    from PIL import Image

    Image.new("RGB", (40, 20), "red").save(project / "box.png")
    write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: image\n    title: The box\n"
        "    src: box.png\n    alt: A box\n",
    )
    build(run_cli, project)
    assert run_cli("check", "--outputs", "out", cwd=project)[:2] == (0, "")
    Image.new("RGB", (40, 20), "blue").save(project / "box.png")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout) == (1, 'out/talk.pptx: stale: slide 1 "The box": box.png changed\n')


def test_a_variable_in_a_shown_excerpt_counts(run_cli, project):
    # A --var that names what a slide shows is recorded; check re-reads with it.
    write(
        project / "snippets" / "a.py",
        "# [start:one]\nx = 1\n# [end:one]\n# [start:two]\nx = 2\n# [end:two]\n",
    )
    code_deck(project, "snippets/a.py", "    region: '{{ part }}'\n")
    code, _, stderr = run_cli(
        "build", "talk.yaml", "-o", "out/talk.pptx", "--var", "part=two", cwd=project
    )
    assert code == 0, stderr
    properties = read_custom_properties(project / "out" / "talk.pptx")
    assert json.loads(properties["deckwright:vars"]) == {"part": "two"}
    assert json.loads(properties["deckwright:excerpt:0.0"])["shows"] == "snippets/a.py region 'two'"
    write(
        project / "snippets" / "a.py",
        "# [start:one]\nx = 9\n# [end:one]\n# [start:two]\nx = 2\n# [end:two]\n",
    )
    assert run_cli("check", "--outputs", "out", cwd=project)[:2] == (0, "")


def test_excerpts_of_continued_slides_name_the_first_slide_of_each(run_cli, project):
    write(project / "snippets" / "a.py", "# [start:r]\nx = 1\n# [end:r]\n")
    bullets = "".join(f"      - Point number {i} about the talk\n" for i in range(40))
    write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: bullets\n    title: Many\n    bullets:\n"
        + bullets
        + "  - kind: code\n    title: Later\n    language: python\n"
        "    file: snippets/a.py\n    region: r\n",
    )
    deck = build(run_cli, project)
    slides = len(Presentation(str(deck)).slides)
    assert slides > 2  # the bullets continued
    entry = json.loads(read_custom_properties(deck)["deckwright:excerpt:1.0"])
    assert (entry["slide"], entry["title"]) == (slides, "Later")


def test_a_generic_excerpt_is_fingerprinted_by_the_one_function(tmp_path):
    # A block kind of the future (a chart's `data: x.csv`) only has to give excerpt().
    from dataclasses import dataclass

    from generator import sync
    from generator.model.blocks import Excerpt, shown_excerpts

    data = tmp_path / "x.csv"
    data.write_text("a,b\n1,2\n")

    @dataclass
    class Chart:
        path: Path

        def excerpt(self) -> Excerpt:
            return Excerpt("x.csv", self.path)

    @dataclass
    class Slide:
        title: str
        chart: Chart

    found = shown_excerpts(Slide("C", Chart(data)))
    assert [e.shows for e in found] == ["x.csv"]
    before = sync.excerpt_hash(found[0])
    data.write_text("a,b\n1,3\n")
    assert sync.excerpt_hash(found[0]) != before


def test_an_article_alone_does_not_count_as_the_deck(run_cli, project):
    fingerprinted_project(project)
    code, _, stderr = run_cli(
        "build", "talk.yaml", "-f", "pptx", "-f", "md", "-o", "out", cwd=project
    )
    assert code == 0, stderr
    assert run_cli("check", "talk.yaml", "--outputs", "out", cwd=project)[0] == 0
    (project / "out" / "talk.pptx").unlink()
    code, stdout, _ = run_cli("check", "talk.yaml", "--outputs", "out", cwd=project)
    assert (code, output_lines(stdout)) == (
        1,
        ["out/talk.pptx: missing: talk.yaml has not been built here"],
    )


def test_lines_of_a_real_module_drift_and_a_symbol_does_not(run_cli, project):
    # The case of issue 14: jinja2's sandbox.py, an import added above a `lines:` range.
    import ast

    import jinja2.sandbox

    source = Path(jinja2.sandbox.__file__).read_text(encoding="utf-8")
    function = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef) and node.name == "is_internal_attribute"
    )
    write(project / "snippets" / "sandbox.py", source)
    write(
        project / "talk.yaml",
        "title: T\nslides:\n"
        "  - kind: code\n    title: By lines\n    language: python\n"
        f"    file: snippets/sandbox.py\n    lines: {function.lineno}-{function.end_lineno}\n"
        "  - kind: code\n    title: By symbol\n    language: python\n"
        "    file: snippets/sandbox.py\n    symbol: is_internal_attribute\n",
    )
    build(run_cli, project)
    assert run_cli("check", "--outputs", "out", cwd=project)[:2] == (0, "")
    write(project / "snippets" / "sandbox.py", "import os\nimport re\n" + source)
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout) == (
        1,
        'out/talk.pptx: stale: slide 1 "By lines": snippets/sandbox.py lines '
        f"'{function.lineno}-{function.end_lineno}' now show different code than the deck "
        "recorded\n",
    )


def test_the_bundled_deck_names_its_metrics_slide_and_ignores_edits_beside_it(run_cli, tmp_path):
    import shutil

    from conftest import ROOT

    shutil.copytree(ROOT / "content", tmp_path / "content")
    code, _, stderr = run_cli("build", "-o", "output", cwd=tmp_path)
    assert code == 0, stderr
    deck = tmp_path / "output" / "ai-vs-ml-engineer.pptx"
    before = deck.read_bytes()
    titles = [s.shapes.title.text for s in Presentation(str(deck)).slides]
    number = titles.index("ML eval: offline metrics") + 1
    snippet = tmp_path / "content" / "snippets" / "ml_eval.py"
    source = snippet.read_text()
    snippet.write_text(source + "\n\n# a note after every region the deck shows\n")
    code, stdout, _ = run_cli("check", "--outputs", "output", cwd=tmp_path)
    assert (code, output_lines(stdout, "output/")) == (0, [])
    assert run_cli("build", "-o", "output", cwd=tmp_path)[0] == 0
    assert deck.read_bytes() == before
    assert "# [start:metrics]\n" in source
    snippet.write_text(source.replace("# [start:metrics]\n", "# [start:metrics]\nimport os\n"))
    code, stdout, _ = run_cli("check", "--outputs", "output", cwd=tmp_path)
    assert (code, output_lines(stdout, "output/")) == (
        1,
        [
            f'output/ai-vs-ml-engineer.pptx: stale: slide {number} "ML eval: offline metrics": '
            "snippets/ml_eval.py region 'metrics' changed"
        ],
    )
    assert_valid_pptx(deck)  # its excerpt records are well-formed custom properties


def minimal_pdf(info: bytes) -> bytes:
    """A one-page PDF with a classic cross-reference table and the given Info dictionary."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>",
        info,
    ]
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 5\n0000000000 65535 f \n"
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<</Size 5/Root 1 0 R/Info 4 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    return data


@needs_tools("pdfinfo")
@pytest.mark.parametrize(
    "info, kept",
    [
        (b"<</Title<FEFF0054>/CreationDate(D:20261204202057Z')>>", "Title:           T"),
        (b"<</Title(a >> \\) (b\\(\\) c))/Subject<</X 1>>>>", "Title:           a >> ) (b() c)"),
    ],
)
def test_the_pdf_fingerprint_is_an_incremental_update_poppler_reads(tmp_path, info, kept):
    import subprocess

    from generator.writers.pdf_info import add_info, read_info_entry

    original = minimal_pdf(info)
    updated = add_info(original, {"DeckwrightFingerprint": '{"a": "caf\u00e9 --> \u4e2d"}'})
    assert updated.startswith(original)  # LibreOffice's bytes stay as they were
    assert read_info_entry(updated, "DeckwrightFingerprint") == '{"a": "caf\u00e9 --> \u4e2d"}'
    (tmp_path / "a.pdf").write_bytes(updated)
    done = subprocess.run(
        ["pdfinfo", "-custom", str(tmp_path / "a.pdf")], capture_output=True, text=True
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert 'DeckwrightFingerprint:{"a": "caf\u00e9 --> \u4e2d"}' in done.stdout
    assert kept in done.stdout  # LibreOffice's entries are kept, strings whole
