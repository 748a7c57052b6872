"""PDF and PNG output: one page and one picture per slide, a contact sheet, missing tools."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import needs_soffice, needs_tools, pdf_pages, write
from PIL import Image
from pptx import Presentation

from generator.cli import main
from generator.writers import images

TALK = """\
title: Pictures
vars: {company: Acme}
slides:
  - kind: title
  - kind: bullets
    title: First
    bullets: [one, two]
  - kind: statement
    text: A statement.
  - kind: closing
    title: Thanks
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """One LibreOffice render for the module: talk.pptx, talk.pdf and its pictures."""
    folder = tmp_path_factory.mktemp("render")
    (folder / "deckwright.yaml").write_text("")
    talk = write(folder / "talk.yaml", TALK)
    result = CliRunner().invoke(
        main,
        ["build", str(talk), "-o", str(folder / "out"), "-f", "png", "-f", "pdf", "-f", "pptx"],
    )
    assert result.exit_code == 0, result.stderr
    return folder / "out"


@needs_soffice
def test_pdf_has_one_page_per_slide(rendered: Path):
    slides = len(Presentation(str(rendered / "talk.pptx")).slides)
    assert slides == 4
    assert pdf_pages(rendered / "talk.pdf") == slides


@needs_soffice
def test_png_writes_one_picture_per_slide_and_a_contact_sheet(rendered: Path):
    pictures = sorted((rendered / "talk").iterdir())
    assert [p.name for p in pictures] == [f"slide-0{n}.png" for n in range(1, 5)]
    for picture in pictures:
        with Image.open(picture) as image:
            assert image.size == (1280, 720)  # 16:9, 1280 px wide
    with Image.open(rendered / "talk-contact.png") as sheet:
        # four slides: two columns of two, each picture 320 x 180 with its number badge
        # under it (20 px here), and 16 px gaps
        assert sheet.size == (16 + 2 * (320 + 16), 16 + 2 * (180 + 20 + 16))


def tools_only(tmp_path: Path, *names: str) -> str:
    """Return a PATH holding only the named programs (those that are installed)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in names:
        found = shutil.which(name)
        if found:
            (folder / name).symlink_to(found)
    return str(folder)


#: poppler-utils' programs: tests read PDFs back with them; the product runs none.
POPPLER = ("pdftoppm", "pdftocairo", "pdftotext", "pdfinfo", "pdfimages")


def path_without(tmp_path: Path, *names: str) -> str:
    """Return a PATH holding every program on PATH but the named ones."""
    folder = tmp_path / "bin-without"
    folder.mkdir()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not Path(directory).is_dir():
            continue
        for program in Path(directory).iterdir():
            target = folder / program.name
            if program.name not in names and not target.exists() and not target.is_symlink():
                target.symlink_to(program)
    return str(folder)


@pytest.mark.parametrize("fmt", ["pdf", "png"])
def test_pdf_and_png_without_libreoffice_say_how_to_install_it(
    run_cli, project: Path, monkeypatch, fmt: str
):
    talk = write(project / "talk.yaml", TALK)
    other = write(project / "other.yaml", TALK)
    monkeypatch.setenv("PATH", tools_only(project, "pdftoppm"))
    code, stdout, stderr = run_cli(
        "build", talk, other, "-f", fmt, "-f", "pptx", "-o", project / "out", cwd=project
    )
    assert code == 1
    assert stdout == ""
    assert stderr.count("\n") == 1
    assert stderr.startswith("error: PDF and PNG output need LibreOffice (soffice)")
    assert "apt-get install libreoffice" in stderr
    assert not (project / "out").exists(), "nothing is built when a tool is missing"


@needs_tools("soffice")
def test_png_needs_no_poppler(run_cli, project: Path, monkeypatch):
    """Pages are rendered in process (PDFium): LibreOffice is the only program -f png runs."""
    talk = write(project / "talk.yaml", TALK)
    monkeypatch.setenv("PATH", path_without(project, *POPPLER))
    code, _, stderr = run_cli("build", talk, "-f", "png", "-o", project / "out", cwd=project)
    assert code == 0, stderr
    pictures = sorted((project / "out" / "talk").glob("slide-*.png"))
    assert pictures
    with Image.open(pictures[0]) as first:
        assert first.size == (images.WIDTH, images.WIDTH * 9 // 16)
        assert first.convert("L").getextrema()[0] < 128, "the slide's text is drawn"
    assert (project / "out" / "talk-contact.png").exists()


def fake_pages(folder: Path, count: int, size=(640, 480)) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for number in range(1, count + 1):
        page = folder / f"page-{number}.png"
        Image.new("RGB", size, (255, 255, 255)).save(page)
        pages.append(page)
    return pages


def test_contact_sheet_is_a_numbered_grid_of_every_slide(tmp_path: Path):
    sheet = tmp_path / "sheet.png"
    images.contact_sheet(fake_pages(tmp_path / "pages", 7), sheet)
    with Image.open(sheet) as image:
        # 7 slides of 4:3: three columns, three rows of 320 x 240 pictures, each with its
        # number on a dark badge under it: the picture itself is left whole
        columns, rows = 3, 3
        cell_height = (image.height - 16) // rows - 16
        assert image.width == 16 + columns * 336 and cell_height > 240
        assert image.getpixel((16 + 2, 16 + 2)) == (255, 255, 255)
        assert image.getpixel((16 + 300, 16 + 200)) == (255, 255, 255)
        badge = (16 + 2, 16 + 240 + images.LABEL_GAP + 2)
        assert image.getpixel(badge) == images.BADGE_BACKGROUND
        assert image.getpixel((16 + 300, badge[1])) == images.SHEET_BACKGROUND
        assert image.getpixel((8, 8)) == images.SHEET_BACKGROUND


def test_slide_pictures_replace_the_old_ones_and_stale_ones_go(tmp_path: Path):
    folder = tmp_path / "talk"
    fake_pages(folder, 0)
    for number in range(1, 6):
        (folder / f"slide-0{number}.png").write_bytes(b"old")
    (folder / "notes.txt").write_text("the user's own file stays")
    images._replace_pictures(fake_pages(tmp_path / "work", 3), folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "notes.txt",
        "slide-01.png",
        "slide-02.png",
        "slide-03.png",
    ]
    assert (folder / "slide-01.png").read_bytes() != b"old"
    assert oct(os.stat(folder / "slide-01.png").st_mode & 0o777) == "0o644"


def test_slide_names_sort_in_slide_order():
    assert images.slide_name(3, 9) == "slide-03.png"
    assert images.slide_name(7, 120) == "slide-007.png"
    assert images.contact_sheet_path(Path("out/talk-dark.png")) == Path("out/talk-dark-contact.png")
    assert images.slide_folder(Path("out/talk-dark.png")) == Path("out/talk-dark")


@pytest.mark.parametrize("size", [(1, 1), (37, 11), (320, 180)])
def test_slide_pictures_are_lossless_pngs_any_reader_decodes(tmp_path: Path, size):
    """write_png (unfiltered rows, zlib) round-trips every pixel through Pillow's decoder."""
    import random

    generator = random.Random(size[0])
    image = Image.new("RGB", size)
    image.putdata(
        [tuple(generator.randrange(256) for _ in range(3)) for _ in range(size[0] * size[1])]
    )
    path = tmp_path / "slide.png"
    images.write_png(image, path)
    with Image.open(path) as back:
        back.load()
        assert back.format == "PNG" and back.mode == "RGB" and back.size == size
        assert back.tobytes() == image.tobytes()
