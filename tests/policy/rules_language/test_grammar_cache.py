"""The parser is built once per process, and its tables are cached in the user's own directory."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lark import Lark

from policy.myhibachi_policy.rules_language import grammar, parse
from tests.conftest import PROJECT_DIR


def test_threads_asking_together_get_one_parser() -> None:
    grammar._built_parser.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        parsers = list(pool.map(lambda _: grammar.parser(), range(32)))
    assert all(p is parsers[0] for p in parsers)
    assert grammar._built_parser.cache_info().misses == 1


def _build_in_fresh_process(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = textwrap.dedent(
        """
        from policy.myhibachi_policy.rules_language import parse
        print(parse('http.request.uri.path eq "/login"') is not None)
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_cache_file_lives_in_the_users_cache_directory(tmp_path: Path) -> None:
    cache_home = tmp_path / "cache"
    result = _build_in_fresh_process({"XDG_CACHE_HOME": str(cache_home), "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    cache_file = cache_home / "myhibachi-policy" / "rules-language.lark"
    assert cache_file.is_file()
    assert (cache_file.parent.stat().st_mode & 0o777) == 0o700
    # A second process loads the tables instead of building them: same parses.
    again = _build_in_fresh_process({"XDG_CACHE_HOME": str(cache_home), "HOME": str(tmp_path)})
    assert again.returncode == 0 and again.stdout == result.stdout


def test_a_cache_that_does_not_match_the_grammar_is_rebuilt(tmp_path: Path) -> None:
    cache_home = tmp_path / "cache"
    cache_file = cache_home / "myhibachi-policy" / "rules-language.lark"
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(b"not-the-grammar-hash\n")
    result = _build_in_fresh_process({"XDG_CACHE_HOME": str(cache_home), "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert cache_file.read_bytes() != b"not-the-grammar-hash\n"


def test_without_a_usable_home_the_parser_is_built_each_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    result = _build_in_fresh_process({"XDG_CACHE_HOME": str(blocked), "HOME": str(blocked)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_a_relative_cache_home_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.chdir(tmp_path)
    assert grammar._cache_file() is False
    assert not (tmp_path / "relative").exists()


def test_the_cached_parser_parses_like_a_fresh_one() -> None:
    text = 'http.host eq "api.example.com" and not ip.src in {192.0.2.0/24}'
    fresh = Lark(grammar.GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)
    assert grammar.parser().parse(text) == fresh.parse(text)
    assert parse(text) is not None
