"""The bundled deck, end to end: CLI build, LibreOffice render, poppler read-back."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import BUNDLED, ROOT, needs_soffice, pdf_pages, pdf_text, render_pdf
from pptx import Presentation

ARTICLE = ROOT.parent / "shared" / "source" / "ai-engineer-vs-ml-engineer.txt"

TLDR_CELLS = [
    "Dimension",
    "ML Engineer",
    "AI Engineer",
    "Primary artifact",
    "A trained model (.pt, .onnx, .pkl)",
    "A prompted/chained system on top of an API",
    "Core skill",
    "Statistics, feature engineering, distributed training",
    "Prompting, retrieval, agent orchestration, eval design",
    "Compute concern",
    "GPUs for training; latency and throughput at inference",
    "Token cost, context window, rate limits, cache hit rate",
    "Failure mode",
    "Model drift, data leakage",
    "Hallucination, prompt injection, tool-use loops",
    "Iteration loop",
    "Hours to weeks (training runs)",
    "Minutes (prompt edits) to days (eval cycles)",
]


def evaluation_code_lines() -> list[str]:
    """Return every non-blank line of both evaluation samples, read from the snippets."""
    lines = []
    for name in ("ml_eval.py", "llm_judge.py"):
        text = (ROOT / "content" / "snippets" / name).read_text()
        in_region = False
        for line in text.splitlines():
            if "[start:" in line:
                in_region = True
            elif "[end:" in line:
                in_region = False
            elif in_region and line.strip():
                lines.append(line.strip())
    return lines


def squash(text: str) -> str:
    """Drop whitespace and hyphens: pdftotext joins a word hyphenated at a line end."""
    return re.sub(r"[\s\-]+", "", text)


def test_build_prints_one_line_with_path_slides_and_seconds(run_cli, tmp_path: Path):
    out = tmp_path / "deck.pptx"
    code, stdout, stderr = run_cli("build", BUNDLED, "-o", out)
    assert code == 0, stderr
    assert re.fullmatch(rf"{re.escape(str(out))}  \d+ slides  \d+\.\d\d s\n", stdout)
    assert len(Presentation(str(out)).slides) == int(stdout.split()[1])


def test_every_slide_has_a_title_and_content_slides_have_notes(run_cli, tmp_path: Path):
    out = tmp_path / "deck.pptx"
    assert run_cli("build", BUNDLED, "-o", out)[0] == 0
    for number, slide in enumerate(Presentation(str(out)).slides, start=1):
        assert slide.shapes.title is not None, f"slide {number} has no title shape"
        assert slide.shapes.title.text_frame.text.strip(), f"slide {number} title is empty"
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), (
            f"slide {number} has no speaker notes"
        )


@needs_soffice
def test_bundled_deck_renders_every_tldr_cell_and_code_line(run_cli, tmp_path: Path):
    out = tmp_path / "deck.pptx"
    assert run_cli("build", BUNDLED, "-o", out)[0] == 0
    slides = len(Presentation(str(out)).slides)
    pdf = render_pdf(out)
    assert pdf_pages(pdf) == slides
    text = squash(pdf_text(pdf))
    missing = [cell for cell in TLDR_CELLS if squash(cell) not in text]
    assert not missing, f"TL;DR cells missing from the PDF: {missing}"
    code_lines = evaluation_code_lines()
    assert len(code_lines) > 20
    missing = [line for line in code_lines if squash(line) not in text]
    assert not missing, f"code lines missing from the PDF: {missing}"
