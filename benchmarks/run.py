"""Benchmark deckwright against its python-pptx floor and pandoc, whole processes.

Usage (from the repository root):

    .venv/bin/python benchmarks/run.py                 # 5 runs, 1x/10x/100x, writes RESULTS.md
    .venv/bin/python benchmarks/run.py --runs 1 --scales 1,10 --no-write   # a quick look
    .venv/bin/python benchmarks/run.py --variant before=/tmp/old-tree      # compare two trees

Every measurement is a fresh process, timed from spawn to exit; its peak RSS
comes from /usr/bin/time (else os.wait4). Runs of the different commands are
interleaved (round-robin, rotated each round) so that noise from other work on
the machine falls on all of them alike: compare the ratios of one run, not
absolute times across runs.

Cases: ``deckwright --help``; ``deckwright build`` of the bundled deck and of
10x and 100x decks made here (the bundled slides repeated, a section slide
"Part K" before each copy, includes copied so they resolve); benchmarks/floor.py
on the same slides (a JSON dump of deckwright's own plan); pandoc on
../shared/bench/pandoc-deck.md scaled the same way, when pandoc is found
(PATH, or the pypandoc-binary wheel); otherwise that column is skipped.

Watch latency: ``deckwright watch`` on a copy of the bundled project (in
benchmarks/work/), the content file saved N times with a changed subtitle at
random gaps, each time timed from the end of the save to the .pptx's new
modification time; with file-system events, and polling as before them
(DECKWRIGHT_WATCH_POLLING=1, every 0.5 s) for comparison. ``--watch-only`` runs
just that (a few seconds) and rewrites its own block of RESULTS.md.

Child processes run with compiled bytecode, as an installed deckwright does:
PYTHONDONTWRITEBYTECODE is dropped and PYTHONPYCACHEPREFIX points into
benchmarks/work/, so the warm-up run compiles every module once (for deckwright,
the floor and the variants alike) without writing into the source tree.
deckwright's disk cache (fonts, highlighting) is warm after the warm-up too;
--cold adds a bundled-deck case with it turned off.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
BUNDLED = ROOT / "content" / "ai-vs-ml-engineer.yaml"
PANDOC_DECK = ROOT.parent / "shared" / "bench" / "pandoc-deck.md"
RESULTS = HERE / "RESULTS.md"
LATEST_BEGIN = "<!-- run.py: latest run (regenerated) -->"
LATEST_END = "<!-- run.py: end of latest run -->"
WATCH_BEGIN = "<!-- run.py: watch latency (regenerated) -->"
WATCH_END = "<!-- run.py: end of watch latency -->"
BIN = Path(sys.executable).parent
TIME = Path("/usr/bin/time")
# Ratios the issue asks for (issue 8).
HELP_LIMIT_S = 0.150
BUNDLED_VS_FLOOR = 1.2
LARGE_VS_FLOOR = 0.8
LARGE_VS_PANDOC = 0.6
LINEARITY = 1.2
RSS_VS_FLOOR = 1.5
# Save to updated .pptx under `deckwright watch` (issue 14).
WATCH_LIMIT_S = 0.300


@dataclass
class Case:
    """One command to time: a name, its argv and environment, and its measurements."""

    name: str
    tool: str  # help, deckwright, floor, floor-linear, pandoc
    scale: int
    argv: list[str]
    slides: int = 0
    variant: str = ""  # "" is the working tree; else a --variant label
    env: dict[str, str] = field(default_factory=dict)
    walls: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    inner: list[float] = field(default_factory=list)  # deckwright's own build seconds


# --- inputs -------------------------------------------------------------------------------


def scaled_deck(scale: int) -> Path:
    """Return a content file with the bundled slides repeated scale times (1: the bundled one).

    Copies get a section slide "Part K" before them and ids suffixed "-K", and
    the snippets folder is copied next to the file so its includes resolve.
    """
    if scale == 1:
        return BUNDLED
    import yaml

    WORK.mkdir(parents=True, exist_ok=True)
    snippets = WORK / "snippets"
    if snippets.exists():
        shutil.rmtree(snippets)
    shutil.copytree(BUNDLED.parent / "snippets", snippets)
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    slides = []
    for part in range(1, scale + 1):
        slides.append({"kind": "section", "title": f"Part {part}"})
        for slide in copy.deepcopy(data["slides"]):
            if "id" in slide:
                slide["id"] = f"{slide['id']}-{part}"
            slides.append(slide)
    data["slides"] = slides
    path = WORK / f"deck-{scale}x.yaml"
    path.write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )
    return path


def dump_floor_input(content: Path, target: Path) -> int:
    """Write the floor's JSON for content (from deckwright's plan); return its slide count."""
    from generator.api import prepare

    prepared = prepare(content)
    plan = prepared.plan
    from generator.layout.plan import PictureElement, RectElement, TableElement, TextElement

    def box(b) -> list[int]:
        return [b.x, b.y, b.w, b.h]

    def paragraph(p, style) -> list:
        runs = []
        for r in p.runs:
            font = style.code_font if r.code and style.code_font else style.font
            runs.append(
                [
                    r.text,
                    font,
                    style.size_pt,
                    bool(r.bold or style.bold),
                    r.italic,
                    (r.color or style.color).lstrip("#").upper(),
                    r.link,
                ]
            )
        return [p.align, p.level, runs]

    slides = []
    for slide in plan.slides:
        shapes = []
        for e in slide.elements:
            if isinstance(e, TextElement):
                shapes.append(
                    [
                        "text",
                        box(e.box),
                        e.role,
                        e.anchor,
                        e.inset_emu,
                        e.fill.lstrip("#") if e.fill else None,
                        [paragraph(p, e.style) for p in e.paragraphs],
                    ]
                )
            elif isinstance(e, RectElement):
                shapes.append(
                    [
                        "rect",
                        box(e.box),
                        e.fill.lstrip("#"),
                        e.line.lstrip("#") if e.line else None,
                        e.rounded,
                    ]
                )
            elif isinstance(e, TableElement):
                from dataclasses import replace

                head = replace(e.style, color=e.header_color, bold=True)
                rows = [[[paragraph(p, head) for p in cell] for cell in e.header]]
                rows += [[[paragraph(p, e.style) for p in cell] for cell in row] for row in e.rows]
                shapes.append(
                    [
                        "table",
                        box(e.box),
                        e.col_widths,
                        e.row_heights or [0] * len(rows),
                        rows,
                        e.header_fill.lstrip("#"),
                        e.band_fill.lstrip("#"),
                    ]
                )
            elif isinstance(e, PictureElement):
                shapes.append(["pic", box(e.box), e.path, e.alt])
        slides.append({"notes": slide.notes, "shapes": shapes})
    deck = {
        "width": plan.width,
        "height": plan.height,
        "background": prepared.theme.colors.background.lstrip("#"),
        "title": plan.title,
        "author": plan.author,
        "slides": slides,
    }
    target.write_text(json.dumps(deck, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(slides)


def pandoc_binary() -> str | None:
    """Return a pandoc executable: PATH first, then the pypandoc-binary wheel."""
    found = shutil.which("pandoc")
    if found:
        return found
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except Exception:  # noqa: BLE001 - any failure means "no pandoc"
        return None


def scaled_pandoc(scale: int) -> Path:
    """Return pandoc-deck.md with its body repeated scale times, '# Part K' before each."""
    if scale == 1:
        return PANDOC_DECK
    text = PANDOC_DECK.read_text(encoding="utf-8")
    match = re.match(r"(---\n.*?\n---\n)(.*)", text, re.S)
    assert match, "pandoc-deck.md has no YAML front matter"
    front, body = match.groups()
    parts = [front] + [f"\n# Part {k}\n\n{body}" for k in range(1, scale + 1)]
    path = WORK / f"pandoc-{scale}x.md"
    path.write_text("".join(parts), encoding="utf-8")
    return path


# --- measuring ----------------------------------------------------------------------------


def child_env(extra: dict[str, str], bytecode: bool) -> dict[str, str]:
    """Return the environment of a measured process."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    env.update(extra)
    return env


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run argv once; return (wall seconds, peak RSS in KiB, stdout). Fail loudly on error.

    Peak RSS comes from /usr/bin/time when it exists. Otherwise from os.wait4, where
    Linux counts the harness's own RSS at fork time into the child's peak, which is
    why this process never imports deckwright or python-pptx itself.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".time") as timing,
    ):
        wrapped = [str(TIME), "-f", "%M", "-o", timing.name, *argv] if TIME.exists() else argv
        started = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=out, stderr=err, cwd=ROOT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            sys.exit(
                f"benchmark command failed ({proc.returncode}): {' '.join(argv)}\n"
                + err.read().decode("utf-8", "replace")
            )
        rss = int(usage.ru_maxrss)
        if TIME.exists():
            rss = int(timing.read().split()[-1])
    return wall, rss, stdout


_SECONDS = re.compile(r"\s(\d+) slides\s+([\d.]+) s")


def record(case: Case, env: dict[str, str]) -> None:
    wall, rss, stdout = measure(case.argv, env)
    case.walls.append(wall)
    case.rss_kb.append(rss)
    found = _SECONDS.search(stdout)
    if found:
        case.slides = int(found.group(1))
        case.inner.append(float(found.group(2)))


def make_cases(
    scales: list[int],
    with_pandoc: bool,
    variants: list[tuple[str, str]],
    cold: bool,
    linear_floor: bool,
) -> list[Case]:
    WORK.mkdir(parents=True, exist_ok=True)
    deckwright = str(BIN / "deckwright")
    python = sys.executable
    cases = [Case("deckwright --help", "help", 0, [deckwright, "--help"])]
    pandoc = pandoc_binary() if with_pandoc else None
    for scale in scales:
        content = scaled_deck(scale)
        floor_json = WORK / f"floor-{scale}x.json"
        # In a child process: the harness stays small (see measure()).
        slides = int(
            subprocess.run(
                [python, str(Path(__file__).resolve()), "--dump", str(content), str(floor_json)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
                env=child_env({}, False),
            ).stdout
        )
        build = [deckwright, "build", str(content), "-o"]
        cases.append(
            Case(
                f"deckwright {scale}x",
                "deckwright",
                scale,
                [*build, str(WORK / f"deckwright-{scale}x.pptx")],
                slides,
            )
        )
        for label, tree in variants:
            cases.append(
                Case(
                    f"deckwright[{label}] {scale}x",
                    "deckwright",
                    scale,
                    [*build, str(WORK / f"deckwright-{label}-{scale}x.pptx")],
                    slides,
                    variant=label,
                    env={"PYTHONPATH": tree},
                )
            )
        if cold and scale == 1:
            cases.append(
                Case(
                    "deckwright 1x, no disk cache",
                    "deckwright-cold",
                    scale,
                    [*build, str(WORK / "deckwright-cold-1x.pptx")],
                    slides,
                    env={"DECKWRIGHT_CACHE_DIR": "off"},
                )
            )
        floor = [python, str(HERE / "floor.py"), str(floor_json)]
        cases.append(
            Case(
                f"floor {scale}x",
                "floor",
                scale,
                [*floor, str(WORK / f"floor-{scale}x.pptx")],
                slides,
            )
        )
        if linear_floor:
            cases.append(
                Case(
                    f"floor, linear notes {scale}x",
                    "floor-linear",
                    scale,
                    [*floor, str(WORK / f"floor-linear-{scale}x.pptx"), "--linear"],
                    slides,
                )
            )
        if pandoc:
            cases.append(
                Case(
                    f"pandoc {scale}x",
                    "pandoc",
                    scale,
                    [pandoc, str(scaled_pandoc(scale)), "-o", str(WORK / f"pandoc-{scale}x.pptx")],
                )
            )
    return cases


def run_all(cases: list[Case], runs: int, warmup: bool, bytecode: bool) -> None:
    """Interleave: each round runs every case once, starting one case later each round.

    The warm-up runs each case of the smallest deck once, untimed: it compiles
    bytecode and fills deckwright's disk cache, as any earlier run would have.
    """
    smallest = min((c.scale for c in cases if c.scale), default=0)
    if warmup:
        for case in cases:
            if case.scale <= smallest:
                measure(case.argv, child_env(case.env, bytecode))
    for round_number in range(runs):
        shift = round_number % len(cases)
        for case in cases[shift:] + cases[:shift]:
            record(case, child_env(case.env, bytecode))
            print(
                f"  round {round_number + 1}/{runs}  {case.name:<28} "
                f"{case.walls[-1]:7.3f} s  {case.rss_kb[-1] / 1024:6.1f} MiB",
                file=sys.stderr,
                flush=True,
            )


# --- watch latency ------------------------------------------------------------------------


def watch_latency(edits: int, polling: bool, bytecode: bool) -> list[float]:
    """Return the seconds from each save of the content to the updated .pptx, under watch.

    The project is a copy of content/ (the bundled deck and its snippets) in
    benchmarks/work/watch/; the first build is not timed. Saves come at random
    gaps of 0.3 to 0.8 s (seeded), so that polling is not measured in phase.
    """
    import random
    import signal
    import threading

    project = WORK / ("watch-polling" if polling else "watch")
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(BUNDLED.parent, project / "content")
    (project / "deckwright.yaml").write_text("# benchmark project\n", encoding="utf-8")
    content = project / "content" / BUNDLED.name
    deck = project / "output" / "deck.pptx"
    original = content.read_text(encoding="utf-8")
    subtitle = "subtitle: Two roles, two stacks, and when to hire which"
    assert subtitle in original, "the bundled deck's subtitle changed: update watch_latency()"
    env = child_env({"DECKWRIGHT_WATCH_POLLING": "1"} if polling else {}, bytecode)
    process = subprocess.Popen(
        [str(BIN / "deckwright"), "watch", str(content), "-o", str(deck)],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready = threading.Event()
    errors: list[str] = []

    def read_stderr() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            errors.append(line)
            if line.startswith("watching "):
                ready.set()

    threading.Thread(target=read_stderr, daemon=True).start()
    times = []
    rng = random.Random(14)
    try:
        if not ready.wait(60) or not deck.exists():
            sys.exit("deckwright watch did not start:\n" + "".join(errors))
        for edit in range(edits):
            time.sleep(rng.uniform(0.3, 0.8))
            before = deck.stat().st_mtime_ns
            content.write_text(
                original.replace(subtitle, f"{subtitle} ({edit + 1})"), encoding="utf-8"
            )
            saved = time.perf_counter()
            while deck.stat().st_mtime_ns == before:
                if time.perf_counter() - saved > 30:
                    sys.exit("no rebuild within 30 s of a save:\n" + "".join(errors))
                time.sleep(0.001)
            times.append(time.perf_counter() - saved)
            print(
                f"  watch{' (polling)' if polling else ''} edit {edit + 1}/{edits}  "
                f"{times[-1] * 1000:6.0f} ms",
                file=sys.stderr,
                flush=True,
            )
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return times


def watch_report(events: list[float], polling: list[float], info: dict[str, str]) -> str:
    """Return the watch latency block of RESULTS.md."""

    def row(name: str, times: list[float]) -> str:
        ms = sorted(t * 1000 for t in times)
        return f"| {name} | {len(ms)} | {statistics.median(ms):.0f} | {ms[0]:.0f} | {ms[-1]:.0f} |"

    lines = [
        f"Watch latency, {info['date']} on commit {info['commit']}; load average "
        f"{info['load']}. `deckwright watch` of the bundled deck (a copy of content/), "
        "the content file saved with a new subtitle; time from the end of the save to "
        "the .pptx's new modification time.",
        "",
        "| watch | saves | median (ms) | min | max |",
        "|---|---:|---:|---:|---:|",
        row("file-system events", events),
    ]
    if polling:
        lines.append(row("polling every 0.5 s (before)", polling))
    median = statistics.median(events)
    lines += [
        "",
        *verdict_table(
            [
                (
                    "watch: save to updated .pptx, median",
                    f"{median * 1000:.0f} ms",
                    f"<= {WATCH_LIMIT_S * 1000:.0f} ms",
                    median <= WATCH_LIMIT_S,
                )
            ]
        ),
    ]
    return "\n".join(lines)


# --- reporting ----------------------------------------------------------------------------


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(cases: list[Case]) -> str:
    lines = [
        "| case | slides | wall median (s) | min | max | ms/slide | in-process (s) "
        "| peak RSS median (MiB) | max |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        per_slide = f"{1000 * med(case.walls) / case.slides:.2f}" if case.slides else ""
        inner = f"{med(case.inner):.3f}" if case.inner else ""
        lines.append(
            f"| {case.name} | {case.slides or ''} | {med(case.walls):.3f} | "
            f"{min(case.walls):.3f} | {max(case.walls):.3f} | {per_slide} | {inner} | "
            f"{med(case.rss_kb) / 1024:.1f} | {max(case.rss_kb) / 1024:.1f} |"
        )
    return "\n".join(lines)


def verdicts(cases: list[Case], variant: str = "") -> list[tuple[str, str, str, bool | None]]:
    """Return (target, measured, limit, passed) for every target of the issue."""
    by = {(c.tool, c.scale): c for c in cases if c.tool != "deckwright"}
    by.update(
        {(c.tool, c.scale): c for c in cases if c.tool == "deckwright" and c.variant == variant}
    )
    out: list[tuple[str, str, str, bool | None]] = []
    helpcase = by.get(("help", 0))
    if helpcase and not variant:
        value = med(helpcase.walls)
        out.append(
            (
                "`deckwright --help` wall",
                f"{value * 1000:.0f} ms",
                f"< {HELP_LIMIT_S * 1000:.0f} ms",
                value < HELP_LIMIT_S,
            )
        )

    def ratio(a, b, label, limit) -> None:
        if a and b:
            value = med(a.walls) / med(b.walls)
            out.append((label, f"{value:.2f}x", f"<= {limit}x", value <= limit))
        else:
            out.append((label, "not measured", f"<= {limit}x", None))

    ratio(
        by.get(("deckwright", 1)), by.get(("floor", 1)), "bundled deck vs floor", BUNDLED_VS_FLOOR
    )
    ratio(by.get(("deckwright", 100)), by.get(("floor", 100)), "100x deck vs floor", LARGE_VS_FLOOR)
    ratio(
        by.get(("deckwright", 100)), by.get(("pandoc", 100)), "100x deck vs pandoc", LARGE_VS_PANDOC
    )
    small, large = by.get(("deckwright", 10)), by.get(("deckwright", 100))
    if small and large and small.inner and large.inner:
        inner = (med(large.inner) / large.slides) / (med(small.inner) / small.slides)
        whole = (med(large.walls) / large.slides) / (med(small.walls) / small.slides)
        out.append(
            (
                "time per slide, 100x vs 10x (in-process build time)",
                f"{inner:.2f}x",
                f"<= {LINEARITY}x",
                inner <= LINEARITY,
            )
        )
        out.append(
            (
                "time per slide, 100x vs 10x (whole process, for reference)",
                f"{whole:.2f}x",
                f"<= {LINEARITY}x",
                whole <= LINEARITY,
            )
        )
    for scale in sorted({c.scale for c in cases if c.tool == "deckwright"}):
        mine, floor = by.get(("deckwright", scale)), by.get(("floor", scale))
        if mine and floor:
            value = med(mine.rss_kb) / med(floor.rss_kb)
            out.append(
                (
                    f"peak RSS {scale}x vs floor",
                    f"{value:.2f}x",
                    f"<= {RSS_VS_FLOOR}x",
                    value <= RSS_VS_FLOOR,
                )
            )
    return out


def informational(cases: list[Case]) -> list[str]:
    """Return extra ratios: against the floor without python-pptx's quadratic notes."""
    by = {(c.tool, c.scale): c for c in cases if not c.variant}
    lines = []
    for scale in sorted({c.scale for c in cases if c.tool == "floor-linear"}):
        mine, floor = by.get(("deckwright", scale)), by.get(("floor-linear", scale))
        if mine and floor:
            lines.append(
                f"- deckwright {scale}x vs the floor with linear notes: "
                f"{med(mine.walls) / med(floor.walls):.2f}x"
            )
    cold, warm = by.get(("deckwright-cold", 1)), by.get(("deckwright", 1))
    floor = by.get(("floor", 1))
    if cold and warm and floor:
        lines.append(
            f"- bundled deck with the disk cache off: {med(cold.walls):.3f} s, "
            f"{med(cold.walls) / med(floor.walls):.2f}x the floor "
            f"(warm: {med(warm.walls) / med(floor.walls):.2f}x)"
        )
    return lines


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "?"

    pptx_version = subprocess.run(
        [sys.executable, "-c", "import pptx; print(pptx.__version__)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    dirty = git("status", "--porcelain", "--", ".", ":!benchmarks/RESULTS.md")  # its own output
    pandoc = pandoc_binary()
    pandoc_version = "pandoc not found"
    if pandoc:
        first = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
        pandoc_version = first.splitlines()[0] if first else "?"
    return {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "commit": git("rev-parse", "--short", "HEAD") + (" + uncommitted changes" if dirty else ""),
        "machine": f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs, {cpu}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "python-pptx": pptx_version,
        "pandoc": pandoc_version,
    }


def verdict_table(rows: list[tuple[str, str, str, bool | None]]) -> list[str]:
    lines = ["| target | measured | limit | result |", "|---|---:|---:|---|"]
    for target, measured, limit, passed in rows:
        result = "skipped" if passed is None else ("pass" if passed else "**FAIL**")
        lines.append(f"| {target} | {measured} | {limit} | {result} |")
    return lines


def report(
    cases: list[Case], info: dict[str, str], runs: int, variants: list[tuple[str, str]]
) -> str:
    label = f" ({info['label']})" if info.get("label") else ""
    lines = [
        f"Run {info['date']} on commit {info['commit']}{label}.",
        f"Machine: {info['machine']}; load average at start {info['load_start']}, "
        f"at end {info['load']}. Python {info['python']}, python-pptx "
        f"{info['python-pptx']}, {info['pandoc']}.",
        f"{runs} interleaved runs per case after a warm-up; wall is spawn-to-exit of a "
        "fresh process, peak RSS from /usr/bin/time (else wait4); in-process is the "
        "build time deckwright prints.",
        "",
        table(cases),
        "",
        *verdict_table(verdicts(cases)),
    ]
    extra = informational(cases)
    if extra:
        lines += ["", *extra]
    for variant, tree in variants:
        lines += [
            "",
            f"Variant `{variant}` (PYTHONPATH={tree}), same run:",
            "",
            *verdict_table(verdicts(cases, variant)),
        ]
    return "\n".join(lines)


def write_results(
    text: str, begin: str = LATEST_BEGIN, end: str = LATEST_END, heading: str = "Latest run"
) -> None:
    block = f"{begin}\n{text}\n{end}"
    if RESULTS.exists():
        current = RESULTS.read_text(encoding="utf-8")
        if begin in current and end in current:
            head, rest = current.split(begin, 1)
            tail = rest.split(end, 1)[1]
            RESULTS.write_text(head + block + tail, encoding="utf-8")
            return
        RESULTS.write_text(
            current.rstrip() + f"\n\n## {heading}\n\n" + block + "\n", encoding="utf-8"
        )
        return
    RESULTS.write_text(f"# Benchmark results\n\n## {heading}\n\n" + block + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per case (default 5)")
    parser.add_argument("--scales", default="1,10,100", help="deck sizes, e.g. 1,10")
    parser.add_argument("--no-pandoc", action="store_true", help="skip pandoc")
    parser.add_argument("--no-warmup", action="store_true", help="skip the warm-up runs")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite RESULTS.md")
    parser.add_argument("--json", type=Path, help="also save the raw measurements here")
    parser.add_argument("--label", default="", help="a name for this run in the report")
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="LABEL=DIR",
        help="also time deckwright imported from DIR (a copy of another "
        "version's package folder's parent), in the same run",
    )
    parser.add_argument(
        "--cold", action="store_true", help="also time the bundled deck with the disk cache off"
    )
    parser.add_argument(
        "--linear-floor",
        action="store_true",
        help="also time the floor with python-pptx's notes naming made linear",
    )
    parser.add_argument(
        "--keep-env",
        action="store_true",
        help="run children with this environment's bytecode settings",
    )
    parser.add_argument(
        "--watch-saves",
        type=int,
        default=20,
        metavar="N",
        help="saves timed under `deckwright watch` (default 20; 0 skips)",
    )
    parser.add_argument(
        "--watch-only",
        action="store_true",
        help="only time watch latency (and rewrite only its block)",
    )
    parser.add_argument(
        "--dump", nargs=2, metavar=("CONTENT", "JSON"), help=argparse.SUPPRESS
    )  # internal: write the floor's input
    args = parser.parse_args()
    if args.dump:
        sys.path.insert(0, str(ROOT))
        print(dump_floor_input(Path(args.dump[0]), Path(args.dump[1])))
        return 0
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    variants = []
    for item in args.variant:
        label, sep, tree = item.partition("=")
        if not sep or not label or not Path(tree, "generator").is_dir():
            parser.error(f"--variant {item!r}: give LABEL=DIR with DIR/generator/")
        variants.append((label, str(Path(tree).resolve())))
    load_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    watch_text = ""
    if args.watch_saves > 0:
        bytecode = not args.keep_env
        events = watch_latency(args.watch_saves, False, bytecode)
        polling = watch_latency(args.watch_saves, True, bytecode)
        watch_text = watch_report(events, polling, machine())
        print(watch_text)
        if not args.no_write:
            write_results(watch_text, WATCH_BEGIN, WATCH_END, "Watch latency")
    if args.watch_only:
        return 0
    cases = make_cases(scales, not args.no_pandoc, variants, args.cold, args.linear_floor)
    if not args.no_pandoc and not any(c.tool == "pandoc" for c in cases):
        print(
            "pandoc not found (pip install pypandoc-binary): skipping that column", file=sys.stderr
        )
    runs = max(1, args.runs)
    run_all(cases, runs, not args.no_warmup, not args.keep_env)
    info = machine()
    info["load_start"] = load_start
    info["label"] = args.label
    text = report(cases, info, runs, variants)
    print(text)
    if args.json:
        args.json.write_text(
            json.dumps({"info": info, "cases": [c.__dict__ for c in cases]}, indent=1),
            encoding="utf-8",
        )
    if not args.no_write:
        write_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
