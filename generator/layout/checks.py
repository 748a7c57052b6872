"""Warnings about a theme as a whole: colour contrast (WCAG) and fonts measured by a stand-in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.errors import Location, Problems
from generator.theme.colors import MIN_CONTRAST, contrast

if TYPE_CHECKING:
    from generator.theme.schema import Theme

# (foreground role, background role, what the pair is): the text deckwright draws.
PAIRS = (
    ("text", "background", "text"),
    ("heading", "background", "heading"),
    ("muted", "background", "muted (footer and caption)"),
    ("on_accent", "accent", "table header"),
)


def theme_warnings(theme: Theme, problems: Problems) -> None:
    """Warn about text colours under 4.5:1 and fonts measured with a stand-in."""
    _contrast(theme, problems)
    _fonts(theme, problems)


def _where(theme: Theme, key: str) -> Location:
    section = key.split(".")[0]
    return theme.locations.get(key) or theme.locations.get(section) or Location(
        str(theme.chain[-1]) if theme.chain else theme.name, 1, 1)


def _contrast(theme: Theme, problems: Problems) -> None:
    colors = theme.colors
    for fore, back, what in PAIRS:
        a, b = getattr(colors, fore), getattr(colors, back)
        ratio = contrast(a, b)
        if ratio < MIN_CONTRAST:
            problems.warn(_where(theme, f"colors.{fore}"),
                          f"{what} colour {a} on {b} has a contrast of {ratio:.1f}:1, under "
                          f"{MIN_CONTRAST}:1", f"darken or lighten colors.{fore} or "
                          f"colors.{back}")
    code = _code_text(theme.code_style, colors.text)
    ratio = contrast(code, colors.code_background)
    if ratio < MIN_CONTRAST:
        problems.warn(_where(theme, "code_style"),
                      f"code style '{theme.code_style}' text {code} on the code background "
                      f"{colors.code_background} has a contrast of {ratio:.1f}:1, under "
                      f"{MIN_CONTRAST}:1", "pick a code style made for that background "
                      "(a dark one such as monokai on a dark panel) or change "
                      "colors.code_background")


def _code_text(style_name: str, fallback: str) -> str:
    """Return the colour most code is drawn in: the style's names, else its plain text."""
    from pygments.styles import get_style_by_name
    from pygments.token import Name, Text
    from pygments.util import ClassNotFound

    try:
        style = get_style_by_name(style_name)
    except ClassNotFound:
        return fallback
    color = style.style_for_token(Name)["color"] or style.style_for_token(Text)["color"]
    return f"#{color.upper()}" if color else fallback


def _fonts(theme: Theme, problems: Problems) -> None:
    """Report each font measured with a stand-in once: a note when the stand-in measures
    the same or wider (so fitting holds with the original), else a warning."""
    from generator.layout.fonts import resolve_font, stand_in_widths, substitution_kind

    seen: set[str] = set()
    for role in ("heading", "body", "code"):
        family = getattr(theme.fonts, role)
        if family.lower() in seen:
            continue
        seen.add(family.lower())
        found = resolve_font(family)
        kind = substitution_kind(found)
        if kind is None:
            continue
        widths = stand_in_widths(found)
        if kind in ("compatible", "wider"):
            why = ("metric-compatible" if kind == "compatible" else
                   f"{_wider(widths)}, so what fits here fits with '{family}' too")
            problems.note(_where(theme, f"fonts.{role}"), f"font '{family}' is not installed; "
                          f"measuring with '{found.family}' ({why})")
            continue
        narrower = (f" ({widths[1]:.3f} em a character on average against {widths[0]:.3f}: "
                    "narrower)" if widths else "")
        problems.warn(_where(theme, f"fonts.{role}"),
                      f"font '{family}' ({role}) is not installed here; text is measured with "
                      f"'{found.family}'{narrower}, so it may fit differently where '{family}' "
                      "is installed", f"install '{family}', or set fonts.{role} to an "
                      "installed font")


def _wider(widths: tuple[float, float] | None) -> str:
    """Say how a stand-in's average width compares with the original's."""
    if widths is None:
        return "wider"
    original, used = (round(w, 3) for w in widths)
    if used <= original:
        return f"as wide: {used:.3f} em a character on average"
    return f"wider: {used:.3f} em a character on average against {original:.3f}"
