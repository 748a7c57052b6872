"""Warnings about a theme as a whole: colour contrast (WCAG) and fonts measured by a stand-in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.errors import Location, Problems, display_path
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
    return (
        theme.locations.get(key)
        or theme.locations.get(section)
        or Location(display_path(theme.chain[-1]) if theme.chain else theme.name, 1, 1)
    )


def _contrast(theme: Theme, problems: Problems) -> None:
    colors = theme.colors
    for fore, back, what in PAIRS:
        a, b = getattr(colors, fore), getattr(colors, back)
        ratio = contrast(a, b)
        if ratio < MIN_CONTRAST:
            problems.warn(
                _where(theme, f"colors.{fore}"),
                f"Hard-to-read text contrast: {what} colour {a} on {b} has a contrast of "
                f"{ratio:.1f}:1, under {MIN_CONTRAST}:1",
                f"darken or lighten colors.{fore} or colors.{back}",
            )
    _code_colors(theme, problems)


def _code_colors(theme: Theme, problems: Problems) -> None:
    """Measure every token colour of the code style on the code panel.

    Colours under 4.5:1 are drawn darker (lighter on a dark panel) along their hue
    (highlight.readable_color): a note lists them. Tokens the style leaves uncoloured
    take the text colour, which the panel may not suit: a warning, as for any colour that
    still misses 4.5:1.
    """
    from generator.layout.highlight import TARGET_CONTRAST, colors_everything, style_colors

    panel = theme.colors.code_background
    where = _where(theme, "code_style")
    found = style_colors(theme.code_style, panel)
    drawn = [(c.drawn, f"token colour {c.drawn} ({', '.join(c.tokens[:2])})") for c in found]
    if not colors_everything(theme.code_style):
        drawn.append((theme.colors.text, f"text colour {theme.colors.text} (uncoloured tokens)"))
    for color, what in drawn:
        ratio = contrast(color, panel)
        if ratio < MIN_CONTRAST:
            problems.warn(
                _where(theme, "colors.code_background"),
                f"Hard-to-read text contrast: code style '{theme.code_style}': {what} on the code "
                f"background {panel} has a contrast of {ratio:.1f}:1, under "
                f"{MIN_CONTRAST}:1",
                "pick a code style made for that background "
                "(a dark one such as monokai on a dark panel) or change "
                "colors.code_background",
            )
    adjusted = [c for c in found if c.adjusted]
    if adjusted:
        way = "darker" if contrast("#000000", panel) >= contrast("#FFFFFF", panel) else "lighter"
        listing = ", ".join(
            f"{c.original} {contrast(c.original, panel):.1f}:1 -> {c.drawn} "
            f"{contrast(c.drawn, panel):.1f}:1"
            for c in adjusted
        )
        problems.note(
            where,
            f"code style '{theme.code_style}': {len(adjusted)} token colours "
            f"under {TARGET_CONTRAST:g}:1 on {panel} (4.5:1 and room for anti-aliased "
            f"strokes) are drawn {way} along their hue: "
            f"{listing}",
        )


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
            why = (
                "metric-compatible"
                if kind == "compatible"
                else f"{_wider(widths)}, so what fits here fits with '{family}' too"
            )
            problems.note(
                _where(theme, f"fonts.{role}"),
                f"font '{family}' is not installed; measuring with '{found.family}' ({why})",
            )
            continue
        narrower = (
            f" ({widths[1]:.3f} em a character on average against {widths[0]:.3f}: narrower)"
            if widths
            else ""
        )
        problems.warn(
            _where(theme, f"fonts.{role}"),
            f"font '{family}' ({role}) is not installed here; text is measured with "
            f"'{found.family}'{narrower}, so it may fit differently where '{family}' "
            "is installed",
            f"install '{family}', or set fonts.{role} to an installed font",
        )


def _wider(widths: tuple[float, float] | None) -> str:
    """Say how a stand-in's average width compares with the original's."""
    if widths is None:
        return "wider"
    original, used = (round(w, 3) for w in widths)
    if used <= original:
        return f"as wide: {used:.3f} em a character on average"
    return f"wider: {used:.3f} em a character on average against {original:.3f}"
