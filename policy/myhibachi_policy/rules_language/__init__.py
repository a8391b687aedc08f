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

from .errors import UnsupportedExpressionError
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


@lru_cache(maxsize=1024)
def parse(text: str) -> Expression:
    """Parse and type-check an expression; `UnsupportedExpressionError` if outside the subset."""
    # Imported here: Lark and its parser tables load only when an expression is first parsed,
    # so a run that never meets a ruleset does not pay for them.
    from .parsing import syntax_tree

    return Expression(text, syntax_tree(text))
