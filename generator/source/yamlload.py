"""Load YAML safely into a located tree: every mapping and list knows where it is.

The loader composes nodes (which never constructs Python objects), then converts
them itself, so unknown tags are reported instead of run, duplicate keys are
errors, and aliases are expanded under a budget ("billion laughs").
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import Location, Problems
from generator.source.yamlsyntax import syntax_problem

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000  # after alias expansion
MAX_DEPTH = 100  # nested lists and mappings; real decks use fewer than ten
MAX_NUMBER_CHARS = 100  # an int or float as written; Python refuses str() of 4,300 digits

_NULL = "tag:yaml.org,2002:null"
_STANDARD_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class Map(dict):
    """A mapping with its own location and the location of each key."""

    loc: Location
    key_locs: dict[Any, Location]
    value_locs: dict[Any, Location]

    def loc_of(self, key: Any) -> Location:
        """Return where the value of key starts (or the mapping itself)."""
        return self.value_locs.get(key, self.loc)


class Seq(list):
    """A list with its own location and the location of each item."""

    loc: Location
    item_locs: list[Location]

    def loc_of(self, index: int) -> Location:
        if 0 <= index < len(self.item_locs):
            return self.item_locs[index]
        return self.loc


_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


class LocatedStr(str):
    """A string scalar that remembers where it starts and its quoting style."""

    loc: Location
    style: str | None


def _loc(path: str, node: Node) -> Location:
    mark = node.start_mark
    return Location(path, mark.line + 1, mark.column + 1)


def read_text(
    path: Path, display: str, problems: Problems, limit: int = MAX_FILE_BYTES
) -> str | None:
    """Return the file's text as UTF-8, or None after reporting why it cannot be read.

    A UTF-8 byte-order mark is dropped. UTF-16 and UTF-32 (with or without a mark),
    binary files and other encodings are reported at the first byte that is wrong.
    """
    where = Location(display, 1, 1)
    try:
        if path.is_dir():
            problems.error(where, "is a directory, not a file")
            return None
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a pipe would block, /dev/zero never ends
            problems.error(where, "is not a regular file")
            return None
        size = info.st_size
        if size > limit:
            problems.error(
                where,
                f"file is {size:,} bytes; the limit is {limit:,}",
                "split the talk into several files, or include long code with 'file:'",
            )
            return None
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may grow between stat and read
    except FileNotFoundError:
        problems.error(where, "file not found")
        return None
    except OSError as exc:
        problems.error(where, f"cannot read file: {exc.strerror or exc}")
        return None
    if len(data) > limit:
        problems.error(where, f"file is more than {limit:,} bytes; the limit is {limit:,}")
        return None
    encoding = wide_encoding(data)
    if encoding:
        problems.error(where, f"file is {encoding} text", "save it as UTF-8")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        problems.error(
            _byte_location(display, data, nul),
            "file is binary (it holds NUL bytes), not YAML text",
            "give a .yaml file saved as UTF-8",
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.error(
            _byte_location(display, data, exc.start), "file is not UTF-8 text", "save it as UTF-8"
        )
        return None


def wide_encoding(data: bytes) -> str:
    """Name UTF-16/UTF-32 by their byte-order mark or their zero bytes; "" otherwise."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    # Without a mark: text in UTF-16 has a zero byte in most pairs (all of them for
    # ASCII, which is how YAML keys are written), always on the same side.
    head = data[:256]
    half = len(head) // 2
    if half >= 2:
        even, odd = head[0 : half * 2 : 2].count(0), head[1 : half * 2 : 2].count(0)
        if (odd >= half * 0.4 and even == 0) or (even >= half * 0.4 and odd == 0):
            return "UTF-16"
    return ""


def _byte_location(display: str, data: bytes, offset: int) -> Location:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    return Location(display, line, col)


def load_yaml(text: str, display: str, problems: Problems, empty_hint: str = "") -> Any:
    """Return the located tree of a YAML document, or None after reporting problems.

    The tree is None when the text does not parse, or when any value in it was
    refused (a tag, a duplicate key, too many values or levels): the later stages
    would only repeat those problems in other words.
    """
    bad = _first_unprintable(text)
    if bad is not None:
        line, col, ch = bad
        problems.error(
            Location(display, line, col),
            f"character U+{ord(ch):04X} is not allowed in YAML or PowerPoint text",
            "remove it",
        )
        return None
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        where, message, hint = syntax_problem(exc, text, display, MAX_DEPTH)
        problems.error(where, f"YAML syntax error: {message}", hint)
        return None
    except yaml.YAMLError as exc:
        problems.error(Location(display), f"YAML error: {exc}")
        return None
    except RecursionError:
        problems.error(
            Location(display, 1, 1), f"lists and mappings nest more than {MAX_DEPTH} levels deep"
        )
        return None
    if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL):
        where = Location(display, 1, 1) if node is None or not node.value else _loc(display, node)
        problems.error(
            where,
            "file is empty" if node is None or not node.value else "file holds only null",
            empty_hint,
        )
        return None
    builder = _Builder(display, problems)
    before = len(problems.errors)
    try:
        tree = builder.convert(node)
    except _TooBig as exc:
        problems.error(exc.where, exc.message, exc.hint)
        return None
    return tree if len(problems.errors) == before else None


def _compose(text: str) -> Node | None:
    """Compose with libyaml when it is there (fast, and it caps nesting at 1000 levels).

    On a syntax error the pure-Python parser runs again for its clearer messages
    (libyaml says "cannot start any token" where it could say "tab").
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=fast)
    except yaml.MarkedYAMLError as fast_error:
        try:
            yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            raise error from None
        except RecursionError:
            pass
        raise fast_error from None


# Characters neither YAML nor XML can hold (C0 controls but tab and line breaks, C1
# controls but NEL, surrogates, and the two non-characters XML refuses).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _first_unprintable(text: str) -> tuple[int, int, str] | None:
    """Find the first character that neither YAML nor XML can hold."""
    match = _UNPRINTABLE.search(text)
    if match is None:
        return None
    index = match.start()
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col, match.group()


class _TooBig(Exception):
    """The document is over a budget; carries the problem to report."""

    def __init__(self, where: Location, message: str, hint: str):
        super().__init__(message)
        self.where, self.message, self.hint = where, message, hint


def _short_tag(tag: str) -> str:
    """Write a tag the way the user did: tag:yaml.org,2002:python/... is !!python/..."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


class _Builder:
    """Convert composed nodes to Map/Seq/scalars under a node and a depth budget.

    Composed nodes are shared where the YAML has an alias, so a node met again is
    an alias being expanded; the budget counts every copy, which is what bounds a
    "billion laughs" document. Tags other than the plain YAML ones are reported and
    their value dropped: nothing is ever constructed from a tag.
    """

    def __init__(self, path: str, problems: Problems):
        self.path = path
        self.problems = problems
        self.count = 0
        self.depth = 0
        self.seen: set[int] = set()
        self.aliased = False
        self.expanding: Node | None = None  # the anchored node an alias is expanding
        self.constructor = yaml.SafeLoader("")

    def convert(self, node: Node) -> Any:
        self.count += 1
        outermost = False
        if id(node) in self.seen:
            self.aliased = True
            if self.expanding is None:  # the alias whose expansion is counted from here
                self.expanding, outermost = node, True
        else:
            self.seen.add(id(node))
        if self.count > MAX_NODES:
            self._too_many(node)
        try:
            if isinstance(node, ScalarNode):
                return self._scalar(node)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _TooBig(
                    _loc(self.path, node),
                    f"lists and mappings nest more than {MAX_DEPTH} levels deep",
                    "an alias that contains itself?" if self.aliased else "",
                )
            try:
                if isinstance(node, MappingNode):
                    return self._mapping(node)
                self._check_tag(node, "tag:yaml.org,2002:seq")
                seq = Seq(self.convert(item) for item in node.value)
                seq.loc = _loc(self.path, node)
                seq.item_locs = [_loc(self.path, item) for item in node.value]
                return seq
            finally:
                self.depth -= 1
        finally:
            if outermost:
                self.expanding = None

    def _too_many(self, node: Node) -> None:
        if self.aliased:
            raise _TooBig(
                _loc(self.path, self.expanding or node),
                f"aliases expand the document to more than {MAX_NODES:,} values",
                "a 'billion laughs' bomb? use fewer, smaller aliases",
            )
        raise _TooBig(
            _loc(self.path, node),
            f"the document has more than {MAX_NODES:,} values",
            "split the talk into several files",
        )

    def _check_tag(self, node: Node, expected: str) -> None:
        """Report a tag on node other than the plain YAML one expected."""
        if node.tag != expected:
            self.problems.error(
                _loc(self.path, node),
                f"YAML tag '{_short_tag(node.tag)}' is not allowed",
                "deckwright reads plain data only; remove the tag",
            )

    def _mapping(self, node: MappingNode) -> Map:
        self._check_tag(node, "tag:yaml.org,2002:map")
        result = Map()
        result.loc = _loc(self.path, node)
        result.key_locs = {}
        result.value_locs = {}
        for key_node, value_node, merged in self._merged_pairs(node):
            key = self.convert(key_node)
            if isinstance(key, (Map, Seq)):
                self.problems.error(
                    _loc(self.path, key_node), "a mapping key must be a plain value"
                )
                continue
            key = str(key) if key is not None else "null"
            if key in result.key_locs:
                if not merged:
                    first = result.key_locs[key]
                    self.problems.error(
                        _loc(self.path, key_node),
                        f"duplicate key '{key}'",
                        f"first defined at line {first.line}",
                    )
                continue
            result.key_locs[key] = _loc(self.path, key_node)
            result.value_locs[key] = _loc(self.path, value_node)
            result[key] = self.convert(value_node)
        return result

    def _merged_pairs(self, node: MappingNode) -> list[tuple[Node, Node, bool]]:
        """Return the mapping's own pairs, then those merged in with '<<' (own keys win)."""
        own: list[tuple[Node, Node, bool]] = []
        merged: list[tuple[Node, Node, bool]] = []
        for key_node, value_node in node.value:
            if key_node.tag != "tag:yaml.org,2002:merge":
                own.append((key_node, value_node, False))
                continue
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self.problems.error(_loc(self.path, source), "'<<' merges mappings only")
                    continue
                self.count += len(source.value)
                if self.count > MAX_NODES:
                    self.aliased = True
                    self._too_many(source)
                self.depth += 1
                if self.depth > MAX_DEPTH:
                    raise _TooBig(
                        _loc(self.path, source),
                        f"'<<' merges nest more than {MAX_DEPTH} levels deep",
                        "",
                    )
                try:
                    merged.extend((k, v, True) for k, v, _ in self._merged_pairs(source))
                finally:
                    self.depth -= 1
        return own + merged

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag not in _STANDARD_SCALAR_TAGS:
            self._check_tag(node, "tag:yaml.org,2002:str")
            return None
        if node.tag == "tag:yaml.org,2002:str" or _sexagesimal(node):
            value = LocatedStr(node.value)
            value.loc = _loc(self.path, node)
            value.style = node.style
            return value
        if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
            self.problems.error(
                _loc(self.path, node),
                f"number is {len(node.value):,} characters long; the limit is {MAX_NUMBER_CHARS}",
                "quote it if it is meant as text",
            )
            return None
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.problems.error(
                _loc(self.path, node),
                f"invalid {_short_tag(node.tag)[2:]} value {node.value!r}",
                str(getattr(exc, "problem", None) or exc).split("\n")[0],
            )
            return None


def _sexagesimal(node: ScalarNode) -> bool:
    """Return whether node is a YAML 1.1 base-60 number (`1:30`, `190:20:30.15`).

    They stay text, as YAML 1.2 reads them: `time: 10:30` means "10:30", not 630,
    and PyYAML converts them in time quadratic in their length (1 MB of `1:59:59...`
    took 17 s).
    """
    return node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in node.value


def load_file(path: Path, display: str, problems: Problems, empty_hint: str = "") -> Any:
    """Read and load a YAML file; None (after reporting why) when it cannot be used."""
    text = read_text(path, display, problems)
    if text is None:
        return None
    return load_yaml(text, display, problems, empty_hint)
