"""PDF and PNG speed: one LibreOffice per batch or watch (office.py) against one per file.

Usage (from the repository root):

    .venv/bin/python benchmarks/office.py                  # 3 rounds, 6 saves; writes OFFICE.md
    .venv/bin/python benchmarks/office.py --runs 1 --saves 3 --no-write   # a quick look

Three variants, timed in one run, interleaved round-robin (so the noise of a shared
machine falls on all of them alike):

- **before**: the tree at --before (default 2afd685, the commit before the
  LibreOffice server), extracted with `git archive` into benchmarks/work/office/:
  one soffice per file, PNGs encoded by pdftoppm;
- **spawn**: this tree with DECKWRIGHT_OFFICE=spawn, the fallback path (one soffice
  per file), with this tree's PNG step (PDFium pixels, unfiltered PNG rows);
- **server**: this tree as it runs by default: one LibreOffice per build process.

Batch: `deckwright build -f pptx -f pdf -f png --theme all` of two copies of the
bundled deck (2 contents x 3 bundled themes = six decks, --jobs 2), wall time of
the whole process. Watch: `deckwright watch -f png` of the bundled deck, each save
(a new subtitle) timed to the contact sheet's new modification time; the first
build is not timed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work" / "office"
BUNDLED = ROOT / "content" / "ai-vs-ml-engineer.yaml"
RESULTS = HERE / "OFFICE.md"
BEGIN = "<!-- office.py: latest run (regenerated) -->"
END = "<!-- office.py: end of latest run -->"
SUBTITLE = "subtitle: Two roles, two stacks, and when to hire which"
BEFORE = "2afd685"
DECKWRIGHT_OFFICE = "DECKWRIGHT_OFFICE"
TARGET = 3.0  # the batch at least 3x faster than before (issue 16)


def before_tree(commit: str) -> Path:
    """Return a folder holding generator/ as it was at commit (bundled themes included)."""
    tree = WORK / f"before-{commit}"
    if not (tree / "generator").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", commit, "generator", "themes"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        shutil.copytree(tree / "themes", tree / "generator" / "bundled_themes")
    return tree


def project(name: str, copies: int) -> Path:
    """Return a fresh project with `copies` copies of the bundled content (and snippets)."""
    folder = WORK / name
    if folder.exists():
        shutil.rmtree(folder)
    content = folder / "content"
    shutil.copytree(BUNDLED.parent / "snippets", content / "snippets")
    for number in range(1, copies + 1):
        shutil.copyfile(BUNDLED, content / f"talk-{number}.yaml")
    (folder / "deckwright.yaml").write_text("# benchmark project\n", encoding="utf-8")
    return folder


def environment(variant: str, trees: dict[str, Path]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", DECKWRIGHT_OFFICE)}
    env["PYTHONPATH"] = str(trees[variant])
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if variant == "spawn":
        env[DECKWRIGHT_OFFICE] = "spawn"
    return env


def children_cpu() -> float:
    """Return the CPU seconds (user + system) of every waited-for child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def batch_seconds(variant: str, trees: dict[str, Path]) -> tuple[float, float]:
    """Return the wall and CPU seconds of one six-deck build (LibreOffice and pool included)."""
    folder = project(f"batch-{variant}", 2)
    command = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--theme",
        "all",
        "-f",
        "pptx",
        "-f",
        "pdf",
        "-f",
        "png",
        "--jobs",
        "2",
        "-o",
        "output",
    ]
    cpu = children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=folder, env=environment(variant, trees), capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    cpu = children_cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"{variant}: build failed ({done.returncode}):\n{done.stderr}")
    sheets = sorted(folder.glob("output/*-contact.png"))
    pdfs = sorted(folder.glob("output/*.pdf"))
    if len(sheets) != 6 or len(pdfs) != 6:
        sys.exit(f"{variant}: expected six PDFs and contact sheets, got {pdfs} {sheets}")
    return seconds, cpu


def watch_seconds(variant: str, trees: dict[str, Path], saves: int) -> list[float]:
    """Return the seconds from each save to the new contact sheet under `watch -f png`."""
    folder = project(f"watch-{variant}", 1)
    content = folder / "content" / "talk-1.yaml"
    sheet = folder / "output" / "talk-1-contact.png"
    original = content.read_text(encoding="utf-8")
    assert SUBTITLE in original, "the bundled deck's subtitle changed: update office.py"
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "watch", str(content), "-f", "png", "-o", "output"],
        cwd=folder,
        env=environment(variant, trees),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready = threading.Event()
    lines: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if line.startswith("watching "):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    times = []
    try:
        if not ready.wait(120) or not sheet.exists():
            sys.exit(f"{variant}: watch did not start:\n" + "".join(lines))
        for save in range(saves):
            time.sleep(0.5)
            before = sheet.stat().st_mtime_ns
            content.write_text(
                original.replace(SUBTITLE, f"{SUBTITLE} ({save + 1})"), encoding="utf-8"
            )
            saved = time.perf_counter()
            while sheet.stat().st_mtime_ns == before:
                if time.perf_counter() - saved > 60:
                    sys.exit(f"{variant}: no new contact sheet within 60 s:\n" + "".join(lines))
                time.sleep(0.005)
            times.append(time.perf_counter() - saved)
            print(f"  watch {variant} save {save + 1}: {times[-1]:.2f} s", file=sys.stderr)
    finally:
        # SIGTERM, not SIGINT: a harness started in the background (`cmd &`) passes SIGINT
        # on ignored, and the watch would then be killed without cleaning up.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return times


def report(
    batch: dict[str, list[float]],
    cpu: dict[str, list[float]],
    watch: dict[str, list[float]],
    args: argparse.Namespace,
) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{now}, commit {commit} against `{args.before}`; load average at the end {load}; "
        f"{os.cpu_count()} cores shared with other work.",
        "",
        "Six decks (`build --theme all -f pptx -f pdf -f png --jobs 2`, two contents x "
        f"three themes), {args.runs} interleaved runs. Wall seconds of the whole command, and "
        "CPU seconds (user + system of the command and every process it waited for, "
        "LibreOffice included: less disturbed by the other work on the machine):",
        "",
        "| variant | median | min | max | vs before | CPU s (median) | CPU vs before |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    base = statistics.median(batch["before"])
    base_cpu = statistics.median(cpu["before"])
    for variant, times in batch.items():
        median = statistics.median(times)
        used = statistics.median(cpu[variant])
        lines.append(
            f"| {variant} | {median:.2f} | {min(times):.2f} | {max(times):.2f} "
            f"| {base / median:.2f}x | {used:.2f} | {base_cpu / used:.2f}x |"
        )
    speedup = base / statistics.median(batch["server"])
    verdict = "pass" if speedup >= TARGET else "FAIL"
    lines += [
        "",
        f"Target: server at least {TARGET:g}x faster than before: {speedup:.2f}x, {verdict}.",
        "",
        f"Watch (`watch -f png`, bundled deck), save to new contact sheet, {args.saves} saves:",
        "",
        "| variant | median | min | max |",
        "|---|---:|---:|---:|",
    ]
    for variant, times in watch.items():
        lines.append(
            f"| {variant} | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} |"
        )
    return "\n".join(lines) + "\n"


def write_results(block: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    fresh = f"{BEGIN}\n{block}{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + fresh + rest.split(END, 1)[1]
    else:
        text = text + ("\n" if text else "") + fresh + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="interleaved batch runs")
    parser.add_argument("--saves", type=int, default=6, help="timed saves per watch")
    parser.add_argument("--before", default=BEFORE, help="commit of the 'before' variant")
    parser.add_argument("--no-write", action="store_true", help="print only, keep OFFICE.md")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    trees = {"before": before_tree(args.before), "spawn": ROOT, "server": ROOT}
    variants = list(trees)
    for variant in variants:  # warm-up: bytecode, disk cache, LibreOffice's own files
        batch_seconds(variant, trees)
    batch: dict[str, list[float]] = {variant: [] for variant in variants}
    cpu: dict[str, list[float]] = {variant: [] for variant in variants}
    for round_ in range(args.runs):
        order = variants[round_ % len(variants) :] + variants[: round_ % len(variants)]
        for variant in order:
            wall, used = batch_seconds(variant, trees)
            batch[variant].append(wall)
            cpu[variant].append(used)
            print(f"  batch {variant}: {wall:.2f} s, CPU {used:.2f} s", file=sys.stderr)
    watch = {variant: watch_seconds(variant, trees, args.saves) for variant in variants}
    block = report(batch, cpu, watch, args)
    print(block)
    if not args.no_write:
        write_results(block)


if __name__ == "__main__":
    main()
