"""Watch: rebuild a deck when a file it was built from changes.

Polling with the standard library (a stat of each input every half second) is
enough for the few dozen files a talk reads, needs no dependency and behaves
the same on every OS, network drive and container mount. Each deck watches
exactly what its last build read (content, includes, images, theme files,
template, logo); a deck whose build failed keeps watching what it read before
plus its content file, so fixing the error rebuilds it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from generator.batch import Job, Outcome, guarded_build
from generator.errors import DeckwrightError, Location, Problem

POLL_SECONDS = 0.5
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
    target.stamps = {path: before[path] if path in before else stamp(path)
                     for path in dict.fromkeys(inputs)}
    return outcome


def run(jobs: Callable[[], Sequence[Job]], report: Callable[[Outcome], None], *,
        notice: Callable[[str], None] = lambda message: None,
        interval: float = POLL_SECONDS) -> None:
    """Build every job, then poll and rebuild the ones whose inputs changed, forever.

    jobs() is asked again on every tick, so content files that appear are built
    and ones that disappear are dropped. report() gets every build's outcome;
    notice() one line once the first builds are done. Stop it with KeyboardInterrupt.
    Raise DeckwrightError when the folder it runs in is removed: relative paths
    cannot reach anything again, even if a folder of that name comes back.
    """
    folder = Path.cwd()
    watched: dict[Job, Watched] = {}
    first = True
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
            first = False
        time.sleep(interval)


def _check_folder(folder: Path) -> None:
    """Raise DeckwrightError when the working folder (which was folder) no longer exists."""
    try:
        os.getcwd()
    except FileNotFoundError:
        raise DeckwrightError([Problem(
            Location(str(folder)), "the folder this watch runs in was removed",
            "start the watch again in an existing folder")]) from None
