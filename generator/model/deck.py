"""The Deck: top-level fields and typed slides, built from a content file.

load_deck runs the source stages (YAML with locations, Jinja2 over vars) and builds
the Deck from the rendered located tree.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from generator.errors import Location, Problems, did_you_mean
from generator.model.blocks import Text, text
from generator.model.registry import Slide, kinds
from generator.model.schema import BuildContext, build, describe, language, spec, string
from generator.source.content import project_root
from generator.source.render import render_tree
from generator.source.yamlload import Map, Seq, load_file


def _date(value: Any, where: Location, ctx: BuildContext) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    ctx.problems.error(where, f"expected a date like 2026-11-26, got {value!r}")
    return None


def _slides(value: Any, where: Location, ctx: BuildContext) -> list[Slide] | None:
    if not isinstance(value, Seq):
        ctx.problems.error(where, f"slides must be a list, got {describe(value)}")
        return None
    if not value:
        ctx.problems.error(where, "slides is empty", "add at least one slide")
        return None
    slides: list[Slide] = []
    for index, node in enumerate(value):
        slide = build_slide(node, value.loc_of(index), ctx)
        if slide is not None:
            slides.append(slide)
    return slides


def build_slide(node: Any, where: Location, ctx: BuildContext) -> Slide | None:
    """Return the typed slide for one `- kind: ...` entry."""
    if not isinstance(node, Map):
        ctx.problems.error(where, f"a slide must be a mapping, got {describe(node)}")
        return None
    kind = node.get("kind")
    known = kinds()
    if kind is None:
        ctx.problems.error(
            node.loc, "slide is missing required field 'kind'", "kinds: " + ", ".join(sorted(known))
        )
        return None
    if not isinstance(kind, str) or kind not in known:
        ctx.problems.error(
            node.loc_of("kind"),
            f"unknown slide kind '{kind}'",
            did_you_mean(str(kind), known) or "kinds: " + ", ".join(sorted(known)),
        )
        return None
    cls = known[kind]
    ignore = frozenset({"kind", *cls.extra_keys})
    slide = build(cls, node, node.loc, ctx, ignore=ignore, what=f"{kind} slide")
    if slide is not None:
        before = len(ctx.problems.errors)
        slide.check(node, ctx)
        if len(ctx.problems.errors) > before:
            return None
    return slide


@dataclass
class Deck:
    """A validated talk: its top-level fields and slides."""

    title: Text = spec("The talk's title.", text)
    slides: list = spec("The slides, in order.", _slides)
    subtitle: Optional[Text] = spec("Shown on the title slide.", text, default=None)
    author: Optional[Text] = spec("Shown on the title slide.", text, default=None)
    date: Optional[datetime.date] = spec(
        "Shown on the title slide; fixes document dates.", _date, default=None
    )
    theme: Optional[str] = spec("A theme name or path; --theme overrides.", string, default=None)
    lang: Optional[str] = spec(
        "The talk's language, a BCP 47 tag (en-US, de, ar-EG); on every text run. "
        "Default: the template's document language, else en-US.",
        language,
        default=None,
    )
    vars: dict = spec("Variables for the Jinja2 templates; --var overrides.", None, default={})
    loc: Location = field(default=Location(""))
    path: Path = field(default=Path("."))
    files: list[Path] = field(default_factory=list)  # everything the deck read

    @property
    def date_text(self) -> str:
        """Return the date as the slides show it ("26 November 2026"); "" without a date."""
        return f"{self.date.day} {self.date:%B %Y}" if self.date else ""


def load_deck(
    path: Path, overrides: Mapping[str, str], problems: Problems, display: str | None = None
) -> Deck | None:
    """Return the validated deck of a content file, or None after reporting problems."""
    shown = display or str(path)
    tree = load_file(
        path, shown, problems, empty_hint="a content file starts with 'title:' and 'slides:'"
    )
    if tree is None:
        return None
    if not isinstance(tree, Map):
        problems.error(
            getattr(tree, "loc", Location(shown, 1, 1)),
            f"a content file must be a mapping (title:, slides:, ...), not {describe(tree)}",
        )
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
