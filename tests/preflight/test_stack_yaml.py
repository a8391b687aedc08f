"""Stack-file YAML as the Pulumi CLI (yaml.v3) reads it, not as PyYAML's YAML 1.1 would."""

from __future__ import annotations

import math
from typing import Any

import pytest

from preflight.stack_yaml import MAX_VALUES, StackYamlError, parse_yaml, top_level_key_at


def value(text: str) -> Any:
    document = parse_yaml(f"config:\n  demo:x: {text}\n")
    return document["config"]["demo:x"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # YAML 1.1 would read these as booleans, a sexagesimal number and a datetime.
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("10:30", "10:30"),
        ("2027-02-23T00:00:00Z", "2027-02-23T00:00:00Z"),
        ("2027-02-23", "2027-02-23"),
        # What yaml.v3 does resolve.
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("12", 12),
        ("-12", -12),
        ("1_000", 1000),
        ("0x1f", 31),
        ("0o17", 15),
        ("017", 15),
        ("0b101", 5),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("-.inf", -math.inf),
        # Quoted and tagged strings stay strings.
        ('"12"', "12"),
        ("'true'", "true"),
        ("!!str 12", "12"),
        ("!!int 12", 12),
        ("!!float 1", 1.0),
        ("[a, 1, yes]", ["a", 1, "yes"]),
        ("{a: 1}", {"a": 1}),
    ],
)
def test_scalars_resolve_as_yaml_v3(text: str, expected: Any) -> None:
    assert value(text) == expected
    assert type(value(text)) is type(expected)


def test_a_duplicate_key_names_both_lines() -> None:
    text = "config:\n  demo:db:\n    retainedBackups: 30\n    tier: x\n    retainedBackups: 7\n"
    with pytest.raises(StackYamlError) as raised:
        parse_yaml(text)
    assert str(raised.value) == "config.demo:db.retainedBackups: duplicate key (lines 3 and 5)"


def test_a_duplicate_top_level_key_is_an_error_too() -> None:
    with pytest.raises(StackYamlError, match=r"config.demo:x: duplicate key \(lines 2 and 3\)"):
        parse_yaml("config:\n  demo:x: 1\n  demo:x: 2\n")


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [{a: 1}]", "!!omap"),
        ("!!timestamp 2027-02-23", "!!timestamp"),
        ("!secret value", "!secret"),
        ("!!int twelve", None),
    ],
)
def test_other_tags_are_refused_with_key_and_line(text: str, tag: str | None) -> None:
    with pytest.raises(StackYamlError) as raised:
        value(text)
    message = str(raised.value)
    assert message.startswith("config.demo:x: ")
    assert message.endswith("(line 2)")
    assert (tag or "is not a valid !!int") in message


def test_merge_keys_are_refused() -> None:
    text = "config:\n  demo:a: &base {x: 1}\n  demo:b:\n    <<: *base\n    y: 2\n"
    with pytest.raises(StackYamlError, match="merge keys"):
        parse_yaml(text)


def test_aliases_cannot_expand_without_bound() -> None:
    lines = ["config:", "  demo:a: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 6):
        previous = f"*a{level - 1}"
        lines.append(f"  demo:l{level}: &a{level} [{', '.join([previous] * 10)}]")
    with pytest.raises(StackYamlError, match=f"more than {MAX_VALUES} values"):
        parse_yaml("\n".join(lines) + "\n")


def test_a_syntax_error_names_the_enclosing_key_and_line() -> None:
    text = "config:\n  demo:a: 1\n  demo:db:\n    tier: [x\n    size: 2\n"
    with pytest.raises(StackYamlError) as raised:
        parse_yaml(text)
    assert raised.value.key == "demo:db"
    assert raised.value.line == 5
    assert "not valid YAML" in raised.value.problem


def test_top_level_key_at_a_line() -> None:
    text = "# head\nconfig:\n  demo:a: 1\n  # note\n  demo:b:\n    x: 1\n"
    assert [top_level_key_at(text, line) for line in range(1, 7)] == [
        "",
        "",
        "demo:a",
        "demo:a",
        "demo:b",
        "demo:b",
    ]
