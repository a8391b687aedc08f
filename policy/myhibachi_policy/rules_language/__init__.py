"""A parser and evaluator for the subset of Cloudflare's Rules language the edge rules use.

    expression = parse('http.host in {"admin.example.com"} or http.cookie contains "s="')
    expression.matches(request_fields(host="admin.example.com", path="/"))   # True

`parse` raises `UnsupportedExpressionError` (a `ValueError`) for an expression it cannot
evaluate exactly: invalid syntax, or valid Cloudflare syntax outside the subset. The subset:

- fields: see `FIELDS` (host, URI path / extension / query / full URI, method, cookies,
  headers, client IP, `ssl`, and the `raw.` URI fields);
- comparisons: `eq ==`, `ne !=`, `lt <`, `le <=`, `gt >`, `ge >=`, `contains`, `in {set}`
  (strings, integers and ranges, IPs, CIDRs and ranges), `matches ~` (simple regexes only),
  `wildcard`, `strict wildcard`;
- functions: `starts_with()`, `ends_with()`, `lower()`, `upper()`, `len()`, `any()`, `all()`,
  with `[key]`, `[index]` and `[*]` on map and array fields;
- logic: `not !`, `and &&`, `xor ^^`, `or ||` (in that order of precedence), parentheses,
  `true`, `false`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from lark import Token
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from .builder import KEYWORDS, Builder
from .errors import UnsupportedExpressionError, shown
from .grammar import parser
from .nodes import Node
from .request import request_fields
from .scheme import FIELDS, MISSING, Type, Value

__all__ = [
    "FIELDS",
    "MISSING",
    "Expression",
    "Type",
    "UnsupportedExpressionError",
    "Value",
    "parse",
    "request_fields",
]


@dataclass(frozen=True)
class Expression:
    """A parsed rule expression, ready to be evaluated on requests."""

    text: str
    root: Node

    def matches(self, fields: Mapping[str, Value]) -> bool:
        """Whether a request with these field values (see `request_fields`) matches."""
        return self.root.evaluate(fields) is True


def _syntax_error(text: str, error: UnexpectedInput) -> UnsupportedExpressionError:
    if isinstance(error, UnexpectedCharacters):
        offset = error.pos_in_stream or 0
        word = text[offset:].split(maxsplit=1)[0] if text[offset:].strip() else text[offset]
        if word != word.lower() and word.lower() in KEYWORDS:
            return UnsupportedExpressionError(
                f"`{word}`", offset + 1, "operators in English notation must be lowercase"
            )
        if text[offset] == '"':
            return UnsupportedExpressionError("a string literal", offset + 1, "not closed")
        return UnsupportedExpressionError(f"`{shown(text[offset])}`", offset + 1, "unexpected")
    if isinstance(error, UnexpectedToken) and isinstance(error.token, Token):
        token = error.token
        if token.type == "$END":
            return UnsupportedExpressionError("the end", len(text) + 1, "the expression is cut")
        if token.type in ("STRING", "RAW_STRING"):
            construct = "a string literal"
        else:
            construct = f"`{shown(str(token))}`"
        return UnsupportedExpressionError(construct, (token.start_pos or 0) + 1, "unexpected")
    if isinstance(error, UnexpectedEOF):
        return UnsupportedExpressionError("the end", len(text) + 1, "the expression is cut")
    return UnsupportedExpressionError("the expression", 1, "not understood")


@lru_cache(maxsize=1024)
def parse(text: str) -> Expression:
    """Parse and type-check an expression; `UnsupportedExpressionError` if outside the subset."""
    try:
        tree = parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(text, error) from None
    try:
        return Expression(text, Builder().transform(tree))
    except VisitError as error:
        # Lark wraps what a transformer raises; the builder only raises our error.
        if isinstance(error.orig_exc, UnsupportedExpressionError):
            raise error.orig_exc from None
        raise
