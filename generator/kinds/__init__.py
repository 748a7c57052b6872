"""Slide kinds: one module each, registered by the @register decorator.

A kind is a schema dataclass (its fields are the YAML keys) with a `plan`
method that turns it into SlidePlans. Adding a kind is adding one module here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Optional, TypeVar

from generator.errors import Location
from generator.model.schema import BuildContext, spec, string
from generator.source.yamlload import Map

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan

KINDS: dict[str, type[Slide]] = {}
S = TypeVar("S", bound="type[Slide]")


@dataclass(kw_only=True)
class Slide:
    """Fields every slide kind has."""

    kind: ClassVar[str] = ""
    # Keys this kind reads itself in check() rather than through declared fields.
    extra_keys: ClassVar[tuple[str, ...]] = ()
    id: Optional[str] = spec("An id for links and sync; unique in the deck.", string,
                             default=None)
    notes: Optional[str] = spec("Speaker notes.", string, default=None)
    loc: Location = field(default=Location(""))

    def check(self, node: Map, ctx: BuildContext) -> None:
        """Finish building from node: cross-field checks and extra keys (none by default)."""

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        """Return the slides this one becomes (more than one when it continues)."""
        raise TypeError(f"slide kind '{self.kind}' defines no plan()")


def register(name: str) -> Callable[[S], S]:
    """Register a slide kind under its YAML name."""

    def decorate(cls: S) -> S:
        cls.kind = name
        KINDS[name] = cls
        return cls

    return decorate


def _load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_load_all()
