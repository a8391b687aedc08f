"""Feature flags, wherever rendered: postponed features off, required ones on, rollouts tracked.

A flag is rendered as a Vercel env var `NEXT_PUBLIC_FEATURE_<NAME>` or a Cloud Run env var
`FEATURE_FLAG_<NAME>`, with the value "true" or "false". Only "true" is on and only "false"
is off; any other value counts as neither.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy import EnforcementLevel, ResourceValidationArgs, Severity, StackValidationArgs

from .helpers import (
    CLOUD_RUN_TYPES,
    STRING_LIST,
    VERCEL_ENV_TYPES,
    Report,
    StackReport,
    as_str,
    env_vars,
    is_unknown,
    label,
    param_strs,
    resource_policy,
    schema,
    stack_policy,
    vercel_env_vars,
)

VERCEL_FLAG_PREFIX: Final = "NEXT_PUBLIC_FEATURE_"
CLOUD_RUN_FLAG_PREFIX: Final = "FEATURE_FLAG_"
_TAGS: Final = ("feature-flags",)


@dataclass(frozen=True)
class RenderedFlag:
    """A flag as rendered: its NAME, the env var key, where, and the value ("true", ...)."""

    name: str
    key: str
    where: str
    value: str | None  # None: unknown during preview


def rendered_flags(resource_type: str, props: Any) -> Iterator[RenderedFlag]:
    found: list[tuple[str, str, Any]] = []
    if resource_type in VERCEL_ENV_TYPES:
        found = [
            (v.key, v.where.rstrip("."), v.value) for v in vercel_env_vars(resource_type, props)
        ]
        prefix = VERCEL_FLAG_PREFIX
    elif resource_type in CLOUD_RUN_TYPES:
        found = [(e.name, e.where, e.value) for e in env_vars(resource_type, props)]
        prefix = CLOUD_RUN_FLAG_PREFIX
    else:
        return
    for key, where, value in found:
        if key.startswith(prefix) and len(key) > len(prefix):
            text = None if is_unknown(value) else (as_str(value) or "").strip().lower()
            yield RenderedFlag(key[len(prefix) :], key, where or "key", text)


def _check_postponed(args: ResourceValidationArgs, report: Report) -> None:
    postponed = set(param_strs(args.get_config(), "postponedFlags"))
    for flag in rendered_flags(args.resource_type, args.props):
        if flag.name in postponed and flag.value is not None and flag.value != "false":
            report(
                f'{label(args)}: {flag.where} {flag.key} must be "false": {flag.name} is postponed.'
            )


def _require_on(config_key: str) -> Any:
    def check(args: StackValidationArgs, report: StackReport) -> None:
        required = param_strs(args.get_config(), config_key)
        seen: dict[str, bool] = {}
        undecided: set[str] = set()
        for resource in args.resources:
            for flag in rendered_flags(resource.resource_type, resource.props):
                if flag.name not in required:
                    continue
                if flag.value is None:
                    undecided.add(flag.name)
                    continue
                seen.setdefault(flag.name, True)
                if flag.value != "true":
                    seen[flag.name] = False
                    report(
                        f'{label(resource)}: {flag.where} {flag.key} must be "true": '
                        f"{flag.name} is in this stack's {config_key}.",
                        resource.urn,
                    )
        for name in required:
            if name not in seen and name not in undecided:
                report(
                    f'The stack must render feature flag {name} as "true" '
                    f"({VERCEL_FLAG_PREFIX}{name} or {CLOUD_RUN_FLAG_PREFIX}{name}).",
                    None,
                )

    return check


POLICIES: Final = [
    resource_policy(
        name="feature-flag-postponed-off",
        description="Postponed features (config postponedFlags, e.g. TRAVEL_FEE_V2) are "
        'rendered "false" wherever they are rendered (seed item 5).',
        resource_types=(*VERCEL_ENV_TYPES, *CLOUD_RUN_TYPES),
        check=_check_postponed,
        severity=Severity.HIGH,
        remediation='Render the flag as "false" (or not at all) until the feature ships.',
        tags=[*_TAGS],
        config_schema=schema({"postponedFlags": {**STRING_LIST, "default": []}}),
    ),
    stack_policy(
        name="feature-flag-required-on",
        description="Required features (config requiredOnFlags: AUDIT_LOGGING everywhere; "
        'SMS_CONSENT and MATH_CAPTCHA in production) are rendered, and "true" wherever '
        "rendered (seed item 5).",
        check=_require_on("requiredOnFlags"),
        severity=Severity.HIGH,
        remediation='Render NEXT_PUBLIC_FEATURE_<NAME> / FEATURE_FLAG_<NAME> = "true".',
        tags=[*_TAGS],
        config_schema=schema({"requiredOnFlags": {**STRING_LIST, "default": []}}),
    ),
    stack_policy(
        name="feature-flag-gradual-rollout",
        description="Features in gradual rollout (config gradualRolloutFlags, e.g. AI_BOOKING_V3) "
        "should be on; advisory, to track the rollout (seed item 5).",
        check=_require_on("gradualRolloutFlags"),
        severity=Severity.LOW,
        remediation='Render the flag as "true" once the rollout reaches this stack.',
        enforcement_level=EnforcementLevel.ADVISORY,
        tags=[*_TAGS, "rollout"],
        config_schema=schema({"gradualRolloutFlags": {**STRING_LIST, "default": []}}),
    ),
]
