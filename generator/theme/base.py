"""Choose what slides are built on: the theme's template, or the plain grid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.errors import Problems

if TYPE_CHECKING:
    from generator.layout.frame import Frame
    from generator.theme.schema import Theme


def make_base(theme: "Theme", problems: Problems
              ) -> tuple[Any, dict[str, "Frame"] | None, tuple[int, int] | None]:
    """Return (writer base, frames per slide kind or None for the grid, slide size or None)."""
    from generator.writers.pptx_writer import GridBase

    return GridBase(theme.colors.background), None, None
