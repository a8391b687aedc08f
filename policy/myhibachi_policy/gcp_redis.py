"""Memorystore, every flavour: AUTH, in-transit TLS, a replica, private service access.

Redis instances, Redis Cluster and Memorystore for Valkey express the same settings with their
own fields and values (`SETTINGS`); a policy judges the setting, so swapping the resource type
does not escape it. Absent fields mean the API default: AUTH and TLS off, no replica.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    MISSING,
    Report,
    ResourceCheck,
    as_bool,
    as_number,
    expect,
    get,
    is_unknown,
    label,
    resource_policy,
)

REDIS_INSTANCE: Final = "gcp:redis/instance:Instance"
REDIS_CLUSTER: Final = "gcp:redis/cluster:Cluster"
VALKEY_INSTANCE: Final = "gcp:memorystore/instance:Instance"
MEMORYSTORE_TYPES: Final = (REDIS_INSTANCE, REDIS_CLUSTER, VALKEY_INSTANCE)


@dataclass(frozen=True)
class Setting:
    """Where a type keeps a setting, what its absence means, and the values that comply."""

    path: str
    default: Any
    compliant: tuple[Any, ...]

    def describe(self) -> str:
        values = " or ".join(str(v).lower() if isinstance(v, bool) else v for v in self.compliant)
        default = str(self.default).lower() if isinstance(self.default, bool) else self.default
        return f"{self.path} must be {values} (absent means {default})"


SETTINGS: Final[Mapping[str, Mapping[str, Setting]]] = {
    "auth": {
        REDIS_INSTANCE: Setting("authEnabled", False, (True,)),
        REDIS_CLUSTER: Setting("authorizationMode", "AUTH_MODE_DISABLED", ("AUTH_MODE_IAM_AUTH",)),
        VALKEY_INSTANCE: Setting("authorizationMode", "AUTH_DISABLED", ("IAM_AUTH", "TOKEN_AUTH")),
    },
    "transit": {
        REDIS_INSTANCE: Setting("transitEncryptionMode", "DISABLED", ("SERVER_AUTHENTICATION",)),
        REDIS_CLUSTER: Setting(
            "transitEncryptionMode",
            "TRANSIT_ENCRYPTION_MODE_DISABLED",
            ("TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION",),
        ),
        VALKEY_INSTANCE: Setting(
            "transitEncryptionMode", "TRANSIT_ENCRYPTION_DISABLED", ("SERVER_AUTHENTICATION",)
        ),
    },
}


def _check_setting(name: str) -> ResourceCheck:
    def check(args: ResourceValidationArgs, report: Report) -> None:
        setting = SETTINGS[name][args.resource_type]
        raw = get(args.props, setting.path)
        if is_unknown(raw):
            args.not_applicable(f"{setting.path} is unknown until the update runs")
        value = setting.default if raw is MISSING else raw
        if isinstance(setting.default, bool):
            value = as_bool(value)
        if value not in setting.compliant:
            report(f"{label(args)}: {setting.describe()}.")

    return check


def _check_replica(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == REDIS_INSTANCE:
        expect(args, report, "tier", "STANDARD_HA", "absent means BASIC")
        return
    replicas = get(args.props, "replicaCount")
    if is_unknown(replicas):
        args.not_applicable("replicaCount is unknown until the update runs")
    count = as_number(replicas, 0)
    if count is None or count < 1:
        report(f"{label(args)}: replicaCount must be at least 1 (absent means 0).")


def _check_connect_mode(args: ResourceValidationArgs, report: Report) -> None:
    expect(args, report, "connectMode", "PRIVATE_SERVICE_ACCESS", "absent means DIRECT_PEERING")


POLICIES: Final = [
    resource_policy(
        name="gcp-redis-instance-auth-enabled",
        resource_types=MEMORYSTORE_TYPES,
        check=_check_setting("auth"),
    ),
    resource_policy(
        name="gcp-redis-instance-transit-encryption",
        resource_types=MEMORYSTORE_TYPES,
        check=_check_setting("transit"),
    ),
    resource_policy(
        name="gcp-redis-instance-standard-ha-tier",
        resource_types=MEMORYSTORE_TYPES,
        check=_check_replica,
    ),
    resource_policy(
        name="gcp-redis-instance-private-service-access",
        resource_types=[REDIS_INSTANCE],
        check=_check_connect_mode,
    ),
]
