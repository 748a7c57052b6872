"""Fingerprints: what a deck was built from, recorded in the deck, checked later.

A deck records, as custom document properties,

    deckwright:version              the deckwright that built it
    deckwright:content              the content file (a key of the inputs below)
    deckwright:input:<path>         SHA-256 of each input file
    deckwright:revision:<path>@<ref>  the commit a code include read at `ref:` came from
    deckwright:fingerprint          SHA-256 over all of the above and the --var overrides

Input paths are POSIX paths relative to the content file's project folder
(`content/snippets/ml_eval.py`), or `<deckwright>/...` for a theme shipped with
deckwright, so the same inputs give the same bytes wherever the project lives and
wherever the deck is written. `stale_decks()` recomputes the hashes and names
what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator import __version__

PREFIX = "deckwright:"
INPUT_PREFIX = PREFIX + "input:"
REVISION_PREFIX = PREFIX + "revision:"
VERSION_KEY = PREFIX + "version"
CONTENT_KEY = PREFIX + "content"
FINGERPRINT_KEY = PREFIX + "fingerprint"
BUNDLED_LABEL = "<deckwright>"
_CHUNK = 1024 * 1024


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
    files: list[Path] = [*deck.files, *theme.chain]
    files += [p for p in (theme.template_path, theme.logo_path) if p is not None]
    return list(dict.fromkeys(Path(p).resolve() for p in files))


def _bundled_dir() -> Path | None:
    try:
        from generator.theme.load import bundled_themes_dir

        return bundled_themes_dir().resolve()
    except (ImportError, OSError):
        return None


def label(path: Path, root: Path) -> str:
    """Return how a deck records path: relative to the project root, or to the bundled themes."""
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


def resolve_label(name: str, root: Path) -> Path:
    """Return the file a recorded label names, for a project at root."""
    if name.startswith(BUNDLED_LABEL + "/"):
        bundled = _bundled_dir()
        if bundled is not None:
            return bundled / name[len(BUNDLED_LABEL) + 1:]
    return root / name


def fingerprint_properties(deck: Any, theme: Any, root: Path,
                           variables: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Return the custom document properties that record a deck's inputs.

    Raise OSError when an input cannot be read (it was read moments ago, so this
    only happens when it is removed during the build).
    """
    root = root.resolve()
    hashes = {label(path, root): file_hash(path) for path in input_files(deck, theme)}
    properties = {VERSION_KEY: __version__, CONTENT_KEY: label(deck.path, root)}
    properties.update({INPUT_PREFIX + name: digest for name, digest in hashes.items()})
    revisions = {f"{label(path, root)}@{ref}": commit
                 for path, ref, commit in _revisions(deck)}
    properties.update({REVISION_PREFIX + name: commit for name, commit in revisions.items()})
    recorded: dict[str, Any] = {"version": __version__, "inputs": sorted(hashes.items()),
                                "vars": sorted((str(k), str(v)) for k, v in
                                               (variables or {}).items())}
    if revisions:  # only then: fingerprints of decks without `ref:` stay as they were
        recorded["revisions"] = sorted(revisions.items())
    combined = json.dumps(recorded, ensure_ascii=False, separators=(",", ":"))
    properties[FINGERPRINT_KEY] = hashlib.sha256(combined.encode("utf-8")).hexdigest()
    return properties


def _revisions(deck: Any) -> list[tuple[Path, str, str]]:
    from generator.model.blocks import revisions

    return revisions(getattr(deck, "slides", []))


@dataclass
class DeckStatus:
    """What check --outputs found for one deck: stale reasons, or why it cannot tell."""

    path: Path
    reasons: list[str]
    fingerprinted: bool = True

    @property
    def stale(self) -> bool:
        return bool(self.reasons)


def deck_status(path: Path, display=str) -> DeckStatus:
    """Return whether the deck at path is stale against its recorded inputs.

    display(path) says how an input is named in a reason. A deck without a
    fingerprint (not built by deckwright) is reported as such, not as stale.
    """
    from generator.writers.pptx_writer import read_custom_properties

    try:
        properties = read_custom_properties(path)
    except Exception as exc:  # lxml and zipfile raise many types for a damaged file
        return DeckStatus(path, [f"cannot read the deck ({type(exc).__name__})"])
    inputs = {key[len(INPUT_PREFIX):]: value for key, value in properties.items()
              if key.startswith(INPUT_PREFIX)}
    if not inputs:
        return DeckStatus(path, [], fingerprinted=False)
    root = find_root(path, properties.get(CONTENT_KEY, ""))
    reasons = []
    version = properties.get(VERSION_KEY, "")
    if version != __version__:
        reasons.append(f"built with deckwright {version or '(unknown)'}, this is {__version__}")
    for name, recorded in sorted(inputs.items()):
        source = resolve_label(name, root)
        shown = display(source) if not name.startswith(BUNDLED_LABEL) else name
        try:
            current = file_hash(source)
        except FileNotFoundError:
            reasons.append(f"{shown} missing")
            continue
        except OSError as exc:
            reasons.append(f"{shown} unreadable ({exc.strerror or exc})")
            continue
        if current != recorded:
            reasons.append(f"{shown} changed")
    return DeckStatus(path, reasons)


def find_root(deck_path: Path, content_label: str) -> Path:
    """Return the project folder a deck's labels are relative to.

    It is the first of the working folder, the deck's folder and its parents that
    holds the recorded content file; the working folder when none does.
    """
    cwd = Path.cwd().resolve()
    folder = deck_path.resolve().parent
    if content_label and not content_label.startswith(BUNDLED_LABEL):
        for candidate in (cwd, folder, *folder.parents):
            try:
                if (candidate / content_label).is_file():
                    return candidate
            except OSError:  # the label comes from the deck: a name too long, say
                continue
    return cwd


def decks_in(folder: Path) -> list[Path]:
    """Return the .pptx files in folder, sorted; PowerPoint lock files and hidden ones skipped."""
    return sorted(p for p in folder.glob("*.pptx")
                  if p.is_file() and not p.name.startswith((".", "~$")))


def stale_decks(folder: Path, display=str) -> Iterable[DeckStatus]:
    """Yield the status of every deck in folder."""
    for path in decks_in(folder):
        yield deck_status(path, display)
