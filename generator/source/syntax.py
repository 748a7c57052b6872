"""The structure of code: its symbols, its statements and good places to break it.

Python is read with the standard library's ``ast``; JavaScript, TypeScript (and
TSX), Go, Rust and Java with tree-sitter (the grammars ship in the
tree-sitter-language-pack wheel, imported only for those languages). Lines are
counted from 0 here and are physical lines: ``\\n``, ``\\r\\n`` or ``\\r`` end one.

A *cut* is a place between two lines where a snippet starts or ends, or where code
continues on the next slide. A cut is clean when no statement, expression, header
or comment is split by it: between two statements of a block (a module, a class or
function body, a ``{ ... }`` block), at any depth. Everything else, such as a cut
inside a call's arguments, a string, or between a decorator and its function,
splits the statement around it.
"""

from __future__ import annotations

import ast
import bisect
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

PYTHON = "python"

#: Pygments language names (and file suffixes) -> the grammar that reads them.
_GRAMMARS = {
    "python": PYTHON,
    "py": PYTHON,
    "python3": PYTHON,
    "py3": PYTHON,
    "pyi": PYTHON,
    "javascript": "javascript",
    "js": "javascript",
    "jsx": "javascript",
    "react": "javascript",
    "mjs": "javascript",
    "cjs": "javascript",
    "typescript": "typescript",
    "ts": "typescript",
    "mts": "typescript",
    "cts": "typescript",
    "tsx": "tsx",
    "go": "go",
    "golang": "go",
    "rust": "rust",
    "rs": "rust",
    "java": "java",
}
LANGUAGE_NAMES = "Python, JavaScript, TypeScript, Go, Rust and Java"

# --- tree-sitter node types, per grammar -------------------------------------------------

_JS_DEFS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "class_declaration",
        "abstract_class_declaration",
        "method_definition",
        "interface_declaration",
        "type_alias_declaration",
        "enum_declaration",
        "internal_module",
        "module",
        "function_signature",
        "method_signature",
        "abstract_method_signature",
        "field_definition",
        "public_field_definition",
        "variable_declarator",
    }
)
_DEFS = {
    "javascript": _JS_DEFS,
    "typescript": _JS_DEFS,
    "tsx": _JS_DEFS,
    "go": frozenset({"function_declaration", "method_declaration", "type_spec"}),
    "rust": frozenset(
        {
            "function_item",
            "function_signature_item",
            "struct_item",
            "enum_item",
            "union_item",
            "trait_item",
            "mod_item",
            "const_item",
            "static_item",
            "type_item",
            "macro_definition",
        }
    ),
    "java": frozenset(
        {
            "class_declaration",
            "interface_declaration",
            "enum_declaration",
            "record_declaration",
            "annotation_type_declaration",
            "method_declaration",
            "constructor_declaration",
        }
    ),
}
#: Nodes whose named children are statements (or declarations): cuts between them are clean.
_BLOCKS = frozenset(
    {
        "program",
        "source_file",
        "statement_block",
        "class_body",
        "interface_body",
        "switch_body",
        "switch_case",
        "switch_default",
        "statement_list",
        "declaration_list",
        "block",
        "constructor_body",
        "enum_body_declarations",
        "switch_block",
        "switch_block_statement_group",
        "expression_case",
        "default_case",
        "type_case",
        "communication_case",
        "match_block",
        "annotation_type_body",
    }
)
#: Go's `block` holds a statement_list; Rust's holds the statements itself.
_NOT_BLOCKS = {"go": frozenset({"block"})}
#: Siblings that belong to the definition after them.
_ATTACHED = frozenset({"decorator", "attribute_item"})
_COMMENTS = frozenset({"comment", "line_comment", "block_comment"})
#: Values that make `const name = ...` a definition worth naming.
_DEFINING_VALUES = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function",
        "generator_function",
        "class",
        "class_expression",
    }
)


def grammar_for(language: str, filename: str = "") -> str | None:
    """Return the grammar for a Pygments language name, else for the file's suffix."""
    found = _GRAMMARS.get(language.lower())
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix == "tsx" and found in ("typescript", None):
        return "tsx"  # TypeScript with JSX needs its own grammar
    return found or _GRAMMARS.get(suffix)


def physical_lines(text: str) -> list[str]:
    """Return text's lines as editors and parsers count them (a final newline ends one)."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


@dataclass(frozen=True)
class Symbol:
    """A definition: its dotted name and its lines, decorators and comments above included."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Cut:
    """What a cut before a line splits: nothing (depth: blocks around it), or a statement.

    edge is a clean cut right after a block's header or before its end (`}`, `else:`).
    """

    depth: int = 0
    split: tuple[int, int] | None = None  # first and last line of the statement it splits
    edge: bool = False

    @property
    def clean(self) -> bool:
        return self.split is None


class Outline(ABC):
    """A parsed file or snippet: its symbols and what each cut splits."""

    def __init__(self, lines: Sequence[str], symbols: list[Symbol]):
        self.lines = list(lines)
        self.symbols = symbols

    @abstractmethod
    def cut(self, row: int) -> Cut:
        """Return what cutting the code before row (0-based) splits."""

    def range_problem(self, first: int, last: int) -> str:
        """Return which end of the lines first..last (inclusive) cuts a statement.

        The lines are fine when every statement they touch is inside them or holds
        them all between its header and its end (a function whose body they are
        part of), and no decorator is parted from its definition. The answer is
        "start", "end", "start and end" or "" (fine).
        """
        found: set[str] = set()
        self._range_in(self._top(), first, last, found)
        return " and ".join(end for end in ("start", "end") if end in found)

    def _range_in(self, statements: list[Any], first: int, last: int, found: set[str]) -> None:
        for index, statement in enumerate(statements):
            start, end = self._span_of(statement)
            if end < first or start > last:
                continue
            if (
                index
                and self._attached(statements[index - 1])
                and self._span_of(statements[index - 1])[1] < first
            ):
                found.add("start")  # the decorator above stays behind
            if first <= start and end <= last:
                if (
                    self._attached(statement)
                    and index + 1 < len(statements)
                    and self._span_of(statements[index + 1])[0] > last
                ):
                    found.add("end")  # a decorator without what it decorates
                continue
            for block in self._blocks_of(statement):
                if self._span_of(block[0])[0] <= first and last <= self._span_of(block[-1])[1]:
                    self._range_in(block, first, last, found)
                    break
            else:
                if start < first:
                    found.add("start")
                if end > last:
                    found.add("end")

    @abstractmethod
    def _top(self) -> list[Any]:
        """Return the top-level statements."""

    @abstractmethod
    def _span_of(self, statement: Any) -> tuple[int, int]:
        """Return a statement's first and last row (0-based, inclusive)."""

    @abstractmethod
    def _blocks_of(self, statement: Any) -> list[list[Any]]:
        """Return the statement lists nested in a statement (bodies, branches)."""

    def _attached(self, statement: Any) -> bool:
        return False

    def find(self, name: str) -> list[Symbol]:
        """Return the definitions named name (dotted), consecutive ones merged into one."""
        return [s for s in self.symbols if s.name == name]

    def names(self) -> list[str]:
        return list(dict.fromkeys(s.name for s in self.symbols))


def outline(text: str, grammar: str) -> Outline | None:
    """Return the outline of text in a grammar, or None when it cannot be parsed.

    Python that does not compile is None; tree-sitter reads anything, so a tree
    with syntax errors is None too (its cuts would be guesses). Raise ImportError
    when tree-sitter is not installed.
    """
    lines = physical_lines(text)
    if grammar == PYTHON:
        try:
            tree = ast.parse("\n".join(lines) + "\n")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        return _PythonOutline(lines, tree)
    root = _parse(lines, grammar)
    if root is None or root.has_error:
        return None
    return _TreeOutline(lines, root, grammar)


def python_error(text: str) -> str:
    """Return why text is not Python: 'line 5: invalid syntax' ('' when it is)."""
    try:
        ast.parse("\n".join(physical_lines(text)) + "\n")
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}" if exc.lineno else exc.msg
    except (ValueError, RecursionError, MemoryError) as exc:
        return type(exc).__name__
    return ""


def symbols_anyway(text: str, grammar: str) -> Outline | None:
    """Return an outline for finding symbols: tree-sitter's, even with syntax errors."""
    if grammar == PYTHON:
        return outline(text, grammar)
    lines = physical_lines(text)
    root = _parse(lines, grammar)
    return None if root is None else _TreeOutline(lines, root, grammar)


def _parse(lines: list[str], grammar: str) -> Any:
    from tree_sitter_language_pack import get_parser

    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    return get_parser(grammar).parse(data).root_node  # type: ignore[arg-type]


def _comment_above(lines: list[str], start: int, prefix: str) -> int:
    """Return start moved up over the comment lines directly above it."""
    while start > 0 and lines[start - 1].strip().startswith(prefix):
        start -= 1
    return start


def _merge(found: list[tuple[str, int, int, Any, int]]) -> list[Symbol]:
    """Merge definitions of one name that follow each other in one scope (overloads).

    found holds (name, start, end, scope, index among the scope's statements).
    """
    symbols: list[Symbol] = []
    last: dict[str, tuple[Any, int, int]] = {}  # name -> (scope, index, position)
    for name, start, end, scope, index in found:
        previous = last.get(name)
        if previous and previous[0] == scope and previous[1] == index - 1:
            old = symbols[previous[2]]
            symbols[previous[2]] = Symbol(name, old.start, max(old.end, end))
            last[name] = (scope, index, previous[2])
            continue
        last[name] = (scope, index, len(symbols))
        symbols.append(Symbol(name, start, end))
    return symbols


# --- Python --------------------------------------------------------------------------------


def _py_blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    for name in ("body", "orelse", "finalbody"):
        block = getattr(statement, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
        if name == "body":  # handlers and cases come between body and orelse
            for part in getattr(statement, "handlers", []) + getattr(statement, "cases", []):
                yield part.body


def _py_start(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", [])
    return min([statement.lineno] + [d.lineno for d in decorators]) - 1


def _py_end(statement: ast.stmt) -> int:
    return (statement.end_lineno or statement.lineno) - 1


class _PythonOutline(Outline):
    def __init__(self, lines: Sequence[str], tree: ast.Module):
        self.tree = tree
        found: list[tuple[str, int, int, Any, int]] = []
        self._collect(tree.body, "", found, list(lines))
        super().__init__(lines, _merge(found))

    def _collect(
        self,
        body: list[ast.stmt],
        prefix: str,
        found: list[tuple[str, int, int, Any, int]],
        lines: list[str],
    ) -> None:
        for index, statement in enumerate(body):
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + statement.name
                start = _comment_above(lines, _py_start(statement), "#")
                found.append((name, start, _py_end(statement), id(body), index))
                self._collect(statement.body, name + ".", found, lines)
            else:
                for block in _py_blocks(statement):  # definitions under if/try: same scope
                    self._collect(block, prefix, found, lines)

    def cut(self, row: int) -> Cut:
        return _python_cut(self.tree.body, row, 0)

    def _top(self) -> list[Any]:
        return list(self.tree.body)

    def _span_of(self, statement: Any) -> tuple[int, int]:
        return _py_start(statement), _py_end(statement)

    def _blocks_of(self, statement: Any) -> list[list[Any]]:
        return list(_py_blocks(statement))


def _python_cut(body: list[ast.stmt], row: int, depth: int) -> Cut:
    """Return what the cut before row splits, inside a block of statements at depth."""
    index = bisect.bisect_left([_py_start(s) for s in body], row) - 1  # last one above
    if index < 0 or _py_end(body[index]) < row:
        return Cut(depth)
    statement = body[index]
    for block in _py_blocks(statement):
        first, last = _py_start(block[0]), _py_end(block[-1])
        if first <= row <= last + 1:
            if row in (first, last + 1):
                return Cut(depth + 1, edge=True)
            return _python_cut(block, row, depth + 1)
    return Cut(depth, (_py_start(statement), _py_end(statement)))


# --- tree-sitter ---------------------------------------------------------------------------


def _last_row(node: Any) -> int:
    """Return the last line a node has text on (a node ending at column 0 ends above)."""
    end = node.end_point
    return end.row - 1 if end.column == 0 and end.row > node.start_point.row else end.row


def _text(node: Any) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


class _TreeOutline(Outline):
    def __init__(self, lines: Sequence[str], root: Any, grammar: str):
        self.root = root
        self.grammar = grammar
        self.blocks = _BLOCKS - _NOT_BLOCKS.get(grammar, frozenset())
        self._lines = list(lines)
        found: list[tuple[str, int, int, Any, int]] = []
        self._collect(root, found)
        super().__init__(lines, _merge(found))

    # symbols

    def _name(self, node: Any) -> str:
        kind = node.type
        if kind == "variable_declarator":
            value = node.child_by_field_name("value")
            if value is None or value.type not in _DEFINING_VALUES:
                return ""
        name = node.child_by_field_name("name") or node.child_by_field_name("property")
        text = _text(name)
        if kind == "method_declaration" and self.grammar == "go":
            receiver = node.child_by_field_name("receiver")
            owner = _first_of_type(receiver, "type_identifier") if receiver else None
            if owner is not None:
                text = f"{_text(owner)}.{text}"
        return text

    def _span(self, node: Any) -> tuple[int, int, Any, int]:
        """Return a definition's lines, with what wraps it and belongs to it above it."""
        outer = node
        parent = node.parent
        if (
            node.type == "variable_declarator"
            and parent is not None
            and parent.type in ("lexical_declaration", "variable_declaration")
            and parent.named_child_count == 1
        ):
            outer, parent = parent, parent.parent
        if (
            node.type == "type_spec"
            and parent is not None
            and parent.type == "type_declaration"
            and parent.named_child_count == 1
        ):
            outer, parent = parent, parent.parent
        if parent is not None and parent.type == "export_statement":
            outer, parent = parent, parent.parent
        start = outer.start_point.row
        siblings = list(parent.named_children) if parent is not None else [outer]
        index = next((i for i, s in enumerate(siblings) if s.id == outer.id), 0)
        before = index - 1
        while before >= 0:
            sibling = siblings[before]
            own_line = not self._lines[sibling.start_point.row][
                : sibling.start_point.column
            ].strip()
            if sibling.type in _ATTACHED or (
                sibling.type in _COMMENTS and own_line and _last_row(sibling) >= start - 1
            ):
                start = sibling.start_point.row
                before -= 1
                continue
            break
        return start, _last_row(outer), parent, _statement_index(siblings, index)

    def _collect(self, root: Any, found: list[tuple[str, int, int, Any, int]]) -> None:
        """Find the definitions under root, in order (without recursion: trees can be deep)."""
        pending = [(child, "") for child in reversed(root.named_children)]
        while pending:
            child, prefix = pending.pop()
            scope = prefix
            if child.type in _DEFS.get(self.grammar, ()):
                name = self._name(child)
                if name:
                    start, end, parent, index = self._span(child)
                    qualified = prefix + name
                    found.append((qualified, start, end, parent.id if parent else 0, index))
                    scope = qualified + "."
            elif child.type == "impl_item":  # Rust: impl Judge { fn score } is Judge.score
                owner = child.child_by_field_name("type")
                if owner is not None and owner.type == "generic_type":
                    owner = owner.child_by_field_name("type")
                scope = prefix + _text(owner) + "." if owner is not None else prefix
            pending.extend((grandchild, scope) for grandchild in reversed(child.named_children))

    # cuts

    def cut(self, row: int) -> Cut:
        return self._cut_in(self.root, row, 0)

    def _top(self) -> list[Any]:
        return list(self.root.named_children)

    def _span_of(self, statement: Any) -> tuple[int, int]:
        return statement.start_point.row, _last_row(statement)

    def _blocks_of(self, statement: Any) -> list[list[Any]]:
        blocks = []
        pending = list(statement.named_children)
        while pending:
            node = pending.pop(0)
            if node.type in self.blocks:
                if node.named_child_count:
                    blocks.append(list(node.named_children))
            else:
                pending[:0] = node.named_children
        return blocks

    def _attached(self, statement: Any) -> bool:
        return bool(statement.type in _ATTACHED)

    def _cut_in(self, block: Any, row: int, depth: int) -> Cut:
        children = [c for c in block.named_children]
        previous = None
        for child in children:
            first, last = child.start_point.row, _last_row(child)
            if first >= row:
                if (
                    previous is not None
                    and previous.type in _ATTACHED
                    and _last_row(previous) < row
                ):
                    return Cut(depth, (previous.start_point.row, last))
                return Cut(depth)
            if first < row <= last:
                inner = self._block_within(child, row)
                if inner is None:
                    return Cut(depth, (first, last))
                statements = list(inner.named_children)
                top, bottom = statements[0].start_point.row, _last_row(statements[-1])
                if row == top or row == bottom + 1:
                    return Cut(depth + 1, edge=True)
                return self._cut_in(inner, row, depth + 1)
            previous = child
        return Cut(depth)

    def _block_within(self, node: Any, row: int) -> Any:
        """Return the block inside node whose statements the cut before row falls between."""
        while node is not None:
            inside = None
            for child in node.named_children:
                if child.type in self.blocks and child.named_child_count:
                    statements = child.named_children
                    if statements[0].start_point.row <= row <= _last_row(statements[-1]) + 1:
                        return child
                if child.start_point.row < row <= _last_row(child):
                    inside = child
                    break
            node = inside
        return None


def _first_of_type(node: Any, kind: str) -> Any:
    pending = [node]
    while pending:
        node = pending.pop()
        if node.type == kind:
            return node
        pending.extend(reversed(node.named_children))
    return None


def _statement_index(siblings: list[Any], index: int) -> int:
    """Return index counted without comments and decorators (overloads are then adjacent)."""
    return sum(1 for s in siblings[:index] if s.type not in _COMMENTS | _ATTACHED)


# --- what the rest of deckwright asks ------------------------------------------------------


def lines_cut_problem(text: str, grammar: str, first: int, last: int) -> str:
    """Return which end of the 1-based inclusive line range splits a statement ('' if none).

    The answer is "start", "end" or "start and end"; a file that does not parse, or
    whose lines Python and editors count differently, has no answer.
    """
    if re.search(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", text):
        return ""  # str.splitlines(), which numbers `lines:`, sees more lines than editors
    try:
        found = outline(text, grammar)
    except ImportError:
        return ""
    if found is None:
        return ""
    try:
        return found.range_problem(first - 1, last - 1)
    except RecursionError:  # blocks nested thousands deep: not worth judging
        return ""


def enclosing_symbol(text: str, grammar: str, first: int, last: int) -> str:
    """Return the innermost symbol around the 1-based line range's first line ('' if none)."""
    try:
        found = symbols_anyway(text, grammar)
    except ImportError:
        return ""
    if found is None:
        return ""
    around = [s for s in found.symbols if s.start <= first - 1 <= s.end]
    if not around:
        around = [s for s in found.symbols if first - 1 <= s.start and s.end <= last - 1]
    return min(around, key=lambda s: s.end - s.start).name if around else ""


_CLOSER = re.compile(r"^\s*(?:[)\]}]|else\b|elif\b|except\b|finally\b|catch\b|case\b)")
_OPEN_END = re.compile(r"(?:[(\[{,\\:=+\-*/%&|^<>.]|\band|\bor|\bnot)\s*$")


def break_scores(source: str, language: str, filename: str = "") -> list[float]:
    """Return, for each line, how good the end of that line is for continuing on a new slide.

    1 is a boundary between top-level statements next to a blank line, 0.9 one
    without a blank line; a boundary inside a block is worth less the deeper it is;
    a cut right after a header or before a block's end (`}`, `else:`), or between a
    comment and the code it describes, is poor; 0 splits a statement. Code that does
    not parse is judged by its indentation, and never gets 0. The last line's value
    is 1 (the code ends there anyway).
    """
    lines = physical_lines(source)
    count = len(lines)
    found = None
    grammar = grammar_for(language, filename)
    if grammar is not None and count > 1:
        try:
            found = outline(source, grammar)
        except ImportError:
            found = None
    blank = [not line.strip() for line in lines]
    indents = [
        len(line) - len(line.lstrip()) for line, b in zip(lines, blank, strict=True) if not b
    ]
    least = min(indents, default=0)
    scores = []
    for row in range(1, count):
        near_blank = blank[row - 1] or blank[row]
        after_comment = (
            not blank[row - 1]
            and not blank[row]
            and lines[row - 1].lstrip().startswith(("#", "//", "/*", "*", "--"))
        )
        cut = _cut_or_none(found, row)
        if cut is not None:
            if not cut.clean:
                score = 0.0
            elif cut.edge:
                score = 0.15
            elif after_comment:
                score = 0.3
            else:
                score = 1.0 if cut.depth == 0 else max(0.4, 0.7 - 0.1 * (cut.depth - 1))
                score -= 0 if near_blank else 0.1
        else:
            score = _guess(lines, blank, row, least, near_blank, after_comment)
        scores.append(score)
    return scores + [1.0] if count else []


def _cut_or_none(found: Outline | None, row: int) -> Cut | None:
    if found is None:
        return None
    try:
        return found.cut(row)
    except RecursionError:  # blocks nested thousands deep: judge by indentation
        return None


def _guess(
    lines: list[str], blank: list[bool], row: int, least: int, near_blank: bool, after_comment: bool
) -> float:
    """Return a cut's score from indentation alone (the code did not parse)."""
    following = next((lines[r] for r in range(row, len(lines)) if not blank[r]), "")
    preceding = next((lines[r] for r in range(row - 1, -1, -1) if not blank[r]), "")
    at_least = len(following) - len(following.lstrip()) == least
    if _CLOSER.match(following) or _OPEN_END.search(preceding):
        return 0.1
    if after_comment:
        return 0.3
    if at_least:
        return 1.0 if near_blank else 0.9
    return 0.6 if near_blank else 0.5
