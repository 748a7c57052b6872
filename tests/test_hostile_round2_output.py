"""Hostile input, round two (A): a build never damages anything but its own outputs.

An output path that is a device, FIFO or socket is refused with one line (a rename
would replace the device itself); a symbolic link is followed and its target
written; the formats of one build are renamed in all together or not at all; and
`-o newdir/` makes a folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import write
from pptx import Presentation

import generator.writers.save as save

TALK = "title: First\nslides:\n  - kind: statement\n    text: hi\n"
HINT = "(deckwright writes regular files only; give a file or folder path)"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_fifo_as_output_is_refused_and_left_a_fifo(run_cli, project):
    content = write(project / "talk.yaml", TALK)
    fifo = project / "deck.pptx"
    os.mkfifo(fifo)
    code, stdout, stderr = run_cli("build", content, "-o", fifo)
    assert (code, stdout) == (1, "")
    assert stderr == f"{fifo}:1:1: output path is a FIFO (named pipe), not a regular file {HINT}\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _leftovers(project) == []


def test_a_symbolic_link_as_output_writes_its_target_and_stays_a_link(run_cli, project):
    content = write(project / "talk.yaml", TALK)
    (project / "decks").mkdir()
    target = write(project / "decks" / "real.pptx", "old")
    link = project / "deck.pptx"
    link.symlink_to(Path("decks") / "real.pptx")
    code, stdout, stderr = run_cli("build", content, "-o", link, cwd=project)
    assert (code, stderr) == (0, "")
    assert stdout.startswith("decks/real.pptx  1 slides  ")
    assert os.readlink(link) == str(Path("decks") / "real.pptx")
    assert Presentation(str(target)).core_properties.title == "First"
    assert _leftovers(project / "decks") == []


def test_a_symbolic_link_to_a_fifo_is_refused(run_cli, project):
    content = write(project / "talk.yaml", TALK)
    os.mkfifo(project / "pipe")
    link = project / "deck.pptx"
    link.symlink_to(project / "pipe")
    code, stdout, stderr = run_cli("build", content, "-o", link)
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"{link}:1:1: output path is a symbolic link to a FIFO (named pipe), "
        f"not a regular file {HINT}\n"
    )
    assert link.is_symlink() and stat.S_ISFIFO(os.stat(link).st_mode)


@pytest.fixture
def no_rename_into_dev(monkeypatch):
    """Fail the test, not the machine: a rename onto /dev would replace a device."""
    real_replace = os.replace

    def guarded(source, target, *args, **kwargs):
        assert not os.fspath(target).startswith("/dev/"), f"renamed onto {target}"
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(save.os, "replace", guarded)


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_a_character_device_as_output_is_refused_and_stays_a_device(
    run_cli, project, device, no_rename_into_dev
):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    content = write(project / "talk.yaml", TALK)
    before = os.stat(device)
    assert stat.S_ISCHR(before.st_mode)
    code, stdout, stderr = run_cli("build", content, "-o", device)
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"{device}:1:1: output path is a character device, not a regular file {HINT}\n"
    )
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert not [name for name in os.listdir("/dev") if name.startswith(f".{Path(device).name}.")]


def test_dev_stdout_as_output_is_refused_whatever_stdout_is(run_cli, project, no_rename_into_dev):
    if not os.path.islink("/dev/stdout") or not os.path.isdir("/proc/self/fd"):
        pytest.skip("/dev/stdout is not a link into /proc here")
    content = write(project / "talk.yaml", TALK)
    code, stdout, stderr = run_cli("build", content, "-o", "/dev/stdout")
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"/dev/stdout:1:1: output path is a link to an open file descriptor, not a file {HINT}\n"
    )


def test_a_failed_markdown_write_leaves_the_deck_of_the_same_build_untouched(run_cli, project):
    content = write(project / "talk.yaml", TALK)
    out = project / "out"
    assert run_cli("build", content, "-f", "pptx", "-f", "md", "-o", out)[0] == 0
    deck_before = (out / "talk.pptx").read_bytes()
    write(content, TALK.replace("First", "Second"))
    (out / "talk.md").unlink()
    os.mkfifo(out / "talk.md")  # the Markdown cannot be written: nothing may be
    code, stdout, stderr = run_cli("build", content, "-f", "pptx", "-f", "md", "-o", out)
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"{out / 'talk.md'}:1:1: output path is a FIFO (named pipe), not a regular file {HINT}\n"
    )
    assert (out / "talk.pptx").read_bytes() == deck_before
    assert _leftovers(out) == []


def test_a_markdown_write_failing_on_disk_full_leaves_the_deck_untouched(
    run_cli, project, monkeypatch
):
    content = write(project / "talk.yaml", TALK)
    out = project / "out"
    assert run_cli("build", content, "-f", "pptx", "-f", "md", "-o", out)[0] == 0
    deck_before = (out / "talk.pptx").read_bytes()
    md_before = (out / "talk.md").read_text()
    write(content, TALK.replace("First", "Second"))
    real_write = save.Staged.write

    def full_for_markdown(self, path, data):
        if Path(path).suffix == ".md":
            raise OSError(28, "No space left on device")
        return real_write(self, path, data)

    monkeypatch.setattr(save.Staged, "write", full_for_markdown)
    code, stdout, stderr = run_cli("build", content, "-f", "pptx", "-f", "md", "-o", out)
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"{out / 'talk.md'}:1:1: cannot write: No space left on device (free some disk space)\n"
    )
    assert (out / "talk.pptx").read_bytes() == deck_before
    assert (out / "talk.md").read_text() == md_before
    assert _leftovers(out) == []


def test_an_output_folder_that_does_not_exist_yet_is_made(run_cli, project):
    content = write(project / "talk.yaml", TALK)
    code, stdout, stderr = run_cli("build", "talk.yaml", "-o", "newdir/", cwd=project)
    assert (code, stderr) == (0, "")
    assert stdout.startswith("newdir/talk.pptx  1 slides  ")
    assert (project / "newdir").is_dir()
    assert Presentation(str(project / "newdir" / "talk.pptx")).core_properties.title == "First"
    assert content.exists()


def test_an_existing_folder_without_suffix_is_the_output_folder(run_cli, project):
    write(project / "talk.yaml", TALK)
    (project / "decks").mkdir()
    code, stdout, _ = run_cli("build", "talk.yaml", "-o", "decks", cwd=project)
    assert code == 0
    assert stdout.startswith("decks/talk.pptx  1 slides  ")


@pytest.mark.parametrize("folder", ["v1.2/", "deck.pptx/", "out.d/v1.2/"])
def test_an_output_ending_in_a_slash_is_a_folder_whatever_its_name(run_cli, project, folder):
    write(project / "talk.yaml", TALK)
    code, stdout, stderr = run_cli("build", "talk.yaml", "-o", folder, "-f", "pptx", cwd=project)
    assert (code, stderr) == (0, "")
    assert stdout.startswith(f"{folder}talk.pptx  1 slides  ")
    assert (project / folder).is_dir()
    assert Presentation(str(project / folder / "talk.pptx")).core_properties.title == "First"
    # Several formats and several decks go into it too.
    write(project / "other.yaml", TALK)
    code, _, stderr = run_cli(
        "build", "talk.yaml", "other.yaml", "-o", folder, "-f", "pptx", "-f", "md", cwd=project
    )
    assert code == 0, stderr
    assert {p.name for p in (project / folder).iterdir()} >= {
        "talk.pptx",
        "talk.md",
        "other.pptx",
        "other.md",
    }


def test_without_the_slash_a_dotted_name_is_still_a_file(run_cli, project):
    write(project / "talk.yaml", TALK)
    code, _, stderr = run_cli("build", "talk.yaml", "-o", "v1.2", "-f", "pptx", cwd=project)
    assert code == 0, stderr
    assert (project / "v1.2").is_file()
