"""How building scales with the number of chart slides (each a chart and its workbook).

Usage (from the repository root):

    .venv/bin/python benchmarks/charts.py            # 10, 100, 300 charts; writes CHARTS.md
    .venv/bin/python benchmarks/charts.py --no-write

Each build is a fresh process, timed from spawn to exit, the best of three. The
slides cycle through column, line, pie and stacked-bar charts of four categories.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCALES = (10, 100, 300)
TYPES = ("column", "line", "pie", "stacked-bar")
HERE = Path(__file__).resolve().parent


def deck(count: int) -> str:
    slides = []
    for index in range(count):
        kind = TYPES[index % len(TYPES)]
        second = "" if kind == "pie" else "      - {name: Two, values: [4, 3, 2, 1]}\n"
        slides.append(
            f"  - kind: chart\n    title: Chart {index}\n    type: {kind}\n"
            f"    categories: [A, B, C, D]\n    series:\n"
            f"      - {{name: One, values: [{index}, 2, 3, 4]}}\n{second}    alt: A chart\n"
        )
    return "title: Charts\nslides:\n" + "".join(slides)


def best_of(runs: int, command: list[str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "deckwright.yaml").write_text("# project marker\n")
        for count in SCALES:
            talk = root / f"charts{count}.yaml"
            talk.write_text(deck(count))
            out = root / f"charts{count}.pptx"
            seconds = best_of(
                3, [sys.executable, "-m", "generator", "build", str(talk), "-o", str(out)]
            )
            rows.append((count, seconds, out.stat().st_size))
            print(f"{count:4d} charts  {seconds:6.2f} s  {out.stat().st_size / 1e6:5.2f} MB")
    if "--no-write" in sys.argv:
        return
    lines = [
        "# Charts: build time by number of chart slides",
        "",
        "`benchmarks/charts.py`: best of 3 fresh processes per size, on the shared 2-core box.",
        "",
        "| charts | build (s) | per chart over the 10-chart build (ms) | .pptx (MB) |",
        "| ---: | ---: | ---: | ---: |",
    ]
    base_count, base_seconds, _ = rows[0]
    for count, seconds, size in rows:
        extra = (seconds - base_seconds) / (count - base_count) * 1000 if count > base_count else 0
        lines.append(f"| {count} | {seconds:.2f} | {extra:.1f} | {size / 1e6:.2f} |")
    (HERE / "CHARTS.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
