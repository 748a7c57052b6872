"""LibreOffice's 23 designed Impress templates as .potx and .pptx, for tests.

LibreOffice ships them as .otp; one soffice run per format converts them all (seconds of
start-up each), into ~/.cache/deckwright-tests (or $DECKWRIGHT_TEST_CACHE) under the
SHA-256 of each .otp, so later runs convert nothing. Copies already at /tmp/otp/FORMAT/
(made with the same soffice command) are used as they are.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

OTP_GLOB = "/usr/lib/libreoffice/share/template/common/presnt/*.otp"
PREMADE = Path("/tmp/otp")
FORMATS = ("potx", "pptx")


def otp_files() -> list[Path]:
    """Return LibreOffice's Impress templates (.otp), sorted; empty without LibreOffice."""
    from glob import glob

    return sorted(Path(p) for p in glob(OTP_GLOB))


def cache_root() -> Path:
    base = os.environ.get("DECKWRIGHT_TEST_CACHE") or Path.home() / ".cache" / "deckwright-tests"
    return Path(base) / "lo-templates"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:20]


def libreoffice_templates(fmt: str) -> dict[str, Path]:
    """Return {name: converted template} for every .otp, in `fmt` ("potx" or "pptx").

    Empty when LibreOffice or its templates are missing. A template soffice fails to
    convert is left out (the caller compares with otp_files() if that matters).
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}")
    sources = otp_files()
    premade = {p.stem: PREMADE / fmt / f"{p.stem}.{fmt}" for p in sources}
    if sources and all(path.is_file() for path in premade.values()):
        return premade
    found = {p.stem: cache_root() / _digest(p) / f"{p.stem}.{fmt}" for p in sources}
    missing = [p for p in sources if not found[p.stem].is_file()]
    if missing and shutil.which("soffice"):
        _convert(missing, fmt, found)
    return {name: path for name, path in found.items() if path.is_file()}


def _convert(sources: list[Path], fmt: str, targets: dict[str, Path]) -> None:
    """Convert every source in one soffice run with a throw-away profile; move into the cache."""
    with tempfile.TemporaryDirectory(prefix="deckwright-lo-") as work:
        out = Path(work) / "out"
        profile = Path(work) / "profile"
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                fmt,
                "--outdir",
                str(out),
                *map(str, sources),
            ],
            check=False,
            capture_output=True,
            timeout=600,
            env={**os.environ, "HOME": work},
        )
        for source in sources:
            made = out / f"{source.stem}.{fmt}"
            if made.is_file():
                target = targets[source.stem]
                target.parent.mkdir(parents=True, exist_ok=True)
                temp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
                shutil.copyfile(made, temp)
                os.replace(temp, target)  # another run converting at once writes the same
