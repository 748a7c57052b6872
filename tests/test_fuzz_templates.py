"""Fuzzing templates and command-line options through the CLI.

A seeded mutation loop, each with a fixed time budget: a real small template (python-pptx's
own, with a layout, a master and a theme) has its zip members and XML bytes mutated, then
goes through `theme init` and `build`; and random combinations of command-line options go
to `build`, `check` and `theme init`. Every run must exit 0, 1 or 2 (generator/errors.py:
1 is a user error, 2 a usage error; 70 is a bug), with no traceback, and every error line
located (`path:line:col: `) or, for exit 2, click's usage message.

DECKWRIGHT_FUZZ_SECONDS (default 12 per loop) and DECKWRIGHT_FUZZ_SEED change the budget
and the seed; the seed and the case are in every failure message, to replay it.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import time
from pathlib import Path

from click.testing import CliRunner
from conftest import write
from hostile_templates import default_parts, save

from generator.cli import main

SECONDS = float(os.environ.get("DECKWRIGHT_FUZZ_SECONDS", "12"))
SEED = int(os.environ.get("DECKWRIGHT_FUZZ_SEED", "1313"))
LOCATED = re.compile(r"^[^\n]+?:\d+:\d+: ")
BATCH = re.compile(r"^(\d+ of \d+ decks built in |failed: )")  # a batch's summary lines
DECK = (
    "title: Fuzz\nslides:\n  - kind: title\n"
    "  - kind: bullets\n    title: Points\n    bullets: [one, two]\n"
)
TARGETS = (
    "ppt/slideLayouts/slideLayout2.xml",
    "ppt/slideMasters/slideMaster1.xml",
    "ppt/theme/theme1.xml",
    "ppt/presentation.xml",
    "ppt/_rels/presentation.xml.rels",
    "ppt/slideMasters/_rels/slideMaster1.xml.rels",
    "[Content_Types].xml",
)
WEIRD = [
    b"",
    b"-1",
    b"0",
    b"99999999999999999999999",
    b"ZZZZZZ",
    b"NaN",
    b"&amp;",
    b"\xc3\x28",
    b"A" * 5000,
    b"../../../../etc/passwd",
    b"http://tracker.example/x.png",
    b"{%endraw%}{{ 7*7 }}",
]


def invoke(args: list[str], cwd: Path) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=True)
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: {type(result.exception).__name__}: {result.exception}")
    return result.exit_code, result.stdout, result.stderr


def assert_handled(code: int, stderr: str, case: str, stdout: str = "") -> None:
    assert code in (0, 1, 2), f"{case}: exit {code}\n{stderr[:2000]}"
    assert "Traceback" not in stderr and "internal error" not in stderr, f"{case}\n{stderr}"
    if code == 1:
        lines = [line for line in stderr.splitlines() if line.strip()]
        # `check --outputs` names stale and missing decks on stdout.
        assert lines or stdout.strip(), f"{case}: exit 1 with nothing said"
        for line in lines:
            assert LOCATED.match(line) or BATCH.match(line), f"{case}: {line}"
            assert len(line) < 1200, f"{case}: a {len(line)}-character line"


def mutate(parts: dict[str, bytes], rng: random.Random) -> str:
    """Apply one random mutation; return what it did."""
    name = rng.choice([n for n in TARGETS if n in parts] or list(parts))
    blob = parts[name]
    how = rng.randrange(9)
    if how == 0:
        del parts[name]
        return f"removed {name}"
    if how == 1 and blob:
        at = rng.randrange(len(blob))
        parts[name] = blob[:at] + bytes([rng.randrange(256)]) + blob[at + 1 :]
        return f"flipped byte {at} of {name}"
    if how == 2 and blob:
        at = rng.randrange(len(blob))
        parts[name] = blob[:at]
        return f"cut {name} at {at}"
    if how == 3:
        values = list(re.finditer(rb'="([^"]*)"', blob))
        if values:
            match = rng.choice(values)
            new = rng.choice(WEIRD)
            parts[name] = blob[: match.start(1)] + new + blob[match.end(1) :]
            return f"attribute at {match.start(1)} of {name} = {new[:20]!r}"
    if how == 4:
        tags = list(re.finditer(rb"<[a-z]+:[A-Za-z]+[ />]", blob))
        if tags:
            match = rng.choice(tags)
            copy = blob[match.start() : match.start() + rng.randrange(1, 400)]
            parts[name] = (
                blob[: match.start()] + copy * rng.randrange(2, 50) + blob[match.start() :]
            )
            return f"repeated a piece of {name} at {match.start()}"
    if how == 5:
        other = rng.choice(list(parts))
        parts[name], parts[other] = parts[other], blob
        return f"swapped {name} and {other}"
    if how == 6:
        tags = list(re.finditer(rb"</[a-z]+:[A-Za-z]+>", blob))
        if tags:
            match = rng.choice(tags)
            parts[name] = blob[: match.start()] + blob[match.end() :]
            return f"dropped a closing tag of {name}"
    if how == 7:
        parts[name + ".bak"] = blob
        parts[name.replace(".xml", "2.xml")] = blob
        return f"duplicated {name}"
    text = blob.replace(b'r:id="rId', b'r:id="rIdX', 1).replace(b'Id="rId1"', b'Id="rId9"', 1)
    parts[name] = text
    return f"renumbered a relationship in {name}"


def test_mutated_templates_build_or_give_located_errors(tmp_path: Path):
    rng = random.Random(SEED)
    base = default_parts()
    deadline = time.monotonic() + SECONDS
    runs = 0
    while time.monotonic() < deadline or runs < 5:
        runs += 1
        project = tmp_path / f"p{runs}"
        project.mkdir()
        (project / "deckwright.yaml").write_text("# project\n")
        parts = dict(base)
        done = [mutate(parts, rng) for _ in range(rng.randrange(1, 4))]
        template = save(parts, project / "fuzz.pptx")
        case = f"seed {SEED} run {runs}: " + "; ".join(done)
        code, _, err = invoke(["theme", "init", "corp", "--from", str(template)], project)
        assert_handled(code, err, case + " (theme init)")
        if code == 0:
            write(project / "talk.yaml", "theme: corp\n" + DECK)
            code, _, err = invoke(["build", "talk.yaml"], project)
            assert_handled(code, err, case + " (build)")
        shutil.rmtree(project, ignore_errors=True)
    assert runs >= 5


OPTION_POOL = {
    "build": [
        ["-o", "out/"],
        ["-o", "v1.2/"],
        ["-o", "deck.pptx"],
        ["-o", "deck.md"],
        ["-o", "missing/dir/deck.pptx"],
        ["-o", "talk.yaml"],
        ["-o", ""],
        ["-f", "pptx"],
        ["-f", "md"],
        ["-f", "pptx", "-f", "md"],
        ["-f", "svg"],
        ["--theme", "default"],
        ["--theme", "nope"],
        ["--theme", "../../etc"],
        ["--var", "company=Acme"],
        ["--var", "novalue"],
        ["--var", "x=" + "9" * 5000],
        ["--var", "=empty"],
        ["--strict"],
        ["--with-notes"],
        ["--no-fit"],
        ["-j", "1"],
        ["-j", "0"],
        ["-j", "-3"],
        ["-j", "99999999999999999999"],
        ["--bogus"],
        ["missing.yaml"],
        ["talk.yaml", "talk.yaml"],
        ["."],
    ],
    "check": [
        ["--strict"],
        ["--theme", "default"],
        ["--theme", "nope"],
        ["--var", "a=b"],
        ["--outputs", "out"],
        ["--outputs", "/dev/zero"],
        ["--outputs", "talk.yaml"],
        ["missing.yaml"],
        ["--bogus"],
    ],
    "theme init": [
        ["corp"],
        ["../escape"],
        ["a" * 300],
        ["--from", "talk.yaml"],
        ["--from", "/dev/zero"],
        ["--from", "."],
        ["--from", "missing.pptx"],
    ],
}


def test_command_line_option_combinations_exit_cleanly(tmp_path: Path):
    rng = random.Random(SEED + 1)
    deadline = time.monotonic() + SECONDS / 2
    runs = 0
    while time.monotonic() < deadline or runs < 10:
        runs += 1
        project = tmp_path / f"o{runs}"
        project.mkdir()
        (project / "deckwright.yaml").write_text("# project\n")
        write(project / "talk.yaml", DECK)
        command = rng.choice(list(OPTION_POOL))
        picked = rng.sample(OPTION_POOL[command], rng.randrange(0, 4))
        args = command.split() + [arg for option in picked for arg in option]
        if command != "theme init" and not any(a.endswith(".yaml") or a == "." for a in args):
            args.append("talk.yaml")
        code, out, err = invoke(args, project)
        assert_handled(code, err, f"seed {SEED + 1} run {runs}: {args}", out)
        shutil.rmtree(project, ignore_errors=True)
    assert runs >= 10
