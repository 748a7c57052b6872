"""The command line as a user meets it: output lines, error lines and exit codes."""

from __future__ import annotations

from pathlib import Path

from conftest import write
from pptx import Presentation

SMALL = """\
title: Small talk
author: "{{ who }}"
vars: {who: Ada}
slides:
  - kind: title
  - kind: bullets
    title: Points
    bullets: [one, two]
    notes: Say hello.
"""


def test_help_lists_the_commands(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0
    for command in ("build", "check", "themes"):
        assert command in out


def test_build_writes_the_deck_and_one_line(run_cli, project: Path):
    content = write(project / "talk.yaml", SMALL)
    out = project / "out" / "talk.pptx"
    code, stdout, stderr = run_cli("build", content, "-o", out)
    assert (code, stderr) == (0, "")
    assert stdout.startswith(f"{out}  2 slides  ")
    deck = Presentation(str(out))
    assert deck.slides[1].notes_slide.notes_text_frame.text == "Say hello."


def test_build_without_content_builds_content_folder_into_output(run_cli, project: Path):
    write(project / "content" / "talk.yaml", SMALL)
    code, stdout, _ = run_cli("build", cwd=project)
    assert code == 0
    assert stdout.startswith("output/talk.pptx  2 slides")
    assert (project / "output" / "talk.pptx").is_file()


def test_content_error_is_one_located_line_and_exit_1(run_cli, project: Path):
    content = write(project / "talk.yaml", SMALL.replace("kind: bullets", "kind: bulets"))
    code, stdout, stderr = run_cli("build", content, "-o", project / "talk.pptx")
    assert code == 1
    assert stderr == (f"{content}:6:11: unknown slide kind 'bulets' (did you mean 'bullets'?)\n")
    assert not (project / "talk.pptx").exists()


def test_failed_build_leaves_the_existing_deck_untouched(run_cli, project: Path):
    content = write(project / "talk.yaml", SMALL)
    out = project / "talk.pptx"
    assert run_cli("build", content, "-o", out)[0] == 0
    before = out.read_bytes()
    write(content, SMALL.replace("{{ who }}", "{{ whom }}"))
    code, _, stderr = run_cli("build", content, "-o", out)
    assert code == 1 and "undefined variable 'whom'" in stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in project.iterdir()) == [
        "deckwright.yaml",
        "talk.pptx",
        "talk.yaml",
    ]


def test_usage_errors_exit_2(run_cli, project: Path):
    content = write(project / "talk.yaml", SMALL)
    assert run_cli("build", content, "--var", "novalue")[0] == 2
    assert run_cli("build", content, "--format", "docx")[0] == 2
    assert run_cli("frobnicate")[0] == 2


def test_var_option_reaches_the_deck(run_cli, project: Path):
    content = write(project / "talk.yaml", SMALL)
    out = project / "talk.pptx"
    assert run_cli("build", content, "-o", out, "--var", "who=Grace")[0] == 0
    texts = [
        shape.text_frame.text
        for shape in Presentation(str(out)).slides[0].shapes
        if shape.has_text_frame
    ]
    assert any("Grace" in text for text in texts)


def test_check_validates_without_writing(run_cli, project: Path):
    content = write(project / "talk.yaml", SMALL)
    code, _, _ = run_cli("check", content, cwd=project)
    assert code == 0
    assert not (project / "output").exists()
    write(content, SMALL.replace("title: Points", "title: [Points]"))
    code, _, stderr = run_cli("check", content, cwd=project)
    assert code == 1
    assert stderr == "talk.yaml:7:12: expected text, got a list\n"


def test_themes_lists_the_bundled_default(run_cli, tmp_path: Path):
    code, stdout, _ = run_cli("themes", cwd=tmp_path)
    assert code == 0
    assert "default" in stdout.splitlines()


def test_an_internal_error_is_one_line_not_a_traceback(run_cli, project: Path, monkeypatch):
    from generator import api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "build", broken)
    content = write(project / "talk.yaml", SMALL)
    code, stdout, stderr = run_cli("build", content, "-o", project / "talk.pptx")
    assert (code, stdout) == (70, "")
    assert stderr == (
        f"{content}: internal error (this is a bug in deckwright, please report "
        "it): RuntimeError: boom (set DECKWRIGHT_DEBUG=1 for the traceback)\n"
    )


def test_check_prints_each_problem_once_across_themes(run_cli, project: Path):
    # acme extends default: the same notes about default's fonts come from both themes.
    content = write(
        project / "talk.yaml",
        SMALL.replace("{who: Ada}", "{who: Ada, company: X}") + "  - kind: code\n    title: C\n"
        "    language: python\n    source: \"x = '" + "a" * 120 + "'\"\n",
    )
    code, stdout, stderr = run_cli("check", content, "-t", "default", "-t", "acme")
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert lines and len(lines) == len(set(lines))
