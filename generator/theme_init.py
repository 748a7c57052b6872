"""`deckwright theme init`: scaffold themes/NAME/ from a company's .pptx or .potx."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import UNSHOWABLE, DeckwrightError, Location, Problem, one_line
from generator.theme.load import TEMPLATE_SUFFIXES, THEME_FILE, template_layer

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# Where each colour role comes from, for the comments in theme.yaml and the printout.
ORIGINS = {
    "background": "the master's background (bg1)",
    "text": "tx1, the master's text colour",
    "heading": "the master's title colour",
    "accent": "accent1, or the first accent that shows on the background",
    "muted": "text faded towards the background, still 4.5:1",
    "code_background": "a quiet panel for code",
    "surface": "table banding",
    "on_accent": "text on the accent: white or black, whichever reads better",
}
HOW = {
    "named": "named",
    "structure": "by its placeholders",
    "fallback": "no suitable layout: drawn on this blank one",
}


@dataclass
class InitResult:
    """What `theme init` wrote and read, for printing."""

    folder: Path
    theme_file: Path
    template_file: Path
    colors: dict[str, str]
    palette: dict[str, str]
    fonts: dict[str, str]
    # kind, layout, how, master (1-based), master's name, why
    layouts: list[tuple[str, str, str, int, str, str]] = field(default_factory=list)
    code_style: str | None = None

    def summary(self) -> list[str]:
        """Return the mapping as lines: colours, fonts, then the layout for each kind."""
        lines = [f"wrote {self.theme_file} (template {self.template_file.name})", "colours:"]
        lines += [f"  {role:<16}{value}  {ORIGINS[role]}" for role, value in self.colors.items()]
        lines.append("fonts:")
        lines += [f"  {role:<16}{family}" for role, family in self.fonts.items()]
        lines.append("layouts (master: layout, and why):")
        lines += [
            f"  {kind:<12}{master}: {one_line(name)}  ({why if how != 'fallback' else HOW[how]})"
            for kind, name, how, master, _, why in self.layouts
        ]
        lines.append(f"see it: deckwright theme preview {self.folder.name}")
        return lines


def _fail(where: Path | str, message: str, hint: str = "") -> DeckwrightError:
    return DeckwrightError([Problem(Location(str(where)), message, hint)])


def init_theme(name: str, source: Path, themes_dir: Path = Path("themes")) -> InitResult:
    """Write themes_dir/NAME/ with the template copied in and theme.yaml read from it.

    Raises DeckwrightError (one located line) for a bad name, an existing theme folder, a
    source that is not a readable .pptx/.potx (nothing is written then), and a folder or
    file that cannot be written.
    """
    from generator.layout.choose import choose_layouts
    from generator.theme.template import TemplateError, read_template, template_package

    if not NAME.match(name):
        raise _fail(
            name, f"'{name}' is not a usable theme name", "use letters, digits, '-', '_' and '.'"
        )
    if source.suffix.lower() not in TEMPLATE_SUFFIXES:
        raise _fail(source, "not a PowerPoint template", "give a .pptx or .potx file")
    folder = themes_dir / name
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise _fail(
            folder,
            f"theme folder '{folder}' already exists",
            "choose another name or remove the folder",
        )
    try:
        info = read_template(source)
        package = template_package(source, as_presentation=False)  # scrubbed like a deck
    except TemplateError as exc:  # the line is located at source: said once
        raise _fail(source, str(exc).removeprefix(f"{source}: ")) from None
    layer = template_layer(info, Location(str(source)))
    choices = choose_layouts(info)
    result = InitResult(
        folder,
        folder / THEME_FILE,
        folder / source.name,
        dict(layer["colors"]),
        dict(layer["palette"]),
        dict(layer["fonts"]),
        [
            (
                kind,
                choice.name,
                choice.how,
                choice.layout.master_index + 1,
                info.masters[choice.layout.master_index].name,
                choice.why or HOW[choice.how],
            )
            for kind, choice in choices.items()
        ],
        layer.get("code_style"),
    )
    text = theme_yaml(name, result)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        result.template_file.write_bytes(package)
        result.theme_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(
            getattr(exc, "filename", None) or folder,
            f"cannot write: {exc.strerror or exc}",
            "check the themes folder's permissions and free space",
        ) from None
    return result


def _comment(text: str) -> str:
    """Return text safe for a YAML comment: one line, printable."""
    return "".join(ch if ch.isprintable() and not UNSHOWABLE.match(ch) else " " for ch in text)


def _q(text: str) -> str:
    """Return text as a YAML double-quoted scalar (JSON strings are valid YAML).

    What YAML cannot hold raw or a terminal would act on (C1 controls, NEL, line and
    paragraph separators, bidi overrides) is written as its JSON escape, NEL as \\u0085.
    """
    quoted = json.dumps(text, ensure_ascii=False)
    return UNSHOWABLE.sub(lambda m: "".join(f"\\u{ord(c):04x}" for c in m.group()), quoted)


def theme_yaml(name: str, result: InitResult) -> str:
    """Return the theme file: the template, its colours, fonts and layouts, with comments."""
    from generator.layout.fonts import resolve_font, substitution_kind

    out = [
        f"# Made by `deckwright theme init {name} --from {result.template_file.name}`.",
        "# Everything below was read from the template; change what you like.",
        f"name: {_q(name)}",
        f"template: {_q(result.template_file.name)}",
        "colors:",
    ]
    out += [f"  {role}: {_q(value)}  # {ORIGINS[role]}" for role, value in result.colors.items()]
    out.append("fonts:" if result.fonts else "fonts: {}  # the template names none")
    for role, family in result.fonts.items():
        found = resolve_font(family)
        how = {"compatible": " (metric-compatible)", "wider": " (no narrower)"}.get(
            substitution_kind(found) or "", ""
        )
        note = (
            f"  # not installed here: measured with {found.family}{how}"
            if found.substituted
            else ""
        )
        out.append(f"  {role}: {_q(family)}{note}")
    if result.code_style:
        out.append(f"code_style: {result.code_style}  # the background is dark")
    out.append("# The template's own colour scheme, for reference.")
    out.append("palette:" if result.palette else "palette: {}  # no readable colour scheme")
    out += [f"  {slot}: {_q(value)}" for slot, value in result.palette.items()]
    out.append("# Slide kind -> the template's layout for it: its master (1 is the first) and")
    out.append("# name, and why it was chosen.")
    out.append("layouts:")
    for kind, layout, how, master, _, why in result.layouts:
        line = f"{kind}: {{master: {master}, layout: {_q(layout)}}}"
        out.append(
            f"  # {line}  # {HOW[how]}" if how == "fallback" else f"  {line}  # {_comment(why)}"
        )
    return "\n".join(out) + "\n"
