"""Memorystore Redis: AUTH, TLS in transit, private service access, HA and RDB in production."""

from __future__ import annotations

from preflight.capture import Capture
from preflight.values import is_secret, unwrapped

REDIS = "gcp:redis/instance:Instance"


def test_auth_tls_and_private_service_access(any_stack: Capture) -> None:
    redis = unwrapped(any_stack.one(REDIS).inputs)
    assert redis["authEnabled"] is True
    assert redis["transitEncryptionMode"] == "SERVER_AUTHENTICATION"
    assert redis["connectMode"] == "PRIVATE_SERVICE_ACCESS"
    assert redis["authorizedNetwork"] == any_stack.one("gcp:compute/network:Network").id


def test_production_is_highly_available_with_hourly_snapshots(production: Capture) -> None:
    redis = production.one(REDIS)
    assert redis.inputs["tier"] == "STANDARD_HA"
    assert redis.inputs["persistenceConfig"] == {
        "persistenceMode": "RDB",
        "rdbSnapshotPeriod": "ONE_HOUR",
    }
    assert redis.protect is True


def test_staging_is_basic_and_destroyable(staging: Capture) -> None:
    redis = staging.one(REDIS)
    assert redis.inputs["tier"] == "BASIC"
    assert "persistenceConfig" not in redis.inputs
    assert redis.protect is False


def test_redis_url_is_rediss_with_auth_as_a_secret_version(any_stack: Capture) -> None:
    version = any_stack.one("gcp:secretmanager/secretVersion:SecretVersion", "cache-url-version")
    assert is_secret(version.inputs["secretData"])
    assert (
        unwrapped(version.inputs["secretData"])
        == "rediss://:mock-redis-auth-string@10.20.1.4:6378/0"
    )
    assert version.inputs["secret"].endswith("-backend-REDIS_URL")
