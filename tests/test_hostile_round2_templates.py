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
from conftest import assert_valid_pptx, needs_soffice, needs_tools, write
from hostile_templates import (
    ACTIVE_MARKERS,
    EMBEDDED_FONT,
    FALLBACK_RGB,
    GOOD_LINK,
    HOSTILE_SVG,
    SVG_MARKERS,
    TEMPLATE_PROPERTIES,
    active_template,
    default_parts,
    external_targets,
    package_text,
    png_bytes,
    save,
    svg_template,
)
from lxml import etree
from PIL import Image

from generator.theme.scrub import allowed_content_type, markup_picture
from generator.writers.pptx_writer import read_custom_properties

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


# SVG pictures, embedded fonts, custom properties -------------------------------------------

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


def assert_no_svg(path: Path) -> None:
    """No SVG in the package: no member, no content type, no svgBlip, no byte of it."""
    with zipfile.ZipFile(path) as archive:
        blobs = {name: archive.read(name) for name in archive.namelist()}
    for name, blob in blobs.items():
        for marker in SVG_MARKERS:
            assert marker.encode() not in blob and marker not in name, (path, name, marker)
        for needle in (b"tracker.example", b"evil-host", b"file:///", b"foreignObject"):
            assert needle not in blob, (path, name, needle)


def layout_picture_blips(path: Path, layout: str) -> list[tuple[str, bytes]]:
    """Return, for each picture on a layout, its blip's embedded part name and bytes."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read(f"ppt/slideLayouts/{layout}"))
        rels = etree.fromstring(archive.read(f"ppt/slideLayouts/_rels/{layout}.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        out = []
        for blip in root.iter(f"{{{A_NS}}}blip"):
            assert len(blip) == 0, etree.tostring(blip)  # no extension left on it
            name = "ppt/media/" + targets[blip.get(R_EMBED)].rsplit("/", 1)[1]
            out.append((name, archive.read(name)))
    return out


def build_svg_template(run_cli, project: Path, *formats: str) -> Path:
    template = svg_template(project / "icons.pptx")
    with zipfile.ZipFile(template) as archive:  # the attack is there
        assert HOSTILE_SVG == archive.read("ppt/media/icon1.svg")
        assert HOSTILE_SVG == archive.read("ppt/media/vector.bin")
        assert b"svgBlip" in archive.read("ppt/slideLayouts/slideLayout2.xml")
    code, _, err = run_cli("theme", "init", "corp", "--from", template, cwd=project)
    assert code == 0, err
    write(project / "talk.yaml", "theme: corp\n" + DECK)
    options = [arg for fmt in formats for arg in ("-f", fmt)]
    code, _, err = run_cli("build", "talk.yaml", *options, cwd=project)
    assert code == 0, err
    return project / "output" / "talk.pptx"


def test_svg_pictures_give_way_to_their_png_fallback_in_the_theme_and_the_deck(run_cli, project):
    deck = build_svg_template(run_cli, project)
    copy = project / "themes" / "corp" / "icons.pptx"
    for package in (copy, deck):
        assert_no_svg(package)
        assert_scrubbed(package)
        # Each icon keeps its PNG fallback, the same bytes; the SVG disguised as a PNG
        # on the title layout goes with its picture.
        fallback = [("ppt/media/icon1.png", png_bytes())]
        assert layout_picture_blips(package, "slideLayout2.xml") == fallback
        assert layout_picture_blips(package, "slideLayout1.xml") == fallback
        with zipfile.ZipFile(package) as archive:
            master = archive.read("ppt/slideMasters/slideMaster1.xml")
        assert b"<a:lvl2pPr" in master and b"buBlip" not in master  # the bullet, not the level
    with zipfile.ZipFile(deck) as archive:
        layouts = archive.read("ppt/slides/_rels/slide2.xml.rels").decode()
    assert "slideLayout2.xml" in layouts  # the bullets slide shows the icon
    assert_valid_pptx(deck, copy)


def test_embedded_fonts_are_carried_and_custom_properties_are_not(run_cli, project):
    deck = build_svg_template(run_cli, project)
    copy = project / "themes" / "corp" / "icons.pptx"
    template = project / "icons.pptx"
    with zipfile.ZipFile(template) as archive:
        font = archive.read(EMBEDDED_FONT)
    for package in (copy, deck):
        with zipfile.ZipFile(package) as archive:
            assert archive.read(EMBEDDED_FONT) == font  # fonts are data: kept as they are
            presentation = archive.read("ppt/presentation.xml").decode()
            rels = archive.read("ppt/_rels/presentation.xml.rels").decode()
        # The font fetched from a URL goes, with the markup that named it.
        assert '<p:regular r:id="rId80"/>' in presentation and "p:bold" not in presentation
        assert 'Id="rId80"' in rels and "fonts/font1.fntdata" in rels
        assert "rId81" not in rels and "tracker.example" not in rels
        for name in TEMPLATE_PROPERTIES:
            assert name not in read_custom_properties(package)
    # The theme's copy has no custom properties at all; the deck only deckwright's own,
    # which check --outputs finds fresh (the forged record never reached it).
    assert "docProps/custom.xml" not in zipfile.ZipFile(copy).namelist()
    recorded = read_custom_properties(deck)
    assert recorded and all(name.startswith("deckwright:") for name in recorded)
    assert "deckwright:input:themes/corp/icons.pptx" in recorded
    code, out, err = run_cli("check", "talk.yaml", "--outputs", "output", cwd=project)
    assert (code, err) == (0, ""), out
    assert_valid_pptx(deck, copy)


@needs_soffice
@needs_tools("pdftoppm")
def test_a_deck_on_a_template_with_svg_icons_opens_in_libreoffice(run_cli, project):
    deck = build_svg_template(run_cli, project, "pptx", "png")
    assert_no_svg(deck)
    with Image.open(project / "output" / "talk" / "slide-02.png") as picture:
        # The icon sits at the layout's top right (1.5 x 1.5 in at 8 in, 0.25 in on a
        # 10 x 7.5 in slide): LibreOffice draws the PNG fallback there.
        scale = picture.width / 10
        centre = (int(8.75 * scale), int(1.0 * scale))
        assert picture.convert("RGB").getpixel(centre) == FALLBACK_RGB
    assert (project / "output" / "talk-contact.png").is_file()


@pytest.mark.parametrize(
    ("blob", "markup"),
    [
        (png_bytes(), False),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", False),
        (b"GIF89a\x01\x00", False),
        (b"\x01\x00\x00\x00 EMF header", False),
        (b"\xd7\xcd\xc6\x9a placeable WMF", False),
        (HOSTILE_SVG, True),
        (b"\n\t  <svg/>", True),
        (b"\xef\xbb\xbf<svg/>", True),
        ("<svg/>".encode("utf-16-le"), True),
        ("<svg/>".encode("utf-16"), True),  # with its byte-order mark
        (b"\x00<\x00s\x00v\x00g", True),  # UTF-16 big-endian, no mark
        (b"\x1f\x8b\x08\x00 an svgz", True),
    ],
)
def test_a_picture_that_is_markup_is_never_carried_whatever_its_label(blob, markup):
    assert markup_picture(blob) is markup


@pytest.mark.parametrize(
    ("content_type", "allowed"),
    [
        ("image/png", True),
        ("image/x-emf", True),
        ("image/vnd.ms-photo", True),
        ("application/x-fontdata", True),
        ("image/svg+xml", False),
        ("IMAGE/SVG+XML", False),
        ("image/svg", False),
        ("image/x-anything+xml", False),
        ("application/vnd.openxmlformats-officedocument.custom-properties+xml", False),
    ],
)
def test_svg_and_custom_property_parts_are_not_allowed(content_type, allowed):
    assert allowed_content_type(content_type) is allowed
