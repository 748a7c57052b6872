"""Fuzzing: whatever the content, deckwright writes a deck or reports located errors.

Hypothesis generates content documents, valid and invalid: real slides of every kind,
random kinds, fields and values, hostile strings (templates, escapes, paths, scripts),
and YAML text that is cut and spliced with YAML's special characters. For each one
`deckwright build` must either exit 0 with a deck that python-pptx reopens, or exit 1
with every stderr line located (`path:line:col: `). Anything else fails: a traceback,
exit 70 (an internal error: a crash, which is a bug), another exit code, an unlocated
line, a deck written by a failed build.

A bounded number of examples runs by default; set DECKWRIGHT_FUZZ_EXAMPLES=2000 (say)
for a longer run, and DECKWRIGHT_FUZZ_LOG=FILE to append one line per run (command,
exit code, first stderr line) and see what the examples reached.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import traceback
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pptx import Presentation

from generator.cli import main
from generator.model.registry import kinds

KINDS = kinds()

EXAMPLES = int(os.environ.get("DECKWRIGHT_FUZZ_EXAMPLES", "40"))
LOCATED = re.compile(r"^[^:]+:\d+:\d+: ")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

HOSTILE = [
    "{{ company }}",
    "{{ nope }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__ }}",
    "{{ 'a' * 10**9 }}",
    "{% for i in range(10**6) %}x{% endfor %}",
    "{% if x %}",
    "{{",
    "{{ company|center(10**8) }}",
    "{% raw %}{{ x }}{% endraw %}",
    "{# comment #}",
    "**bold** *italic* `code` [link](https://example.com)",
    "[x](javascript:alert(1))",
    "[m](mailto:a@b.c)",
    "a.py",
    "snips/a.py",
    "../../etc/passwd",
    "/etc/passwd",
    "link.py",
    "snips",
    "pic.png",
    "text.png",
    "nope.png",
    "python",
    "pyhton",
    "text",
    "1-2",
    "2-1",
    "0-99",
    "r",
    "missing",
    "bell\x07",
    "nul\x00",
    "\ufffe",
    "\x1b[31m",
    "مرحبا بالعالم",
    "שלום",
    "你好世界",
    "👩‍💻🚀",
    "tab\there",
    "line\nbreak",
    "   ",
    "",
    "x" * 400,
    "word " * 300,
    "- not a list",
    "key: value",
    "&anchor",
    "*alias",
    "!!python/object/apply:os.system",
    "2026-11-26",
    "16:9",
    "#FF0000",
    "null",
    "~",
]
FIELDS = [
    "kind",
    "title",
    "subtitle",
    "text",
    "bullets",
    "header",
    "rows",
    "left",
    "right",
    "heading",
    "code",
    "language",
    "source",
    "file",
    "lines",
    "region",
    "src",
    "alt",
    "caption",
    "notes",
    "id",
    "image",
    "zzz",
]
KIND_NAMES = sorted(KINDS) + ["tabel", "", "Title", "slide"]

# Indexing keeps the strategies' reprs short (Hypothesis warns about reprs over 30 kB,
# and the suite turns warnings into errors).
hostile = st.integers(min_value=0, max_value=len(HOSTILE) - 1).map(HOSTILE.__getitem__)
scalars = st.deferred(
    lambda: st.one_of(
        hostile,
        st.text(max_size=30),
        st.integers(min_value=-(10**6), max_value=10**6),
        st.booleans(),
        st.none(),
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
        st.dates(),
    )
)
values = st.deferred(
    lambda: st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), inner, max_size=4)
        ),
        max_leaves=12,
    )
)
short_text = st.deferred(lambda: st.one_of(hostile, st.text(min_size=1, max_size=40)))
words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60
)


@st.composite
def valid_slide(draw) -> dict:
    """A slide of a random kind with the fields it needs (its text may still be hostile)."""
    kind = draw(st.sampled_from(sorted(KINDS)))
    text = draw(st.one_of(words, short_text))
    slide: dict = {"kind": kind}
    if kind in ("section", "closing", "bullets", "table", "code", "comparison"):
        slide["title"] = draw(words)
    if kind == "statement":
        slide["text"] = text
    elif kind == "bullets":
        slide["bullets"] = draw(
            st.lists(
                st.one_of(
                    words,
                    st.dictionaries(
                        words, st.lists(words, min_size=1, max_size=3), min_size=1, max_size=1
                    ),
                ),
                min_size=1,
                max_size=8,
            )
        )
    elif kind == "table":
        columns = draw(st.integers(min_value=1, max_value=5))
        slide["header"] = draw(st.lists(words, min_size=columns, max_size=columns))
        slide["rows"] = draw(
            st.lists(st.lists(words, min_size=columns, max_size=columns), min_size=1, max_size=12)
        )
    elif kind == "code":
        slide["language"] = draw(st.sampled_from(["python", "bash", "yaml", "text", "pyhton"]))
        if draw(st.booleans()):
            slide["source"] = draw(st.text(max_size=400))
        else:
            slide["file"] = draw(st.sampled_from(["a.py", "snips/a.py", "link.py", "nope.py"]))
            if draw(st.booleans()):
                slide["lines"] = draw(st.sampled_from(["1-2", "2", "3-1", "1-99", "x"]))
    elif kind == "image":
        slide["src"] = draw(st.sampled_from(["pic.png", "text.png", "nope.png", "snips"]))
        slide["alt"] = draw(words)
    elif kind == "comparison":
        for side in ("left", "right"):
            slide[side] = draw(
                st.one_of(
                    st.fixed_dictionaries(
                        {"heading": words, "bullets": st.lists(words, min_size=1, max_size=4)}
                    ),
                    st.fixed_dictionaries({"heading": words, "text": words}),
                    st.fixed_dictionaries(
                        {
                            "code": st.fixed_dictionaries(
                                {"language": st.just("python"), "source": st.text(max_size=80)}
                            )
                        }
                    ),
                )
            )
    if draw(st.booleans()):
        slide["notes"] = draw(st.one_of(words, short_text))
    return slide


random_slide = st.deferred(
    lambda: (
        st.dictionaries(st.sampled_from(FIELDS), values, max_size=5)
        | st.builds(
            lambda kind, rest: {"kind": kind, **rest},
            st.sampled_from(KIND_NAMES),
            st.dictionaries(st.sampled_from(FIELDS), values, max_size=4),
        )
    )
)

documents = st.deferred(
    lambda: st.fixed_dictionaries(
        {
            "title": st.one_of(words, short_text, values),
            "slides": st.one_of(
                st.lists(st.one_of(valid_slide(), valid_slide(), random_slide), max_size=6), values
            ),
        },
        optional={
            "subtitle": short_text,
            "author": short_text,
            "date": st.one_of(st.dates(), scalars),
            "vars": st.dictionaries(st.sampled_from(["company", "x", "who"]), scalars, max_size=3),
            "theme": st.sampled_from(
                [
                    "default",
                    "nope",
                    "../../etc",
                    "dark",
                    "t" * 300,
                    "/etc/passwd",
                    "themes/../..",
                    "default/theme.yaml",
                ]
            ),
            "zzz": values,
        },
    )
)

SPLICE = list(":-[]{}\"'|>&*!%@#`\t\n ,?") + [
    "\n  - ",
    ": ",
    "{{",
    "}}",
    "{%",
    "\\x07",
    "\\u0000",
    "&a",
    "*a",
    "<<: ",
]


@st.composite
def yaml_texts(draw) -> str:
    """YAML text: a dumped document, maybe cut and spliced; or any text at all."""
    choice = draw(st.integers(min_value=0, max_value=9))
    if choice == 9:
        return draw(st.text(max_size=300))
    text = yaml.safe_dump(draw(documents), allow_unicode=True, sort_keys=False, width=70)
    if choice < 5:
        return text
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        action = draw(st.sampled_from(["insert", "delete", "cut"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(SPLICE)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=8)) :]
        else:
            text = text[:at]
    return text


var_options = st.lists(
    st.tuples(
        st.sampled_from(["company", "x", "who", "title"]), st.one_of(hostile, st.text(max_size=20))
    ),
    max_size=2,
).map(lambda pairs: [arg for key, value in pairs for arg in ("--var", f"{key}={value}")])


def _project(folder: Path) -> None:
    """Files the generated documents may refer to."""
    (folder / "deckwright.yaml").write_text("# project marker\n")
    (folder / "a.py").write_text("def f():\n    return 1\n# [start:r]\nx = 2\n# [end:r]\n")
    (folder / "snips").mkdir()
    (folder / "snips" / "a.py").write_text("print('hi')\n")
    (folder / "text.png").write_text("not an image\n")
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "#2563EB").save(picture, "PNG")
    (folder / "pic.png").write_bytes(picture.getvalue())
    try:
        (folder / "link.py").symlink_to("/etc/hostname")
    except OSError:
        pass


def _run(text: str, options: list[str], command: str, theme: str | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="deckwright-fuzz-") as work:
        folder = Path(work)
        _project(folder)
        if theme is not None:
            (folder / "themes" / "fz").mkdir(parents=True)
            (folder / "themes" / "fz" / "theme.yaml").write_bytes(
                theme.encode("utf-8", "surrogatepass")
            )
            (folder / "themes" / "fz" / "logo.png").write_bytes((folder / "pic.png").read_bytes())
            (folder / "themes" / "fz" / "notes.txt").write_text("not a template")
        content = folder / "talk.yaml"
        content.write_bytes(text.encode("utf-8", "surrogatepass"))
        out = folder / "out" / "talk.pptx"
        args = [command, str(content), *options] + (["-o", str(out)] if command == "build" else [])
        result = CliRunner().invoke(main, args, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(
                "deckwright raised instead of reporting:\n"
                + "".join(traceback.format_exception(result.exception))
            )
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        assert result.exit_code != 70, f"deckwright crashed (an internal error): {result.stderr}"
        lines = result.stderr.splitlines()
        unlocated = [line for line in lines if not LOCATED.match(line)]
        assert not unlocated, f"unlocated stderr lines: {unlocated}"
        if os.environ.get("DECKWRIGHT_FUZZ_LOG"):
            with open(os.environ["DECKWRIGHT_FUZZ_LOG"], "a") as log:
                log.write(f"{command} {result.exit_code} {lines[:1]}\n")
        if result.exit_code == 0:
            if command == "build":
                assert out.is_file(), result.stdout
                Presentation(str(out))  # python-pptx reopens it
        else:
            assert result.exit_code == 1, (result.exit_code, result.output)
            assert lines, "exit 1 without a reason"
            assert not out.exists(), "a failed build wrote a deck"


@FUZZ
@given(documents, var_options)
def test_generated_documents_build_or_fail_with_located_errors(document, options):
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    _run(text, options, "build")


@FUZZ
@given(yaml_texts(), var_options, st.sampled_from(["build", "check"]))
def test_broken_yaml_texts_build_or_fail_with_located_errors(text, options, command):
    _run(text, options, command)


@FUZZ
@given(st.lists(valid_slide(), min_size=1, max_size=8), st.sampled_from(["default", "dark"]))
def test_valid_decks_of_every_kind_build_and_reopen(slides, theme):
    document = {"title": "Fuzzed", "vars": {"company": "Acme"}, "slides": slides}
    _run(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), ["--theme", theme], "build")


THEME_KEYS = [
    "name",
    "extends",
    "template",
    "size",
    "colors",
    "fonts",
    "sizes",
    "min_sizes",
    "code_style",
    "logo",
    "footer",
    "slide_numbers",
    "layouts",
    "palette",
    "colours",
]
theme_values = st.deferred(
    lambda: st.one_of(
        values,
        st.sampled_from(
            [
                "#FFFFFF",
                "#000000",
                "#2563EB",
                "red",
                "#FFF",
                "Arial",
                "Inter",
                "No Such Font",
                "friendly",
                "frendly",
                "monokai",
                "16:9",
                "4:3",
                "logo.png",
                "notes.txt",
                "default",
                "fz",
                "dark",
                "{{ company }}",
                "{{ ''.__class__ }}",
            ]
        ),
        st.dictionaries(
            st.sampled_from(
                [
                    "background",
                    "text",
                    "heading",
                    "accent",
                    "muted",
                    "code_background",
                    "surface",
                    "on_accent",
                    "body",
                    "code",
                    "title",
                    "bullets",
                ]
            ),
            st.sampled_from(
                [
                    "#FFFFFF",
                    "#000000",
                    "#123456",
                    "red",
                    "Arial",
                    "",
                    "Comic Nonexistent",
                    6,
                    200,
                    1000,
                    -1,
                    12.5,
                    None,
                ]
            ),
            max_size=5,
        ),
    )
)
themes = st.deferred(
    lambda: st.fixed_dictionaries(
        {"name": st.one_of(st.just("fz"), short_text)},
        optional={key: theme_values for key in THEME_KEYS if key != "name"},
    )
)


@FUZZ
@given(themes, st.booleans())
def test_generated_themes_build_or_fail_with_located_errors(theme, extend):
    if extend:
        theme = {"extends": "default", **theme}
    document = {
        "title": "Themed",
        "vars": {"company": "Acme"},
        "slides": [
            {"kind": "title"},
            {"kind": "bullets", "title": "B", "bullets": ["one", "two"]},
            {"kind": "code", "title": "C", "language": "python", "source": "x = 1\n"},
        ],
    }
    _run(
        yaml.safe_dump(document, sort_keys=False),
        ["--theme", "fz"],
        "build",
        theme=yaml.safe_dump(theme, allow_unicode=True, sort_keys=False),
    )


def test_the_fuzz_finds_a_crash_injected_into_a_kinds_plan(monkeypatch):
    # The properties above are only worth their run time if a crash fails them: a crash
    # is exit 70 with one located-looking line, which exit 1 alone would let through.
    def crash(self, ctx):
        raise RuntimeError("injected crash")

    monkeypatch.setattr(KINDS["bullets"], "plan", crash)
    with pytest.raises(AssertionError, match="internal error.*RuntimeError: injected crash"):
        test_valid_decks_of_every_kind_build_and_reopen()
