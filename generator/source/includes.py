"""Files a deck refers to: confined to the project, read by line range or region."""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
from pathlib import Path

from generator.errors import Location, Problems, did_you_mean
from generator.source.yamlload import wide_encoding

MAX_INCLUDE_BYTES = 1024 * 1024
#: A git command that takes longer is given up (a huge or damaged repository).
GIT_TIMEOUT_S = 10.0
_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")
# A region marker is a comment of its own line, in the language's comment syntax:
# `# [start:x]`, `// [start:x]`, `-- [start:x]`, `<!-- [start:x] -->`, `/* [end:x] */`,
# `; [start:x]`, `% [start:x]`, `' [start:x]`, `REM [start:x]`. The same text inside a
# string or after code on a line is code, and stays on the slide.
_MARKER = re.compile(
    r"^\s*(?:#+|//+|--+|;+|%+|'|!|/\*+|<!--|\(\*|\{-|(?i:rem)\b|::)\s*"
    r"\[(start|end):([A-Za-z0-9_.-]+)\]"
)


def confined_path(
    relative: str, base_dir: Path, root_dir: Path, where: Location, problems: Problems
) -> Path | None:
    """Return base_dir/relative resolved, or None when it leaves root_dir or is absent."""
    if not relative or "\x00" in relative:
        problems.error(where, "empty or invalid file path")
        return None
    candidate = Path(relative)
    if candidate.is_absolute():
        problems.error(
            where, f"'{relative}' is an absolute path", "use a path relative to the content file"
        )
        return None
    try:
        resolved = (base_dir / candidate).resolve()
        root = root_dir.resolve()
        outside = resolved != root and root not in resolved.parents
        if outside:
            link = _link_out(base_dir, candidate, root)
            if link:
                problems.error(
                    where,
                    f"'{relative}' is outside the project folder {root}",
                    f"'{link}' is a symbolic link that points out of the project",
                )
            else:
                problems.error(
                    where,
                    f"'{relative}' is outside the project folder {root}",
                    "includes and images must stay inside the project",
                )
            return None
        if not resolved.exists():
            problems.error(where, f"file '{relative}' not found", _near_names(resolved))
            return None
        if resolved.is_dir():
            problems.error(where, f"'{relative}' is a folder, not a file")
            return None
        if not resolved.is_file():
            problems.error(where, f"'{relative}' is not a regular file")
            return None
    except RuntimeError:  # what resolve() raises for a symbolic link loop
        problems.error(where, f"'{relative}' is a symbolic link loop")
        return None
    except OSError as exc:
        problems.error(where, f"cannot open '{relative}': {exc.strerror or exc}")
        return None
    return resolved


def _link_out(base_dir: Path, candidate: Path, root: Path) -> str:
    """Return the first part of base_dir/candidate inside root that links out of it."""
    current = base_dir
    for part in candidate.parts:
        current = current / part
        if current.is_symlink():
            target = current.resolve()
            if target != root and root not in target.parents:
                return (
                    str(current.relative_to(base_dir)) if current.is_relative_to(base_dir) else part
                )
    return ""


def _near_names(missing: Path) -> str:
    """Return a did-you-mean hint from the files next to a missing one."""
    try:
        names = [child.name for child in missing.parent.iterdir()]
    except OSError:
        return ""
    return did_you_mean(missing.name, names)


def read_code(
    path: Path,
    relative: str,
    where: Location,
    problems: Problems,
    lines: str | None = None,
    region: str | None = None,
    *,
    symbol: str | None = None,
    language: str = "",
    data: bytes | None = None,
    revision: str = "",
) -> str | None:
    """Return the text of a code file, a 1-based inclusive line range, or a dedented part.

    The part is a region between markers or a symbol (a function, class or method,
    dotted for a method: `Judge.score`) with its decorators and the comments directly
    above it. data is the file's bytes when they come from a git revision (named by
    revision in messages). A line range that starts or ends inside a statement of a
    language deckwright can parse is a warning: the next edit of the file moves it.
    """
    shown = f"'{relative}'" + (f" at {revision}" if revision else "")
    try:
        if data is None:
            with path.open("rb") as handle:
                data = handle.read(MAX_INCLUDE_BYTES + 1)
        if len(data) > MAX_INCLUDE_BYTES:
            problems.error(
                where,
                f"{shown} is larger than {MAX_INCLUDE_BYTES:,} bytes",
                "split the file: a slide shows a few dozen lines",
            )
            return None
        encoding = wide_encoding(data)
        if encoding:
            problems.error(where, f"{shown} is {encoding} text", "save it as UTF-8")
            return None
        if b"\x00" in data:
            problems.error(where, f"{shown} is a binary file, not text")
            return None
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.error(where, f"{shown} is not UTF-8 text", "save it as UTF-8")
        return None
    except OSError as exc:
        problems.error(where, f"cannot read '{relative}': {exc.strerror or exc}")
        return None
    all_lines = text.splitlines()
    if symbol is not None:
        part = _symbol(text, symbol, language, relative, shown, where, problems)
        if part is None:
            return None
        chosen = [line for line in part if not _MARKER.search(line)]
    elif lines is not None:
        match = _RANGE.match(str(lines))
        if not match:
            problems.error(where, f"lines '{lines}' is not a range", "write it as 10-24")
            return None
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1 or last < first or last > len(all_lines):
            problems.error(
                where, f"lines {first}-{last} are outside {shown} ({len(all_lines)} lines)"
            )
            return None
        chosen = all_lines[first - 1 : last]
        _guard_range(text, first, last, language, relative, shown, where, problems)
    elif region is not None:
        found = _region(all_lines, region, shown, where, problems)
        if found is None:
            return None
        chosen = found
        if not any(line.strip() for line in chosen):
            problems.error(where, f"region '{region}' in {shown} is empty")
            return None
    else:
        chosen = [line for line in all_lines if not _MARKER.search(line)]
    return textwrap.dedent("\n".join(chosen)).strip("\n") + "\n"


def _symbol(
    text: str,
    name: str,
    language: str,
    relative: str,
    shown: str,
    where: Location,
    problems: Problems,
) -> list[str] | None:
    """Return the lines of the symbol called name (see read_code), else report why not."""
    from generator.source import syntax

    grammar = syntax.grammar_for(language, relative)
    if grammar is None:
        problems.error(
            where,
            f"'symbol' needs code deckwright can parse ({syntax.LANGUAGE_NAMES}"
            f"); this is '{language}'",
            "mark the code with a region instead",
        )
        return None
    try:
        found = syntax.symbols_anyway(text, grammar)
    except ImportError:
        problems.error(
            where,
            f"finding symbols in {grammar} code needs tree-sitter",
            "pip install tree-sitter-language-pack",
        )
        return None
    if found is None:
        problems.error(
            where,
            f"{shown} is not valid Python ({syntax.python_error(text)}), "
            f"so symbol '{name}' cannot be found in it",
            "fix the file, or use 'lines' or 'region'",
        )
        return None
    matches = found.find(name)
    if not matches:
        names = found.names()
        hint = next((f"did you mean '{n}'?" for n in names if n.endswith("." + name)), "")
        hint = (
            hint
            or did_you_mean(name, names)
            or (
                f"symbols in the file: {_listed(names)}"
                if names
                else "the file defines no function, class or method"
            )
        )
        problems.error(where, f"symbol '{name}' not found in {shown}", hint)
        return None
    if len(matches) > 1:
        at = ", ".join(str(m.start + 1) for m in matches)
        problems.error(
            where,
            f"symbol '{name}' is defined {len(matches)} times in {shown} (lines {at})",
            "use 'lines' or a 'region' to choose one",
        )
        return None
    lines = syntax.physical_lines(text)[matches[0].start : matches[0].end + 1]
    return "\n".join(lines).splitlines()  # as lines: numbers lines, \f ends one


def _listed(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _guard_range(
    text: str,
    first: int,
    last: int,
    language: str,
    relative: str,
    shown: str,
    where: Location,
    problems: Problems,
) -> None:
    """Warn when a line range starts or ends inside a statement of code deckwright parses."""
    from generator.source import syntax

    grammar = syntax.grammar_for(language, relative)
    if grammar is None:
        return
    ends = syntax.lines_cut_problem(text, grammar, first, last)
    if not ends:
        return
    name = syntax.enclosing_symbol(text, grammar, first, last)
    hint = (
        f"use 'symbol: {name}' or a 'region', which follow the code when the file changes"
        if name
        else "mark it as a 'region', which follows the code when the file changes"
    )
    problems.warn(where, f"lines {first}-{last} of {shown} {ends} inside a statement", hint)


def _region(
    all_lines: list[str], name: str, shown: str, where: Location, problems: Problems
) -> list[str] | None:
    start = end = None
    for number, line in enumerate(all_lines):
        for match in _MARKER.finditer(line):
            if match.group(2) != name:
                continue
            if match.group(1) == "start" and start is None:
                start = number
            elif match.group(1) == "end" and start is not None and end is None:
                end = number
    if start is None:
        names = sorted({m.group(2) for line in all_lines for m in _MARKER.finditer(line)})
        hint = did_you_mean(name, names) or (
            f"regions in the file: {', '.join(names)}"
            if names
            else "mark it with '# [start:NAME]' and '# [end:NAME]'"
        )
        problems.error(where, f"region '{name}' not found in {shown}", hint)
        return None
    if end is None:
        problems.error(where, f"region '{name}' in {shown} has no [end:{name}] marker")
        return None
    # Markers of other (nested) regions are not part of the snippet either.
    return [line for line in all_lines[start + 1 : end] if not _MARKER.search(line)]


def read_revision(
    relative: str,
    ref: str,
    base_dir: Path,
    root_dir: Path,
    file_where: Location,
    ref_where: Location,
    problems: Problems,
) -> tuple[bytes, str, Path] | None:
    """Return (bytes, commit id, path) of a project file as it was at a git revision.

    The revision is anything git names a commit by (a tag, a branch, a commit id,
    `HEAD~2`) except what starts with '-', which git would read as an option. The
    path is confined to the project folder by its name alone (the file may not
    exist any more), and is read from git's objects, never from the working tree:
    a symbolic link or a submodule at that revision is refused. Each git command
    runs without a shell, in the project folder, within GIT_TIMEOUT_S.
    """
    if not ref or ref.startswith("-") or any(c.isspace() or ord(c) < 32 for c in ref):
        problems.error(
            ref_where,
            f"'{ref}' is not a git revision",
            "name a tag, a branch or a commit, e.g. 'ref: v1.2'",
        )
        return None
    if not relative or "\x00" in relative or Path(relative).is_absolute():
        problems.error(file_where, f"'{relative}' is not a path relative to the content file")
        return None
    root = root_dir.resolve()
    target = Path(os.path.normpath(base_dir.resolve() / relative))
    if target != root and root not in target.parents:
        problems.error(
            file_where,
            f"'{relative}' is outside the project folder {root}",
            "includes must stay inside the project",
        )
        return None
    top = _git(["rev-parse", "--show-toplevel"], root, ref_where, problems)
    if top is None:
        return None
    commit = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"],
        root,
        ref_where,
        problems,
        quiet=True,
    )
    if commit is None:
        return None
    commit_id = commit.decode().strip()
    if not commit_id:
        known = _git(
            [
                "for-each-ref",
                "--format=%(refname:short)",
                "refs/tags",
                "refs/heads",
                "refs/remotes",
            ],
            root,
            ref_where,
            problems,
        )
        names = known.decode("utf-8", "replace").split() if known else []
        problems.error(
            ref_where,
            f"unknown git revision '{ref}' in {root}",
            did_you_mean(ref, names) or (f"tags and branches: {_listed(names)}" if names else ""),
        )
        return None
    try:
        inside = target.relative_to(Path(os.fsdecode(top).strip()).resolve()).as_posix()
    except ValueError:
        problems.error(file_where, f"'{relative}' is outside the git repository of {root}")
        return None
    listing = _git(
        ["ls-tree", "-l", "-z", "--full-tree", commit_id, "--", inside], root, ref_where, problems
    )
    if listing is None:
        return None
    entry = listing.split(b"\0")[0]
    head, _, _ = entry.partition(b"\t")
    fields = head.split()
    short = commit_id[:12]
    if len(fields) != 4:
        names = _names_at(commit_id, inside, root, ref_where, problems)
        problems.error(
            file_where,
            f"file '{relative}' not found at {ref} (commit {short})",
            did_you_mean(Path(inside).name, names),
        )
        return None
    mode, kind, blob, size = (f.decode() for f in fields)
    if kind != "blob" or mode == "120000":
        what = {"tree": "a folder", "commit": "a submodule"}.get(kind, "a symbolic link")
        problems.error(file_where, f"'{relative}' is {what} at {ref}, not a file")
        return None
    if size.isdigit() and int(size) > MAX_INCLUDE_BYTES:
        problems.error(
            file_where,
            f"'{relative}' at {ref} is larger than {MAX_INCLUDE_BYTES:,} bytes",
            "split the file: a slide shows a few dozen lines",
        )
        return None
    data = _git(["cat-file", "blob", blob], root, ref_where, problems)
    if data is None:
        return None
    return data, commit_id, target


def _names_at(
    commit: str, inside: str, root: Path, where: Location, problems: Problems
) -> list[str]:
    """Return the names in the folder of inside at a commit (for did-you-mean)."""
    folder = Path(inside).parent.as_posix()
    spec = commit + (":" + folder if folder != "." else ":")
    found = _git(["ls-tree", "-z", "--name-only", spec], root, where, problems, quiet=True)
    return [n.decode("utf-8", "replace") for n in (found or b"").split(b"\0") if n]


def _git(
    args: list[str], root: Path, where: Location, problems: Problems, *, quiet: bool = False
) -> bytes | None:
    """Return a git command's output in the project folder, else report why it failed.

    With quiet, a command that fails returns b"" (a lookup that found nothing).
    GIT_* variables of the caller are dropped so that they cannot point git
    elsewhere; git never prompts.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_LITERAL_PATHSPECS="1", LC_ALL="C"
    )
    try:
        done = subprocess.run(
            ["git", "--no-pager", *args],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError:
        problems.error(
            where,
            "'ref' reads files from git, which is not installed",
            "install git, or drop 'ref'",
        )
        return None
    except subprocess.TimeoutExpired:
        problems.error(where, f"git did not answer within {GIT_TIMEOUT_S:g} s in {root}")
        return None
    except OSError as exc:
        problems.error(where, f"cannot run git: {exc.strerror or exc}")
        return None
    if done.returncode == 0:
        return done.stdout
    if quiet:
        return b""
    message = done.stderr.decode("utf-8", "replace").strip().splitlines()
    first = message[0] if message else f"git {args[0]} failed"
    if "not a git repository" in first:
        problems.error(
            where,
            f"'ref' needs a git repository, and the project folder {root} is not in one",
            "commit the file, or drop 'ref'",
        )
    else:
        problems.error(where, f"git cannot read {root}: {first.removeprefix('fatal: ')}")
    return None
