"""Output that cannot be written, and builds that die mid-write: the old deck stays whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import write
from pptx import Presentation

import generator.writers.save as save

TALK = "vars: {company: Acme}\ntitle: First\nslides:\n  - kind: statement\n    text: hi\n"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def test_an_output_path_that_is_a_folder(run_cli, project):
    content = write(project / "talk.yaml", TALK)
    (project / "deck.pptx").mkdir()
    code, stdout, stderr = run_cli("build", content, "-o", project / "deck.pptx")
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"{project / 'deck.pptx'}:1:1: output path is a folder (give a file name ending in .pptx)\n"
    )


def test_an_output_folder_that_is_a_file(run_cli, project):
    content = write(project / "talk.yaml", TALK)
    write(project / "out", "I am a file")
    for target in (project / "out" / "talk.pptx", project / "out" / "deep" / "talk.pptx"):
        code, stdout, stderr = run_cli("build", content, "-o", target)
        assert (code, stdout) == (1, "")
        assert stderr == (
            f"{target}:1:1: cannot write: '{project / 'out'}' is a file, not a "
            "folder (choose another output folder)\n"
        )
    assert (project / "out").read_text() == "I am a file"


@pytest.mark.skipif(AS_ROOT, reason="root writes into read-only folders")
def test_an_unwritable_output_folder(run_cli, project):
    content = write(project / "talk.yaml", TALK)
    folder = project / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, stdout, stderr = run_cli("build", content, "-o", folder / "talk.pptx")
    finally:
        folder.chmod(0o700)
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"{folder / 'talk.pptx'}:1:1: cannot write: Permission denied "
        "(check the output folder's permissions)\n"
    )


@pytest.mark.skipif(not AS_ROOT, reason="mounting a read-only file system needs root")
def test_a_read_only_output_folder_as_root(run_cli, project):
    # Root ignores folder modes, so make the folder a read-only file system instead.
    content = write(project / "talk.yaml", TALK)
    folder = project / "readonly"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {mounted.stderr.strip()}")
    try:
        code, stdout, stderr = run_cli("build", content, "-o", folder / "talk.pptx")
    finally:
        subprocess.run(["umount", str(folder)], check=True)
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"{folder / 'talk.pptx'}:1:1: cannot write: Read-only file system "
        "(the output folder is read-only; choose another)\n"
    )


def test_a_permission_error_from_the_file_system_is_one_line(run_cli, project, monkeypatch):
    # The same path as above, for when the tests run as root (who may write anywhere).
    content = write(project / "talk.yaml", TALK)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(save.tempfile, "mkstemp", refuse)
    out = project / "out" / "talk.pptx"
    code, stdout, stderr = run_cli("build", content, "-o", out)
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"{out}:1:1: cannot write: Permission denied (check the output folder's permissions)\n"
    )


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_write_that_fails_halfway_leaves_the_old_deck_whole(run_cli, project, monkeypatch):
    content = write(project / "talk.yaml", TALK)
    out = project / "out" / "talk.pptx"
    assert run_cli("build", content, "-o", out)[0] == 0
    before = out.read_bytes()
    write(content, TALK.replace("First", "Second"))
    real_fdopen = os.fdopen

    class DiskFull:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(save.os, "fdopen", lambda fd, mode: DiskFull(real_fdopen(fd, mode)))
    code, stdout, stderr = run_cli("build", content, "-o", out)
    assert (code, stdout) == (1, "")
    assert stderr == f"{out}:1:1: cannot write: No space left on device (free some disk space)\n"
    assert out.read_bytes() == before
    assert _leftovers(out.parent) == []  # the half-written temporary file is removed


KILLED_BUILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path

    content, out, flag = sys.argv[1:4]
    real_fdopen = os.fdopen

    class Slow:
        # Writes half the deck into the temporary file, says so, then hangs until killed.
        def __init__(self, handle):
            self.handle = handle
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)
        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            Path(flag).write_text("half written")
            time.sleep(600)

    def slow_fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return Slow(handle) if "w" in mode else handle

    import generator.writers.save as save
    save.os.fdopen = slow_fdopen
    from generator.cli import main
    main(["build", content, "-o", out])
""")


def test_a_build_killed_mid_write_leaves_the_old_deck_byte_identical(run_cli, project):
    content = write(project / "talk.yaml", TALK)
    out = project / "out" / "talk.pptx"
    assert run_cli("build", content, "-o", out)[0] == 0
    before = out.read_bytes()
    write(content, TALK.replace("First", "Second").replace("text: hi", "text: changed"))
    flag = project / "half-written"
    script = write(project / "killed_build.py", KILLED_BUILD)
    process = subprocess.Popen(
        [sys.executable, str(script), str(content), str(out), str(flag)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the build never reached the write"
            time.sleep(0.05)
        temporary = _leftovers(out.parent)
        assert len(temporary) == 1  # the new deck, half written, beside the old one
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert out.read_bytes() == before
    assert Presentation(str(out)).core_properties.title == "First"
    # The next build replaces it as usual.
    assert run_cli("build", content, "-o", out)[0] == 0
    assert out.read_bytes() != before
    assert Presentation(str(out)).core_properties.title == "Second"


def test_a_failed_build_writes_no_temporary_file_and_keeps_the_old_deck(run_cli, project):
    content = write(project / "talk.yaml", TALK)
    out = project / "out" / "talk.pptx"
    assert run_cli("build", content, "-o", out)[0] == 0
    before = out.read_bytes()
    write(content, TALK.replace("kind: statement", "kind: statment"))
    code, _, stderr = run_cli("build", content, "-o", out)
    assert (code, stderr) == (
        1,
        f"{content}:4:11: unknown slide kind 'statment' (did you mean 'statement'?)\n",
    )
    assert out.read_bytes() == before
    assert _leftovers(out.parent) == []


@pytest.mark.parametrize("name", ["o" * 5000 + ".pptx", "d" * 300 + "/talk.pptx"])
def test_an_output_name_too_long_for_the_file_system(run_cli, project, name):
    content = write(project / "talk.yaml", TALK)
    target = project / name
    code, stdout, stderr = run_cli("build", content, "-o", target)
    assert (code, stdout) == (1, "")
    assert stderr == f"{target}:1:1: cannot write: File name too long\n"
