"""Cloud Run services and jobs: a dedicated service account, secrets only as secret references,
and a log level no more verbose than the stack's floor, and the invoker IAM check left on (turning
it off makes a service public without any grant, the same intent as `allUsers` written another
way).

`LOG_LEVEL` is read wherever `helpers.env_vars` finds workload env vars, as the API reads it
(Python's level names, any case; `WARN` and `FATAL` are Python's aliases): at least one
container sets it, and every value is at or above the policy config's `minLogLevel`. A value
from a secret or unknown during preview cannot be verified: the policy is then not applicable.
"""

from __future__ import annotations

from typing import Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    CLOUD_RUN_JOB_V2,
    CLOUD_RUN_SERVICE_V1,
    CLOUD_RUN_SERVICE_V2,
    CLOUD_RUN_TYPES,
    CONTAINERS_PATH,
    MISSING,
    STRING,
    Report,
    Undecided,
    as_bool,
    as_str,
    child,
    elements,
    env_vars,
    get,
    is_unknown,
    label,
    looks_secret,
    param_str,
    resource_policy,
    schema,
    shown_name,
    unknown,
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
LOG_LEVEL: Final = "LOG_LEVEL"
# Python's level names, most verbose first, and the aliases Python accepts for them.
LOG_LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_LEVEL_ALIASES: Final = {"WARN": "WARNING", "FATAL": "CRITICAL"}
# Where each service type turns the invoker IAM check off: a property, or an annotation key.
INVOKER_CHECK_OFF: Final = {
    CLOUD_RUN_SERVICE_V2: ("invokerIamDisabled", None),
    CLOUD_RUN_SERVICE_V1: ("metadata.annotations", "run.googleapis.com/invoker-iam-disabled"),
}


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
                f"{label(args)}: {env.where} ({shown_name(env.name)}) looks secret: it must come "
                f"from {ref_path} (Secret Manager), not a plain value."
            )
        elif get(env.env, ref_path) is MISSING:
            report(
                f"{label(args)}: {env.where} ({shown_name(env.name)}) looks secret: it must set "
                f"{ref_path}."
            )


def _level(text: str) -> int | None:
    """The rank of a log level name in `LOG_LEVELS` (None: not a level Python knows)."""
    name = text.strip().upper()
    name = LOG_LEVEL_ALIASES.get(name, name)
    return LOG_LEVELS.index(name) if name in LOG_LEVELS else None


def _check_log_level(args: ResourceValidationArgs, report: Report) -> None:
    floor = param_str(args.get_config(), "minLogLevel", "INFO") or "INFO"
    minimum = _level(floor)
    if minimum is None:
        args.not_applicable(f"minLogLevel is not one of {', '.join(LOG_LEVELS)}")
        return
    allowed = ", ".join(LOG_LEVELS[minimum:])
    undecided = Undecided()
    path = CONTAINERS_PATH.get(args.resource_type)
    if path is not None:
        containers = get(args.props, path)
        if is_unknown(containers):
            undecided.add(unknown(label(args), path))
        for index, container in enumerate(elements(containers)):
            if is_unknown(container) or is_unknown(get(container, "envs")):
                undecided.add(unknown(label(args), f"{path}[{index}].envs"))
    found = [env for env in env_vars(args.resource_type, args.props) if env.name == LOG_LEVEL]
    reported = False
    for env in found:
        if is_unknown(env.value):
            undecided.add(unknown(label(args), f"{env.where}.value"))
        elif env.value is MISSING:
            undecided.add(
                f"{label(args)}: {env.where} ({LOG_LEVEL}) comes from a secret or a reference"
            )
        else:
            rank = _level(as_str(env.value) or "")
            if rank is None or rank < minimum:
                reported = True
                report(f"{label(args)}: {env.where} ({LOG_LEVEL}) must be one of {allowed}.")
    if not reported:
        undecided.settle(args, f"the {LOG_LEVEL} floor")
    if not found:
        report(
            f"{label(args)}: a container must set {LOG_LEVEL} to one of {allowed} (absent leaves "
            "the application's default)."
        )


def _check_invoker_iam(args: ResourceValidationArgs, report: Report) -> None:
    path, key = INVOKER_CHECK_OFF[args.resource_type]
    value = get(args.props, path)
    if key is not None:
        value = child(value, key)
        path = f"{path}[{key}]"
    if is_unknown(value):
        args.not_applicable(f"{path} is unknown until the update runs")
    if as_bool(value, False) is not False:
        report(
            f"{label(args)}: {path} must not be true: it lets anyone invoke the service without "
            "an IAM grant; grant roles/run.invoker instead (a public one is an "
            "allowedPublicGrants entry of gcp-iam-member-allowed-principals)."
        )


POLICIES: Final = [
    resource_policy(
        name="gcp-cloudrun-workload-dedicated-service-account",
        resource_types=CLOUD_RUN_TYPES,
        check=_check_service_account,
    ),
    resource_policy(
        name="gcp-cloudrun-service-invoker-iam-checked",
        resource_types=tuple(INVOKER_CHECK_OFF),
        check=_check_invoker_iam,
    ),
    resource_policy(
        name="gcp-cloudrun-workload-secret-env-from-secret-manager",
        resource_types=CLOUD_RUN_TYPES,
        check=_check_secret_env,
    ),
    resource_policy(
        name="gcp-cloudrun-workload-log-level",
        resource_types=lambda resource_type: resource_type in CONTAINERS_PATH,
        check=_check_log_level,
        config_schema=schema({"minLogLevel": {**STRING, "default": "INFO"}}),
    ),
]
