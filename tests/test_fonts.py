"""Font lookup and advance widths from real font files."""

from __future__ import annotations

import pytest
from conftest import needs_fonts, needs_tools, write

from generator.layout import fonts
from generator.layout.fonts import LINE_HEIGHT_FACTOR, font_metrics, resolve_font
from generator.model.geometry import EMU_PER_PT

# Most tests measure with Liberation Sans; a missing font fails them, naming its package.
pytestmark = needs_fonts("Liberation Sans")
needs_carlito = needs_fonts("Carlito")
needs_liberation = needs_fonts("Liberation Sans")


def advance(metrics: fonts.FontMetrics, text: str, size_pt: float) -> int:
    """Return the advance width of text at a size, in EMU, as measuring adds it up."""
    return round(metrics.units(text) * size_pt)


def test_widths_scale_linearly_with_size():
    metrics = font_metrics("Liberation Sans")
    text = "Widths scale with the font size"
    assert advance(metrics, text, 24) == pytest.approx(2 * advance(metrics, text, 12), abs=2)
    assert advance(metrics, text, 36) == pytest.approx(3 * advance(metrics, text, 12), abs=2)


def test_capital_w_is_wider_than_i():
    metrics = font_metrics("Liberation Sans")
    assert advance(metrics, "W", 18) > 2 * advance(metrics, "i", 18)


@needs_liberation
def test_liberation_sans_has_arial_widths():
    # Arial's advance for "W" is 1933/2048 em; Liberation Sans is metric-compatible.
    assert advance(font_metrics("Liberation Sans"), "W", 20) == round(1933 / 2048 * 20 * EMU_PER_PT)


@needs_carlito
def test_calibri_is_measured_with_carlito_and_reported():
    resolved = resolve_font("Calibri")
    if not resolved.substituted:
        pytest.skip("real Calibri is installed")
    assert resolved.family == "Carlito"
    metrics = font_metrics("Calibri")
    assert metrics.family_used == "Carlito"
    assert metrics.substituted_from == "Calibri"
    # Metric-compatible: the same widths as measuring Carlito directly.
    assert advance(metrics, "Quarterly results", 20) == advance(
        font_metrics("Carlito"), "Quarterly results", 20
    )


@needs_carlito
def test_bold_face_is_a_different_file_and_wider():
    regular, bold = resolve_font("Calibri"), resolve_font("Calibri", bold=True)
    assert regular.path != bold.path
    text = "Bold text is wider"
    assert advance(font_metrics("Calibri", bold=True), text, 20) > advance(
        font_metrics("Calibri"), text, 20
    )


@needs_liberation
def test_installed_font_is_not_substituted():
    metrics = font_metrics("Liberation Sans")
    assert metrics.substituted_from is None
    assert not metrics.resolved.substituted


def test_generic_families_are_not_substitutions():
    assert not resolve_font("").substituted
    assert not resolve_font("monospace").substituted
    mono = font_metrics("monospace")
    assert advance(mono, "i", 12) == advance(mono, "W", 12)


def test_unknown_font_is_reported_and_never_narrower_than_its_stand_ins():
    metrics = font_metrics("Aptos")
    assert metrics.substituted_from == "Aptos"
    text = "Mind the gap between renderers"
    sans = advance(font_metrics("Liberation Sans"), text, 20)
    assert advance(metrics, text, 20) >= sans
    if metrics.resolved.render_family:
        # Measured as the wider of the substitute and what LibreOffice draws here.
        drawn = advance(font_metrics(metrics.resolved.render_family), text, 20)
        assert advance(metrics, text, 20) >= drawn


def test_code_font_substitute_is_monospace():
    metrics = font_metrics("Consolas")
    assert metrics.substituted_from in (None, "Consolas")
    assert advance(metrics, "i", 14) == advance(metrics, "m", 14)


@needs_fonts("Noto Sans CJK")
def test_missing_glyph_never_measures_zero():
    metrics = font_metrics("Liberation Sans")
    for ch in ("中", "あ", "한", "\ue000", "\U0001f600"):
        assert advance(metrics, ch, 20) > 0, ch
    # An ideograph comes from a CJK fallback font: about one em wide.
    assert advance(metrics, "中", 20) == pytest.approx(20 * EMU_PER_PT, rel=0.05)


def test_controls_and_zero_width_characters_take_no_room():
    metrics = font_metrics("Liberation Sans")
    assert advance(metrics, "\n", 20) == 0
    assert advance(metrics, "\u200b", 20) == 0


@needs_fonts("Carlito", "DejaVu Sans Mono")
def test_line_height_is_at_least_single_spacing():
    for family in ("Liberation Sans", "Calibri", "DejaVu Sans Mono"):
        metrics = font_metrics(family)
        assert metrics.line_height(20) >= round(LINE_HEIGHT_FACTOR * 20 * EMU_PER_PT)
        assert metrics.line_height(40) == pytest.approx(2 * metrics.line_height(20), abs=1)


@needs_tools("fc-match")  # to turn it off
@needs_carlito
def test_folder_scan_finds_fonts_without_fontconfig(monkeypatch):
    fonts.clear_caches()
    try:
        monkeypatch.setattr(fonts, "_fc_match_available", lambda: False)
        resolved = resolve_font("Calibri")
        assert resolved.path
        assert _installed_by_scan("Carlito")
        assert resolved.family.lower() == "carlito"
        assert advance(font_metrics("Calibri"), "中", 20) > 0
    finally:
        monkeypatch.undo()
        fonts.clear_caches()


def _installed_by_scan(family: str) -> bool:
    return family.lower() in fonts._scan_index()


# --- stand-ins no narrower than the original ------------------------------------------------

# Every family a template or the brief names that has no metric-compatible stand-in here,
# with the stand-in it must get (narrowest installed one no narrower than it).
NO_NARROWER = {
    "Calibri Light": "Carlito",  # Calibri's widths; the light cut sets no wider
    "Segoe UI": "Liberation Sans",
    "Helvetica Neue": "DejaVu Sans Condensed",
    "Aptos": "DejaVu Sans Condensed",
    "Aptos Display": "DejaVu Sans Condensed",
    "Corbel": "Liberation Sans",
    "Lato": "Liberation Sans",
    "Noto Sans": "DejaVu Sans",
    "Source Sans Pro": "Liberation Sans",
    "Source Sans Pro Light": "Carlito",
    "Source Sans Pro Semibold": "Liberation Sans",
    "Source Sans Pro Black": "DejaVu Sans Condensed",
    "Montserrat": "DejaVu Sans",
    "Montserrat Medium": "DejaVu Sans",
    "Tahoma": "DejaVu Sans Condensed",
    "MS Gothic": "Noto Sans Mono CJK JP",
    "SimSun": "Noto Sans Mono CJK JP",
    "Meiryo": "DejaVu Sans",
    "Microsoft YaHei": "Liberation Sans",
    "Yu Gothic": "DejaVu Sans",
}
STAND_IN_FONTS = (
    "Liberation Sans",
    "Carlito",
    "DejaVu Sans",
    "DejaVu Sans Condensed",
    "Noto Sans Mono CJK JP",
)
needs_stand_ins = needs_fonts(*STAND_IN_FONTS)


@needs_stand_ins
@pytest.mark.parametrize(("family", "stand_in"), NO_NARROWER.items())
def test_a_font_without_a_compatible_stand_in_gets_one_no_narrower(family: str, stand_in: str):
    from generator.layout.fonts import stand_in_widths, substitution_kind
    from generator.layout.fontwidths import no_narrower

    resolved = resolve_font(family)
    if not resolved.substituted:
        pytest.skip(f"{family} is installed here")
    assert resolved.family == stand_in
    original, used = stand_in_widths(resolved)
    assert no_narrower(used, original)
    assert substitution_kind(resolved) == "wider"
    # And measuring never makes text narrower than the stand-in alone would.
    text = "Quarterly results: revenue up, costs down"
    assert advance(font_metrics(family), text, 20) >= advance(font_metrics(stand_in), text, 20)


@needs_stand_ins
@pytest.mark.parametrize(
    "family", ["Arial", "Helvetica", "Nimbus Sans", "Times New Roman", "Calibri"]
)
def test_metric_compatible_stand_ins_are_still_reported_as_such(family: str):
    from generator.layout.fonts import substitution_kind

    resolved = resolve_font(family)
    if resolved.substituted:
        assert substitution_kind(resolved) == "compatible"


def _frequency_width(family: str) -> float:
    """Return a font file's average advance of English text, letters weighted by frequency
    (the weighting Capsize's averages use; fontwidths.py's figures are on that scale)."""
    from fontTools.ttLib import TTFont

    weights = dict(
        zip(
            "etaoinshrdlcumwfgypbvkjxqz ",
            (
                10.39,
                7.41,
                6.68,
                6.14,
                5.7,
                5.52,
                5.18,
                4.99,
                4.9,
                3.48,
                3.29,
                2.28,
                2.26,
                1.97,
                1.93,
                1.82,
                1.65,
                1.62,
                1.58,
                1.22,
                0.8,
                0.63,
                0.13,
                0.12,
                0.08,
                0.06,
                18.18,
            ),
            strict=True,
        )
    )
    found = resolve_font(family)
    with TTFont(found.path, fontNumber=found.index, lazy=True) as font:
        cmap, hmtx = font.getBestCmap(), font["hmtx"].metrics
        total = sum(hmtx[cmap[ord(ch)]][0] * w for ch, w in weights.items())
        return total / sum(weights.values()) / font["head"].unitsPerEm


@needs_stand_ins
def test_the_stand_in_widths_table_matches_the_installed_fonts():
    from generator.layout.fontwidths import STAND_INS

    for kind, reference in (
        ("sans", "Liberation Sans"),
        ("serif", "Liberation Serif"),
        ("mono", "Liberation Mono"),
    ):
        base = _frequency_width(reference)
        for family, width in STAND_INS[kind].items():
            # Relative to the reference, both measured alike: within 1 %.
            ratio = _frequency_width(family) / base
            assert abs(ratio - width / STAND_INS[kind][reference]) < 0.01, family


@needs_stand_ins
def test_check_names_the_stand_in_and_says_it_is_no_narrower(run_cli, project):
    write(
        project / "themes" / "t" / "theme.yaml",
        'name: t\nfonts: {heading: "Calibri Light", body: "Segoe UI"}\n',
    )
    content = write(project / "talk.yaml", "title: T\ntheme: t\nslides:\n  - kind: title\n")
    code, stdout, _ = run_cli("check", "--strict", content, cwd=project)
    assert code == 0
    assert [line for line in stdout.splitlines() if ": note: font " in line] == [
        "themes/t/theme.yaml:2:18: note: font 'Calibri Light' is not installed; measuring "
        "with 'Carlito' (as wide: 0.410 em a character on average, so what fits here fits "
        "with 'Calibri Light' too)",
        "themes/t/theme.yaml:2:41: note: font 'Segoe UI' is not installed; measuring with "
        "'Liberation Sans' (wider: 0.446 em a character on average against 0.443, so what "
        "fits here fits with 'Segoe UI' too)",
    ]
