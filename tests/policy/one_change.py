"""Tests built from one change at a time to a compliant baseline.

A resource policy's test module declares a baseline that passes every policy and the changes
that must fail (or still pass) it: each `Case` is one dotted path, its new value (or `DELETE`)
and the exact set of policies the changed resource fails. `one_change_test` turns them into
one parametrized test; `changed` builds a single variant for the module's own tests.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import pytest

from tests.policy.support import names

DELETE = object()
"""As a case's value: remove the path from the baseline."""


def changed(base: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `base` with one dotted path set (or removed with DELETE)."""
    result = copy.deepcopy(dict(base))
    node: Any = result
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is DELETE:
        node.pop(last, None)
    else:
        node[last] = value
    return result


Case = tuple[str, Any, set[str]]
"""One change to a baseline: the dotted path, the new value (or DELETE), the policies it fails."""


Group = tuple[str, Callable[[], dict[str, Any]], Sequence[Case]]
"""A resource type, its compliant baseline, and the changes to try on it."""


OneChangeTest = Callable[[str, dict[str, Any], set[str]], None]


def one_change_test(*groups: Group) -> OneChangeTest:
    """A test, parametrized per group: the baseline passes every policy, and each case's one
    change fails exactly the policies it names. Bind it to a `test_...` name in a test module."""
    params = []
    for resource_type, baseline, cases in groups:
        kind = resource_type.rsplit(":", 1)[-1]
        params.append(pytest.param(resource_type, baseline(), set(), id=f"{kind}-baseline"))
        for path, value, expected in cases:
            outcome = min(expected) if expected else "passes"
            props = changed(baseline(), path, value)
            params.append(
                pytest.param(resource_type, props, expected, id=f"{kind}-{path}-{outcome}")
            )

    def test(resource_type: str, props: dict[str, Any], expected: set[str]) -> None:
        assert names(resource_type, props) == expected

    parametrize = pytest.mark.parametrize(("resource_type", "props", "expected"), params)
    return cast(OneChangeTest, parametrize(test))
