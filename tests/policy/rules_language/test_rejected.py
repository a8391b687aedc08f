"""What the subset rejects: one typed error naming the construct and its position."""

from __future__ import annotations

import pytest

from policy.myhibachi_policy.rules_language import UnsupportedExpressionError, parse


@pytest.mark.parametrize(
    ("expression", "construct", "position"),
    [
        ("cf.threat_score gt 10", "field `cf.threat_score`", 1),
        ('http.host eq "a" and cf.bot_management.verified_bot', "field `cf.bot_management", 22),
        ('url_decode(http.request.uri.path) eq "/a"', "function `url_decode()`", 1),
        ('regex_replace(http.host, "a", "b") eq "x"', "function `regex_replace()`", 1),
        ("ip.src in $office_network", "list `$office_network`", 11),
        ("http.host eq 1", "operator `eq`", 11),
        ('ip.src contains "203"', "operator `contains`", 8),
        ("ip.src lt 203.0.113.1", "operator `lt`", 8),
        ("ip.src eq 10.0.0.0/8", "`10.0.0.0/8`", 11),
        ('http.host in {"a" 1}', "`1`", 19),
        ("http.host", "field `http.host`", 1),
        ('http.host eq "a" AND true', "`AND`", 18),
        ('http.host EQ "a"', "`EQ`", 11),
        ('http.host eq "a', "a string literal", 14),
        ('http.host eq "a" and', "the end", 21),
        ('(http.host eq "a"', "the end", 18),
        ('http.host eq "a")', "`)`", 17),
        ('http.host eq "a" http.host eq "b"', "`http.host`", 18),
        ('http.host eq "a" or or', "`or`", 21),
        ('http.request.uri.path eq "\\n"', "a string literal", 27),
        ('starts_with("abc", "a")', "function `starts_with()`", 13),
        ("starts_with(http.host, http.host)", "function `starts_with()`", 24),
        ('any(http.request.headers["a"][*])', "function `any()`", 5),
        ('http.request.headers[*] eq "a"', "operator `eq`", 25),
        ('http.request.headers["a"][*] eq "a"', "operator `eq`", 30),
        ('http.request.headers[*][*][0] eq "a"', "`[*]`", 25),
        ('http.request.uri.path wildcard "/a**"', "a string literal", 32),
        ('http.request.uri.path eq "/a" # note', "`#`", 31),
        (r'http.request.uri.path wildcard r"/a\b"', "a string literal", 32),
        ('http.request.uri.path matches "(?i)/admin"', "a regular expression", 31),
        ('http.request.uri.path matches "/a(?=b)"', "a regular expression", 31),
        (r'http.request.uri.path matches "\p{L}"', "a regular expression", 31),
        (r'http.request.uri.path matches "(a)\1"', "a regular expression", 31),
        ('http.request.uri.path matches "[[:alpha:]]"', "a regular expression", 31),
        ('http.request.uri.path matches "[a-z&&[^x]]"', "a regular expression", 31),
        ('http.request.uri.path matches "a{2"', "a regular expression", 31),
        ('http.request.uri.path matches "*a"', "a regular expression", 31),
    ],
)
def test_rejected_with_construct_and_position(
    expression: str, construct: str, position: int
) -> None:
    with pytest.raises(UnsupportedExpressionError) as caught:
        parse(expression)
    assert caught.value.construct.startswith(construct)
    assert caught.value.position == position
    assert str(caught.value).startswith(f"{caught.value.construct} at character {position}: ")
    assert "\n" not in str(caught.value)


def test_messages_never_echo_string_literals() -> None:
    literal = "a-literal-long-enough-to-notice-in-a-message"
    for expression in (
        f'http.host eq "{literal}" and',
        f'http.host eq "{literal}" "{literal}"',
        f'ip.src in {{"{literal}"}}',
        f'http.host eq "{literal}\\q"',
        f'http.host matches "{literal}(?=x)"',
        f'http.host eq 1 or http.host eq "{literal}',
    ):
        with pytest.raises(UnsupportedExpressionError) as caught:
            parse(expression)
        assert literal not in str(caught.value), expression
        assert len(str(caught.value)) < 120


def test_one_error_type_which_is_a_value_error() -> None:
    assert issubclass(UnsupportedExpressionError, ValueError)
