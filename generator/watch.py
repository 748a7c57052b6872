"""Watch: rebuild a deck when a file it was built from changes.

Each deck watches exactly what its last build read (content, includes, images,
theme files, template, logo); a deck whose build failed keeps watching what it
read before plus its content file, so fixing the error rebuilds it. What changed
is decided by each file's modification time and size. The loop sleeps until the
operating system reports an event in one of the folders those files are in
(watchfiles: inotify, FSEvents, ReadDirectoryChangesW), so a save is rebuilt
within milliseconds, and at most POLL_SECONDS anyway. Where events cannot be had
(watchfiles missing, the inotify watch limit reached, some network drives and
container mounts; or DECKWRIGHT_WATCH_POLLING=1) it polls every POLL_SECONDS.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from generator.batch import Job, Outcome, guarded_build
from generator.errors import DeckwrightError, Location, Problem

POLL_SECONDS = 0.5
#: Events are acted on once the folders have been quiet this long: an editor's save
#: (write, rename, chmod) arrives as a burst.
SETTLE_MS = 30
#: ...but a stream of events is not waited out for longer than this.
MAX_SETTLE_MS = 300
#: How often the event iterator hands control back while nothing happens.
TICK_MS = 50
Stamp = Optional[tuple[int, int]]  # (mtime_ns, size); None when the file is missing


def stamp(path: Path) -> Stamp:
    """Return what tells a file changed: its modification time and size."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


@dataclass
class Watched:
    """One deck being watched: its job and the stamps of the files it was built from."""

    job: Job
    stamps: dict[Path, Stamp] = field(default_factory=dict)

    def changed(self) -> bool:
        return any(stamp(path) != seen for path, seen in self.stamps.items())


def build(target: Watched) -> Outcome:
    """Build a watched deck and remember the stamps of its inputs as they were before.

    Stamps are taken before the build, so a file saved during the build triggers
    another one. A crash in the pipeline (a bug) is reported as the deck's one
    line; the watch goes on.
    """
    content = target.job.content.resolve()
    before = {path: stamp(path) for path in [content, *target.stamps]}
    outcome = guarded_build(target.job)
    if outcome.result is not None:
        inputs = [Path(p).resolve() for p in outcome.result.inputs] or [content]
    else:
        inputs = [content, *target.stamps]
    target.stamps = {
        path: before[path] if path in before else stamp(path) for path in dict.fromkeys(inputs)
    }
    return outcome


def run(
    jobs: Callable[[], Sequence[Job]],
    report: Callable[[Outcome], None],
    *,
    notice: Callable[[str], None] = lambda message: None,
    interval: float = POLL_SECONDS,
) -> None:
    """Build every job, then rebuild the ones whose inputs change, forever.

    jobs() is asked again on every tick, so content files that appear are built
    and ones that disappear are dropped. report() gets every build's outcome;
    notice() one line once the first builds are done, and one if file-system events
    fail (it polls then). Stop it with KeyboardInterrupt. Raise DeckwrightError when
    the folder it runs in is removed: relative paths cannot reach anything again,
    even if a folder of that name comes back.
    """
    from generator.writers.office import session

    # One LibreOffice for the whole watch (started by the first PDF or PNG, if any).
    with session():
        _run(jobs, report, notice, interval)


def _run(
    jobs: Callable[[], Sequence[Job]],
    report: Callable[[Outcome], None],
    notice: Callable[[str], None],
    interval: float,
) -> None:
    from generator.writers.office import unavailable

    folder = Path.cwd()
    watched: dict[Job, Watched] = {}
    first = True
    waiter = Waiter(interval)
    while True:
        _check_folder(folder)
        try:
            current = list(jobs())
            for job in current:
                target = watched.get(job)
                if target is None:
                    target = watched[job] = Watched(job)
                    report(build(target))
                elif target.changed():
                    report(build(target))
        except FileNotFoundError:  # Path.resolve() when the folder went during this tick
            _check_folder(folder)
            raise
        for job in [job for job in watched if job not in current]:
            del watched[job]
        if first:
            files = {path for target in watched.values() for path in target.stamps}
            decks = "deck" if len(watched) == 1 else "decks"
            notice(f"watching {len(files)} files of {len(watched)} {decks} (Ctrl-C stops)")
            slow = unavailable()
            if slow:  # worth a line: every save then waits for LibreOffice to start
                notice(f"LibreOffice starts afresh for each PDF: {slow}")
            first = False
        folders = {path.parent for target in watched.values() for path in target.stamps}
        folders |= {job.content.resolve().parent for job in current}
        waiter.wait(folders)
        if waiter.fallback:
            notice(
                f"file-system events unavailable ({waiter.fallback}); checking the files "
                f"every {interval:g} s"
            )
            waiter.fallback = ""


class Waiter:
    """Wait until something may have changed in some folders, at most interval seconds.

    Events only wake the loop up; the stamps decide what changed, so a missed or
    a spurious event costs at most one interval. When events fail, fallback says
    why (once) and every later wait is a sleep.
    """

    def __init__(self, interval: float):
        self.interval = interval
        self.polling = os.environ.get("DECKWRIGHT_WATCH_POLLING", "") not in ("", "0")
        self.fallback = ""
        self._folders: frozenset[Path] = frozenset()
        self._events: Optional[Iterator[Any]] = None

    def wait(self, folders: Iterable[Path]) -> None:
        """Return after an event in one of folders, or after interval seconds.

        Watching other folders than last time returns as soon as the new watch is
        set up: a file saved before that is seen by its stamp, not by an event.
        """
        wanted = frozenset(folder for folder in folders if folder.is_dir())
        if self.polling or not wanted:
            time.sleep(self.interval)
            return
        deadline = time.monotonic() + self.interval
        try:
            if self._events is None or wanted != self._folders:
                self.close()
                self._events = _events(wanted)
                self._folders = wanted
                next(self._events)  # the watch starts here
                return
            while not next(self._events) and time.monotonic() < deadline:
                pass
        except FileNotFoundError:  # a folder removed just now: the next wait rewatches
            self.close()
            time.sleep(self.interval)
        except Exception as exc:  # noqa: BLE001 - whatever the OS refused, polling works
            self.close()
            self.polling = True
            self.fallback = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            time.sleep(self.interval)

    def close(self) -> None:
        if self._events is not None:
            close = getattr(self._events, "close", None)
            if close is not None:
                close()
            self._events = None


def _events(folders: frozenset[Path]) -> Iterator[Any]:
    """Return watchfiles' iterator over the changes in folders (not their subfolders).

    It yields the changes of each burst, an empty set every TICK_MS without one,
    and raises KeyboardInterrupt on Ctrl-C.
    """
    import watchfiles

    return watchfiles.watch(
        *sorted(folders),
        watch_filter=None,
        debounce=MAX_SETTLE_MS,
        step=SETTLE_MS,
        rust_timeout=TICK_MS,
        yield_on_timeout=True,
        recursive=False,
        raise_interrupt=True,
    )


def _check_folder(folder: Path) -> None:
    """Raise DeckwrightError when the working folder (which was folder) no longer exists."""
    try:
        os.getcwd()
    except FileNotFoundError:
        raise DeckwrightError(
            [
                Problem(
                    Location(str(folder)),
                    "the folder this watch runs in was removed",
                    "start the watch again in an existing folder",
                )
            ]
        ) from None
