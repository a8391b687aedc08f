"""Cloud Monitoring filters read as the terms they require.

A Monitoring filter (an alert condition's `filter` or `denominatorFilter`) is made of comparisons
such as `metric.type = "run.googleapis.com/request_count"` or
`metric.labels.response_code_class = "5xx"`, joined by AND (also implied between adjacent
comparisons) or OR, negated by NOT and grouped by parentheses (the syntax it shares with the
Logging query language is in `filter_syntax`). A time series matches only if it satisfies every
top-level AND term, so those comparisons are what the filter *requires*: `required_terms`
returns them, with a parenthesised conjunction flattened into its parent. An OR group or a NOT
is a restriction that requires no particular comparison, so it adds no term.

AND and OR side by side without parentheses (`a AND b OR c`) are refused: Monitoring documents
no precedence between them (Logging's does not carry over), so such a filter cannot be read with
certainty.

A service level objective's time series are chosen by a selector function instead,
`select_slo_burn_rate("projects/P/services/S/serviceLevelObjectives/O", "3600s")` (or
`select_slo_health`, `_compliance`, `_budget`, `_budget_fraction`): such a filter requires one
term, the selector with the objective's name as value (`select_slo_burn_rate = "projects/..."`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .filter_syntax import MONITORING, FilterSyntaxError, Group, Node, Term, parse

__all__ = ["FilterSyntaxError", "Term", "required_terms", "requires"]


def requires(terms: Iterable[Term], selector: str, value: str) -> bool:
    """Whether the terms include `selector = value` (an equality with a literal value)."""
    return any(
        term.selector == selector and term.operator == "=" and term.literal and term.value == value
        for term in terms
    )


_SLO_SELECTOR = re.compile(
    r'\s*(select_slo_(?:burn_rate|health|compliance|budget|budget_fraction))\(\s*"([^"]+)"'
    r'(?:\s*,\s*"[^"]*")?\s*\)\s*'
)


def required_terms(text: str) -> tuple[Term, ...]:
    """The comparisons every time series matching the filter satisfies (its top-level AND terms).

    An empty filter requires nothing. Raises `FilterSyntaxError` for text that is not a filter
    or that mixes AND and OR without parentheses.
    """
    selector = _SLO_SELECTOR.fullmatch(text)
    if selector is not None:
        return (Term(selector.group(1), "=", selector.group(2)),)
    tree = parse(text, MONITORING)
    return () if tree is None else tuple(_conjuncts(tree))


def _conjuncts(node: Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Group) and node.join == "AND":
        return [term for child in node.children for term in _conjuncts(child)]
    return []  # an OR group or a NOT requires no particular comparison
