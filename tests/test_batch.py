"""Batch builds: contents x themes in parallel, one line a deck, failures listed at the end."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from conftest import write
from pptx import Presentation

from generator import api, batch
from generator.theme.load import available_themes

TALK = """\
title: {title}
vars: {{company: Acme}}
slides:
  - kind: title
  - kind: bullets
    title: Points
    bullets: [one, two]
  - kind: closing
    title: Thanks
"""
BROKEN = """\
title: Broken
slides:
  - kind: tabel
    title: Oops
"""
SUMMARY = re.compile(r"(\S+)  (\d+) slides  \d+\.\d\d s")


@pytest.fixture
def talks(project: Path) -> Path:
    """A project with two talks and two themes of its own (besides the bundled default)."""
    write(project / "content" / "alpha.yaml", TALK.format(title="Alpha"))
    write(project / "content" / "beta.yaml", TALK.format(title="Beta"))
    write(
        project / "themes" / "night" / "theme.yaml",
        'name: night\nextends: default\ncolors: {background: "#111827", text: "#F9FAFB", '
        'heading: "#FFFFFF", muted: "#D1D5DB"}\n',
    )
    write(
        project / "themes" / "brand" / "theme.yaml",
        'name: brand\nextends: default\ncolors: {accent: "#E4002B"}\n',
    )
    return project


def decks(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.pptx"))


SIX = [
    "alpha-brand.pptx",
    "alpha-default.pptx",
    "alpha-night.pptx",
    "beta-brand.pptx",
    "beta-default.pptx",
    "beta-night.pptx",
]


def test_two_contents_times_three_themes_write_six_decks_in_parallel(run_cli, talks: Path):
    code, stdout, stderr = run_cli(
        "build",
        "content/alpha.yaml",
        "content/beta.yaml",
        "-t",
        "default",
        "-t",
        "night",
        "-t",
        "brand",
        "--jobs",
        "2",
        cwd=talks,
    )
    assert code == 0, stderr
    assert decks(talks / "output") == SIX
    lines = stdout.splitlines()
    assert len(lines) == 6
    # one line a deck, in the order asked: content first, then theme
    assert [SUMMARY.fullmatch(line).group(1) for line in lines] == [
        "output/alpha-default.pptx",
        "output/alpha-night.pptx",
        "output/alpha-brand.pptx",
        "output/beta-default.pptx",
        "output/beta-night.pptx",
        "output/beta-brand.pptx",
    ]
    assert all(SUMMARY.fullmatch(line).group(2) == "3" for line in lines)
    # more than three decks: a progress bar (on stderr, only its label when not a tty)
    assert stderr.splitlines()[0] == "Building 6 decks"
    assert re.fullmatch(r"6 of 6 decks built in \d+\.\d\d s", stderr.splitlines()[-1])
    night = Presentation(str(talks / "output" / "alpha-night.pptx"))
    assert len(night.slides) == 3


def test_a_broken_content_fails_alone_and_is_named_at_the_end(run_cli, talks: Path):
    write(talks / "content" / "broken.yaml", BROKEN)
    code, stdout, stderr = run_cli(
        "build",
        "content/alpha.yaml",
        "content/beta.yaml",
        "content/broken.yaml",
        "-t",
        "default",
        "-t",
        "night",
        "-t",
        "brand",
        "--jobs",
        "2",
        cwd=talks,
    )
    assert code == 1
    assert decks(talks / "output") == SIX
    assert len(stdout.splitlines()) == 6
    error = "content/broken.yaml:3:11: unknown slide kind 'tabel' (did you mean 'table'?)"
    tail = stderr.splitlines()[-7:]
    assert tail == [
        "6 of 9 decks built in " + tail[0].rsplit(" in ", 1)[1],
        "failed: content/broken.yaml (theme default)",
        error,
        "failed: content/broken.yaml (theme night)",
        error,
        "failed: content/broken.yaml (theme brand)",
        error,
    ]


def test_theme_all_builds_every_theme_found(run_cli, talks: Path, monkeypatch):
    monkeypatch.chdir(talks)
    names = [name for name, _ in available_themes(talks)]
    assert {"default", "night", "brand"} <= set(names)
    code, stdout, stderr = run_cli(
        "build", "content/alpha.yaml", "-t", "all", "--jobs", "1", cwd=talks
    )
    assert code == 0, stderr
    assert decks(talks / "output") == sorted(f"alpha-{name}.pptx" for name in names)
    assert len(stdout.splitlines()) == len(names)


def test_a_crash_in_one_deck_does_not_stop_the_others(run_cli, talks: Path, monkeypatch):
    real_build = api.build

    def build(content, **options):
        if content.stem == "beta":
            raise RuntimeError("boom")
        return real_build(content, **options)

    monkeypatch.setattr(api, "build", build)
    code, stdout, stderr = run_cli(
        "build", "content/alpha.yaml", "content/beta.yaml", "--jobs", "1", cwd=talks
    )
    assert code == 70
    assert decks(talks / "output") == ["alpha.pptx"]
    assert stderr.splitlines()[-2:] == [
        "failed: content/beta.yaml",
        "content/beta.yaml: internal error (this is a bug in deckwright, please report it): "
        "RuntimeError: boom (set DECKWRIGHT_DEBUG=1 for the traceback)",
    ]


def test_one_deck_builds_in_process_without_a_pool(talks: Path, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for one deck")

    # batch imports the pool only when it needs one (a single build skips multiprocessing)
    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", no_pool)
    monkeypatch.chdir(talks)
    jobs = batch.plan_jobs([Path("content/alpha.yaml")], ["night"])
    [outcome] = batch.run(jobs, workers=4)
    assert outcome.ok and outcome.result.outputs == [Path("output/alpha-night.pptx")]
    # what crosses the process boundary pickles
    assert pickle.loads(pickle.dumps(outcome)).result.slides == 3


def test_output_file_for_several_decks_is_a_usage_error(run_cli, talks: Path):
    code, _, stderr = run_cli(
        "build", "content/alpha.yaml", "content/beta.yaml", "-o", "deck.pptx", cwd=talks
    )
    assert code == 2
    assert "Error: --output deck.pptx names a file, but 2 decks build; give a folder" in stderr


def test_two_contents_with_one_stem_is_a_usage_error(run_cli, talks: Path):
    write(talks / "other" / "alpha.yaml", TALK.format(title="Other"))
    code, _, stderr = run_cli("build", "content/alpha.yaml", "other/alpha.yaml", cwd=talks)
    assert code == 2
    assert (
        "Error: content/alpha.yaml and other/alpha.yaml would both write output/alpha.*" in stderr
    )
    assert not (talks / "output").exists()


def test_check_takes_theme_all_too(run_cli, talks: Path):
    write(talks / "content" / "broken.yaml", BROKEN)
    assert run_cli("check", "content/alpha.yaml", "-t", "all", cwd=talks)[0] == 0
    code, _, stderr = run_cli("check", "content/broken.yaml", "-t", "all", cwd=talks)
    assert code == 1
    assert "content/broken.yaml:3:11: unknown slide kind 'tabel'" in stderr
