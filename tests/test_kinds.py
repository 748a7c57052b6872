"""Every registered slide kind is complete: one module declares all the pipeline needs."""

from __future__ import annotations

import inspect

import pytest

from generator.layout.choose import HINTS
from generator.layout.frame import grid_frame
from generator.model.registry import (
    BASE_TEXT_ROLES,
    ROLES,
    Slide,
    kinds,
    text_roles,
)
from generator.model.schema import schema_keys
from generator.theme.schema import Theme

KINDS = sorted(kinds())


def test_the_registry_finds_every_module_in_kinds():
    import pkgutil

    import generator.kinds

    modules = {m.name for m in pkgutil.iter_modules(generator.kinds.__path__)}
    registered = {inspect.getmodule(cls).__name__.rsplit(".", 1)[1] for cls in kinds().values()}
    assert registered == modules


@pytest.mark.parametrize("name", KINDS)
def test_a_kind_declares_role_plan_markdown_and_docs(name: str):
    cls = kinds()[name]
    assert cls.kind == name
    assert cls.role in ROLES and cls.role in HINTS, "a role the layout chooser knows"
    assert cls.plan is not Slide.plan, "plan() turns it into slides"
    assert cls.markdown is not Slide.markdown, "markdown() writes it into the article"
    assert (cls.__doc__ or "").strip(), "a one-line doc"
    for key, item in schema_keys(cls).items():
        assert item.metadata.get("doc"), f"{name}.{key} has no doc"


@pytest.mark.parametrize("name", KINDS)
def test_a_kinds_text_roles_are_sizable_by_themes(name: str):
    base = {role.name for role in BASE_TEXT_ROLES}
    theme = Theme(name="t")
    for role in kinds()[name].text_roles:
        assert role.name not in base, "a kind adds roles; the shared ones are shared"
        assert text_roles()[role.name] is role
        assert 0 < role.floor <= role.size
        assert role.family in ("heading", "body", "code")
        assert role.color in ("heading", "text", "muted")
        assert (theme.sizes[role.name], theme.min_sizes[role.name]) == (role.size, role.floor)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_role_has_a_grid_frame_inside_the_slide(role: str):
    frame = grid_frame(12192000, 6858000, role)
    for box in (frame.title, frame.body, frame.left, frame.right):
        assert 0 <= box.x and box.right <= 12192000 and 0 <= box.y and box.bottom <= 6858000
