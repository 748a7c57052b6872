"""`deckwright serve`: a real server process, a real HTTP client, real saves of the content."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from conftest import BUNDLED, ROOT

TIMEOUT = 60


class Served:
    """A `deckwright serve` process: its URL, its terminal lines, its event stream."""

    def __init__(self, process: subprocess.Popen, url: str, lines: queue.Queue[str]):
        self.process, self.url, self.lines = process, url, lines
        self.port = int(url.rsplit(":", 1)[1].strip("/"))
        self._events: http.client.HTTPResponse | None = None

    def close(self) -> None:
        if self._events is not None:
            self._events.close()

    def get(self, path: str = "/", host: str | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        connection.request("GET", path, headers={"Host": host} if host else {})
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        connection.close()
        return response.status, body

    def next_state(self) -> dict:
        """Return the next build's state from the event stream (opened on first use)."""
        if self._events is None:
            request = urllib.request.Request(self.url + "events")
            self._events = urllib.request.urlopen(request, timeout=TIMEOUT)  # noqa: S310
        event, data = "", ""
        while True:
            line = self._events.readline().decode("utf-8")
            assert line, "the event stream ended"
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif not line and event == "state":
                return json.loads(data)

    def terminal(self, pattern: str) -> str:
        """Return the first line the server prints (from now on) that matches pattern."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if re.search(pattern, line):
                return line
        raise AssertionError(f"the server printed no line matching {pattern!r}")


@contextlib.contextmanager
def served(content: Path, *args: str) -> Iterator[Served]:
    """Run `deckwright serve CONTENT --port 0` in content's folder; stop it with Ctrl-C."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", content.name, "--port", "0", *args],
        cwd=content.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    reader = threading.Thread(
        target=lambda: [lines.put(line.rstrip("\n")) for line in process.stderr],  # type: ignore[union-attr]
        daemon=True,
    )
    reader.start()
    try:
        first = lines.get(timeout=TIMEOUT)
        match = re.search(r"at (http://127\.0\.0\.1:\d+/) \(Ctrl-C stops\)", first)
        assert match, first
        server = Served(process, match.group(1), lines)
        try:
            yield server
        finally:
            server.close()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=TIMEOUT)
        process.stderr.close()


def bundled_project(folder: Path) -> Path:
    """Copy the bundled deck and its snippets into a project folder; return the content."""
    shutil.copytree(BUNDLED.parent, folder / "content")
    (folder / "deckwright.yaml").write_text("# project marker\n")
    return folder / "content" / BUNDLED.name


def save(path: Path, old: str, new: str) -> None:
    """Edit a file as an editor saves it: the whole text written again."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_serve_rebuilds_on_every_save_and_shows_errors_as_the_terminal_does(tmp_path):
    content = bundled_project(tmp_path)
    with served(content) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.terminal(r"content|ai-vs-ml-engineer\.yaml\s+22 slides")
        status, page = server.get("/")
        assert status == 200
        assert "<title>AI Engineer vs ML Engineer</title>" in page
        assert "connect-src 'self'" in page and 'name="deckwright-version" content="1"' in page
        assert server.next_state() == {"version": "1", "ok": True, "problems": []}

        save(content, "Same-sounding titles, different jobs", "Saved a moment ago")
        assert server.next_state() == {"version": "2", "ok": True, "problems": []}
        assert "Saved a moment ago" in server.get("/")[1]

        save(content, "title: AI Engineer vs ML Engineer", "title: [AI Engineer")
        state = server.next_state()
        printed = server.terminal(r"YAML syntax error")
        assert state["version"] == "2" and state["problems"] == [printed]
        assert printed.startswith("ai-vs-ml-engineer.yaml:4:8: ")
        assert "Saved a moment ago" in server.get("/")[1]  # the last good deck stays

        # An include is an input too: a snippet the deck shows.
        save(content, "title: [AI Engineer", "title: AI Engineer vs ML Engineer")
        assert server.next_state() == {"version": "3", "ok": True, "problems": []}
        snippet = content.parent / "snippets" / "llm_judge.py"
        save(snippet, '"claude-sonnet-4-5"', '"a-model-saved-now"')
        assert server.next_state()["version"] == "4"
        assert "a-model-saved-now" in server.get("/")[1]

        assert server.get("/", host=f"attacker.example:{server.port}")[0] == 403
        assert server.get("/nothing-here")[0] == 404
    assert server.process.returncode == 0


def test_serve_without_a_good_build_shows_the_problems_then_the_deck(tmp_path):
    content = tmp_path / "talk.yaml"
    content.write_text("title: T\nslides:\n  - kind: bulets\n", encoding="utf-8")
    (tmp_path / "deckwright.yaml").write_text("")
    with served(content) as server:
        state = server.next_state()
        assert not state["ok"] and len(state["problems"]) == 1
        assert state["problems"][0].startswith("talk.yaml:3:")
        status, page = server.get("/")
        assert status == 200 and 'id="problems"' in page and "bulets" in page
        content.write_text("title: T\nslides:\n  - kind: statement\n    text: Hi\n")
        assert server.next_state() == {"version": "1", "ok": True, "problems": []}


def test_serve_says_when_the_port_is_taken(tmp_path):
    import socket

    content = bundled_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "generator", "serve", str(content), "--port", port],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port 0" in result.stderr
