"""Cloud Functions (v1 and v2): the Cloud Run rules for another way to run code.

A function runs as a dedicated service account, never a default one (v1 falls back to the App
Engine default account, v2 to the default compute account, both Editors), and secret-looking
env vars come from Secret Manager (`secretEnvironmentVariables`), never from the plain
`environmentVariables` maps (runtime or build). Values are judged by their shape in
`credentials.py`.
"""

from __future__ import annotations

from typing import Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    CLOUD_FUNCTION_TYPES,
    CLOUD_FUNCTION_V1,
    CLOUD_FUNCTION_V2,
    FUNCTION_ENV_PATHS,
    Report,
    as_str,
    function_env_vars,
    get,
    is_unknown,
    label,
    looks_secret,
    resource_policy,
    unless_found,
)

SERVICE_ACCOUNT_PATH: Final = {
    CLOUD_FUNCTION_V1: "serviceAccountEmail",
    CLOUD_FUNCTION_V2: "serviceConfig.serviceAccountEmail",
}
DEFAULT_ACCOUNT_SUFFIXES: Final = (
    "-compute@developer.gserviceaccount.com",
    "@appspot.gserviceaccount.com",
)


def _check_service_account(args: ResourceValidationArgs, report: Report) -> None:
    path = SERVICE_ACCOUNT_PATH[args.resource_type]
    account = get(args.props, path)
    if is_unknown(account):
        args.not_applicable(f"{path} is unknown until the update runs")
    text = (as_str(account) or "").strip()
    if not text:
        report(
            f"{label(args)}: {path} must name a dedicated service account (absent means a "
            "default service account, which holds Editor)."
        )
    elif text.endswith(DEFAULT_ACCOUNT_SUFFIXES):
        report(f"{label(args)}: {path} must not be a default service account.")


def _check_secret_env(args: ResourceValidationArgs, report: Report) -> None:
    found = False
    for env in function_env_vars(args.resource_type, args.props):
        if looks_secret(env.name):
            found = True
            report(
                f"{label(args)}: {env.where} looks secret: it must come from "
                "secretEnvironmentVariables (Secret Manager), not a plain env var."
            )
    paths = FUNCTION_ENV_PATHS[args.resource_type]
    unknown = [path for path in paths if is_unknown(get(args.props, path))]
    unless_found(args, found, unknown)


POLICIES: Final = [
    resource_policy(
        name="gcp-cloudfunctions-function-dedicated-service-account",
        resource_types=CLOUD_FUNCTION_TYPES,
        check=_check_service_account,
    ),
    resource_policy(
        name="gcp-cloudfunctions-function-secret-env-from-secret-manager",
        resource_types=CLOUD_FUNCTION_TYPES,
        check=_check_secret_env,
    ),
]
