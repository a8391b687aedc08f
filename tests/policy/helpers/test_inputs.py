"""Walking every input of a resource: each string and map key with its path, unknowns marked."""

from __future__ import annotations

from policy.myhibachi_policy.helpers import leaves
from tests.policy.support import UNKNOWN


def test_leaves_walk_every_input_with_its_path() -> None:
    props = {
        "labels": {"team": "x"},
        "template": {"containers": [{"args": ["a", "b"], "envs": [{"value": UNKNOWN}]}]},
        "count": 3,
        "enabled": True,
    }
    walked = [(leaf.path, leaf.text, leaf.key) for leaf in leaves(props)]
    assert walked == [
        ("", "labels", True),
        ("labels", "team", True),
        ("labels.team", "x", False),
        ("", "template", True),
        ("template", "containers", True),
        ("template.containers[0]", "args", True),
        ("template.containers[0].args[0]", "a", False),
        ("template.containers[0].args[1]", "b", False),
        ("template.containers[0]", "envs", True),
        ("template.containers[0].envs[0]", "value", True),
        ("template.containers[0].envs[0].value", None, False),
        ("", "count", True),
        ("", "enabled", True),
    ]


def test_numbers_booleans_and_nulls_are_not_strings() -> None:
    assert [leaf.text for leaf in leaves({"a": 1, "b": None, "c": [True, 2.5]})] == ["a", "b", "c"]
