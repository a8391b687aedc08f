"""Feature flags, wherever rendered: postponed features off, required ones on, rollouts tracked.

A flag is rendered as a Vercel env var `NEXT_PUBLIC_FEATURE_<NAME>` or a workload env var
`FEATURE_FLAG_<NAME>` (wherever `helpers.env_vars` reads workload env: Cloud Run services and
jobs), and judged with its value as the apps read it: a flag is on only when its value is exactly
`true` (`"TRUE"` or `" true"` is not), and a postponed flag must be exactly `false`.

Each app reads its own env, so absent counts as off: an app that renders flags of a kind (a
workload's `FEATURE_FLAG_*`, a Vercel project's `NEXT_PUBLIC_FEATURE_*`, the project found through
the env var's dependency on it or its known `projectId`) must render each required flag of that
kind, where the kind of a required flag is the one it is rendered as anywhere in the stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from pulumi_policy import (
    PolicyResource,
    ResourceValidationArgs,
    StackValidationArgs,
)

from .helpers import (
    CONTAINERS_PATH,
    STRING_LIST,
    VERCEL_ENV_TYPES,
    VERCEL_PROJECT,
    Report,
    StackReport,
    Undecided,
    as_str,
    env_vars,
    get,
    is_unknown,
    label,
    param_strs,
    resource_policy,
    schema,
    stack_policy,
    unknown,
    vercel_env_vars,
)

VERCEL_FLAG_PREFIX: Final = "NEXT_PUBLIC_FEATURE_"
CLOUD_RUN_FLAG_PREFIX: Final = "FEATURE_FLAG_"


@dataclass(frozen=True)
class RenderedFlag:
    """A flag as rendered: its NAME, the env var key, where, and the value ("true", ...)."""

    name: str
    key: str
    prefix: str
    where: str
    value: str | None  # None: unknown during preview, or not a plain value (a reference)


def rendered_flags(resource_type: str, props: Any) -> Iterator[RenderedFlag]:
    found: list[tuple[str, str, Any]] = []
    if resource_type in VERCEL_ENV_TYPES:
        found = [
            (v.key, v.where.rstrip("."), v.value) for v in vercel_env_vars(resource_type, props)
        ]
        prefix = VERCEL_FLAG_PREFIX
    elif resource_type in CONTAINERS_PATH:
        found = [(e.name, e.where, e.value) for e in env_vars(resource_type, props)]
        prefix = CLOUD_RUN_FLAG_PREFIX
    else:
        return
    for key, where, value in found:
        if key.startswith(prefix) and len(key) > len(prefix):
            text = value if isinstance(value, str) and not is_unknown(value) else None
            yield RenderedFlag(key[len(prefix) :], key, prefix, where or "key", text)


def _check_postponed(args: ResourceValidationArgs, report: Report) -> None:
    postponed = set(param_strs(args.get_config(), "postponedFlags"))
    undecided = Undecided()
    for flag in rendered_flags(args.resource_type, args.props):
        if flag.name not in postponed:
            continue
        if flag.value is None:
            undecided.add(unknown(label(args), f"{flag.where} ({flag.key})"))
        elif flag.value != "false":
            report(
                f'{label(args)}: {flag.where} {flag.key} must be "false": {flag.name} is postponed.'
            )
    undecided.settle(args, "the postponed flags")


@dataclass
class FlagReader:
    """One app's view of the flags: a workload's env, or a Vercel project's env vars."""

    name: str
    urn: str | None
    prefix: str
    flags: set[str] = field(default_factory=set)


def _reader(resource: PolicyResource, prefix: str) -> tuple[str, str, str | None] | None:
    """(key, how messages name it, URN) of the app that reads this resource's flags."""
    if prefix == CLOUD_RUN_FLAG_PREFIX or resource.resource_type == VERCEL_PROJECT:
        return resource.urn, label(resource), resource.urn
    for dependency in resource.dependencies or []:
        if getattr(dependency, "resource_type", None) == VERCEL_PROJECT:
            return dependency.urn, label(dependency), dependency.urn
    project = as_str(get(resource.props, "projectId"))
    if project:
        return f"project:{project}", f"the Vercel project of {label(resource)}", None
    return None  # cannot tell which app reads it


def _require_on(config_key: str) -> Any:
    def check(args: StackValidationArgs, report: StackReport) -> None:
        required = param_strs(args.get_config(), config_key)
        readers: dict[str, FlagReader] = {}
        rendered_as: dict[str, set[str]] = {name: set() for name in required}
        undecided = Undecided()
        for resource in args.resources:
            for flag in rendered_flags(resource.resource_type, resource.props):
                app = _reader(resource, flag.prefix)
                if app is not None:
                    key, app_name, urn = app
                    readers.setdefault(key, FlagReader(app_name, urn, flag.prefix)).flags.add(
                        flag.name
                    )
                if flag.name not in required:
                    continue
                rendered_as[flag.name].add(flag.prefix)
                if flag.value is None:
                    undecided.add(unknown(label(resource), f"{flag.where} ({flag.key})"))
                elif flag.value != "true":
                    report(
                        f'{label(resource)}: {flag.where} {flag.key} must be "true" (exactly, as '
                        f"the apps read it): {flag.name} is in this stack's {config_key}.",
                        resource.urn,
                    )
        for name in required:
            for reader in readers.values():
                if reader.prefix in rendered_as[name] and name not in reader.flags:
                    report(
                        f'{reader.name} must render {reader.prefix}{name} as "true": it reads '
                        f"its flags from its own env, where absent counts as off.",
                        reader.urn,
                    )
            if not rendered_as[name]:
                report(
                    f'The stack must render feature flag {name} as "true" '
                    f"({VERCEL_FLAG_PREFIX}{name} or {CLOUD_RUN_FLAG_PREFIX}{name}); absent "
                    "counts as off.",
                    None,
                )
        undecided.settle(args, f"the flags in {config_key}")

    return check


POLICIES: Final = [
    resource_policy(
        name="feature-flag-postponed-off",
        resource_types=lambda resource_type: (
            resource_type in VERCEL_ENV_TYPES or resource_type in CONTAINERS_PATH
        ),
        check=_check_postponed,
        config_schema=schema({"postponedFlags": {**STRING_LIST, "default": []}}),
    ),
    stack_policy(
        name="feature-flag-required-on",
        check=_require_on("requiredOnFlags"),
        config_schema=schema({"requiredOnFlags": {**STRING_LIST, "default": []}}),
    ),
    stack_policy(
        name="feature-flag-gradual-rollout",
        check=_require_on("gradualRolloutFlags"),
        config_schema=schema({"gradualRolloutFlags": {**STRING_LIST, "default": []}}),
    ),
]
