"""Formats other than .pptx, made from the same prepared deck: one branch per format."""

from __future__ import annotations

import datetime
import os
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
    from generator.writers.pptx_writer import write_pptx

    return write_pptx(prepared.plan, created=document_time(prepared.deck))


def document_time(deck) -> datetime.datetime:
    """Return the document date: SOURCE_DATE_EPOCH, else the deck's date, else 2000-01-01.

    A SOURCE_DATE_EPOCH that is not a date a document can hold (years 1980-9999) is ignored.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and len(epoch) <= 12 and int(epoch) < 253402300800:  # year 10000
        stamp = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
        if stamp.year >= 1980:
            return stamp.replace(tzinfo=None)
    if deck.date:
        return datetime.datetime.combine(deck.date, datetime.time())
    return datetime.datetime(2000, 1, 1)
