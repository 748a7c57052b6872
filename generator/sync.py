"""Fingerprints: what a deck shows and was built from, recorded in the deck, checked later.

A deck records, as custom document properties,

    deckwright:version              the deckwright that built it
    deckwright:content              the content file (a key of the inputs below)
    deckwright:input:<path>         SHA-256 of each other input file: the content file
                                    and the theme's files
    deckwright:excerpt:<i>.<k>      the k-th excerpt of content slide i (0-based): code
                                    read from a file, a picture, a chart's data (any
                                    block with an `excerpt()`, see model.blocks.Excerpt),
                                    as JSON: the deck's slide number and title, what it
                                    shows as the content names it (`snippets/ml_eval.py
                                    region 'metrics'`) and the SHA-256 of that and of
                                    what is shown (the code and its commit, or the bytes);
                                    for `ref:`, the commit
    deckwright:vars                 the --var overrides as JSON, when there are any
    deckwright:revision:<path>@<ref>  the commit a code include read at `ref:` came from
    deckwright:fingerprint          SHA-256 over all of the above

A file a slide shows part of is fingerprinted by that part, not by its bytes: an
edit outside every shown excerpt leaves the deck fresh (and a rebuild
byte-identical). `deck_status()` re-reads every excerpt from the current content
(the content names the files, not the deck; with the recorded --var values) and
names the slides whose excerpt changed.

Other outputs carry the same record: a Markdown article ends with it as an HTML
comment (`<!-- deckwright-fingerprint {...} -->`; the content file and the code
excerpts only, as no theme or picture shapes its text), a PDF in its document
information (`/DeckwrightFingerprint`, see writers.pdf_info), and a PNG contact sheet
in a sidecar file, `talk-contact.png.deckwright.json`.

Input paths are POSIX paths relative to the content file's project folder
(`content/snippets/ml_eval.py`), or `<deckwright>/...` for a theme shipped with
deckwright, so the same inputs give the same bytes wherever the project lives and
wherever the deck is written. `stale_decks()` recomputes the hashes and names
what changed.

Labels escape what XML cannot hold, or would not give back as written, as
%XX (the bytes of the file name): control characters, a name's bytes that are not
UTF-8, and `%` itself, so a content file named with a tab or an escape still
gives a deck PowerPoint and LibreOffice open.

A deck's properties are untrusted, like any input: `check --outputs` reads only
recorded inputs that resolve to regular files inside the project folder (or the
bundled themes), under MAX_INPUT_BYTES. Anything else is reported as foreign and
never opened: a forged deck cannot make it read /dev/zero, hash files elsewhere or
tell which exist.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote_to_bytes

from generator import __version__
from generator.errors import one_line

PREFIX = "deckwright:"
INPUT_PREFIX = PREFIX + "input:"
REVISION_PREFIX = PREFIX + "revision:"
VERSION_KEY = PREFIX + "version"
CONTENT_KEY = PREFIX + "content"
FINGERPRINT_KEY = PREFIX + "fingerprint"
EXCERPT_PREFIX = PREFIX + "excerpt:"
VARS_KEY = PREFIX + "vars"
SIDECAR_SUFFIX = ".deckwright.json"
MD_COMMENT = "deckwright-fingerprint"
MAX_RECORD_BYTES = 4 * 1024 * 1024  # a fingerprint is kilobytes; more is not one of ours
BUNDLED_LABEL = "<deckwright>"
_CHUNK = 1024 * 1024
MAX_INPUT_BYTES = 512 * 1024 * 1024  # the largest input deckwright reads: a template
MAX_RECORDED_INPUTS = 10_000  # a real deck has a few dozen
MAX_REASONS = 20  # per deck; the rest are counted
_SHOWN_CHARS = 200  # of a label or version taken from a deck, in a printed line
# What a label escapes as %XX: `%`, C0 and C1 controls, line and paragraph separators,
# surrogates (the bytes of a file name that are not UTF-8) and the non-characters.
_ESCAPED = re.compile("[%\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def file_hash(path: Path) -> str:
    """Return the SHA-256 of a file's bytes as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def input_files(deck: Any, theme: Any) -> list[Path]:
    """Return every file a deck was built from: content, includes, images, theme files.

    Theme files are every theme.yaml of the `extends` chain (parent first), the
    template and the logo. Each path appears once, in the order it was read.
    """
    return list(dict.fromkeys([*(Path(p).resolve() for p in deck.files), *theme_files(theme)]))


def theme_files(theme: Any) -> list[Path]:
    """Return a theme's files: each theme.yaml of its chain, its template and logo."""
    files = [*theme.chain, *(p for p in (theme.template_path, theme.logo_path) if p is not None)]
    return [Path(p).resolve() for p in files]


def _bundled_dir() -> Path | None:
    try:
        from generator.theme.load import bundled_themes_dir

        return bundled_themes_dir().resolve()
    except (ImportError, OSError):
        return None


def label(path: Path, root: Path) -> str:
    """Return how a deck records path: relative to the project root, or to the bundled themes."""
    return escape_label(_plain_label(path, root))


def _plain_label(path: Path, root: Path) -> str:
    path = path.resolve()
    if root == path or root in path.parents:
        return path.relative_to(root).as_posix()
    bundled = _bundled_dir()
    if bundled is not None and bundled in path.parents:
        return f"{BUNDLED_LABEL}/{path.relative_to(bundled).as_posix()}"
    try:
        return PurePosixPath(Path(os.path.relpath(path, root))).as_posix()
    except ValueError:  # another drive on Windows: nothing relative exists
        return path.as_posix()


def escape_label(name: str) -> str:
    """Return name with `%` and what XML cannot hold written as %XX (see the module doc)."""

    def bytes_of(match: re.Match[str]) -> str:
        char = match.group()
        try:
            data = os.fsencode(char)  # a surrogate from a name that is not UTF-8: its byte
        except UnicodeEncodeError:
            data = char.encode("utf-8", "surrogatepass")
        return "".join(f"%{byte:02X}" for byte in data)

    return _ESCAPED.sub(bytes_of, name)


def unescape_label(name: str) -> str:
    """Return the file name a recorded label stands for (the inverse of escape_label)."""
    if "%" not in name:
        return name
    return os.fsdecode(unquote_to_bytes(name))


def resolve_label(name: str, root: Path) -> Path:
    """Return the file a recorded label names, for a project at root (not confined)."""
    name = unescape_label(name)
    if name.startswith(BUNDLED_LABEL + "/"):
        bundled = _bundled_dir()
        if bundled is not None:
            return bundled / name[len(BUNDLED_LABEL) + 1 :]
    return root / name


def confined_input(name: str, root: Path) -> Path | None:
    """Return the file a recorded label names when it lies inside root (or, for a
    `<deckwright>/` label, inside the bundled themes); None when it leads anywhere else.

    The label comes from a deck, which anyone may have made: `../../etc/passwd`,
    `/dev/zero` and a symbolic link out of the project are all None.
    """
    folder = _bundled_dir() if unescape_label(name).startswith(BUNDLED_LABEL + "/") else root
    if folder is None:
        return None
    try:
        resolved = resolve_label(name, root).resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL, a name too long
        return None
    if resolved == folder or folder not in resolved.parents:
        return None
    return resolved


def fingerprint_properties(
    deck: Any,
    theme: Any,
    root: Path,
    variables: Mapping[str, Any] | None = None,
    plan: Any = None,
) -> dict[str, str]:
    """Return the custom document properties that record a deck's inputs and excerpts.

    plan (a DeckPlan) gives each excerpt's slide number and title. Without a theme
    (the Markdown article) only the content file and the code excerpts are recorded.
    Raise OSError when an input cannot be read (it was read moments ago, so this
    only happens when it is removed during the build).
    """
    root = root.resolve()
    hashes = {label(path, root): file_hash(path) for path in hashed_files(deck, theme)}
    properties = {VERSION_KEY: __version__, CONTENT_KEY: label(deck.path, root)}
    properties.update({INPUT_PREFIX + name: digest for name, digest in hashes.items()})
    shown = {
        # ASCII: what the content names may hold any character; JSON escapes them all.
        EXCERPT_PREFIX + key: json.dumps(value, sort_keys=True, separators=(",", ":"))
        for key, value in _shown_excerpts(deck, plan, article=theme is None).items()
    }
    properties.update(shown)
    overrides = sorted((str(k), str(v)) for k, v in (variables or {}).items())
    if overrides:
        properties[VARS_KEY] = json.dumps(dict(overrides), ensure_ascii=False, sort_keys=True)
    revisions = {f"{label(path, root)}@{ref}": commit for path, ref, commit in _revisions(deck)}
    properties.update({REVISION_PREFIX + name: commit for name, commit in revisions.items()})
    recorded: dict[str, Any] = {
        "version": __version__,
        "inputs": sorted(hashes.items()),
        "vars": overrides,
    }
    if shown:
        recorded["excerpts"] = sorted(shown.items())
    if revisions:  # only then: fingerprints of decks without `ref:` stay as they were
        recorded["revisions"] = sorted(revisions.items())
    combined = json.dumps(recorded, ensure_ascii=False, separators=(",", ":"))
    properties[FINGERPRINT_KEY] = hashlib.sha256(combined.encode("utf-8")).hexdigest()
    return properties


def hashed_files(deck: Any, theme: Any) -> list[Path]:
    """Return the input files fingerprinted whole: all but the files slides show, which
    are fingerprinted by what the slides show of them (see excerpts()).

    Without a theme (the Markdown article) it is the content file alone.
    """
    content = Path(deck.path).resolve()
    if theme is None:
        return [content]
    shown = {Path(excerpt.file).resolve() for _, _, excerpt in excerpts(deck)}
    whole = {content, *theme_files(theme)}
    return [path for path in input_files(deck, theme) if path not in shown or path in whole]


def excerpts(deck: Any, article: bool = False) -> list[tuple[int, int, Any]]:
    """Return (content slide index, index on the slide, Excerpt) of what slides show of
    files; for the article, only those its text holds (not pictures, which it links)."""
    from generator.model.blocks import shown_excerpts

    found = []
    for index, slide in enumerate(getattr(deck, "slides", [])):
        shown = [e for e in shown_excerpts(slide) if not article or e.in_article]
        found += [(index, number, excerpt) for number, excerpt in enumerate(shown)]
    return found


def excerpt_hash(excerpt: Any) -> str:
    """Return the SHA-256 of what an excerpt shows and how the content names it.

    The one fingerprint of everything a slide shows of a file: the shown part when
    there is one (code and its commit), else the file's bytes (a picture, data).
    """
    shown = excerpt.shown if excerpt.shown is not None else file_hash(excerpt.file)
    named = json.dumps([excerpt.shows, shown], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(named.encode("utf-8")).hexdigest()


def _shown_excerpts(deck: Any, plan: Any, article: bool) -> dict[str, dict[str, Any]]:
    numbers = list(getattr(plan, "first_numbers", None) or [])
    slides = list(getattr(plan, "slides", None) or [])
    shown = {}
    content_slides = list(getattr(deck, "slides", []))
    for index, number, excerpt in excerpts(deck, article):
        slide = numbers[index] if index < len(numbers) else index + 1
        # The title as the content wrote it: the plan's says "(1/3)" on continued slides.
        title = getattr(getattr(content_slides[index], "title", None), "plain", None)
        if not isinstance(title, str):
            title = slides[slide - 1].title if slide - 1 < len(slides) else ""
        shown[f"{index}.{number}"] = {
            "slide": slide,
            "title": title,
            "shows": excerpt.shows,
            "sha256": excerpt_hash(excerpt),
        }
        if excerpt.commit is not None:
            shown[f"{index}.{number}"]["commit"] = excerpt.commit
    return shown


def _revisions(deck: Any) -> list[tuple[Path, str, str]]:
    from generator.model.blocks import revisions

    return revisions(getattr(deck, "slides", []))


@dataclass
class DeckStatus:
    """What check --outputs found for one deck: stale reasons, or why it cannot tell."""

    path: Path
    reasons: list[str]
    fingerprinted: bool = True
    content: Path | None = None  # the content file it was built from, where it is now

    @property
    def stale(self) -> bool:
        return bool(self.reasons)


def markdown_record(properties: Mapping[str, str]) -> str:
    """Return the HTML comment that ends an article and records its fingerprint.

    "--" cannot appear in a comment, and only appears inside JSON strings, where
    "-\\u002d" reads back the same.
    """
    data = json.dumps(dict(sorted(properties.items())), ensure_ascii=False, separators=(",", ":"))
    return f"<!-- {MD_COMMENT} {data.replace('--', '-' + chr(92) + 'u002d')} -->\n"


def sidecar_record(properties: Mapping[str, str]) -> bytes:
    """Return the sidecar file's bytes for a PNG contact sheet."""
    text = json.dumps(dict(sorted(properties.items())), ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")


def read_record(path: Path) -> dict[str, str]:
    """Return the fingerprint an output carries (empty when it has none).

    A .pptx holds it in its custom properties, a .md in its last comment, a .pdf in
    its document information, anything else (a PNG) in the sidecar
    `<name>.deckwright.json`. Only regular files are read, and only the last
    MAX_RECORD_BYTES of them: outputs are untrusted like any deck.
    """
    suffix = path.suffix.lower()
    if suffix == ".pptx":
        from generator.writers.pptx_writer import read_custom_properties

        return read_custom_properties(path)
    if suffix == ".md":
        text = _read_tail(path).decode("utf-8", "replace")
        start = text.rfind(f"<!-- {MD_COMMENT} ")
        end = text.find(" -->", start)
        data = text[start + len(MD_COMMENT) + 6 : end] if start >= 0 and end > 0 else "{}"
    elif suffix == ".pdf":
        from generator.writers.export import PDF_INFO_KEY
        from generator.writers.pdf_info import read_info_entry

        data = read_info_entry(_read_tail(path), PDF_INFO_KEY) or "{}"
    else:
        data = _read_tail(path.with_name(path.name + SIDECAR_SUFFIX)).decode("utf-8", "replace")
    try:
        values = json.loads(data)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}


def _read_tail(path: Path) -> bytes:
    """Return the last MAX_RECORD_BYTES of a regular file; raise OSError for anything else."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path.name} is not a regular file")
        os.lseek(fd, max(0, info.st_size - MAX_RECORD_BYTES), os.SEEK_SET)
        chunks, size = [], 0
        while size < MAX_RECORD_BYTES and (chunk := os.read(fd, MAX_RECORD_BYTES - size)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class _NotRead(Exception):
    """A recorded input that check --outputs will not read, and why."""


def _regular_file_hash(path: Path, cache: dict[tuple[int, ...], str]) -> str:
    """Return the SHA-256 of a regular file of at most MAX_INPUT_BYTES.

    Raise _NotRead for anything else (nothing else is opened: a FIFO would block,
    /dev/zero never ends), FileNotFoundError when it is gone. A file met again (the
    same file under two labels, or in two decks) is read once.
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise _NotRead("is not a regular file")
    if info.st_size > MAX_INPUT_BYTES:
        raise _NotRead(f"is larger than {MAX_INPUT_BYTES:,} bytes")
    key = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    if key in cache:
        return cache[key]
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped since the stat above
            raise _NotRead("is not a regular file")
        digest, size = hashlib.sha256(), 0
        while chunk := os.read(fd, _CHUNK):
            size += len(chunk)
            if size > MAX_INPUT_BYTES:  # it grew since the stat
                raise _NotRead(f"is larger than {MAX_INPUT_BYTES:,} bytes")
            digest.update(chunk)
    finally:
        os.close(fd)
    cache[key] = digest.hexdigest()
    return cache[key]


def _shown(text: str) -> str:
    """Return text from a deck as it may be printed: escaped, and not too long."""
    text = one_line(text)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "..."


def deck_status(
    path: Path,
    display=str,
    cache: dict[tuple[int, ...], str] | None = None,
    loaded: dict[Any, Any] | None = None,
) -> DeckStatus:
    """Return whether the output at path is stale against its recorded inputs and excerpts.

    display(path) says how an input is named in a reason. An output without a
    fingerprint (not built by deckwright) is reported as such, not as stale. Only
    inputs inside the project are read (see confined_input); the others are reasons
    of their own. cache maps files already hashed in this run to their hashes, loaded
    content files already read again to their excerpts. Excerpts are compared only
    while the content file is unchanged: otherwise its slides may have moved, and the
    content file is the reason.
    """
    cache = {} if cache is None else cache
    if not path.exists():  # a sidecar whose contact sheet was deleted
        return DeckStatus(path, ["missing (its fingerprint is still there)"])
    try:
        properties = read_record(path)
    except Exception as exc:  # lxml and zipfile raise many types for a damaged file
        what = "the deck" if path.suffix.lower() == ".pptx" else "its fingerprint"
        return DeckStatus(path, [f"cannot read {what} ({type(exc).__name__})"])
    inputs = {
        key[len(INPUT_PREFIX) :]: value
        for key, value in properties.items()
        if key.startswith(INPUT_PREFIX)
    }
    if not inputs:
        return DeckStatus(path, [], fingerprinted=False)
    if len(inputs) > MAX_RECORDED_INPUTS:
        return DeckStatus(
            path,
            [
                f"it records {len(inputs):,} inputs, more than deckwright "
                f"makes ({MAX_RECORDED_INPUTS:,}); none was read"
            ],
        )
    content_label = properties.get(CONTENT_KEY, "")
    root = find_root(path, content_label)
    fresh: set[str] = set()  # the inputs that are as recorded
    reasons = []
    version = properties.get(VERSION_KEY, "")
    if version != __version__:
        reasons.append(
            f"built with deckwright {_shown(version) or '(unknown)'}, this is {__version__}"
        )
    for name, recorded in sorted(inputs.items()):
        source = confined_input(name, root)
        if source is None:
            reasons.append(f"{_shown(name)} is outside the project folder {root} (not read)")
            continue
        shown = _shown(display(source) if not name.startswith(BUNDLED_LABEL) else name)
        try:
            current = _regular_file_hash(source, cache)
        except FileNotFoundError:
            reasons.append(f"{shown} missing")
            continue
        except _NotRead as exc:
            reasons.append(f"{shown} {exc} (not read)")
            continue
        except OSError as exc:
            reasons.append(f"{shown} unreadable ({exc.strerror or exc})")
            continue
        if current != recorded:
            reasons.append(f"{shown} changed")
        else:
            fresh.add(name)
    content = confined_input(content_label, root) if content_label else None
    recorded_excerpts = _recorded_excerpts(properties)
    if content is not None and content_label in fresh and recorded_excerpts:
        reasons += _excerpt_reasons(
            content,
            recorded_excerpts,
            _recorded_vars(properties),
            display,
            article=path.suffix.lower() == ".md",
            loaded={} if loaded is None else loaded,
        )
    if len(reasons) > MAX_REASONS:
        reasons[MAX_REASONS:] = [f"and {len(reasons) - MAX_REASONS:,} more"]
    return DeckStatus(path, reasons, content=content)


def _recorded_excerpts(properties: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Return the deck's excerpt records by key; a damaged record is shown as unknown."""
    found = {}
    for key, value in properties.items():
        if not key.startswith(EXCERPT_PREFIX):
            continue
        try:
            entry = json.loads(value)
        except ValueError:
            entry = None
        found[key[len(EXCERPT_PREFIX) :]] = entry if isinstance(entry, dict) else {}
    return found


def _current_excerpts(
    content: Path, overrides: Mapping[str, str], display, article: bool
) -> dict[str, tuple[str, Any]] | str:
    """Return (hash, Excerpt) of each excerpt the content shows now, by key; or why the
    content does not load (its located first error)."""
    from generator.errors import Problems
    from generator.model.deck import load_deck

    problems = Problems()
    deck = load_deck(content, overrides, problems, display(content))
    if deck is None:
        first = problems.errors[0] if problems.errors else None
        return str(first) if first is not None else f"{display(content)} does not load"
    current = {}
    for index, number, excerpt in excerpts(deck, article):
        try:
            digest = excerpt_hash(excerpt)
        except OSError as exc:  # removed since the content was read
            digest = f"unreadable ({exc.strerror or exc})"
        current[f"{index}.{number}"] = (digest, excerpt)
    return current


def _recorded_vars(properties: Mapping[str, str]) -> dict[str, str]:
    try:
        values = json.loads(properties.get(VARS_KEY, "{}"))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}


def _excerpt_reasons(
    content: Path,
    recorded: Mapping[str, Mapping[str, Any]],
    overrides: Mapping[str, str],
    display,
    *,
    article: bool = False,
    loaded: dict[Any, Any],
) -> list[str]:
    """Re-read every excerpt from the current content; name the slides whose excerpt changed.

    The files are found from the content as it is now (confined to its project like
    any build), never from paths the deck recorded. Content that no longer loads
    (a region removed, a file deleted) is the reason, with its located first error.
    """
    loading = (content, tuple(sorted(overrides.items())), article)
    if loading not in loaded:  # a deck, its article and its PDF read the content once
        loaded[loading] = _current_excerpts(content, overrides, display, article)
    if isinstance(loaded[loading], str):
        return [loaded[loading]]
    current = loaded[loading]

    def order(key: str) -> tuple[int, ...]:
        return tuple(int(part) if part.isdigit() else -1 for part in key.split("."))

    reasons = []
    for key in sorted(recorded, key=order):
        entry = recorded[key]
        where = _shown(
            f'slide {entry.get("slide", "?")} "{entry.get("title", "")}": '
            f"{entry.get('shows', 'an excerpt')}"
        )
        if key not in current:
            reasons.append(f"{where} no longer shown")
        elif current[key][0] != entry.get("sha256"):
            reasons.append(where + _how_changed(current[key][1], entry))
    return reasons


def _how_changed(excerpt: Any, recorded: Mapping[str, Any]) -> str:
    """Say how an excerpt changed: lines that show other code, a ref now at another commit."""
    if excerpt.by_line_numbers:  # an edit above the lines moves the code under them
        return " now show different code than the deck recorded"
    was = recorded.get("commit")
    if excerpt.commit is not None and isinstance(was, str) and was != excerpt.commit:
        return f" changed: now commit {excerpt.commit[:12]}, was {_shown(was[:12])}"
    return " changed"


def find_root(deck_path: Path, content_label: str) -> Path:
    """Return the project folder a deck's labels are relative to.

    It is the first of the working folder, the deck's folder and its parents (or of
    their content/ folders) that holds the recorded content file and is that file's
    project folder (labels are written relative to it); the working folder when none
    is. The label comes from the deck, so it may not climb out of the folder it is
    tried in.
    """
    from generator.source.content import project_root

    cwd = Path.cwd().resolve()
    folder = deck_path.resolve().parent
    if content_label and not content_label.startswith(BUNDLED_LABEL):
        # Each folder's content/ too: without a project marker (.git, ...) the project of
        # content/talk.yaml is content/ itself, beside the output/ its decks are in.
        for candidate in (
            found
            for place in (cwd, folder, *folder.parents)
            for found in (place, place / "content")
        ):
            content = confined_input(content_label, candidate)
            try:
                if content is not None and content.is_file() and project_root(content) == candidate:
                    return candidate
            except OSError:  # the label comes from the deck: a name too long, say
                continue
    return cwd


def decks_in(folder: Path) -> list[Path]:
    """Return the .pptx files in folder, sorted; PowerPoint lock files and hidden ones skipped."""
    return sorted(
        p for p in folder.glob("*.pptx") if p.is_file() and not p.name.startswith((".", "~$"))
    )


def outputs_in(folder: Path) -> list[Path]:
    """Return the decks, articles, PDFs and fingerprinted PNGs in folder, sorted."""
    found = set(decks_in(folder))
    for pattern in ("*.md", "*.pdf"):
        found.update(p for p in folder.glob(pattern) if p.is_file() and not p.name.startswith("."))
    found.update(
        p.with_name(p.name[: -len(SIDECAR_SUFFIX)])
        for p in folder.glob("*" + SIDECAR_SUFFIX)
        if p.is_file()
    )
    return sorted(found)


def stale_decks(folder: Path, display=str) -> Iterable[DeckStatus]:
    """Yield the status of every output in folder (decks, articles, PDFs, PNGs); each
    input file is read once."""
    cache: dict[tuple[int, ...], str] = {}
    loaded: dict[Any, Any] = {}
    for path in outputs_in(folder):
        yield deck_status(path, display, cache, loaded)
