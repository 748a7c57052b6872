"""Colour arithmetic for themes: WCAG contrast, blends, and palette -> colour roles."""

from __future__ import annotations

#: WCAG 2.x AA for normal-size text; slide footers and captions are normal-size text.
MIN_CONTRAST = 4.5
#: WCAG 2.x for graphics (bullet markers, rules): the accent must reach this on the background.
MIN_GRAPHIC_CONTRAST = 3.0
#: Below this luminance a background is dark: code goes on a dark panel in a dark style.
DARK = 0.18
DARK_CODE = ("monokai", "#272822")  # a Pygments style and its own panel colour


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in rgb)


def luminance(color: str) -> float:
    """Return the WCAG relative luminance of "#RRGGBB" (0 black to 1 white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def blend(color: str, towards: str, amount: float) -> str:
    """Return color moved `amount` (0..1) of the way towards another colour."""
    start, end = _rgb(color), _rgb(towards)
    r, g, b = (x + (y - x) * amount for x, y in zip(start, end, strict=True))
    return _hex((r, g, b))


def readable_on(background: str, *candidates: str) -> str:
    """Return the candidate with the most contrast on background."""
    return max(candidates, key=lambda c: contrast(c, background))


def quiet(text: str, background: str, amount: float = 0.35) -> str:
    """Return text faded towards background, but never below MIN_CONTRAST on it."""
    while amount > 0 and contrast(blend(text, background, amount), background) < MIN_CONTRAST:
        amount -= 0.05
    return blend(text, background, max(amount, 0))


def roles_from_palette(
    palette: dict[str, str],
    mapping: dict[str, str] | None = None,
    background: str | None = None,
    heading: str | None = None,
) -> dict[str, str]:
    """Return the theme's colour roles from a template's scheme (dk1, lt1, ..., accent6).

    `mapping` is the master's colour map (bg1 -> lt1, tx1 -> dk1, ...; a dark template maps
    bg1 to dk1). `background` is the master's real background where it is known (a solid
    fill, or an image's average colour), `heading` the master title colour. The derived
    roles (muted, code background, surface, text on the accent) keep text readable.
    """
    mapping = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2", **(mapping or {})}

    def slot(name: str, default: str) -> str:
        return palette.get(mapping.get(name, name), default)

    back = background or slot("bg1", "#FFFFFF")
    text = readable_on(back, slot("tx1", "#000000"), slot("bg1", "#FFFFFF"))
    accents = [palette[f"accent{n}"] for n in range(1, 7) if f"accent{n}" in palette]
    # The first accent that shows on the background; bullets in the text colour otherwise.
    accent = next((a for a in accents if contrast(a, back) >= MIN_GRAPHIC_CONTRAST), text)
    head = heading if heading and contrast(heading, back) >= MIN_CONTRAST else text
    light = luminance(back)
    # Code styles are made for near-white or near-black panels, not for mid-tone slides.
    code = DARK_CODE[1] if light < DARK else blend(back, text, 0.05) if light > 0.6 else ("#F6F8FA")
    return {
        "background": back,
        "text": text,
        "heading": head,
        "accent": accent,
        "muted": quiet(text, back),
        "code_background": code,
        "surface": blend(back, text, 0.09),
        "on_accent": readable_on(accent, "#FFFFFF", "#000000"),
    }


def worst_contrast(color: str, backgrounds: tuple[str, ...] | list[str]) -> float:
    """Return the lowest contrast of color against any of the backgrounds (21 when none)."""
    return min((contrast(color, back) for back in backgrounds), default=21.0)


def legible_color(
    backgrounds: tuple[str, ...] | list[str], preferred: list[str], need: float = MIN_CONTRAST
) -> tuple[str, float]:
    """Return the first preferred colour that reaches `need` on every background, and its
    worst contrast; when none does, the preferred colour, black or white that reads best."""
    for color in preferred:
        ratio = worst_contrast(color, backgrounds)
        if ratio >= need:
            return color, ratio
    best = max([*preferred, "#000000", "#FFFFFF"], key=lambda c: worst_contrast(c, backgrounds))
    return best, worst_contrast(best, backgrounds)


#: Series colours after the accent: Okabe and Ito's palette for colour-blind readers, then
#: Tableau's, each adjusted to the background below. Told apart by hue, not by lightness.
SERIES_PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#7F7F7F",
    "#B07AA1",
    "#9C755F",
    "#EDC948",
    "#59A14F",
    "#E15759",
    "#6A3D9A",
    "#8C564B",
    "#17BECF",
)
#: Two series colours closer than this in hue (degrees), saturation and lightness read as one.
MIN_HUE_APART = 30.0


def _distinct(a: str, b: str) -> bool:
    import colorsys

    ha, la, sa = colorsys.rgb_to_hls(*(c / 255 for c in _rgb(a)))
    hb, lb, sb = colorsys.rgb_to_hls(*(c / 255 for c in _rgb(b)))
    hue = abs(ha - hb) * 360
    hue = min(hue, 360 - hue)
    if abs(la - lb) > 0.3:
        return True
    if min(sa, sb) < 0.25:  # a grey's hue means nothing: tell it from a colour by saturation
        return abs(sa - sb) > 0.4
    return hue >= MIN_HUE_APART


def graphic_color(color: str, background: str, need: float = MIN_GRAPHIC_CONTRAST) -> str:
    """Return color darkened (on a light background) or lightened until it reaches `need`."""
    towards = "#000000" if luminance(background) > DARK else "#FFFFFF"
    amount = 0.0
    adjusted = color
    while contrast(adjusted, background) < need and amount < 1.0:
        amount += 0.05
        adjusted = blend(color, towards, amount)
    return adjusted


def series_colors(accent: str, background: str, count: int) -> list[str]:
    """Return count chart colours: the accent first, then the palette, each reaching 3:1
    on the background (WCAG's graphics contrast) and kept apart from those before it."""
    chosen = [graphic_color(accent, background)]
    for candidate in SERIES_PALETTE:
        if len(chosen) >= count:
            break
        color = graphic_color(candidate, background)
        if all(_distinct(color, other) for other in chosen):
            chosen.append(color)
    distinct = len(chosen)
    while len(chosen) < count:  # more slices than distinct colours: they repeat
        chosen.append(chosen[len(chosen) % distinct])
    return chosen[:count]
