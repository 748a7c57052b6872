"""The deckwright command line: parse options, call the API, print. Nothing else."""

from __future__ import annotations

import errno
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from generator import __version__
from generator.errors import DeckwrightError, InternalError, debugging


def _report(problems, *, err: bool = True, seen: set[str] | None = None) -> None:
    """Print one line a problem (or line); with seen, a line printed before is not repeated."""
    for problem in problems:
        line = str(problem)
        if seen is not None:
            if line in seen:
                continue
            seen.add(line)
        click.echo(line, err=err)


def _variables(values: tuple[str, ...]) -> dict[str, str]:
    from generator.source.content import parse_var

    result = {}
    for value in values:
        pair = parse_var(value)
        if pair is None:
            raise click.BadParameter(f"'{value}' is not KEY=VALUE", param_hint="--var")
        result[pair[0]] = pair[1]
    return result


def _contents(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        return list(paths)
    found = sorted(Path("content").glob("*.yaml"))
    if not found:
        raise click.UsageError("no CONTENT given and no content/*.yaml here")
    return found


def _exit_if_tools_missing(formats: tuple[str, ...]) -> None:
    """Print a line per program the formats need that is not installed, then exit 1."""
    from generator import batch

    missing = batch.missing_tools(formats)
    if missing:
        for line in missing:
            click.echo(f"error: {line}", err=True)
        sys.exit(DeckwrightError.exit_code)


def _exit(*, problems: bool = False, crashed: bool = False) -> None:
    """Exit with the code of the worst thing already printed: a crash, problems, or 0."""
    sys.exit(InternalError.exit_code if crashed else DeckwrightError.exit_code if problems else 0)


class GuardedGroup(click.Group):
    """A click group whose commands never end in a traceback.

    DeckwrightError prints its problems and exits 1. Any other exception is a bug:
    one line saying so, exit 70, or with DECKWRIGHT_DEBUG=1 the exception itself.
    click's own errors (usage: exit 2), exits, Ctrl-C and a closed pipe pass through
    to click, which handles them. Groups made with .group() are guarded too.
    """

    group_class = type  # click: subgroups are GuardedGroups as well

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # Exit and Abort are RuntimeErrors: not ours to report
        except DeckwrightError as exc:
            error: DeckwrightError | InternalError = exc
        except OSError as exc:
            if exc.errno == errno.EPIPE or debugging():  # `deckwright themes | head -1`
                raise
            error = InternalError.from_exception(exc)
        except Exception as exc:
            if debugging():
                raise
            error = InternalError.from_exception(exc)
        for line in error.lines():
            click.echo(line, err=True)
        ctx.exit(error.exit_code)


PROGRESS_OVER = 3  # decks; a bar for fewer only flickers

content_argument = click.argument("content", nargs=-1, type=click.Path(path_type=Path))
theme_option = click.option(
    "-t",
    "--theme",
    "themes",
    multiple=True,
    metavar="NAME|PATH",
    help="Theme name or path (repeat, or 'all', to build several).",
)
var_option = click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a variable of the content (repeatable).",
)


def output_options(command):
    """Add the options build and watch share: output, formats, vars, strict, notes."""
    options = [
        click.option(
            "-o",
            "--output",
            type=click.Path(path_type=Path),
            help="Output file (one deck, one format) or folder. Default: output/.",
        ),
        click.option(
            "-f",
            "--format",
            "formats",
            multiple=True,
            type=click.Choice(["pptx", "pdf", "md", "png"]),
            help="Output format (repeatable). png: output/<stem>/slide-01.png... "
            "and output/<stem>-contact.png.",
        ),
        var_option,
        click.option("--strict", is_flag=True, help="Treat fit warnings as errors."),
        click.option(
            "--with-notes",
            is_flag=True,
            help="Put the speaker notes into the Markdown article (-f md).",
        ),
        click.option("--no-fit", is_flag=True, hidden=True, help="Skip fitting (for tests)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="deckwright")
def main() -> None:
    """Turn talks written as YAML into native, editable PowerPoint decks."""
    import gc

    # A build allocates a great many small objects that live until it ends; collecting
    # every 700 allocations cost 20% of a large build and gave no memory back.
    gc.set_threshold(100_000, 50, 100)


@main.command()
@content_argument
@theme_option
@output_options
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Decks to build at once, in parallel processes. Default: the number of cores.",
)
def build(content, themes, output, formats, variables, strict, jobs, with_notes, no_fit) -> None:
    """Build decks from CONTENT files (default: content/*.yaml) into output/.

    Every CONTENT is built with every --theme (`--theme all`: every theme found).
    """
    from generator import batch

    values = _variables(variables)
    formats = formats or ("pptx",)
    try:
        planned = batch.plan_jobs(
            _contents(content),
            themes,
            formats=formats,
            variables=values,
            output=output,
            strict=strict,
            fitting=not no_fit,
            with_notes=with_notes,
        )
    except batch.BatchError as exc:
        raise click.UsageError(str(exc)) from None
    _exit_if_tools_missing(formats)
    if len(planned) > PROGRESS_OVER:
        with click.progressbar(
            length=len(planned),
            label=f"Building {len(planned)} decks",
            file=sys.stderr,
            show_pos=True,
        ) as bar:
            outcomes, seconds = batch.timed_run(planned, jobs, lambda _: bar.update(1))
    else:
        outcomes, seconds = batch.timed_run(planned, jobs)
    for outcome in outcomes:
        if outcome.ok:
            _report_outcome(outcome)
    failed = [outcome for outcome in outcomes if not outcome.ok]
    if len(outcomes) > 1:
        click.echo(
            f"{len(outcomes) - len(failed)} of {len(outcomes)} decks built in {seconds:.2f} s",
            err=True,
        )
    for outcome in failed:
        if len(outcomes) > 1:
            click.echo(f"failed: {outcome.job.label}", err=True)
        _report(outcome.lines())
    _exit(problems=bool(failed), crashed=any(outcome.crash for outcome in outcomes))


@main.command()
@content_argument
@theme_option
@var_option
@click.option(
    "--outputs",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Also report decks in this folder that are stale against their sources.",
)
@click.option("--strict", is_flag=True, help="Treat fit warnings as problems.")
def check(content, themes, variables, outputs, strict) -> None:
    """Validate content, theme, includes and fit without writing a deck.

    With --outputs DIR, also name every deck in DIR whose inputs changed since it was
    built (one line a deck); without CONTENT that checks content/*.yaml when there is any.
    """
    from generator import api, batch

    values = _variables(variables)
    problems_found = False
    paths = (
        _contents(content) if content or outputs is None else sorted(Path("content").glob("*.yaml"))
    )
    # Themes that share a parent, and decks that share a theme, find the same problems:
    # each is printed once.
    seen: set[str] = set()
    valid: list[tuple[Path, str | None]] = []  # the decks that could be built
    for path in paths:
        for theme in batch.expand_themes(themes, path):
            try:
                warnings = api.check(path, theme=theme, variables=values, strict=strict)
            except DeckwrightError as exc:
                _report(exc.problems, seen=seen)
                problems_found = True
                continue
            _report(warnings, err=False, seen=seen)
            valid.append((path, theme))
    if outputs is not None and _report_stale(outputs, valid):
        problems_found = True
    _exit(problems=problems_found)


def _report_stale(folder: Path, contents: Sequence[tuple[Path, str | None]] = ()) -> bool:
    """Print one line per stale or missing output in folder; return whether there is any.

    The deck of contents (content file, theme) is missing when no output in folder was
    built from that content file and its default name (`<stem>-<theme>.pptx` for a
    theme asked for) is not there either.
    """
    from generator import api, sync

    statuses = list(sync.stale_decks(folder, api.display_path))
    stale = False
    built = {  # the content files some deck in folder was built from, under any name
        status.content
        for status in statuses
        if status.content is not None and status.path.suffix.lower() == ".pptx"
    }
    for content, theme in contents:
        expected = api.output_path(content, folder, theme, "pptx")
        if expected.exists() or (theme is None and content.resolve() in built):
            continue
        click.echo(
            f"{api.display_path(expected)}: missing: {api.display_path(content)} "
            "has not been built here"
        )
        stale = True
    for status in statuses:
        shown = api.display_path(status.path)
        if not status.fingerprinted and status.path.suffix.lower() != ".pptx":
            continue  # an article or PDF without a fingerprint: not an output of ours
        if not status.fingerprinted:
            click.echo(
                f"{shown}: warning: no deckwright fingerprint, cannot tell whether "
                "it is stale (build it with deckwright)"
            )
        elif status.stale:
            click.echo(f"{shown}: stale: {', '.join(status.reasons)}")
            stale = True
    return stale


@main.command()
@content_argument
@theme_option
@output_options
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=0.5,
    hidden=True,
    help="Seconds between polls.",
)
def watch(
    content, themes, output, formats, variables, strict, with_notes, interval, no_fit
) -> None:
    """Build decks like `build`, then rebuild each one when a file it read changes.

    Watches every content file, include, image, theme file, template and logo a
    deck was built from; without CONTENT, content/*.yaml files that appear are
    built too. Errors are printed and the watch goes on; Ctrl-C stops it.
    """
    from generator import batch
    from generator import watch as watcher

    values = _variables(variables)
    formats = formats or ("pptx",)
    _exit_if_tools_missing(formats)
    planned: list = []

    def jobs() -> list:
        try:
            planned[:] = batch.plan_jobs(
                _contents(content),
                themes,
                formats=formats,
                variables=values,
                output=output,
                strict=strict,
                fitting=not no_fit,
                with_notes=with_notes,
            )
        except (batch.BatchError, click.UsageError) as exc:
            if not planned:  # nothing to watch yet: a usage error, as in build
                raise click.UsageError(
                    str(exc.message if isinstance(exc, click.UsageError) else exc)
                ) from None
        return planned  # keep watching the decks already known

    try:
        watcher.run(
            jobs, _report_outcome, notice=lambda line: click.echo(line, err=True), interval=interval
        )
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)
    sys.exit(0)


def _report_outcome(outcome) -> None:
    """Print a build's lines: warnings, then each output with its slides and seconds.

    A failed build prints its problems.
    """
    from generator import api

    if outcome.result is None:
        _report(outcome.lines())
        return
    result = outcome.result
    _report(result.problems.warnings)
    for written in result.outputs:
        click.echo(f"{api.display_path(written)}  {result.slides} slides  {result.seconds:.2f} s")


@main.command()
def themes() -> None:
    """List the themes deckwright can find: ./themes first, then the bundled ones."""
    from generator.theme.load import available_themes

    for name, _folder in available_themes():
        click.echo(name)


@main.group("theme")
def theme_group() -> None:
    """Make themes from a company's PowerPoint template."""


@theme_group.command("init")
@click.argument("name")
@click.option(
    "--from",
    "source",
    required=True,
    metavar="FILE.pptx|.potx",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The company's template to read colours, fonts and layouts from.",
)
def theme_init(name, source) -> None:
    """Scaffold themes/NAME/ from a template and print the mapping it chose."""
    from generator.theme_init import init_theme

    result = init_theme(name, source)  # a DeckwrightError is printed by the group
    for line in result.summary():
        click.echo(line)


@theme_group.command("preview")
@click.argument("name")
def theme_preview(name) -> None:
    """Build a specimen deck of every slide kind with theme NAME (a name or a path) and its
    contact sheet: output/preview-NAME.pptx and output/preview-NAME-contact.png."""
    from generator import api
    from generator.batch import missing_tools
    from generator.errors import DeckwrightError
    from generator.preview import preview_theme

    missing = missing_tools(("png",))
    try:
        result = preview_theme(name, pictures=not missing)
    except DeckwrightError as exc:
        _report(exc.problems)
        sys.exit(1)
    _report(result.problems)
    click.echo(f"{api.display_path(result.deck)}  {result.slides} slides  {result.seconds:.2f} s")
    if result.contact_sheet is not None:
        click.echo(
            f"{api.display_path(result.contact_sheet)}  every kind: {', '.join(result.kinds)}"
        )
    for line in missing:
        click.echo(f"error: no contact sheet: {line}", err=True)
    if missing:
        sys.exit(1)
