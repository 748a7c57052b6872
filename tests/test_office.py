"""One LibreOffice per batch or watch (writers/office.py), through the CLI and real soffice.

Which LibreOffice processes ran is read from /proc: each test gets its own temporary
folder (TMPDIR), and every LibreOffice the fast path starts has its profile there,
so its command line names the folder (and the pipe it listens on names the server).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from conftest import BUNDLED, ROOT, assert_valid_pptx, needs_soffice, pdf_pages, pdf_text, write
from system_packages import require_uno
from test_watch import Watcher

from generator.writers import office

pytestmark = needs_soffice

TALK = """\
title: {title}
subtitle: {subtitle}
slides:
  - kind: title
  - kind: bullets
    title: Points of {title}
    bullets: [one, two]
"""


def libreoffices(folder: Path) -> dict[int, str]:
    """Return {pid: command line} of the LibreOffice processes whose profile is in folder."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            words = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # ended meanwhile
            continue
        line = " ".join(word.decode(errors="replace") for word in words)
        if "soffice" in line and str(folder) in line:
            found[int(entry.name)] = line
    return found


def server_name(command: str) -> str:
    """Return the pipe a fast-path LibreOffice listens on ('' for a one-file soffice)."""
    for word in command.split():
        if word.startswith("--accept=pipe,name="):
            return word.split("=", 2)[2].split(";")[0]
    return ""


class Sampler:
    """Record every LibreOffice command line seen in a folder while a build runs."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.seen: dict[int, str] = {}
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while self.running:
            self.seen.update(libreoffices(self.folder))
            time.sleep(0.02)

    def stop(self) -> dict[int, str]:
        self.running = False
        self.thread.join()
        return self.seen


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch) -> Path:
    """A temporary folder of the test's own, for this process and its children."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.delenv(office.MODE_ENV, raising=False)
    return folder


def assert_nothing_left(folder: Path) -> None:
    assert libreoffices(folder) == {}, "a LibreOffice outlived the command"
    assert [p.name for p in folder.iterdir() if p.name.startswith("deckwright-")] == []


def talks(project: Path, count: int) -> list[Path]:
    return [
        write(
            project / f"talk{n}.yaml",
            TALK.format(title=f"Deck number {n}", subtitle=f"Subtitle {n}"),
        )
        for n in range(1, count + 1)
    ]


def test_a_batch_converts_every_deck_on_one_libreoffice_per_worker(
    run_cli, project: Path, private_tmp: Path
):
    require_uno()
    contents = talks(project, 4)
    sampler = Sampler(private_tmp)
    try:
        code, _, stderr = run_cli(
            "build", *contents, "-f", "pdf", "-f", "png", "-f", "pptx", "--jobs", "2",
            "-o", project / "out", cwd=project,
        )  # fmt: skip
    finally:
        seen = sampler.stop()
    assert code == 0, stderr
    for n in range(1, 5):
        pdf = project / "out" / f"talk{n}.pdf"
        assert pdf_pages(pdf) == 2
        text = pdf_text(pdf)
        assert f"Deck number {n}" in text and f"Subtitle {n}" in text
        assert (project / "out" / f"talk{n}-contact.png").is_file()
    servers = {server_name(command) for command in seen.values()}
    # Four decks, two workers: at most two LibreOffice servers, none started per file.
    assert "" not in servers, f"a one-file soffice ran: {seen}"
    assert 1 <= len(servers) <= 2, servers
    assert_nothing_left(private_tmp)
    assert_valid_pptx(*(project / "out").glob("*.pptx"))


def test_a_conversion_over_its_time_limit_is_one_line_and_the_old_pdf_stays(
    run_cli, project: Path, private_tmp: Path, monkeypatch
):
    require_uno()
    contents = [project / "bundled.yaml", project / "again.yaml"]
    for content in contents:
        content.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(BUNDLED.parent / "snippets", project / "snippets")
    out = project / "out"
    out.mkdir()
    (out / "bundled.pdf").write_bytes(b"the PDF from before")
    # No LibreOffice converts 22 slides in 50 ms: both conversions run out of time.
    monkeypatch.setenv("DECKWRIGHT_PDF_TIMEOUT", "0.05")
    code, stdout, stderr = run_cli(
        "build", *contents, "-f", "pdf", "--jobs", "2", "-o", out, cwd=project
    )
    assert code == 1
    assert stdout == ""
    for name in ("bundled", "again"):
        lines = [line for line in stderr.splitlines() if f"/{name}.pptx" in line]
        assert len(lines) == 1, stderr
        assert lines[0].endswith(": LibreOffice took longer than 0.05 s"), lines[0]
        assert "Traceback" not in stderr, stderr
    assert (out / "bundled.pdf").read_bytes() == b"the PDF from before"
    assert not (out / "again.pdf").exists()
    assert_nothing_left(private_tmp)


def test_watch_converts_every_save_on_one_libreoffice_and_restarts_it_when_killed(
    project: Path, private_tmp: Path
):
    require_uno()
    (content,) = talks(project, 1)
    pdf = project / "out" / "talk1.pdf"
    watcher = Watcher(
        project, str(content), "-f", "pdf", "-o", "out", env={"TMPDIR": str(private_tmp)}
    )
    try:
        watcher.wait_for(watcher.out, "out/talk1.pdf")
        servers = libreoffices(private_tmp)
        assert len(servers) == 1, servers
        (first,) = servers
        for save in ("second", "third"):
            content.write_text(TALK.format(title="Deck number 1", subtitle=f"The {save} save"))
            watcher.wait_for(watcher.out, "out/talk1.pdf")
            assert f"The {save} save" in pdf_text(pdf)
            assert set(libreoffices(private_tmp)) == {first}, "one LibreOffice for every save"

        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while first in libreoffices(private_tmp) and time.monotonic() < deadline:
            time.sleep(0.05)
        content.write_text(TALK.format(title="Deck number 1", subtitle="After the crash"))
        watcher.wait_for(watcher.out, "out/talk1.pdf")
        assert "After the crash" in pdf_text(pdf)
        restarted = libreoffices(private_tmp)
        assert len(restarted) == 1 and first not in restarted, restarted

        code, stderr = watcher.stop()
    finally:
        watcher.kill()
    assert code == 0, stderr
    assert "Traceback" not in stderr and "error" not in stderr, stderr
    assert_nothing_left(private_tmp)


def test_without_the_uno_bridge_each_pdf_gets_a_soffice_of_its_own(
    run_cli, project: Path, private_tmp: Path, monkeypatch
):
    # deckwright's own Python has no `uno`: the client cannot start, the old path converts.
    monkeypatch.setattr(office, "uno_python", lambda executable: sys.executable)
    monkeypatch.setattr(office, "_unavailable", None)
    contents = talks(project, 2)
    sampler = Sampler(private_tmp)
    try:
        code, _, stderr = run_cli(
            "build", *contents, "-f", "pdf", "--jobs", "1", "-o", project / "out", cwd=project
        )
    finally:
        seen = sampler.stop()
    assert code == 0, stderr
    assert "Subtitle 2" in pdf_text(project / "out" / "talk2.pdf")
    assert any("--convert-to" in command for command in seen.values()), seen
    reason = office.unavailable()
    assert reason is not None and "uno" in reason, reason
    assert_nothing_left(private_tmp)


def build_process(project: Path, private_tmp: Path, contents: list[Path]) -> subprocess.Popen:
    """Start `deckwright build -f pdf -f png --jobs 2` in a process group of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", *map(str, contents), "-f", "pdf",
         "-f", "png", "--jobs", "2", "-o", "out"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(private_tmp)},
        start_new_session=True,
    )  # fmt: skip


def first_libreoffice(folder: Path, process: subprocess.Popen) -> int:
    """Wait until a LibreOffice of the build runs in folder; return its pid."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        running = libreoffices(folder)
        if running:
            return min(running)
        time.sleep(0.02)
    raise AssertionError("no LibreOffice started")


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def test_a_killed_worker_leaves_no_libreoffice_and_no_folder(project: Path, private_tmp: Path):
    require_uno()
    build = build_process(project, private_tmp, talks(project, 6))
    try:
        worker = parent_of(first_libreoffice(private_tmp, build))
        assert worker != build.pid, "LibreOffice belongs to a worker of the pool"
        os.kill(worker, signal.SIGKILL)
        _, stderr = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    assert build.returncode == 70, stderr  # the killed worker's decks: internal errors
    assert "Traceback" not in stderr, stderr
    deadline = time.monotonic() + 10  # SIGKILL from the kernel may take a moment to land
    while libreoffices(private_tmp) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert_nothing_left(private_tmp)


def test_ctrl_c_during_a_batch_leaves_no_libreoffice_and_no_folder(
    project: Path, private_tmp: Path
):
    require_uno()
    build = build_process(project, private_tmp, talks(project, 6))
    try:
        first_libreoffice(private_tmp, build)
        os.killpg(build.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
        _, stderr = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    assert build.returncode != 0
    assert "Traceback" not in stderr, stderr
    assert_nothing_left(private_tmp)
