"""Formats other than .pptx, made from the same prepared deck: one branch per format."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

PDF_INFO_KEY = "DeckwrightFingerprint"  # the PDF's entry that holds the deck's fingerprint


def write(fmt: str, prepared: Any, path: Path, **options: Any) -> list[Path] | None:
    """Write prepared (see api.Prepared) to path in format fmt.

    options["stage"] is the build's Staged (see generator.writers.save): the output
    is written beside path under a temporary name and renamed in when the stage
    commits, so a build of several formats replaces all of its outputs or none.
    Without a stage, the output is written and renamed in at once.
    options["written"] maps formats already written in this build to the files that
    hold them (staged, not yet renamed), so a PDF converts the .pptx just written and
    PNGs rasterise the PDF just written instead of making them again. Return the
    paths written when they are not [path].
    """
    from generator.writers.save import Staged

    stage: Staged | None = options.get("stage")
    if stage is None:
        with Staged() as own:
            paths = write(fmt, prepared, path, **{**options, "stage": own})
            own.commit()
        return paths
    written: dict[str, Path] = options.get("written") or {}
    if fmt == "pdf":
        from generator.writers.pdf import convert_to_pdf

        with tempfile.TemporaryDirectory(prefix="deckwright-pdf-") as work:
            # LibreOffice names its output after its input: give it the target's name.
            pptx = Path(work, path.with_suffix(".pptx").name)
            if "pptx" in written:
                shutil.copyfile(written["pptx"], pptx)  # the bytes of the .pptx just made
            else:
                pptx.write_bytes(pptx_bytes(prepared))
            target = stage.reserve(path)
            convert_to_pdf(pptx, target)
            _add_fingerprint(target, prepared)
        return None
    if fmt == "png":
        from generator.writers.images import write_pngs

        if "pdf" in written:
            return write_pngs(written["pdf"], path, stage=stage)
        with tempfile.TemporaryDirectory(prefix="deckwright-png-") as work:
            pdf = Path(work, path.with_suffix(".pdf").name)
            write("pdf", prepared, pdf, written=written)
            return write_pngs(pdf, path, stage=stage)
    if fmt == "md":
        # The article comes from the Deck, not the plan: no continuation slides, no fitting.
        from generator.writers.markdown import deck_markdown

        text = deck_markdown(prepared.deck, path, with_notes=bool(options.get("with_notes")))
        text += ("\n" + options["record"]) if options.get("record") else ""  # see sync
        stage.write(path, text.encode("utf-8"))
        return None
    raise ValueError(f"unknown format {fmt!r}")


def _add_fingerprint(pdf: Path, prepared: Any) -> None:
    """Put the deck's fingerprint into the PDF's document information (see sync)."""
    from generator.writers.pdf_info import add_info

    properties = prepared.plan.properties
    if properties:
        data = json.dumps(dict(sorted(properties.items())), ensure_ascii=False)
        pdf.write_bytes(add_info(pdf.read_bytes(), {PDF_INFO_KEY: data}))


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
