"""Building policies: type-scoped resource policies and stack policies that never fail on unknowns,
the CIS framework, and how messages name resources."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, NotRequired, TypedDict, Unpack

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

Report = Callable[[str], None]
"""Reports one violation of the resource being validated; the message names no value."""

StackReport = Callable[[str, str | None], None]
"""Reports one violation of a stack policy, optionally against a resource URN."""

ResourceCheck = Callable[[ResourceValidationArgs, Report], None]
StackCheck = Callable[[StackValidationArgs, StackReport], None]

CIS_GCP: Final = "CIS Google Cloud Platform Foundation Benchmark"
CIS_GCP_VERSION: Final = "3.0.0"


def cis(reference: str) -> PolicyComplianceFramework:
    """The CIS GCP benchmark as a policy's compliance framework."""
    return PolicyComplianceFramework(name=CIS_GCP, version=CIS_GCP_VERSION, reference=reference)


class PolicyMetadata(TypedDict):
    """What every policy states about itself, besides its check."""

    name: str
    description: str
    severity: Severity
    remediation: str
    tags: Sequence[str]
    enforcement_level: NotRequired[EnforcementLevel]
    framework: NotRequired[PolicyComplianceFramework | None]
    config_schema: NotRequired[PolicyConfigSchema | None]


def _sdk_arguments(metadata: PolicyMetadata) -> dict[str, Any]:
    """The SDK's keyword arguments for a policy's metadata (mandatory unless it says otherwise)."""
    return {
        "name": metadata["name"],
        "description": metadata["description"],
        "enforcement_level": metadata.get("enforcement_level", EnforcementLevel.MANDATORY),
        "config_schema": metadata.get("config_schema"),
        "severity": metadata["severity"],
        "framework": metadata.get("framework"),
        "tags": list(metadata["tags"]),
        "remediation_steps": metadata["remediation"],
    }


def resource_policy(
    *,
    resource_types: Iterable[str] | Callable[[str], bool],
    check: ResourceCheck,
    **metadata: Unpack[PolicyMetadata],
) -> ResourceValidationPolicy:
    """A resource policy that runs `check` only on the given types and never on unknowns.

    An `UnknownValueError` escaping `check` (a value read outside the helpers) means the
    policy cannot decide during preview: it reports nothing rather than failing the preview.
    """
    if callable(resource_types):
        applies: Callable[[str], bool] = resource_types
    else:
        type_set = frozenset(resource_types)
        applies = type_set.__contains__

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if not applies(args.resource_type):
            return
        try:
            check(args, lambda message: report_violation(message, None))
        except UnknownValueError:
            return

    return ResourceValidationPolicy(validate=validate, **_sdk_arguments(metadata))


def stack_policy(*, check: StackCheck, **metadata: Unpack[PolicyMetadata]) -> StackValidationPolicy:
    """A stack policy; like `resource_policy`, an escaping unknown means "cannot decide"."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        try:
            check(args, report_violation)
        except UnknownValueError:
            return

    return StackValidationPolicy(validate=validate, **_sdk_arguments(metadata))


def of_type(resources: Iterable[PolicyResource], *resource_types: str) -> list[PolicyResource]:
    """The stack's resources of the given types, in declaration order."""
    wanted = frozenset(resource_types)
    return [resource for resource in resources if resource.resource_type in wanted]


def label(args: ResourceValidationArgs | PolicyResource) -> str:
    """How messages name a resource: its type's short name and its Pulumi name."""
    kind = args.resource_type.rsplit(":", 1)[-1]
    return f"{kind} '{args.name}'"
