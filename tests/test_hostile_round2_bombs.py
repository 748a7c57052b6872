"""Hostile input, round two (B): bombs that stay under the stated size limits.

A lexer that backtracks catastrophically, a progressive JPEG of thousands of scans
(and the same picture on ten slides), runs of inline markup that are never closed and
YAML 1.1 base-60 numbers: each is refused or handled in well under five seconds.
"""

from __future__ import annotations

import math
import struct
import threading
import time

import pytest
from conftest import write
from pptx import Presentation

import generator.layout.highlight as highlight
import generator.model.blocks as blocks
from generator.errors import Location, Problems
from generator.model.inline import parse_inline

SECONDS = 5.0
# The Maple lexer's string rule backtracks exponentially on an unterminated string of
# backslashes (pygments PR #3320): 40 of them take 11 s, 44 more than a minute.
MAPLE_BOMB = '"' + "\\" * 44


@pytest.fixture(autouse=True)
def fresh_highlight_budget(monkeypatch, tmp_path_factory):
    """Each test starts with the whole lexing budget, and leaves it to the next whole.

    The disk cache is a fresh one: a bomb that some other run did lex to the end
    (minutes later) would be found there and never be lexed again.
    """
    monkeypatch.setenv("DECKWRIGHT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setitem(highlight._bank, "left", highlight.BANK_SECONDS)
    monkeypatch.setitem(highlight._bank, "at", time.monotonic())
    monkeypatch.setattr(highlight, "_too_slow", set())
    highlight._highlighted.cache_clear()
    blocks._inspect_image.cache_clear()


def timed(run_cli, *args, **kwargs):
    started = time.monotonic()
    result = run_cli(*args, **kwargs)
    return (*result, time.monotonic() - started)


def code_talk(sources: list[str], language: str = "maple") -> str:
    slides = "".join(
        f"  - kind: code\n    title: C{n}\n    language: {language}\n"
        f"    source: |\n      {source}\n"
        for n, source in enumerate(sources)
    )
    return f"title: T\nslides:\n{slides}"


WARNING = (
    "code not highlighted: the 'maple' lexer took longer than 0.5 s; it is shown as "
    "plain text (a Pygments lexer slows down on this code; check the language, or "
    "split the snippet)"
)


def test_a_catastrophic_lexer_is_cut_short_and_the_code_shown_plain(run_cli, project):
    write(project / "talk.yaml", code_talk([MAPLE_BOMB]))
    code, stdout, stderr, seconds = timed(
        run_cli, "build", "talk.yaml", "-o", "out.pptx", cwd=project
    )
    assert code == 0
    assert stderr == f"talk.yaml:6:13: warning: {WARNING}\n"
    assert stdout.startswith("out.pptx  1 slides  ")
    assert seconds < SECONDS
    shapes = [
        s
        for s in Presentation(str(project / "out.pptx")).slides[0].shapes
        if s.name.startswith("Code")
    ]
    assert shapes[0].text_frame.text == MAPLE_BOMB


def test_a_catastrophic_lexer_is_an_error_with_strict(run_cli, project):
    write(project / "talk.yaml", code_talk([MAPLE_BOMB]))
    code, stdout, stderr, seconds = timed(run_cli, "check", "talk.yaml", "--strict", cwd=project)
    assert (code, stdout) == (1, "")
    assert f"talk.yaml:6:13: {WARNING}\n" in stderr
    assert seconds < SECONDS


def test_many_slow_snippets_share_one_time_budget(run_cli, project):
    bombs = [MAPLE_BOMB + "x" * n for n in range(20)]  # all different: no memo helps
    write(project / "talk.yaml", code_talk(bombs))
    code, _, stderr, seconds = timed(run_cli, "build", "talk.yaml", "-o", "out.pptx", cwd=project)
    assert code == 0
    lines = stderr.splitlines()
    assert len(lines) == 20 and all("warning: code not highlighted" in line for line in lines)
    assert sum("is used up (by slow code before it)" in line for line in lines) >= 10
    assert seconds < SECONDS


def test_off_the_main_thread_a_slow_lexer_is_stopped_too():
    found: dict[str, object] = {}

    def work():
        started = time.monotonic()
        found["lines"] = highlight.highlight_lines(
            MAPLE_BOMB + "\n",
            "maple",
            "friendly",
            "#F6F8FA",
            lambda message, hint: found.setdefault("warning", message),
        )
        found["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert found["warning"] == (
        "code not highlighted: the 'maple' lexer took longer than 0.5 s; it is shown as plain text"
    )
    assert found["lines"] == [[highlight.Run(MAPLE_BOMB, code=True)]]
    assert found["seconds"] < SECONDS


def test_ordinary_code_is_still_highlighted_off_the_main_thread():
    found: dict[str, object] = {}
    thread = threading.Thread(
        target=lambda: found.update(
            lines=highlight.highlight_lines(
                "def f():\n    return 1\n",
                "python",
                "friendly",
                "#F6F8FA",
                lambda *_: found.update(bad=1),
            )
        )
    )
    thread.start()
    thread.join(30)
    assert "bad" not in found
    lines = found["lines"]
    assert isinstance(lines, list) and lines[0][0].text == "def " and lines[0][0].color


# Pictures ---------------------------------------------------------------------------------


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


class _Bits:
    def __init__(self):
        self.out, self.acc, self.count = bytearray(), 0, 0

    def put(self, value: int, length: int) -> None:
        for shift in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> shift) & 1)
            self.count += 1
            if self.count == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)  # byte stuffing
                self.acc = self.count = 0

    def done(self) -> bytes:
        if self.count:
            self.put((1 << (8 - self.count)) - 1, 8 - self.count)
        return bytes(self.out)


def progressive_jpeg(width: int, height: int, scans: int) -> bytes:
    """A grey progressive JPEG: a DC scan, then `scans` AC scans of end-of-band runs.

    Each AC scan is a few dozen bytes (runs of up to 32,767 empty blocks), and the
    decoder still visits every block of the picture for each.
    """
    blocks_count = math.ceil(width / 8) * math.ceil(height / 8)
    data = b"\xff\xd8" + _segment(0xDB, b"\x00" + b"\x01" * 64)
    data += _segment(0xC2, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    data += _segment(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00")  # DC: one code, 0
    data += _segment(
        0xC4,
        b"\x10"
        + bytes([0, 0, 0, 15] + [0] * 12)  # AC: EOB0..EOB14
        + bytes(range(0, 0xF0, 0x10)),
    )
    dc = _Bits()
    for _ in range(blocks_count):
        dc.put(0, 1)
    data += _segment(0xDA, b"\x01\x01\x00\x00\x00\x00") + dc.done()
    ac, left = _Bits(), blocks_count
    while left:
        run = min(left, 32767)
        bits = run.bit_length() - 1
        ac.put(bits, 4)  # EOBn's code is n: fifteen 4-bit codes in order
        ac.put(run - (1 << bits), bits)
        left -= run
    scan = _segment(0xDA, b"\x01\x01\x00\x01\x3f\x00") + ac.done()
    return data + scan * scans + b"\xff\xd9"


def image_talk(name: str, times: int) -> str:
    slides = "".join(
        f"  - kind: image\n    title: I{n}\n    src: {name}\n    alt: a picture\n"
        for n in range(times)
    )
    return f"title: T\nslides:\n{slides}"


def test_a_progressive_jpeg_of_thousands_of_scans_is_refused_without_decoding(run_cli, project):
    # 49 Mpx (under the 50 Mpx limit) in 280 KB: decoding it takes about 5 s, each time.
    (project / "scans.jpg").write_bytes(progressive_jpeg(7000, 7000, 2000))
    write(project / "talk.yaml", image_talk("scans.jpg", 10))
    code, stdout, stderr, seconds = timed(run_cli, "check", "talk.yaml", cwd=project)
    assert (code, stdout) == (1, "")
    line = (
        "image 'scans.jpg' is a progressive JPEG of more than 100 scans, too slow to "
        "decode (export it again as PNG or as a baseline JPEG)"
    )
    assert stderr.splitlines() == [f"talk.yaml:{5 + 4 * n}:10: {line}" for n in range(10)]
    assert seconds < SECONDS


def test_a_progressive_jpeg_under_the_scan_limit_is_accepted(run_cli, project):
    (project / "scans.jpg").write_bytes(progressive_jpeg(400, 300, 20))
    write(project / "talk.yaml", image_talk("scans.jpg", 1))
    code, _, stderr = run_cli("check", "talk.yaml", cwd=project)
    assert (code, [line for line in stderr.splitlines() if "note:" not in line]) == (0, [])


def test_a_picture_on_ten_slides_is_decoded_once(run_cli, project, monkeypatch):
    from PIL import Image, ImageFile

    Image.new("RGB", (64, 48), "teal").save(project / "pic.png")
    write(project / "talk.yaml", image_talk("pic.png", 10))
    loads = []
    real_load = ImageFile.ImageFile.load

    def counting_load(self):
        if self.format == "PNG":
            loads.append(self.size)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    code, _, _ = run_cli("check", "talk.yaml", cwd=project)
    assert code == 0
    assert loads == [(64, 48)]


def test_a_changed_picture_is_looked_at_again(run_cli, project):
    from PIL import Image

    Image.new("RGB", (64, 48), "teal").save(project / "pic.png")
    write(project / "talk.yaml", image_talk("pic.png", 1))
    assert run_cli("check", "talk.yaml", cwd=project)[0] == 0
    (project / "pic.png").write_bytes(b"not a picture any more")
    code, _, stderr = run_cli("check", "talk.yaml", cwd=project)
    assert (code, stderr) == (
        1,
        "talk.yaml:5:10: 'pic.png' is not an image file (use PNG, JPEG or GIF)\n",
    )


# Text --------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["[a", "**a ", "[a](", "`a", "*a ", "** *"])
def test_inline_markup_that_is_never_closed_costs_linear_time(unit):
    # 20 times the text: linear is 20 times the time, quadratic 400 (the old one took
    # 60 s for 200,000 characters of `[a`).
    short, long = unit * (10_000 // len(unit)), unit * (200_000 // len(unit))
    started = time.monotonic()
    parse_inline(short, Location("t"), Problems())
    small = time.monotonic() - started
    started = time.monotonic()
    runs = parse_inline(long, Location("t"), Problems())
    large = time.monotonic() - started
    assert large < 2.0 and large < small * 100 + 0.05
    assert runs  # the text is kept, as literal runs where nothing closes


def test_a_deck_of_long_unclosed_markup_checks_in_seconds(run_cli, project):
    bullets = "".join(
        f'  - kind: bullets\n    title: B{n}\n    bullets:\n      - "{"[a" * 9_990}"\n'
        for n in range(90)
    )  # 1.8 MB
    write(project / "talk.yaml", f"title: T\nslides:\n{bullets}")
    code, _, _, seconds = timed(run_cli, "check", "talk.yaml", cwd=project)
    assert code == 0
    assert seconds < SECONDS


def test_base_60_numbers_are_text(run_cli, project):
    write(project / "talk.yaml", "title: 10:30\nsubtitle: 1:59:59.5\nslides:\n  - kind: title\n")
    code, _, stderr = run_cli("build", "talk.yaml", "-o", "out.pptx", cwd=project)
    assert (code, stderr) == (0, "")
    slide = Presentation(str(project / "out.pptx")).slides[0]
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    assert "10:30" in texts and "1:59:59.5" in texts


def test_a_huge_base_60_number_is_refused_in_linear_time(run_cli, project):
    value = "1" + ":59" * 600_000  # 1.8 MB: PyYAML's conversion took about a minute
    write(project / "talk.yaml", f"title: {value}\nslides:\n  - kind: title\n")
    code, stdout, stderr, seconds = timed(run_cli, "check", "talk.yaml", cwd=project)
    assert (code, stdout) == (1, "")
    assert stderr == "talk.yaml:1:8: text is 1,800,001 characters; the limit is 20,000\n"
    assert seconds < SECONDS


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("theme", "name: t\nextends: default\nmin_sizes: {body: 1e%s}\n"),
        ("theme", "name: t\nextends: default\ncode_style: x%s\n"),
        ("content", "title: x\ntheme: default\nslides:\n  - kind: %s\n"),
    ],
)
def test_a_huge_value_gives_a_short_error_line(run_cli, project, where, text):
    digits = "9" * 100_000
    if where == "theme":
        write(project / "themes" / "t" / "theme.yaml", text % digits)
        write(project / "talk.yaml", "title: x\ntheme: t\nslides:\n  - kind: title\n")
    else:
        write(project / "talk.yaml", text % ("k" + digits))
    for command in ("check", "build"):
        code, _, stderr = run_cli(command, "talk.yaml", cwd=project)
        lines = stderr.splitlines()
        assert code == 1 and lines, stderr[:500]
        assert max(len(line) for line in lines) < 2500, [len(line) for line in lines]
        assert "characters]..." in stderr  # said how long the value was
