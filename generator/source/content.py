"""Where a content file's project is, and --var options."""

from __future__ import annotations

from pathlib import Path

PROJECT_MARKERS = (".git", "pyproject.toml", "deckwright.yaml")


def project_root(content_path: Path) -> Path:
    """Return the project folder of a content file: the nearest folder with a marker.

    Without a marker (.git, pyproject.toml, deckwright.yaml) it is the content
    file's own folder, so includes never reach further than the user expects.
    """
    try:
        folder = content_path.resolve().parent
    except (OSError, RuntimeError):  # a symbolic link loop: the file is reported unreadable
        folder = content_path.absolute().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return folder


def parse_var(text: str) -> tuple[str, str] | None:
    """Split a --var KEY=VALUE option; None when it has no '=' or no key."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        return None
    return key.strip(), value
