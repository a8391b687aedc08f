"""Run the pack's policies directly, as the analyzer server would, with a stack's config.

Each run sees two configs, as under the Pulumi CLI: the stack's policy config
(`policy/config/<stack>.json`, reconciled as the CLI does) through `args.get_config()`, and the
stack's own config (`Pulumi.<stack>.yaml`, flattened as the CLI hands it to the pack in
`PULUMI_CONFIG`) in the runtime config that `pulumi.Config` reads. The runtime config is set in a
copy of the current context, so a run never leaks it to other tests.
"""

from __future__ import annotations

import contextvars
import copy
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pulumi_policy
from pulumi.runtime.config import set_all_config
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import unknown_checking_proxy

from policy.myhibachi_policy.index import all_policies
from preflight.capture import Capture, CapturedResource
from preflight.policy_config import (
    PolicyConfig,
    PolicySummary,
    parse_policy_config,
    reconcile_policy_config,
)
from preflight.stack_file import read_stack_config
from preflight.values import unwrapped

PROJECT_DIR = Path(__file__).resolve().parents[2]
PACK_DIR = PROJECT_DIR / "policy"
CONFIG_DIR = PACK_DIR / "config"
STACKS = ("staging", "production")
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SITE_PACKAGES = Path(pulumi_policy.__file__).resolve().parents[1]
_SDK_PACKAGES = {
    "gcp": "pulumi_gcp",
    "cloudflare": "pulumi_cloudflare",
    "vercel": "pulumiverse_vercel",
    "random": "pulumi_random",
}


def snake(name: str) -> str:
    """`KeyRingIAMMember` -> `key_ring_iam_member`, as the SDKs name modules and arguments."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def sdk_source(token: str) -> str:
    """The installed SDK's source of the resource class a type token names."""
    package, module_path, resource = token.split(":")
    folder = SITE_PACKAGES / _SDK_PACKAGES[package]
    module = module_path.split("/")[0]
    if module != "index":
        folder /= module
    return (folder / f"{snake(resource)}.py").read_text()


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


@cache
def _stack_file_values(stack: str) -> Mapping[str, str]:
    return read_stack_config(PROJECT_DIR, stack).values


def stack_values(stack: str) -> dict[str, str]:
    """The stack's own config, as the CLI passes it to the pack (objects JSON-encoded)."""
    return dict(_stack_file_values(stack))


# --- Policy args whose not_applicable is recorded -----------------------------------------------


class NotApplicableError(Exception):
    """What the test args raise when a policy finds nothing to judge against."""


class _RecordsNotApplicable:
    """`not_applicable` appends the reason to `skipped`, then raises as the SDK does."""

    skipped: list[str]

    def not_applicable(self, reason: str | None = None) -> None:
        self.skipped.append(reason or "")
        raise NotApplicableError(reason)


class ResourceArgs(_RecordsNotApplicable, ResourceValidationArgs):
    def __init__(self, skipped: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.skipped = skipped


class StackArgs(_RecordsNotApplicable, StackValidationArgs):
    def __init__(self, skipped: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.skipped = skipped


@dataclass
class Outcome:
    """What the enabled policies said: (policy, message, urn) per violation, and the reason of
    each policy that was not applicable."""

    violations: list[tuple[str, str, str | None]] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def declined(self) -> dict[str, str]:
        """`skipped` but for the pack-wide credential scan, which declines on any unknown input
        (its own tests read `skipped`)."""
        return {k: v for k, v in self.skipped.items() if k != "pack-resource-inputs-no-credentials"}

    def only_declined(self) -> dict[str, str]:
        """`declined`, failing when any policy reported a violation: the outcome of a resource
        whose unknown values leave the policies nothing to decide."""
        if self.violations:
            raise AssertionError(f"expected no violations, got {self.violations}")
        return self.declined


def resource_options(protect: bool) -> PolicyResourceOptions:
    """The options of a resource as the engine hands them to policies (nothing but `protect`)."""
    return PolicyResourceOptions(
        protect=protect,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(create_seconds=0, update_seconds=0, delete_seconds=0),
        additional_secret_outputs=[],
        parent=None,
    )


Validate = Callable[[Policy, list[str], dict[str, Any], ReportViolation], None]
"""Runs one policy with its config; `not_applicable` reasons go to the list."""


def _judge(
    stack: str,
    program_config: Mapping[str, str] | None,
    applies: Callable[[Policy], bool],
    validate: Validate,
    config_override: Mapping[str, Any] | None = None,
) -> Outcome:
    config = stack_config(stack)
    values = stack_values(stack) if program_config is None else dict(program_config)
    outcome = Outcome()

    def judge_all() -> None:
        for policy in all_policies():
            if not applies(policy) or config[policy.name].enforcement_level == "disabled":
                continue
            skipped: list[str] = []
            properties = {**config[policy.name].properties, **(config_override or {})}

            def report(message: str, urn: str | None = None, _name: str = policy.name) -> None:
                outcome.violations.append((_name, message, urn))

            try:
                validate(policy, skipped, properties, report)
            except NotApplicableError:
                outcome.skipped[policy.name] = skipped[-1]

    in_stack_config(values, judge_all)
    return outcome


def in_stack_config(values: Mapping[str, str], run: Callable[[], None]) -> None:
    """Call `run` with `values` as the runtime config, in a copy of the current context."""

    def configured() -> None:
        set_all_config(dict(values))
        run()

    contextvars.copy_context().run(configured)


def resource_outcome(
    resource_type: str,
    props: Mapping[str, Any],
    *,
    stack: str = "production",
    name: str = "subject",
    protect: bool = True,
    provider_props: Mapping[str, Any] | None = None,
    program_config: Mapping[str, str] | None = None,
    config_override: Mapping[str, Any] | None = None,
) -> Outcome:
    """Every enabled resource policy on one resource; `program_config` replaces the stack's,
    `config_override` overrides policy config properties."""
    provider = (
        PolicyProviderResource(
            resource_type="pulumi:providers:gcp",
            props=unknown_checking_proxy(dict(provider_props)),
            urn="urn:provider",
            name="gcp",
        )
        if provider_props is not None
        else None
    )

    def validate(
        policy: Policy, skipped: list[str], config: dict[str, Any], report: ReportViolation
    ) -> None:
        assert isinstance(policy, ResourceValidationPolicy)
        resource = res(resource_type, name, props, stack=stack, protect=protect)
        args = ResourceArgs(
            skipped,
            resource_type=resource.resource_type,
            props=resource.props,
            urn=resource.urn,
            name=resource.name,
            opts=resource.opts,
            provider=provider,
            config=config,
        )
        policy.validate(args, report)

    def applies(policy: Policy) -> bool:
        return isinstance(policy, ResourceValidationPolicy)

    return _judge(stack, program_config, applies, validate, config_override)


def run_resource(
    resource_type: str, props: Mapping[str, Any], **kwargs: Any
) -> list[tuple[str, str]]:
    """(policy name, message) for every violation of every enabled resource policy."""
    outcome = resource_outcome(resource_type, props, **kwargs)
    return [(policy, message) for policy, message, _ in outcome.violations]


def names(resource_type: str, props: Mapping[str, Any], **kwargs: Any) -> set[str]:
    return {name for name, _ in run_resource(resource_type, props, **kwargs)}


def res(
    resource_type: str,
    name: str,
    props: Mapping[str, Any],
    *,
    stack: str = "test",
    protect: bool = True,
    dependencies: Sequence[PolicyResource] = (),
) -> PolicyResource:
    """A resource as the engine hands it to policies (unknown values raise on access), depending
    on `dependencies` as the engine reports them (no per-property dependencies)."""
    return PolicyResource(
        resource_type=resource_type,
        props=unknown_checking_proxy(copy.deepcopy(dict(props))),
        urn=f"urn:pulumi:{stack}::myhibachi::{resource_type}::{name}",
        name=name,
        opts=resource_options(protect),
        provider=None,
        parent=None,
        dependencies=list(dependencies),
        property_dependencies={},
    )


def stack_outcome(
    resources: Sequence[PolicyResource],
    *,
    stack: str = "production",
    only: str | None = None,
    config_override: Mapping[str, Any] | None = None,
    program_config: Mapping[str, str] | None = None,
) -> Outcome:
    """Every enabled stack policy (or `only` one) over the resources."""

    def validate(
        policy: Policy, skipped: list[str], config: dict[str, Any], report: ReportViolation
    ) -> None:
        assert isinstance(policy, StackValidationPolicy)
        policy.validate(StackArgs(skipped, resources=list(resources), config=config), report)

    def applies(policy: Policy) -> bool:
        return isinstance(policy, StackValidationPolicy) and only in (None, policy.name)

    return _judge(stack, program_config, applies, validate, config_override)


def run_stack(
    resources: Sequence[PolicyResource], **kwargs: Any
) -> list[tuple[str, str, str | None]]:
    """(policy name, message, urn) for every violation of every enabled stack policy."""
    return stack_outcome(resources, **kwargs).violations


def stack_names(resources: Sequence[PolicyResource], **kwargs: Any) -> set[str]:
    return {name for name, _, _ in run_stack(resources, **kwargs)}


def config_document(stack: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((CONFIG_DIR / f"{stack}.json").read_text())
    return result


def resource_violations(
    stack: str, resources: Iterable[CapturedResource]
) -> Iterator[tuple[CapturedResource, str, str]]:
    """(resource, policy, message) for every violation of every enabled resource policy on each
    captured resource, with its inputs as the program declared them."""
    for resource in resources:
        for policy, message in run_resource(
            resource.type,
            unwrapped(resource.inputs),
            stack=stack,
            name=resource.name,
            protect=resource.protect,
        ):
            yield resource, policy, message


def program_violations(capture: Capture) -> set[tuple[str, str]]:
    """(policy, resource name) for every violation of the pack over a captured program, as the
    gate would report them (stack policies name the resource they report against, or "")."""
    found = {
        (policy, resource.name)
        for resource, policy, _ in resource_violations(capture.stack, capture.resources)
    }
    # The stack policies see each resource's dependencies, as the engine reports them.
    by_urn = {r.urn: res(r.type, r.name, unwrapped(r.inputs)) for r in capture.resources}
    for resource in capture.resources:
        by_urn[resource.urn].dependencies = [
            by_urn[urn] for urn in resource.dependencies if urn in by_urn
        ]
    stack_resources = list(by_urn.values())
    for policy, _, urn in run_stack(stack_resources, stack=capture.stack):
        found.add((policy, (urn or "").rsplit("::", 1)[-1]))
    return found
