"""One guard for every command: exit 0, 1 (problems), 2 (usage), 70 (a bug), no traceback."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, write

from generator import api
from generator.cli import main
from generator.errors import InternalError

TALK = """\
title: Small talk
vars: {company: Acme}
slides:
  - kind: title
  - kind: statement
    text: "TEXT"
"""
BUG = (
    "internal error (this is a bug in deckwright, please report it): RuntimeError: boom "
    "(set DECKWRIGHT_DEBUG=1 for the traceback)"
)


def talk(project: Path, text: str = "Hello", name: str = "talk") -> Path:
    return write(project / f"{name}.yaml", TALK.replace("TEXT", text))


def boom(*args, **kwargs):
    raise RuntimeError("boom")


# A crash in any command: one line, exit 70 ------------------------------------------------


def test_a_crash_in_check_is_one_line_and_exit_70(run_cli, project, monkeypatch):
    monkeypatch.setattr(api, "check", boom)
    code, stdout, stderr = run_cli("check", talk(project))
    assert (code, stdout, stderr) == (70, "", f"deckwright: {BUG}\n")


def test_a_crash_in_themes_is_one_line_and_exit_70(run_cli, monkeypatch):
    monkeypatch.setattr("generator.theme.load.available_themes", boom)
    assert run_cli("themes") == (70, "", f"deckwright: {BUG}\n")


def test_a_crash_in_theme_init_is_one_line_and_exit_70(run_cli, project, monkeypatch):
    monkeypatch.setattr("generator.theme_init.init_theme", boom)
    template = write(project / "brand.potx", "not read")
    code, stdout, stderr = run_cli("theme", "init", "brand", "--from", template)
    assert (code, stdout, stderr) == (70, "", f"deckwright: {BUG}\n")


def test_a_crash_in_build_names_the_deck_and_exits_70(run_cli, project, monkeypatch):
    real_build = api.build

    def build(content, **options):
        if content.stem == "beta":
            raise RuntimeError("boom")
        return real_build(content, **options)

    monkeypatch.setattr(api, "build", build)
    alpha, beta = talk(project, name="alpha"), talk(project, name="beta")
    code, stdout, stderr = run_cli("build", alpha, beta, "-o", project / "out", "--jobs", "1")
    assert code == 70
    assert stdout.startswith(f"{project / 'out' / 'alpha.pptx'}  2 slides")
    assert stderr.splitlines()[-2:] == [f"failed: {beta}", f"{beta}: {BUG}"]


def test_a_crash_beats_content_problems_in_the_exit_code(run_cli, project, monkeypatch):
    real_build = api.build

    def build(content, **options):
        if content.stem == "beta":
            raise RuntimeError("boom")
        return real_build(content, **options)

    monkeypatch.setattr(api, "build", build)
    alpha, beta = talk(project, "{{ nope }}", "alpha"), talk(project, name="beta")
    code, _, stderr = run_cli("build", alpha, beta, "-o", project / "out", "--jobs", "1")
    assert code == 70
    assert f"{alpha}:6:11: undefined variable 'nope' " in stderr
    assert stderr.endswith(f"{beta}: {BUG}\n")


def test_debug_shows_the_crash_itself(project, monkeypatch):
    monkeypatch.setattr(api, "check", boom)
    monkeypatch.setattr(api, "build", boom)
    runner = CliRunner(env={"DECKWRIGHT_DEBUG": "1"})
    for command in (
        ["check", str(talk(project))],
        ["build", str(talk(project)), "-o", str(project / "talk.pptx")],
    ):
        result = runner.invoke(main, command)
        assert isinstance(result.exception, RuntimeError), result.output


def test_usage_errors_still_exit_2_in_the_nested_group(run_cli, project):
    code, _, stderr = run_cli("theme", "init", "brand")
    assert code == 2 and "Missing option '--from'" in stderr
    assert run_cli("theme", "frobnicate")[0] == 2
    assert run_cli("check", talk(project), "--var", "novalue")[0] == 2


def test_ctrl_c_and_a_closed_pipe_are_not_bugs(run_cli, monkeypatch):
    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr("generator.theme.load.available_themes", interrupted)
    code, _, stderr = run_cli("themes")
    assert (code, stderr) == (1, "\nAborted!\n")  # click's own answer to Ctrl-C

    def closed_pipe():
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("generator.theme.load.available_themes", closed_pipe)
    code, _, stderr = run_cli("themes")
    assert code == 1 and "internal error" not in stderr


def test_content_problems_still_exit_1(run_cli, project):
    code, _, stderr = run_cli("check", talk(project, "{{ nope }}"))
    assert (code, stderr) == (
        1,
        f"{project / 'talk.yaml'}:6:11: undefined variable 'nope' "
        "(define it under vars: or pass --var KEY=VALUE)\n",
    )


def test_a_crash_message_is_cut_to_one_short_line():
    error = InternalError.from_exception(ValueError("x\n" * 100_000), "talk.yaml")
    [line] = error.lines()
    assert line.startswith(
        "talk.yaml: internal error (this is a bug in deckwright, please "
        "report it): ValueError: x x x"
    )
    assert len(line) < 500


# Inputs that crashed `check` (issue 13): now located problems, exit 1 ---------------------


NESTED = (
    "template nests too deeply to compile (use fewer nested loops, blocks, brackets and "
    "filters in one string)"
)


def loops(depth: int) -> str:
    return "".join(f"{{% for i{n} in [1] %}}" for n in range(depth)) + "x" + "{% endfor %}" * depth


@pytest.mark.parametrize(
    "template",
    [
        loops(21),
        "{{ company" + "|lower" * 200 + " }}",
        "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
    ],
    ids=["21 nested loops", "200 chained filters", "3000 brackets"],
)
def test_a_template_nested_too_deeply_is_a_located_error(run_cli, project, template):
    content = talk(project, template)
    code, _, stderr = run_cli("check", content)
    assert (code, stderr) == (1, f"{content}:6:11: {NESTED}\n")


def test_twenty_nested_loops_still_render(run_cli, project):
    assert run_cli("check", talk(project, loops(20)))[0] == 0


def test_a_huge_integer_is_refused_in_a_short_line(run_cli, project):
    content = write(
        project / "talk.yaml",
        TALK.replace('"TEXT"', "0x" + "f" * 5000) + f"    notes: {'9' * 5000}\n",
    )
    code, _, stderr = run_cli("check", content)
    assert (code, stderr) == (
        1,
        (
            f"{content}:6:11: number is 5,002 characters long; the limit is 100 "
            "(quote it if it is meant as text)\n"
            f"{content}:7:12: number is 5,000 characters long; the limit is 100 "
            "(quote it if it is meant as text)\n"
        ),
    )


def test_a_huge_integer_in_a_template_is_a_located_error(run_cli, project):
    content = talk(project, "{{ 0x" + "f" * 5000 + " }}")
    code, _, stderr = run_cli("check", content)
    assert (code, stderr) == (1, f"{content}:6:11: template error: a number is too large\n")


def test_check_theme_all_reports_a_broken_theme_and_checks_the_others(run_cli, project):
    write(
        project / "themes" / "broken" / "theme.yaml",
        f'name: broken\nextends: default\nfooter: "{loops(21)}"\n',
    )
    write(
        project / "themes" / "other" / "theme.yaml",
        'name: other\nextends: default\nfooter: "{{ nope }}"\n',
    )
    talk(project)
    code, _, stderr = run_cli("check", "talk.yaml", "--theme", "all", cwd=project)
    assert code == 1
    assert [line for line in stderr.splitlines() if "note: " not in line] == [
        f"themes/broken/theme.yaml:3:9: {NESTED}",
        "themes/other/theme.yaml:3:9: undefined variable 'nope' "
        "(define it under vars: or pass --var KEY=VALUE)",
    ]


# watch, in a subprocess -------------------------------------------------------------------

TIMEOUT = 20.0


class Process:
    """A deckwright process whose stdout and stderr lines arrive on one queue."""

    def __init__(self, cwd: Path, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "DECKWRIGHT_DEBUG": ""},
        )
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.pumps = [
            threading.Thread(target=self._pump, args=(name, stream), daemon=True)
            for name, stream in (("out", self.process.stdout), ("err", self.process.stderr))
        ]
        for pump in self.pumps:
            pump.start()

    def _pump(self, name: str, stream) -> None:
        for line in stream:
            self.lines.put((name, line))

    def wait_for(self, text: str) -> str:
        """Return the next line (stdout or stderr) holding text; fail after TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                _, line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} within {TIMEOUT} s") from None
            if text in line:
                return line

    def finish(self) -> tuple[int, str]:
        """Wait for the process to end; return its exit code and every line not read yet."""
        code = self.process.wait(timeout=TIMEOUT)
        for pump in self.pumps:
            pump.join(timeout=TIMEOUT)
        lines = []
        while not self.lines.empty():
            lines.append(self.lines.get()[1])
        return code, "".join(lines)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


WATCH = ["-m", "generator", "watch", "talk.yaml", "-o", "out/talk.pptx", "--interval", "0.1"]


def test_watch_stops_with_one_line_when_its_folder_is_removed(tmp_path):
    project = tmp_path / "talk"
    write(project / "deckwright.yaml", "# project marker\n")
    talk(project)
    watcher = Process(project, *WATCH)
    try:
        watcher.wait_for("watching")
        shutil.rmtree(project)
        code, rest = watcher.finish()
    finally:
        watcher.close()
    assert code == 1
    # A poll may first see the content file gone (one located line) before it sees the
    # folder gone; either way the watch ends with this line, and never a traceback.
    assert "Traceback" not in rest
    assert rest.splitlines()[-1] == (
        f"{project.resolve()}:1:1: the folder this watch runs "
        "in was removed (start the watch again in an existing "
        "folder)"
    )


CRASH_ONCE = """\
import sys
from generator import api
from generator.cli import main
real_build, calls = api.build, []
def build(content, **options):
    calls.append(content)
    if len(calls) == 1:
        raise RuntimeError("boom")
    return real_build(content, **options)
api.build = build
main(sys.argv[1:], prog_name="deckwright")
"""


def test_watch_prints_a_crash_and_keeps_watching(project):
    content = talk(project)
    watcher = Process(project, "-c", CRASH_ONCE, *WATCH[2:])
    try:
        line = watcher.wait_for("internal error")
        assert line == f"talk.yaml: {BUG}\n"
        watcher.wait_for("watching")
        time.sleep(0.2)
        write(content, TALK.replace("TEXT", "Hello again"))
        watcher.wait_for("out/talk.pptx  2 slides")
        watcher.process.send_signal(signal.SIGINT)
        code, rest = watcher.finish()
    finally:
        watcher.close()
    assert (code, rest) == (0, "stopped watching\n")
