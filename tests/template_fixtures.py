"""Real company templates for the tests: LibreOffice's own, converted once and cached.

LibreOffice ships 23 designed Impress templates (.otp files in the libreoffice-common
package). `soffice --headless --convert-to potx` (or pptx) turns them into the kind of file
a company hands over: several masters, sample slides, pictures, odd slide sizes, layouts
whose placeholders have no idx. The converted files are cached under
$XDG_CACHE_HOME/deckwright-tests/templates (~/.cache/... by default), keyed by the .otp's
content and LibreOffice's version, so only the first run pays for the conversion: all the
files a session needs in one format are converted by one soffice run.

Missing LibreOffice or templates fail the test that needs them, naming the package: a
skipped test is one nobody reads. The real-world templates in ../shared/templates are an
extra: tests parametrize over those that are present, beside LibreOffice ones.

In a test module::

    CASES = [lo("Vivid"), lo("Nature_Illustration", "pptx"), *shared("officer-template.pptx")]

    @pytest.mark.parametrize("ref", CASES, ids=str)
    def test_something(ref, template_path):
        path = template_path(ref)

`lo(...)` also records the file, so that the first test to ask converts every recorded file
of its format at once. Over every template: parametrize over
`[lo(name) for name in libreoffice_template_names()]`, or call
`all_libreoffice_templates("potx")` (a dict name -> path). In a test body:
`libreoffice_templates.path("Grey Elegant", "pptx")`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from system_packages import install_hint

ROOT = Path(__file__).resolve().parent.parent
SHARED_TEMPLATES = ROOT.parent / "shared" / "templates"
FORMATS = ("potx", "pptx")
TIMEOUT = 300  # seconds for one soffice run; 23 templates take about 7 s on two cores
#: Where Impress's templates are, relative to LibreOffice's install folder, and the usual
#: install folders (Debian and Fedora packages, LibreOffice's own .deb and .rpm, macOS).
PRESNT = "share/template/common/presnt"
INSTALL_FOLDERS = (
    "/usr/lib/libreoffice",
    "/usr/lib64/libreoffice",
    "/usr/share/libreoffice",
    "/opt/libreoffice*",
    "/Applications/LibreOffice.app/Contents/Resources",
)


@dataclass(frozen=True)
class TemplateRef:
    """A template a test runs on: a LibreOffice one by name and format, or a shared file."""

    name: str  # "Vivid" (LibreOffice) or "officer-template.pptx" (../shared/templates)
    fmt: str = ""  # "potx" or "pptx" for a LibreOffice template; "" for a shared file

    @property
    def shared(self) -> bool:
        return not self.fmt

    def __str__(self) -> str:
        return self.name if self.shared else f"{self.name}.{self.fmt}"


_RECORDED: set[tuple[str, str]] = set()


def lo(name: str, fmt: str = "potx") -> TemplateRef:
    """Return a reference to LibreOffice's template `name` ("Grey Elegant" or "Grey_Elegant")
    converted to `fmt`, and record it for the session's one conversion run per format."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    ref = TemplateRef(name.replace(" ", "_"), fmt)
    _RECORDED.add((ref.name, fmt))
    return ref


def shared(*names: str) -> list[TemplateRef]:
    """Return references to those of `names` (all files when none) in ../shared/templates."""
    present = find_shared_templates()
    return [TemplateRef(name) for name in (names or present) if name in present]


def template_project(run_cli, tmp_path: Path, template: Path, theme: str) -> Path:
    """Return a project holding the bundled content and a theme made from template by
    `theme init` (through the CLI, as a user makes one)."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    (project / "deckwright.yaml").write_text("# project marker\n")
    code, _, stderr = run_cli("theme", "init", theme, "--from", template, cwd=project)
    assert code == 0, stderr
    return project


def find_shared_templates() -> dict[str, Path]:
    """Return the real-world templates of ../shared/templates by file name (often none)."""
    return {
        p.name: p
        for p in sorted(SHARED_TEMPLATES.glob("*"))
        if p.suffix in (".pptx", ".potx") and p.is_file()
    }


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail(
            "LibreOffice (soffice) is not on PATH, and this test converts its Impress "
            "templates; " + install_hint(["libreoffice-impress", "libreoffice-common"]),
            pytrace=False,
        )
    return found


def find_otp_files(soffice: str | None = None) -> dict[str, Path]:
    """Return LibreOffice's Impress templates by name ("Vivid" -> .../Vivid.otp).

    They are looked for beside the soffice on PATH first, then in the usual install folders.
    """
    soffice = soffice or _soffice()
    folders = [Path(os.path.realpath(soffice)).parent.parent / PRESNT]
    for pattern in INSTALL_FOLDERS:
        folders += sorted(Path("/").glob(pattern.lstrip("/") + "/" + PRESNT))
    for folder in folders:
        found = {p.stem: p for p in sorted(folder.glob("*.otp"))}
        if found:
            return found
    pytest.fail(
        "LibreOffice's Impress templates (*.otp) are not in any of "
        f"{', '.join(map(str, dict.fromkeys(folders)))}; " + install_hint(["libreoffice-common"]),
        pytrace=False,
    )


def libreoffice_template_names() -> list[str]:
    """Return the names of LibreOffice's Impress templates, without converting any (for
    parametrizing at collection time; fails naming the package when there are none)."""
    return sorted(find_otp_files())


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "deckwright-tests" / "templates"


class LibreOfficeTemplates:
    """LibreOffice's Impress templates as .potx and .pptx files, converted on first use."""

    def __init__(self, cache: Path | None = None, recorded: Iterable[tuple[str, str]] = ()):
        self.soffice = _soffice()
        self.otp = find_otp_files(self.soffice)
        self.cache = cache or cache_folder()
        self.recorded = set(recorded)
        self._version = ""
        self._keys: dict[str, str] = {}

    @property
    def names(self) -> list[str]:
        return sorted(self.otp)

    def path(self, name: str, fmt: str = "potx") -> Path:
        """Return the template `name` converted to `fmt`, converting it first if need be."""
        return self.paths([name], fmt)[name.replace(" ", "_")]

    def all(self, fmt: str = "potx") -> dict[str, Path]:
        """Return every LibreOffice template converted to `fmt`, by name."""
        return self.paths(self.names, fmt)

    def paths(self, names: Iterable[str], fmt: str = "potx") -> dict[str, Path]:
        """Return the templates `names` converted to `fmt`, by name.

        Every one not in the cache yet, with every recorded one of that format, is converted
        in one soffice run.
        """
        if fmt not in FORMATS:
            raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
        names = [name.replace(" ", "_") for name in names]
        unknown = [name for name in names if name not in self.otp]
        if unknown:
            folder = next(iter(self.otp.values())).parent
            pytest.fail(
                f"no LibreOffice template named {', '.join(unknown)} in {folder} "
                f"(it has {', '.join(self.names)}); the tests expect LibreOffice "
                "7.4's templates: " + install_hint(["libreoffice-common"]),
                pytrace=False,
            )
        wanted = {name: self._cached(name, fmt) for name in names}
        batch = {
            name: self._cached(name, fmt)
            for name, f in self.recorded
            if f == fmt and name in self.otp
        } | wanted
        missing = {name: path for name, path in batch.items() if not path.is_file()}
        if missing:
            self._convert(missing, fmt)
        return wanted

    def version(self) -> str:
        if not self._version:
            self._version = subprocess.run(
                [self.soffice, "--version"], capture_output=True, text=True, timeout=60
            ).stdout.strip()
        return self._version

    def _cached(self, name: str, fmt: str) -> Path:
        """Return where the cache keeps `name` in `fmt`: keyed by the .otp and the version."""
        if name not in self._keys:
            digest = hashlib.sha256(self.otp[name].read_bytes())
            digest.update(self.version().encode())
            self._keys[name] = digest.hexdigest()[:16]
        return self.cache / f"{name}-{self._keys[name]}.{fmt}"

    def _convert(self, targets: dict[str, Path], fmt: str) -> None:
        """Convert the .otp files of `targets` to `fmt` in one soffice run, into the cache."""
        self.cache.mkdir(parents=True, exist_ok=True)
        # The output folder is inside the cache, so that files move into place atomically
        # (another pytest process may be converting the same files: the last one wins).
        with tempfile.TemporaryDirectory(prefix=".convert-", dir=self.cache) as work:
            profile = Path(work, "profile").as_uri()  # a throw-away LibreOffice profile
            command = [
                self.soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                fmt,
                "--outdir",
                work,
                *(str(self.otp[name]) for name in sorted(targets)),
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
                stdout, stderr = process.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.communicate()
                pytest.fail(
                    f"LibreOffice took longer than {TIMEOUT} s to convert "
                    f"{len(targets)} templates to .{fmt}",
                    pytrace=False,
                )
            failed = []
            for name, target in targets.items():
                produced = Path(work, f"{self.otp[name].stem}.{fmt}")
                if produced.is_file() and produced.stat().st_size:
                    os.replace(produced, target)
                else:
                    failed.append(name)
            if failed:
                detail = (stderr or stdout).decode(errors="replace").strip()
                pytest.fail(
                    f"LibreOffice did not convert {', '.join(failed)} to .{fmt} "
                    f"(exit {process.returncode}): {detail[-500:]}",
                    pytrace=False,
                )


_SESSION: LibreOfficeTemplates | None = None


def libreoffice_session() -> LibreOfficeTemplates:
    """Return the process's LibreOfficeTemplates, made on first use."""
    global _SESSION
    if _SESSION is None:
        _SESSION = LibreOfficeTemplates(recorded=_RECORDED)
    _SESSION.recorded |= _RECORDED  # modules imported since
    return _SESSION


def all_libreoffice_templates(fmt: str = "potx") -> dict[str, Path]:
    """Return every LibreOffice Impress template converted to `fmt` (cached), by name."""
    return libreoffice_session().all(fmt)


@pytest.fixture(scope="session")
def libreoffice_templates() -> LibreOfficeTemplates:
    """LibreOffice's templates: .path(name, fmt), .paths(names, fmt), .all(fmt), .names."""
    return libreoffice_session()


@pytest.fixture(scope="session")
def shared_templates() -> dict[str, Path]:
    """The real-world templates of ../shared/templates by file name; empty when absent."""
    return find_shared_templates()


@pytest.fixture(scope="session")
def template_path():
    """Return a function from a TemplateRef (lo(...) or shared(...)) to its file."""

    def resolve(ref: TemplateRef) -> Path:
        if ref.shared:
            return SHARED_TEMPLATES / ref.name
        return libreoffice_session().path(ref.name, ref.fmt)

    return resolve
