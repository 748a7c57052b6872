"""Load YAML safely into a located tree: every mapping and list knows where it is.

The loader composes nodes (which never constructs Python objects), then converts
them itself, so unknown tags are reported instead of run, duplicate keys are
errors, and aliases are expanded under a budget ("billion laughs").
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import Location, Problems

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000  # after alias expansion

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


class LocatedStr(str):
    """A string scalar that remembers where it starts and its quoting style."""

    loc: Location
    style: str | None


def _loc(path: str, node: Node) -> Location:
    mark = node.start_mark
    return Location(path, mark.line + 1, mark.column + 1)


def read_text(path: Path, display: str, problems: Problems, limit: int = MAX_FILE_BYTES) -> str | None:
    """Return the file's text as UTF-8, or None after reporting why it cannot be read."""
    where = Location(display, 1, 1)
    try:
        if path.is_dir():
            problems.error(where, "is a directory, not a file")
            return None
        size = path.stat().st_size
        if size > limit:
            problems.error(where, f"file is {size:,} bytes; the limit is {limit:,}")
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        problems.error(where, "file not found")
        return None
    except OSError as exc:
        problems.error(where, f"cannot read file: {exc.strerror or exc}")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.error(where, "file is UTF-16; save it as UTF-8")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        problems.error(Location(display, line, col), "file is not UTF-8 text",
                       "save it as UTF-8")
        return None


def load_yaml(text: str, display: str, problems: Problems) -> Any:
    """Return the located tree of a YAML document, or None after reporting problems."""
    bad = _first_unprintable(text)
    if bad is not None:
        line, col, ch = bad
        problems.error(Location(display, line, col),
                       f"character U+{ord(ch):04X} is not allowed in YAML or PowerPoint text",
                       "remove it")
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        problems.error(where, f"YAML syntax error: {_yaml_message(exc)}")
        return None
    except yaml.YAMLError as exc:
        problems.error(Location(display), f"YAML error: {exc}")
        return None
    if node is None:
        problems.error(Location(display, 1, 1), "file is empty")
        return None
    builder = _Builder(display, problems)
    try:
        return builder.convert(node)
    except _TooBig:
        problems.error(_loc(display, node),
                       f"document expands to more than {MAX_NODES:,} values "
                       "(alias expansion bomb?)")
        return None


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    text = exc.problem or exc.context or "invalid YAML"
    if "\t" in (exc.problem_mark.buffer or "" if exc.problem_mark else "") and "tab" in text:
        return text + " (indent with spaces, not tabs)"
    if "found character '\\t'" in text:
        return "tab character used for indentation (indent with spaces)"
    return text


def _first_unprintable(text: str) -> tuple[int, int, str] | None:
    """Find the first character that neither YAML nor XML can hold."""
    for index, ch in enumerate(text):
        code = ord(ch)
        if (code < 0x20 and ch not in "\t\n\r") or 0xD800 <= code <= 0xDFFF or code in (
            0xFFFE, 0xFFFF) or 0x7F <= code <= 0x84 or 0x86 <= code <= 0x9F:
            line = text.count("\n", 0, index) + 1
            col = index - (text.rfind("\n", 0, index) + 1) + 1
            return line, col, ch
    return None


class _TooBig(Exception):
    pass


class _Builder:
    """Convert composed nodes to Map/Seq/scalars under a node budget."""

    def __init__(self, path: str, problems: Problems):
        self.path = path
        self.problems = problems
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def convert(self, node: Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        if isinstance(node, MappingNode):
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            self._check_tag(node, "tag:yaml.org,2002:seq")
            seq = Seq(self.convert(item) for item in node.value)
            seq.loc = _loc(self.path, node)
            seq.item_locs = [_loc(self.path, item) for item in node.value]
            return seq
        return self._scalar(node)

    def _check_tag(self, node: Node, expected: str) -> None:
        if node.tag != expected:
            self.problems.error(_loc(self.path, node), f"YAML tag '{node.tag}' is not allowed",
                                "deckwright only reads plain data")

    def _mapping(self, node: MappingNode) -> Map:
        self._check_tag(node, "tag:yaml.org,2002:map")
        result = Map()
        result.loc = _loc(self.path, node)
        result.key_locs = {}
        result.value_locs = {}
        for key_node, value_node in self._merged_pairs(node):
            key = self.convert(key_node)
            if isinstance(key, (Map, Seq)):
                self.problems.error(_loc(self.path, key_node), "a mapping key must be a plain value")
                continue
            key = str(key) if key is not None else "null"
            if key in result.key_locs:
                first = result.key_locs[key]
                self.problems.error(_loc(self.path, key_node), f"duplicate key '{key}'",
                                    f"first defined at line {first.line}")
                continue
            result.key_locs[key] = _loc(self.path, key_node)
            result.value_locs[key] = _loc(self.path, value_node)
            result[key] = self.convert(value_node)
        return result

    def _merged_pairs(self, node: MappingNode) -> list[tuple[Node, Node]]:
        pairs: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for source in sources:
                    if isinstance(source, MappingNode):
                        self.count += len(source.value)
                        if self.count > MAX_NODES:
                            raise _TooBig
                        pairs.extend(p for p in self._merged_pairs(source)
                                     if not any(_same_key(p[0], k) for k, _ in node.value))
                continue
            pairs.append((key_node, value_node))
        return pairs

    def _scalar(self, node: Node) -> Any:
        assert isinstance(node, ScalarNode)
        if node.tag not in _STANDARD_SCALAR_TAGS:
            self._check_tag(node, "tag:yaml.org,2002:str")
            return None
        if node.tag == "tag:yaml.org,2002:str":
            value = LocatedStr(node.value)
            value.loc = _loc(self.path, node)
            value.style = node.style
            return value
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.problems.error(_loc(self.path, node), f"invalid value {node.value!r}: {exc}")
            return None
        if isinstance(value, datetime.datetime):
            return value
        return value


def _same_key(a: Node, b: Node) -> bool:
    return isinstance(a, ScalarNode) and isinstance(b, ScalarNode) and a.value == b.value


def load_file(path: Path, display: str, problems: Problems) -> Any:
    """Read and load a YAML file; None when it cannot be read or parsed."""
    text = read_text(path, display, problems)
    if text is None:
        return None
    return load_yaml(text, display, problems)
