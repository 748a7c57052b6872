"""Find themes by name or path and load them with `extends` resolved."""

from __future__ import annotations

from pathlib import Path

from generator.errors import Location, Problems, did_you_mean
from generator.model.schema import BuildContext, build
from generator.source.includes import confined_path
from generator.source.yamlload import Map, load_file
from generator.theme.schema import Theme, merge

THEME_FILE = "theme.yaml"
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
    """Return (name, folder) of every theme found, ./themes first, names unique."""
    found: dict[str, Path] = {}
    for folder in theme_dirs(project_dir):
        for child in sorted(folder.iterdir()):
            if (child / THEME_FILE).is_file() and child.name not in found:
                found[child.name] = child
    return list(found.items())


def find_theme(name_or_path: str, where: Location, problems: Problems,
               project_dir: Path | None = None) -> Path | None:
    """Return the theme.yaml for a theme name or path, or report the themes there are."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return candidate.resolve()
    if (candidate / THEME_FILE).is_file() and ("/" in name_or_path or candidate.is_absolute()
                                               or name_or_path.startswith(".")):
        return (candidate / THEME_FILE).resolve()
    themes = dict(available_themes(project_dir))
    if name_or_path in themes:
        return themes[name_or_path] / THEME_FILE
    hint = did_you_mean(name_or_path, themes) or (
        "themes: " + ", ".join(sorted(themes)) if themes else "no themes found")
    problems.error(where, f"theme '{name_or_path}' not found", hint)
    return None


def load_theme(name_or_path: str, where: Location, problems: Problems,
               project_dir: Path | None = None) -> Theme | None:
    """Return the theme with its parents merged in (parent first, child wins)."""
    path = find_theme(name_or_path, where, problems, project_dir)
    if path is None:
        return None
    chain: list[tuple[Path, Map]] = []
    seen: list[Path] = []
    current: Path | None = path
    while current is not None:
        if current in seen:
            cycle = " -> ".join(p.parent.name for p in [*seen, current])
            problems.error(Location(str(current), 1, 1), f"theme 'extends' cycle: {cycle}")
            return None
        if len(seen) >= MAX_EXTENDS_DEPTH:
            problems.error(Location(str(current), 1, 1), "theme 'extends' chain is too deep")
            return None
        seen.append(current)
        tree = load_file(current, str(current), problems)
        if tree is None:
            return None
        if not isinstance(tree, Map):
            problems.error(Location(str(current), 1, 1), "a theme file must be a mapping")
            return None
        chain.append((current, tree))
        parent = tree.get("extends")
        if parent is None:
            current = None
        elif not isinstance(parent, str):
            problems.error(tree.loc_of("extends"), "extends must be a theme name")
            return None
        else:
            current = find_theme(parent, tree.loc_of("extends"), problems,
                                 current.parent.parent)
            if current is None:
                return None
    merged = chain[-1][1]
    resolved_assets: dict[str, Path] = {}
    for file, tree in reversed(chain):
        merged = merge(merged, tree) if tree is not merged else merged
        for key in ("template", "logo"):
            if key in tree and isinstance(tree[key], str):
                asset = confined_path(tree[key], file.parent, file.parent, tree.loc_of(key),
                                      problems)
                if asset is not None:
                    resolved_assets[key] = asset
    ctx = BuildContext(problems, path.parent, path.parent)
    theme = build(Theme, merged, merged.loc, ctx, what="theme")
    if theme is None:
        return None
    theme.folder = path.parent
    theme.locations = {key: merged.loc_of(key) for key in merged}
    theme.chain = [file for file, _ in reversed(chain)]
    theme.template_path = resolved_assets.get("template") if theme.template else None
    theme.logo_path = resolved_assets.get("logo") if theme.logo else None
    return theme
