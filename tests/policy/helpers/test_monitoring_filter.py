"""The Monitoring filter reader: the terms a filter requires, and what it refuses."""

from __future__ import annotations

import re

import pytest

from policy.myhibachi_policy.helpers import FilterSyntaxError, Term, required_terms, requires

METRIC = Term("metric.type", "=", "run.googleapis.com/request_count")
FIVE_XX = Term("metric.labels.response_code_class", "=", "5xx")


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("", ()),
        ('metric.type="run.googleapis.com/request_count"', (METRIC,)),
        (
            'metric.type = "run.googleapis.com/request_count" AND '
            'metric.labels.response_code_class = "5xx"',
            (METRIC, FIVE_XX),
        ),
        # AND is implied between adjacent comparisons; `label` is read as `labels`.
        (
            'metric.type="run.googleapis.com/request_count" metric.label.response_code_class="5xx"',
            (METRIC, FIVE_XX),
        ),
        # A parenthesised conjunction is flattened into its parent.
        (
            '(metric.labels.response_code_class="5xx" AND '
            '(metric.type="run.googleapis.com/request_count"))',
            (FIVE_XX, METRIC),
        ),
        # An OR group or a NOT requires no particular comparison.
        (
            'metric.type="run.googleapis.com/request_count" AND '
            '(metric.labels.response_code_class="5xx" OR metric.labels.response_code_class="4xx")',
            (METRIC,),
        ),
        ('NOT metric.labels.response_code_class="5xx"', ()),
        ('metric.type="a" OR metric.type="b"', ()),
        # Functions, numbers, other operators and escaped quotes.
        (
            'resource.labels.service_name = starts_with("api") AND metric.labels.x > 10',
            (
                Term("resource.labels.service_name", "=", 'starts_with("api")', literal=False),
                Term("metric.labels.x", ">", "10"),
            ),
        ),
        (
            'metric.labels.path = monitoring.regex.full_match("/a.*", "b") metric.labels.y != "q"',
            (
                Term(
                    "metric.labels.path",
                    "=",
                    'monitoring.regex.full_match("/a.*", "b")',
                    literal=False,
                ),
                Term("metric.labels.y", "!=", "q"),
            ),
        ),
        (r'metric.labels.q = "say \"hi\""', (Term("metric.labels.q", "=", 'say "hi"'),)),
        ('resource.labels.zone:"us-"', (Term("resource.labels.zone", ":", "us-"),)),
    ],
)
def test_required_terms(text: str, terms: tuple[Term, ...]) -> None:
    assert required_terms(text) == terms


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('metric.type="a" AND metric.type="b" OR metric.type="c"', "need parentheses"),
        ('metric.type="unterminated', "unreadable text at character 13"),
        ('metric.type="a" AND', "expected a selector such as metric.type, found end of filter"),
        ('(metric.type="a"', "expected ')', found end of filter"),
        ('metric.type="a")', "unexpected ')'"),
        ('"5xx"', "expected a selector such as metric.type, found '\"5xx\"'"),
        ('metric.type "a"', "expected an operator after metric.type, found '\"a\"'"),
        (
            'metric.type="a" and metric.type="b"',
            "expected an operator after and, found 'metric.type'",
        ),
        ('AND = "a"', "expected a selector, found 'AND'"),
        ('metric.labels.x = f("a" "b")', "expected ',' or ')', found '\"b\"'"),
    ],
)
def test_what_is_refused(text: str, error: str) -> None:
    with pytest.raises(FilterSyntaxError, match=re.escape(error)):
        required_terms(text)


def test_requires_an_equality_with_a_literal() -> None:
    terms = required_terms(
        'metric.type="run.googleapis.com/request_count" metric.labels.a != "5xx" '
        'metric.labels.b = starts_with("5xx")'
    )
    assert requires(terms, "metric.type", "run.googleapis.com/request_count")
    assert not requires(terms, "metric.type", "run.googleapis.com/request")
    assert not requires(terms, "metric.labels.a", "5xx")
    assert not requires(terms, "metric.labels.b", 'starts_with("5xx")')


@pytest.mark.parametrize(
    ("text", "selector"),
    [
        (
            'select_slo_burn_rate("projects/p/services/s/serviceLevelObjectives/o", "3600s")',
            "select_slo_burn_rate",
        ),
        (
            '  select_slo_health("projects/p/services/s/serviceLevelObjectives/o")  ',
            "select_slo_health",
        ),
    ],
)
def test_an_slo_selector_requires_its_objective(text: str, selector: str) -> None:
    assert required_terms(text) == (
        Term(selector, "=", "projects/p/services/s/serviceLevelObjectives/o"),
    )


def test_an_slo_selector_inside_other_terms_is_not_a_selector_filter() -> None:
    with pytest.raises(FilterSyntaxError):
        required_terms('select_slo_burn_rate("o", "3600s") AND metric.type="x"')
