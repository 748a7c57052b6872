"""PDF through LibreOffice headless, with a throw-away profile and a time limit.

Inside an office.session() (a batch or a watch) the conversions of a process share one
LibreOffice (see office.py); otherwise, or when that cannot start, each conversion
starts soffice afresh. Both paths keep the time limit and write the PDF atomically.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import DeckwrightError, Location, Problem

INSTALL_HINT = (
    "install LibreOffice: apt-get install libreoffice-impress "
    "(macOS: brew install --cask libreoffice)"
)
if TYPE_CHECKING:
    from generator.writers.office import Office

DEFAULT_TIMEOUT = 180
#: Seconds one conversion may take (default DEFAULT_TIMEOUT).
TIMEOUT_ENV = "DECKWRIGHT_PDF_TIMEOUT"


def soffice() -> str | None:
    """Return the LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def time_limit() -> float:
    """Return the seconds a conversion may take: DECKWRIGHT_PDF_TIMEOUT, else DEFAULT_TIMEOUT."""
    try:
        seconds = float(os.environ.get(TIMEOUT_ENV, ""))
    except ValueError:
        return DEFAULT_TIMEOUT
    return seconds if 0 < seconds < 10**6 else DEFAULT_TIMEOUT


def took_too_long(pptx: Path, timeout: float) -> DeckwrightError:
    return DeckwrightError(
        [Problem(Location(str(pptx)), f"LibreOffice took longer than {timeout:g} s")]
    )


def could_not_convert(pptx: Path, detail: str) -> DeckwrightError:
    return DeckwrightError(
        [
            Problem(
                Location(str(pptx)),
                "LibreOffice could not convert the deck" + (f": {detail}" if detail else ""),
            )
        ]
    )


def warm_up() -> None:
    """Launch the session's LibreOffice, if it has one and it is not running, without
    waiting: the first conversion then finds it started. Failures wait for that
    conversion, which reports them or falls back to one soffice per file."""
    executable = soffice()
    if executable is None:
        return
    from generator.writers import office

    server = office.office(executable)
    if server is not None:
        try:
            server.launch()
        except (OSError, office.Unavailable):
            pass


def convert_to_pdf(pptx: Path, pdf: Path, timeout: float | None = None) -> Path:
    """Convert pptx to pdf (written atomically); raise DeckwrightError when that fails."""
    timeout = time_limit() if timeout is None else timeout
    executable = soffice()
    if executable is None:
        raise DeckwrightError(
            [
                Problem(
                    Location(str(pdf)),
                    "PDF output needs LibreOffice (soffice), which is not on PATH",
                    INSTALL_HINT,
                )
            ]
        )
    from generator.writers import office

    server = office.office(executable)
    if server is not None:
        try:
            return _convert_with(server, pptx, pdf, timeout)
        except office.Unavailable as exc:
            office.mark_unavailable(str(exc))
    return _convert_alone(executable, pptx, pdf, timeout)


def _convert_with(server: Office, pptx: Path, pdf: Path, timeout: float) -> Path:
    """Convert through the session's running LibreOffice (see office.py)."""
    from generator.writers import office
    from generator.writers.save import atomic_write

    with tempfile.TemporaryDirectory(prefix="deckwright-lo-", dir=office.scratch()) as work:
        produced = Path(work, pptx.with_suffix(".pdf").name)
        try:
            server.convert(pptx, produced, timeout)
        except office.TimedOut:
            raise took_too_long(pptx, timeout) from None
        except office.ConversionFailed as exc:
            raise could_not_convert(pptx, str(exc)) from None
        if not produced.exists():
            raise could_not_convert(pptx, "it wrote no PDF")
        atomic_write(pdf, produced.read_bytes())
    return pdf


def _convert_alone(executable: str, pptx: Path, pdf: Path, timeout: float) -> Path:
    """Convert with a soffice of its own, started and ended for this one deck."""
    with tempfile.TemporaryDirectory(prefix="deckwright-lo-") as work:
        # A profile per conversion: parallel soffice processes sharing one profile clash.
        profile = Path(work, "profile").as_uri()
        command = [
            executable,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            work,
            str(pptx.resolve()),
        ]
        # A session of its own, so a time-out can end soffice.bin too, not just its wrapper.
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "HOME": work, "TMPDIR": work},
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:  # it ended just as time ran out
                pass
            process.communicate()
            raise took_too_long(pptx, timeout) from None
        produced = Path(work, pptx.with_suffix(".pdf").name)
        if process.returncode != 0 or not produced.exists():
            detail = (stderr or stdout).decode(errors="replace").strip().splitlines()
            raise could_not_convert(pptx, detail[-1] if detail else "")
        from generator.writers.save import atomic_write

        atomic_write(pdf, produced.read_bytes())
    return pdf
