"""Cloud Monitoring filters read as the terms they require.

A Monitoring filter (an alert condition's `filter` or `denominatorFilter`) is made of comparisons
such as `metric.type = "run.googleapis.com/request_count"` or
`metric.labels.response_code_class = "5xx"`, joined by AND (also implied between adjacent
comparisons) or OR, negated by NOT and grouped by parentheses. A time series matches only if it
satisfies every top-level AND term, so those comparisons are what the filter *requires*:
`required_terms` returns them, with a parenthesised conjunction flattened into its parent. An OR
group or a NOT is a restriction that requires no particular comparison, so it adds no term.

AND and OR side by side without parentheses (`a AND b OR c`) are refused: Google's filter
languages do not agree on which binds tighter, so such a filter cannot be read with certainty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, TypeAlias


class FilterSyntaxError(ValueError):
    """The text is not a Monitoring filter this reader can be certain of; says where and why."""


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


def requires(terms: Iterable[Term], selector: str, value: str) -> bool:
    """Whether the terms include `selector = value` (an equality with a literal value)."""
    return any(
        term.selector == selector and term.operator == "=" and term.literal and term.value == value
        for term in terms
    )


_TOKEN: Final = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<operator>!=|>=|<=|=|:|<|>)
      | (?P<punctuation>[(),])
      | (?P<word>[^\s"()=!<>:,]+)
    )""",
    re.VERBOSE,
)
_KEYWORDS: Final = ("AND", "OR", "NOT")
_LABEL_SPELLING: Final = re.compile(r"^(metric|resource)\.label\.")


@dataclass(frozen=True)
class _Token:
    kind: str  # "string", "operator", "punctuation", "word"
    text: str


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            raise FilterSyntaxError(f"unreadable text at character {position + 1}")
        tokens.append(_Token(match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
    return tokens


# A parsed filter: a Term, or ("AND" | "OR", children), or ("NOT", [child]).
_Node: TypeAlias = Term | tuple[str, list["_Node"]]


class _Parser:
    def __init__(self, text: str) -> None:
        self._tokens = _tokens(text)
        self._index = 0

    def parse(self) -> _Node:
        node = self._expression()
        if self._peek() is not None:
            raise FilterSyntaxError(f"unexpected {self._peek_text()}")
        return node

    def _peek(self) -> _Token | None:
        return self._tokens[self._index] if self._index < len(self._tokens) else None

    def _peek_text(self) -> str:
        token = self._peek()
        return f"'{token.text}'" if token is not None else "end of filter"

    def _is(self, kind: str, text: str | None = None) -> bool:
        token = self._peek()
        return token is not None and token.kind == kind and (text is None or token.text == text)

    def _take(self, kind: str, what: str) -> str:
        token = self._peek()
        if token is None or token.kind != kind:
            raise FilterSyntaxError(f"expected {what}, found {self._peek_text()}")
        self._index += 1
        return token.text

    def _expression(self) -> _Node:
        units = [self._unit()]
        joins: set[str] = set()
        while self._peek() is not None and not self._is("punctuation", ")"):
            if self._is("word", "AND") or self._is("word", "OR"):
                joins.add(self._take("word", "AND or OR"))
            else:
                joins.add("AND")  # adjacent comparisons: AND is implied
            units.append(self._unit())
        if len(joins) > 1:
            raise FilterSyntaxError("AND and OR side by side need parentheses")
        return units[0] if len(units) == 1 else (joins.pop(), units)

    def _unit(self) -> _Node:
        if self._is("word", "NOT"):
            self._index += 1
            return ("NOT", [self._unit()])
        if self._is("punctuation", "("):
            self._index += 1
            node = self._expression()
            self._take("punctuation", "')'")
            return node
        return self._comparison()

    def _comparison(self) -> Term:
        selector = self._take("word", "a selector such as metric.type")
        if selector in _KEYWORDS:
            raise FilterSyntaxError(f"expected a selector, found '{selector}'")
        operator = self._take("operator", f"an operator after {selector}")
        value, literal = self._value()
        return Term(_LABEL_SPELLING.sub(r"\1.labels.", selector), operator, value, literal)

    def _value(self) -> tuple[str, bool]:
        if self._is("string"):
            return _unquote(self._take("string", "a string")), True
        word = self._take("word", "a value")
        if not self._is("punctuation", "("):
            return word, True
        # A function such as starts_with("x") or monitoring.regex.full_match("x").
        self._index += 1
        arguments: list[str] = []
        while not self._is("punctuation", ")"):
            if arguments:
                self._take("punctuation", "',' or ')'")
            arguments.append(self._argument())
        self._index += 1
        return f"{word}({', '.join(arguments)})", False

    def _argument(self) -> str:
        if self._is("string"):
            return self._take("string", "a string")
        return self._take("word", "a function argument")


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def required_terms(text: str) -> tuple[Term, ...]:
    """The comparisons every time series matching the filter satisfies (its top-level AND terms).

    An empty filter requires nothing. Raises `FilterSyntaxError` for text that is not a filter
    or that mixes AND and OR without parentheses.
    """
    if not text.strip():
        return ()
    return tuple(_conjuncts(_Parser(text).parse()))


def _conjuncts(node: _Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    join, children = node
    if join != "AND":
        return []  # an OR group or a NOT requires no particular comparison
    return [term for child in children for term in _conjuncts(child)]
