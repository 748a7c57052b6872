"""How wide families set Latin text on average, to pick stand-ins no narrower than them.

A missing font is measured with an installed stand-in. When no metric-compatible one is
there (Carlito for Calibri, Liberation Sans for Arial), the stand-in must be at least as
wide as the original, so that text that fits here fits where the original is installed
(PowerPoint on the audience's laptop). Without the original's file, its width comes from
public metrics: the average advance of English text in ems, each character weighted by
its frequency, as Capsize publishes it for system and Google fonts (@capsizecss/metrics,
`xWidthAvg / unitsPerEm`, Latin subset). Stand-ins are installed fonts with fixed metrics:
each was measured with the same weighting and scaled by Arial / Liberation Sans (the
same widths), so both columns are on one scale. The figures are for regular weights; a
bold original is set wider, and so is its stand-in's bold.

Figures marked "estimate" have no published average; the comment says what bounds them.
"""

from __future__ import annotations

#: Two averages within this fraction count as equal: the published figures are rounded
#: to whole font units (1/2048 em is about 0.1 % of an average).
TOLERANCE = 0.001

# Family (lower case) -> average advance of Latin text, in ems.
ORIGINALS: dict[str, float] = {
    # Published (Capsize).
    "arial": 0.4458,
    "helvetica": 0.4458,
    "nimbus sans": 0.4458,  # URW's Helvetica, Helvetica's widths
    "times new roman": 0.4063,
    "courier new": 0.6001,
    "calibri": 0.4102,  # Carlito's, which has Calibri's widths
    "cambria": 0.4110,  # Caladea's, which has Cambria's widths
    "segoe ui": 0.4434,
    "segoe ui semilight": 0.4312,
    "segoe ui light": 0.4199,
    "helvetica neue": 0.4500,
    "tahoma": 0.4478,
    "trebuchet ms": 0.4561,
    "verdana": 0.5122,
    "georgia": 0.4458,
    "roboto": 0.4448,
    "inter": 0.4775,
    "lato": 0.4355,
    "noto sans": 0.4740,
    "source sans pro": 0.4180,
    "source sans 3": 0.4180,
    "source sans pro light": 0.4030,
    "source sans pro semibold": 0.4310,
    "source sans pro black": 0.4530,
    "montserrat": 0.5030,
    "montserrat medium": 0.5110,
    # Estimates.
    # Calibri's lighter weight: lighter cuts of one design set no wider (Segoe UI Light
    # 0.420 < 0.443, Source Sans Light 0.403 < 0.418), so Calibri's figure bounds it.
    "calibri light": 0.4102,
    # Aptos and Aptos Display: no published average; Office users report it sets about
    # a tenth wider than Calibri, and LibreOffice's bug 162872 names Source Sans Pro
    # (0.418) as its closest free match. Bounded here by Calibri + 11 %.
    "aptos": 0.4550,
    "aptos display": 0.4550,
    # Corbel, Candara, Gill Sans: humanist sans of Calibri's spacing (the ClearType
    # collection's three sans share "similar designs and spacing"); bounded by Arial's.
    "corbel": 0.4458,
    "candara": 0.4458,
    "gill sans": 0.4458,
    "gill sans mt": 0.4458,
    # CJK fonts: every ideograph is 1 em in all of them; what differs is their Latin.
    "ms gothic": 0.5000,  # half-width Latin: exactly 0.5 em a character
    "ms mincho": 0.5000,
    "simsun": 0.5000,
    "nsimsun": 0.5000,
    "meiryo": 0.5122,  # its Latin is Verdana's
    "microsoft yahei": 0.4434,  # its Latin is Segoe UI's
    "microsoft jhenghei": 0.4434,
    "malgun gothic": 0.4434,
    # No published Latin average: bounded by Meiryo's (Verdana's), the widest Latin of
    # the common CJK UI fonts.
    "yu gothic": 0.5122,
    "yu gothic ui": 0.5122,
    "yu mincho": 0.5122,
    "ms pgothic": 0.5122,
    "pingfang sc": 0.5122,
    "pingfang tc": 0.5122,
    "hiragino sans": 0.5122,
    "hiragino kaku gothic pro": 0.5122,
}

# Installed stand-ins by kind, narrowest first: family -> average advance in ems.
STAND_INS: dict[str, dict[str, float]] = {
    "sans": {
        "Liberation Sans Narrow": 0.3656,
        "Carlito": 0.4102,
        "Liberation Sans": 0.4458,
        "DejaVu Sans Condensed": 0.4603,
        "Noto Sans CJK JP": 0.4691,
        "DejaVu Sans": 0.5118,
    },
    "serif": {
        "Liberation Serif": 0.4063,
        "Caladea": 0.4110,
        "DejaVu Serif Condensed": 0.4675,
        "Noto Serif CJK JP": 0.4962,
        "DejaVu Serif": 0.5198,
    },
    "mono": {
        "Noto Sans Mono CJK JP": 0.5000,  # half-width Latin, like MS Gothic's
        "Liberation Mono": 0.6001,
        "DejaVu Sans Mono": 0.6021,
    },
}
# CJK originals may stand in with any sans, or with the half-width CJK monospace.
CJK = frozenset(
    {
        "ms gothic",
        "ms mincho",
        "simsun",
        "nsimsun",
        "meiryo",
        "microsoft yahei",
        "microsoft jhenghei",
        "malgun gothic",
        "yu gothic",
        "yu gothic ui",
        "yu mincho",
        "ms pgothic",
        "pingfang sc",
        "pingfang tc",
        "hiragino sans",
        "hiragino kaku gothic pro",
    }
)
SERIF = frozenset(
    {"times new roman", "cambria", "georgia", "ms mincho", "simsun", "nsimsun", "yu mincho"}
)


def original_width(family: str) -> float | None:
    """Return the average Latin advance of a family in ems, or None when it is unknown."""
    return ORIGINALS.get(family.strip().lower())


def stand_in_width(family: str) -> float | None:
    """Return the average Latin advance of an installed stand-in, or None."""
    wanted = family.strip().lower()
    return next(
        (
            width
            for pool in STAND_INS.values()
            for name, width in pool.items()
            if name.lower() == wanted
        ),
        None,
    )


def no_narrower(stand_in: float, original: float) -> bool:
    """Return True when a stand-in of this average sets text at least as wide."""
    return stand_in >= original * (1 - TOLERANCE)


def candidates(family: str) -> list[str]:
    """Return the stand-ins no narrower than a family, narrowest first ([] if unknown).

    A serif original looks among serif stand-ins, a CJK one among the sans and the
    half-width CJK monospace, any other among the sans.
    """
    name = family.strip().lower()
    width = ORIGINALS.get(name)
    if width is None:
        return []
    pool = dict(STAND_INS["serif" if name in SERIF and name not in CJK else "sans"])
    if name in CJK:
        pool.update({k: v for k, v in STAND_INS["mono"].items() if "CJK" in k})
    return [
        stand
        for stand, w in sorted(pool.items(), key=lambda item: item[1])
        if no_narrower(w, width)
    ]


def widest(family: str) -> str:
    """Return the widest stand-in of the family's kind (when none is wide enough)."""
    name = family.strip().lower()
    pool = STAND_INS["serif" if name in SERIF and name not in CJK else "sans"]
    return max(pool, key=pool.__getitem__)
