"""Secret Manager: per-stack naming, rotation, and no public principals on secrets.

A secret's ID starts with the stack's own prefix, `myhibachi:env` in the stack config. Global
and regional secrets are judged alike: a `RegionalSecret` has the same `secretId`, `rotation` and
`topics`.
"""

from __future__ import annotations

import re
from typing import Final

from pulumi_policy import ResourceValidationArgs

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
        resource_types=SECRET_TYPES,
        check=_check_naming,
        config_schema=schema({"scopes": {**STRING_LIST, "default": list(DEFAULT_SCOPES)}}),
    ),
    resource_policy(
        name="gcp-secretmanager-secret-rotation",
        resource_types=SECRET_TYPES,
        check=_check_rotation,
        config_schema=schema({"maxRotationDays": {"type": "integer", "minimum": 1, "default": 90}}),
    ),
    no_public_principals_policy(
        name="gcp-secretmanager-iam-no-public-principals",
        iam_types=SECRET_IAM_TYPES,
    ),
]
