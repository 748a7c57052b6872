"""How `theme init` and `build` scale with a template's layouts and placeholders.

Usage (from the repository root):

    .venv/bin/python benchmarks/templates.py            # 3 runs, writes TEMPLATES.md
    .venv/bin/python benchmarks/templates.py --runs 1 --no-write

Templates are made here from python-pptx's default one: its "Title and Content" layout
copied until the master has N layouts, each copy with P extra placeholders and P drawn
shapes (artwork), so that the work per layout grows too. Each case is a fresh process,
timed from spawn to exit; runs are interleaved so that noise falls on all cases alike.
Linear means: time per layout roughly constant as N grows (compare the ratios of one run).
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
RESULTS = HERE / "TEMPLATES.md"
LAYOUTS = (25, 50, 100, 200)
EXTRA = 4  # placeholders and drawn shapes added to each copied layout
LAYOUT_CT = "application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"
EXTRA_SHAPES = "".join(
    f'<p:sp><p:nvSpPr><p:cNvPr id="{100 + n}" name="Extra {n}"/><p:cNvSpPr/>'
    f'<p:nvPr><p:ph type="body" sz="quarter" idx="{20 + n}"/></p:nvPr></p:nvSpPr>'
    f'<p:spPr><a:xfrm><a:off x="{457200 + n * 100000}" y="5800000"/>'
    f'<a:ext cx="900000" cy="300000"/></a:xfrm></p:spPr></p:sp>'
    f'<p:sp><p:nvSpPr><p:cNvPr id="{200 + n}" name="Art {n}"/><p:cNvSpPr/><p:nvPr/>'
    f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{n * 200000}" y="0"/>'
    f'<a:ext cx="150000" cy="150000"/></a:xfrm><a:prstGeom prst="ellipse"><a:avLst/>'
    f'</a:prstGeom><a:solidFill><a:srgbClr val="4472C4"/></a:solidFill></p:spPr></p:sp>'
    for n in range(EXTRA)
)


def make_template(layouts: int, target: Path) -> Path:
    """Write a .pptx whose one master has `layouts` layouts."""
    from pptx import Presentation

    buffer = io.BytesIO()
    Presentation().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    files = {name: source.read(name) for name in source.namelist()}
    master_name = "ppt/slideMasters/slideMaster1.xml"
    master_rels = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
    base = files["ppt/slideLayouts/slideLayout2.xml"].decode()
    base = base.replace("</p:spTree>", EXTRA_SHAPES + "</p:spTree>")
    base_rels = files["ppt/slideLayouts/_rels/slideLayout2.xml.rels"]
    existing = len([n for n in files if re.match(r"ppt/slideLayouts/slideLayout\d+\.xml$", n)])
    ids, rels, overrides = [], [], []
    for number in range(existing + 1, layouts + 1):
        name = f"slideLayout{number}.xml"
        files[f"ppt/slideLayouts/{name}"] = base.replace(
            'name="Title and Content"', f'name="Content {number}"'
        ).encode()
        files[f"ppt/slideLayouts/_rels/{name}.rels"] = base_rels
        ids.append(f'<p:sldLayoutId id="{2147483648 + number}" r:id="rIdL{number}"/>')
        rels.append(
            f'<Relationship Id="rIdL{number}" Type="http://schemas.openxmlformats.org'
            f'/officeDocument/2006/relationships/slideLayout" '
            f'Target="../slideLayouts/{name}"/>'
        )
        overrides.append(
            f'<Override PartName="/ppt/slideLayouts/{name}" ContentType="{LAYOUT_CT}"/>'
        )
    files[master_name] = (
        files[master_name]
        .decode()
        .replace("</p:sldLayoutIdLst>", "".join(ids) + "</p:sldLayoutIdLst>")
        .encode()
    )
    files[master_rels] = (
        files[master_rels]
        .decode()
        .replace("</Relationships>", "".join(rels) + "</Relationships>")
        .encode()
    )
    files["[Content_Types].xml"] = (
        files["[Content_Types].xml"]
        .decode()
        .replace("</Types>", "".join(overrides) + "</Types>")
        .encode()
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(name, data)
    return target


def timed(argv: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    run = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{run.stdout}{run.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    deckwright = str(BIN / "deckwright")
    work = Path(tempfile.mkdtemp(prefix="deckwright-templates-"))
    try:
        project = work / "project"
        shutil.copytree(ROOT / "content", project / "content")
        (project / "deckwright.yaml").write_text("# project marker\n")
        times: dict[tuple[str, int], list[float]] = {}
        for layouts in LAYOUTS:
            make_template(layouts, work / f"t{layouts}.pptx")
        for run in range(args.runs + 1):  # the first run warms caches and is not kept
            for layouts in LAYOUTS:
                theme = project / "themes" / f"t{layouts}"
                shutil.rmtree(theme, ignore_errors=True)
                init = timed(
                    [
                        deckwright,
                        "theme",
                        "init",
                        f"t{layouts}",
                        "--from",
                        str(work / f"t{layouts}.pptx"),
                    ],
                    project,
                )
                build = timed(
                    [
                        deckwright,
                        "build",
                        "-t",
                        f"t{layouts}",
                        "-o",
                        str(work / f"d{layouts}.pptx"),
                    ],
                    project,
                )
                if run:
                    times.setdefault(("theme init", layouts), []).append(init)
                    times.setdefault(("build", layouts), []).append(build)
        lines = [
            "# Templates: time against layouts",
            "",
            f"Median of {args.runs} runs; each layout copy has {EXTRA} extra "
            f"placeholders and {EXTRA} drawn shapes. ms/layout is the time above the "
            f"{LAYOUTS[0]}-layout case divided by the extra layouts.",
            "",
            "| case | " + " | ".join(f"{n} layouts" for n in LAYOUTS) + " | ms per "
            "extra layout (25 -> 100, 100 -> 200) |",
            "|---|" + "---|" * (len(LAYOUTS) + 1),
        ]
        for case in ("theme init", "build"):
            medians = [statistics.median(times[(case, n)]) for n in LAYOUTS]
            per = [
                (medians[2] - medians[0]) / (LAYOUTS[2] - LAYOUTS[0]) * 1000,
                (medians[3] - medians[2]) / (LAYOUTS[3] - LAYOUTS[2]) * 1000,
            ]
            lines.append(
                f"| {case} | "
                + " | ".join(f"{m:.2f} s" for m in medians)
                + f" | {per[0]:.1f}, {per[1]:.1f} |"
            )
        text = "\n".join(lines) + "\n"
        print(text)
        if not args.no_write:
            RESULTS.write_text(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
