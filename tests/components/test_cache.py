"""Memorystore Redis: AUTH, TLS in transit, private service access, its URL as a secret."""

from __future__ import annotations

from components.cache import Cache
from preflight.capture import Capture
from preflight.values import is_secret, unwrapped
from settings.cache import CacheSettings
from tests.components.fixtures import NETWORK_ID, data_store_args, secret_id
from tests.components.inventory import Scenario, capture_fixture, inventory_test, run

REDIS = "gcp:redis/instance:Instance"


def _cache(settings: CacheSettings, protect: bool) -> None:
    Cache("cache", data_store_args(settings, protect, "backend-REDIS_URL"))


HA = CacheSettings(
    memory_size_gb=5, tier="STANDARD_HA", version="REDIS_7_0", rdb_snapshot_period="SIX_HOURS"
)
BASIC = CacheSettings(memory_size_gb=2, tier="BASIC", version="REDIS_7_0")
SCENARIOS = [
    Scenario("cache", "ha-with-snapshots", lambda: _cache(HA, protect=True)),
    Scenario("cache", "basic", lambda: _cache(BASIC, protect=False)),
]


test_matches_its_inventory = inventory_test(SCENARIOS)


ha = capture_fixture(SCENARIOS[0])


def test_auth_tls_and_private_service_access_whatever_the_tier(ha: Capture) -> None:
    for capture in (ha, run(SCENARIOS[1])):
        redis = unwrapped(capture.one(REDIS).inputs)
        assert redis["authEnabled"] is True
        assert redis["transitEncryptionMode"] == "SERVER_AUTHENTICATION"
        assert redis["connectMode"] == "PRIVATE_SERVICE_ACCESS"
        assert redis["authorizedNetwork"] == NETWORK_ID


def test_tier_size_and_snapshots_follow_the_settings(ha: Capture) -> None:
    redis = ha.one(REDIS)
    assert (redis.inputs["tier"], redis.inputs["memorySizeGb"]) == ("STANDARD_HA", 5)
    assert redis.inputs["persistenceConfig"] == {
        "persistenceMode": "RDB",
        "rdbSnapshotPeriod": "SIX_HOURS",
    }
    assert redis.protect is True
    basic = run(SCENARIOS[1]).one(REDIS)
    assert "persistenceConfig" not in basic.inputs
    assert basic.protect is False


def test_redis_url_is_rediss_with_auth_as_a_secret_version(ha: Capture) -> None:
    version = ha.one("gcp:secretmanager/secretVersion:SecretVersion")
    assert version.inputs["secret"] == secret_id("backend-REDIS_URL")
    assert is_secret(version.inputs["secretData"])
    # The mocks' host, port and AUTH string: TLS scheme, the AUTH string as the password.
    assert (
        unwrapped(version.inputs["secretData"])
        == "rediss://:mock-redis-auth-string@10.20.1.4:6378/0"
    )
