"""Hostile input, round two (D): templates are untrusted input.

Active or external content is scrubbed from every output (the deck and the theme's copy
of the template); template text is data, never Jinja; broken or absurd parts and special
files give one located line.
"""

from __future__ import annotations

import os
import re
import threading
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import assert_valid_pptx, write
from hostile_templates import (
    ACTIVE_MARKERS,
    GOOD_LINK,
    active_template,
    default_parts,
    external_targets,
    package_text,
    save,
)

DECK = (
    "title: Hostile template\nslides:\n  - kind: title\n"
    "  - kind: bullets\n    title: Points\n    bullets: [one, two]\n"
)
USER_ERROR = {1, 2}


def one_line_error(code: int, stderr: str, *needles: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert code in USER_ERROR, stderr
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert len(lines[0]) < 600, lines[0]
    return lines[0]


def init_and_build(run_cli, project: Path, template: Path, name: str = "corp"):
    code, out, err = run_cli("theme", "init", name, "--from", template, cwd=project)
    if code:
        return code, out, err
    write(project / "talk.yaml", f"theme: {name}\n" + DECK)
    return run_cli("build", "talk.yaml", cwd=project)


def assert_scrubbed(path: Path) -> None:
    names, text = package_text(path)
    for marker in ACTIVE_MARKERS:
        assert marker not in text, (marker, path)
        assert not [n for n in names if marker.rstrip("/") in n], (marker, names)
    assert not [n for n in names if n.endswith(".bin")], names
    assert external_targets(text) in ([], [GOOD_LINK]), external_targets(text)


def test_active_and_external_content_never_reaches_the_theme_or_the_deck(run_cli, project):
    template = active_template(project / "active.pptx")
    names, text = package_text(template)
    assert "ppt/vbaProject.bin" in names and "javascript:" in text  # the attack is there
    code, out, err = init_and_build(run_cli, project, template)
    assert code == 0, err
    assert_scrubbed(project / "themes" / "corp" / "active.pptx")
    deck = project / "output" / "talk.pptx"
    assert_scrubbed(deck)
    _, deck_text = package_text(deck)
    assert GOOD_LINK in deck_text and "Brand" in deck_text  # the design is kept
    assert_valid_pptx(deck, project / "themes" / "corp" / "active.pptx")


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("vbscript:msgbox", False),
        ("file:///C:/Windows/System32/calc.exe", False),
        ("\\\\host\\share\\x.pptx", False),
        ("calc.exe", False),
        ("data:text/html,<b>x</b>", False),
        ("https://example.com/a", True),
        ("mailto:brand@example.com", True),
    ],
)
def test_only_web_and_mail_links_are_carried(run_cli, project, target, kept):
    from generator.theme.scrub import allowed_relationship

    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
    assert allowed_relationship(rel, target, external=True) is kept
    image = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    assert allowed_relationship(image, target, external=True) is False


def test_template_footer_text_is_never_evaluated(run_cli, project):
    parts = default_parts()
    master = "ppt/slideMasters/slideMaster1.xml"
    attack = "{%endraw%}{{ 7 * 191 }}{% for i in range(3) %}x{% endfor %}{%raw%}"
    xml = parts[master].decode()
    # The master's footer placeholder gets the attack as its text.
    xml = re.sub(
        r'(<p:sp>(?:(?!</p:sp>).)*?type="ftr"(?:(?!</p:sp>).)*?<a:p>)(.*?)(</a:p>)',
        lambda m: m[1] + f"<a:r><a:rPr/><a:t>{attack}</a:t></a:r>" + m[3],
        xml,
        count=1,
        flags=re.S,
    )
    assert attack in xml
    parts[master] = xml.encode()
    template = save(parts, project / "footer.pptx")
    code, _, err = init_and_build(run_cli, project, template)
    assert code == 0, err
    with zipfile.ZipFile(project / "output" / "talk.pptx") as archive:
        slide = archive.read("ppt/slides/slide2.xml").decode()
    assert "{%endraw%}{{ 7 * 191 }}" in slide and "1337" not in slide


def _edit(parts: dict[str, bytes], name: str, old: bytes, new: bytes) -> None:
    assert old in parts[name], (name, old)
    parts[name] = parts[name].replace(old, new, 1)


def _broken(case: str) -> dict[str, bytes]:
    parts = default_parts()
    if case == "presProps":
        parts["ppt/presProps.xml"] = b"<p:presentationPr xmlns:p='x'><broken"
    elif case == "colour":
        theme = "ppt/theme/theme1.xml"
        parts[theme] = re.sub(rb'srgbClr val="[0-9A-F]{6}"', b'srgbClr val="ZZZ"', parts[theme])
        parts[theme] = re.sub(rb'lastClr="[0-9A-F]{6}"', b'lastClr="GGGGGG"', parts[theme])
    elif case.startswith("size"):
        value = case.split(":")[1].encode()
        parts["ppt/presentation.xml"] = re.sub(
            rb'<p:sldSz cx="\d+"', b'<p:sldSz cx="' + value + b'"', parts["ppt/presentation.xml"]
        )
    elif case == "missing-master":
        del parts["ppt/slideMasters/slideMaster1.xml"]
    elif case == "no-layouts":
        master = "ppt/slideMasters/slideMaster1.xml"
        parts[master] = re.sub(rb"<p:sldLayoutIdLst>.*?</p:sldLayoutIdLst>", b"", parts[master])
    elif case == "dangling-slide":
        rels, pres = "ppt/_rels/presentation.xml.rels", "ppt/presentation.xml"
        parts[rels] = parts[rels].replace(
            b"</Relationships>",
            b'<Relationship Id="rId50" Target="slides/slide9.xml" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/slide"/></Relationships>',
        )
        parts[pres] = parts[pres].replace(
            b"<p:sldSz", b'<p:sldIdLst><p:sldId id="300" r:id="rId50"/></p:sldIdLst><p:sldSz'
        )
    elif case == "missing-layout":
        del parts["ppt/slideLayouts/slideLayout3.xml"]
    elif case == "missing-theme":
        del parts["ppt/theme/theme1.xml"]
    return parts


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("presProps", "ppt/presProps.xml is not well-formed XML"),
        ("size:0", "bad slide size"),
        ("size:-5", "bad slide size"),
        ("size:51206401", "bad slide size"),
        ("size:" + "9" * 5000, "bad slide size"),
        ("missing-master", "no slide master"),
        ("missing-theme", "slide master 1 has no theme part"),
        ("colour", "colour 'GGGGGG' is not six hex digits"),
        ("no-layouts", "the template has no slide layouts"),
    ],
)
def test_broken_template_parts_give_one_located_line(run_cli, project, case, needle):
    template = save(_broken(case), project / "broken.pptx")
    code, _, err = run_cli("theme", "init", "corp", "--from", template, cwd=project)
    one_line_error(code, err, "broken.pptx", needle)
    assert not (project / "themes" / "corp").exists()
    # The same template named by a theme: check and build say the same, no traceback.
    folder = project / "themes" / "named"
    folder.mkdir(parents=True)
    (folder / "broken.pptx").write_bytes(template.read_bytes())
    write(folder / "theme.yaml", "name: named\ntemplate: broken.pptx\n")
    write(project / "talk.yaml", "theme: named\n" + DECK)
    for command in ("check", "build"):
        code, _, err = run_cli(command, "talk.yaml", cwd=project)
        one_line_error(code, err, needle)


@pytest.mark.parametrize("case", ["missing-layout", "dangling-slide"])
def test_a_missing_layout_part_is_left_out(run_cli, project, case):
    template = save(_broken(case), project / "odd.pptx")
    code, _, err = init_and_build(run_cli, project, template)
    assert code == 0, err
    theme = yaml.safe_load((project / "themes" / "corp" / "theme.yaml").read_text())
    assert all(re.fullmatch(r"#[0-9A-F]{6}", v) for v in theme["colors"].values())
    assert_valid_pptx(project / "output" / "talk.pptx")


def test_control_characters_in_layout_names_are_escaped(run_cli, project):
    parts = default_parts()
    name = "Title\x85Only\u202e\x9b31m"
    _edit(
        parts,
        "ppt/slideLayouts/slideLayout6.xml",
        b'<p:cSld name="Title Only">',
        f'<p:cSld name="{name}">'.encode(),
    )
    template = save(parts, project / "names.pptx")
    code, out, err = run_cli("theme", "init", "corp", "--from", template, cwd=project)
    assert code == 0, err
    for bad in ("\x85", "\u202e", "\x9b"):
        assert bad not in out
    text = (project / "themes" / "corp" / "theme.yaml").read_text(encoding="utf-8")
    assert not re.search("[\x80-\x9f\u202a-\u202e]", text)
    loaded = yaml.safe_load(text)
    assert name in [v["layout"] for v in loaded["layouts"].values()] or name not in text
    write(project / "talk.yaml", "theme: corp\n" + DECK)
    code, _, err = run_cli("build", "talk.yaml", cwd=project)
    assert code == 0, err


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "link-to-dev-zero", "huge"])
def test_theme_init_from_a_special_file_refuses_without_hanging(run_cli, project, kind):
    source = project / "special.pptx"
    if kind == "fifo":
        os.mkfifo(source)
    elif kind == "dev-zero":
        source = Path("/dev/zero")
    elif kind == "folder":
        source.mkdir()
    elif kind == "link-to-dev-zero":
        source.symlink_to("/dev/zero")
    else:
        with open(source, "wb") as stream:  # sparse: no disk used
            stream.truncate(300 * 1024 * 1024)
    if kind == "dev-zero":  # not a template suffix: refused on the name already
        code, _, err = run_cli("theme", "init", "corp", "--from", source, cwd=project)
        one_line_error(code, err)
        return
    result: list = []
    worker = threading.Thread(
        target=lambda: result.append(
            run_cli("theme", "init", "corp", "--from", source, cwd=project)
        ),
        daemon=True,
    )
    worker.start()
    worker.join(20)
    assert result, f"theme init --from a {kind} hangs"
    code, _, err = result[0]
    needle = {"folder": "folder", "huge": "limit"}.get(kind, "not a regular file")
    one_line_error(code, err, needle)
    assert not (project / "themes" / "corp").exists()
