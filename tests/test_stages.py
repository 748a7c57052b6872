"""Each pipeline stage on small inline inputs: YAML, templates, inline markup, model."""

from __future__ import annotations

import datetime
from pathlib import Path

from generator.errors import Location, Problems
from generator.model.deck import load_deck
from generator.model.inline import parse_inline
from generator.source.render import render_string
from generator.source.yamlload import Map, Seq, load_yaml

HERE = Location("deck.yaml", 4, 7)


def lines(problems: Problems) -> list[str]:
    return [str(p) for p in problems]


def test_yaml_nodes_know_their_line_and_column():
    problems = Problems()
    tree = load_yaml("title: T\nslides:\n  - kind: bullets\n    title: B\n", "d.yaml", problems)
    assert isinstance(tree, Map) and isinstance(tree["slides"], Seq)
    assert tree.loc_of("title") == Location("d.yaml", 1, 8)
    slide = tree["slides"][0]
    assert slide.loc == Location("d.yaml", 3, 5)
    assert slide.loc_of("title") == Location("d.yaml", 4, 12)
    assert tree["title"].loc == Location("d.yaml", 1, 8)
    assert not problems


def test_yaml_dates_stay_dates_and_numbers_stay_numbers():
    problems = Problems()
    tree = load_yaml("date: 2026-11-26\nn: 3\nf: 1.5\nb: true\n", "d.yaml", problems)
    assert tree == {"date": datetime.date(2026, 11, 26), "n": 3, "f": 1.5, "b": True}


def test_yaml_reports_every_duplicate_key_with_the_first_line():
    problems = Problems()
    load_yaml("a: 1\nb: 2\na: 3\nb: 4\n", "d.yaml", problems)
    assert lines(problems) == [
        "d.yaml:3:1: duplicate key 'a' (first defined at line 1)",
        "d.yaml:4:1: duplicate key 'b' (first defined at line 2)",
    ]


def test_template_renders_vars_and_names_an_undefined_one():
    problems = Problems()
    assert render_string("By {{ presenter }}", {"presenter": "Ada"}, HERE, problems) == "By Ada"
    render_string("{{ presentr }}", {"presenter": "Ada"}, HERE, problems)
    assert lines(problems) == [
        "deck.yaml:4:7: undefined variable 'presentr' "
        "(define it under vars: or pass --var KEY=VALUE)"
    ]


def test_template_sandbox_refuses_python_internals():
    problems = Problems()
    render_string("{{ ''.__class__.__mro__ }}", {}, HERE, problems)
    assert len(problems) == 1 and "refused by the sandbox" in problems[0].message


def test_inline_markup_becomes_styled_runs():
    problems = Problems()
    runs = parse_inline("a **b** *c* `d` [e](https://x.org)", HERE, problems)
    assert [(r.text, r.bold, r.italic, r.code, r.link) for r in runs] == [
        ("a ", False, False, False, None),
        ("b", True, False, False, None),
        (" ", False, False, False, None),
        ("c", False, True, False, None),
        (" ", False, False, False, None),
        ("d", False, False, True, None),
        (" ", False, False, False, None),
        ("e", False, False, False, "https://x.org"),
    ]
    assert not problems


def test_inline_links_other_than_http_https_mailto_are_refused():
    problems = Problems()
    runs = parse_inline("[x](file:///etc/passwd) [m](mailto:a@b.org)", HERE, problems)
    assert lines(problems) == [
        "deck.yaml:4:7: link 'file:///etc/passwd' is not allowed "
        "(links must be http, https or mailto)"
    ]
    assert runs[-1].link == "mailto:a@b.org" and runs[0].link is None


def deck_from(tmp_path: Path, text: str, overrides: dict | None = None):
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    return load_deck(path, overrides or {}, problems, "deck.yaml"), problems


def test_model_builds_typed_slides_with_nested_bullets(tmp_path: Path):
    deck, problems = deck_from(
        tmp_path,
        """\
title: T
vars: {who: Ada}
slides:
  - kind: bullets
    title: "Hi {{ who }}"
    bullets:
      - one
      - two:
          - two-a
""",
    )
    assert not problems, lines(problems)
    slide = deck.slides[0]
    assert slide.title.plain == "Hi Ada"
    assert [b.text.plain for b in slide.bullets] == ["one", "two"]
    assert slide.bullets[1].children[0].text.plain == "two-a"


def test_var_option_overrides_vars(tmp_path: Path):
    deck, problems = deck_from(
        tmp_path,
        "title: '{{ who }}'\nvars: {who: Ada}\nslides: [{kind: closing, title: Bye}]\n",
        {"who": "Grace"},
    )
    assert deck.title.plain == "Grace"


def test_model_reports_every_problem_of_every_slide_at_once(tmp_path: Path):
    deck, problems = deck_from(
        tmp_path,
        """\
title: T
slides:
  - kind: tabel
    title: X
  - kind: bullets
    titel: Y
    bullets: [a]
  - kind: table
    title: Z
    header: [a, b]
    rows: [[1, 2, 3]]
""",
    )
    assert deck is None
    assert lines(problems) == [
        "deck.yaml:3:11: unknown slide kind 'tabel' (did you mean 'table'?)",
        "deck.yaml:6:5: unknown field 'titel' in bullets slide (did you mean 'title'?)",
        "deck.yaml:5:5: bullets slide is missing required field 'title'",
        "deck.yaml:11:13: row has 3 cells; the header has 2",
    ]


def test_code_source_is_not_templated(tmp_path: Path):
    deck, problems = deck_from(
        tmp_path,
        """\
title: T
slides:
  - kind: code
    title: Go templates
    language: go
    source: "{{ .Name }}"
""",
    )
    assert not problems, lines(problems)
    assert deck.slides[0].code.source == "{{ .Name }}\n"
