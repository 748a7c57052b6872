"""Formats other than .pptx, made from the same prepared deck: one branch per format."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any


def write(fmt: str, prepared: Any, path: Path, **options: Any) -> list[Path] | None:
    """Write prepared (see api.Prepared) to path in format fmt.

    options["written"] maps formats already written in this build to their paths, so
    a PDF converts the .pptx just written and PNGs rasterise the PDF just written
    instead of making them again. Return the paths written when they are not [path].
    """
    written: dict[str, Path] = options.get("written") or {}
    if fmt == "pdf":
        from generator.writers.pdf import convert_to_pdf

        if "pptx" in written:
            convert_to_pdf(written["pptx"], path)
            return None
        with tempfile.TemporaryDirectory(prefix="deckwright-pdf-") as work:
            pptx = Path(work, path.with_suffix(".pptx").name)
            pptx.write_bytes(pptx_bytes(prepared))
            convert_to_pdf(pptx, path)
        return None
    if fmt == "png":
        from generator.writers.images import write_pngs

        if "pdf" in written:
            return write_pngs(written["pdf"], path)
        with tempfile.TemporaryDirectory(prefix="deckwright-png-") as work:
            pdf = Path(work, path.with_suffix(".pdf").name)
            write("pdf", prepared, pdf, written=written)
            return write_pngs(pdf, path)
    if fmt == "md":
        # The article comes from the Deck, not the plan: no continuation slides, no fitting.
        from generator.writers.markdown import deck_markdown
        from generator.writers.save import atomic_write

        text = deck_markdown(prepared.deck, path, with_notes=bool(options.get("with_notes")))
        atomic_write(path, text.encode("utf-8"))
        return None
    raise ValueError(f"unknown format {fmt!r}")


def pptx_bytes(prepared: Any) -> bytes:
    """Return the .pptx bytes of a prepared deck (the source of every other format)."""
    from generator.api import document_time
    from generator.writers.pptx_writer import write_pptx

    theme = prepared.theme
    return write_pptx(prepared.plan, prepared.base, accent=theme.colors.accent,
                      rule=theme.colors.surface, created=document_time(prepared.deck))
