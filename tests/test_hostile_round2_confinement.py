"""Hostile input, round two (C): confinement and leaks.

A deck's recorded inputs are untrusted (check --outputs reads only regular files
inside the project), a content-named theme may not extend a file outside the
project, and control characters in file names are escaped in the deck's
properties and on the terminal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import write
from lxml import etree

import generator.sync as sync
from generator.writers.pptx_writer import read_custom_properties

TALK = "title: T\nslides:\n  - kind: title\n"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def forge(deck: Path, forged: Path, properties: dict[str, str]) -> None:
    """Copy deck to forged with its custom properties replaced (names XML-escaped)."""

    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    rows = "".join(
        f'<property fmtid="{FMTID}" pid="{n}" name="{escape(name)}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for n, (name, value) in enumerate(properties.items(), start=2)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http:'
        '//schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http'
        '://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{rows}</Properties>"
    )
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(forged, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, xml.encode() if info.filename == "docProps/custom.xml" else data)


def deckwright(*args: str, cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess:
    """Run deckwright in its own process: a hang is a failed test, not a stuck suite."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=timeout,
    )


def test_check_outputs_never_reads_a_forged_decks_inputs_outside_the_project(run_cli, project):
    write(project / "talk.yaml", TALK)
    assert run_cli("build", "talk.yaml", "-o", "out/talk.pptx", cwd=project)[0] == 0
    os.mkfifo(project / "pipe")
    (project / "passwd").symlink_to("/etc/passwd")
    zero = "0" * 64
    forge(
        project / "out" / "talk.pptx",
        project / "out" / "forged.pptx",
        {
            "deckwright:version": sync.__version__,
            "deckwright:content": "talk.yaml",
            "deckwright:input:../../../../../../dev/zero": zero,
            "deckwright:input:/etc/hostname": zero,
            "deckwright:input:<deckwright>/../../../../../../etc/passwd": zero,
            "deckwright:input:passwd": zero,  # a link out of the project
            "deckwright:input:pipe": zero,  # would block
        },
    )
    (project / "out" / "talk.pptx").unlink()
    done = deckwright("check", "--outputs", "out", cwd=project)
    assert (done.returncode, done.stderr) == (1, "")
    outside = f"is outside the project folder {project.resolve()} (not read)"
    assert done.stdout == (
        f"out/forged.pptx: stale: ../../../../../../dev/zero {outside}, /etc/hostname "
        f"{outside}, <deckwright>/../../../../../../etc/passwd {outside}, passwd {outside}, "
        "pipe is not a regular file (not read)\n"
    )


def test_check_outputs_does_not_let_a_forged_content_label_move_the_project(run_cli, project):
    # `etc/hostname` exists under / : it must not make / the project folder.
    write(project / "talk.yaml", TALK)
    assert run_cli("build", "talk.yaml", "-o", "out/talk.pptx", cwd=project)[0] == 0
    deck = project / "out" / "talk.pptx"
    forged = project / "out" / "forged.pptx"
    forge(
        deck,
        forged,
        {
            "deckwright:version": sync.__version__,
            "deckwright:content": "etc/hostname",
            "deckwright:input:etc/hostname": "0" * 64,
        },
    )
    deck.unlink()
    done = deckwright("check", "--outputs", "out", cwd=project)
    assert done.returncode == 1
    assert done.stdout == "out/forged.pptx: stale: etc/hostname missing\n"


def test_check_outputs_does_not_read_an_input_over_the_size_limit(run_cli, project, monkeypatch):
    write(project / "talk.yaml", TALK)
    assert run_cli("build", "talk.yaml", "-o", "out/talk.pptx", cwd=project)[0] == 0
    monkeypatch.setattr(sync, "MAX_INPUT_BYTES", 10)
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert code == 1
    assert stdout == (
        "out/talk.pptx: stale: <deckwright>/default/theme.yaml is larger than "
        "10 bytes (not read), talk.yaml is larger than 10 bytes (not read)\n"
    )


def test_a_content_named_theme_may_not_extend_a_file_outside_the_project(run_cli, tmp_path):
    project = tmp_path / "project"
    write(project / "deckwright.yaml", "")
    secret = write(
        tmp_path / "secret" / "theme.yaml", "name: secret\nextends: default\npassword: hunter2\n"
    )
    write(project / "themes" / "x" / "theme.yaml", f"name: x\nextends: {secret}\n")
    write(project / "talk.yaml", "title: T\ntheme: x\nslides:\n  - kind: title\n")
    code, stdout, stderr = run_cli("check", "talk.yaml", cwd=project)
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"themes/x/theme.yaml:2:10: theme '{secret}' is outside the project "
        f"folder {project} (extend a theme by name, or pass a theme path "
        "with --theme)\n"
    )
    assert "hunter2" not in stderr and "password" not in stderr


def test_a_content_named_theme_may_not_reach_out_through_a_link_or_a_dotted_name(run_cli, tmp_path):
    project = tmp_path / "project"
    write(project / "deckwright.yaml", "")
    write(tmp_path / "secret" / "theme.yaml", "name: s\nextends: default\npassword: x\n")
    (project / "themes").mkdir()
    (project / "themes" / "linked").symlink_to(tmp_path / "secret")
    write(project / "themes" / "y" / "theme.yaml", "name: y\nextends: linked\n")
    write(project / "a.yaml", "title: T\ntheme: linked\nslides:\n  - kind: title\n")
    write(project / "b.yaml", "title: T\ntheme: y\nslides:\n  - kind: title\n")
    code, _, stderr = run_cli("check", "a.yaml", cwd=project)
    assert (code, stderr) == (
        1,
        f"a.yaml:1:1: theme 'linked' is outside the project folder "
        f"{project} (name a theme, or pass a theme path with "
        "--theme)\n",
    )
    code, _, stderr = run_cli("check", "b.yaml", cwd=project)
    assert (code, stderr) == (
        1,
        f"themes/y/theme.yaml:2:10: theme 'linked' is outside the "
        f"project folder {project} (extend a theme by name, or pass "
        "a theme path with --theme)\n",
    )


def test_the_theme_the_user_types_may_extend_any_path(run_cli, tmp_path):
    project = tmp_path / "project"
    write(project / "deckwright.yaml", "")
    brand = write(
        tmp_path / "brand" / "theme.yaml",
        "name: brand\nextends: default\ncolors: {accent: '#0B5394'}\n",
    )
    write(project / "themes" / "x" / "theme.yaml", f"name: x\nextends: {brand}\n")
    write(project / "talk.yaml", TALK)
    code, _, stderr = run_cli("check", "talk.yaml", "-t", "themes/x", cwd=project)
    assert (code, stderr) == (0, "")


def test_control_characters_in_file_names_are_escaped_in_the_deck_and_on_the_terminal(
    run_cli, project
):
    from PIL import Image

    write(project / "sn\tip.py", "x = 1\n")
    Image.new("RGB", (40, 20), "red").save(project / "pic\nture.png", format="PNG")
    name = "ta\x1b[31mlk.yaml"
    write(
        project / name,
        "title: T\nslides:\n  - kind: code\n    title: C\n"
        '    language: python\n    file: "sn\\tip.py"\n  - kind: image\n'
        '    title: I\n    src: "pic\\nture.png"\n    alt: a red box\n',
    )
    code, stdout, stderr = run_cli("build", name, "-o", "out", cwd=project)
    assert (code, stderr) == (0, "")
    assert stdout.startswith("out/ta\\x1b[31mlk.pptx  2 slides  ")
    deck = project / "out" / "ta\x1b[31mlk.pptx"
    with zipfile.ZipFile(deck) as archive:
        custom = archive.read("docProps/custom.xml")
    etree.fromstring(custom)  # well-formed: LibreOffice and PowerPoint open the deck
    properties = read_custom_properties(deck)
    assert "deckwright:input:ta%1B[31mlk.yaml" in properties
    # The code file and the picture are excerpts: named as the content names them, in
    # JSON, which escapes every control character.
    shows = [json.loads(properties[f"deckwright:excerpt:{i}.0"])["shows"] for i in (0, 1)]
    assert shows == ["sn\tip.py", "pic\nture.png"]
    assert all(c.isascii() for c in custom.decode("utf-8"))
    assert run_cli("check", "--outputs", "out", cwd=project)[:2] == (0, "")
    with open(project / "sn\tip.py", "a") as handle:
        handle.write("y = 2\n")
    code, stdout, _ = run_cli("check", "--outputs", "out", cwd=project)
    assert (code, stdout) == (
        1,
        'out/ta\\x1b[31mlk.pptx: stale: slide 1 "C": sn\\tip.py changed\n',
    )


def test_labels_round_trip_through_escaping():
    for name in [
        "a b/c.py",
        "100%.py",
        "t\tab.py",
        "x\x1by.py",
        "\udcff-not-utf8.py",
        "caf\u00e9.py",
        "%41.py",
    ]:
        assert sync.unescape_label(sync.escape_label(name)) == name
    assert sync.escape_label("100%.py") == "100%25.py"
    assert sync.escape_label("\udcff.py") == "%FF.py"


def test_a_forged_article_or_pdf_record_is_confined_like_a_deck(run_cli, project):
    from generator.writers.pdf_info import add_info

    write(project / "talk.yaml", TALK)
    assert run_cli("build", "talk.yaml", "-f", "md", "-o", "out/talk.md", cwd=project)[0] == 0
    (project / "out" / "talk.md").unlink()
    record = {
        "deckwright:version": sync.__version__,
        "deckwright:content": "talk.yaml",
        "deckwright:input:../../../../../../dev/zero": "0" * 64,
        "deckwright:input:talk.yaml": sync.file_hash(project / "talk.yaml"),
        "deckwright:excerpt:0.0": '{"slide": 1, "title": "\\u001b[31m", "sha256": ""}',
    }
    write(project / "out" / "forged.md", "# Forged\n\n" + sync.markdown_record(record))
    pdf = b"%PDF-1.4\n1 0 obj\n<</Type/Catalog>>\nendobj\nxref\n0 2\n"
    pdf += b"0000000000 65535 f \n0000000009 00000 n \ntrailer\n<</Size 2/Root 1 0 R>>\n"
    pdf += b"startxref\n46\n%%EOF\n"
    info = {"DeckwrightFingerprint": json.dumps(record)}
    (project / "out" / "forged.pdf").write_bytes(add_info(pdf, info))
    done = deckwright("check", "--outputs", "out", cwd=project)
    assert (done.returncode, done.stderr) == (1, "")
    outside = f"is outside the project folder {project.resolve()} (not read)"
    # The excerpts are compared (the content is as recorded); what the record says is
    # printed escaped.
    reason = (
        f"stale: ../../../../../../dev/zero {outside}, "
        'slide 1 "\\x1b[31m": an excerpt no longer shown'
    )
    assert done.stdout == f"out/forged.md: {reason}\nout/forged.pdf: {reason}\n"
