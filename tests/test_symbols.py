"""Code by symbol (`symbol: Judge.score`) and guarded `lines:` ranges."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2.sandbox
import pytest
from conftest import write
from test_sync import build, code_deck, code_on_slide

JUDGE = """\
import functools

x = 1


# Score one answer with an LLM judge.
# Calibrate it against human labels first.
@functools.cache
@functools.wraps(print)
def judge(answer: str) -> float:
    total = sum(
        ord(c) for c in answer
    )
    return total / 100


class Judge:
    \"\"\"A judge with a rubric.\"\"\"

    # The rubric's weight.
    @property
    def weight(self) -> float:
        return 1.0

    @weight.setter
    def weight(self, value: float) -> None:
        self._weight = value

    def score(self, answer: str) -> float:
        return judge(answer) * self.weight
"""


def check(run_cli, project: Path) -> tuple[int, list[str]]:
    """Run check on talk.yaml; return the exit code and the lines about it."""
    code, stdout, stderr = run_cli("check", "talk.yaml", cwd=project)
    return code, [line for line in (stdout + stderr).splitlines() if "talk.yaml" in line]


# Python -----------------------------------------------------------------------------------


def test_a_function_comes_with_its_decorators_and_the_comments_directly_above(run_cli, project):
    write(project / "snippets" / "judge.py", JUDGE)
    code_deck(project, "snippets/judge.py", "    symbol: judge\n")
    assert code_on_slide(build(run_cli, project)) == (
        "# Score one answer with an LLM judge.\n"
        "# Calibrate it against human labels first.\n"
        "@functools.cache\n"
        "@functools.wraps(print)\n"
        "def judge(answer: str) -> float:\n"
        "    total = sum(\n"
        "        ord(c) for c in answer\n"
        "    )\n"
        "    return total / 100"
    )


def test_a_method_is_named_with_its_class_and_dedented(run_cli, project):
    write(project / "snippets" / "judge.py", JUDGE)
    code_deck(project, "snippets/judge.py", "    symbol: Judge.score\n")
    assert code_on_slide(build(run_cli, project)) == (
        "def score(self, answer: str) -> float:\n    return judge(answer) * self.weight"
    )


def test_definitions_of_one_name_in_a_row_are_shown_together(run_cli, project):
    write(project / "snippets" / "judge.py", JUDGE)
    code_deck(project, "snippets/judge.py", "    symbol: Judge.weight\n")
    shown = code_on_slide(build(run_cli, project))
    assert shown.startswith("# The rubric's weight.\n@property\ndef weight(self)")
    assert shown.endswith("    self._weight = value")


def test_a_symbol_of_a_real_module(run_cli, project):
    # jinja2's sandbox, as installed: a real module with docstrings, comments, classes.
    shutil.copy(jinja2.sandbox.__file__, project / "sandbox.py")
    code_deck(project, "sandbox.py", "    symbol: SandboxedEnvironment.call\n")
    shown = code_on_slide(build(run_cli, project)).splitlines()
    assert shown[0] == "def call("
    assert shown[-1] == "    return __context.call(__obj, *args, **kwargs)"
    code_deck(project, "sandbox.py", "    symbol: ImmutableSandboxedEnvironment\n")
    shown = code_on_slide(build(run_cli, project)).splitlines()
    assert shown[0] == "class ImmutableSandboxedEnvironment(SandboxedEnvironment):"
    assert "def is_safe_attribute(self, obj: t.Any, attr: str, value: t.Any) -> bool:" in [
        line.strip() for line in shown
    ]


def test_an_unknown_symbol_is_a_located_error_with_did_you_mean(run_cli, project):
    write(project / "snippets" / "judge.py", JUDGE)
    code_deck(project, "snippets/judge.py", "    symbol: judg\n")
    assert check(run_cli, project) == (
        1,
        ["talk.yaml:8:13: symbol 'judg' not found in 'snippets/judge.py' (did you mean 'judge'?)"],
    )
    code_deck(project, "snippets/judge.py", "    symbol: score\n")
    assert check(run_cli, project) == (
        1,
        [
            "talk.yaml:8:13: symbol 'score' not found in 'snippets/judge.py' "
            "(did you mean 'Judge.score'?)"
        ],
    )
    code_deck(project, "snippets/judge.py", "    symbol: evaluate\n")
    assert check(run_cli, project) == (
        1,
        [
            "talk.yaml:8:13: symbol 'evaluate' not found in 'snippets/judge.py' "
            "(symbols in the file: judge, Judge, Judge.weight, Judge.score)"
        ],
    )


def test_a_name_defined_twice_apart_is_ambiguous(run_cli, project):
    write(
        project / "snippets" / "a.py", "def f():\n    pass\n\n\nx = 1\n\n\ndef f():\n    return 2\n"
    )
    code_deck(project, "snippets/a.py", "    symbol: f\n")
    assert check(run_cli, project) == (
        1,
        [
            "talk.yaml:8:13: symbol 'f' is defined 2 times in 'snippets/a.py' (lines 1, 8) "
            "(use 'lines' or a 'region' to choose one)"
        ],
    )


def test_symbol_goes_with_file_alone_not_with_lines_region_or_source(run_cli, project):
    write(project / "snippets" / "judge.py", JUDGE)
    code_deck(project, "snippets/judge.py", "    lines: 1-3\n    symbol: judge\n")
    assert check(run_cli, project) == (
        1,
        ["talk.yaml:9:13: give one of 'lines', 'region' or 'symbol', not 'lines' and 'symbol'"],
    )
    code_deck(project, "snippets/judge.py", "    symbol: judge\n    region: r\n")
    assert check(run_cli, project) == (
        1,
        ["talk.yaml:9:13: give one of 'lines', 'region' or 'symbol', not 'region' and 'symbol'"],
    )
    write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: code\n    title: C\n"
        "    language: python\n    source: x = 1\n    symbol: judge\n",
    )
    assert check(run_cli, project) == (1, ["talk.yaml:7:13: 'symbol' only goes with 'file'"])


def test_a_symbol_in_a_column_of_a_comparison(run_cli, project):
    write(project / "snippets" / "judge.py", JUDGE)
    write(
        project / "talk.yaml",
        "title: T\nslides:\n  - kind: comparison\n    title: C\n"
        "    left: {heading: A, code: {language: python, file: snippets/judge.py, "
        "symbol: Judge.score}}\n    right: {heading: B, text: b}\n",
    )
    code, stdout, stderr = run_cli("build", "talk.yaml", "-o", "out.pptx", cwd=project)
    assert code == 0, stderr


def test_symbol_in_code_that_does_not_parse_or_cannot_be_parsed(run_cli, project):
    write(project / "snippets" / "bad.py", "def judge(:\n    pass\n")
    code_deck(project, "snippets/bad.py", "    symbol: judge\n")
    assert check(run_cli, project) == (
        1,
        [
            "talk.yaml:8:13: 'snippets/bad.py' is not valid Python (line 1: invalid syntax), so "
            "symbol 'judge' cannot be found in it (fix the file, or use 'lines' or 'region')"
        ],
    )
    write(project / "snippets" / "a.rb", "def judge\nend\n")
    code_deck(project, "snippets/a.rb", "    symbol: judge\n", language="ruby")
    assert check(run_cli, project) == (
        1,
        [
            "talk.yaml:8:13: 'symbol' needs code deckwright can parse (Python, JavaScript, "
            "TypeScript, Go, Rust and Java); this is 'ruby' (mark the code with a region instead)"
        ],
    )


# tree-sitter languages --------------------------------------------------------------------

JS = """\
import { judge } from "./judge.js";

// Score with the judge.
// Twice as strict on Fridays.
export async function score(answer) {
  return judge(answer) * 2;
}

class Panel {
  /** The panel's verdict. */
  verdict(answers) {
    return answers.map(score);
  }
}

const rank = (answers) => {
  return [...answers].sort();
};
"""

TS = """\
// A scorer.
@Injectable()
export class Scorer<T> {
  // Score one answer.
  @memo
  score(answer: T): number {
    return 1;
  }
}

export function pick(a: string): string;
export function pick(a: number): number;
export function pick(a: any): any {
  return a;
}

interface Judge {
  score(answer: string): number;
}
"""

GO = """\
package judge

import "strings"

// Judge scores answers.
type Judge struct {
	Strict bool
}

// Score returns the answer's score.
func (j *Judge) Score(answer string) int {
	return len(strings.Fields(answer))
}

func main() {}
"""

RUST = """\
use std::fmt;

/// A judge.
#[derive(Debug, Clone)]
pub struct Judge {
    strict: bool,
}

impl Judge {
    /// Score one answer.
    #[inline]
    pub fn score(&self, answer: &str) -> usize {
        answer.split_whitespace().count()
    }
}
"""

JAVA = """\
package judge;

/** A judge. */
public class Judge {
    private final boolean strict = true;

    // Score one answer.
    @Override
    public int score(String answer) {
        return answer.split(" ").length;
    }

    public static void main(String[] args) {}
}
"""

CASES = {
    "javascript": (
        "judge.js",
        JS,
        "score",
        "// Score with the judge.\n// Twice as strict on Fridays.\n"
        "export async function score(answer) {\n  return judge(answer) * 2;\n}",
    ),
    "javascript-method": (
        "judge.js",
        JS,
        "Panel.verdict",
        "/** The panel's verdict. */\nverdict(answers) {\n  return answers.map(score);\n}",
    ),
    "javascript-arrow": (
        "judge.js",
        JS,
        "rank",
        "const rank = (answers) => {\n  return [...answers].sort();\n};",
    ),
    "typescript": (
        "scorer.ts",
        TS,
        "Scorer.score",
        "// Score one answer.\n@memo\nscore(answer: T): number {\n  return 1;\n}",
    ),
    "typescript-class": ("scorer.ts", TS, "Scorer", None),
    "typescript-overloads": (
        "scorer.ts",
        TS,
        "pick",
        "export function pick(a: string): string;\n"
        "export function pick(a: number): number;\n"
        "export function pick(a: any): any {\n  return a;\n}",
    ),
    "go": (
        "judge.go",
        GO,
        "Judge.Score",
        "// Score returns the answer's score.\n"
        "func (j *Judge) Score(answer string) int {\n"
        "    return len(strings.Fields(answer))\n}",
    ),
    "go-type": (
        "judge.go",
        GO,
        "Judge",
        "// Judge scores answers.\ntype Judge struct {\n    Strict bool\n}",
    ),
    "rust": (
        "judge.rs",
        RUST,
        "Judge.score",
        "/// Score one answer.\n#[inline]\n"
        "pub fn score(&self, answer: &str) -> usize {\n"
        "    answer.split_whitespace().count()\n}",
    ),
    "rust-struct": (
        "judge.rs",
        RUST,
        "Judge",
        "/// A judge.\n#[derive(Debug, Clone)]\npub struct Judge {\n    strict: bool,\n}",
    ),
    "java": (
        "Judge.java",
        JAVA,
        "Judge.score",
        "// Score one answer.\n@Override\npublic int score(String answer) {\n"
        '    return answer.split(" ").length;\n}',
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_symbols_of_other_languages_through_tree_sitter(run_cli, project, case):
    name, text, symbol, expected = CASES[case]
    language = case.split("-")[0]
    write(project / "src" / name, text)
    code_deck(project, f"src/{name}", f"    symbol: {symbol}\n", language=language)
    shown = code_on_slide(build(run_cli, project))
    if expected is None:  # a class with a decorator on the line before `export class`
        lines = shown.splitlines()
        assert lines[:3] == ["// A scorer.", "@Injectable()", "export class Scorer<T> {"]
        assert lines[-1] == "}" and len(lines) == 9
    else:
        assert shown == expected


def test_an_unknown_symbol_in_go_suggests_the_method(run_cli, project):
    write(project / "judge.go", GO)
    code_deck(project, "judge.go", "    symbol: Score\n", language="go")
    assert check(run_cli, project) == (
        1,
        ["talk.yaml:8:13: symbol 'Score' not found in 'judge.go' (did you mean 'Judge.Score'?)"],
    )


# Guarded line ranges ----------------------------------------------------------------------


def test_a_line_range_that_starts_inside_a_statement_is_a_warning_at_the_range(run_cli, project):
    write(project / "snippets" / "judge.py", JUDGE)
    code_deck(project, "snippets/judge.py", "    lines: 12-15\n")
    assert check(run_cli, project) == (
        0,
        [
            "talk.yaml:8:12: warning: lines 12-15 of 'snippets/judge.py' start inside a "
            "statement (use 'symbol: judge' or a 'region', which follow the code when the file "
            "changes)"
        ],
    )


def test_a_line_range_that_ends_inside_a_statement_is_a_warning(run_cli, project):
    write(project / "snippets" / "judge.py", JUDGE)
    code_deck(project, "snippets/judge.py", "    lines: 8-12\n")
    assert check(run_cli, project) == (
        0,
        [
            "talk.yaml:8:12: warning: lines 8-12 of 'snippets/judge.py' end inside a statement "
            "(use 'symbol: judge' or a 'region', which follow the code when the file changes)"
        ],
    )
    code_deck(project, "snippets/judge.py", "    lines: 9-12\n")  # between two decorators
    assert check(run_cli, project)[1] == [
        "talk.yaml:8:12: warning: lines 9-12 of 'snippets/judge.py' start and end inside a "
        "statement (use 'symbol: judge' or a 'region', which follow the code when the file "
        "changes)"
    ]


def test_a_line_range_of_whole_statements_is_fine(run_cli, project):
    write(project / "snippets" / "judge.py", JUDGE)
    for lines in ("1-3", "6-15", "11-14", "17-30", "29-30", "3-3"):
        code_deck(project, "snippets/judge.py", f"    lines: {lines}\n")
        assert check(run_cli, project) == (0, []), lines


def test_strict_makes_the_line_range_warning_an_error(run_cli, project):
    write(project / "snippets" / "judge.py", JUDGE)
    code_deck(project, "snippets/judge.py", "    lines: 12-15\n")
    code, stdout, stderr = run_cli("check", "--strict", "talk.yaml", cwd=project)
    assert code == 1 and "talk.yaml:8:12: lines 12-15 of 'snippets/judge.py' start" in stderr


@pytest.mark.parametrize(
    ("name", "text", "language", "lines", "verdict"),
    [
        ("judge.js", JS, "javascript", "5-7", ""),
        ("judge.js", JS, "javascript", "6-7", "start"),  # a body and the brace after it
        ("judge.js", JS, "javascript", "11-13", ""),  # a method, without its comment
        ("judge.js", JS, "javascript", "12-13", "start"),  # inside verdict() {...}
        ("judge.go", GO, "go", "11-13", ""),
        ("judge.go", GO, "go", "7-13", "start"),  # inside the struct
        ("judge.rs", RUST, "rust", "12-14", "start"),  # between #[inline] and its fn
        ("judge.rs", RUST, "rust", "9-15", ""),
        ("Judge.java", JAVA, "java", "9-11", "start"),  # between @Override and its method
        ("Judge.java", JAVA, "java", "7-11", ""),
        ("scorer.ts", TS, "typescript", "11-13", "end"),  # the overload without its body
    ],
)
def test_line_ranges_in_tree_sitter_languages(
    run_cli, project, name, text, language, lines, verdict
):
    write(project / name, text)
    code_deck(project, name, f"    lines: {lines}\n", language=language)
    code, found = check(run_cli, project)
    assert code == 0
    if verdict:
        assert len(found) == 1 and f"{verdict} inside a statement" in found[0], found
        assert found[0].startswith("talk.yaml:8:12: warning: ")
    else:
        assert found == []


def test_a_line_range_of_text_or_broken_code_is_not_judged(run_cli, project):
    write(project / "notes.txt", "one\ntwo (\nthree\n")
    code_deck(project, "notes.txt", "    lines: 2-2\n", language="text")
    assert check(run_cli, project) == (0, [])
    write(project / "bad.py", "def f(:\n    x = (\n")
    code_deck(project, "bad.py", "    lines: 2-2\n")
    assert check(run_cli, project) == (0, [])


def test_deeply_nested_code_is_read_without_a_traceback(run_cli, project):
    write(
        project / "deep.js",
        "const a = " + "[" * 50_000 + "]" * 50_000 + ";\n"
        "function judge() {}\n" + "function f() " + "{" * 50_000 + "}" * 50_000 + "\n",
    )
    write(
        project / "talk.yaml",
        "title: T\nslides:\n"
        "  - {kind: code, title: A, language: js, file: deep.js, symbol: judge}\n"
        "  - {kind: code, title: B, language: js, file: deep.js, lines: 1-3}\n",
    )
    code, stdout, stderr = run_cli("check", "talk.yaml", cwd=project)
    assert code == 0 and "Traceback" not in stdout + stderr
