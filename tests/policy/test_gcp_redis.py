"""Memorystore Redis policies: the compliant instance passes; changing one property fails it."""

from __future__ import annotations

from tests.policy import baselines as b
from tests.policy.support import DELETE, Case, changed, names, one_change_test

CASES: list[Case] = [
    ("authEnabled", DELETE, {"gcp-redis-instance-auth-enabled"}),
    ("transitEncryptionMode", DELETE, {"gcp-redis-instance-transit-encryption"}),
    ("tier", DELETE, {"gcp-redis-instance-standard-ha-tier"}),
    ("connectMode", DELETE, {"gcp-redis-instance-private-service-access"}),
    ("connectMode", "DIRECT_PEERING", {"gcp-redis-instance-private-service-access"}),
]


test_baseline_passes_and_one_change_fails_exactly = one_change_test((b.REDIS, b.redis, CASES))


def test_redis_on_staging_is_advisory_policy_set() -> None:
    # Same violations; the level differs per stack (checked through the analyzer).
    assert names(b.REDIS, changed(b.redis(), "tier", "BASIC"), stack="staging") == {
        "gcp-redis-instance-standard-ha-tier"
    }
