"""Hostile files: includes and images that are missing, unreadable, outside, fake or huge.

Also unknown code languages and links with schemes other than http, https and mailto.
Every case is one located line at the `file:` or `src:` that named the file.
"""

from __future__ import annotations

import io
import os
import struct
import time
import zlib
from pathlib import Path

import pytest
from conftest import write
from PIL import Image

from generator.model.blocks import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
from generator.source.includes import MAX_INCLUDE_BYTES

HEAD = "vars: {company: Acme}\ntitle: T\nslides:\n"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def code_slide(path: str, extra: str = "") -> str:
    return HEAD + f"  - kind: code\n    title: C\n    language: python\n    file: {path}\n{extra}"


def image_slide(path: str) -> str:
    return HEAD + f"  - kind: image\n    src: {path}\n    alt: A diagram\n"


def png(width: int = 4, height: int = 3, noise: bool = False) -> bytes:
    out = io.BytesIO()
    picture = (
        Image.effect_noise((width, height), 64).convert("RGB")
        if noise
        else Image.new("RGB", (width, height), "#2563EB")
    )
    picture.save(out, "PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small, well-formed PNG whose header claims width x height pixels."""
    real = png()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return real[:8] + ihdr + real[33:]


def check(run_cli, project: Path, text: str) -> tuple[int, str, Path]:
    content = write(project / "talk.yaml", text)
    code, stdout, stderr = run_cli("check", content)
    if code:
        assert stdout == ""
    return code, stderr, content


# Includes ------------------------------------------------------------------------------


def test_a_missing_include_is_located_with_a_near_name(run_cli, project):
    write(project / "snippets" / "judge.py", "x = 1\n")
    code, stderr, content = check(run_cli, project, code_slide("snippets/jugde.py"))
    assert (code, stderr) == (
        1,
        f"{content}:7:11: file 'snippets/jugde.py' not found (did you mean 'judge.py'?)\n",
    )
    code, stderr, content = check(run_cli, project, code_slide("nothing/here.py"))
    assert (code, stderr) == (1, f"{content}:7:11: file 'nothing/here.py' not found\n")


def test_an_include_that_is_a_folder(run_cli, project):
    (project / "snippets").mkdir()
    code, stderr, content = check(run_cli, project, code_slide("snippets"))
    assert (code, stderr) == (1, f"{content}:7:11: 'snippets' is a folder, not a file\n")


@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their mode")
def test_an_unreadable_include(run_cli, project):
    secret = write(project / "secret.py", "x = 1\n")
    secret.chmod(0)
    try:
        code, stderr, content = check(run_cli, project, code_slide("secret.py"))
    finally:
        secret.chmod(0o644)
    assert (code, stderr) == (1, f"{content}:7:11: cannot read 'secret.py': Permission denied\n")


@pytest.mark.parametrize("path", ["../../etc/passwd", "../outside.py", "snippets/../../x.py"])
def test_includes_may_not_leave_the_project(run_cli, project, path):
    root = project.resolve()
    code, stderr, content = check(run_cli, project, code_slide(path))
    assert (code, stderr) == (
        1,
        f"{content}:7:11: '{path}' is outside the project folder "
        f"{root} (includes and images must stay inside the project)\n",
    )


def test_absolute_include_paths_are_refused(run_cli, project):
    code, stderr, content = check(run_cli, project, code_slide("/etc/passwd"))
    assert (code, stderr) == (
        1,
        f"{content}:7:11: '/etc/passwd' is an absolute path "
        "(use a path relative to the content file)\n",
    )


def test_symbolic_links_that_point_out_of_the_project_are_refused(
    run_cli, project, tmp_path_factory
):
    outside = tmp_path_factory.mktemp("outside")
    write(outside / "secret.py", "password = 'hunter2'\n")
    (project / "link.py").symlink_to(outside / "secret.py")
    (project / "shared").symlink_to(outside, target_is_directory=True)
    root = project.resolve()
    for path, link in (("link.py", "link.py"), ("shared/secret.py", "shared")):
        code, stderr, content = check(run_cli, project, code_slide(path))
        assert (code, stderr) == (
            1,
            f"{content}:7:11: '{path}' is outside the project folder "
            f"{root} ('{link}' is a symbolic link that points out of "
            "the project)\n",
        )


def test_symbolic_links_inside_the_project_are_fine(run_cli, project):
    write(project / "src" / "real.py", "answer = 42\n")
    (project / "link.py").symlink_to(project / "src" / "real.py")
    code, stderr, _ = check(run_cli, project, code_slide("link.py"))
    assert (code, stderr) == (0, "")


def test_a_symbolic_link_loop_is_one_line(run_cli, project):
    (project / "a.py").symlink_to(project / "b.py")
    (project / "b.py").symlink_to(project / "a.py")
    code, stderr, content = check(run_cli, project, code_slide("a.py"))
    assert (code, stderr) == (1, f"{content}:7:11: 'a.py' is a symbolic link loop\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "'blob.py' is a binary file, not text"),
        ("print('hi')\n".encode("utf-16"), "'blob.py' is UTF-16 text (save it as UTF-8)"),
        ("naïve = 1\n".encode("latin-1"), "'blob.py' is not UTF-8 text (save it as UTF-8)"),
        (
            b"bell = '\x07'\n",
            "character U+0007 at position 9 cannot be written to PowerPoint (remove it)",
        ),
    ],
)
def test_includes_that_are_not_utf8_text(run_cli, project, data, message):
    (project / "blob.py").write_bytes(data)
    code, stderr, content = check(run_cli, project, code_slide("blob.py"))
    assert (code, stderr) == (1, f"{content}:7:11: {message}\n")


def test_an_enormous_include_is_refused_without_reading_it(run_cli, project):
    with (project / "huge.py").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper
    started = time.perf_counter()
    code, stderr, content = check(run_cli, project, code_slide("huge.py"))
    assert time.perf_counter() - started < 5
    assert (code, stderr) == (
        1,
        f"{content}:7:11: 'huge.py' is larger than "
        f"{MAX_INCLUDE_BYTES:,} bytes (split the file: a slide shows "
        "a few dozen lines)\n",
    )


def test_a_utf8_bom_in_an_include_is_dropped(run_cli, project):
    (project / "bom.py").write_bytes(b"\xef\xbb\xbfx = 1\n")
    code, stderr, _ = check(run_cli, project, code_slide("bom.py"))
    assert (code, stderr) == (0, "")


# Images --------------------------------------------------------------------------------


def test_a_missing_image(run_cli, project):
    code, stderr, content = check(run_cli, project, image_slide("images/diagram.png"))
    assert (code, stderr) == (1, f"{content}:5:10: file 'images/diagram.png' not found\n")


def test_an_image_that_is_a_folder(run_cli, project):
    (project / "images.png").mkdir()
    code, stderr, content = check(run_cli, project, image_slide("images.png"))
    assert (code, stderr) == (1, f"{content}:5:10: 'images.png' is a folder, not a file\n")


@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their mode")
def test_an_unreadable_image(run_cli, project):
    picture = project / "d.png"
    picture.write_bytes(png())
    picture.chmod(0)
    try:
        code, stderr, content = check(run_cli, project, image_slide("d.png"))
    finally:
        picture.chmod(0o644)
    assert (code, stderr) == (1, f"{content}:5:10: cannot read 'd.png': Permission denied\n")


def test_images_may_not_leave_the_project(run_cli, project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "logo.png").write_bytes(png())
    (project / "logo.png").symlink_to(outside / "logo.png")
    root = project.resolve()
    code, stderr, content = check(run_cli, project, image_slide("logo.png"))
    assert (code, stderr) == (
        1,
        f"{content}:5:10: 'logo.png' is outside the project folder "
        f"{root} ('logo.png' is a symbolic link that points out of "
        "the project)\n",
    )
    code, stderr, content = check(run_cli, project, image_slide(str(outside / "logo.png")))
    assert (code, stderr) == (
        1,
        f"{content}:5:10: '{outside / 'logo.png'}' is an absolute path "
        "(use a path relative to the content file)\n",
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "diagram.png",
            b"just some text, honestly\n",
            "'diagram.png' is not an image file (use PNG, JPEG or GIF)",
        ),
        ("diagram.png", b"", "'diagram.png' is not an image file (use PNG, JPEG or GIF)"),
        (
            "diagram.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "'diagram.svg' is not an image file (SVG is not supported: export it as PNG)",
        ),
        (
            "diagram.jpg",
            png(64, 64, noise=True)[:2000],
            "image 'diagram.jpg' is damaged: Truncated File Read (export it again as PNG, "
            "JPEG or GIF)",
        ),
    ],
)
def test_files_that_are_not_the_image_they_claim_to_be(run_cli, project, name, data, message):
    (project / name).write_bytes(data)
    code, stderr, content = check(run_cli, project, image_slide(name))
    assert (code, stderr) == (1, f"{content}:5:10: {message}\n")


def test_an_image_with_a_huge_header_is_refused_without_decoding(run_cli, project):
    cases = [
        (100_000, 100_000, "has 10,000,000,000 pixels"),
        (9_000, 9_000, "is 9,000x9,000 pixels"),
    ]
    for width, height, what in cases:
        (project / "bomb.png").write_bytes(png_claiming(width, height))
        started = time.perf_counter()
        code, stderr, content = check(run_cli, project, image_slide("bomb.png"))
        assert time.perf_counter() - started < 5
        assert (code, stderr) == (
            1,
            f"{content}:5:10: image 'bomb.png' {what}; the limit is "
            f"{MAX_IMAGE_PIXELS:,} pixels (scale it down)\n",
        )


def test_an_image_whose_pixels_do_not_match_its_header_is_damaged(run_cli, project):
    (project / "cut.png").write_bytes(png_claiming(2_000, 2_000))
    code, stderr, content = check(run_cli, project, image_slide("cut.png"))
    assert (code, stderr) == (
        1,
        f"{content}:5:10: image 'cut.png' is damaged: image file is "
        "truncated (0 bytes not processed) (export it again as PNG, "
        "JPEG or GIF)\n",
    )


def test_an_image_over_the_byte_limit_is_refused_before_opening(run_cli, project):
    with (project / "big.png").open("wb") as handle:
        handle.write(png())
        handle.truncate(MAX_IMAGE_BYTES + 1)
    code, stderr, content = check(run_cli, project, image_slide("big.png"))
    assert (code, stderr) == (
        1,
        f"{content}:5:10: image 'big.png' is {MAX_IMAGE_BYTES + 1:,} "
        f"bytes; the limit is {MAX_IMAGE_BYTES:,} (scale it down or "
        "compress it)\n",
    )


def test_an_image_in_a_format_powerpoint_does_not_show(run_cli, project):
    Image.new("RGB", (4, 4)).save(project / "d.webp", "WEBP")
    code, stderr, content = check(run_cli, project, image_slide("d.webp"))
    assert (code, stderr) == (
        1,
        f"{content}:5:10: image 'd.webp' is WEBP, which PowerPoint "
        "does not show (use PNG, JPEG or GIF)\n",
    )


def test_a_real_image_with_the_wrong_extension_still_builds(run_cli, project):
    Image.new("RGB", (8, 6), "red").save(project / "photo.png", "JPEG")
    out = project / "out.pptx"
    content = write(project / "talk.yaml", image_slide("photo.png"))
    code, _, stderr = run_cli("build", content, "-o", out)
    assert (code, stderr) == (0, "")


def test_image_alt_text_is_required(run_cli, project):
    (project / "d.png").write_bytes(png())
    code, stderr, content = check(
        run_cli, project, HEAD + "  - kind: image\n    src: d.png\n    alt: '  '\n"
    )
    assert (code, stderr) == (
        1,
        f"{content}:6:10: Missing alternative text: image needs alt text ('alt:') for screen "
        "readers (describe what the picture shows, or mark it 'decorative: true')\n",
    )


# Code languages and links --------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("pyhton", "did you mean 'python'?"),
        ("javascirpt", "did you mean 'javascript'?"),
        ("zzzzzz", "use a Pygments lexer name"),
    ],
)
def test_unknown_code_languages_suggest_a_lexer(run_cli, project, language, hint):
    text = HEAD + f"  - kind: code\n    title: C\n    language: {language}\n    source: x\n"
    code, stderr, content = check(run_cli, project, text)
    assert (code, stderr) == (1, f"{content}:6:15: unknown code language '{language}' ({hint})\n")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "slides.html",
        "//example.com",
    ],
)
def test_links_with_other_schemes_are_refused(run_cli, project, url):
    text = HEAD + f'  - kind: statement\n    text: "see [this]({url}) now"\n'
    code, stderr, content = check(run_cli, project, text)
    shown = url.split(")")[0] if "(" not in url else url.split(")")[0]
    assert (code, stderr) == (
        1,
        f"{content}:5:11: link '{shown}' is not allowed (links must be http, https or mailto)\n",
    )


def test_allowed_links_reach_the_deck_escaped(run_cli, project):
    text = HEAD + (
        '  - kind: statement\n    text: "[a](https://example.com/?q=1&r=<2>\'\\"x) '
        '[m](MAILTO:someone@example.com)"\n'
    )
    content = write(project / "talk.yaml", text)
    out = project / "out.pptx"
    code, _, stderr = run_cli("build", content, "-o", out)
    assert (code, stderr) == (0, "")
    from pptx import Presentation

    deck = Presentation(str(out))
    targets = sorted(rel.target_ref for rel in deck.slides[0].part.rels.values() if rel.is_external)
    assert targets == ["MAILTO:someone@example.com", "https://example.com/?q=1&r=<2>'\"x"]
