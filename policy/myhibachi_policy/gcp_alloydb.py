"""AlloyDB, the other managed PostgreSQL: the same intents as Cloud SQL in AlloyDB's own fields.

No public IP and no open authorized network, TLS only (instances); automated backups kept at least
`minRetentionDays` and continuous backup for point-in-time recovery (clusters). Absent fields mean
the API default: automated backups off, continuous backup on, TLS required, no public IP.
"""

from __future__ import annotations

from typing import Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    MISSING,
    SECONDS_PER_DAY,
    Report,
    admits_everyone,
    as_bool,
    as_number,
    as_str,
    duration_seconds,
    elements,
    fmt_number,
    get,
    is_unknown,
    label,
    min_retention_days,
    min_retention_days_schema,
    resource_policy,
    schema,
    unless_found,
)

ALLOYDB_CLUSTER: Final = "gcp:alloydb/cluster:Cluster"
ALLOYDB_INSTANCE: Final = "gcp:alloydb/instance:Instance"


def _check_public_access(args: ResourceValidationArgs, report: Report) -> None:
    found = False
    public = get(args.props, "networkConfig.enablePublicIp")
    if as_bool(public, False) is True:
        found = True
        report(f"{label(args)}: networkConfig.enablePublicIp must not be true (no public IP).")
    networks = get(args.props, "networkConfig.authorizedExternalNetworks")
    for index, network in enumerate(elements(networks)):
        cidr = as_str(get(network, "cidrRange"))
        if admits_everyone(cidr):
            found = True
            report(
                f"{label(args)}: networkConfig.authorizedExternalNetworks[{index}].cidrRange "
                "must not allow the whole internet (0.0.0.0/0)."
            )
    if not found and (is_unknown(public) or is_unknown(networks)):
        args.not_applicable("networkConfig is unknown until the update runs")


def _check_tls(args: ResourceValidationArgs, report: Report) -> None:
    path = "clientConnectionConfig.sslConfig.sslMode"
    mode = get(args.props, path)
    if is_unknown(mode):
        args.not_applicable(f"{path} is unknown until the update runs")
    text = as_str(mode, "ENCRYPTED_ONLY")
    if text != "ENCRYPTED_ONLY":
        report(f"{label(args)}: {path} must be ENCRYPTED_ONLY (absent means ENCRYPTED_ONLY).")


def _retention_days(policy: object) -> float | None:
    """Days of automated backups kept: from a time- or quantity-based retention, else 14."""
    period = as_str(get(policy, "timeBasedRetention.retentionPeriod"))
    if period is not None:
        seconds = duration_seconds(period)
        return seconds / SECONDS_PER_DAY if seconds is not None else None
    count = get(policy, "quantityBasedRetention.count")
    if count is not MISSING:
        return as_number(count)  # one automated backup a day
    return 14.0


def _check_backups(args: ResourceValidationArgs, report: Report) -> None:
    minimum = min_retention_days(args.get_config(), 30)
    found, unknown = False, []
    policy = get(args.props, "automatedBackupPolicy")
    enabled = get(policy, "enabled")
    if is_unknown(enabled):
        unknown.append("automatedBackupPolicy")
    elif as_bool(enabled, False) is not True:
        found = True
        report(
            f"{label(args)}: automatedBackupPolicy.enabled must be true (absent means automated "
            "backups are off)."
        )
    elif any(
        is_unknown(get(policy, path))
        for path in ("timeBasedRetention.retentionPeriod", "quantityBasedRetention.count")
    ):
        unknown.append("automatedBackupPolicy retention")
    else:
        days = _retention_days(policy)
        if days is None or days < minimum:
            found = True
            report(
                f"{label(args)}: automatedBackupPolicy must keep backups at least "
                f"{fmt_number(minimum)} days (absent retention means 14)."
            )
    continuous = get(args.props, "continuousBackupConfig.enabled")
    if is_unknown(continuous):
        unknown.append("continuousBackupConfig")
    elif as_bool(continuous, True) is False:
        found = True
        report(
            f"{label(args)}: continuousBackupConfig.enabled must not be false "
            "(point-in-time recovery)."
        )
    unless_found(args, found, unknown)


POLICIES: Final = [
    resource_policy(
        name="gcp-alloydb-instance-no-public-access",
        resource_types=[ALLOYDB_INSTANCE],
        check=_check_public_access,
    ),
    resource_policy(
        name="gcp-alloydb-instance-tls-required",
        resource_types=[ALLOYDB_INSTANCE],
        check=_check_tls,
    ),
    resource_policy(
        name="gcp-alloydb-cluster-backups-enabled",
        resource_types=[ALLOYDB_CLUSTER],
        check=_check_backups,
        config_schema=schema(min_retention_days_schema(30)),
    ),
]
