"""Reading the stack's own facts from the runtime config, as the CLI hands it to the pack."""

from __future__ import annotations

import contextlib
import json

import pulumi
import pytest

from policy.myhibachi_policy.helpers import stack_setting, stack_url
from tests.policy.support import NotApplicableError, StackArgs, in_stack_config, stack_values


def read(values: dict[str, str], path: str) -> tuple[str | None, list[str]]:
    """The setting at `path` with `values` as the stack config, and any not-applicable reason."""
    skipped: list[str] = []
    found: list[str] = []

    def run() -> None:
        args = StackArgs(skipped, resources=[], config={})
        with contextlib.suppress(NotApplicableError):
            found.append(stack_setting(args, path))

    in_stack_config(values, run)
    return (found[0] if found else None), skipped


@pytest.mark.parametrize(
    ("stack", "path", "expected"),
    [
        ("production", "env", "prod"),
        ("staging", "env", "staging"),
        ("production", "domain.api", "api.myhibachichef.com"),
        ("staging", "domain.site", "staging.myhibachichef.com"),
        ("staging", "frontends.admin.projectName", "myhibachi-admin-staging"),
    ],
)
def test_reads_the_stack_file(stack: str, path: str, expected: str) -> None:
    assert read(stack_values(stack), path) == (expected, [])


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({}, "env"),
        ({"myhibachi:env": ""}, "env"),
        ({"other:env": "prod"}, "env"),
        ({"myhibachi:domain": json.dumps({"site": "a.example"})}, "domain.api"),
        ({"myhibachi:domain": "not json"}, "domain.api"),
        ({"myhibachi:domain": json.dumps({"api": {"host": "a"}})}, "domain.api"),
        ({"myhibachi:domain": json.dumps(["api"])}, "domain.api"),
    ],
)
def test_a_missing_fact_makes_the_policy_not_applicable(values: dict[str, str], path: str) -> None:
    assert read(values, path) == (None, [f"the stack config does not set myhibachi:{path}"])


def test_stack_url_is_https_on_the_host() -> None:
    urls: list[str] = []

    def run() -> None:
        urls.append(stack_url(StackArgs([], resources=[], config={}), "admin"))

    in_stack_config(stack_values("staging"), run)
    assert urls == ["https://admin-staging.myhibachichef.com"]


def test_the_runtime_config_does_not_leak_out_of_a_run() -> None:
    before = pulumi.Config("myhibachi").get("env")
    in_stack_config({"myhibachi:env": "leaked"}, lambda: None)
    assert pulumi.Config("myhibachi").get("env") == before
