"""The Logging query reader: the Logging dialect's syntax, and queries evaluated on log entries."""

from __future__ import annotations

from typing import Any

import pytest

from policy.myhibachi_policy.helpers import FilterSyntaxError, UnsupportedQueryError, matches
from policy.myhibachi_policy.helpers.filter_syntax import LOGGING, Global, Group, Not, Term, parse

ENTRY: dict[str, Any] = {
    "resource": {"type": "iam_role", "labels": {"project_id": "p"}},
    "severity": "NOTICE",
    "protoPayload": {
        "methodName": "google.iam.admin.v1.CreateRole",
        "serviceData": {
            "policyDelta": {"bindingDeltas": [{"action": "ADD", "role": "roles/owner"}]}
        },
        "status": {"code": 0},
    },
}


def test_precedence_is_not_then_or_then_and() -> None:
    a, b, c = (Term(x, "=", "1") for x in "abc")
    assert parse("a=1 AND b=1 OR c=1", LOGGING) == Group("AND", (a, Group("OR", (b, c))))
    assert parse("a=1 b=1", LOGGING) == Group("AND", (a, b))
    assert parse("NOT a=1 OR b=1", LOGGING) == Group("OR", (Not(a), b))
    assert parse("-a=1", LOGGING) == Not(a)
    assert parse('ProjectOwnership "roles/owner"', LOGGING) == Group(
        "AND", (Global("ProjectOwnership"), Global("roles/owner"))
    )
    assert parse('a=("x" OR "y")', LOGGING) == Group(
        "OR", (Term("a", "=", "x"), Term("a", "=", "y"))
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('resource.type="iam_role"', True),
        ('resource.type="IAM_ROLE"', True),  # string comparisons ignore case
        ('resource.type!="iam_role"', False),
        ('protoPayload.methodName:"CreateRole"', True),
        ('protoPayload.methodName=~"Create(Role)$"', True),
        ('protoPayload.methodName=~"^CreateRole"', False),
        ('protoPayload.methodName!~"Delete"', True),
        # A repeated field matches if any element does.
        ('protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner"', True),
        ("protoPayload.serviceData.policyDelta.auditConfigDeltas:*", False),
        ("protoPayload.serviceData:*", True),
        # A missing field: NOT and != match.
        ('NOT protoPayload.missing="x"', True),
        ('protoPayload.missing!="x"', True),
        ("protoPayload.status.code=0", True),
        ("protoPayload.status.code>=1", False),
        ('severity>="INFO"', True),  # compared as text when not numbers
        ("roles/owner", True),  # a bare word: any field containing it ...
        ('"roles/owner"', True),  # ... quoted, the same
        ("owner", True),
        ('resource.type="x" OR owner', True),
        ("", True),
    ],
)
def test_queries_on_an_entry(query: str, expected: bool) -> None:
    assert matches(query, ENTRY) is expected


@pytest.mark.parametrize(
    "query",
    [
        'logName=log_id("cloudaudit.googleapis.com/activity")',
        "sample(insertId, 0.1)",
        'resource.type=~"("',
    ],
)
def test_what_cannot_be_evaluated_is_refused(query: str) -> None:
    with pytest.raises(UnsupportedQueryError):
        matches(query, ENTRY)


@pytest.mark.parametrize("query", ['a="x', "a=", "(a=1", "a=1 )"])
def test_what_cannot_be_read_is_refused(query: str) -> None:
    with pytest.raises(FilterSyntaxError):
        matches(query, ENTRY)
