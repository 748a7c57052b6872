"""Template bombs: time and peak memory of `theme init` + `build` on crafted templates.

Each bomb is made from python-pptx's own template (tests/hostile_templates.py) and run
through the CLI in a fresh process, so the peak memory is the process's own (ru_maxrss of
the child). Run it against another checkout for a "before" column:

    python benchmarks/template_bombs.py                      # this checkout
    python benchmarks/template_bombs.py --code /work/main     # another one
    python benchmarks/template_bombs.py --markdown            # the table for TEMPLATE_BOMBS.md

A run is stopped after --timeout seconds (shown as "> N s").
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from hostile_templates import (  # noqa: E402 (tests/ is put on the path above)
    active_template,
    add_rel,
    add_shapes,
    default_parts,
    save,
)

DECK = (
    "title: Bomb\nslides:\n  - kind: title\n"
    "  - kind: bullets\n    title: Points\n    bullets: [one, two]\n"
)
IMAGE_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def padded_attribute(path: Path) -> Path:
    """A 30 MB attribute value in a layout (zipped to a few KB)."""
    parts = default_parts()
    name = "ppt/slideLayouts/slideLayout1.xml"
    parts[name] = parts[name].replace(b"<p:cSld ", b'<p:cSld pad="' + b"A" * 30_000_000 + b'" ')
    return save(parts, path)


def deep_nesting(path: Path) -> Path:
    """100,000 nested groups in a layout (fewer elements than the element bound)."""
    parts = default_parts()
    depth = 100_000
    add_shapes(
        parts, "ppt/slideLayouts/slideLayout1.xml", "<p:grpSp>" * depth + "</p:grpSp>" * depth
    )
    return save(parts, path)


def entity_expansion(path: Path) -> Path:
    """A billion laughs in the theme part."""
    parts = default_parts()
    lol = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)]
    dtd = ("<!DOCTYPE a:theme [" + "".join(lol) + "]>").encode()
    name = "ppt/theme/theme1.xml"
    head, _, body = parts[name].partition(b"?>")
    parts[name] = head + b"?>" + dtd + body.replace(b'name="Office Theme"', b'name="&l9;"', 1)
    return save(parts, path)


def many_elements(path: Path) -> Path:
    """Three million empty elements in a layout: 183 KB zipped, gigabytes as trees."""
    parts = default_parts()
    add_shapes(
        parts,
        "ppt/slideLayouts/slideLayout1.xml",
        "<p:sp><p:nvSpPr><p:cNvPr id='9' name='x'/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>"
        "<p:spPr/><p:txBody><a:bodyPr/>" + "<a:p/>" * 3_000_000 + "</p:txBody></p:sp>",
    )
    return save(parts, path)


def shared_huge_picture(path: Path, side: int = 6000) -> Path:
    """A side x side PNG background shared by the master and its 11 layouts (one copy)."""
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (side, side), (40, 90, 160)).save(picture, "PNG")
    parts = default_parts()
    parts["ppt/media/huge.png"] = picture.getvalue()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1
    )
    background = (
        '<p:bg><p:bgPr><a:blipFill><a:blip r:embed="rId77"/><a:stretch><a:fillRect/>'
        "</a:stretch></a:blipFill><a:effectLst/></p:bgPr></p:bg>"
    )
    owners = [("ppt/slideMasters", "slideMaster1.xml")] + [
        ("ppt/slideLayouts", f"slideLayout{n}.xml") for n in range(1, 12)
    ]
    for folder, name in owners:
        xml = parts[f"{folder}/{name}"].decode()
        xml = re.sub(r"<p:bg>.*?</p:bg>", "", xml, count=1, flags=re.S)
        close = xml.index(">", xml.index("<p:cSld")) + 1
        parts[f"{folder}/{name}"] = (xml[:close] + background + xml[close:]).encode()
        add_rel(parts, f"{folder}/_rels/{name}.rels", "rId77", IMAGE_RT, "../media/huge.png")
    return save(parts, path)


def many_placeholders(path: Path) -> Path:
    """A layout with 10,000 body placeholders."""
    parts = default_parts()
    shapes = "".join(
        f'<p:sp><p:nvSpPr><p:cNvPr id="{n + 100}" name="Body {n}"/><p:cNvSpPr/><p:nvPr>'
        f'<p:ph type="body" idx="{n + 10}"/></p:nvPr></p:nvSpPr><p:spPr><a:xfrm>'
        f'<a:off x="{n * 50}" y="{n * 30}"/><a:ext cx="914400" cy="457200"/></a:xfrm>'
        "</p:spPr></p:sp>"
        for n in range(10_000)
    )
    add_shapes(parts, "ppt/slideLayouts/slideLayout2.xml", shapes)
    return save(parts, path)


def zip_ratio(path: Path) -> Path:
    """A 30 MB part of one repeated byte (a zip bomb's shape)."""
    parts = default_parts()
    parts["ppt/media/pad.png"] = b"\0" * 30_000_000
    return save(parts, path)


def stored(make):
    """Return make, saving without compression: past the zip-ratio check, to the parser."""

    def make_stored(path: Path) -> Path:
        made = make(path)
        with zipfile.ZipFile(made) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        return save(parts, path, zipfile.ZIP_STORED)

    return make_stored


BOMBS = {
    "padded attribute (30 MB value)": padded_attribute,
    "padded attribute, stored (no zip ratio)": stored(padded_attribute),
    "deep nesting (100,000 levels)": deep_nesting,
    "deep nesting, stored": stored(deep_nesting),
    "entity expansion (billion laughs)": entity_expansion,
    "3,000,000 elements in one layout": many_elements,
    "3,000,000 elements, stored": stored(many_elements),
    "6000x6000 background, master + 11 layouts": shared_huge_picture,
    "7500x7500 background (over the pixel cap)": lambda path: shared_huge_picture(path, 7500),
    "10,000 placeholders in one layout": many_placeholders,
    "zip ratio (30 MB of zeros)": zip_ratio,
    "active content (macros, OLE, links)": active_template,
}


def run(code: Path, folder: Path, template: Path, timeout: float) -> tuple[float, float, str]:
    """Return (seconds, peak MB, outcome) of theme init then build in one fresh process."""
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(code)!r})\n"
        "from generator.cli import main\n"
        "import os\n"
        "codes = []\n"
        "for args in (['theme', 'init', 'bomb', '--from', sys.argv[1]], ['build', 'talk.yaml']):\n"
        "    try:\n"
        "        main(args, standalone_mode=False)\n"
        "        codes.append(0)\n"
        "    except SystemExit as exc:\n"
        "        codes.append(exc.code or 0)\n"
        "    except BaseException as exc:\n"
        "        codes.append(type(exc).__name__)\n"
        "    if codes[-1] != 0:\n"
        "        break\n"
        "print('exit', codes, file=sys.stderr)\n"
    )
    (folder / "deckwright.yaml").write_text("# project\n")
    (folder / "talk.yaml").write_text("theme: bomb\n" + DECK)
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(template)],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "DECKWRIGHT_CACHE_DIR": str(folder / "cache")},
        )
    except subprocess.TimeoutExpired:
        return time.monotonic() - started, float("nan"), f"> {timeout:.0f} s (stopped)"
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: a fresh process per bomb keeps
    # it honest only when bombs grow; report the child's own figure when it is larger.
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    outcome = next((line for line in lines if "error" in line or ": " in line), "built")
    if any("exit [0, 0]" in line for line in lines):
        outcome = "built"
    outcome = outcome.replace(f"{template}: ", "").replace(f"{template}", template.name)
    return seconds, max(peak, before) / 1024, " ".join(outcome.split())[:110]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=HERE.parent, help="checkout to measure")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--only", help="run the bombs whose name contains this")
    args = parser.parse_args()
    rows = []
    for name, make in BOMBS.items():
        if args.only and args.only not in name:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            template = make(folder / "bomb.pptx")
            size = template.stat().st_size
            # Each bomb in its own child of a child, so ru_maxrss is this bomb's alone.
            seconds, peak, outcome = _isolated(args.code, folder, template, args.timeout)
            rows.append((name, size, seconds, peak, outcome))
            print(
                f"{name:<40} {size / 1024:>8.0f} KB {seconds:>7.2f} s {peak:>7.0f} MB  {outcome}",
                flush=True,
            )
    if args.markdown:
        print("\n| bomb | file | time | peak memory | outcome |\n|---|---:|---:|---:|---|")
        for name, size, seconds, peak, outcome in rows:
            print(
                f"| {name} | {size / 1024:,.0f} KB | {seconds:.2f} s | {peak:,.0f} MB | {outcome} |"
            )


def _isolated(code: Path, folder: Path, template: Path, timeout: float) -> tuple[float, float, str]:
    """Run one bomb in a fresh interpreter whose children's peak is only this bomb's."""
    helper = (
        "import sys, json, pathlib\n"
        f"sys.path.insert(0, {str(HERE)!r})\n"
        "import template_bombs as tb\n"
        "print(json.dumps(tb.run(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]),"
        " pathlib.Path(sys.argv[3]), float(sys.argv[4]))))\n"
    )
    import json

    done = subprocess.run(
        [sys.executable, "-c", helper, str(code), str(folder), str(template), str(timeout)],
        capture_output=True,
        text=True,
    )
    try:
        seconds, peak, outcome = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return float("nan"), float("nan"), "runner failed: " + done.stderr[-200:]
    return seconds, peak, outcome


if __name__ == "__main__":
    main()
