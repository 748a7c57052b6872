"""The theme schema: every option with its check and a one-line doc."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from generator.errors import Location, did_you_mean
from generator.model.registry import text_roles
from generator.model.schema import (
    BuildContext,
    boolean,
    build,
    describe,
    one_of,
    spec,
    string,
)
from generator.source.yamlload import Map

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _color(value: Any, where: Location, ctx: BuildContext) -> str | None:
    if not isinstance(value, str) or not _HEX.match(value):
        ctx.problems.error(where, f"invalid colour {value!r}", 'write colours as "#RRGGBB"')
        return None
    return value.upper()


def _points(value: Any, where: Location, ctx: BuildContext) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 6 <= value <= 200:
        ctx.problems.error(where, f"expected a font size in points (6-200), got {value!r}")
        return None
    return float(value)


def _code_style(value: Any, where: Location, ctx: BuildContext) -> str | None:
    from pygments.styles import STYLE_MAP, get_all_styles

    if isinstance(value, str) and value in STYLE_MAP:
        return value  # built in: no need to scan installed packages for plugin styles
    styles = sorted(get_all_styles())
    if not isinstance(value, str) or value not in styles:
        ctx.problems.error(
            where,
            f"unknown code style {value!r}",
            did_you_mean(str(value), styles)
            or "any Pygments style: " + ", ".join(styles[:8]) + ", ...",
        )
        return None
    return value


PALETTE_SLOTS = (
    "dk1",
    "lt1",
    "dk2",
    "lt2",
    *(f"accent{n}" for n in range(1, 7)),
    "hlink",
    "folHlink",
)


def _palette(value: Any, where: Location, ctx: BuildContext) -> dict | None:
    return _checked_map(
        value, where, ctx, PALETTE_SLOTS, _color, "colours", "palette colour", "slots"
    )


def _checked_map(
    value: Any,
    where: Location,
    ctx: BuildContext,
    names: Any,
    convert: Any,
    what: str,
    key_name: str,
    listed_as: str,
) -> dict | None:
    """Return value's entries converted, reporting a key not in names with did-you-mean."""
    if not isinstance(value, Map):
        ctx.problems.error(where, f"expected a mapping of {what}, got {describe(value)}")
        return None
    checked_map = {}
    for key, item in value.items():
        if key not in names:
            ctx.problems.error(
                value.key_locs.get(key, value.loc),
                f"unknown {key_name} '{key}'",
                did_you_mean(str(key), names) or f"{listed_as}: " + ", ".join(names),
            )
        elif (checked := convert(item, value.loc_of(key), ctx)) is not None:
            checked_map[key] = checked
    return checked_map


def _layouts(value: Any, where: Location, ctx: BuildContext) -> dict | None:
    """Return kind -> layout name, or kind -> {"layout": name, "master": index or name}."""
    if not isinstance(value, Map):
        ctx.problems.error(
            where, f"expected a mapping of slide kinds to layouts, got {describe(value)}"
        )
        return None
    out: dict[str, Any] = {}
    for kind, item in value.items():
        at = value.loc_of(kind)
        if isinstance(item, Map):
            unknown = [k for k in item if k not in ("layout", "master")]
            for key in unknown:
                ctx.problems.error(
                    item.key_locs.get(key, at),
                    f"unknown key '{key}' in a layout",
                    did_you_mean(str(key), ("layout", "master"))
                    or "a layout has 'layout' and 'master'",
                )
            name = (
                string(item.get("layout"), item.loc_of("layout") if "layout" in item else at, ctx)
                if "layout" in item
                else None
            )
            if name is None and "layout" not in item:
                ctx.problems.error(
                    at,
                    "a layout mapping needs 'layout'",
                    "e.g. {layout: Title and Content, master: 2}",
                )
            master = item.get("master")
            if master is not None and (
                isinstance(master, bool) or not isinstance(master, (int, str))
            ):
                ctx.problems.error(
                    item.loc_of("master"),
                    "master must be a number (1 is the first) or a master's name",
                )
                master = None
            if name is not None and not unknown:
                out[str(kind)] = {"layout": name, "master": master}
        elif (name := string(item, at, ctx)) is not None:
            out[str(kind)] = name
    return out


def _section(cls: type) -> Any:
    def convert(value: Any, where: Location, ctx: BuildContext) -> Any:
        return build(cls, value, where, ctx, what=f"theme {cls.__name__.lower()}")

    return convert


@dataclass
class Colors:
    """The theme's palette."""

    background: str = spec("Slide background.", _color, default="#FFFFFF")
    text: str = spec("Body text.", _color, default="#1F2937")
    heading: str = spec("Titles and headings.", _color, default="#111827")
    accent: str = spec("Accent: rules, links, table header.", _color, default="#2563EB")
    muted: str = spec("Footers, captions, slide numbers.", _color, default="#6B7280")
    code_background: str = spec("Code panel.", _color, default="#F6F8FA")
    surface: str = spec("Table banding and quiet panels.", _color, default="#F3F4F6")
    on_accent: str = spec("Text on the accent colour (table header).", _color, default="#FFFFFF")


@dataclass
class Fonts:
    """Font families by role."""

    heading: str = spec("Titles and headings.", string, default="Liberation Sans")
    body: str = spec("Body text.", string, default="Liberation Sans")
    code: str = spec("Code.", string, default="DejaVu Sans Mono")


def _role_sizes(value: Any, where: Location, ctx: BuildContext) -> dict | None:
    """Return points by text role: the shared roles and those slide kinds declare."""
    return _checked_map(
        value, where, ctx, text_roles(), _points, "text roles to points", "text role", "roles"
    )


class Verbatim(str):
    """Text read from a template (its footer, say): data, shown as written, never
    rendered as Jinja. A theme that sets the key itself replaces it with a plain str."""

    __slots__ = ()


def _footer(value: Any, where: Location, ctx: BuildContext) -> str | None:
    text = string(value, where, ctx)
    return Verbatim(text) if text is not None and isinstance(value, Verbatim) else text


@dataclass
class Theme:
    """A theme: colours, fonts, sizes and an optional company template."""

    name: str = spec("The theme's name.", string)
    extends: Optional[str] = spec("A theme to inherit from; this one wins.", string, default=None)
    template: Optional[str] = spec(
        "A .pptx or .potx with the company's layouts.", string, default=None
    )
    size: str = spec("Slide size without a template.", one_of("16:9", "4:3"), default="16:9")
    colors: Colors = spec("The palette.", _section(Colors), default=None)
    fonts: Fonts = spec("Fonts by role.", _section(Fonts), default=None)
    sizes: dict = spec("Preferred font sizes by text role, in points.", _role_sizes, default={})
    min_sizes: dict = spec("Shrink floors by text role, in points.", _role_sizes, default={})
    code_style: str = spec("A Pygments style name.", _code_style, default="friendly")
    logo: Optional[str] = spec(
        "An image placed on every slide but the title slide.", string, default=None
    )
    footer: Optional[str] = spec(
        "Footer text, a Jinja2 template over the deck's vars.", _footer, default=None
    )
    slide_numbers: bool = spec("Number the slides.", boolean, default=True)
    layouts: dict = spec(
        "Slide kind -> template layout: a name, or {layout: NAME, master: N or NAME}.",
        _layouts,
        default={},
    )
    palette: dict = spec(
        "The template's own colour scheme (dk1, lt1, ... accent6), for "
        "reference: `theme init` maps it to the colours above.",
        _palette,
        default={},
    )
    # Resolved by the loader, not read from YAML:
    folder: Path = field(default=Path("."))
    chain: list[Path] = field(default_factory=list)  # theme.yaml files, parent first
    template_path: Optional[Path] = None
    logo_path: Optional[Path] = None
    logo_size: Optional[tuple[int, int]] = None  # in pixels, for keeping its aspect ratio
    template_info: Any = None  # generator.theme.template.TemplateInfo, read once
    locations: dict = field(default_factory=dict)  # key -> Location, for later messages

    def __post_init__(self) -> None:
        self.colors = self.colors or Colors()
        self.fonts = self.fonts or Fonts()
        roles = text_roles().values()
        self.sizes = {role.name: float(role.size) for role in roles} | (self.sizes or {})
        self.min_sizes = {role.name: float(role.floor) for role in roles} | (self.min_sizes or {})


def merge(parent: Map, child: Map) -> Map:
    """Return parent overridden by child; nested mappings merge key by key."""
    merged = Map(parent)
    merged.loc = child.loc
    merged.key_locs = {**parent.key_locs, **child.key_locs}
    merged.value_locs = {**parent.value_locs, **child.value_locs}
    for key, value in child.items():
        if (
            isinstance(value, Map)
            and isinstance(parent.get(key), Map)
            and key not in ("layouts", "palette")
        ):
            merged[key] = merge(parent[key], value)
        else:
            merged[key] = value
    return merged
