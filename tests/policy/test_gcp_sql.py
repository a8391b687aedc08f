"""Cloud SQL policies: the compliant instance passes; changing one property fails exactly it."""

from __future__ import annotations

from tests.policy import baselines as b
from tests.policy.support import DELETE, Case, changed, names, one_change_test

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
    ("deletionProtection", False, {"gcp-sql-instance-deletion-protection-enabled"}),
    (
        "settings.deletionProtectionEnabled",
        DELETE,
        {"gcp-sql-instance-deletion-protection-enabled"},
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
    assert names(b.SQL, b.sql(), protect=False) == {"gcp-sql-instance-protected"}
