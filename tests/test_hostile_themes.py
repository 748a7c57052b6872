"""Hostile and broken themes: missing, invalid colours, missing fonts, bad templates, cycles.

Themes come from outside the team, so each problem is a located line in the theme's own
file (or at --theme / the content's `theme:`), never a traceback.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import write

from generator.theme.load import available_themes

TALK = "vars: {company: Acme}\ntitle: T\nslides:\n  - kind: statement\n    text: hi\n"
LOCATED = re.compile(r"^[^:]+:\d+:\d+: ")


def theme(project: Path, name: str, text: str) -> Path:
    return write(project / "themes" / name / "theme.yaml", text).resolve()


def run(
    run_cli, project: Path, *args: str, command: str = "check", talk: str = TALK
) -> tuple[int, str, str, Path]:
    content = write(project / "talk.yaml", talk)
    extra = ("-o", str(project / "out" / "talk.pptx")) if command == "build" else ()
    code, stdout, stderr = run_cli(command, content, *extra, *args)
    return code, stdout, stderr, content


def test_a_missing_theme_lists_the_themes_there_are(run_cli, project):
    theme(project, "corporate", "name: corporate\nextends: default\n")
    names = ", ".join(sorted(name for name, _ in available_themes(project)))
    assert "corporate" in names and "default" in names
    code, _, stderr, _ = run(run_cli, project, "--theme", "zzzz")
    assert (code, stderr) == (1, f"--theme:1:1: theme 'zzzz' not found (themes: {names})\n")


def test_a_misspelt_theme_suggests_the_nearest(run_cli, project):
    theme(project, "corporate", "name: corporate\nextends: default\n")
    code, _, stderr, _ = run(run_cli, project, "--theme", "corprate")
    assert (code, stderr) == (
        1,
        "--theme:1:1: theme 'corprate' not found (did you mean 'corporate'?)\n",
    )


def test_a_missing_theme_named_in_the_content_is_located_there(run_cli, project):
    names = ", ".join(sorted(name for name, _ in available_themes(project)))
    code, _, stderr, content = run(
        run_cli, project, talk=TALK.replace("title: T", "title: T\ntheme: nope")
    )
    assert (code, stderr) == (1, f"{content}:1:1: theme 'nope' not found (themes: {names})\n")


def test_a_theme_path_that_does_not_exist(run_cli, project):
    code, _, stderr, _ = run(run_cli, project, "--theme", str(project / "no" / "theme.yaml"))
    assert code == 1
    assert stderr.startswith(f"--theme:1:1: theme '{project / 'no' / 'theme.yaml'}' not found (")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("red", "'red'"),
        ("'#12345'", "'#12345'"),
        ("'#GGHHII'", "'#GGHHII'"),
        ("0x123456", "1193046"),
        ("[1, 2, 3]", "[1, 2, 3]"),
        ("'rgb(1,2,3)'", "'rgb(1,2,3)'"),
    ],
)
def test_invalid_colours_are_located_in_the_theme(run_cli, project, value, shown):
    path = theme(project, "x", f"name: x\nextends: default\ncolors:\n  accent: {value}\n")
    code, _, stderr, _ = run(run_cli, project, "--theme", "x")
    assert code == 1
    assert stderr.endswith(
        f'themes/x/theme.yaml:4:11: invalid colour {shown} (write colours as "#RRGGBB")\n'
    )
    assert stderr.startswith(str(path)[: -len("themes/x/theme.yaml")])
    assert stderr.count("\n") == 1


def test_every_bad_colour_of_a_theme_is_reported(run_cli, project):
    theme(project, "x", "name: x\ncolors:\n  accent: red\n  text: blue\n  heading: '#FFF'\n")
    code, _, stderr, _ = run(run_cli, project, "--theme", "x")
    assert code == 1
    lines = stderr.splitlines()
    assert [line.split("theme.yaml:")[1] for line in lines] == [
        "4:9: invalid colour 'blue' (write colours as \"#RRGGBB\")",
        "5:12: invalid colour '#FFF' (write colours as \"#RRGGBB\")",
        "3:11: invalid colour 'red' (write colours as \"#RRGGBB\")",
    ]  # in the order the schema declares the colours


def test_a_missing_font_is_a_warning_and_the_deck_is_built(run_cli, project):
    theme(project, "x", "name: x\nextends: default\nfonts:\n  body: Comic Nonexistent Sans\n")
    code, stdout, stderr, content = run(run_cli, project, "--theme", "x", command="build")
    assert code == 0
    assert (project / "out" / "talk.pptx").is_file()
    warnings = [line for line in stderr.splitlines() if "Comic Nonexistent Sans" in line]
    assert len(warnings) == 1
    assert "themes/x/theme.yaml:4:9: warning: font 'Comic Nonexistent Sans'" in warnings[0]
    assert all(LOCATED.match(line) for line in stderr.splitlines())


def test_unknown_theme_fields_and_bad_values_are_located(run_cli, project):
    theme(project, "x", "name: x\ncolours: {}\nsize: '16:10'\nslide_numbers: maybe\n")
    code, _, stderr, _ = run(run_cli, project, "--theme", "x")
    assert code == 1
    tails = [line.split("theme.yaml:")[1] for line in stderr.splitlines()]
    assert "2:1: unknown field 'colours' in theme (did you mean 'colors'?)" in tails
    assert "3:7: expected one of 16:9, 4:3, got '16:10' (did you mean '16:9'?)" in tails
    assert "4:16: expected true or false, got a string" in tails


@pytest.mark.parametrize(
    ("text", "tail"),
    [
        (
            "name: x\n\tcolors: {}\n",
            "2:1: YAML syntax error: tab character used for indentation (indent with spaces)",
        ),
        ("", "1:1: file is empty"),
        ("- a list\n", "1:1: a theme file must be a mapping"),
        (
            "name: !!python/object/apply:os.system ['true']\n",
            "1:7: YAML tag '!!python/object/apply:os.system' is not allowed (deckwright reads "
            "plain data only; remove the tag)",
        ),
    ],
)
def test_broken_theme_files_are_one_located_line(run_cli, project, text, tail):
    theme(project, "x", text)
    code, _, stderr, _ = run(run_cli, project, "--theme", "x")
    assert code == 1
    assert stderr.endswith(f"themes/x/theme.yaml:{tail}\n")
    assert stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("acme.potx", b"this is not a zip archive\n"),
        ("acme.pptx", b"PK\x05\x06" + b"\x00" * 18),  # an empty zip
        ("acme.pptx", None),  # a zip holding something else
    ],
)
def test_a_broken_or_non_pptx_template_is_a_located_error(run_cli, project, name, data):
    folder = project / "themes" / "x"
    theme(project, "x", f"name: x\nextends: default\ntemplate: {name}\n")
    if data is None:
        with zipfile.ZipFile(folder / name, "w") as archive:
            archive.writestr("hello.txt", "not a presentation")
    else:
        (folder / name).write_bytes(data)
    code, stdout, stderr, _ = run(run_cli, project, "--theme", "x", command="build")
    assert (code, stdout) == (1, "")
    assert not (project / "out").exists()
    lines = stderr.splitlines()
    assert len(lines) == 1 and LOCATED.match(lines[0])
    assert "themes/x/theme.yaml:3:11: " in lines[0]


def test_a_template_outside_the_theme_folder_is_refused(run_cli, project):
    write(project / "elsewhere.pptx", "x")
    theme(project, "x", "name: x\nextends: default\ntemplate: ../../elsewhere.pptx\n")
    code, _, stderr, _ = run(run_cli, project, "--theme", "x")
    assert code == 1
    assert stderr.endswith("(includes and images must stay inside the project)\n")
    assert (
        "themes/x/theme.yaml:3:11: '../../elsewhere.pptx' is outside the project folder" in stderr
    )


def test_a_logo_that_is_not_an_image(run_cli, project):
    theme(project, "x", "name: x\nextends: default\nlogo: logo.png\n")
    write(project / "themes" / "x" / "logo.png", "<svg/>")
    code, _, stderr, _ = run(run_cli, project, "--theme", "x")
    assert code == 1
    assert stderr.endswith(
        "themes/x/theme.yaml:3:7: 'logo.png' is not an image file (use PNG, JPEG or GIF)\n"
    )


def test_extends_cycles_are_located_at_the_extends_that_closes_them(run_cli, project):
    theme(project, "a", "name: a\nextends: b\n")
    b = theme(project, "b", "name: b\ncolors: {accent: '#000000'}\nextends: a\n")
    code, _, stderr, _ = run(run_cli, project, "--theme", "a")
    assert (code, stderr) == (
        1,
        f"{b}:3:10: theme 'extends' cycle: a -> b -> a (a theme "
        "cannot extend itself, directly or through another)\n",
    )
    own = theme(project, "self", "name: self\nextends: self\n")
    code, _, stderr, _ = run(run_cli, project, "--theme", "self")
    assert (code, stderr) == (
        1,
        f"{own}:2:10: theme 'extends' cycle: self -> self (a theme "
        "cannot extend itself, directly or through another)\n",
    )


def test_an_extends_of_a_missing_theme_is_located_at_extends(run_cli, project):
    path = theme(project, "x", "name: x\nextends: defualt\n")
    code, _, stderr, _ = run(run_cli, project, "--theme", "x")
    assert (code, stderr) == (
        1,
        f"{path}:2:10: theme 'defualt' not found (did you mean 'default'?)\n",
    )


def test_a_theme_footer_template_is_sandboxed_and_located(run_cli, project):
    path = theme(project, "x", "name: x\nextends: default\nfooter: \"{{ ''.__class__ }}\"\n")
    code, _, stderr, _ = run(run_cli, project, "--theme", "x")
    assert (code, stderr) == (
        1,
        f"{path}:3:9: template refused by the sandbox: access to "
        "attribute '__class__' of 'str' object is unsafe (templates "
        "may only use vars, not Python internals)\n",
    )


def test_content_may_not_name_a_theme_file_outside_its_project(run_cli, project, tmp_path_factory):
    # Otherwise untrusted content could read any YAML file and echo it in errors.
    secret = write(tmp_path_factory.mktemp("home") / "secrets.yaml", "api_key: s3cr3t\n")
    root = project.resolve()
    for name in (str(secret), "../../../../../../" + str(secret).lstrip("/")):
        code, stdout, stderr, content = run(
            run_cli, project, talk=TALK.replace("title: T", f"title: T\ntheme: {name}")
        )
        assert (code, stdout) == (1, "")
        assert stderr == (
            f"{content}:1:1: theme '{name}' is outside the project folder "
            f"{root} (name a theme, or pass a theme path with --theme)\n"
        )
        assert "s3cr3t" not in stderr and "api_key" not in stderr


def test_a_theme_path_inside_the_project_and_any_path_given_with_theme_work(run_cli, project):
    path = theme(project, "mine", "name: mine\nextends: default\n")
    code, _, stderr, _ = run(
        run_cli, project, command="build", talk=TALK.replace("title: T", f"title: T\ntheme: {path}")
    )
    assert (code, stderr) == (0, "")
    code, _, stderr, _ = run(run_cli, project, "--theme", str(path.parent), command="build")
    assert (code, stderr) == (0, "")


@pytest.mark.parametrize("name", ["t" * 5000, "a\x00b", "themes/" + "x/" * 3000])
def test_theme_names_that_cannot_be_paths_are_not_found(run_cli, project, name):
    code, _, stderr, _ = run(run_cli, project, "--theme", name)
    assert code == 1
    assert stderr.startswith("--theme:1:1: theme '")
    assert "' not found (" in stderr and stderr.count("\n") == 1
