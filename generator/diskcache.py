"""A small on-disk cache of JSON values, shared by builds run one after another.

Some work gives the same answer every run for the same inputs and costs a fixed
tens of milliseconds a process: reading font files with fontTools, compiling a
Pygments lexer's regular expressions. A rebuild on every edit (``watch``, batch
builds, a speaker re-running ``build``) pays that each time; the cache keeps
the answers. Keys are strings that name every input of the answer (file sizes
and times, library versions), hashed into file names.

The cache lives in $DECKWRIGHT_CACHE_DIR, else $XDG_CACHE_HOME/deckwright, else
~/.cache/deckwright; DECKWRIGHT_CACHE_DIR=off turns it off. Entries are written
through a temporary file and a rename; one that cannot be read, parsed or written
is ignored, and the work is done again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Optional

_OFF = {"", "0", "off", "no", "false"}


def cache_dir() -> Optional[Path]:
    """Return the cache folder, or None when caching is turned off."""
    value = os.environ.get("DECKWRIGHT_CACHE_DIR")
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "deckwright"


def _entry(namespace: str, key: str) -> Optional[Path]:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return folder / namespace / f"{digest}.json"


def load(namespace: str, key: str) -> Any:
    """Return the value stored under key, or None."""
    entry = _entry(namespace, key)
    if entry is None:
        return None
    try:
        with open(entry, encoding="utf-8") as handle:
            stored = json.load(handle)
    except (OSError, ValueError):
        return None
    # The key is stored too: a hash collision or a stray file is a miss, not an answer.
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    return stored.get("value")


def store(namespace: str, key: str, value: Any) -> None:
    """Remember value (JSON-serialisable) under key; failures are ignored."""
    entry = _entry(namespace, key)
    if entry is None:
        return
    try:
        text = json.dumps({"key": key, "value": value}, separators=(",", ":"))
    except (TypeError, ValueError):
        return
    temp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, entry)
    except (OSError, UnicodeEncodeError):
        try:
            temp.unlink()
        except OSError:
            pass
