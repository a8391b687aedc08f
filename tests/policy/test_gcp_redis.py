"""Memorystore policies: Redis instances, Redis Cluster and Valkey are judged by the same intents
in their own fields; the compliant resource passes and one change fails exactly its policy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import RunWithConfig, stack_document
from tests.policy import baselines as b
from tests.policy.one_change import DELETE, Case, changed, one_change_test
from tests.policy.support import UNKNOWN, names, program_violations, resource_outcome

AUTH = "gcp-redis-instance-auth-enabled"
TRANSIT = "gcp-redis-instance-transit-encryption"
HA = "gcp-redis-instance-standard-ha-tier"
PROTECTED = "gcp-stateful-resource-protected"
REDIS_CLUSTER = "gcp:redis/cluster:Cluster"
VALKEY = "gcp:memorystore/instance:Instance"

CASES: list[Case] = [
    ("authEnabled", DELETE, {AUTH}),
    ("transitEncryptionMode", DELETE, {TRANSIT}),
    ("tier", DELETE, {HA}),
    ("connectMode", DELETE, {"gcp-redis-instance-private-service-access"}),
    ("connectMode", "DIRECT_PEERING", {"gcp-redis-instance-private-service-access"}),
    ("deletionProtection", False, {PROTECTED}),
]


def redis_cluster() -> dict[str, Any]:
    return {
        "region": "us-central1",
        "shardCount": 1,
        "replicaCount": 1,
        "authorizationMode": "AUTH_MODE_IAM_AUTH",
        "transitEncryptionMode": "TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION",
        "pscConfigs": [{"network": "projects/p/global/networks/vpc"}],
        "labels": dict(b.LABELS),
    }


def valkey() -> dict[str, Any]:
    return {
        "instanceId": "cache",
        "location": "us-central1",
        "shardCount": 1,
        "replicaCount": 1,
        "authorizationMode": "IAM_AUTH",
        "transitEncryptionMode": "SERVER_AUTHENTICATION",
        "deletionProtectionEnabled": True,
        "labels": dict(b.LABELS),
    }


CLUSTER_CASES: list[Case] = [
    ("authorizationMode", DELETE, {AUTH}),
    ("authorizationMode", "AUTH_MODE_DISABLED", {AUTH}),
    ("transitEncryptionMode", DELETE, {TRANSIT}),
    ("replicaCount", DELETE, {HA}),
    ("deletionProtectionEnabled", False, {PROTECTED}),
    ("deletionProtectionEnabled", DELETE, set()),  # the API default protects a cluster
]
VALKEY_CASES: list[Case] = [
    ("authorizationMode", DELETE, {AUTH}),
    ("authorizationMode", "AUTH_DISABLED", {AUTH}),
    ("transitEncryptionMode", "TRANSIT_ENCRYPTION_DISABLED", {TRANSIT}),
    ("replicaCount", 0, {HA}),
    ("deletionProtectionEnabled", DELETE, {PROTECTED}),
]


test_baseline_passes_and_one_change_fails_exactly = one_change_test(
    (b.REDIS, b.redis, CASES),
    (REDIS_CLUSTER, redis_cluster, CLUSTER_CASES),
    (VALKEY, valkey, VALKEY_CASES),
)


def test_redis_on_staging_is_advisory_policy_set() -> None:
    # Same violations; the level differs per stack (checked through the analyzer).
    assert names(b.REDIS, changed(b.redis(), "tier", "BASIC"), stack="staging") == {HA}


@pytest.mark.parametrize(
    ("resource_type", "baseline"), [(REDIS_CLUSTER, redis_cluster), (VALKEY, valkey)]
)
def test_swapping_the_type_without_auth_or_tls_is_blocked(
    resource_type: str, baseline: Any
) -> None:
    bare = {
        k: v
        for k, v in baseline().items()
        if k not in ("authorizationMode", "transitEncryptionMode")
    }
    assert {AUTH, TRANSIT} <= names(resource_type, bare)


def test_an_unknown_mode_is_not_applicable() -> None:
    outcome = resource_outcome(VALKEY, changed(valkey(), "authorizationMode", UNKNOWN))
    assert outcome.violations == []
    assert outcome.skipped[AUTH] == "authorizationMode is unknown until the update runs"


@pytest.mark.parametrize("stack", ["staging", "production"])
def test_the_real_cache_passes_and_turning_protection_off_is_caught(
    run_with_config: RunWithConfig, stack: str
) -> None:
    document = stack_document(stack)
    document["config"]["myhibachi:protectStatefulResources"] = False
    found = program_violations(run_with_config(stack, document))
    redis = {p for p, n in found if n == "cache-redis"}
    assert AUTH not in redis and TRANSIT not in redis
    assert (PROTECTED in redis) is (stack == "production")
