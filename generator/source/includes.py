"""Files a deck refers to: confined to the project, read by line range or region."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from generator.errors import Location, Problems, did_you_mean
from generator.source.yamlload import wide_encoding

MAX_INCLUDE_BYTES = 1024 * 1024
_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")
# A region marker is a comment of its own line, in the language's comment syntax:
# `# [start:x]`, `// [start:x]`, `-- [start:x]`, `<!-- [start:x] -->`, `/* [end:x] */`,
# `; [start:x]`, `% [start:x]`, `' [start:x]`, `REM [start:x]`. The same text inside a
# string or after code on a line is code, and stays on the slide.
_MARKER = re.compile(r"^\s*(?:#+|//+|--+|;+|%+|'|!|/\*+|<!--|\(\*|\{-|(?i:rem)\b|::)\s*"
                     r"\[(start|end):([A-Za-z0-9_.-]+)\]")


def confined_path(relative: str, base_dir: Path, root_dir: Path, where: Location,
                  problems: Problems) -> Path | None:
    """Return base_dir/relative resolved, or None when it leaves root_dir or is absent."""
    if not relative or "\x00" in relative:
        problems.error(where, "empty or invalid file path")
        return None
    candidate = Path(relative)
    if candidate.is_absolute():
        problems.error(where, f"'{relative}' is an absolute path",
                       "use a path relative to the content file")
        return None
    try:
        resolved = (base_dir / candidate).resolve()
        root = root_dir.resolve()
        outside = resolved != root and root not in resolved.parents
        if outside:
            link = _link_out(base_dir, candidate, root)
            if link:
                problems.error(where, f"'{relative}' is outside the project folder {root}",
                               f"'{link}' is a symbolic link that points out of the project")
            else:
                problems.error(where, f"'{relative}' is outside the project folder {root}",
                               "includes and images must stay inside the project")
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
                return str(current.relative_to(base_dir)) if current.is_relative_to(
                    base_dir) else part
    return ""


def _near_names(missing: Path) -> str:
    """Return a did-you-mean hint from the files next to a missing one."""
    try:
        names = [child.name for child in missing.parent.iterdir()]
    except OSError:
        return ""
    return did_you_mean(missing.name, names)


def read_code(path: Path, relative: str, where: Location, problems: Problems,
              lines: str | None = None, region: str | None = None, *,
              symbol: str | None = None, language: str = "", data: bytes | None = None,
              revision: str = "") -> str | None:
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
            problems.error(where, f"{shown} is larger than {MAX_INCLUDE_BYTES:,} bytes",
                           "split the file: a slide shows a few dozen lines")
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
            problems.error(where, f"lines {first}-{last} are outside {shown} "
                           f"({len(all_lines)} lines)")
            return None
        chosen = all_lines[first - 1:last]
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


def _symbol(text: str, name: str, language: str, relative: str, shown: str,
            where: Location, problems: Problems) -> list[str] | None:
    """Return the lines of the symbol called name (see read_code), else report why not."""
    from generator.source import syntax

    grammar = syntax.grammar_for(language, relative)
    if grammar is None:
        problems.error(where, f"'symbol' needs code deckwright can parse ({syntax.LANGUAGE_NAMES}"
                       f"); this is '{language}'", "mark the code with a region instead")
        return None
    try:
        found = syntax.symbols_anyway(text, grammar)
    except ImportError:
        problems.error(where, f"finding symbols in {grammar} code needs tree-sitter",
                       "pip install tree-sitter-language-pack")
        return None
    if found is None:
        problems.error(where, f"{shown} is not valid Python ({syntax.python_error(text)}), "
                       f"so symbol '{name}' cannot be found in it",
                       "fix the file, or use 'lines' or 'region'")
        return None
    matches = found.find(name)
    if not matches:
        names = found.names()
        hint = next((f"did you mean '{n}'?" for n in names if n.endswith("." + name)), "")
        hint = hint or did_you_mean(name, names) or (
            f"symbols in the file: {_listed(names)}" if names else
            "the file defines no function, class or method")
        problems.error(where, f"symbol '{name}' not found in {shown}", hint)
        return None
    if len(matches) > 1:
        at = ", ".join(str(m.start + 1) for m in matches)
        problems.error(where, f"symbol '{name}' is defined {len(matches)} times in {shown} "
                       f"(lines {at})", "use 'lines' or a 'region' to choose one")
        return None
    lines = syntax.physical_lines(text)[matches[0].start:matches[0].end + 1]
    return "\n".join(lines).splitlines()  # as lines: numbers lines, \f ends one


def _listed(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _guard_range(text: str, first: int, last: int, language: str, relative: str,
                 shown: str, where: Location, problems: Problems) -> None:
    """Warn when a line range starts or ends inside a statement of code deckwright parses."""
    from generator.source import syntax

    grammar = syntax.grammar_for(language, relative)
    if grammar is None:
        return
    ends = syntax.lines_cut_problem(text, grammar, first, last)
    if not ends:
        return
    name = syntax.enclosing_symbol(text, grammar, first, last)
    hint = (f"use 'symbol: {name}' or a 'region'" if name else
            "mark it as a 'region'") + ", which follow the code when the file changes"
    problems.warn(where, f"lines {first}-{last} of {shown} {ends} inside a statement", hint)


def _region(all_lines: list[str], name: str, shown: str, where: Location,
            problems: Problems) -> list[str] | None:
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
            f"regions in the file: {', '.join(names)}" if names else
            "mark it with '# [start:NAME]' and '# [end:NAME]'")
        problems.error(where, f"region '{name}' not found in {shown}", hint)
        return None
    if end is None:
        problems.error(where, f"region '{name}' in {shown} has no [end:{name}] marker")
        return None
    # Markers of other (nested) regions are not part of the snippet either.
    return [line for line in all_lines[start + 1:end] if not _MARKER.search(line)]

