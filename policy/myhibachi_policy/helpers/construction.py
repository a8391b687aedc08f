"""Building policies: type-scoped resource policies and stack policies that never fail on unknowns,
described by their catalogue entries, and how messages name resources."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pulumi_policy import (
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from .catalogue import entry

Report = Callable[[str], None]
"""Reports one violation of the resource being validated; the message names no value."""

StackReport = Callable[[str, str | None], None]
"""Reports one violation of a stack policy, optionally against a resource URN."""

ResourceCheck = Callable[[ResourceValidationArgs, Report], None]
StackCheck = Callable[[StackValidationArgs, StackReport], None]


def _sdk_arguments(name: str, config_schema: PolicyConfigSchema | None) -> dict[str, Any]:
    """The SDK's keyword arguments for a policy: its name and schema, and its catalogue entry."""
    described = entry(name)
    return {
        "name": name,
        "description": described.description,
        "enforcement_level": described.enforcement_level,
        "config_schema": config_schema,
        "severity": described.severity,
        "framework": described.framework,
        "tags": list(described.tags),
        "remediation_steps": described.remediation,
    }


def resource_policy(
    *,
    name: str,
    resource_types: Iterable[str] | Callable[[str], bool],
    check: ResourceCheck,
    config_schema: PolicyConfigSchema | None = None,
) -> ResourceValidationPolicy:
    """The resource policy `name` (described by its catalogue entry) that runs `check` only on
    the given types and never on unknowns.

    An `UnknownValueError` escaping `check` (a value read outside the helpers) means the
    policy cannot decide during preview: unless it already reported a violation, it ends as not
    applicable, naming the unknown property, so the report says "could not verify".
    """
    if callable(resource_types):
        applies: Callable[[str], bool] = resource_types
    else:
        type_set = frozenset(resource_types)
        applies = type_set.__contains__

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if not applies(args.resource_type):
            return
        reported = False

        def report(message: str) -> None:
            nonlocal reported
            reported = True
            report_violation(message, None)

        try:
            check(args, report)
        except UnknownValueError as error:
            if not reported:
                args.not_applicable(_undecided(error))

    return ResourceValidationPolicy(validate=validate, **_sdk_arguments(name, config_schema))


def stack_policy(
    *, name: str, check: StackCheck, config_schema: PolicyConfigSchema | None = None
) -> StackValidationPolicy:
    """A stack policy; like `resource_policy`, an escaping unknown means "could not verify"
    unless a violation was already reported."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        reported = False

        def report(message: str, urn: str | None = None) -> None:
            nonlocal reported
            reported = True
            report_violation(message, urn)

        try:
            check(args, report)
        except UnknownValueError as error:
            if not reported:
                args.not_applicable(_undecided(error))

    return StackValidationPolicy(validate=validate, **_sdk_arguments(name, config_schema))


def _undecided(error: UnknownValueError) -> str:
    # The SDK's message names the property path and its kind, never a value.
    return f"could not verify: {error.message}"


def of_type(resources: Iterable[PolicyResource], *resource_types: str) -> list[PolicyResource]:
    """The stack's resources of the given types, in declaration order."""
    wanted = frozenset(resource_types)
    return [resource for resource in resources if resource.resource_type in wanted]


def label(args: ResourceValidationArgs | PolicyResource) -> str:
    """How messages name a resource: its type's short name and its Pulumi name."""
    kind = args.resource_type.rsplit(":", 1)[-1]
    return f"{kind} '{args.name}'"
