"""Render every string of a located tree as a sandboxed, strict Jinja2 template."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from generator.errors import NOT_XML, Location, Problems
from generator.source.guard import BudgetError, GuardedEnvironment, end_budget, start_budget
from generator.source.yamlload import LocatedStr, Map, Seq

_MARKERS = ("{{", "{%", "{#")
MAX_RENDERED_CHARS = 100_000
MAX_TEMPLATE_CHARS = 100_000
_SANDBOX_HINT = "templates may only use vars, not Python internals"


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """Return the shared sandboxed environment: strict undefined, no autoescape, bounded.

    See generator.source.guard for the time and memory budget of each render.
    """
    return GuardedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )


def render_string(
    text: str, variables: Mapping[str, Any], where: Location, problems: Problems
) -> str:
    """Return text rendered over variables; on error report it and return text as is.

    A string without template markers is returned unchanged, without parsing.
    """
    if not any(marker in text for marker in _MARKERS):
        return text
    if len(text) > MAX_TEMPLATE_CHARS:
        problems.error(
            where, f"template is {len(text):,} characters; the limit is {MAX_TEMPLATE_CHARS:,}"
        )
        return text
    token = start_budget()
    try:
        result = _render(text, variables)
    except jinja2.UndefinedError as exc:
        name, attribute = _undefined_name(str(exc))
        if attribute:
            problems.error(
                where,
                f"undefined attribute '{name}'",
                "vars are plain values: use the variable itself",
            )
        else:
            problems.error(
                where,
                f"undefined variable '{name}'" if name else _line(exc),
                "define it under vars: or pass --var KEY=VALUE",
            )
        return text
    except BudgetError as exc:
        problems.error(
            where,
            f"template refused: {_line(exc)}",
            "templates are for short substitutions, not for generating text",
        )
        return text
    except SecurityError as exc:
        problems.error(
            where, f"template refused by the sandbox: {_line(exc).rstrip('.')}", _SANDBOX_HINT
        )
        return text
    except jinja2.TemplateSyntaxError as exc:
        message, hint = _syntax_message(exc.message or str(exc))
        problems.error(
            _syntax_location(text, where, exc.lineno or 1),
            f"template syntax error: {message}",
            hint,
        )
        return text
    except jinja2.TemplateNotFound:
        problems.error(where, "templates cannot include, import or extend other templates")
        return text
    except TooNested:
        problems.error(
            where,
            "template nests too deeply to compile",
            "use fewer nested loops, blocks, brackets and filters in one string",
        )
        return text
    except OverflowError:
        problems.error(where, "template error: a number is too large")
        return text
    except (
        jinja2.TemplateError,
        TypeError,
        ValueError,
        ArithmeticError,
        AttributeError,
        LookupError,
        RecursionError,
        MemoryError,
    ) as exc:
        if "no loader" in str(exc):
            problems.error(where, "templates cannot include, import or extend other templates")
        elif "integer string conversion" in str(exc):  # a literal of thousands of digits
            problems.error(where, "template error: a number is too large")
        elif isinstance(exc, RecursionError):  # its text names whatever frame hit the limit
            problems.error(where, "template error: maximum recursion depth exceeded")
        else:
            problems.error(where, f"template error: {_line(exc) or type(exc).__name__}")
        return text
    finally:
        end_budget(token)
    if result is None:
        problems.error(
            where,
            f"template renders to more than {MAX_RENDERED_CHARS:,} "
            f"characters; the limit is {MAX_RENDERED_CHARS:,}",
        )
        return text
    bad = NOT_XML.search(result)
    if bad is not None:
        problems.error(
            where,
            f"template renders character U+{ord(bad.group()):04X} at "
            f"position {bad.start() + 1}, which PowerPoint cannot hold",
            "remove it from the variable or the template",
        )
        return text
    return result


class TooNested(Exception):
    """A template that parses but nests deeper than Python can compile."""


@lru_cache(maxsize=512)
def _compiled(text: str) -> jinja2.Template:
    """Return text compiled: a string used on many slides (a footer, a var) compiles once.

    Raise TooNested when Jinja2's parser or Python's compiler gives up on the depth:
    21 nested loops are "too many statically nested blocks", 200 chained filters
    "too many nested parentheses", deeper brackets a RecursionError or MemoryError.
    """
    try:
        return environment().from_string(text)
    except (SyntaxError, RecursionError, MemoryError) as exc:
        raise TooNested(str(exc)) from None


def _render(text: str, variables: Mapping[str, Any]) -> str | None:
    """Render, stopping as soon as the output is over MAX_RENDERED_CHARS (then None)."""
    template = _compiled(str(text))
    parts: list[str] = []
    size = 0
    for part in template.generate(variables):
        size += len(part)
        if size > MAX_RENDERED_CHARS:
            return None
        parts.append(part)
    return "".join(parts)


def _line(value: Any) -> str:
    """Return an exception's text as one line."""
    return " ".join(str(value).split())


def _syntax_location(text: str, where: Location, lineno: int) -> Location:
    """Return where line lineno of a template string is in its YAML file.

    Line 1 starts at the string. The lines of a literal block (`|`) start on the
    line after its key; other multi-line strings are folded, so their later lines
    are only approximate.
    """
    if lineno <= 1 and getattr(text, "style", None) not in ("|", ">"):
        return where
    if getattr(text, "style", None) in ("|", ">"):
        return Location(where.path, where.line + lineno, 1)
    return Location(where.path, where.line + lineno - 1, 1)


_UNCLOSED = re.compile(r"innermost block that needs to be closed is '(\w+)'")


def _syntax_message(message: str) -> tuple[str, str]:
    """Return Jinja2's syntax error as one line, and a hint."""
    unclosed = _UNCLOSED.search(message)
    if unclosed:
        tag = unclosed.group(1)
        return f"'{{% {tag} %}}' is never closed", f"add '{{% end{tag} %}}'"
    text = _line(message).rstrip(".")
    if "end of template" in text:
        return text, "close every '{{' with '}}' and every '{%' with '%}'"
    if "unknown tag" in text:
        return text, (
            "write literal braces as {{ '{%' }}, or put the text in {% raw %}...{% endraw %}"
        )
    return text, ""


def _undefined_name(message: str) -> tuple[str, bool]:
    """Return (name, is_attribute) from a Jinja2 UndefinedError message."""
    match = re.search(r"'([^']+)' is undefined", message)
    if match:
        return match.group(1), False
    match = re.search(r"has no attribute '([^']+)'", message)
    return (match.group(1), True) if match else ("", False)


VERBATIM_KEYS = frozenset({"source"})  # code is shown exactly as written, never templated


def render_tree(
    node: Any,
    variables: Mapping[str, Any],
    problems: Problems,
    where: Location,
    skip_keys: frozenset[str] = frozenset(),
) -> Any:
    """Return a copy of node with every string rendered; locations are kept.

    Keys in skip_keys (top level only) and code `source:` keys (any level) stay as written.
    """
    if isinstance(node, Map):
        out = Map()
        out.loc, out.key_locs, out.value_locs = node.loc, node.key_locs, node.value_locs
        for key, value in node.items():
            out[key] = (
                value
                if key in skip_keys or key in VERBATIM_KEYS
                else render_tree(value, variables, problems, node.loc_of(key))
            )
        return out
    if isinstance(node, Seq):
        out_seq = Seq(
            render_tree(item, variables, problems, node.loc_of(i)) for i, item in enumerate(node)
        )
        out_seq.loc, out_seq.item_locs = node.loc, node.item_locs
        return out_seq
    if isinstance(node, str):
        loc = getattr(node, "loc", where)
        rendered = render_string(node, variables, loc, problems)
        if rendered is node:
            return node
        located = LocatedStr(rendered)
        located.loc = loc
        located.style = getattr(node, "style", None)
        return located
    return node
