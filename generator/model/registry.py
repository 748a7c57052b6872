"""The slide-kind registry: what every stage needs to know about a kind, declared once.

A kind is a schema dataclass (its fields are the YAML keys) registered with @register.
Besides its fields it declares:

- ``role``: what the slide does in a talk (ROLES), which decides the grid frame and the
  template layout it is put on;
- ``text_roles``: the text styles it adds beyond the shared ones (BASE_TEXT_ROLES), each
  with a preferred size and a floor that a theme may set under ``sizes:`` and
  ``min_sizes:``;
- ``plan()``: the slides it becomes (generator.layout), and ``markdown()``: how the
  article shows it (generator.writers.markdown).

Kinds live in generator/kinds/, one module each; they are imported the first time the
registry is asked for them.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Optional, TypeVar

from generator.errors import Location
from generator.model.blocks import ImageRef, background_picture
from generator.model.schema import BuildContext, spec, string
from generator.source.yamlload import Map

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article

#: What a slide does in a talk; layouts are chosen for a role, not for a kind name.
ROLES = {
    "opening": "the first slide: the talk's title",
    "divider": "starts a part of the talk",
    "content": "a title and body text in the layout's body placeholder",
    "canvas": "a title and something deckwright draws under it (table, code, picture)",
    "columns": "a title and two columns side by side",
    "sentence": "one sentence, large",
    "closing": "the last slide",
}


@dataclass(frozen=True)
class TextRole:
    """A text style a theme can size: font family, colour, preferred size and floor."""

    name: str
    size: float  # preferred size, points
    floor: float  # the smallest size fitting shrinks it to before continuing
    family: str = "body"  # the theme font: heading, body or code
    color: str = "text"  # the theme colour: heading, text or muted
    line_spacing: float = 1.1
    doc: str = ""

    @property
    def label(self) -> str:
        """Return how messages name text of this role ("caption shrunk to ...")."""
        return "text" if self.name == "body" else self.name


BASE_TEXT_ROLES = (
    TextRole("title", 32, 28, "heading", "heading", 1.0, "Slide titles."),
    TextRole("subtitle", 24, 18, doc="Subtitles under titles."),
    TextRole("body", 24, 18, doc="Bullets and text."),
    TextRole("code", 16, 12, "code", line_spacing=1.0, doc="Code."),
    TextRole("table", 20, 16, doc="Table cells."),
    TextRole("caption", 18, 16, color="muted", doc="Captions under code and images."),
    TextRole("footer", 12, 10, color="muted", doc="Footer and slide number."),
)

KINDS: dict[str, type[Slide]] = {}
S = TypeVar("S", bound="type[Slide]")


@dataclass(kw_only=True)
class Slide(ABC):
    """Fields every slide kind has, and what each kind declares about itself."""

    kind: ClassVar[str] = ""
    role: ClassVar[str] = "content"
    text_roles: ClassVar[tuple[TextRole, ...]] = ()
    # Keys this kind reads itself in check() rather than through declared fields.
    extra_keys: ClassVar[tuple[str, ...]] = ()
    id: Optional[str] = spec("An id for links and sync; unique in the deck.", string, default=None)
    notes: Optional[str] = spec("Speaker notes.", string, default=None)
    background: Optional[ImageRef] = spec(
        "A picture filling the slide's background; text is recoloured to read on it.",
        background_picture,
        default=None,
    )
    loc: Location = field(default=Location(""))

    def check(self, node: Map, ctx: BuildContext) -> None:
        """Finish building from node: cross-field checks and extra keys (none by default)."""
        return None

    @abstractmethod
    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        """Return the slides this one becomes (more than one when it continues)."""

    @abstractmethod
    def markdown(self, article: Article) -> None:
        """Add this slide to the Markdown article."""


def register(name: str) -> Callable[[S], S]:
    """Register a slide kind under its YAML name."""

    def decorate(cls: S) -> S:
        if cls.role not in ROLES:
            raise ValueError(f"slide kind '{name}' has unknown role '{cls.role}'")
        cls.kind = name
        KINDS[name] = cls
        return cls

    return decorate


def kinds() -> dict[str, type[Slide]]:
    """Return every registered kind by name, importing generator/kinds/ the first time."""
    if not KINDS:
        # By name: the kinds sit above this layer (they plan and write themselves), so
        # this is plugin discovery, not a dependency.
        importlib.import_module("generator.kinds")
    return KINDS


def kinds_with_role(role: str) -> list[str]:
    """Return the names of the kinds that play role, in registration order."""
    return [name for name, cls in kinds().items() if cls.role == role]


def text_roles() -> dict[str, TextRole]:
    """Return the shared text roles and every kind's own, by name."""
    roles = {role.name: role for role in BASE_TEXT_ROLES}
    for cls in kinds().values():
        for role in cls.text_roles:
            roles.setdefault(role.name, role)
    return roles
