"""`deckwright theme preview`: the specimen deck built with a theme, and its contact sheet.

The specimen (generator/specimen/specimen.yaml) has every slide kind with short and long
content, code, a table and a picture, so one picture shows how a theme, or the company
template behind it, handles them all.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem

SPECIMEN = "specimen.yaml"
SPECIMEN_FILES = (SPECIMEN, "diagram.png")


@dataclass
class PreviewResult:
    """What `theme preview` wrote: the deck, its contact sheet (None without pictures)."""

    deck: Path
    contact_sheet: Path | None
    slides: int
    seconds: float
    kinds: list[str]
    problems: list[Problem] = field(default_factory=list)  # the theme's, not the specimen's


def specimen_kinds() -> list[str]:
    """Return the slide kinds of the specimen deck, in order, each once."""
    text = _specimen_folder().joinpath(SPECIMEN).read_text(encoding="utf-8")
    return list(dict.fromkeys(re.findall(r"^  - kind: (\w+)$", text, re.MULTILINE)))


def _specimen_folder():
    from importlib.resources import files

    return files("generator.specimen")


def preview_theme(
    theme: str, out_dir: Path = Path("output"), *, pictures: bool = True
) -> PreviewResult:
    """Build the specimen with theme to out_dir/preview-NAME.pptx, and with pictures its
    slides (out_dir/preview-NAME/) and contact sheet (out_dir/preview-NAME-contact.png).

    NAME is the theme's name (a theme path's folder name). Raises DeckwrightError for a
    theme that cannot be found or loaded, and for outputs that cannot be written. Problems
    the specimen itself meets (text shrunk to fit, continuation slides) are left out: the
    sheet shows them; the theme's own (contrast, fonts, layouts) are kept.
    """
    from generator import api
    from generator.writers.images import contact_sheet_path

    path = Path(theme)
    name = path.parent.name if path.suffix in (".yaml", ".yml") else path.name
    deck = out_dir / f"preview-{name}.pptx"
    with tempfile.TemporaryDirectory(prefix="deckwright-specimen-") as work:
        project = Path(work)
        source = _specimen_folder()
        for file in SPECIMEN_FILES:
            with source.joinpath(file).open("rb") as src, open(project / file, "wb") as dst:
                shutil.copyfileobj(src, dst)
        (project / "deckwright.yaml").write_text("# the specimen's project\n")
        formats = ("pptx", "png") if pictures else ("pptx",)
        result = api.build(project / SPECIMEN, theme=theme, output=deck, formats=formats)
        ours = [p for p in result.problems.warnings if not _inside(p.location.path, project)]
    sheet = contact_sheet_path(deck.with_suffix(".png")) if pictures else None
    return PreviewResult(deck, sheet, result.slides, result.seconds, specimen_kinds(), ours)


def _inside(path: str, folder: Path) -> bool:
    """Return True when a problem's path is a file in folder (the specimen's copy)."""
    try:
        return Path(path).resolve().parent == folder.resolve()
    except (OSError, RuntimeError):
        return False
