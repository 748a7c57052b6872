"""The Jinja2 sandbox, bounded: templates may not run away with time or memory.

Jinja2's SandboxedEnvironment keeps templates away from Python internals, but not
from `{{ 'a' * 10**9 }}`, `{{ 2 ** 10**9 }}`, `{{ 'x'|center(10**9) }}` or three
nested loops over ten thousand items. GuardedEnvironment adds a budget per render:

- every value a template makes (operators, calls, filters, `~`) is at most
  MAX_VALUE characters or items, checked *before* the big ones are built;
- integers stay under MAX_INT_BITS bits;
- loop iterations, calls and output chunks together are at most MAX_STEPS;
- all output, including what `{% set %}` blocks and macros capture, is at most
  MAX_OUTPUT characters.

Going over a budget raises BudgetError (a SecurityError), which the renderer reports
with the string's location. The loops, `~` and output are counted by rewriting the parsed
template (see _Guard) to call the small functions at the end of this module.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from jinja2 import Environment, nodes
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

MAX_VALUE = 100_000  # characters of a string, items of a list, made by a template
MAX_INT_BITS = 10_000  # about 3,000 digits
MAX_STEPS = 100_000  # loop iterations + calls + output chunks in one render
MAX_OUTPUT = 1_000_000  # characters output in one render, captured blocks included
MAX_RANGE = 10_000


@dataclass
class Budget:
    """What one render has used so far."""

    steps: int = 0
    output: int = 0


class BudgetError(SecurityError):
    """A template went over its time or memory budget."""


_BUDGET: ContextVar[Budget | None] = ContextVar("deckwright_template_budget", default=None)


def start_budget() -> object:
    """Give the renders that follow in this context a fresh budget; return a reset token."""
    return _BUDGET.set(Budget())


def end_budget(token: object) -> None:
    _BUDGET.reset(token)  # type: ignore[arg-type]


def _step(count: int = 1) -> None:
    budget = _BUDGET.get()
    if budget is None:
        return
    budget.steps += count
    if budget.steps > MAX_STEPS:
        raise BudgetError(
            f"the template takes more than {MAX_STEPS:,} steps (loops, calls and output)"
        )


def weight(value: Any, limit: int = MAX_VALUE) -> int:
    """Return about how many characters value holds, counting shared items every time.

    Counting stops a little over limit, so weighing a huge value stays cheap.
    """
    if isinstance(value, (str, bytes, bytearray)):
        return len(value)
    if isinstance(value, dict):
        items: Iterable[Any] = [*value.keys(), *value.values()]
        total = len(value)
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = value
        total = len(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3
    else:
        return 1
    for item in items:
        if total > limit:
            break
        total += weight(item, limit - total)
    return total


def check_size(value: Any, what: str = "a value") -> Any:
    """Return value, or refuse it when it is bigger than a template may make."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > MAX_INT_BITS:
            raise BudgetError(f"{what} is a number of more than {MAX_INT_BITS:,} bits")
        return value
    if weight(value) > MAX_VALUE:
        raise BudgetError(f"{what} is larger than {MAX_VALUE:,} characters")
    return value


def _refuse_over(size: int, what: str) -> None:
    if size > MAX_VALUE:
        raise BudgetError(f"{what} would make more than {MAX_VALUE:,} characters")


def _length(value: Any) -> int:
    return weight(value, MAX_VALUE * 10)


# Operators ----------------------------------------------------------------------------


def _check_binop(operator: str, left: Any, right: Any) -> None:
    numbers = all(isinstance(v, (int, float)) for v in (left, right))
    if operator == "*":
        if numbers:
            if isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise BudgetError(f"a product of more than {MAX_INT_BITS:,} bits")
            return
        count = right if isinstance(right, int) else left if isinstance(left, int) else None
        sequence = left if count is right else right
        if count is not None and not isinstance(count, bool):
            _refuse_over(_length(sequence) * max(count, 0), "repeating a value")
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            if max(abs(left).bit_length() - 1, 0) * right > MAX_INT_BITS or right > MAX_INT_BITS:
                if abs(left) > 1:
                    raise BudgetError(f"a power of more than {MAX_INT_BITS:,} bits")
    elif operator == "%" and isinstance(left, str):
        _check_percent_format(left, right)
    elif operator == "+" and not numbers:
        _refuse_over(_length(left) + _length(right), "joining two values")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")


def _check_percent_format(fmt: str, args: Any) -> None:
    numbers = args if isinstance(args, tuple) else (args,)
    for match in _PERCENT_SPEC.finditer(fmt):
        for part in match.groups():
            if part == "*":
                _refuse_over(
                    max((n for n in numbers if isinstance(n, int)), default=0), "a '%' format width"
                )
            elif part:
                _refuse_over(int(part), "a '%' format width")
    _refuse_over(len(fmt) + _length(args), "a '%' format")


def _check_brace_format(fmt: str, args: tuple, kwargs: dict) -> None:
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format raises its own error for a malformed format
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:  # a width taken from the arguments
            for value in (*args, *kwargs.values()):
                if isinstance(value, int) and not isinstance(value, bool):
                    _refuse_over(value, "a format width")
        for number in re.findall(r"\d+", spec):
            _refuse_over(int(number), "a format width")
    _refuse_over(len(fmt) + _length(args) + _length(kwargs), "a format")


# Methods that can make a value much bigger than their inputs ---------------------------

_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill"}


def _check_method(obj: Any, args: tuple, kwargs: dict) -> tuple:
    """Refuse a call to a str/bytes/int method that would build a huge value; return args."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if isinstance(owner, (str, bytes, bytearray)):
        if name in _WIDTH_METHODS and args and isinstance(args[0], int):
            _refuse_over(args[0], f"{name}()")
        elif name == "expandtabs":
            size = args[0] if args else kwargs.get("tabsize", 8)
            if isinstance(size, int):
                tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
                _refuse_over(len(owner) + tabs * size, "expandtabs()")
        elif name == "join" and args:
            items = args[0] if isinstance(args[0], (str, bytes)) else list(args[0])
            _refuse_over(_length(items) + len(owner) * max(len(items) - 1, 0), "join()")
            return (items, *args[1:])
        elif name == "replace" and len(args) >= 2:
            _check_replace(owner, args[0], args[1], args[2] if len(args) > 2 else None)
        elif name == "translate" and args and isinstance(args[0], dict):
            longest = max((_length(v) for v in args[0].values()), default=1)
            _refuse_over(len(owner) * max(longest, 1), "translate()")
    elif isinstance(owner, int) and name == "to_bytes":
        size = args[0] if args else kwargs.get("length", 1)
        if isinstance(size, int):
            _refuse_over(size, "to_bytes()")
    return args


def _check_replace(text: Any, old: Any, new: Any, count: Any) -> None:
    if not isinstance(text, str) or not isinstance(old, str):
        return
    hits = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    _refuse_over(len(text) + hits * _length(new), "replace()")


# Filters ------------------------------------------------------------------------------


def _filter_check(name: str, args: tuple, kwargs: dict) -> tuple:
    """Refuse a filter call whose result would be too big, before it runs; return args.

    args start with the filtered value (the environment or context some filters
    take first is already split off). join and sum read their input twice, so an
    iterator there becomes a list.
    """

    def arg(index: int, key: str, default: Any = None) -> Any:
        return args[index] if len(args) > index else kwargs.get(key, default)

    if name == "center":
        width = arg(1, "width", 80)
        if isinstance(width, int):
            _refuse_over(width, "center")
    elif name == "indent":
        text, width = arg(0, "s", ""), arg(1, "width", 4)
        pad = width if isinstance(width, int) else _length(width)
        _refuse_over(_length(text) + (str(text).count("\n") + 1) * max(pad, 0), "indent")
    elif name == "format":
        if isinstance(arg(0, "value"), str):
            _check_percent_format(arg(0, "value"), tuple(args[1:]) or tuple(kwargs.values()))
    elif name == "replace":
        _check_replace(arg(0, "s"), arg(1, "old"), arg(2, "new"), arg(3, "count"))
    elif name == "join" and args:
        items = args[0] if isinstance(args[0], (str, bytes)) else list(args[0])
        _refuse_over(_length(items) + _length(arg(1, "d", "")) * max(len(items) - 1, 0), "join")
        return (items, *args[1:])
    elif name == "wordwrap":
        text, width = arg(0, "s", ""), arg(1, "width", 79)
        wrap = arg(3, "wrapstring", None) or "\n"
        if isinstance(text, str) and isinstance(width, int):
            lines = len(text) // max(width, 1) + text.count("\n") + 1
            _refuse_over(len(text) + lines * _length(wrap), "wordwrap")
    elif name in ("batch", "slice"):
        count = arg(1, "linecount" if name == "batch" else "slices")
        if isinstance(count, int):
            _refuse_over(count, name)
    elif name == "sum" and args:
        start = arg(2, "start", 0)
        if not isinstance(start, (int, float)):
            items = list(args[0])
            _refuse_over(len(items) * (_length(items) + _length(start)), "sum")
            return (items, *args[1:])
    elif name == "truncate":
        _refuse_over(_length(arg(0, "s", "")) + _length(arg(3, "end", "...")), "truncate")
    return args


_PASSED = (Environment, EvalContext, Context)


def _guard_filter(name: str, function: Any) -> Any:
    @wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _step()
        skip = 0
        while skip < len(args) and isinstance(args[skip], _PASSED):
            skip += 1
        args = (*args[:skip], *_filter_check(name, args[skip:], kwargs))
        return check_size(function(*args, **kwargs), f"the result of '{name}'")

    return guarded


# Globals --------------------------------------------------------------------------------


def bounded_range(*args: int) -> range:
    """range() for templates: at most MAX_RANGE items."""
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise BudgetError(f"range() is limited to {MAX_RANGE:,} items")
    return result


class GuardedEnvironment(ImmutableSandboxedEnvironment):
    """A sandbox that also refuses templates that would use too much time or memory."""

    intercepted_binops = frozenset({"*", "**", "%", "+", "//"})

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.globals = {
            name: value for name, value in self.globals.items() if name != "lipsum"
        }  # lipsum(10**9) needs no loop
        self.globals["range"] = bounded_range
        self.filters = {
            name: _guard_filter(name, function) for name, function in self.filters.items()
        }

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return check_size(
            super().call_binop(context, operator, left, right), f"the result of '{operator}'"
        )

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _step()
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (loop_items(args[0]), *args[1:])
        args = _check_method(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        return check_size(result, f"the result of {getattr(__obj, '__name__', 'a call')}()")

    def wrap_str_format(self, value: Any) -> Any:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        text = value.__self__

        @wraps(wrapper)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            mapping = args[0] if value.__name__ == "format_map" and args else kwargs
            _check_brace_format(
                str(text),
                args if mapping is kwargs else (),
                dict(mapping) if isinstance(mapping, dict) else {},
            )
            return wrapper(*args, **kwargs)

        return guarded

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = _Guard().visit(super()._parse(source, name, filename))
        tree.set_environment(self)
        return tree


class _Guard(NodeTransformer):
    """Route loops, `~` and output through the budget functions below."""

    def _call(self, function: str, args: list[nodes.Node], lineno: int) -> nodes.Call:
        # Node, not Expr: jinja2 types For.iter as Node, though the parser only puts Exprs there.
        target = nodes.ImportedName(f"{__name__}.{function}", lineno=lineno)
        return nodes.Call(target, args, [], None, None, lineno=lineno)

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        node.iter = self._call("loop_items", [node.iter], node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Call:
        self.generic_visit(node)
        return self._call("concat", list(node.nodes), node.lineno)

    def visit_Output(self, node: nodes.Output) -> nodes.Output:
        self.generic_visit(node)
        node.nodes = [self._call("emit", [child], child.lineno) for child in node.nodes]
        return node


def loop_items(iterable: Any) -> Iterator[Any]:
    """Iterate for a template loop, one step per item."""
    for item in iterable:
        _step()
        yield item


def concat(*values: Any) -> str:
    """The `~` operator under the size budget."""
    parts = [str(value) for value in values]
    _refuse_over(sum(map(len, parts)), "'~'")
    return "".join(parts)


def emit(value: Any) -> Any:
    """Count a piece of output (or of a captured block) against the output budget."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.output += len(value) if isinstance(value, str) else len(str(value))
        if budget.output > MAX_OUTPUT:
            raise BudgetError(f"the template outputs more than {MAX_OUTPUT:,} characters")
    return value
