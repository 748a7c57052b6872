"""Deterministic, atomic saving: fixed zip timestamps, temp file, then rename."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def normalise_zip(data: bytes) -> bytes:
    """Return the zip with fixed timestamps and attributes, entries in their order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            write_entry(target, info.filename, source.read(info.filename))
    return out.getvalue()


def write_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    """Add one member with the fixed timestamp, attributes and compression of every deck."""
    entry = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    entry.create_system = 0
    archive.writestr(entry, data, compresslevel=6)


def atomic_write(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file in the same folder, then rename.

    A build that fails or is killed before the rename leaves the old file whole.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
