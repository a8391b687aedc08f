"""Policy config files read without a server: duplicate keys, and schema errors as one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from policy.myhibachi_policy.helpers import STRING
from preflight.policy_config import (
    PolicyConfig,
    PolicyConfigError,
    PolicySummary,
    parse_policy_config,
    read_policy_config,
    reconcile_policy_config,
)

# A list-of-hosts schema, as a policy could declare one.
HOST_LIST: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "string",
        "pattern": r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
    },
    "minItems": 1,
}


def summary(name: str, properties: dict[str, Any], required: tuple[str, ...] = ()) -> PolicySummary:
    return PolicySummary(
        name=name,
        description="A policy for these tests.",
        enforcement_level="mandatory",
        policy_type="resource",
        config_properties=properties,
        config_required=required,
        severity="high",
    )


def problem(properties: dict[str, Any], given: dict[str, Any]) -> str:
    """The one-line error for `given` against a policy `demo` with these config properties."""
    with pytest.raises(PolicyConfigError) as raised:
        reconcile_policy_config([summary("demo", properties)], {"demo": (None, given)}, "x.json")
    message = str(raised.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            '{"feature-flag-gradual-rollout": "advisory",\n'
            ' "feature-flag-gradual-rollout": "disabled"}',
            "x.json: feature-flag-gradual-rollout: duplicate key",
        ),
        (
            '{"gcp-sql-instance-backup-retention": {"minRetainedBackups": 30,'
            ' "minRetainedBackups": 7}}',
            "x.json: gcp-sql-instance-backup-retention: minRetainedBackups: duplicate key",
        ),
        (
            '{"demo": {"enforcementLevel": "mandatory", "enforcementLevel": "advisory"}}',
            "x.json: demo: enforcementLevel: duplicate key",
        ),
    ],
)
def test_a_key_given_twice_is_refused_naming_it(text: str, error: str) -> None:
    with pytest.raises(PolicyConfigError) as raised:
        parse_policy_config(text, "x.json")
    assert str(raised.value) == error


def test_the_same_key_in_different_objects_is_fine() -> None:
    text = '{"a": {"enforcementLevel": "advisory"}, "b": {"enforcementLevel": "mandatory"}}'
    assert parse_policy_config(text, "x.json") == {"a": ("advisory", {}), "b": ("mandatory", {})}


def test_a_duplicate_key_in_a_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "staging.json"
    path.write_text('{"demo": "advisory", "demo": "disabled"}')
    with pytest.raises(PolicyConfigError) as raised:
        read_policy_config(path, [summary("demo", {})])
    assert str(raised.value) == f"{path}: demo: duplicate key"


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(PolicyConfigError) as raised:
        read_policy_config(tmp_path / "missing.json", [])
    assert (
        str(raised.value) == f"{tmp_path / 'missing.json'}: cannot read: No such file or directory"
    )


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ({"hosts": []}, "hosts: must have at least 1 item(s)"),
        (
            {"hosts": ["ok.example.com", "Not A Host"]},
            f"hosts: [1] must match {HOST_LIST['items']['pattern']}",
        ),
        ({"hosts": "ok.example.com"}, "hosts: must be an array (got str)"),
        ({"name": ""}, "name: must not be empty"),
        ({"name": True}, "name: must be a string (got bool)"),
    ],
)
def test_the_packs_schema_snippets_keep_their_messages(given: dict[str, Any], error: str) -> None:
    properties = {"hosts": HOST_LIST, "name": STRING}
    assert problem(properties, given) == f"x.json: demo: {error}"


def test_jsonschema_checks_what_a_schema_says_at_any_depth() -> None:
    targets = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"port": {"type": "integer", "maximum": 65535}},
            "required": ["port"],
        },
    }
    assert problem({"targets": targets}, {"targets": [{"port": 443}, {"port": 70000}]}) == (
        "x.json: demo: targets: [1].port must be at most 65535"
    )
    assert problem({"targets": targets}, {"targets": [{}]}) == (
        "x.json: demo: targets: [0] 'port' is a required property"
    )


def test_a_schema_keyword_without_a_message_of_ours_uses_jsonschemas() -> None:
    unique = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
    assert problem({"paths": unique}, {"paths": ["/a", "/a"]}) == (
        "x.json: demo: paths: ['/a', '/a'] has non-unique elements"
    )


def test_valid_properties_override_schema_defaults() -> None:
    minimum = {"type": "integer", "minimum": 1, "default": 30}
    policies = [summary("demo", {"days": minimum}), summary("other", {"days": minimum})]
    config = reconcile_policy_config(
        policies, {"all": ("advisory", {}), "demo": (None, {"days": 7.0})}, "x.json"
    )
    assert config == {
        "demo": PolicyConfig("advisory", {"days": 7.0}),
        "other": PolicyConfig("advisory", {"days": 30}),
    }
