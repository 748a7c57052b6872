"""Hostile and broken YAML: each case is one located line, exit 1, nothing run or written.

Every test goes through the CLI with real files in a project folder and pins the exact
line the user sees: `path:line:col: message (hint)`.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import pytest
from conftest import write

from generator.source.yamlload import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

OK = "title: T\nslides:\n  - kind: statement\n    text: hi\n"


def check(run_cli, project: Path, text: str | bytes, *args: str) -> tuple[int, str, Path]:
    """Run `deckwright check` on text saved as talk.yaml; return (exit, stderr, path)."""
    content = project / "talk.yaml"
    if isinstance(text, bytes):
        content.write_bytes(text)
    else:
        write(content, text)
    code, stdout, stderr = run_cli("check", content, *args)
    if code:
        assert stdout == ""
    return code, stderr, content


def build_fails(run_cli, project: Path, text: str | bytes) -> tuple[str, Path]:
    """Build text; assert it fails with exit 1 and writes nothing; return (stderr, path)."""
    content = project / "talk.yaml"
    if isinstance(text, bytes):
        content.write_bytes(text)
    else:
        write(content, text)
    out = project / "out" / "talk.pptx"
    code, stdout, stderr = run_cli("build", content, "-o", out)
    assert (code, stdout) == (1, "")
    assert not out.parent.exists()
    return stderr, content


SYNTAX = [
    pytest.param(
        "title: T\nslides:\n\t- kind: statement\n",
        "3:1: YAML syntax error: tab character used for indentation (indent with spaces)",
        id="tab-indentation",
    ),
    pytest.param(
        "title: T\nslides:\n  - kind: statement\n\ttext: hi\n",
        "4:1: YAML syntax error: tab character used for indentation (indent with spaces)",
        id="tab-in-a-mapping",
    ),
    pytest.param(
        'title: "Two roles\nslides: []\n',
        '1:8: YAML syntax error: this quoted text is never closed (add the closing ")',
        id="unclosed-double-quote",
    ),
    pytest.param(
        "title: T\nsubtitle: 'never\nslides: []\n",
        "2:11: YAML syntax error: this quoted text is never closed (add the closing ')",
        id="unclosed-single-quote",
    ),
    pytest.param(
        "title: T\nslides: [\n  {kind: statement, text: hi}\n",
        "2:9: YAML syntax error: the list opened here with '[' is not closed "
        "(close it with ']', and separate items with ',')",
        id="unclosed-bracket",
    ),
    pytest.param(
        "title: T\nvars: {a: 1\nslides: []\n",
        "2:7: YAML syntax error: the mapping opened here with '{' is not closed "
        "(close it with '}', and separate items with ',')",
        id="unclosed-brace",
    ),
    pytest.param(
        "title: Roles: AI vs ML\nslides: []\n",
        "1:13: YAML syntax error: unexpected ':' in a value "
        "(put text that holds ': ' in quotes, or check the indentation)",
        id="colon-in-a-plain-value",
    ),
    pytest.param(
        "title: `code`\nslides: []\n",
        "1:8: YAML syntax error: a plain value cannot start with '`' (put the value in quotes)",
        id="backtick-start",
    ),
    pytest.param(
        'title: "C:\\Users"\nslides: []\n',
        "1:13: YAML syntax error: invalid escape sequence in double quotes "
        "(use single quotes, or write \\\\ for a backslash)",
        id="windows-path",
    ),
    pytest.param(
        'title: "a \\q b"\nslides: []\n',
        "1:12: YAML syntax error: unknown escape '\\q' in double quotes "
        "(use single quotes, or write \\\\ for a backslash)",
        id="bad-escape",
    ),
    pytest.param(
        "title: T\nslides:\n  - a\n - b\n",
        "4:2: YAML syntax error: this line is not indented like the lines around it "
        "(indent the items of one list or mapping by the same number of spaces)",
        id="bad-indentation",
    ),
    pytest.param(
        "title: *name\nslides: []\n",
        "1:8: YAML syntax error: alias '*name' refers to no anchor (define '&name' before it)",
        id="undefined-alias",
    ),
    pytest.param(
        "title: T\nslides: []\n---\ntitle: U\n",
        "3:1: YAML syntax error: a second YAML document ('---') in one file "
        "(a content file holds one document)",
        id="two-documents",
    ),
]


@pytest.mark.parametrize(("text", "line"), SYNTAX)
def test_yaml_syntax_errors_are_one_located_line_with_a_hint(run_cli, project, text, line):
    code, stderr, content = check(run_cli, project, text)
    assert (code, stderr) == (1, f"{content}:{line}\n")


def test_duplicate_keys_are_all_reported_with_the_first_line(run_cli, project):
    text = "title: T\nslides:\n  - kind: statement\n    text: a\n    text: b\ntitle: U\n"
    code, stderr, content = check(run_cli, project, text)
    assert (code, stderr) == (
        1,
        f"{content}:5:5: duplicate key 'text' (first defined at line 4)\n"
        f"{content}:6:1: duplicate key 'title' (first defined at line 1)\n",
    )


def test_merge_keys_merge_without_duplicate_errors(run_cli, project):
    text = (
        "vars: {company: Acme}\nbase: &base {kind: statement, text: hi}\ntitle: T\n"
        "slides:\n  - {<<: [*base, *base], text: own}\n"
    )
    code, stderr, content = check(run_cli, project, text)
    assert (code, stderr) == (
        1,
        f"{content}:2:1: unknown field 'base' in content "
        "(fields: title, slides, subtitle, author, date, theme, vars)\n",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "file is empty"),
        ("\n\n", "file is empty"),
        ("# only a comment\n", "file is empty"),
        ("---\n", "file is empty"),
        ("null\n", "file holds only null"),
        ("~\n", "file holds only null"),
    ],
)
def test_an_empty_file_says_so(run_cli, project, text, message):
    code, stderr, content = check(run_cli, project, text)
    assert (code, stderr) == (
        1,
        f"{content}:1:1: {message} (a content file starts with 'title:' and 'slides:')\n",
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_are_named_with_or_without_a_byte_order_mark(run_cli, project, encoding):
    code, stderr, content = check(run_cli, project, OK.encode(encoding))
    assert (code, stderr) == (1, f"{content}:1:1: file is UTF-16 text (save it as UTF-8)\n")


def test_utf32_is_named_too(run_cli, project):
    code, stderr, content = check(run_cli, project, OK.encode("utf-32"))
    assert (code, stderr) == (1, f"{content}:1:1: file is UTF-32 text (save it as UTF-8)\n")


def test_a_binary_file_is_not_yaml(run_cli, project):
    png_header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    code, stderr, content = check(run_cli, project, png_header)
    assert (code, stderr) == (
        1,
        f"{content}:3:1: file is binary (it holds NUL bytes), not "
        "YAML text (give a .yaml file saved as UTF-8)\n",
    )


def test_latin1_text_is_located_at_the_first_bad_byte(run_cli, project):
    text = "title: T\nsubtitle: Café\nslides: []\n".encode("latin-1")
    code, stderr, content = check(run_cli, project, text)
    assert (code, stderr) == (1, f"{content}:2:14: file is not UTF-8 text (save it as UTF-8)\n")


def test_a_utf8_byte_order_mark_is_fine(run_cli, project):
    code, stderr, _ = check(run_cli, project, b"\xef\xbb\xbf" + OK.encode())
    assert (code, stderr) == (0, "")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("- title: T\n- slides: []\n", "a list"),
        ("just a sentence\n", "a string"),
        ("42\n", "a number (42)"),
        ("true\n", "a boolean (true)"),
    ],
)
def test_the_top_level_must_be_a_mapping(run_cli, project, text, what):
    code, stderr, content = check(run_cli, project, text)
    assert (code, stderr) == (
        1,
        f"{content}:1:1: a content file must be a mapping (title:, slides:, ...), not {what}\n",
    )


def test_wrong_types_anywhere_are_each_reported(run_cli, project):
    text = (
        "title: [not, text]\ndate: yesterday\nvars: [a]\nslides:\n"
        "  - kind: bullets\n    title: B\n    bullets: just one string\n"
        "  - kind: table\n    title: T\n    header: A\n    rows: [[1]]\n"
        "  - kind: statement\n    text: {a: 1}\n    notes: true\n"
    )
    code, stderr, content = check(run_cli, project, text)
    assert code == 1
    assert stderr.splitlines() == [
        f"{content}:3:7: vars must be a mapping, got a list",
        f"{content}:1:8: expected text, got a list",
        f"{content}:7:14: bullets must be a list, got a string",
        f"{content}:10:13: a table row must be a list of cells, got a string",
        f"{content}:14:12: expected text, got a boolean (true)",
        f"{content}:13:11: expected text, got a mapping",
        f"{content}:2:7: expected a date like 2026-11-26, got 'yesterday'",
    ]


def test_unknown_kinds_and_fields_suggest_the_nearest_name(run_cli, project):
    text = (
        "title: T\nsubtitel: S\nslides:\n  - kind: tabel\n    title: x\n"
        "  - kind: code\n    title: C\n    langauge: python\n    source: x\n"
        "  - kind: closing\n    zzz: 1\n"
    )
    code, stderr, content = check(run_cli, project, text)
    assert code == 1
    assert stderr.splitlines() == [
        f"{content}:2:1: unknown field 'subtitel' in content (did you mean 'subtitle'?)",
        f"{content}:4:11: unknown slide kind 'tabel' (did you mean 'table'?)",
        f"{content}:8:5: unknown field 'langauge' in code slide (did you mean 'language'?)",
        f"{content}:6:5: code slide is missing required field 'language'",
        f"{content}:11:5: unknown field 'zzz' in closing slide "
        "(fields: id, notes, background, title, subtitle)",
        f"{content}:10:5: closing slide is missing required field 'title'",
    ]


def test_a_kind_with_no_near_match_lists_the_kinds(run_cli, project):
    code, stderr, content = check(run_cli, project, "title: T\nslides:\n  - kind: hologram\n")
    kinds = (
        "bullets, chart, closing, code, comparison, image, quote, section, statement, table, title"
    )
    assert (code, stderr) == (
        1,
        f"{content}:3:11: unknown slide kind 'hologram' (kinds: {kinds})\n",
    )


def test_missing_required_fields_are_located_at_their_mapping(run_cli, project):
    text = "subtitle: S\nslides:\n  - kind: bullets\n    title: B\n  - title: no kind\n"
    code, stderr, content = check(run_cli, project, text)
    kinds = (
        "bullets, chart, closing, code, comparison, image, quote, section, statement, table, title"
    )
    assert code == 1
    assert stderr.splitlines() == [
        f"{content}:1:1: content is missing required field 'title'",
        f"{content}:3:5: bullets slide is missing required field 'bullets'",
        f"{content}:5:5: slide is missing required field 'kind' (kinds: {kinds})",
    ]


def test_billion_laughs_is_bounded_and_named(run_cli, project):
    rows = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        rows.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 10) + "]")
    text = "\n".join(rows) + "\ntitle: T\nslides: *i\n"
    started = time.perf_counter()
    code, stderr, content = check(run_cli, project, text)
    assert time.perf_counter() - started < 20
    # Located at the anchor whose expansion went over the budget: &e, 100,000 values.
    assert (code, stderr) == (
        1,
        f"{content}:5:4: aliases expand the document to more than "
        f"{MAX_NODES:,} values (a 'billion laughs' bomb? use fewer, "
        "smaller aliases)\n",
    )


def test_an_alias_that_contains_itself_is_refused(run_cli, project):
    code, stderr, content = check(run_cli, project, "loop: &a [*a]\ntitle: T\nslides: *a\n")
    assert (code, stderr) == (
        1,
        f"{content}:1:7: lists and mappings nest more than "
        f"{MAX_DEPTH} levels deep (an alias that contains itself?)\n",
    )


def test_deep_nesting_is_refused_not_a_recursion_error(run_cli, project):
    depth = 5000
    code, stderr, content = check(
        run_cli, project, "title: T\nslides: " + "[" * depth + "]" * depth + "\n"
    )
    assert code == 1
    assert stderr.startswith(f"{content}:2:")
    assert stderr.endswith(
        f": YAML syntax error: lists and mappings nest more than {MAX_DEPTH} levels deep\n"
    )
    code, stderr, content = check(
        run_cli, project, "title: T\nslides: " + "[" * 150 + "]" * 150 + "\n"
    )
    assert (code, stderr) == (
        1,
        f"{content}:2:108: lists and mappings nest more than {MAX_DEPTH} levels deep\n",
    )


@pytest.mark.parametrize(
    ("tag", "shown"),
    [
        ("!!python/object/apply:os.system ['touch {flag}']", "!!python/object/apply:os.system"),
        (
            "!!python/object/new:subprocess.Popen [['touch', '{flag}']]",
            "!!python/object/new:subprocess.Popen",
        ),
        ("!!python/name:os.system", "!!python/name:os.system"),
        (
            "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {flag}']",
            "!!python/object/apply:os.system",
        ),
        ("!custom thing", "!custom"),
        ("!!binary aGVsbG8=", "!!binary"),
    ],
)
def test_tags_that_would_construct_objects_are_reported_and_never_run(run_cli, project, tag, shown):
    flag = project / "ran"
    text = f"title: {tag.format(flag=flag)}\nslides:\n  - kind: statement\n    text: hi\n"
    code, stderr, content = check(run_cli, project, text)
    assert (code, stderr) == (
        1,
        f"{content}:1:8: YAML tag '{shown}' is not allowed "
        "(deckwright reads plain data only; remove the tag)\n",
    )
    assert not flag.exists()


def test_a_20_mb_file_is_refused_quickly_without_reading_it(run_cli, project):
    content = project / "talk.yaml"
    with content.open("w") as handle:
        handle.write("title: T\nslides:\n")
        chunk = "  - kind: statement\n    text: the same slide again\n" * 10_000
        while handle.tell() < 20 * 1024 * 1024:
            handle.write(chunk)
    size = content.stat().st_size
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    code, stdout, stderr = run_cli("check", content)
    assert time.perf_counter() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 50 * 1024  # KiB
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"{content}:1:1: file is {size:,} bytes; the limit is "
        f"{MAX_FILE_BYTES:,} (split the talk into several files, or include "
        "long code with 'file:')\n"
    )


def test_a_file_just_under_the_limit_but_with_too_many_values_is_bounded(run_cli, project):
    slide = "  - kind: statement\n    text: s\n"
    text = "title: T\nslides:\n" + slide * (MAX_NODES // 4)
    assert len(text) < MAX_FILE_BYTES
    started = time.perf_counter()
    code, stderr, content = check(run_cli, project, text)
    assert time.perf_counter() - started < 60
    assert code == 1
    assert stderr.endswith(
        f": the document has more than {MAX_NODES:,} values (split the talk into several files)\n"
    )
    assert stderr.startswith(f"{content}:")


def test_invalid_scalar_values_are_located(run_cli, project):
    text = "title: T\ndate: 2026-13-45\nslides: []\n"
    code, stderr, content = check(run_cli, project, text)
    assert code == 1
    assert stderr.startswith(f"{content}:2:7: invalid timestamp value '2026-13-45' (")


def test_a_content_folder_or_missing_file_is_one_line(run_cli, project):
    (project / "folder.yaml").mkdir()
    code, stdout, stderr = run_cli("check", project / "folder.yaml")
    assert (code, stderr) == (1, f"{project / 'folder.yaml'}:1:1: is a directory, not a file\n")
    code, stdout, stderr = run_cli("check", project / "nope.yaml")
    assert (code, stderr) == (1, f"{project / 'nope.yaml'}:1:1: file not found\n")


@pytest.mark.skipif(
    os.geteuid() == 0 if hasattr(os, "geteuid") else True,
    reason="root reads files whatever their mode",
)
def test_an_unreadable_content_file_is_one_line(run_cli, project):
    content = write(project / "talk.yaml", OK)
    content.chmod(0)
    try:
        code, _, stderr = run_cli("check", content)
    finally:
        content.chmod(0o644)
    assert (code, stderr) == (1, f"{content}:1:1: cannot read file: Permission denied\n")


def test_several_problems_in_one_run_are_all_reported_and_nothing_is_written(run_cli, project):
    text = "title: T\ntitle: U\nslides:\n  - kind: x\n    text: !!python/name:os.system\n"
    stderr, content = build_fails(run_cli, project, text)
    assert stderr == (
        f"{content}:2:1: duplicate key 'title' (first defined at line 1)\n"
        f"{content}:5:11: YAML tag '!!python/name:os.system' is not allowed "
        "(deckwright reads plain data only; remove the tag)\n"
    )


def test_messages_quoting_user_text_stay_on_one_line(run_cli, project):
    code, stderr, content = check(
        run_cli, project, 'title: T\nslides:\n  - kind: "tab\\nle\\u001b[31m"\n'
    )
    assert (code, stderr) == (
        1,
        f"{content}:3:11: unknown slide kind 'tab\\nle\\x1b[31m' (did you mean 'table'?)\n",
    )


def test_no_yaml_library_object_construction_is_reachable():
    # The loader composes nodes and converts them itself; make sure it never asks
    # PyYAML to construct a tagged node (the hook a !!python tag would need).
    import yaml

    from generator.errors import Problems
    from generator.source.yamlload import load_yaml

    calls = []
    original = yaml.constructor.FullConstructor.construct_python_object_apply

    def spy(*args, **kwargs):  # pragma: no cover - must not be called
        calls.append(args)
        return original(*args, **kwargs)

    yaml.constructor.FullConstructor.construct_python_object_apply = spy
    try:
        problems = Problems()
        load_yaml("a: !!python/object/apply:os.getcwd []\n", "x.yaml", problems)
    finally:
        yaml.constructor.FullConstructor.construct_python_object_apply = original
    assert not calls and len(problems) == 1
    assert sys.modules.get("os") is os


def test_a_pipe_or_device_is_not_read(run_cli, project):
    fifo = project / "talk.yaml"
    os.mkfifo(fifo)
    started = time.perf_counter()
    code, _, stderr = run_cli("check", fifo, "/dev/zero")
    assert time.perf_counter() - started < 5
    assert (code, stderr) == (
        1,
        f"{fifo}:1:1: is not a regular file\n/dev/zero:1:1: is not a regular file\n",
    )


def test_dates_where_a_mapping_belongs_are_named_as_dates(run_cli, project):
    code, stderr, content = check(run_cli, project, "title: T\nslides:\n  - 2026-11-26\n")
    assert (code, stderr) == (
        1,
        f"{content}:3:5: a slide must be a mapping, got a date (2026-11-26)\n",
    )


def test_a_content_file_in_a_symbolic_link_loop_is_one_line(run_cli, project):
    (project / "a.yaml").symlink_to(project / "b.yaml")
    (project / "b.yaml").symlink_to(project / "a.yaml")
    for command in ("check", "build"):
        code, stdout, stderr = run_cli(command, project / "a.yaml")
        assert (code, stdout) == (1, "")
        assert stderr == (
            f"{project / 'a.yaml'}:1:1: cannot read file: Too many levels of symbolic links\n"
        )
