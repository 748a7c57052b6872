"""Batch builds: every content file times every theme, built in parallel processes.

plan_jobs() turns the command line's contents and themes into Jobs (`all`
expands to every theme available_themes() finds for that content), run()
builds them and returns one Outcome per job, in job order. A deck that fails
does not stop the others: its problems travel back in its Outcome, and so does
a crash (a bug), as the one line of an InternalError. Everything crossing the
process boundary is a plain dataclass, Path, Problem or that error, so it pickles.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from generator.api import FORMATS, BuildResult, FolderPath, display_path, output_path
from generator.errors import DeckwrightError, InternalError, Problem, debugging

ALL_THEMES = "all"


class BatchError(ValueError):
    """The jobs asked for cannot run together (two decks would write one file)."""


@dataclass(frozen=True)
class Job:
    """One deck to build: a content file with one theme (None: the content's own)."""

    content: Path
    theme: Optional[str] = None
    formats: tuple[str, ...] = ("pptx",)
    variables: tuple[tuple[str, str], ...] = ()
    output: Optional[Path] = None
    out_dir: Path = Path("output")
    strict: bool = False
    fitting: bool = True
    with_notes: bool = False  # speaker notes in the Markdown article

    @property
    def label(self) -> str:
        """Return `content/talk.yaml` or `content/talk.yaml (theme dark)` for messages."""
        shown = display_path(self.content)
        return f"{shown} (theme {self.theme})" if self.theme else shown


@dataclass
class Outcome:
    """What became of one job: its BuildResult, or the problems (or the crash) that stopped it."""

    job: Job
    result: Optional[BuildResult] = None
    problems: list[Problem] = field(default_factory=list)
    crash: Optional[InternalError] = None  # the build raised: a bug, exit code 70

    @property
    def ok(self) -> bool:
        return self.result is not None

    def lines(self) -> list[str]:
        """Return the lines that say why the job failed: its problems, or its crash."""
        return [str(problem) for problem in self.problems] + (
            self.crash.lines() if self.crash is not None else []
        )


def expand_themes(themes: Sequence[str], content: Path) -> list[Optional[str]]:
    """Return the themes to build content with; `all` is every theme found for it.

    No themes means [None]: the content's own theme, output named `<stem>.pptx`.
    """
    if not themes:
        return [None]
    from generator.source.content import project_root
    from generator.theme.load import available_themes

    names: list[str] = []
    for theme in themes:
        if theme == ALL_THEMES:
            names.extend(name for name, _ in available_themes(project_root(content)))
        else:
            names.append(theme)
    return list(dict.fromkeys(names))


def plan_jobs(
    contents: Sequence[Path],
    themes: Sequence[str] = (),
    *,
    formats: Sequence[str] = ("pptx",),
    variables: Mapping[str, str] | None = None,
    output: Optional[Path] = None,
    out_dir: Path = Path("output"),
    strict: bool = False,
    fitting: bool = True,
    with_notes: bool = False,
) -> list[Job]:
    """Return one Job per content file and theme, in the order given.

    With one job, output may name a file; with several it is the output folder.
    The other options go to api.build unchanged. Raise BatchError when
    output names a file for several decks, or when two jobs would write the same
    file (two contents with one stem).
    """
    pairs = [
        (content, theme)
        for content in dict.fromkeys(contents)
        for theme in expand_themes(themes, content)
    ]
    single = len(pairs) == 1
    if (
        not single
        and output is not None
        and not isinstance(output, FolderPath)
        and output.suffix.lower().lstrip(".") in FORMATS
    ):
        raise BatchError(
            f"--output {output} names a file, but {len(pairs)} decks build; give a folder"
        )
    variable_pairs = tuple((variables or {}).items())
    jobs = [
        Job(
            content,
            theme,
            tuple(formats),
            variable_pairs,
            output=output if single else None,
            out_dir=out_dir if single or output is None else output,
            strict=strict,
            fitting=fitting,
            with_notes=with_notes,
        )
        for content, theme in pairs
    ]
    targets: dict[Path, Job] = {}
    for job in jobs:
        target = output_path(job.content, job.out_dir, job.theme, "pptx").resolve()
        if not single and target in targets:
            raise BatchError(
                f"{targets[target].label} and {job.label} would both write "
                f"{display_path(target.with_suffix(''))}.*"
            )
        targets[target] = job
    return jobs


def missing_tools(formats: Sequence[str]) -> list[str]:
    """Return one line per external program the formats need that is not installed."""
    from generator.writers import pdf

    missing = []
    if ("pdf" in formats or "png" in formats) and pdf.soffice() is None:
        missing.append(
            "PDF and PNG output need LibreOffice (soffice), which is not on PATH "
            f"({pdf.INSTALL_HINT})"
        )
    return missing


def build_job(job: Job) -> Outcome:
    """Build one job; return its Outcome with the problems when it fails."""
    from generator import api

    try:
        result = api.build(
            job.content,
            theme=job.theme,
            variables=dict(job.variables),
            output=job.output,
            out_dir=job.out_dir,
            formats=job.formats,
            strict=job.strict,
            fitting=job.fitting,
            with_notes=job.with_notes,
        )
    except DeckwrightError as exc:
        return Outcome(job, None, list(exc.problems))
    return Outcome(job, result)


def guarded_build(job: Job) -> Outcome:
    """Build one job like build_job; a crash becomes the Outcome's one InternalError line.

    Users never see a traceback, and one deck's crash does not take the others (or a
    watch) down. With DECKWRIGHT_DEBUG=1 the crash is raised instead.
    """
    try:
        return build_job(job)
    except Exception as exc:  # noqa: BLE001 - reported as this deck's failure
        if debugging():
            raise
        return crashed(job, exc)


def crashed(job: Job, exc: BaseException) -> Outcome:
    """Return the Outcome of a job whose build raised exc: one line naming the deck and bug."""
    return Outcome(job, crash=InternalError.from_exception(exc, display_path(job.content)))


# The pipeline's modules, imported once before the pool starts: forked workers
# inherit them instead of each importing python-pptx and the stages again.
_PIPELINE_MODULES = (
    "generator.source.content",
    "generator.theme.load",
    "generator.layout.frames",
    "generator.layout.planner",
    "generator.writers.export",
    "generator.writers.pptx_writer",
)


def _preload() -> None:
    import importlib

    for name in _PIPELINE_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # a stage renamed: the workers import what they need
            pass


def run(
    jobs: Sequence[Job],
    workers: Optional[int] = None,
    on_done: Optional[Callable[[Outcome], None]] = None,
) -> list[Outcome]:
    """Build every job and return their Outcomes in job order.

    workers defaults to the number of cores. One job, or one worker, builds in
    this process (no pool to start); more use a ProcessPoolExecutor. on_done is
    called in this process as each job finishes, in the order they finish.
    """
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    outcomes: list[Optional[Outcome]] = [None] * len(jobs)
    with _office_session(jobs):
        _run(jobs, workers, outcomes, on_done)
    return [outcome for outcome in outcomes if outcome is not None]


def _office_session(jobs: Sequence[Job]) -> AbstractContextManager[None]:
    """Return a session sharing LibreOffice between a process's conversions, when any has one."""
    if any("pdf" in job.formats or "png" in job.formats for job in jobs):
        from generator.writers.office import session

        return session()
    return nullcontext()


def _run(
    jobs: Sequence[Job],
    workers: int,
    outcomes: list[Optional[Outcome]],
    on_done: Optional[Callable[[Outcome], None]],
) -> None:

    def finish(index: int, outcome: Outcome) -> None:
        outcomes[index] = outcome
        if on_done is not None:
            on_done(outcome)

    if len(jobs) == 1 or workers == 1:
        for index, job in enumerate(jobs):
            finish(index, guarded_build(job))
    else:
        try:
            _run_in_pool(jobs, workers, finish)
        except OSError:  # no process pool here (no /dev/shm, no processes left): in turn
            for index, job in enumerate(jobs):
                if outcomes[index] is None:
                    finish(index, guarded_build(job))


def _run_in_pool(jobs: Sequence[Job], workers: int, finish: Callable[[int, Outcome], None]) -> None:
    """Build the jobs in a ProcessPoolExecutor, calling finish(index, outcome) as each ends.

    Raise OSError when the pool cannot start its processes or queues.
    """
    # Here, not at the top: a single build never pays for importing multiprocessing.
    from concurrent.futures import Future, ProcessPoolExecutor, as_completed

    _preload()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures: dict[Future[Outcome], int] = {
            pool.submit(guarded_build, job): index for index, job in enumerate(jobs)
        }
        try:
            for future in as_completed(futures):
                index = futures[future]
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - e.g. a worker killed by the OS
                    if debugging():
                        raise
                    outcome = crashed(jobs[index], exc)
                finish(index, outcome)
        except BaseException:
            # Ctrl-C or SIGTERM: end the workers now instead of letting them finish the
            # decks already queued; each stops its LibreOffice on the way out. (shutdown()
            # forgets the processes: take them first.)
            running = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in running:
                process.terminate()
            for process in running:
                process.join(timeout=10)
            raise


def timed_run(
    jobs: Sequence[Job],
    workers: Optional[int] = None,
    on_done: Optional[Callable[[Outcome], None]] = None,
) -> tuple[list[Outcome], float]:
    """Return run()'s outcomes and the wall-clock seconds the batch took."""
    started = time.perf_counter()
    outcomes = run(jobs, workers, on_done)
    return outcomes, time.perf_counter() - started
