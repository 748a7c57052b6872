"""`deckwright watch`, driven in a subprocess: rebuild on change, errors, Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import ROOT, write

from generator import watch
from generator.writers.pptx_writer import read_custom_properties

TIMEOUT = 20.0
BUILT = "out/talk.pptx  "


class Watcher:
    """A `deckwright watch` process whose output lines arrive on queues."""

    def __init__(
        self, project: Path, *args: str, interval: str = "0.1", env: dict[str, str] | None = None
    ):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "watch", *args, "--interval", interval],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        )
        self.out: queue.Queue[str] = queue.Queue()
        self.err: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        self.pumps = [
            threading.Thread(target=self._pump, args=(stream, lines), daemon=True)
            for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err))
        ]
        for pump in self.pumps:
            pump.start()

    @staticmethod
    def _pump(stream, lines: queue.Queue) -> None:
        for line in stream:
            lines.put(line)

    def wait_for(self, lines: queue.Queue, text: str) -> str:
        """Return the next line that contains text; fail after TIMEOUT seconds."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} within {TIMEOUT} s") from None
            if lines is self.err:
                self.errors.append(line)
            if text in line:
                return line

    def stop(self) -> tuple[int, str]:
        """Send Ctrl-C; return the exit code and the rest of stderr."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=TIMEOUT)
        self.close()
        rest = []
        while not self.err.empty():
            rest.append(self.err.get())
        return code, "".join(self.errors + rest)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.close()

    def close(self) -> None:
        for pump in self.pumps:
            pump.join(timeout=TIMEOUT)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None and not stream.closed:
                stream.close()


def watched_project(project: Path) -> None:
    write(project / "snippets" / "a.py", "# [start:r]\nx = 1\n# [end:r]\n")
    write(project / "themes" / "acme" / "theme.yaml", "name: acme\nextends: default\n")
    write(
        project / "talk.yaml",
        "title: Watched\ntheme: acme\nslides:\n  - kind: code\n"
        "    title: Code\n    language: python\n    file: snippets/a.py\n    region: r\n",
    )


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


def test_watch_rebuilds_when_an_include_or_theme_changes_and_stops_on_ctrl_c(project):
    watched_project(project)
    watcher = Watcher(project, "talk.yaml", "-o", "out/talk.pptx")
    try:
        watcher.wait_for(watcher.out, BUILT)
        watcher.wait_for(watcher.err, "watching 4 files of 1 deck")
        deck = project / "out" / "talk.pptx"
        first = read_custom_properties(deck)["deckwright:fingerprint"]

        edit(project / "snippets" / "a.py", "x = 1", "x = 2")
        watcher.wait_for(watcher.out, BUILT)
        second = read_custom_properties(deck)["deckwright:fingerprint"]
        assert second != first

        edit(
            project / "themes" / "acme" / "theme.yaml",
            "default\n",
            'default\ncolors: {accent: "#E4002B"}\n',
        )
        watcher.wait_for(watcher.out, BUILT)
        assert read_custom_properties(deck)["deckwright:fingerprint"] not in (first, second)

        code, stderr = watcher.stop()
    finally:
        watcher.kill()
    assert code == 0
    assert "Traceback" not in stderr
    assert stderr.endswith("stopped watching\n")


def test_watch_shows_errors_and_keeps_watching(project):
    watched_project(project)
    watcher = Watcher(project, "talk.yaml", "-o", "out/talk.pptx")
    try:
        watcher.wait_for(watcher.out, BUILT)
        watcher.wait_for(watcher.err, "watching")
        edit(project / "talk.yaml", "region: r", "region: nope")
        line = watcher.wait_for(watcher.err, "talk.yaml:8:13: region 'nope' not found")
        assert line == (
            "talk.yaml:8:13: region 'nope' not found in 'snippets/a.py' (regions in the file: r)\n"
        )
        edit(project / "talk.yaml", "region: nope", "region: r")
        watcher.wait_for(watcher.out, BUILT)
        code, stderr = watcher.stop()
    finally:
        watcher.kill()
    assert code == 0
    assert "Traceback" not in stderr


def test_watch_usage_errors_exit_2_without_watching(project):
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "watch"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert completed.returncode == 2
    assert "no CONTENT given and no content/*.yaml here" in completed.stderr


def test_a_save_is_rebuilt_on_the_file_system_event_not_on_the_next_poll(project):
    # With a minute between polls, only the event can bring the rebuild within TIMEOUT.
    watched_project(project)
    watcher = Watcher(project, "talk.yaml", "-o", "out/talk.pptx", interval="60")
    try:
        watcher.wait_for(watcher.out, BUILT)
        watcher.wait_for(watcher.err, "watching 4 files of 1 deck")
        deck = project / "out" / "talk.pptx"
        first = read_custom_properties(deck)["deckwright:fingerprint"]
        edit(project / "snippets" / "a.py", "x = 1", "x = 2")
        watcher.wait_for(watcher.out, BUILT)
        assert read_custom_properties(deck)["deckwright:fingerprint"] != first
        code, stderr = watcher.stop()  # Ctrl-C is not left waiting for the minute either
    finally:
        watcher.kill()
    assert code == 0 and "events unavailable" not in stderr


def test_without_file_system_events_it_polls(project):
    watched_project(project)
    watcher = Watcher(
        project, "talk.yaml", "-o", "out/talk.pptx", env={"DECKWRIGHT_WATCH_POLLING": "1"}
    )
    try:
        watcher.wait_for(watcher.out, BUILT)
        watcher.wait_for(watcher.err, "watching")
        edit(project / "talk.yaml", "title: Code", "title: Polled")
        watcher.wait_for(watcher.out, BUILT)
        code, stderr = watcher.stop()
    finally:
        watcher.kill()
    assert code == 0 and "Traceback" not in stderr


def test_when_events_fail_the_waiter_says_why_once_and_polls(monkeypatch, tmp_path):
    def refused(folders):
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watch, "_events", refused)
    waiter = watch.Waiter(0.01)
    waiter.wait([tmp_path])
    assert waiter.polling and "inotify watch limit reached" in waiter.fallback
    waiter.fallback = ""
    waiter.wait([tmp_path])  # a sleep now, without asking for events again
    assert waiter.fallback == ""


def test_the_waiter_wakes_up_on_a_change_in_a_watched_folder(tmp_path):
    waiter = watch.Waiter(30.0)
    try:
        waiter.wait([tmp_path])  # starts watching, and returns to let the caller look
        threading.Timer(0.2, (tmp_path / "talk.yaml").write_text, args=("x",)).start()
        started = time.monotonic()
        waiter.wait([tmp_path])
        assert time.monotonic() - started < 10
        assert not waiter.polling
    finally:
        waiter.close()
