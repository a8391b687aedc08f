"""Fields, comparison operators, sets, functions, strings: evaluated on requests."""

from __future__ import annotations

import pytest

from policy.myhibachi_policy.rules_language import parse, request_fields
from policy.myhibachi_policy.rules_language.request import path_extension


def matches(expression: str, **request: object) -> bool:
    fields = request_fields(**{"host": "example.com", **request})  # type: ignore[arg-type]
    return parse(expression).matches(fields)


@pytest.mark.parametrize(
    ("path", "extension"),
    [
        # Cloudflare's own table for http.request.uri.path.extension.
        ("/foo", ""),
        ("/foo.mp3", "mp3"),
        ("/.mp3", ""),
        ("/.foo.mp3", "mp3"),
        ("/foo.tar.bz2", "bz2"),
        ("/foo.", ""),
        ("/foo.MP3", "mp3"),
        ("/dir.d/page", ""),
        ("/", ""),
    ],
)
def test_path_extension(path: str, extension: str) -> None:
    assert path_extension(path) == extension
    assert matches(f'http.request.uri.path.extension eq "{extension}"', path=path)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('http.request.uri.path eq "/Admin"', True),
        ('http.request.uri.path eq "/admin"', False),
        ('http.request.uri.path ne "/admin"', True),
        ('http.request.uri.path contains "Adm"', True),
        ('http.request.uri.path contains "adm"', False),
        ('lower(http.request.uri.path) eq "/admin"', True),
        ('upper(http.request.uri.path) eq "/ADMIN"', True),
        ('http.request.uri.path wildcard "/ADMIN*"', True),
        ('http.request.uri.path strict wildcard "/ADMIN*"', False),
        ('http.request.uri.path strict wildcard "/Adm*"', True),
        ('http.request.uri.path matches "^/Adm"', True),
        ('http.request.uri.path matches "^/adm"', False),
    ],
)
def test_string_comparisons_are_case_sensitive_unless_told(expression: str, expected: bool) -> None:
    assert matches(expression, path="/Admin") is expected


def test_lower_changes_ascii_letters_only_and_len_counts_bytes() -> None:
    assert matches('lower(http.request.uri.path) eq "/\u00c4b"', path="/\u00c4B")
    assert matches("len(http.request.uri.path) eq 3", path="/\u00e9")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('http.request.uri.path lt "/b"', True),
        ('http.request.uri.path >= "/a"', True),
        ('http.request.uri.path gt "/a"', False),
        ("len(http.request.uri.path) le 2", True),
        ("len(http.request.uri.path) > 2", False),
    ],
)
def test_ordering(expression: str, expected: bool) -> None:
    assert matches(expression, path="/a") is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('http.host in {"a.example.com" "example.com"}', True),
        ('http.host in {"a.example.com"}', False),
        ('http.host in {r"example.com"}', True),
        ("len(http.host) in {1..10 11}", True),
        ("len(http.host) in {1..10}", False),
        ("ip.src in {203.0.113.0/24}", True),
        ("ip.src in {198.51.100.0/24 2001:db8::/32}", False),
        ("ip.src in {203.0.113.1..203.0.113.20}", True),
        ("ip.src eq 203.0.113.10", True),
        ("ip.src ne 203.0.113.10", False),
    ],
)
def test_sets(expression: str, expected: bool) -> None:
    assert matches(expression, client_ip="203.0.113.10") is expected


def test_ipv6_client() -> None:
    assert matches("ip.src in {2001:db8::/32}", client_ip="2001:db8::7")
    assert not matches("ip.src in {203.0.113.0/24}", client_ip="2001:db8::7")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('starts_with(http.request.uri.path, "/_next/static/")', True),
        ('starts_with(http.request.uri.path, "/_next/static/x")', False),
        ('ends_with(http.request.uri.path, ".js")', True),
        ('ends_with(http.request.uri.path, ".JS")', False),
        ('not starts_with(http.request.uri.path, "/api")', True),
    ],
)
def test_string_functions(expression: str, expected: bool) -> None:
    assert matches(expression, path="/_next/static/app.js") is expected


def test_maps_arrays_any_all_and_missing_values() -> None:
    signed_in = {"cookies": {"mh_session": "v"}, "headers": {"Accept": "text/html"}}
    assert matches('any(http.request.cookies["mh_session"][*] ne "")', **signed_in)
    assert matches('http.request.cookies["mh_session"][0] eq "v"', **signed_in)
    assert matches('all(http.request.headers["accept"][*] eq "text/html")', **signed_in)
    assert matches('any(lower(http.request.headers["accept"][*])[*] eq "text/html")', **signed_in)
    assert matches('http.request.headers["host"][0] eq "example.com"', **signed_in)
    assert matches('http.cookie contains "mh_session="', **signed_in)
    assert not matches('http.cookie contains "mh_session="')
    # A missing value makes every comparison false, `ne` too; `not` of that is true.
    assert not matches('http.request.cookies["mh_session"][0] ne "x"')
    assert not matches('http.request.cookies["mh_session"][5] ne "x"', **signed_in)
    assert not matches('any(http.request.cookies["mh_session"][*] ne "")')
    assert matches('not any(http.request.cookies["mh_session"][*] ne "")')
    assert not matches('len(http.request.cookies["mh_session"]) ge 0')
    assert matches('len(http.request.cookies["mh_session"]) ge 0', **signed_in)


def test_query_method_full_uri_and_ssl() -> None:
    request = {"path": "/p", "query": "a=1&b=two", "method": "post"}
    assert matches('http.request.uri.query eq "a=1&b=two"', **request)
    assert matches('http.request.uri.args["b"][0] eq "two"', **request)
    assert matches('http.request.method eq "POST"', **request)
    assert matches('http.request.full_uri eq "https://example.com/p?a=1&b=two"', **request)
    assert matches('http.request.uri eq "/p?a=1&b=two"', **request)
    assert matches('raw.http.request.uri.path eq "/p"', **request)
    assert matches("ssl", **request)
    assert not matches("ssl", scheme="http")


@pytest.mark.parametrize(
    ("literal", "path"),
    [
        (r'"/a\"b"', '/a"b'),
        (r'"/a\\b"', "/a\\b"),
        (r'"/\x41"', "/A"),
        (r'"/\101"', "/A"),
        (r'r"/a\b"', "/a\\b"),
        (r'r#"/a"b"#', '/a"b'),
        (r'r##"/a"#b"##', '/a"#b'),
    ],
)
def test_string_literals_and_escapes(literal: str, path: str) -> None:
    assert matches(f"http.request.uri.path eq {literal}", path=path)


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        (r'"^/api/v1/auth/(login|2fa)$"', "/api/v1/auth/2fa", True),
        (r'"^/api/v1/auth/(login|2fa)$"', "/api/v1/auth/2fa/x", False),
        (r'"\.(js|css)$"', "/app.css", True),
        (r'r"^/u/\d{2,3}$"', "/u/123", True),
        (r'r"^/u/\d{2,3}$"', "/u/1234", False),
        (r'"^/[a-z-]+/?$"', "/static-page/", True),
        (r'"^/(?:a|b)+?x"', "/abx", True),
        (r'"a\"b"', '/a"b', True),
    ],
)
def test_simple_regexes(pattern: str, path: str, expected: bool) -> None:
    assert matches(f"http.request.uri.path matches {pattern}", path=path) is expected
    assert matches(f"http.request.uri.path ~ {pattern}", path=path) is expected


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ('"/static/*"', "/static/a/b.js", True),
        ('"/static/*"', "/STATIC/a.js", True),
        ('"/static/*"', "/x/static/a.js", False),
        ('"*.js"', "/a.js", True),
        ('"*.js"', "/a.js.map", False),
        (r'r"/a\*"', "/a*", True),
        (r'r"/a\*"', "/ab", False),
        (r'"/a\\*"', "/a*", True),
    ],
)
def test_wildcards_match_the_whole_value(pattern: str, path: str, expected: bool) -> None:
    assert matches(f"http.request.uri.path wildcard {pattern}", path=path) is expected


def test_regex_end_anchor_is_the_end_of_the_text() -> None:
    # Rust's `$` does not match before a trailing newline, as Python's would.
    expression = parse('http.request.uri.path matches "^/a$"')
    assert expression.matches({"http.request.uri.path": "/a"})
    assert not expression.matches({"http.request.uri.path": "/a\n"})
