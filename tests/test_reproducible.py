"""Reproducible builds: the same inputs give a byte-identical .pptx."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT, write

from generator.writers.pptx_writer import read_custom_properties

RICH_DECK = """\
title: Reproducible
subtitle: Same inputs, same bytes
author: "{{ who }}"
date: 2026-11-26
theme: acme
vars: {who: Ada}
slides:
  - kind: title
    notes: Hello.
  - kind: bullets
    title: Links and notes
    bullets:
      - "See [the docs](https://example.com/docs) and [more](https://example.com/more)"
      - "**bold** *italic* `code`":
          - nested
    notes: Speaker notes travel too.
  - kind: table
    title: Table
    header: [A, B]
    rows:
      - [one, two]
      - [three, four]
  - kind: code
    title: Code
    language: python
    file: snippets/a.py
    region: r
  - kind: image
    title: Picture
    src: images/one.png
    alt: A red box
  - kind: comparison
    title: Side by side
    left: {heading: Left, image: images/two.png, alt: A blue box}
    right: {heading: Right, text: Words}
  - kind: statement
    text: One line to remember.
  - kind: closing
    title: Questions?
"""


def rich_project(project: Path) -> Path:
    """A deck with every part that could carry an accident: images, links, notes, a logo."""
    from PIL import Image

    write(project / "snippets" / "a.py", "# [start:r]\ndef f():\n    return 1\n# [end:r]\n")
    (project / "images").mkdir()
    Image.new("RGB", (64, 32), "red").save(project / "images" / "one.png")
    Image.new("RGB", (32, 64), "blue").save(project / "images" / "two.png")
    write(
        project / "themes" / "acme" / "theme.yaml",
        'name: acme\nextends: default\nlogo: logo.png\nfooter: "{{ who }} · Internal"\n',
    )
    Image.new("RGB", (40, 20), "green").save(project / "themes" / "acme" / "logo.png")
    return write(project / "talk.yaml", RICH_DECK)


def cli_build(project: Path, out: str, env: dict[str, str] | None = None) -> bytes:
    """Build in a fresh Python process (its own hash seed) and return the deck's bytes."""
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "build", "talk.yaml", "-o", out],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    assert completed.returncode == 0, completed.stderr
    return (project / out).read_bytes()


def test_two_builds_of_the_same_inputs_are_byte_identical(project):
    rich_project(project)
    first = cli_build(project, "out/a.pptx", {"PYTHONHASHSEED": "1"})
    second = cli_build(project, "elsewhere/b.pptx", {"PYTHONHASHSEED": "2"})
    assert first == second


def test_a_moved_project_builds_the_same_bytes(run_cli, project, tmp_path_factory):
    rich_project(project)
    assert run_cli("build", "talk.yaml", "-o", "out/a.pptx", cwd=project)[0] == 0
    moved = tmp_path_factory.mktemp("moved") / "project"
    shutil.copytree(project, moved, ignore=shutil.ignore_patterns("out"))
    assert run_cli("build", "talk.yaml", "-o", "out/a.pptx", cwd=moved)[0] == 0
    assert (project / "out" / "a.pptx").read_bytes() == (moved / "out" / "a.pptx").read_bytes()


def test_zip_entries_have_fixed_timestamps_and_the_deck_date(run_cli, project):
    rich_project(project)
    assert run_cli("build", "talk.yaml", "-o", "a.pptx", cwd=project)[0] == 0
    with zipfile.ZipFile(project / "a.pptx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2026-11-26T00:00:00Z") == 3  # created, modified, last printed


def test_source_date_epoch_sets_the_document_dates(run_cli, project, monkeypatch):
    rich_project(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run_cli("build", "talk.yaml", "-o", "a.pptx", cwd=project)[0] == 0
    assert run_cli("build", "talk.yaml", "-o", "b.pptx", cwd=project)[0] == 0
    assert (project / "a.pptx").read_bytes() == (project / "b.pptx").read_bytes()
    with zipfile.ZipFile(project / "a.pptx") as archive:
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2023-11-14T22:13:20Z") == 3
    assert "2026-11-26" not in core


def test_an_impossible_source_date_epoch_falls_back_to_the_deck_date(run_cli, project, monkeypatch):
    rich_project(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999999")
    code, _, stderr = run_cli("build", "talk.yaml", "-o", "a.pptx", cwd=project)
    assert code == 0, stderr
    with zipfile.ZipFile(project / "a.pptx") as archive:
        assert "2026-11-26T00:00:00Z" in archive.read("docProps/core.xml").decode()


def test_var_overrides_change_the_fingerprint_and_are_reproducible(run_cli, project):
    rich_project(project)
    for name, who in (("a", "Ada"), ("b", "Bob"), ("c", "Ada")):
        assert (
            run_cli("build", "talk.yaml", "-o", f"{name}.pptx", "--var", f"who={who}", cwd=project)[
                0
            ]
            == 0
        )
    prints = [
        read_custom_properties(project / f"{n}.pptx")["deckwright:fingerprint"] for n in "abc"
    ]
    assert prints[0] != prints[1] and prints[0] == prints[2]
    assert (project / "a.pptx").read_bytes() == (project / "c.pptx").read_bytes()
