"""Cloud SQL policies: the compliant instance passes; changing one property fails exactly it."""

from __future__ import annotations

from typing import Any

from tests.policy import baselines as b
from tests.policy.support import (
    DELETE,
    UNKNOWN,
    Case,
    changed,
    names,
    one_change_test,
    resource_outcome,
)

PROTECTED = "gcp-stateful-resource-protected"
PITR = "gcp-sql-instance-point-in-time-recovery-enabled"
ENGINE_FLAGS = "gcp-sql-instance-engine-hardening-flags"

CASES: list[Case] = [
    ("settings.backupConfiguration.enabled", False, {"gcp-sql-instance-backups-enabled"}),
    ("settings.backupConfiguration.enabled", DELETE, {"gcp-sql-instance-backups-enabled"}),
    (
        "settings.backupConfiguration.pointInTimeRecoveryEnabled",
        DELETE,
        {"gcp-sql-instance-point-in-time-recovery-enabled"},
    ),
    (
        "settings.backupConfiguration.backupRetentionSettings.retainedBackups",
        7,
        {"gcp-sql-instance-backup-retention"},
    ),
    (
        "settings.backupConfiguration.backupRetentionSettings",
        DELETE,
        {"gcp-sql-instance-backup-retention"},
    ),
    ("settings.ipConfiguration.ipv4Enabled", DELETE, {"gcp-sql-instance-no-public-ip"}),
    ("settings.ipConfiguration.ipv4Enabled", True, {"gcp-sql-instance-no-public-ip"}),
    (
        "settings.ipConfiguration.authorizedNetworks",
        [{"name": "any", "value": "0.0.0.0/0"}],
        {"gcp-sql-instance-no-open-authorized-network"},
    ),
    ("settings.ipConfiguration.sslMode", DELETE, {"gcp-sql-instance-tls-required"}),
    (
        "settings.ipConfiguration.sslMode",
        "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
        {"gcp-sql-instance-tls-required"},
    ),
    ("deletionProtection", False, {"gcp-sql-instance-deletion-protection-enabled", PROTECTED}),
    (
        "settings.deletionProtectionEnabled",
        DELETE,
        {"gcp-sql-instance-deletion-protection-enabled", PROTECTED},
    ),
    ("settings.availabilityType", DELETE, {"gcp-sql-instance-regional-availability"}),
    (
        "settings.databaseFlags.0",
        {"name": "log_connections", "value": "off"},
        {"gcp-sql-instance-postgres-audit-flags"},
    ),
    ("settings.databaseFlags", DELETE, {"gcp-sql-instance-postgres-audit-flags"}),
    (
        "settings.databaseFlags.7",
        {"name": "log_min_duration_statement", "value": "0"},
        {"gcp-sql-instance-postgres-audit-flags", "gcp-sql-instance-no-statement-duration-logging"},
    ),
    # Compliant variants.
    (
        "settings.ipConfiguration.authorizedNetworks",
        [{"name": "office", "value": "203.0.113.0/24"}],
        set(),
    ),
    ("settings.ipConfiguration.sslMode", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED", set()),
]


test_baseline_passes_and_one_change_fails_exactly = one_change_test((b.SQL, b.sql, CASES))


def test_statement_duration_logging_switched_off_passes() -> None:
    flags = [*b.AUDIT_FLAGS, {"name": "log_min_duration_statement", "value": "-1"}]
    assert names(b.SQL, changed(b.sql(), "settings.databaseFlags", flags)) == set()


def test_protect_option_required() -> None:
    assert names(b.SQL, b.sql(), protect=False) == {"gcp-sql-instance-protected", PROTECTED}


# --- MySQL and SQL Server: the same instance type, their own recovery setting and flags -----------


def mysql() -> dict[str, Any]:
    props = changed(b.sql(), "databaseVersion", "MYSQL_8_0")
    backups = props["settings"]["backupConfiguration"]
    del backups["pointInTimeRecoveryEnabled"]
    backups["binaryLogEnabled"] = True
    props["settings"]["databaseFlags"] = [
        {"name": "local_infile", "value": "off"},
        {"name": "skip_show_database", "value": "on"},
    ]
    return props


def sqlserver() -> dict[str, Any]:
    props = changed(b.sql(), "databaseVersion", "SQLSERVER_2022_STANDARD")
    props["settings"]["databaseFlags"] = [
        {"name": "3625", "value": "on"},
        {"name": "contained database authentication", "value": "off"},
        {"name": "cross db ownership chaining", "value": "off"},
        {"name": "external scripts enabled", "value": "off"},
        {"name": "remote access", "value": "off"},
    ]
    return props


MYSQL_CASES: list[Case] = [
    ("settings.backupConfiguration.binaryLogEnabled", DELETE, {PITR}),
    ("settings.backupConfiguration.binaryLogEnabled", False, {PITR}),
    ("settings.databaseFlags.0", {"name": "local_infile", "value": "ON"}, {ENGINE_FLAGS}),
    ("settings.databaseFlags", DELETE, {ENGINE_FLAGS}),
    ("settings.ipConfiguration.ipv4Enabled", True, {"gcp-sql-instance-no-public-ip"}),
    ("deletionProtection", False, {"gcp-sql-instance-deletion-protection-enabled", PROTECTED}),
]
SQLSERVER_CASES: list[Case] = [
    ("settings.backupConfiguration.pointInTimeRecoveryEnabled", DELETE, {PITR}),
    ("settings.databaseFlags.4", {"name": "remote access", "value": "on"}, {ENGINE_FLAGS}),
    ("settings.databaseFlags", DELETE, {ENGINE_FLAGS}),
    ("settings.ipConfiguration.sslMode", DELETE, {"gcp-sql-instance-tls-required"}),
]

test_other_engines_are_judged_by_their_own_settings = one_change_test(
    ("gcp:sql/databaseInstance:DatabaseInstance", mysql, MYSQL_CASES),
    ("gcp:sql/databaseInstance:DatabaseInstance", sqlserver, SQLSERVER_CASES),
)


def test_engine_flags_with_an_unknown_version_are_not_applicable() -> None:
    outcome = resource_outcome(b.SQL, changed(mysql(), "databaseVersion", UNKNOWN))
    assert outcome.violations == []
    assert outcome.skipped[ENGINE_FLAGS] == "databaseVersion is unknown until the update runs"
    assert outcome.skipped[PITR] == (
        "databaseVersion is unknown, so is which recovery setting applies"
    )


def test_no_recovery_setting_fails_whatever_the_engine() -> None:
    props = changed(sqlserver(), "databaseVersion", UNKNOWN)
    del props["settings"]["backupConfiguration"]["pointInTimeRecoveryEnabled"]
    assert PITR in names(b.SQL, props)
