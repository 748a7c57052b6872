"""One LibreOffice for a whole batch or watch session, restarted when it dies.

Inside session() (batch.run and watch.run open one), the first PDF conversion of a
process starts soffice listening on a private pipe (a Unix socket in the temporary
folder: no network port, not even on localhost) with a profile of its own, and
uno_worker.py, a small UNO client run by LibreOffice's Python (python3-uno), which
converts each deck it is sent. Every conversion keeps the time limit it had: past
it, LibreOffice and the client are killed, the deck is reported, and the next
conversion starts them afresh. A LibreOffice that dies between or during
conversions is started again (a deck whose conversion it died in is tried once more).

Each process of a `--jobs` pool starts its own (they convert in parallel). All of a
session's profiles live in one folder that the session removes at its end, after
killing any LibreOffice a crashed worker left behind; on Linux LibreOffice also dies
with the process that started it. When the fast path cannot start here (no
python3-uno, DECKWRIGHT_OFFICE=spawn), office() is None and pdf.py starts one soffice
per conversion, as before.
"""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Optional

WORKER = Path(__file__).with_name("uno_worker.py")
#: "spawn": one soffice per conversion, as before the server (also the fallback).
MODE_ENV = "DECKWRIGHT_OFFICE"
#: Seconds LibreOffice may take to start listening (not a conversion: its own limit).
START_TIMEOUT = 60.0
#: soffice.bin's exit status after it made a new profile and wants to be started again.
RESTART_STATUS = 81


class Unavailable(Exception):
    """The fast path cannot run here: convert with one soffice per file instead."""


class ConversionFailed(Exception):
    """LibreOffice could not convert this deck (its message is the reason)."""


class TimedOut(Exception):
    """The conversion took longer than its time limit; LibreOffice was killed."""


def uno_python(executable: str) -> Optional[str]:
    """Return a Python that can import uno: LibreOffice's own, else the system's python3."""
    program = Path(os.path.realpath(executable)).parent
    for candidate in (program / "python", Path("/usr/bin/python3")):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def server_binary(executable: str) -> str:
    """Return soffice.bin beside the soffice script when there is one (signals reach it)."""
    binary = Path(os.path.realpath(executable)).with_name("soffice.bin")
    return str(binary) if binary.is_file() else executable


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to kill it when the process that started it ends."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held by _spawn


_LIBC: Any = None
if sys.platform.startswith("linux"):
    try:
        import ctypes

        _LIBC = ctypes.CDLL(None, use_errno=True)
    except (ImportError, OSError):  # no libc to call: the session's clean-up still kills
        _LIBC = None


class Office:
    """A LibreOffice listening on a pipe, its UNO client, and the folder of its profile."""

    def __init__(self, folder: Path, executable: str, python: str):
        self.folder = folder
        self.executable = server_binary(executable)
        self.python = python
        self.soffice: Optional[subprocess.Popen[bytes]] = None
        self.worker: Optional[subprocess.Popen[bytes]] = None
        self.starts = 0  # how many times LibreOffice was started (restarts included)
        self.owner = os.getpid()  # a forked worker must not use or stop its parent's
        self.pipe = ""  # the name LibreOffice listens on, while it runs
        self.ready = False  # launched and answering (see launch())
        self._start_soffice: Optional[Callable[[], subprocess.Popen[bytes]]] = None

    @property
    def pid(self) -> Optional[int]:
        """Return the running LibreOffice's process id, or None."""
        return self.soffice.pid if self.running() and self.soffice else None

    def running(self) -> bool:
        return (
            self.soffice is not None
            and self.soffice.poll() is None
            and self.worker is not None
            and self.worker.poll() is None
        )

    def _launched(self) -> bool:
        """Return whether it runs, or was launched and is in the restart LibreOffice makes
        on a new profile (exit status 81), which _await_ready completes."""
        if self.soffice is None or self.worker is None or self.worker.poll() is not None:
            return False
        status = self.soffice.poll()
        return status is None or (not self.ready and status == RESTART_STATUS)

    def _spawn(self, command: list[str], **options: Any) -> subprocess.Popen[bytes]:
        # A session of its own: Ctrl-C in the terminal does not reach it half-way through
        # a conversion (the session's clean-up ends it), and killpg ends all it started.
        # SIGINT is held while forking: Python code runs in the child until exec (the
        # preexec_fn), where a Ctrl-C would print a traceback; it is delivered here after.
        held = hasattr(signal, "pthread_sigmask")
        if held:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            return subprocess.Popen(
                command, start_new_session=True, preexec_fn=_die_with_parent, **options
            )
        finally:
            if held:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})

    def start(self) -> None:
        """Start LibreOffice and its client; raise Unavailable when they do not come up."""
        self.launch()
        self.await_ready()

    def launch(self) -> None:
        """Start LibreOffice and its client without waiting for them to answer.

        A build launches it before planning its deck, so LibreOffice's second or two of
        starting overlaps the .pptx being made; the first conversion waits for the rest.
        """
        if self._launched():
            return
        self.stop()
        pipe = self.pipe = f"deckwright-{os.getpid()}-{secrets.token_hex(8)}"
        profile = self.folder / "profile"
        command = [
            self.executable,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;",
        ]
        # Its settings and its temporary files (lu*.tmp, left behind when it is killed) in
        # the folder that the session removes.
        environment = {**os.environ, "HOME": str(self.folder), "TMPDIR": str(self.folder)}
        quiet = subprocess.DEVNULL

        def start_soffice() -> subprocess.Popen[bytes]:
            return self._spawn(command, env=environment, stdout=quiet, stderr=quiet, stdin=quiet)

        try:
            self._start_soffice = start_soffice
            self.soffice = start_soffice()
            self.starts += 1
            worker_environment = {
                key: value for key, value in os.environ.items() if not key.startswith("PYTHON")
            }
            self.worker = self._spawn(
                [self.python, str(WORKER), pipe, str(START_TIMEOUT)],
                env=worker_environment,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=quiet,
            )
            self._record_pids()
        except BaseException:
            self.stop()
            raise

    def await_ready(self) -> None:
        """Wait until the launched LibreOffice answers; raise Unavailable when it does not."""
        try:
            self._await_ready()
        except Unavailable:
            raise
        except BaseException:
            self.stop()
            raise

    def _await_ready(self) -> None:
        if self.ready and self.running():
            return
        if not self._launched():
            self.launch()
        restarts = 0
        while True:
            reply = self._read(START_TIMEOUT, watch_soffice=True)
            if reply == "soffice ended":
                # A new profile makes soffice.bin exit once, asking to be started again.
                assert self.soffice is not None and self._start_soffice is not None
                if self.soffice.returncode == RESTART_STATUS and restarts < 2:
                    restarts += 1
                    self.soffice = self._start_soffice()
                    self._record_pids()
                    continue
                self.stop()
                raise Unavailable(f"LibreOffice ended as it started ({self.soffice.returncode})")
            if isinstance(reply, dict) and reply.get("ready"):
                self.ready = True
                return
            self.stop()
            if isinstance(reply, dict):
                raise Unavailable(str(reply.get("error")))
            if reply == "ended":
                raise Unavailable("the UNO client ended as it started")
            raise Unavailable("LibreOffice did not start listening in time")

    def convert(self, source: Path, target: Path, timeout: float) -> None:
        """Convert source (.pptx) to target (.pdf) within timeout seconds.

        Raise TimedOut, ConversionFailed, or Unavailable when LibreOffice cannot be
        (re)started. A LibreOffice that dies during the conversion is started again and
        the deck tried once more: it may have been killed from outside.
        """
        request = json.dumps({"source": str(source.resolve()), "target": str(target.resolve())})
        try:
            self._convert(request, timeout)
        except (TimedOut, ConversionFailed, Unavailable):
            raise
        except BaseException:
            # Ctrl-C (or a bug) half-way through: a reply may still come for this request,
            # so the next one starts on a fresh LibreOffice instead.
            self.stop()
            raise

    def _convert(self, request: str, timeout: float) -> None:
        for _attempt in (1, 2):
            if not (self.running() and self.ready):
                self.start()
            assert self.worker is not None and self.worker.stdin is not None
            try:
                self.worker.stdin.write(request.encode() + b"\n")
                self.worker.stdin.flush()
            except OSError:  # the client went: start again
                self.stop()
                continue
            reply = self._read(timeout)
            if reply is None:
                self.stop()
                raise TimedOut()
            if isinstance(reply, dict) and reply.get("ok"):
                return
            if isinstance(reply, dict) and not reply.get("lost"):
                raise ConversionFailed(str(reply.get("error") or "no reason given"))
            self.stop()  # LibreOffice went away during the conversion
        raise ConversionFailed("LibreOffice stopped while converting the deck")

    def _read(self, timeout: float, watch_soffice: bool = False) -> dict[str, Any] | str | None:
        """Return the client's next message, "ended" or "soffice ended", or None past timeout."""
        assert self.worker is not None and self.worker.stdout is not None
        stream: IO[bytes] = self.worker.stdout
        deadline = _now() + timeout
        while True:
            remaining = deadline - _now()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([stream], [], [], min(remaining, 0.1))
            if ready:
                line = stream.readline()
                if not line:
                    return "ended"
                try:
                    message = json.loads(line)
                except ValueError:
                    continue  # not ours (a library's warning on stdout)
                return message if isinstance(message, dict) else "ended"
            if watch_soffice and self.soffice is not None and self.soffice.poll() is not None:
                return "soffice ended"

    def _record_pids(self) -> None:
        """Write the process groups and the pipe to the folder, for the session's clean-up."""
        groups = [p.pid for p in (self.soffice, self.worker) if p is not None]
        (self.folder / "pids").write_text(" ".join(map(str, groups)) + f"\n{self.pipe}\n")

    def stop(self, graceful: bool = False) -> None:
        """Kill LibreOffice and the client (their whole process groups) and reap them.

        graceful: first ask LibreOffice to quit (SIGTERM, up to 3 s), so that it removes
        its own pipes; a hung one (a time-out) is killed at once.
        """
        if graceful and self.soffice is not None and self.soffice.poll() is None:
            if self.worker is not None and self.worker.stdin is not None:
                self.worker.stdin.close()  # the client ends at the end of its input
            try:
                os.killpg(self.soffice.pid, signal.SIGTERM)
                self.soffice.wait(timeout=3)
            except (ProcessLookupError, PermissionError, subprocess.TimeoutExpired):
                pass
        for process in (self.worker, self.soffice):
            if process is None:
                continue
            _kill_group(process.pid)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL not yet delivered
                pass
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
        self.soffice = self.worker = None
        self.ready = False
        _remove_pipe(self.pipe)
        self.pipe = ""

    def close(self) -> None:
        """Stop the processes and remove the profile folder."""
        self.stop(graceful=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def _now() -> float:
    import time

    return time.monotonic()


def _remove_pipe(name: str) -> None:
    """Remove the socket a killed LibreOffice leaves behind in sal's pipe folders."""
    if name and hasattr(os, "getuid"):
        for folder in ("/tmp", "/var/tmp"):
            Path(folder, f"OSL_PIPE_{os.getuid()}_{name}").unlink(missing_ok=True)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # already gone
        pass


# --- the session: which Office this process uses ------------------------------------------

_session_folder: Optional[Path] = None
_session_owner = 0  # the process that opened the session (forked workers inherit the folder)
_office: Optional[Office] = None
_unavailable: Optional[str] = None  # why this process converts the old way


@contextmanager
def session() -> Iterator[None]:
    """Let the conversions inside share one LibreOffice per process; clean up at the end.

    Nested sessions share the outer one. Nothing starts until a conversion asks.
    """
    global _session_folder, _session_owner
    if _session_folder is not None and _session_owner == os.getpid():
        yield
        return
    _session_folder = Path(tempfile.mkdtemp(prefix="deckwright-office-"))
    _session_owner = os.getpid()
    restore = _exit_on_sigterm()
    try:
        yield
    finally:
        folder, _session_folder = _session_folder, None
        _close_office()
        _clean_folder(folder)
        restore()


def scratch() -> Optional[str]:
    """Return the folder for a conversion's temporary files: the session's, else None.

    Inside the session's folder they go with it even when the worker holding them is
    killed (None: tempfile's default folder).
    """
    return str(_session_folder) if _session_folder is not None else None


def office(executable: str) -> Optional[Office]:
    """Return this process's Office (made on first use), or None outside a session.

    None also when DECKWRIGHT_OFFICE=spawn, or when the fast path failed to start in this
    process before (unavailable() says why).
    """
    global _office, _unavailable
    if _session_folder is None or os.environ.get(MODE_ENV, "").strip() == "spawn":
        return None
    if _office is not None and _office.folder.parent == _session_folder and _owned(_office):
        return _office
    if _unavailable is not None:
        return None
    python = uno_python(executable)
    if python is None:
        _unavailable = "no Python with LibreOffice's UNO bridge (python3-uno)"
        return None
    folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=_session_folder))
    _office = Office(folder, executable, python)
    if os.getpid() != _session_owner:
        # A pool worker: multiprocessing runs its finalizers at the worker's normal exit
        # (not atexit); a worker that is killed leaves this to the session's clean-up.
        from multiprocessing import util

        util.Finalize(None, _close_office, exitpriority=10)
    return _office


def _owned(office: Office) -> bool:
    return office.owner == os.getpid()


def mark_unavailable(reason: str) -> None:
    """Convert the old way in this process from now on (the fast path failed to start)."""
    global _unavailable
    _unavailable = reason
    _close_office()


def unavailable() -> Optional[str]:
    """Return why this process converts with one soffice per file, or None."""
    return _unavailable


def _close_office() -> None:
    global _office
    if _office is not None and _owned(_office):
        _office.close()
    _office = None


def _clean_folder(folder: Optional[Path]) -> None:
    """Kill what a crashed worker left running in the session's folder, then remove it."""
    if folder is None:
        return
    for pids in folder.glob("*/pids"):
        try:
            groups, pipe = (pids.read_text().splitlines() + ["", ""])[:2]
            for group in groups.split():
                _kill_group(int(group))
        except (OSError, ValueError):
            continue
        _remove_pipe(pipe)
    shutil.rmtree(folder, ignore_errors=True)


def _exit_on_sigterm():
    """Make SIGTERM end the session like Ctrl-C does (its clean-up runs); return the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def stop(signum, frame):
        if os.getpid() != _session_owner:
            # A forked pool worker: end at once, running no more Python (its LibreOffice
            # dies with it, and the session's clean-up removes what it left).
            os._exit(128 + signum)
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main interpreter
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, previous)
