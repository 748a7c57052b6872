"""Golden decks: the XML of every part we write, normalised, against a stored copy.

Set DECKWRIGHT_UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change.
"""

from __future__ import annotations

import difflib
import os
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

GOLDEN = Path(__file__).parent / "golden"
# Parts deckwright writes; the master, layouts and theme come from python-pptx's template.
OURS = (
    "ppt/slides/",
    "ppt/charts/",
    "ppt/notesSlides/",
    "docProps/core.xml",
    "docProps/custom.xml",
    "ppt/presentation.xml",
    "[Content_Types].xml",
)


def normalised_parts(pptx: Path) -> str:
    """Return every part we write, pretty-printed, one after another in name order."""
    out = []
    with zipfile.ZipFile(pptx) as archive:
        for name in sorted(archive.namelist()):
            if not name.startswith(OURS) or not name.endswith((".xml", ".rels")):
                continue
            root = etree.fromstring(archive.read(name))
            text = etree.tostring(root, pretty_print=True, encoding="unicode")
            # Input hashes change with every theme or version edit; their presence is
            # pinned, their values are tested in test_sync.py.
            text = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", text)
            text = re.sub(r"(deckwright:version\">\s*<vt:lpwstr>)[^<]*", r"\1<version>", text)
            out.append(f"===== {name}\n{text}")
    return "".join(out)


@pytest.mark.parametrize("case", sorted(p.stem for p in GOLDEN.glob("*.yaml")))
def test_golden_deck_matches_stored_xml(run_cli, case: str, tmp_path: Path):
    out = tmp_path / f"{case}.pptx"
    code, _, stderr = run_cli("build", GOLDEN / f"{case}.yaml", "-o", out)
    assert code == 0, stderr
    actual = normalised_parts(out)
    expected_file = GOLDEN / f"{case}.xml.txt"
    if os.environ.get("DECKWRIGHT_UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm="", n=2
        )
        pytest.fail(
            "golden deck differs (DECKWRIGHT_UPDATE_GOLDEN=1 to accept):\n"
            + "\n".join(list(diff)[:80])
        )
