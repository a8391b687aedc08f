"""The syntax Google's filter languages share, parsed into a tree; one grammar per dialect.

Cloud Monitoring filters and the Cloud Logging query language agree on the building blocks:
comparisons `selector operator value` (a value is a quoted string, a bare word or number, or a
function call), `AND`, `OR` and `NOT` in capitals, parentheses, and AND implied between adjacent
restrictions. They differ where a `Dialect` says so:

- operators: Logging adds the regular-expression matches `=~` and `!~`;
- precedence: Logging documents NOT over OR over AND, so `a AND b OR c` is `a AND (b OR c)`;
  Monitoring documents none, so a Monitoring filter mixing AND and OR without parentheses is
  refused rather than guessed;
- Logging also has `-` as NOT, global restrictions (a value on its own, matched against every
  field), and a parenthesised expression of values on the right of a comparison
  (`resource.type = ("a" OR "b")`), which is read as the same comparison on each value.

`parse` returns the tree: `Term`, `Global`, `Group` (AND / OR) and `Not`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Final, TypeAlias


class FilterSyntaxError(ValueError):
    """The text is not a filter this reader can be certain of; says where and why."""


@dataclass(frozen=True)
class Term:
    """One comparison, `selector operator value`.

    `selector` spells labels in full (`metric.label.x` reads as `metric.labels.x`); `value` is a
    string's text without quotes, a bare word or number as written, or a function call such as
    `starts_with("x")` as written, with `literal` false.
    """

    selector: str
    operator: str
    value: str
    literal: bool = True


@dataclass(frozen=True)
class Global:
    """A value on its own (Logging): any field of the entry contains it. A function call such as
    `sample(insertId, 0.1)` is kept as written, with `literal` false."""

    value: str
    literal: bool = True


@dataclass(frozen=True)
class Group:
    """Restrictions joined by `AND` or `OR`."""

    join: str
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node: TypeAlias = Term | Global | Group | Not


@dataclass(frozen=True)
class Dialect:
    """Where a filter language departs from the shared syntax."""

    name: str
    operators: tuple[str, ...]
    or_binds_tighter: bool
    """True: NOT > OR > AND (Logging). False: AND and OR side by side need parentheses."""
    extended: bool
    """Logging's extras: `-` as NOT, global restrictions, value groups on the right."""


MONITORING: Final = Dialect("Monitoring", ("!=", ">=", "<=", "=", ":", "<", ">"), False, False)
LOGGING: Final = Dialect("Logging", ("=~", "!~", "!=", ">=", "<=", "=", ":", "<", ">"), True, True)

KEYWORDS: Final = ("AND", "OR", "NOT")
_LABEL_SPELLING: Final = re.compile(r"^(metric|resource)\.label\.")


@dataclass(frozen=True)
class _Token:
    kind: str  # "string", "operator", "punctuation", "word"
    text: str


@cache
def _token_pattern(operators: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(operator) for operator in operators)
    # A bare word ends where an operator could start.
    stops = re.escape("".join(sorted({char for operator in operators for char in operator})))
    return re.compile(
        rf"""\s*(?:
            (?P<string>"(?:[^"\\]|\\.)*")
          | (?P<operator>{alternatives})
          | (?P<punctuation>[(),])
          | (?P<word>[^\s"(),{stops}]+)
        )""",
        re.VERBOSE,
    )


def _tokens(text: str, dialect: Dialect) -> list[_Token]:
    pattern = _token_pattern(dialect.operators)
    tokens: list[_Token] = []
    position = 0
    while text[position:].strip():
        match = pattern.match(text, position)
        if match is None or match.lastgroup is None:
            raise FilterSyntaxError(f"unreadable text at character {position + 1}")
        tokens.append(_Token(match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
    return tokens


def unquote(text: str) -> str:
    """A string token's text without its quotes and escapes."""
    return re.sub(r"\\(.)", r"\1", text[1:-1])


Leaf = Callable[[], Node]


class _Parser:
    def __init__(self, text: str, dialect: Dialect) -> None:
        self._dialect = dialect
        self._tokens = _tokens(text, dialect)
        self._index = 0

    def parse(self) -> Node:
        node = self._expression(self._restriction)
        if self._peek() is not None:
            raise FilterSyntaxError(f"unexpected {self._peek_text()}")
        return node

    # --- tokens ----------------------------------------------------------------------------------

    def _peek(self) -> _Token | None:
        return self._tokens[self._index] if self._index < len(self._tokens) else None

    def _peek_text(self) -> str:
        token = self._peek()
        return f"'{token.text}'" if token is not None else "end of filter"

    def _is(self, kind: str, text: str | None = None) -> bool:
        token = self._peek()
        return token is not None and token.kind == kind and (text is None or token.text == text)

    def _next_is(self, kind: str, text: str | None = None) -> bool:
        if self._index + 1 >= len(self._tokens):
            return False
        token = self._tokens[self._index + 1]
        return token.kind == kind and (text is None or token.text == text)

    def _take(self, kind: str, what: str) -> str:
        token = self._peek()
        if token is None or token.kind != kind:
            raise FilterSyntaxError(f"expected {what}, found {self._peek_text()}")
        self._index += 1
        return token.text

    def _at_end_of_group(self) -> bool:
        return self._peek() is None or self._is("punctuation", ")")

    # --- boolean structure (shared by restrictions and value groups) ----------------------------

    def _expression(self, leaf: Leaf) -> Node:
        if self._dialect.or_binds_tighter:
            return self._conjunction(leaf)
        units = [self._unit(leaf)]
        joins: set[str] = set()
        while not self._at_end_of_group():
            if self._is("word", "AND") or self._is("word", "OR"):
                joins.add(self._take("word", "AND or OR"))
            else:
                joins.add("AND")  # adjacent restrictions: AND is implied
            units.append(self._unit(leaf))
        if len(joins) > 1:
            raise FilterSyntaxError("AND and OR side by side need parentheses")
        return units[0] if len(units) == 1 else Group(joins.pop(), tuple(units))

    def _conjunction(self, leaf: Leaf) -> Node:
        parts = [self._disjunction(leaf)]
        while not self._at_end_of_group():
            if self._is("word", "AND"):
                self._index += 1
            parts.append(self._disjunction(leaf))
        return parts[0] if len(parts) == 1 else Group("AND", tuple(parts))

    def _disjunction(self, leaf: Leaf) -> Node:
        parts = [self._unit(leaf)]
        while self._is("word", "OR"):
            self._index += 1
            parts.append(self._unit(leaf))
        return parts[0] if len(parts) == 1 else Group("OR", tuple(parts))

    def _unit(self, leaf: Leaf) -> Node:
        if self._is("word", "NOT"):
            self._index += 1
            return Not(self._unit(leaf))
        token = self._peek()
        if self._dialect.extended and token is not None and token.kind == "word":
            if token.text == "-":
                self._index += 1
                return Not(self._unit(leaf))
            if token.text.startswith("-") and len(token.text) > 1:
                self._tokens[self._index] = _Token("word", token.text[1:])
                return Not(self._unit(leaf))
        if self._is("punctuation", "("):
            self._index += 1
            node = self._expression(leaf)
            self._take("punctuation", "')'")
            return node
        return leaf()

    # --- restrictions ----------------------------------------------------------------------------

    def _restriction(self) -> Node:
        if self._is("string") and self._dialect.extended:
            return Global(unquote(self._take("string", "a string")))
        selector = self._take("word", "a selector such as metric.type")
        if selector in KEYWORDS:
            raise FilterSyntaxError(f"expected a selector, found '{selector}'")
        if self._is("operator"):
            return self._comparison(_LABEL_SPELLING.sub(r"\1.labels.", selector))
        if self._dialect.extended:
            if self._is("punctuation", "("):
                return Global(self._call(selector), literal=False)
            return Global(selector)
        self._take("operator", f"an operator after {selector}")
        raise AssertionError("unreachable")  # _take raised

    def _comparison(self, selector: str) -> Node:
        operator = self._take("operator", f"an operator after {selector}")
        if self._dialect.extended and self._is("punctuation", "("):
            # `field = ("a" OR "b")`: the same comparison on each value of the group.
            def value_leaf() -> Node:
                return Term(selector, operator, *self._value())

            return self._unit(value_leaf)
        return Term(selector, operator, *self._value())

    def _value(self) -> tuple[str, bool]:
        if self._is("string"):
            return unquote(self._take("string", "a string")), True
        word = self._take("word", "a value")
        if not self._is("punctuation", "("):
            return word, True
        return self._call(word), False

    def _call(self, name: str) -> str:
        """A function call such as starts_with("x") or monitoring.regex.full_match("x"), as
        written."""
        self._take("punctuation", "'('")
        arguments: list[str] = []
        while not self._is("punctuation", ")"):
            if arguments:
                self._take("punctuation", "',' or ')'")
            arguments.append(self._argument())
        self._index += 1
        return f"{name}({', '.join(arguments)})"

    def _argument(self) -> str:
        if self._is("string"):
            return self._take("string", "a string")
        return self._take("word", "a function argument")


def parse(text: str, dialect: Dialect) -> Node | None:
    """The filter's tree (None for an empty filter), or `FilterSyntaxError`."""
    if not text.strip():
        return None
    return _Parser(text, dialect).parse()
