"""Logical operators: precedence as Cloudflare documents it, both notations, grouping."""

from __future__ import annotations

import pytest

from policy.myhibachi_policy.rules_language import parse, request_fields

REQUEST = request_fields(host="admin.example.com", path="/account", cookies={"s": "1"})


def holds(expression: str) -> bool:
    return parse(expression).matches(REQUEST)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # `and` binds tighter than `or`: true or (false and false), not (true or false) and false.
        ("true or false and false", True),
        ("false and false or true", True),
        # `not` binds tighter than `and`: (not true) and false, not not (true and false).
        ("not true and false", False),
        ("not false and true", True),
        # `xor` sits between `and` and `or`: (true xor false) or true; true xor (true and false).
        ("true xor false or true", True),
        ("true xor true or false", False),
        ("false and true xor true", True),
        ("true or true xor true", True),
        # Same-level operators chain left to right.
        ("true xor true xor true", True),
        # Parentheses override precedence.
        ("(true or false) and false", False),
        ("not (true and false)", True),
        ("(true xor true) or (false xor true)", True),
    ],
)
def test_precedence(expression: str, expected: bool) -> None:
    assert holds(expression) is expected


@pytest.mark.parametrize(
    ("english", "c_like"),
    [
        ("true and false", "true && false"),
        ("false or true", "false || true"),
        ("true xor true", "true ^^ true"),
        ("not true", "!true"),
        ("not not true", "!!true"),
        ('not http.host eq "admin.example.com"', '!http.host eq "admin.example.com"'),
        ('http.host eq "a" or not http.host eq "b"', 'http.host == "a" || !http.host == "b"'),
    ],
)
def test_c_like_notation_means_the_same(english: str, c_like: str) -> None:
    assert holds(english) is holds(c_like)


def test_not_negates_one_comparison_only() -> None:
    # Reads like "neither admin nor signed in", but is (not admin) or signed-in.
    expression = 'not http.host in {"admin.example.com"} or http.cookie contains "s="'
    assert holds(expression) is True
    assert holds('not (http.host in {"admin.example.com"} or http.cookie contains "s=")') is False


def test_comparisons_bind_tighter_than_logic() -> None:
    assert holds('http.host eq "admin.example.com" and http.request.uri.path eq "/account"')
    assert not holds('http.host eq "admin.example.com" and http.request.uri.path eq "/"')


def test_constants_and_newlines() -> None:
    assert holds("true")
    assert not holds("false")
    assert holds('(\n  http.host eq "admin.example.com"\n  and true\n)')
