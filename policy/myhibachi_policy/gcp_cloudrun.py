"""Cloud Run services and jobs: a dedicated service account, secrets only as secret references."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy import ResourceValidationArgs, Severity

from .helpers import (
    MISSING,
    Report,
    as_str,
    cis,
    elements,
    get,
    is_unknown,
    label,
    looks_secret,
    resource_policy,
)

SERVICE_V2: Final = "gcp:cloudrunv2/service:Service"
JOB_V2: Final = "gcp:cloudrunv2/job:Job"
SERVICE_V1: Final = "gcp:cloudrun/service:Service"
CLOUD_RUN_TYPES: Final = (SERVICE_V2, JOB_V2, SERVICE_V1)

# Where each type keeps its revision template: the service account and the containers.
SERVICE_ACCOUNT_PATH: Final = {
    SERVICE_V2: "template.serviceAccount",
    JOB_V2: "template.template.serviceAccount",
    SERVICE_V1: "template.spec.serviceAccountName",
}
CONTAINERS_PATH: Final = {
    SERVICE_V2: "template.containers",
    JOB_V2: "template.template.containers",
    SERVICE_V1: "template.spec.containers",
}
# Where an env var keeps its secret reference.
SECRET_REF_PATH: Final = {
    SERVICE_V2: "valueSource.secretKeyRef",
    JOB_V2: "valueSource.secretKeyRef",
    SERVICE_V1: "valueFrom.secretKeyRef",
}
DEFAULT_COMPUTE_SUFFIX: Final = "-compute@developer.gserviceaccount.com"
_TAGS: Final = ("gcp", "cloudrun")


@dataclass(frozen=True)
class EnvVar:
    """One container env var: `where` is its property path; `value` may be UNKNOWN/MISSING."""

    name: str
    value: Any
    where: str
    env: Any


def env_vars(resource_type: str, props: Any) -> Iterator[EnvVar]:
    """The env vars of every container of a Cloud Run service or job (known names only)."""
    path = CONTAINERS_PATH.get(resource_type)
    if path is None:
        return
    for c_index, container in enumerate(elements(get(props, path))):
        for e_index, env in enumerate(elements(get(container, "envs"))):
            name = as_str(get(env, "name"))
            if name is not None:
                where = f"{path}[{c_index}].envs[{e_index}]"
                yield EnvVar(name, get(env, "value"), where, env)


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
