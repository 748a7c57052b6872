"""Deterministic, atomic saving: fixed zip timestamps, temp file, then rename.

Everything a build writes goes first to temporary files beside its targets
(Staged), and is renamed into place only when every output of the build was
written: a failed or killed build leaves every old output whole.

An output path is only ever replaced by a regular file:

- a symbolic link is followed: its target is written (atomically, in the
  target's own folder) and the link stays as it was;
- a device, FIFO or socket (`-o /dev/null`, `-o /dev/full`, `/dev/stdout` on a
  terminal or a pipe) is refused with one line. Renaming over it would replace
  the device itself (run as root: the system's /dev/null), and writing into it
  would block on a FIFO nobody reads, or mix the deck's bytes into the lines
  deckwright prints.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Optional, Union

from generator.errors import DeckwrightError, Location, Problem

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
REFUSED_HINT = "deckwright writes regular files only; give a file or folder path"


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
    with Staged() as staged:
        staged.write(path, data)
        staged.commit()


def _kind(mode: int) -> str:
    """Name what a file that is neither a regular file nor a folder is."""
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _refuse(path: Path, message: str) -> DeckwrightError:
    return DeckwrightError([Problem(Location(str(path)), message, REFUSED_HINT)])


def output_target(path: Path) -> Path:
    """Return the file a write to path replaces: path itself, or a symbolic link's target.

    Raise DeckwrightError (one line, located at path) when path is, or links to, a
    device, FIFO or socket, or links to something that has no name to write to (a
    /proc link to a pipe or to a deleted file). A link to nothing yet names the file
    to create. OSError comes through for the caller to report (a link loop, say).
    """
    if os.path.islink(path) and _through_proc(path):  # /dev/stdout -> /proc/self/fd/1
        raise _refuse(path, "output path is a link to an open file descriptor, not a file")
    try:
        info: Optional[os.stat_result] = os.stat(path)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        what = "a symbolic link to a" if os.path.islink(path) else "a"
        raise _refuse(path, f"output path is {what} {_kind(info.st_mode)}, not a regular file")
    if not os.path.islink(path):
        return path
    real = Path(os.path.realpath(path))
    try:
        same = info is None or os.path.samestat(info, os.stat(real))
    except OSError:
        same = False
    if not same:  # e.g. /dev/stdout -> /proc/self/fd/1 -> "/tmp/x (deleted)"
        raise _refuse(path, "output path is a symbolic link to a file without a name to write to")
    return real


def _through_proc(path: Path) -> bool:
    """Return whether a link on the way from path to its target lives in /proc.

    Those are the kernel's links to open files (/proc/self/fd/1 behind /dev/stdout and
    /dev/fd/1): what they name depends on the process, and a file they lead to is the
    one a shell redirected output into, which a rename would replace.
    """
    current = os.fspath(path)
    for _ in range(40):  # the kernel's own limit on links in a row
        if not os.path.islink(current):
            return False
        folder = os.path.realpath(os.path.dirname(current) or ".")
        if folder == "/proc" or folder.startswith("/proc/"):
            return True
        current = os.path.join(folder, os.readlink(current))
    return False


def _check_before_rename(real: Path, shown: Path) -> None:
    """Refuse to rename over anything but a regular file (it may have changed since)."""
    try:
        info = os.lstat(real)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(shown, "output path became a symbolic link during the build")
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise _refuse(shown, f"output path is a {_kind(info.st_mode)}, not a regular file")


class Staged:
    """Outputs written under temporary names beside their targets, renamed in together.

    write() and move() check each target at once (see output_target) and again just
    before its rename; commit() renames everything in the order it was staged, and
    runs the steps added with then() in that order too. Leaving the `with` block
    removes whatever was not committed: temporary files and folders.
    """

    def __init__(self) -> None:
        self._steps: list[Union[tuple[Path, Path, Path], Callable[[], None]]] = []
        self._temps: list[Path] = []
        self._folders: list[Path] = []
        self._staged: dict[Path, Path] = {}
        self.failed: Optional[Path] = None  # the target whose rename failed in commit()

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, path: Path, data: bytes) -> Path:
        """Write data to a temporary file that becomes path on commit; return the temp."""
        real = output_target(path)
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        temp = Path(name)
        self._temps.append(temp)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        self._add(temp, real, path)
        return temp

    def reserve(self, path: Path) -> Path:
        """Return an empty temporary file that becomes path on commit, for a writer to fill."""
        return self.write(path, b"")

    def move(self, temp: Path, path: Path) -> None:
        """Make the file temp (made by the caller) become path on commit."""
        real = output_target(path)
        real.parent.mkdir(parents=True, exist_ok=True)
        if real.parent.resolve() != temp.parent.resolve():
            # Another folder may be another file system, where a rename cannot go.
            temp = self.write(path, temp.read_bytes())
            return
        self._temps.append(temp)
        self._add(temp, real, path)

    def folder(self, near: Path) -> Path:
        """Return a new temporary folder in near, removed when the staging ends."""
        near.mkdir(parents=True, exist_ok=True)
        made = Path(tempfile.mkdtemp(prefix=".deckwright-", dir=near))
        self._folders.append(made)
        return made

    def then(self, step: Callable[[], None]) -> None:
        """Run step during commit(), after the renames staged before it."""
        self._steps.append(step)

    def staged(self, path: Path) -> Optional[Path]:
        """Return the temporary file that becomes path on commit, if any."""
        return self._staged.get(path)

    def _add(self, temp: Path, real: Path, shown: Path) -> None:
        self._steps.append((temp, real, shown))
        self._staged[shown] = temp

    def commit(self) -> None:
        """Rename every staged file into place and run the staged steps, in order."""
        for step in self._steps:
            if callable(step):
                step()
                continue
            temp, real, shown = step
            self.failed = shown
            _check_before_rename(real, shown)
            os.replace(temp, real)
            self._temps.remove(temp)
        self.failed = None
        self._steps = []

    def close(self) -> None:
        """Remove the temporary files and folders that were not renamed into place."""
        for temp in self._temps:
            try:
                os.unlink(temp)
            except FileNotFoundError:
                pass
        self._temps = []
        for folder in self._folders:
            shutil.rmtree(folder, ignore_errors=True)
        self._folders = []
