"""Hostile text and templates: characters XML cannot hold, long strings, scripts, Jinja2.

Text that cannot go into a .pptx is reported where it is, never written as `_x0007_`;
text that can (right-to-left, CJK, emoji) arrives in the deck unchanged. Templates are
sandboxed and bounded: escapes and resource bombs are refused quickly, with a location.
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest
from conftest import write

from generator.model.blocks import MAX_TEXT_CHARS
from generator.source.guard import MAX_RANGE, MAX_STEPS, MAX_VALUE
from generator.source.render import MAX_RENDERED_CHARS

HEAD = "vars: {company: Acme}\ntitle: T\nslides:\n"
ESCAPED = re.compile(r"_x[0-9A-Fa-f]{4}_")
SANDBOX = "(templates may only use vars, not Python internals)"
BUDGET = "(templates are for short substitutions, not for generating text)"


def build(run_cli, project: Path, text: str, *args: str) -> tuple[int, str, str, Path, Path]:
    content = write(project / "talk.yaml", text)
    out = project / "out" / "talk.pptx"
    code, stdout, stderr = run_cli("build", content, "-o", out, *args)
    return code, stdout, stderr, content, out


def deck_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as deck:
        return "\n".join(
            deck.read(name).decode("utf-8")
            for name in deck.namelist()
            if name.endswith((".xml", ".rels"))
        )


def fails(run_cli, project: Path, text: str, *args: str) -> tuple[str, Path]:
    code, stdout, stderr, content, out = build(run_cli, project, text, *args)
    assert (code, stdout) == (1, "")
    assert not out.exists()
    return stderr, content


# Characters XML cannot hold -------------------------------------------------------------


def test_a_raw_control_character_in_the_file_is_located_exactly(run_cli, project):
    stderr, content = fails(run_cli, project, HEAD + "  - kind: statement\n    text: be\x07ll\n")
    assert stderr == (
        f"{content}:5:13: character U+0007 is not allowed in YAML or PowerPoint text (remove it)\n"
    )


@pytest.mark.parametrize(
    ("escape", "code"),
    [
        ("\\x07", "0007"),
        ("\\x00", "0000"),
        ("\\e", "001B"),
        ("\\v", "000B"),
        ("\\uFFFE", "FFFE"),
        ("\\x0c", "000C"),
        ("\\r", "000D"),
    ],
)
def test_escapes_that_make_illegal_characters_are_reported_at_their_string(
    run_cli, project, escape, code
):
    text = HEAD + f'  - kind: statement\n    text: "ab{escape}c"\n'
    stderr, content = fails(run_cli, project, text)
    assert stderr == (
        f"{content}:5:11: character U+{code} at position 3 cannot be written "
        "to PowerPoint (remove it)\n"
    )


@pytest.mark.parametrize("field", ["notes", "id"])
def test_plain_string_fields_are_checked_too(run_cli, project, field):
    text = HEAD + f'  - kind: statement\n    text: hi\n    {field}: "say\\x01"\n'
    stderr, content = fails(run_cli, project, text)
    col = 12 if field == "notes" else 9
    assert stderr == (
        f"{content}:6:{col}: character U+0001 at position 4 cannot be written "
        "to PowerPoint (remove it)\n"
    )


@pytest.mark.parametrize(
    ("value", "code", "position"),
    [
        ("a\x01b", "0001", 2),
        ("\x1b[31mred", "001B", 1),
        ("x\x0bvertical", "000B", 2),
        ("lone \udcff byte", "DCFF", 6),
        ("end\uffff", "FFFF", 4),
    ],
)
def test_illegal_characters_from_var_are_reported_and_never_escaped_into_the_deck(
    run_cli, project, value, code, position
):
    text = HEAD + '  - kind: statement\n    text: "By {{ who }}"\n    notes: "{{ who }}"\n'
    stderr, content = fails(run_cli, project, text, "--var", f"who={value}")
    line = (
        f"template renders character U+{code} at position {position + 3}, which "
        "PowerPoint cannot hold (remove it from the variable or the template)"
    )
    notes_line = line.replace(f"position {position + 3}", f"position {position}")
    assert stderr == f"{content}:5:11: {line}\n{content}:6:12: {notes_line}\n"


def test_illegal_characters_from_var_in_the_theme_footer_are_located_in_the_theme(run_cli, project):
    write(
        project / "themes" / "plain" / "theme.yaml",
        'name: plain\nextends: default\nfooter: "{{ company }} internal"\n',
    )
    stderr, content = fails(
        run_cli,
        project,
        HEAD + "  - kind: statement\n    text: hi\n",
        "--theme",
        "plain",
        "--var",
        "company=Ac\x02me",
    )
    assert stderr.endswith(
        "themes/plain/theme.yaml:3:9: template renders character U+0002 "
        "at position 3, which PowerPoint cannot hold (remove it from the "
        "variable or the template)\n"
    )
    assert stderr.count("\n") == 1


def test_legal_but_tricky_characters_reach_the_deck_verbatim_with_no_escapes(run_cli, project):
    text = (
        HEAD.replace("title: T", 'title: "Tabs\\tand «quotes» & <tags> \\u00a0nbsp"')
        + '  - kind: statement\n    text: "{{ who }}: C1 \\u0085 and \\u200f marks"\n'
        '    notes: "line one\\nline two\\ttab"\n'
    )
    code, _, stderr, _, out = build(run_cli, project, text, "--var", "who=Zoë & <Bob>")
    assert (code, stderr) == (0, "")
    xml = deck_xml(out)
    assert not ESCAPED.search(xml)
    assert "Zoë &amp; &lt;Bob&gt;" in xml
    assert "«quotes» &amp; &lt;tags&gt;" in xml
    from pptx import Presentation

    deck = Presentation(str(out))
    assert deck.slides[0].notes_slide.notes_text_frame.text == "line one\nline two\ttab"


# Long strings --------------------------------------------------------------------------


def test_a_string_over_the_text_limit_is_one_line(run_cli, project):
    long = "word " * (MAX_TEXT_CHARS // 5 + 1)
    stderr, content = fails(run_cli, project, HEAD + f"  - kind: statement\n    text: {long}\n")
    size = len(long.strip())
    assert stderr == (
        f"{content}:5:11: text is {size:,} characters; the limit is {MAX_TEXT_CHARS:,}\n"
    )


def test_a_very_long_word_builds_with_a_located_warning(run_cli, project):
    started = time.perf_counter()
    code, stdout, stderr, content, out = build(
        run_cli,
        project,
        HEAD.replace("title: T", "title: " + "W" * 3000)
        + "  - kind: bullets\n    title: "
        + "x" * 5000
        + "\n    bullets: ["
        + "y" * 10000
        + "]\n",
    )
    assert time.perf_counter() - started < 60
    assert code == 0 and out.is_file()
    for line in stderr.splitlines():
        assert line.startswith(f"{content}:") and ": warning: " in line
    assert "y" * 10000 in deck_xml(out)


# Right-to-left, CJK, emoji -------------------------------------------------------------


SCRIPTS = {
    "arabic": "مهندس الذكاء الاصطناعي",
    "hebrew": "מהנדס למידת מכונה",
    "chinese": "人工智能工程师与机器学习工程师",
    "japanese": "機械学習エンジニア、こんにちは",
    "korean": "인공지능 엔지니어",
    "emoji": "🚀 👩‍💻 🇺🇦 1️⃣ 🧑🏽‍🔬",
    "math": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ∑ ≠ ∞",
}


def test_rtl_cjk_and_emoji_survive_into_the_deck(run_cli, project):
    slides = "".join(f'  - kind: statement\n    text: "{text}"\n' for text in SCRIPTS.values())
    table = (
        '  - kind: table\n    title: 表\n    header: ["עברית", "العربية"]\n'
        f'    rows: [["{SCRIPTS["chinese"]}", "{SCRIPTS["emoji"]}"]]\n'
        '  - kind: bullets\n    title: "{{ company }} 😀"\n'
        f'    bullets: ["{SCRIPTS["arabic"]} **{SCRIPTS["hebrew"]}**"]\n'
    )
    code, stdout, stderr, _, out = build(
        run_cli,
        project,
        HEAD.replace("title: T", 'title: "שלום 👋"') + slides + table,
        "--var",
        "company=株式会社",
    )
    assert code == 0, stderr
    xml = deck_xml(out)
    assert not ESCAPED.search(xml)
    from pptx import Presentation

    texts = "\n".join(
        shape.text_frame.text
        for slide in Presentation(str(out)).slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    for text in SCRIPTS.values():
        assert text in texts or text in xml, text
    assert "株式会社 😀" in texts
    assert "שלום 👋" in xml


# Templates: undefined names, syntax errors ---------------------------------------------


def test_an_undefined_variable_is_named_at_its_string(run_cli, project):
    text = HEAD + '  - kind: statement\n    text: "By {{ presenter }}"\n'
    stderr, content = fails(run_cli, project, text)
    assert stderr == (
        f"{content}:5:11: undefined variable 'presenter' "
        "(define it under vars: or pass --var KEY=VALUE)\n"
    )


def test_every_undefined_variable_of_a_run_is_reported(run_cli, project):
    text = HEAD.replace("title: T", 'title: "{{ a }}"') + (
        '  - kind: bullets\n    title: "{{ b }}"\n    bullets: ["{{ c }}", ok]\n'
    )
    stderr, content = fails(run_cli, project, text)
    hint = "(define it under vars: or pass --var KEY=VALUE)"
    assert stderr == (
        f"{content}:2:8: undefined variable 'a' {hint}\n"
        f"{content}:5:12: undefined variable 'b' {hint}\n"
        f"{content}:6:15: undefined variable 'c' {hint}\n"
    )


def test_an_attribute_of_a_plain_var_is_undefined(run_cli, project):
    text = HEAD + '  - kind: statement\n    text: "{{ company.name }}"\n'
    stderr, content = fails(run_cli, project, text)
    assert stderr == (
        f"{content}:5:11: undefined attribute 'name' "
        "(vars are plain values: use the variable itself)\n"
    )


@pytest.mark.parametrize(
    ("value", "where", "message"),
    [
        (
            '"{{ company "',
            "5:11",
            "template syntax error: unexpected end of template, expected 'end of print statement' "
            "(close every '{{' with '}}' and every '{%' with '%}')",
        ),
        (
            '"{% if company %}yes"',
            "5:11",
            "template syntax error: '{% if %}' is never closed (add '{% endif %}')",
        ),
        (
            '"{% for x in company %}{{ x }}"',
            "5:11",
            "template syntax error: '{% for %}' is never closed (add '{% endfor %}')",
        ),
        (
            '"{% frobnicate %}"',
            "5:11",
            "template syntax error: Encountered unknown tag 'frobnicate' (write literal braces as "
            "{{ '{%' }}, or put the text in {% raw %}...{% endraw %})",
        ),
        ('"{{ 1 + }}"', "5:11", "template syntax error: unexpected 'end of print statement'"),
        (
            "|\n      line one\n      line two {{ oops(\n      line three\n",
            "8:1",
            "template syntax error: expected token ',', got 'three'",
        ),
        (
            "|\n      line one\n      {% if x %}\n      line three\n",
            "7:1",
            "template syntax error: '{% if %}' is never closed (add '{% endif %}')",
        ),
    ],
)
def test_template_syntax_errors_are_located(run_cli, project, value, where, message):
    stderr, content = fails(run_cli, project, HEAD + f"  - kind: statement\n    text: {value}\n")
    assert stderr == f"{content}:{where}: {message}\n"


def test_includes_and_imports_are_not_available(run_cli, project):
    write(project / "secret.txt", "top secret")
    for tag in (
        "{% include 'secret.txt' %}",
        "{% import 'secret.txt' as s %}",
        "{% extends 'secret.txt' %}",
    ):
        stderr, content = fails(
            run_cli, project, HEAD + f'  - kind: statement\n    text: "{tag}"\n'
        )
        assert stderr == (
            f"{content}:5:11: templates cannot include, import or extend other templates\n"
        )


def test_code_source_is_shown_verbatim_not_templated(run_cli, project):
    text = HEAD + (
        "  - kind: code\n    title: Jinja itself\n    language: jinja\n"
        '    source: "{{ ().__class__ }} {% if x %}"\n'
    )
    code, _, stderr, _, out = build(run_cli, project, text)
    assert (code, stderr) == (0, "")
    assert "__class__" in deck_xml(out)


# Sandbox escapes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' of 'str' object is unsafe"),
        (
            "{{ cycler.__init__.__globals__ }}",
            "access to attribute '__init__' of 'type' object is unsafe",
        ),
        (
            "{{ joiner.__init__.__globals__.os }}",
            "access to attribute '__init__' of 'type' object is unsafe",
        ),
        (
            "{{ namespace.__init__.__globals__ }}",
            "access to attribute '__init__' of 'type' object is unsafe",
        ),
        (
            "{{ company.__class__.__base__.__subclasses__() }}",
            "access to attribute '__class__' of 'str' object is unsafe",
        ),
        (
            "{{ '{0.__class__}'.format(company) }}",
            "access to attribute '__class__' of 'str' object is unsafe",
        ),
        (
            "{{ self.__init__.__globals__ }}",
            "access to attribute '__init__' of 'TemplateReference' object is unsafe",
        ),
        (
            "{{ range.__globals__ }}",
            "access to attribute '__globals__' of 'function' object is unsafe",
        ),
    ],
)
def test_sandbox_escapes_are_refused(run_cli, project, template, message):
    stderr, content = fails(
        run_cli, project, HEAD + f'  - kind: statement\n    text: "{template}"\n'
    )
    assert stderr == f"{content}:5:11: template refused by the sandbox: {message} {SANDBOX}\n"


@pytest.mark.parametrize(
    "template", ["{{ config }}", "{{ lipsum(5) }}", "{{ request }}", "{{ __builtins__ }}"]
)
def test_no_extra_globals_leak_into_templates(run_cli, project, template):
    name = re.search(r"\{\{ (\w+)", template).group(1)
    stderr, content = fails(
        run_cli, project, HEAD + f'  - kind: statement\n    text: "{template}"\n'
    )
    assert stderr == (
        f"{content}:5:11: undefined variable '{name}' "
        "(define it under vars: or pass --var KEY=VALUE)\n"
    )


def test_templates_cannot_mutate_values(run_cli, project):
    stderr, content = fails(
        run_cli,
        project,
        HEAD + ('  - kind: statement\n    text: "{% set l = [1] %}{{ l.append(2) }}"\n'),
    )
    assert stderr == (
        f"{content}:5:11: template refused by the sandbox: access to attribute "
        f"'append' of 'list' object is unsafe {SANDBOX}\n"
    )


# Resource exhaustion -------------------------------------------------------------------


BOMBS = [
    ("{{ 'a' * 10**9 }}", f"repeating a value would make more than {MAX_VALUE:,} characters"),
    ("{{ [0] * 10**9 }}", f"repeating a value would make more than {MAX_VALUE:,} characters"),
    ("{{ 2 ** (10 ** 9) }}", "a power of more than 10,000 bits"),
    ("{{ 9 ** (9 ** (9 ** 9)) }}", "a power of more than 10,000 bits"),
    ("{{ (2 ** 9000) * (2 ** 9000) }}", "a product of more than 10,000 bits"),
    ("{{ range(10**9)|list }}", f"range() is limited to {MAX_RANGE:,} items"),
    (
        "{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}",
        f"the template takes more than {MAX_STEPS:,} steps (loops, calls and output)",
    ),
    ("{{ 'x'|center(10**9) }}", f"center would make more than {MAX_VALUE:,} characters"),
    ("{{ 'x'.ljust(10**9) }}", f"ljust() would make more than {MAX_VALUE:,} characters"),
    (
        "{{ '%0999999999d' % 1 }}",
        f"a '%' format width would make more than {MAX_VALUE:,} characters",
    ),
    (
        "{{ '{:>999999999}'.format(1) }}",
        f"a format width would make more than {MAX_VALUE:,} characters",
    ),
    (
        "{{ 'ab'|replace('', 'x' * 99999) }}",
        f"replace() would make more than {MAX_VALUE:,} characters",
    ),
    ("{{ [1]|batch(10**9, 0)|list }}", f"batch would make more than {MAX_VALUE:,} characters"),
    ("{% set a = 'x' * 60000 %}{{ a ~ a }}", f"'~' would make more than {MAX_VALUE:,} characters"),
    (
        "{% set a = 'x' * 60000 %}{{ a + a }}",
        f"joining two values would make more than {MAX_VALUE:,} characters",
    ),
    (
        "{% set a = 'x' * 99999 %}{% set b %}{% for i in range(99) %}{{ a }}{% endfor %}"
        "{% endset %}{{ b|length }}",
        "the template outputs more than 1,000,000 characters",
    ),
    (
        "{% for c in 'ab' recursive %}{% if loop.depth < 60 %}{{ loop('ab') }}{% endif %}"
        "{% endfor %}",
        f"the template takes more than {MAX_STEPS:,} steps (loops, calls and output)",
    ),
]


@pytest.mark.parametrize(("template", "message"), BOMBS)
def test_resource_bombs_in_templates_are_refused_quickly(run_cli, project, template, message):
    started = time.perf_counter()
    stderr, content = fails(
        run_cli, project, HEAD + f'  - kind: statement\n    text: "{template}"\n'
    )
    assert time.perf_counter() - started < 10
    assert stderr == f"{content}:5:11: template refused: {message} {BUDGET}\n"


def test_output_over_the_rendered_limit_stops_early(run_cli, project):
    template = "{% for i in range(5000) %}{{ 'x' * 99 }}{% endfor %}"
    stderr, content = fails(
        run_cli, project, HEAD + f'  - kind: statement\n    text: "{template}"\n'
    )
    assert stderr == (
        f"{content}:5:11: template renders to more than "
        f"{MAX_RENDERED_CHARS:,} characters; the limit is "
        f"{MAX_RENDERED_CHARS:,}\n"
    )


def test_recursion_in_macros_is_an_error_not_a_crash(run_cli, project):
    template = "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"
    stderr, content = fails(
        run_cli, project, HEAD + f'  - kind: statement\n    text: "{template}"\n'
    )
    assert stderr == f"{content}:5:11: template error: maximum recursion depth exceeded\n"


def test_ordinary_templates_still_work(run_cli, project):
    template = (
        "{{ company|upper }} {{ '%03d'|format(7) }} {{ '{:>5}'.format('x') }} "
        "{% for i in range(3) %}{{ loop.index }}{% endfor %} "
        "{{ ['a', 'b']|join('-') }} {{ 2 ** 10 }} {{ 'ab' * 2 }} {{ company ~ '!' }}"
    )
    code, _, stderr, _, out = build(
        run_cli, project, HEAD + f'  - kind: statement\n    text: "{template}"\n'
    )
    assert (code, stderr) == (0, "")
    assert "ACME 007     x 123 a-b 1024 abab Acme!" in deck_xml(out)
