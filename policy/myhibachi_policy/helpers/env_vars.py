"""Env vars wherever workloads declare them: Cloud Run containers, Cloud Functions, Vercel.

Cloud Run (v2 services and jobs, v1 services) keeps env vars in each container of the revision
template. Cloud Functions keep them in maps: v1 `environmentVariables` and
`buildEnvironmentVariables`, v2 `serviceConfig.environmentVariables` and
`buildConfig.environmentVariables` (Secret Manager references live apart, in
`secretEnvironmentVariables`). Vercel (pulumiverse-vercel 5.x) offers five shapes:
`ProjectEnvironmentVariable` and `SharedEnvironmentVariable` (`key`, `value`, `sensitive`),
`ProjectEnvironmentVariables.variables[]`, the deprecated inline `Project.environments[]`, and a
`Deployment`'s own `environment` map (never sensitive).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from .credential_formats import WITHHELD, quotable
from .values import MISSING, as_str, elements, entries, get

CLOUD_RUN_SERVICE_V2: Final = "gcp:cloudrunv2/service:Service"
CLOUD_RUN_JOB_V2: Final = "gcp:cloudrunv2/job:Job"
CLOUD_RUN_SERVICE_V1: Final = "gcp:cloudrun/service:Service"
CLOUD_RUN_TYPES: Final = (CLOUD_RUN_SERVICE_V2, CLOUD_RUN_JOB_V2, CLOUD_RUN_SERVICE_V1)
# Where each Cloud Run type keeps its revision template's containers.
CONTAINERS_PATH: Final = {
    CLOUD_RUN_SERVICE_V2: "template.containers",
    CLOUD_RUN_JOB_V2: "template.template.containers",
    CLOUD_RUN_SERVICE_V1: "template.spec.containers",
}

VERCEL_PROJECT: Final = "vercel:index/project:Project"
VERCEL_ENV_VAR: Final = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable"
VERCEL_ENV_VARS: Final = "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables"
VERCEL_SHARED_ENV_VAR: Final = "vercel:index/sharedEnvironmentVariable:SharedEnvironmentVariable"
VERCEL_DEPLOYMENT: Final = "vercel:index/deployment:Deployment"
VERCEL_ENV_TYPES: Final = (
    VERCEL_ENV_VAR,
    VERCEL_ENV_VARS,
    VERCEL_SHARED_ENV_VAR,
    VERCEL_PROJECT,
    VERCEL_DEPLOYMENT,
)

CLOUD_FUNCTION_V1: Final = "gcp:cloudfunctions/function:Function"
CLOUD_FUNCTION_V2: Final = "gcp:cloudfunctionsv2/function:Function"
CLOUD_FUNCTION_TYPES: Final = (CLOUD_FUNCTION_V1, CLOUD_FUNCTION_V2)
# Where each Cloud Functions generation keeps its plain env var maps.
FUNCTION_ENV_PATHS: Final = {
    CLOUD_FUNCTION_V1: ("environmentVariables", "buildEnvironmentVariables"),
    CLOUD_FUNCTION_V2: ("serviceConfig.environmentVariables", "buildConfig.environmentVariables"),
}


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


def function_env_vars(resource_type: str, props: Any) -> Iterator[EnvVar]:
    """The plain env vars of a Cloud Function, v1 or v2 (runtime and build time)."""
    for path in FUNCTION_ENV_PATHS.get(resource_type, ()):
        for index, (name, value) in enumerate(entries(get(props, path)).items()):
            # A message names the entry; by position when its name may be a credential.
            where = f"{path}.{name}" if quotable(name) else f"{path} entry {index} {WITHHELD}"
            yield EnvVar(name, value, where, {"value": value})


@dataclass(frozen=True)
class VercelVar:
    """One env var: `where` is the property path prefix for messages ("" for a single var).

    `targets` and `custom_environments` are the deployment targets and custom environment IDs
    it reaches (MISSING for a deployment's own environment).
    """

    key: str
    value: Any
    sensitive: Any
    where: str
    targets: Any = MISSING
    custom_environments: Any = MISSING


def vercel_env_vars(resource_type: str, props: Any) -> Iterator[VercelVar]:
    """The env vars a Vercel resource declares (known keys only)."""
    if resource_type in (VERCEL_ENV_VAR, VERCEL_SHARED_ENV_VAR):
        items: list[tuple[Any, str]] = [(props, "")]
    elif resource_type == VERCEL_ENV_VARS:
        items = [(v, f"variables[{i}].") for i, v in enumerate(elements(get(props, "variables")))]
    elif resource_type == VERCEL_PROJECT:
        items = [
            (v, f"environments[{i}].") for i, v in enumerate(elements(get(props, "environments")))
        ]
    elif resource_type == VERCEL_DEPLOYMENT:
        for name, value in entries(get(props, "environment")).items():
            yield VercelVar(name, value, False, "environment.")
        return
    else:
        return
    for item, where in items:
        key = as_str(get(item, "key"))
        if key is not None:
            yield VercelVar(
                key,
                get(item, "value"),
                get(item, "sensitive"),
                where,
                get(item, "targets"),
                get(item, "customEnvironmentIds"),
            )
