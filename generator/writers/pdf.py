"""PDF through LibreOffice headless, with a throw-away profile and a time limit."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from generator.errors import DeckwrightError, Location, Problem

INSTALL_HINT = (
    "install LibreOffice: apt-get install libreoffice-impress "
    "(macOS: brew install --cask libreoffice)"
)
DEFAULT_TIMEOUT = 180


def soffice() -> str | None:
    """Return the LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(pptx: Path, pdf: Path, timeout: int = DEFAULT_TIMEOUT) -> Path:
    """Convert pptx to pdf (written atomically); raise DeckwrightError when that fails."""
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
            env={**os.environ, "HOME": work},
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
            raise DeckwrightError(
                [Problem(Location(str(pptx)), f"LibreOffice took longer than {timeout} s")]
            ) from None
        produced = Path(work, pptx.with_suffix(".pdf").name)
        if process.returncode != 0 or not produced.exists():
            detail = (stderr or stdout).decode(errors="replace").strip().splitlines()
            raise DeckwrightError(
                [
                    Problem(
                        Location(str(pptx)),
                        "LibreOffice could not "
                        "convert the deck" + (f": {detail[-1]}" if detail else ""),
                    )
                ]
            )
        from generator.writers.save import atomic_write

        atomic_write(pdf, produced.read_bytes())
    return pdf
