"""Cloud SQL: private, TLS-only, backed up (30 retained, PITR), protected, CIS audit flags."""

from __future__ import annotations

from typing import Any

import pytest

from preflight.capture import Capture, CapturedResource
from preflight.values import is_secret, unwrapped
from tests.conftest import captured

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"


def instance_settings(capture: Capture) -> dict[str, Any]:
    settings: dict[str, Any] = unwrapped(capture.one(INSTANCE).inputs)["settings"]
    return settings


def test_private_ip_only_with_tls_required(any_stack: Capture) -> None:
    ip = instance_settings(any_stack)["ipConfiguration"]
    network = any_stack.one("gcp:compute/network:Network")
    assert ip["ipv4Enabled"] is False
    assert ip["privateNetwork"] == network.id
    assert ip["sslMode"] == "ENCRYPTED_ONLY"
    assert "authorizedNetworks" not in ip


def test_daily_backups_keep_30_with_point_in_time_recovery(any_stack: Capture) -> None:
    backups = instance_settings(any_stack)["backupConfiguration"]
    assert backups["enabled"] is True
    assert backups["pointInTimeRecoveryEnabled"] is True
    assert backups["transactionLogRetentionDays"] == 7
    assert backups["backupRetentionSettings"] == {"retainedBackups": 30, "retentionUnit": "COUNT"}


def test_deletion_protection_on_both_sides(any_stack: Capture) -> None:
    instance = any_stack.one(INSTANCE)
    assert instance.inputs["deletionProtection"] is True
    assert instance_settings(any_stack)["deletionProtectionEnabled"] is True


def test_current_postgres_with_insights_and_a_maintenance_window(any_stack: Capture) -> None:
    instance = unwrapped(any_stack.one(INSTANCE).inputs)
    assert instance["databaseVersion"] == "POSTGRES_16"
    settings = instance["settings"]
    assert settings["insightsConfig"]["queryInsightsEnabled"] is True
    assert settings["maintenanceWindow"] == {"day": 7, "hour": 9, "updateTrack": "stable"}


def test_cis_audit_flags_and_no_statement_duration_logging(any_stack: Capture) -> None:
    flags = {f["name"]: f["value"] for f in instance_settings(any_stack)["databaseFlags"]}
    assert flags == {
        "cloudsql.enable_pgaudit": "on",
        "log_checkpoints": "on",
        "log_connections": "on",
        "log_disconnections": "on",
        "log_lock_waits": "on",
        "log_min_error_statement": "error",
        "log_min_messages": "warning",
        "log_temp_files": "0",
    }


def test_production_is_regional_and_protected(production: Capture) -> None:
    assert instance_settings(production)["availabilityType"] == "REGIONAL"
    assert production.one(INSTANCE).protect is True


def test_staging_is_zonal_and_destroyable(staging: Capture) -> None:
    assert instance_settings(staging)["availabilityType"] == "ZONAL"
    assert staging.one(INSTANCE).protect is False


def test_instance_waits_for_private_service_access(any_stack: Capture) -> None:
    connection = any_stack.one("gcp:servicenetworking/connection:Connection")
    assert connection.urn in any_stack.one(INSTANCE).dependencies


def test_application_database_and_user(any_stack: Capture) -> None:
    database = unwrapped(any_stack.one("gcp:sql/database:Database").inputs)
    user = any_stack.one("gcp:sql/user:User")
    assert database["name"] == "myhibachi"
    assert unwrapped(user.inputs)["name"] == "myhibachi_app"
    assert is_secret(user.inputs["password"])
    password = any_stack.one("random:index/randomPassword:RandomPassword")
    assert unwrapped(password.inputs)["length"] >= 32


@pytest.mark.parametrize(("stack", "prefix"), [("staging", "staging"), ("production", "prod")])
def test_database_url_is_a_secret_version_of_its_secret(stack: str, prefix: str) -> None:
    capture = captured(stack)
    version: CapturedResource = capture.one(
        "gcp:secretmanager/secretVersion:SecretVersion", "database-url-version"
    )
    assert is_secret(version.inputs["secretData"])
    url = unwrapped(version.inputs["secretData"])
    assert url.startswith("postgresql://myhibachi_app:")
    assert url.endswith("@10.20.0.3:5432/myhibachi?sslmode=require")
    assert version.inputs["secret"].endswith(f"/secrets/{prefix}-backend-DATABASE_URL")
