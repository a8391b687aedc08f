"""Cloud Run services and jobs: a dedicated service account, secrets only as secret references."""

from __future__ import annotations

from typing import Final

from pulumi_policy import ResourceValidationArgs, Severity

from .helpers import (
    CLOUD_RUN_JOB_V2,
    CLOUD_RUN_SERVICE_V1,
    CLOUD_RUN_SERVICE_V2,
    CLOUD_RUN_TYPES,
    MISSING,
    Report,
    as_str,
    cis,
    env_vars,
    get,
    is_unknown,
    label,
    looks_secret,
    resource_policy,
)

# Where each type keeps its revision template's service account.
SERVICE_ACCOUNT_PATH: Final = {
    CLOUD_RUN_SERVICE_V2: "template.serviceAccount",
    CLOUD_RUN_JOB_V2: "template.template.serviceAccount",
    CLOUD_RUN_SERVICE_V1: "template.spec.serviceAccountName",
}
# Where an env var keeps its secret reference.
SECRET_REF_PATH: Final = {
    CLOUD_RUN_SERVICE_V2: "valueSource.secretKeyRef",
    CLOUD_RUN_JOB_V2: "valueSource.secretKeyRef",
    CLOUD_RUN_SERVICE_V1: "valueFrom.secretKeyRef",
}
DEFAULT_COMPUTE_SUFFIX: Final = "-compute@developer.gserviceaccount.com"
_TAGS: Final = ("gcp", "cloudrun")


def _check_service_account(args: ResourceValidationArgs, report: Report) -> None:
    path = SERVICE_ACCOUNT_PATH[args.resource_type]
    account = get(args.props, path)
    if is_unknown(account):
        return
    text = as_str(account)
    if text is None or not text.strip():
        report(
            f"{label(args)}: {path} must name a dedicated service account "
            "(absent means the default compute service account)."
        )
    elif text.strip().endswith(DEFAULT_COMPUTE_SUFFIX):
        report(f"{label(args)}: {path} must not be the default compute service account.")


def _check_secret_env(args: ResourceValidationArgs, report: Report) -> None:
    ref_path = SECRET_REF_PATH[args.resource_type]
    for env in env_vars(args.resource_type, args.props):
        if not looks_secret(env.name):
            continue
        if env.value is not MISSING:
            report(
                f"{label(args)}: {env.where} ({env.name}) looks secret: it must come from "
                f"{ref_path} (Secret Manager), not a plain value."
            )
        elif get(env.env, ref_path) is MISSING:
            report(f"{label(args)}: {env.where} ({env.name}) looks secret: it must set {ref_path}.")


POLICIES: Final = [
    resource_policy(
        name="gcp-cloudrun-workload-dedicated-service-account",
        description="Cloud Run services and jobs run as a dedicated service account, never the "
        "default compute one (CIS GCP 4.1 applied to Cloud Run; seed item 2).",
        resource_types=CLOUD_RUN_TYPES,
        check=_check_service_account,
        severity=Severity.HIGH,
        remediation="Create a service account for the workload with only the roles it needs "
        "and set it as the revision template's service account.",
        tags=[*_TAGS, "iam"],
        framework=cis("4.1"),
    ),
    resource_policy(
        name="gcp-cloudrun-workload-secret-env-from-secret-manager",
        description="Cloud Run env vars whose names look secret (SECRET, PASSWORD, TOKEN, KEY, "
        "DSN, DATABASE_URL, REDIS_URL, PRIVATE, CREDENTIAL) are Secret Manager references, "
        "never plain values (CIS GCP 1.18; Security Health Analytics "
        "SECRETS_IN_ENVIRONMENT_VARIABLES).",
        resource_types=CLOUD_RUN_TYPES,
        check=_check_secret_env,
        severity=Severity.CRITICAL,
        remediation="Replace value with valueSource.secretKeyRef {secret, version} and grant the "
        "workload's service account secretAccessor on that secret.",
        tags=[*_TAGS, "secrets"],
        framework=cis("1.18"),
    ),
]
