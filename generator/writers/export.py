"""Formats other than .pptx, made from the same prepared deck: one branch per format."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any


def write(fmt: str, prepared: Any, path: Path, **options: Any) -> None:
    """Write prepared (see api.Prepared) to path in format fmt."""
    if fmt == "pdf":
        from generator.writers.pdf import convert_to_pdf

        with tempfile.TemporaryDirectory(prefix="deckwright-pdf-") as work:
            pptx = Path(work, path.with_suffix(".pptx").name)
            pptx.write_bytes(pptx_bytes(prepared))
            convert_to_pdf(pptx, path)
        return
    raise ValueError(f"unknown format {fmt!r}")


def pptx_bytes(prepared: Any) -> bytes:
    """Return the .pptx bytes of a prepared deck (the source of every other format)."""
    from generator.api import document_time
    from generator.writers.pptx_writer import write_pptx

    theme = prepared.theme
    return write_pptx(prepared.plan, prepared.base, accent=theme.colors.accent,
                      rule=theme.colors.surface, created=document_time(prepared.deck))
