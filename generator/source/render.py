"""Render every string of a located tree as a sandboxed, strict Jinja2 template."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from generator.errors import Location, Problems
from generator.source.yamlload import LocatedStr, Map, Seq

_MARKERS = ("{{", "{%", "{#")
MAX_RENDERED_CHARS = 100_000


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """Return the shared sandboxed environment: strict undefined, no autoescape."""
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                               keep_trailing_newline=True)
    # Loops over huge ranges are the cheap way to hang a build; keep range small.
    env.globals["range"] = _bounded_range
    return env


def _bounded_range(*args: int) -> range:
    result = range(*args)
    if len(result) > 10_000:
        raise SecurityError("range() is limited to 10,000 items")
    return result


def render_string(text: str, variables: Mapping[str, Any], where: Location,
                  problems: Problems) -> str:
    """Return text rendered over variables; on error report it and return text as is."""
    if not any(marker in text for marker in _MARKERS):
        return text
    try:
        result = environment().from_string(text).render(variables)
    except jinja2.UndefinedError as exc:
        name = _undefined_name(str(exc))
        problems.error(where, f"undefined variable '{name}'" if name else str(exc),
                       "define it under vars: or pass --var KEY=VALUE")
        return text
    except SecurityError as exc:
        problems.error(where, f"template refused by the sandbox: {exc}",
                       "templates may only use vars, not Python internals")
        return text
    except jinja2.TemplateSyntaxError as exc:
        line_where = Location(where.path, where.line + max(0, (exc.lineno or 1) - 1),
                              where.col if (exc.lineno or 1) == 1 else 1)
        problems.error(line_where, f"template syntax error: {exc.message}")
        return text
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, AttributeError,
            RecursionError, OverflowError) as exc:
        problems.error(where, f"template error: {exc}")
        return text
    if len(result) > MAX_RENDERED_CHARS:
        problems.error(where, f"template renders to {len(result):,} characters; "
                       f"the limit is {MAX_RENDERED_CHARS:,}")
        return text
    return result


def _undefined_name(message: str) -> str:
    match = re.search(r"'([^']+)' is undefined", message)
    if match:
        return match.group(1)
    match = re.search(r"has no attribute '([^']+)'", message)
    return match.group(1) if match else ""


VERBATIM_KEYS = frozenset({"source"})  # code is shown exactly as written, never templated


def render_tree(node: Any, variables: Mapping[str, Any], problems: Problems,
                where: Location, skip_keys: frozenset[str] = frozenset()) -> Any:
    """Return a copy of node with every string rendered; locations are kept.

    Keys in skip_keys (top level only) and code `source:` keys (any level) stay as written.
    """
    if isinstance(node, Map):
        out = Map()
        out.loc, out.key_locs, out.value_locs = node.loc, node.key_locs, node.value_locs
        for key, value in node.items():
            out[key] = value if key in skip_keys or key in VERBATIM_KEYS else render_tree(
                value, variables, problems, node.loc_of(key))
        return out
    if isinstance(node, Seq):
        out_seq = Seq(render_tree(item, variables, problems, node.loc_of(i))
                      for i, item in enumerate(node))
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
