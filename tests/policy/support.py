"""Run the pack's policies directly, as the analyzer server would, with a stack's config."""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.policy import PolicyCustomTimeouts, _NotApplicableError
from pulumi_policy.proxy import unknown_checking_proxy

from policy.myhibachi_policy.index import all_policies
from preflight.policy_config import (
    PolicyConfig,
    PolicySummary,
    parse_policy_config,
    reconcile_policy_config,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
PACK_DIR = PROJECT_DIR / "policy"
CONFIG_DIR = PACK_DIR / "config"
STACKS = ("staging", "production")
DELETE = object()
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def summaries() -> list[PolicySummary]:
    result = []
    for policy in all_policies():
        schema = policy.config_schema
        result.append(
            PolicySummary(
                name=policy.name,
                description=policy.description,
                enforcement_level=(policy.enforcement_level or EnforcementLevel.MANDATORY).value,
                policy_type="stack" if isinstance(policy, StackValidationPolicy) else "resource",
                config_properties=dict(schema.properties) if schema else {},
                config_required=tuple(schema.required or ()) if schema else (),
                severity=policy.severity.value if policy.severity else "",
            )
        )
    return result


@cache
def stack_config(stack: str) -> dict[str, PolicyConfig]:
    path = CONFIG_DIR / f"{stack}.json"
    raw = parse_policy_config(path.read_text(), str(path))
    return reconcile_policy_config(summaries(), raw, str(path))


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


def _opts(protect: bool) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


def run_resource(
    resource_type: str,
    props: Mapping[str, Any],
    *,
    stack: str = "production",
    name: str = "subject",
    protect: bool = True,
    provider_props: Mapping[str, Any] | None = None,
) -> list[tuple[str, str]]:
    """(policy name, message) for every violation of every enabled resource policy."""
    config = stack_config(stack)
    found: list[tuple[str, str]] = []
    provider = (
        PolicyProviderResource(
            "pulumi:providers:gcp",
            unknown_checking_proxy(dict(provider_props)),
            "urn:provider",
            "gcp",
        )
        if provider_props is not None
        else None
    )
    for policy in all_policies():
        if not isinstance(policy, ResourceValidationPolicy):
            continue
        if config[policy.name].enforcement_level == "disabled":
            continue
        args = ResourceValidationArgs(
            resource_type,
            unknown_checking_proxy(copy.deepcopy(dict(props))),
            f"urn:pulumi:{stack}::myhibachi::{resource_type}::{name}",
            name,
            _opts(protect),
            provider,
            dict(config[policy.name].properties),
        )

        def report(message: str, urn: str | None = None, _name: str = policy.name) -> None:
            found.append((_name, message))

        with contextlib.suppress(_NotApplicableError):
            policy.validate(args, report)
    return found


def names(resource_type: str, props: Mapping[str, Any], **kwargs: Any) -> set[str]:
    return {name for name, _ in run_resource(resource_type, props, **kwargs)}


def res(resource_type: str, name: str, props: Mapping[str, Any]) -> PolicyResource:
    urn = f"urn:pulumi:test::myhibachi::{resource_type}::{name}"
    return PolicyResource(
        resource_type,
        unknown_checking_proxy(copy.deepcopy(dict(props))),
        urn,
        name,
        _opts(True),
        None,
        None,
        [],
        {},
    )


def run_stack(
    resources: Sequence[PolicyResource],
    *,
    stack: str = "production",
    only: str | None = None,
    config_override: Mapping[str, Any] | None = None,
) -> list[tuple[str, str, str | None]]:
    """(policy name, message, urn) for every violation of every enabled stack policy."""
    config = stack_config(stack)
    found: list[tuple[str, str, str | None]] = []
    for policy in all_policies():
        if not isinstance(policy, StackValidationPolicy) or (only and policy.name != only):
            continue
        if config[policy.name].enforcement_level == "disabled":
            continue
        properties = {**config[policy.name].properties, **(config_override or {})}
        args = StackValidationArgs(list(resources), properties)

        def report(message: str, urn: str | None = None, _name: str = policy.name) -> None:
            found.append((_name, message, urn))

        with contextlib.suppress(_NotApplicableError):
            policy.validate(args, report)
    return found


def stack_names(resources: Sequence[PolicyResource], **kwargs: Any) -> set[str]:
    return {name for name, _, _ in run_stack(resources, **kwargs)}


def config_document(stack: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((CONFIG_DIR / f"{stack}.json").read_text())
    return result
