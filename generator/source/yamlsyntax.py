"""YAML syntax errors in the user's words: where the problem starts, what it is, a hint.

PyYAML reports "while scanning a quoted scalar ... found unexpected end of stream" at
the end of the file; the user needs "this quoted text is never closed" at the quote.
"""

from __future__ import annotations

from typing import Any

import yaml

from generator.errors import Location

_OPENERS = {
    "while parsing a flow sequence": ("[", "]", "list"),
    "while parsing a flow mapping": ("{", "}", "mapping"),
}


def syntax_problem(
    exc: yaml.MarkedYAMLError, text: str, display: str, max_depth: int
) -> tuple[Location, str, str]:
    """Return where, what and a hint for a YAML syntax error, in the user's words.

    max_depth is the loader's nesting limit, named when libyaml refuses deeper nesting.
    """
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark

    def at(which: Any) -> Location:
        chosen = which or mark
        return (
            Location(display, chosen.line + 1, chosen.column + 1)
            if chosen
            else Location(display, 1, 1)
        )

    if "'\\t'" in problem:
        return at(exc.problem_mark), "tab character used for indentation", "indent with spaces"
    if "quoted scalar" in context and "end of stream" in problem:
        quote = _char_at(text, exc.context_mark) or '"'
        return (
            at(exc.context_mark),
            "this quoted text is never closed",
            f"add the closing {quote}",
        )
    if context in _OPENERS and problem.startswith("expected ','"):
        opener, closer, what = _OPENERS[context]
        return (
            at(exc.context_mark),
            f"the {what} opened here with '{opener}' is not closed",
            f"close it with '{closer}', and separate items with ','",
        )
    if problem.startswith(("found unknown escape character", "expected escape sequence")):
        char = problem.split("'")[1] if problem.startswith("found") else ""
        what = f"unknown escape '\\{char}'" if char else "invalid escape sequence"
        return (
            at(exc.problem_mark),
            f"{what} in double quotes",
            "use single quotes, or write \\\\ for a backslash",
        )
    if problem == "mapping values are not allowed here":
        return (
            at(exc.problem_mark),
            "unexpected ':' in a value",
            "put text that holds ': ' in quotes, or check the indentation",
        )
    if problem.startswith("could not find expected ':'"):
        return (
            at(exc.context_mark),
            "expected 'key: value' on this line",
            "add ':' after the key, or put the text in quotes",
        )
    if problem.endswith("that cannot start any token"):
        char = problem.split("'")[1] if "'" in problem else "this character"
        return (
            at(exc.problem_mark),
            f"a plain value cannot start with '{char}'",
            "put the value in quotes",
        )
    if "maximum nesting depth" in problem:
        return (
            at(exc.problem_mark),
            f"lists and mappings nest more than {max_depth} levels deep",
            "",
        )
    if problem.startswith("expected <block end>"):
        return (
            at(exc.problem_mark),
            "this line is not indented like the lines around it",
            "indent the items of one list or mapping by the same number of spaces",
        )
    if problem.startswith("found undefined alias"):
        name = problem.split("'")[1] if "'" in problem else ""
        return (
            at(exc.problem_mark),
            f"alias '*{name}' refers to no anchor",
            f"define '&{name}' before it",
        )
    if context == "expected a single document in the stream":
        return (
            at(exc.problem_mark),
            "a second YAML document ('---') in one file",
            "a content file holds one document",
        )
    if "duplicate anchor" in context:
        return at(exc.problem_mark), context.split(";")[0].replace("found ", ""), ""
    return at(None), problem or context or "invalid YAML", ""


def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""
