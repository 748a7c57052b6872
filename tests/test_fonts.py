"""Font lookup and advance widths from real font files."""

from __future__ import annotations

import pytest
from conftest import needs_fonts, needs_tools

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
    assert advance(font_metrics("Liberation Sans"), "W", 20) == round(
        1933 / 2048 * 20 * EMU_PER_PT
    )


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
        font_metrics("Carlito"), "Quarterly results", 20)


@needs_carlito
def test_bold_face_is_a_different_file_and_wider():
    regular, bold = resolve_font("Calibri"), resolve_font("Calibri", bold=True)
    assert regular.path != bold.path
    text = "Bold text is wider"
    assert advance(font_metrics("Calibri", bold=True), text, 20) > advance(
        font_metrics("Calibri"), text, 20)


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
