"""Load a content file into a validated Deck: YAML, then templates, then the model."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.errors import Location, Problems
from generator.model.deck import Deck
from generator.model.schema import BuildContext, build, describe
from generator.source.render import render_tree
from generator.source.yamlload import Map, load_file

PROJECT_MARKERS = (".git", "pyproject.toml", "deckwright.yaml")


def project_root(content_path: Path) -> Path:
    """Return the project folder of a content file: the nearest folder with a marker.

    Without a marker (.git, pyproject.toml, deckwright.yaml) it is the content
    file's own folder, so includes never reach further than the user expects.
    """
    try:
        folder = content_path.resolve().parent
    except (OSError, RuntimeError):  # a symbolic link loop: the file is reported unreadable
        folder = content_path.absolute().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return folder


def parse_var(text: str) -> tuple[str, str] | None:
    """Split a --var KEY=VALUE option; None when it has no '=' or no key."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        return None
    return key.strip(), value


def load_deck(path: Path, overrides: Mapping[str, str], problems: Problems,
              display: str | None = None) -> Deck | None:
    """Return the validated deck of a content file, or None after reporting problems."""
    shown = display or str(path)
    tree = load_file(path, shown, problems,
                     empty_hint="a content file starts with 'title:' and 'slides:'")
    if tree is None:
        return None
    if not isinstance(tree, Map):
        problems.error(getattr(tree, "loc", Location(shown, 1, 1)),
                       f"a content file must be a mapping (title:, slides:, ...), "
                       f"not {describe(tree)}")
        return None
    variables = _variables(tree, overrides, problems)
    rendered = render_tree(tree, variables, problems, tree.loc, skip_keys=frozenset({"vars"}))
    root = project_root(path)
    ctx = BuildContext(problems, path.resolve().parent, root, variables=variables)
    before = len(problems.errors)
    deck = build(Deck, rendered, tree.loc, ctx, what="content")
    if deck is None or len(problems.errors) > before:
        return None
    deck.vars = dict(variables)
    deck.loc = tree.loc
    deck.path = path.resolve()
    deck.files = [deck.path, *dict.fromkeys(ctx.files)]
    return deck


def _variables(tree: Map, overrides: Mapping[str, str], problems: Problems) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    declared = tree.get("vars")
    if declared is not None:
        if not isinstance(declared, Map):
            problems.error(tree.loc_of("vars"), f"vars must be a mapping, got {describe(declared)}")
        else:
            for key, value in declared.items():
                if isinstance(value, (dict, list)):
                    problems.error(declared.loc_of(key), f"var '{key}' must be a plain value")
                    continue
                # A plain str: templates see values, not our located wrapper type.
                variables[str(key)] = str(value) if isinstance(value, str) else value
    variables.update(overrides)
    return variables
