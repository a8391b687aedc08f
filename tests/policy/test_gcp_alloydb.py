"""AlloyDB policies: Cloud SQL's intents in AlloyDB's own fields, so swapping the database type
does not escape them."""

from __future__ import annotations

from typing import Any

from tests.policy import baselines as b
from tests.policy.one_change import DELETE, Case, changed, one_change_test
from tests.policy.support import UNKNOWN, names, resource_outcome

CLUSTER = "gcp:alloydb/cluster:Cluster"
INSTANCE = "gcp:alloydb/instance:Instance"
PUBLIC = "gcp-alloydb-instance-no-public-access"
TLS = "gcp-alloydb-instance-tls-required"
BACKUPS = "gcp-alloydb-cluster-backups-enabled"
PROTECTED = "gcp-stateful-resource-protected"


def cluster() -> dict[str, Any]:
    return {
        "clusterId": "db",
        "location": "us-central1",
        "networkConfig": {"network": "projects/p/global/networks/vpc"},
        "automatedBackupPolicy": {
            "enabled": True,
            "timeBasedRetention": {"retentionPeriod": "2592000s"},
        },
        "continuousBackupConfig": {"enabled": True, "recoveryWindowDays": 7},
        "deletionProtection": True,
        "labels": dict(b.LABELS),
    }


def instance() -> dict[str, Any]:
    return {
        "cluster": "projects/p/locations/us-central1/clusters/db",
        "instanceId": "primary",
        "instanceType": "PRIMARY",
        "clientConnectionConfig": {"sslConfig": {"sslMode": "ENCRYPTED_ONLY"}},
        "labels": dict(b.LABELS),
    }


CLUSTER_CASES: list[Case] = [
    ("automatedBackupPolicy", DELETE, {BACKUPS}),
    ("automatedBackupPolicy.enabled", False, {BACKUPS}),
    ("automatedBackupPolicy.timeBasedRetention", DELETE, {BACKUPS}),  # the default keeps 14 days
    ("automatedBackupPolicy.timeBasedRetention.retentionPeriod", "604800s", {BACKUPS}),
    (
        "automatedBackupPolicy.timeBasedRetention",
        None,
        {BACKUPS},
    ),
    ("continuousBackupConfig.enabled", False, {BACKUPS}),
    ("continuousBackupConfig", DELETE, set()),  # continuous backup is on by default
    ("deletionProtection", False, {PROTECTED}),
]
INSTANCE_CASES: list[Case] = [
    ("networkConfig", {"enablePublicIp": True}, {PUBLIC}),
    (
        "networkConfig",
        {"enablePublicIp": False, "authorizedExternalNetworks": [{"cidrRange": "0.0.0.0/0"}]},
        {PUBLIC},
    ),
    ("clientConnectionConfig.sslConfig.sslMode", "ALLOW_UNENCRYPTED_AND_ENCRYPTED", {TLS}),
    ("clientConnectionConfig", DELETE, set()),  # AlloyDB requires TLS by default
]

test_baseline_passes_and_one_change_fails_exactly = one_change_test(
    (CLUSTER, cluster, CLUSTER_CASES), (INSTANCE, instance, INSTANCE_CASES)
)


def test_quantity_based_retention_counts_daily_backups() -> None:
    policy = {"enabled": True, "quantityBasedRetention": {"count": 30}}
    assert names(CLUSTER, changed(cluster(), "automatedBackupPolicy", policy)) == set()
    policy["quantityBasedRetention"] = {"count": 7}
    assert names(CLUSTER, changed(cluster(), "automatedBackupPolicy", policy)) == {BACKUPS}


def test_unknown_settings_are_not_applicable_unless_something_known_fails() -> None:
    unknown = changed(cluster(), "automatedBackupPolicy.enabled", UNKNOWN)
    outcome = resource_outcome(CLUSTER, unknown)
    assert outcome.violations == []
    assert outcome.skipped[BACKUPS] == "unknown until the update runs: automatedBackupPolicy"
    known_bad = changed(unknown, "continuousBackupConfig.enabled", False)
    assert names(CLUSTER, known_bad) == {BACKUPS}
    tls = resource_outcome(INSTANCE, changed(instance(), "clientConnectionConfig", UNKNOWN))
    assert tls.skipped[TLS].startswith("clientConnectionConfig.sslConfig.sslMode is unknown")
    public = resource_outcome(INSTANCE, {**instance(), "networkConfig": UNKNOWN})
    assert public.skipped[PUBLIC] == "networkConfig is unknown until the update runs"
