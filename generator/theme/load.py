"""Find themes by name or path and load them with `extends` resolved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.errors import Location, Problems, did_you_mean, display_path
from generator.model.registry import kinds
from generator.model.schema import BuildContext, build
from generator.source.includes import confined_path
from generator.source.yamlload import Map, load_file
from generator.theme.schema import Theme, Verbatim, merge

THEME_FILE = "theme.yaml"
TEMPLATE_SUFFIXES = (".pptx", ".potx")
MAX_EXTENDS_DEPTH = 10


def bundled_themes_dir() -> Path:
    """Return the folder of the themes shipped with deckwright."""
    from importlib.resources import files

    return Path(str(files("generator.bundled_themes")))


def theme_dirs(project_dir: Path | None = None) -> list[Path]:
    """Return the folders searched for themes, first match wins."""
    dirs = [Path.cwd() / "themes"]
    if project_dir is not None:
        dirs.insert(0, project_dir / "themes")
    dirs.append(bundled_themes_dir())
    unique: list[Path] = []
    for folder in dirs:
        resolved = folder.resolve()
        if resolved not in unique and resolved.is_dir():
            unique.append(resolved)
    return unique


def available_themes(project_dir: Path | None = None) -> list[tuple[str, Path]]:
    """Return (name, folder) of every theme found, ./themes first, names unique.

    A folder that cannot be read is skipped, as if it held no theme.
    """
    found: dict[str, Path] = {}
    for folder in theme_dirs(project_dir):
        try:
            children = sorted(folder.iterdir())
        except OSError:
            continue
        for child in children:
            try:
                is_theme = (child / THEME_FILE).is_file()
            except OSError:  # a folder we may not look into
                continue
            if is_theme and child.name not in found:
                found[child.name] = child
    return list(found.items())


def find_theme(
    name_or_path: str, where: Location, problems: Problems, project_dir: Path | None = None
) -> Path | None:
    """Return the theme.yaml for a theme name or path, or report the themes there are."""
    candidate = Path(name_or_path)
    try:
        if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
            return candidate.resolve()
        if (candidate / THEME_FILE).is_file() and (
            "/" in name_or_path or candidate.is_absolute() or name_or_path.startswith(".")
        ):
            return (candidate / THEME_FILE).resolve()
    except (OSError, ValueError):  # a name too long for a path, or with a NUL in it
        pass
    themes = dict(available_themes(project_dir))
    if name_or_path in themes:
        return themes[name_or_path] / THEME_FILE
    hint = did_you_mean(name_or_path, themes) or (
        "themes: " + ", ".join(sorted(themes)) if themes else "no themes found"
    )
    problems.error(where, f"theme '{name_or_path}' not found", hint)
    return None


def load_theme(
    name_or_path: str, where: Location, problems: Problems, project_dir: Path | None = None
) -> Theme | None:
    """Return the theme with its parents merged in (parent first, child wins).

    A theme the content names (where is in the content file) is untrusted like the
    content: every theme file of its chain, found by name or by an `extends:` path,
    must lie inside project_dir, the bundled themes or ./themes, or it could read any
    YAML file on the machine and echo its values in messages. The --theme the user
    typed (where is "--theme") may extend any path.
    """
    path = find_theme(name_or_path, where, problems, project_dir)
    if path is None:
        return None
    confined = project_dir is not None and where.path != "--theme"
    if confined and not _allowed(
        name_or_path,
        path,
        project_dir,
        where,
        problems,
        "name a theme, or pass a theme path with --theme",
    ):
        return None  # a theme folder in the project that links out of it
    chain: list[tuple[Path, Map]] = []
    seen: list[Path] = []
    current: Path | None = path
    while current is not None:
        if current in seen:
            cycle = " -> ".join(p.parent.name for p in [*seen, current])
            # Located at the `extends:` that closes the loop.
            problems.error(
                chain[-1][1].loc_of("extends") if chain else Location(display_path(current), 1, 1),
                f"theme 'extends' cycle: {cycle}",
                "a theme cannot extend itself, directly or through another",
            )
            return None
        if len(seen) >= MAX_EXTENDS_DEPTH:
            problems.error(
                Location(display_path(current), 1, 1), "theme 'extends' chain is too deep"
            )
            return None
        seen.append(current)
        tree = load_file(current, display_path(current), problems)
        if tree is None:
            return None
        if not isinstance(tree, Map):
            problems.error(Location(display_path(current), 1, 1), "a theme file must be a mapping")
            return None
        chain.append((current, tree))
        parent = tree.get("extends")
        if parent is None:
            current = None
        elif not isinstance(parent, str):
            problems.error(tree.loc_of("extends"), "extends must be a theme name")
            return None
        else:
            # A theme's siblings first (themes/acme extends themes/default), then the search.
            sibling = current.parent.parent / parent / THEME_FILE
            by_sibling = "/" not in parent and "\\" not in parent and sibling.is_file()
            if (
                confined
                and _is_path(parent)
                and not by_sibling
                and not _allowed(
                    parent, Path(parent), project_dir, tree.loc_of("extends"), problems
                )
            ):
                return None  # refused before looking: no telling which files exist
            if by_sibling:
                current = sibling.resolve()
            else:
                current = find_theme(parent, tree.loc_of("extends"), problems, project_dir)
            if current is None:
                return None
            if confined and not _allowed(
                parent, current, project_dir, tree.loc_of("extends"), problems
            ):
                return None  # `..` as a sibling, or a theme folder linking out
    merged = Map()
    merged.loc, merged.key_locs, merged.value_locs = chain[-1][1].loc, {}, {}
    assets: dict[str, tuple[Path, Location]] = {}
    info = logo = None
    for file, tree in reversed(chain):
        for key in ("template", "logo"):
            if isinstance(tree.get(key), str):
                asset = confined_path(
                    tree[key], file.parent, file.parent, tree.loc_of(key), problems
                )
                if asset is not None:
                    assets[key] = asset, tree.loc_of(key)
        if "template" in tree and "template" in assets:
            # The template's colours, fonts and footer sit between the parents and the
            # theme that names it: it overrides what it inherits, its own keys override it.
            info = _read_template(*assets["template"], problems)
            if info is not None:
                merged = merge(merged, template_layer(info, tree.loc_of("template")))
        merged = merge(merged, tree)
        if "logo" in tree and "logo" in assets:
            logo = _read_logo(*assets["logo"], problems)
    if info is not None and isinstance(merged.get("template"), str):
        _check_layouts(info, merged.get("layouts"), problems)
    ctx = BuildContext(problems, path.parent, path.parent)
    theme = build(Theme, merged, merged.loc, ctx, what="theme")
    if theme is None:
        return None
    theme.folder = path.parent
    theme.locations = {key: merged.loc_of(key) for key in merged}
    for key, value in merged.items():  # "colors.text", "layouts.bullets": for later messages
        if isinstance(value, Map):
            theme.locations.update({f"{key}.{sub}": value.loc_of(sub) for sub in value})
    theme.chain = [file for file, _ in reversed(chain)]
    if theme.template:
        theme.template_path = assets["template"][0] if "template" in assets else None
        theme.template_info = info
    if theme.logo and logo is not None:
        theme.logo_path, theme.logo_size = logo.path, (logo.width_px, logo.height_px)
    return theme


def _is_path(name: str) -> bool:
    """Return whether an extends: value is a path (as api reads theme:), not a theme name.

    `.` and `..` count as paths: as a sibling's name they climb out of the themes folder.
    """
    return (
        any(sep in name for sep in "/\\")
        or name.startswith(".")
        or name.endswith((".yaml", ".yml"))
    )


def _allowed(
    name: str,
    target: Path,
    project_dir: Path | None,
    where: Location,
    problems: Problems,
    hint: str = "extend a theme by name, or pass a theme path with --theme",
) -> bool:
    """Return whether target, the theme file extends: name leads to, may be read.

    It may when it lies in the project, the bundled themes or ./themes (the user's
    own); report it at where when it does not.
    """
    if project_dir is None:
        return True
    root = project_dir.resolve()
    try:
        resolved = target.resolve()
        folders = [root, bundled_themes_dir().resolve(), (Path.cwd() / "themes").resolve()]
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL: find_theme reports it
        return True
    if any(resolved == folder or folder in resolved.parents for folder in folders):
        return True
    problems.error(where, f"theme '{name}' is outside the project folder {root}", hint)
    return False


def _check_layouts(info: Any, layouts: Any, problems: Problems) -> None:
    """Report slide kinds, masters and layout names in `layouts:` that the template lacks."""
    if not isinstance(layouts, Map):
        return  # the schema reports a wrong type
    known = kinds()
    for kind, value in layouts.items():
        if kind not in known:
            problems.error(
                layouts.key_locs.get(kind) or layouts.loc,
                f"unknown slide kind '{kind}' in layouts",
                did_you_mean(str(kind), known) or "kinds: " + ", ".join(known),
            )
            continue
        name, master, at = value, None, layouts.loc_of(kind)
        if isinstance(value, Map):
            name, master = value.get("layout"), value.get("master")
            if (
                master is not None
                and isinstance(master, (int, str))
                and not isinstance(master, bool)
                and info.find_master(master) is None
            ):
                masters = ", ".join(
                    f"{m.index + 1} '{m.name}'" if m.name else str(m.index + 1)
                    for m in info.masters
                )
                problems.error(
                    value.loc_of("master"),
                    f"the template has no master {master!r}",
                    f"its masters are {masters}",
                )
                continue
            at = value.loc_of("layout") if "layout" in value else at
        if not isinstance(name, str) or info.find_layout(name, master) is not None:
            continue
        pool = info.layouts if master is None else info.find_master(master).layouts
        names = sorted({lay.name for lay in pool})
        close = did_you_mean(name, names)
        if not close and master is None:
            listing = "; ".join(
                f"master {m.index + 1}: "
                + ", ".join(f"'{lay.name}'" for lay in m.layouts[:6])
                + (", ..." if len(m.layouts) > 6 else "")
                for m in info.masters
            )
            close = f"its layouts are {listing}"
        elif not close:
            close = "its layouts are " + ", ".join(f"'{n}'" for n in names[:12])
        where = f" on master {master!r}" if master is not None else ""
        problems.error(
            at, f"layout '{name}'{where} for {kind} slides is not in the template", close
        )


def _read_template(path: Path, where: Location, problems: Problems) -> Any:
    """Return the template's TemplateInfo, or None after a located error."""
    from generator.theme.template import TemplateError, read_template

    if path.suffix.lower() not in TEMPLATE_SUFFIXES:
        problems.error(
            where,
            f"template '{path.name}' is not a PowerPoint template",
            "use a .pptx or .potx file",
        )
        return None
    try:
        return read_template(path)
    except TemplateError as exc:
        problems.error(where, str(exc))
        return None


def _read_logo(path: Path, where: Location, problems: Problems) -> Any:
    """Return the logo as a verified ImageRef (size-capped, a real picture), or None."""
    from generator.model.blocks import image

    ctx = BuildContext(problems, path.parent, path.parent)
    return image(path.name, "logo", where, where, ctx)


def template_layer(info: Any, where: Location) -> Map:
    """Return the theme keys a template supplies: colour roles, palette, fonts, footer.

    The master's footer text is the theme's footer unless it is a prompt (LibreOffice's
    `<footer>`, say): then the deck has no footer unless a theme sets one.
    """
    from generator.theme.colors import DARK, DARK_CODE, luminance, roles_from_palette
    from generator.theme.prompts import is_prompt

    master = info.masters[0]
    colors = roles_from_palette(
        info.colors, master.color_map, master.background, master.title_color
    )
    values: dict[str, Any] = {
        "colors": colors,
        "palette": dict(info.colors),
        "fonts": {"heading": info.heading_font, "body": info.body_font},
    }
    if luminance(colors["background"]) < DARK:
        values["code_style"] = DARK_CODE[0]
    values["fonts"] = {k: v for k, v in values["fonts"].items() if v}
    footer = next((p.text for p in master.placeholders.values() if p.type == "ftr"), "")
    if not is_prompt(footer):  # the template's own footer text, shown as written
        values["footer"] = Verbatim(footer)  # data: never rendered as a template
    return _located(values, where)


def _located(value: Any, where: Location) -> Any:
    """Return plain dicts as Maps whose every key and value is located at `where`."""
    if not isinstance(value, dict):
        return value
    result = Map({key: _located(item, where) for key, item in value.items()})
    result.loc = where
    result.key_locs = {key: where for key in value}
    result.value_locs = dict(result.key_locs)
    return result
