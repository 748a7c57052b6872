"""The accent rule follows the title the template centres, in the HTML deck too.

Midnightblue's layouts centre their titles' text block (anchorCtr="1"); the plan centres
the title and puts the rule under its middle. The HTML writer draws from the same plan,
so every centred title there has its rule under its middle, not at the box's left.
"""

from __future__ import annotations

import re
from pathlib import Path

from template_fixtures import lo, template_project

ROOT = Path(__file__).resolve().parent.parent
TITLE = re.compile(
    r'<h2 class="text role-title[^"]*" style="left:([\d.]+)px;top:[\d.]+px;width:([\d.]+)px'
    r"(?:(?!</h2>).)*?text-align:(\w+)(?:(?!</h2>).)*</h2>"
    r'<div class="rect" style="left:([\d.]+)px;top:[\d.]+px;width:([\d.]+)px',
    re.S,
)


def test_a_centred_titles_rule_is_under_its_middle_in_the_html_deck(
    run_cli, tmp_path: Path, template_path
):
    project = template_project(run_cli, tmp_path, template_path(lo("Midnightblue")), "midnightblue")
    out = tmp_path / "deck.html"
    code, _, stderr = run_cli(
        "build", "content/ai-vs-ml-engineer.yaml", "-t", "midnightblue", "-f", "html",
        "-o", out, cwd=project,
    )  # fmt: skip
    assert code == 0, stderr
    titles = TITLE.findall(out.read_text())
    centred = [t for t in titles if t[2] == "center"]
    assert len(centred) >= 10, f"{len(centred)} centred titles with a rule"
    for left, width, _, rule_left, rule_width in centred:
        title_middle = float(left) + float(width) / 2
        rule_middle = float(rule_left) + float(rule_width) / 2
        assert abs(title_middle - rule_middle) < 1.0, (title_middle, rule_middle)
