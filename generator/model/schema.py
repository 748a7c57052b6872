"""Declared schemas: dataclass fields carry their converter and a one-line doc.

`build(cls, node, ctx)` turns a located mapping into an instance of a schema
dataclass, reporting unknown keys (with did-you-mean), missing keys and every
field's own problems, all at once.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, TypeVar

from generator.errors import NOT_XML, Location, Problems, did_you_mean
from generator.source.yamlload import Map

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
Converter = Callable[[Any, Location, "BuildContext"], Any]


@dataclass
class BuildContext:
    """What field converters need: where problems go and how to resolve files."""

    problems: Problems
    base_dir: Path  # folder of the file being read, for includes
    root_dir: Path  # project folder; includes may not leave it
    display: Callable[[Path], str] = str  # how a file path is shown in messages
    files: list[Path] = dataclasses.field(default_factory=list)  # every file read
    variables: Mapping[str, Any] = dataclasses.field(default_factory=dict)


def spec(
    doc: str, convert: Optional[Converter] = None, default: Any = MISSING, key: str | None = None
) -> Any:
    """Declare a schema field: its doc, its converter and its default (none: required)."""
    meta = {"doc": doc, "convert": convert, "key": key}
    if default is MISSING:
        return dataclasses.field(metadata=meta)
    if isinstance(default, (list, dict)):
        # Each instance gets its own copy of a mutable default.
        return dataclasses.field(
            default_factory=functools.partial(type(default), default), metadata=meta
        )
    return dataclasses.field(default=default, metadata=meta)


def schema_keys(cls: type) -> dict[str, dataclasses.Field]:
    """Return the YAML keys of a schema dataclass mapped to their fields."""
    return {
        (f.metadata.get("key") or f.name): f for f in dataclasses.fields(cls) if "doc" in f.metadata
    }


def build(
    cls: type[T],
    node: Any,
    where: Location,
    ctx: BuildContext,
    ignore: frozenset[str] = frozenset(),
    what: str = "",
    report_unknown: bool = True,
) -> T | None:
    """Return cls built from a located mapping, or None when a required part failed.

    Keys in ignore belong to someone else (a kind's extra keys): they are not
    unknown, and they are offered in did-you-mean hints. report_unknown=False is
    for the second schema of one mapping, whose first schema reported them.
    """
    label = what or cls.__name__.lower()
    if not isinstance(node, Map):
        ctx.problems.error(where, f"{label} must be a mapping, not {describe(node)}")
        return None
    keys = schema_keys(cls)
    known = [*keys, *(key for key in sorted(ignore) if key not in keys and key != "kind")]
    for key in node if report_unknown else ():
        if key not in keys and key not in ignore:
            loc = node.key_locs.get(key, node.loc)
            ctx.problems.error(
                loc,
                f"unknown field '{key}' in {label}",
                did_you_mean(key, known) or "fields: " + ", ".join(known),
            )
    values: dict[str, Any] = {}
    failed = False
    for key, field in keys.items():
        if key not in node:
            if field.default is MISSING and field.default_factory is MISSING:
                ctx.problems.error(node.loc, f"{label} is missing required field '{key}'")
                failed = True
            continue
        value = node[key]
        convert = field.metadata.get("convert")
        if convert is not None:
            before = len(ctx.problems.errors)
            value = convert(value, node.loc_of(key), ctx)
            if value is None and len(ctx.problems.errors) > before:
                failed = True
                continue
        values[field.name] = value
    if failed:
        return None
    extra = {f.name: node.loc for f in dataclasses.fields(cls) if f.name == "loc"}
    return cls(**values, **extra)


def describe(value: Any) -> str:
    """Name a YAML value's type the way a user would."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"a date ({value.isoformat()})"
    return type(value).__name__


# Common converters --------------------------------------------------------------------


def string(value: Any, where: Location, ctx: BuildContext) -> str | None:
    """Accept a string (numbers and dates are written as text) that XML can hold."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        ctx.problems.error(where, f"expected text, got {describe(value)}")
        return None
    text = str(value)
    if not xml_safe(text, getattr(value, "loc", where), ctx):
        return None
    return text


def xml_safe(text: str, where: Location, ctx: BuildContext) -> bool:
    """Report the first character of text that a .pptx cannot hold; True when none.

    Such characters reach a string through YAML escapes ("\\x07"), --var values and
    included files; written anyway they would crash the writer or show as _x0007_.
    """
    bad = NOT_XML.search(text)
    if bad is None:
        return True
    ctx.problems.error(
        where,
        f"character U+{ord(bad.group()):04X} at position "
        f"{bad.start() + 1} cannot be written to PowerPoint",
        "remove it",
    )
    return False


def boolean(value: Any, where: Location, ctx: BuildContext) -> bool | None:
    if not isinstance(value, bool):
        ctx.problems.error(where, f"expected true or false, got {describe(value)}")
        return None
    return value


def one_of(*choices: str) -> Converter:
    """Return a converter that accepts one of choices, with did-you-mean."""

    def convert(value: Any, where: Location, ctx: BuildContext) -> str | None:
        if not isinstance(value, str) or value not in choices:
            ctx.problems.error(
                where,
                f"expected one of {', '.join(choices)}, got {value!r}",
                did_you_mean(str(value), choices),
            )
            return None
        return value

    return convert


def mapping_of_strings(value: Any, where: Location, ctx: BuildContext) -> dict | None:
    if not isinstance(value, Map):
        ctx.problems.error(where, f"expected a mapping, got {describe(value)}")
        return None
    out = {}
    for key, item in value.items():
        text = string(item, value.loc_of(key), ctx)
        if text is not None:
            out[str(key)] = text
    return out


def weights(value: Any, where: Location, ctx: BuildContext, what: str) -> list[float] | None:
    """Convert a list of positive numbers (relative widths: [2, 1], [1, 2, 2])."""
    if not isinstance(value, list) or not value:
        ctx.problems.error(where, f"{what} must be a list of numbers, got {describe(value)}")
        return None
    numbers = []
    for index, item in enumerate(value):
        at = value.loc_of(index) if hasattr(value, "loc_of") else where
        if isinstance(item, bool) or not isinstance(item, (int, float)) or not item > 0:
            ctx.problems.error(at, f"{what} takes positive numbers, got {describe(item)}")
            return None
        numbers.append(float(item))
    return numbers
