"""Cloud Logging queries (a log-based metric's `filter`) evaluated on sample log entries.

A query is parsed with the syntax it shares with Monitoring filters (`filter_syntax`, Logging
dialect: NOT binds tighter than OR, OR tighter than AND; `-` as NOT; global restrictions; value
groups) and evaluated as Cloud Logging documents it, on a log entry given as nested mappings:

- a selector is a path of field names; a repeated field on the way matches if any element does;
- `=` and `!=` compare equal / not equal, `:` is "has": the value as a substring, `:*` the field
  present; `<`, `<=`, `>`, `>=` compare numbers, or text otherwise. String comparisons ignore
  case, as in Cloud Logging;
- `=~` / `!~` search with a regular expression (case-sensitive, unanchored);
- `NOT` and `!=` match an entry that lacks the field;
- a global restriction matches when any field of the entry contains the value.

`matches(query, entry)` raises `FilterSyntaxError` for text it cannot read and
`UnsupportedQueryError` for what it cannot evaluate exactly (functions such as `log_id()` or
`sample()`, an invalid regular expression): the caller then cannot decide, it never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from .filter_syntax import LOGGING, FilterSyntaxError, Global, Group, Node, Not, Term, parse

__all__ = ["FilterSyntaxError", "UnsupportedQueryError", "matches", "parsed_query"]


class UnsupportedQueryError(ValueError):
    """A query construct this reader cannot evaluate exactly; says which."""


@lru_cache(maxsize=256)
def parsed_query(text: str) -> Node | None:
    """The query's tree (None: an empty query, which matches every entry)."""
    return parse(text, LOGGING)


def matches(text: str, entry: Mapping[str, Any]) -> bool:
    """Whether the log entry matches the query."""
    tree = parsed_query(text)
    return True if tree is None else _evaluate(tree, entry)


def _evaluate(node: Node, entry: Mapping[str, Any]) -> bool:
    if isinstance(node, Group):
        results = [_evaluate(child, entry) for child in node.children]
        return all(results) if node.join == "AND" else any(results)
    if isinstance(node, Not):
        return not _evaluate(node.child, entry)
    if isinstance(node, Global):
        if not node.literal:
            raise UnsupportedQueryError(f"the function {node.value.split('(')[0]}()")
        needle = node.value.lower()
        return any(needle in _text(leaf) for leaf in _leaves(entry))
    return _compare(node, entry)


def _compare(term: Term, entry: Mapping[str, Any]) -> bool:
    if not term.literal:
        raise UnsupportedQueryError(f"the function {term.value.split('(')[0]}() in a comparison")
    found = list(_resolve(entry, term.selector.split(".")))
    operator = term.operator
    if operator == "!=":
        return not any(_equal(value, term.value) for value in found)
    if operator == "!~":
        return not any(_search(term.value, value) for value in found)
    if operator == ":" and term.value == "*":
        return bool(found)
    leaves = [leaf for value in found for leaf in _leaves(value)]
    if operator == "=":
        return any(_equal(leaf, term.value) for leaf in leaves)
    if operator == ":":
        return any(term.value.lower() in _text(leaf) for leaf in leaves)
    if operator == "=~":
        return any(_search(term.value, leaf) for leaf in leaves)
    return any(_ordered(leaf, operator, term.value) for leaf in leaves)


def _resolve(value: Any, path: Sequence[str]) -> Iterator[Any]:
    """The values at a field path; a repeated field yields each element's."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            yield from _resolve(item, path)
        return
    if not path:
        if value is not None:
            yield value
        return
    if isinstance(value, Mapping) and path[0] in value:
        yield from _resolve(value[path[0]], path[1:])


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            yield from _leaves(item)
    elif value is not None:
        yield value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).lower()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _equal(value: Any, wanted: str) -> bool:
    left, right = _number(value), _number(wanted)
    if left is not None and right is not None:
        return left == right
    return _text(value) == wanted.lower()


def _search(pattern: str, value: Any) -> bool:
    try:
        return re.search(pattern, str(value)) is not None
    except re.error:
        raise UnsupportedQueryError("a regular expression Python cannot read") from None


def _ordered(value: Any, operator: str, wanted: str) -> bool:
    left, right = _number(value), _number(wanted)
    pair: tuple[Any, Any] = (left, right)
    if left is None or right is None:
        pair = (_text(value), wanted.lower())
    a, b = pair
    if operator == "<":
        return bool(a < b)
    if operator == "<=":
        return bool(a <= b)
    if operator == ">":
        return bool(a > b)
    return bool(a >= b)
