"""The library API: build() and check() run the pipeline stages in order.

content YAML -> located tree -> rendered strings -> Deck (+ Theme) -> DeckPlan
-> writers. Each stage reports every problem it finds; the pipeline stops
between stages when there are errors, so nothing is written from a bad deck.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from generator.errors import DeckwrightError, Location, Problem, Problems, display_path

if TYPE_CHECKING:
    from generator.layout.plan import DeckPlan
    from generator.model.deck import Deck
    from generator.theme.schema import Theme
    from generator.writers.save import Staged

DEFAULT_THEME = "default"
FORMATS = ("pptx", "pdf", "md", "png", "html")
# Write order: a PDF converts the .pptx just written, PNGs rasterise the PDF just written.
_WRITE_ORDER = {"pptx": 0, "pdf": 1, "png": 2}


@dataclass
class Prepared:
    """A deck and its theme, validated and planned, ready for the writers."""

    deck: Deck
    theme: Theme
    plan: DeckPlan
    problems: Problems


@dataclass
class BuildResult:
    """What one build wrote: its outputs, slide count, time and warnings."""

    content: Path
    theme: str
    outputs: list[Path]
    slides: int
    seconds: float
    problems: Problems = field(default_factory=Problems)
    inputs: list[Path] = field(default_factory=list)  # every file it was built from


def _stop_on_errors(problems: Problems, strict: bool = False) -> None:
    """Raise when there are errors; with strict, warnings count as errors (notes never)."""
    failing = [p for p in problems if p.is_error or (strict and p.severity == "warning")]
    if failing:
        raise DeckwrightError(
            failing
            if not strict
            else [_as_error(p) if p.severity == "warning" else p for p in problems]
        )


def _as_error(problem: Problem) -> Problem:
    return Problem(problem.location, problem.message, problem.hint, "error")


def prepare(
    content: Path,
    theme_name: Optional[str] = None,
    variables: Mapping[str, str] | None = None,
    *,
    fitting: bool = True,
    strict: bool = False,
) -> Prepared:
    """Load, validate and plan one deck; raise DeckwrightError with every problem found."""
    from generator.layout.planner import plan_deck
    from generator.model.deck import load_deck
    from generator.source.content import project_root
    from generator.source.render import render_string
    from generator.theme.load import load_theme
    from generator.theme.schema import Verbatim

    problems = Problems()
    deck = load_deck(content, variables or {}, problems, display_path(content))
    _stop_on_errors(problems)
    assert deck is not None
    name = theme_name or deck.theme or DEFAULT_THEME
    where = deck.loc if not theme_name and deck.theme else Location("--theme")
    if not theme_name and deck.theme:
        _confine_theme_path(deck.theme, where, project_root(content), problems)
        _stop_on_errors(problems)
    theme = load_theme(name, where, problems, project_root(content))
    _stop_on_errors(problems)
    assert theme is not None
    footer = ""
    if isinstance(theme.footer, Verbatim):  # a template's own text: data, not Jinja
        footer = str(theme.footer)
    elif theme.footer:
        footer_vars = {
            "title": deck.title.plain,
            "author": deck.author.plain if deck.author else "",
            "date": deck.date.isoformat() if deck.date else "",
            **deck.vars,
        }
        footer = render_string(theme.footer, footer_vars, theme.locations["footer"], problems)
    plan = plan_deck(deck, theme, problems, fitting=fitting, footer=footer)
    _stop_on_errors(problems, strict)
    return Prepared(deck, theme, plan, problems)


def output_path(content: Path, out_dir: Path, theme_name: Optional[str], fmt: str) -> Path:
    """Return output/<stem>.<fmt>, or output/<stem>-<theme>.<fmt> when a theme was asked.

    The Markdown article is always <stem>.md: it is written from the content alone,
    and no theme shapes it.
    """
    stem = content.stem
    if theme_name and fmt != "md":
        stem += "-" + Path(theme_name).name.removesuffix(".yaml")
    return out_dir / f"{stem}.{fmt}"


def build(
    content: Path,
    *,
    theme: Optional[str] = None,
    variables: Mapping[str, str] | None = None,
    output: Optional[Path] = None,
    out_dir: Path = Path("output"),
    formats: Sequence[str] = ("pptx",),
    strict: bool = False,
    fitting: bool = True,
    with_notes: bool = False,
) -> BuildResult:
    """Build one content file in every format asked; raise DeckwrightError on problems.

    The deck records the SHA-256 of every input (see generator.sync); with_notes puts
    the speaker notes into the Markdown article.
    """
    from generator.writers import export
    from generator.writers.save import Staged

    started = time.perf_counter()
    if "pdf" in formats or "png" in formats:
        from generator.writers.pdf import warm_up

        warm_up()  # LibreOffice starts while the deck is planned and written
    prepared = prepare(content, theme, variables, fitting=fitting, strict=strict)
    plan, chosen = prepared.plan, prepared.theme
    inputs = _record_fingerprint(prepared, content, variables)
    outputs: list[Path] = []
    written: dict[str, Path] = {}
    # Every format is written beside its target under a temporary name, and renamed in
    # only when all of them were written: a failed format leaves every old output whole.
    with Staged() as stage:
        for fmt in sorted(dict.fromkeys(formats), key=lambda f: _WRITE_ORDER.get(f, 3)):
            path = output or out_dir
            try:
                path = _format_path(content, output, out_dir, theme, fmt, len(formats))
                if fmt != "png" and path.is_dir():
                    raise DeckwrightError(
                        [
                            _problem(
                                path,
                                "output path is a folder",
                                "give a file name ending in ." + fmt,
                            )
                        ]
                    )
                paths = None
                if fmt == "pptx":
                    stage.write(path, export.pptx_bytes(prepared))
                else:
                    record = _md_record(prepared, content, variables) if fmt == "md" else ""
                    paths = export.write(
                        fmt,
                        prepared,
                        path,
                        written=dict(written),
                        with_notes=with_notes,
                        stage=stage,
                        record=record,
                    )
                    _write_sidecars(fmt, prepared, paths or [path], stage)
            except OSError as exc:
                raise DeckwrightError([_write_problem(path, exc)]) from None
            staged = stage.staged(path)
            if staged is not None:
                written[fmt] = staged
            outputs.extend(paths or [path])
        try:
            stage.commit()
        except OSError as exc:
            raise DeckwrightError([_write_problem(stage.failed or path, exc)]) from None
    return BuildResult(
        content,
        chosen.name,
        outputs,
        len(plan.slides),
        time.perf_counter() - started,
        prepared.problems,
        inputs,
    )


class FolderPath(type(Path())):  # type: ignore[misc]  # PosixPath or WindowsPath
    """An output path the user wrote as a folder (`-o v1.2/`): never a file name, whatever
    its suffix. pathlib drops the trailing slash; this type keeps what it meant."""


def _format_path(
    content: Path, output: Optional[Path], out_dir: Path, theme: Optional[str], fmt: str, count: int
) -> Path:
    """Return where format fmt goes: -o as given for one format; with several formats a
    file-like -o (talk.pptx) keeps its stem per format, and a folder-like -o is a folder.

    A -o without a suffix that is a folder, or does not exist yet (`-o newdir/`), is a
    folder, made by the writer when it is new: click hands the path over without its
    trailing slash.
    """
    if output is None:
        return output_path(content, out_dir, theme, fmt)
    if isinstance(output, FolderPath):
        return output_path(content, output, theme, fmt)
    if count == 1 and (output.suffix or (os.path.lexists(output) and not output.is_dir())):
        return output  # a file name, or a file (or device) that is there already
    if count > 1 and output.suffix and not output.is_dir():
        return output.with_suffix(f".{fmt}")
    # A folder: one that exists, or a new name without a suffix. `-o newdir/` arrives
    # here without its slash, and used to become a file named newdir.
    return output_path(content, output, theme, fmt)


def _record_fingerprint(
    prepared: Prepared, content: Path, variables: Mapping[str, str] | None
) -> list[Path]:
    """Store the inputs' hashes in the plan's document properties; return the inputs."""
    from generator import sync
    from generator.source.content import project_root

    try:
        properties = sync.fingerprint_properties(
            prepared.deck, prepared.theme, project_root(content), variables, prepared.plan
        )
    except OSError as exc:
        name = getattr(exc, "filename", None) or content
        raise DeckwrightError(
            [
                _problem(
                    Path(name),
                    f"input changed during the build: {exc.strerror or exc}",
                    "build again",
                )
            ]
        ) from None
    prepared.plan.properties.update(properties)
    return sync.input_files(prepared.deck, prepared.theme)


def _md_record(prepared: Prepared, content: Path, variables: Mapping[str, str] | None) -> str:
    """Return the comment that records an article's fingerprint: its content and excerpts."""
    from generator import sync
    from generator.source.content import project_root

    properties = sync.fingerprint_properties(
        prepared.deck, None, project_root(content), variables, prepared.plan
    )
    return sync.markdown_record(properties)


def _write_sidecars(fmt: str, prepared: Prepared, paths: list[Path], stage: Staged) -> None:
    """Write the deck's fingerprint beside a PNG contact sheet (a PDF holds its own)."""
    from generator import sync

    if fmt != "png":
        return
    for target in (p for p in paths if p.name.endswith("-contact.png")):
        sidecar = target.with_name(target.name + sync.SIDECAR_SUFFIX)
        stage.write(sidecar, sync.sidecar_record(prepared.plan.properties))


def check(
    content: Path,
    *,
    theme: Optional[str] = None,
    variables: Mapping[str, str] | None = None,
    strict: bool = False,
) -> Problems:
    """Validate content, theme, includes and fit without writing; return the warnings."""
    prepared = prepare(content, theme, variables, strict=strict)
    return prepared.problems


def _confine_theme_path(name: str, where: Location, root: Path, problems: Problems) -> None:
    """Refuse a theme path named by the content that leads out of its project.

    Content is untrusted: `theme: /home/me/secrets.yaml` would read that file as a
    theme and echo its keys and values in error messages. --theme, typed by the
    user, may name any path.
    """
    if not (
        any(sep in name for sep in "/\\")
        or name.startswith(".")
        or name.endswith((".yaml", ".yml"))
    ):
        return  # a theme name, looked up in the theme folders
    resolved, root = Path(name).resolve(), root.resolve()
    if resolved != root and root not in resolved.parents:
        problems.error(
            where,
            f"theme '{name}' is outside the project folder {root}",
            "name a theme, or pass a theme path with --theme",
        )


def _write_problem(path: Path, exc: OSError) -> Problem:
    """Say why path cannot be written: a file where a folder should be, or the OS's reason."""
    for parent in path.parents:
        try:
            if parent.is_file():
                return _problem(
                    path,
                    f"cannot write: '{parent}' is a file, not a folder",
                    "choose another output folder",
                )
        except OSError:  # e.g. a name too long for the file system
            break
    import errno

    hints: dict[Optional[int], str] = {  # errno is None for errors not from the OS
        errno.EACCES: "check the output folder's permissions",
        errno.EPERM: "check the output folder's permissions",
        errno.EROFS: "the output folder is read-only; choose another",
        errno.ENOSPC: "free some disk space",
    }
    return _problem(path, f"cannot write: {exc.strerror or exc}", hints.get(exc.errno, ""))


def _problem(path: Path, message: str, hint: str = "") -> Problem:
    return Problem(Location(str(path)), message, hint)
