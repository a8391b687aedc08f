"""Secret Manager: per-stack naming, rotation, and no public principals on secrets.

A secret's ID starts with the stack's own prefix, `myhibachi:env` in the stack config. Global
and regional secrets are judged alike: a `RegionalSecret` has the same `secretId`, `rotation` and
`topics`.
"""

from __future__ import annotations

import re
from typing import Final

from pulumi_policy import ResourceValidationArgs, Severity

from .helpers import (
    SECONDS_PER_DAY,
    STRING_LIST,
    Report,
    as_str,
    duration_seconds,
    elements,
    fmt_number,
    get,
    is_unknown,
    label,
    no_public_principals_policy,
    param_number,
    param_strs,
    resource_policy,
    schema,
    stack_setting,
)

SECRET: Final = "gcp:secretmanager/secret:Secret"
REGIONAL_SECRET: Final = "gcp:secretmanager/regionalSecret:RegionalSecret"
SECRET_TYPES: Final = (SECRET, REGIONAL_SECRET)
SECRET_IAM_TYPES: Final = (
    "gcp:secretmanager/secretIamMember:SecretIamMember",
    "gcp:secretmanager/secretIamBinding:SecretIamBinding",
    "gcp:secretmanager/secretIamPolicy:SecretIamPolicy",
    "gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember",
    "gcp:secretmanager/regionalSecretIamBinding:RegionalSecretIamBinding",
    "gcp:secretmanager/regionalSecretIamPolicy:RegionalSecretIamPolicy",
)
DEFAULT_SCOPES: Final = ("global", "backend", "frontend-web", "frontend-admin")
_TAGS: Final = ("gcp", "secretmanager")


def _check_naming(args: ResourceValidationArgs, report: Report) -> None:
    prefix = stack_setting(args, "env")
    scopes = param_strs(args.get_config(), "scopes", DEFAULT_SCOPES)
    secret_id = get(args.props, "secretId")
    if is_unknown(secret_id):
        return
    pattern = re.compile(
        rf"^{re.escape(prefix)}-(?:{'|'.join(re.escape(scope) for scope in scopes)})"
        r"-[A-Z][A-Z0-9_]*$"
    )
    text = as_str(secret_id)
    if text is None or not pattern.match(text):
        report(
            f"{label(args)}: secretId must be {prefix}-<scope>-<NAME> with <scope> one of "
            f"{', '.join(scopes)} and <NAME> in [A-Z][A-Z0-9_]* (this stack's prefix is "
            f"{prefix})."
        )


def _check_rotation(args: ResourceValidationArgs, report: Report) -> None:
    max_days = param_number(args.get_config(), "maxRotationDays", 90) or 90
    period = get(args.props, "rotation.rotationPeriod")
    if is_unknown(period):
        return
    seconds = duration_seconds(as_str(period))
    if seconds is None:
        report(
            f'{label(args)}: rotation.rotationPeriod must be set, as seconds like "7776000s", '
            f"to at most {fmt_number(max_days)} days."
        )
    elif seconds > max_days * SECONDS_PER_DAY:
        report(
            f"{label(args)}: rotation.rotationPeriod must be at most {fmt_number(max_days)} days."
        )
    topics = get(args.props, "topics")
    if not is_unknown(topics) and not elements(topics):
        report(f"{label(args)}: topics must name a Pub/Sub topic for rotation notices.")


POLICIES: Final = [
    resource_policy(
        name="gcp-secretmanager-secret-naming",
        description="Secret Manager secret IDs (global and regional) follow "
        "{prefix}-{scope}-{NAME} with this stack's prefix (stack config myhibachi:env), so one "
        "stack can never touch another stack's secrets (seed items 1, 3).",
        resource_types=SECRET_TYPES,
        check=_check_naming,
        severity=Severity.HIGH,
        remediation="Name the secret <env>-<scope>-<NAME>, for example "
        "prod-global-STRIPE_SECRET_KEY, with the prefix of the stack being deployed.",
        tags=[*_TAGS, "naming"],
        config_schema=schema({"scopes": {**STRING_LIST, "default": list(DEFAULT_SCOPES)}}),
    ),
    resource_policy(
        name="gcp-secretmanager-secret-rotation",
        description="Secret Manager secrets (global and regional) have a rotation schedule of "
        "at most maxRotationDays (default 90) and a Pub/Sub topic for rotation notices (seed "
        "item 18; no CIS or Checkov ID covers Secret Manager rotation).",
        resource_types=SECRET_TYPES,
        check=_check_rotation,
        severity=Severity.MEDIUM,
        remediation='Set rotation.rotationPeriod (for example "7776000s" for 90 days) with '
        "rotation.nextRotationTime, and topics = [the rotation topic].",
        tags=[*_TAGS, "rotation"],
        config_schema=schema({"maxRotationDays": {"type": "integer", "minimum": 1, "default": 90}}),
    ),
    no_public_principals_policy(
        name="gcp-secretmanager-iam-no-public-principals",
        description="No IAM member, binding or policy on a secret grants allUsers or "
        "allAuthenticatedUsers (CIS GCP 5.1 applied to Secret Manager).",
        iam_types=SECRET_IAM_TYPES,
        remediation="Grant the secret accessor role to the one service account that needs it.",
        tags=_TAGS,
    ),
]
