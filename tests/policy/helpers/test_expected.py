"""Policies built on `expect()`: a value they cannot judge (unknown during preview, or of another
type) ends them as not applicable with the reason, never as a silent pass; a known violation is
still reported whatever else is unknown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.policy import baselines as b
from tests.policy.one_change import changed
from tests.policy.support import UNKNOWN, resource_outcome

DELETION = "gcp-sql-instance-deletion-protection-enabled"

# (resource type, compliant baseline, property judged by expect(), the policy judging it)
JUDGED: list[tuple[str, Callable[[], dict[str, Any]], str, str]] = [
    (b.SQL, b.sql, "settings.ipConfiguration.ipv4Enabled", "gcp-sql-instance-no-public-ip"),
    (
        b.SQL,
        b.sql,
        "settings.backupConfiguration.pointInTimeRecoveryEnabled",
        "gcp-sql-instance-point-in-time-recovery-enabled",
    ),
    (b.SQL, b.sql, "deletionProtection", DELETION),
    (b.SQL, b.sql, "settings.deletionProtectionEnabled", DELETION),
    (b.SQL, b.sql, "settings.availabilityType", "gcp-sql-instance-regional-availability"),
    (b.REDIS, b.redis, "tier", "gcp-redis-instance-standard-ha-tier"),
    (b.REDIS, b.redis, "connectMode", "gcp-redis-instance-private-service-access"),
    (b.BUCKET, b.bucket, "uniformBucketLevelAccess", "gcp-storage-bucket-uniform-access"),
    (
        b.BUCKET,
        b.bucket,
        "publicAccessPrevention",
        "gcp-storage-bucket-public-access-prevention",
    ),
]
IDS = [policy + ":" + path for _, _, path, policy in JUDGED]


def _kind(resource_type: str) -> str:
    return resource_type.rsplit(":", 1)[-1]


@pytest.mark.parametrize(("resource_type", "baseline", "path", "policy"), JUDGED, ids=IDS)
def test_an_unknown_value_is_not_verified(
    resource_type: str, baseline: Callable[[], dict[str, Any]], path: str, policy: str
) -> None:
    outcome = resource_outcome(resource_type, changed(baseline(), path, UNKNOWN))
    assert outcome.only_declined()[policy].endswith(
        f"{_kind(resource_type)} 'subject': {path} is unknown until the update runs"
    )


@pytest.mark.parametrize(("resource_type", "baseline", "path", "policy"), JUDGED, ids=IDS)
def test_a_value_of_another_type_is_not_verified(
    resource_type: str, baseline: Callable[[], dict[str, Any]], path: str, policy: str
) -> None:
    # A list where a boolean or a string is expected: nothing to judge, said so.
    outcome = resource_outcome(resource_type, changed(baseline(), path, ["x"]))
    assert policy not in {p for p, _, _ in outcome.violations}
    assert f"{_kind(resource_type)} 'subject': {path} is not a" in outcome.declined[policy]


def test_a_known_violation_is_reported_whatever_else_is_unknown() -> None:
    props = changed(b.sql(), "deletionProtection", UNKNOWN)
    off = changed(props, "settings.deletionProtectionEnabled", False)
    outcome = resource_outcome(b.SQL, off)
    assert [(p, m) for p, m, _ in outcome.violations if p == DELETION] == [
        (
            DELETION,
            "DatabaseInstance 'subject': settings.deletionProtectionEnabled must be true "
            "(API-side deletion protection).",
        )
    ]
    assert DELETION not in outcome.skipped


def test_known_compliant_values_still_pass() -> None:
    for resource_type, baseline, _, policy in JUDGED:
        outcome = resource_outcome(resource_type, baseline())
        assert policy not in outcome.skipped
        assert policy not in {p for p, _, _ in outcome.violations}
