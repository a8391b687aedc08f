"""Cloud SQL: private, TLS-only, backed up with PITR, protected, CIS audit flags, its URL secret."""

from __future__ import annotations

from typing import Any

from pulumi_gcp import servicenetworking

from components.database import Database
from policy.myhibachi_policy.gcp_sql import AUDIT_FLAGS
from preflight.capture import Capture
from preflight.values import is_secret, unwrapped
from settings.database import DatabaseSettings, MaintenanceWindow
from tests.components.fixtures import NETWORK_ID, data_store_args, secret_id
from tests.components.inventory import Scenario, capture_fixture, inventory_test

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"
SETTINGS = DatabaseSettings(
    availability="REGIONAL",
    backup_start_time="03:30",
    disk_size_gb=64,
    maintenance_window=MaintenanceWindow(day=3, hour=4),
    name="fixture_db",
    retained_backups=45,
    tier="db-custom-4-16384",
    transaction_log_retention_days=5,
    user="fixture_user",
    version="POSTGRES_15",
)


def _database(settings: DatabaseSettings, protect: bool) -> None:
    # A stand-in for the network's private service access, which the instance must wait for.
    connection = servicenetworking.Connection(
        "psa",
        network=NETWORK_ID,
        service="servicenetworking.googleapis.com",
        reserved_peering_ranges=["fixture-range"],
    )
    Database(
        "database",
        data_store_args(settings, protect, "backend-DATABASE_URL", depends_on=[connection]),
    )


SCENARIOS = [
    Scenario("database", "protected", lambda: _database(SETTINGS, protect=True)),
    Scenario(
        "database",
        "zonal-with-slow-statement-log",
        lambda: _database(
            DatabaseSettings(
                **{**vars(SETTINGS), "availability": "ZONAL", "slow_statement_log_ms": 750}
            ),
            protect=False,
        ),
    ),
]


test_matches_its_inventory = inventory_test(SCENARIOS)


protected = capture_fixture(SCENARIOS[0])
zonal = capture_fixture(SCENARIOS[1])


def _settings(capture: Capture) -> dict[str, Any]:
    settings: dict[str, Any] = unwrapped(capture.one(INSTANCE).inputs)["settings"]
    return settings


def test_private_ip_only_with_tls_required(protected: Capture) -> None:
    ip = _settings(protected)["ipConfiguration"]
    assert ip == {
        "ipv4Enabled": False,
        "privateNetwork": NETWORK_ID,
        "sslMode": "ENCRYPTED_ONLY",
    }


def test_backups_and_point_in_time_recovery_follow_the_settings(protected: Capture) -> None:
    backups = _settings(protected)["backupConfiguration"]
    assert backups["enabled"] is True
    assert backups["pointInTimeRecoveryEnabled"] is True
    assert backups["startTime"] == SETTINGS.backup_start_time
    assert backups["transactionLogRetentionDays"] == SETTINGS.transaction_log_retention_days
    assert backups["backupRetentionSettings"] == {
        "retainedBackups": SETTINGS.retained_backups,
        "retentionUnit": "COUNT",
    }


def test_deletion_protection_on_both_sides_whatever_the_stack(
    protected: Capture, zonal: Capture
) -> None:
    for capture in (protected, zonal):
        assert capture.one(INSTANCE).inputs["deletionProtection"] is True
        assert _settings(capture)["deletionProtectionEnabled"] is True


def test_protect_option_follows_the_args(protected: Capture, zonal: Capture) -> None:
    assert protected.one(INSTANCE).protect is True
    assert zonal.one(INSTANCE).protect is False


def test_availability_tier_window_and_version_pass_through(protected: Capture) -> None:
    instance = unwrapped(protected.one(INSTANCE).inputs)
    assert instance["databaseVersion"] == SETTINGS.version
    settings = instance["settings"]
    assert settings["availabilityType"] == "REGIONAL"
    assert settings["tier"] == SETTINGS.tier
    assert settings["maintenanceWindow"] == {"day": 3, "hour": 4, "updateTrack": "stable"}
    assert settings["insightsConfig"]["queryInsightsEnabled"] is True


def _flags(capture: Capture) -> dict[str, str]:
    return {f["name"]: f["value"] for f in _settings(capture)["databaseFlags"]}


def test_cis_audit_flags_and_statement_logging_only_on_request(
    protected: Capture, zonal: Capture
) -> None:
    # Exactly what the pack's CIS 6.2 audit-flag rule asks, plus DDL statement logging,
    # pgaudit's role and DDL classes and the default error verbosity; nothing else unasked.
    assert _flags(protected) == {
        **AUDIT_FLAGS,
        "log_error_verbosity": "default",
        "log_statement": "ddl",
        "pgaudit.log": "role,ddl",
    }
    assert _flags(zonal)["log_min_duration_statement"] == "750"


def test_a_grown_disk_is_never_shrunk_back_to_its_first_size(protected: Capture) -> None:
    # Autoresize grows the disk; without this, the next `up` would try to shrink it and fail.
    instance = protected.one(INSTANCE)
    assert _settings(protected)["diskAutoresize"] is True
    assert instance.ignore_changes == ("settings.diskSize",)


def test_instance_waits_for_private_service_access(protected: Capture) -> None:
    connection = protected.one("gcp:servicenetworking/connection:Connection")
    assert connection.urn in protected.one(INSTANCE).dependencies


def test_application_database_and_generated_user_password(protected: Capture) -> None:
    assert unwrapped(protected.one("gcp:sql/database:Database").inputs)["name"] == "fixture_db"
    user = protected.one("gcp:sql/user:User")
    assert unwrapped(user.inputs)["name"] == "fixture_user"
    assert is_secret(user.inputs["password"])
    password = protected.one("random:index/randomPassword:RandomPassword")
    assert unwrapped(password.inputs)["length"] >= 32


def test_database_url_is_a_secret_version_of_its_secret(protected: Capture) -> None:
    version = protected.one("gcp:secretmanager/secretVersion:SecretVersion")
    assert version.inputs["secret"] == secret_id("backend-DATABASE_URL")
    assert is_secret(version.inputs["secretData"])
    url = unwrapped(version.inputs["secretData"])
    assert url.startswith("postgresql://fixture_user:")
    # The instance's private address (a mock value) and TLS required by the client too.
    assert url.endswith("@10.20.0.3:5432/fixture_db?sslmode=require")
