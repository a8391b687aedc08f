"""Cloud Storage policies: the compliant backup bucket passes; public grants and ACLs fail."""

from __future__ import annotations

from typing import Any

import pytest

from tests.policy import baselines as b
from tests.policy.one_change import DELETE, Case, changed, one_change_test
from tests.policy.support import UNKNOWN, names, resource_outcome

PUBLIC_IAM = "gcp-storage-bucket-iam-no-public-principals"
PUBLIC_ACL = "gcp-storage-bucket-acl-no-public-entities"
MEMBERS = "gcp-iam-member-allowed-principals"
PROTECTED = "gcp-stateful-resource-protected"


CASES: list[Case] = [
    ("uniformBucketLevelAccess", DELETE, {"gcp-storage-bucket-uniform-access"}),
    ("publicAccessPrevention", "inherited", {"gcp-storage-bucket-public-access-prevention"}),
    ("publicAccessPrevention", DELETE, {"gcp-storage-bucket-public-access-prevention"}),
    # Cloud Storage refuses both schemes on one bucket.
    ("versioning", {"enabled": True}, {"gcp-storage-bucket-versioning-enabled"}),
    ("versioning", {"enabled": False}, set()),
    # Neither scheme: a deleted object is gone (and a backup bucket is not retained).
    (
        "retentionPolicy",
        DELETE,
        {"gcp-storage-bucket-backup-retention", "gcp-storage-bucket-versioning-enabled", PROTECTED},
    ),
    ("forceDestroy", True, {PROTECTED}),
    ("retentionPolicy.retentionPeriod", "86400", {"gcp-storage-bucket-backup-retention"}),
]


test_baseline_passes_and_one_change_fails_exactly = one_change_test((b.BUCKET, b.bucket, CASES))


def test_only_backup_buckets_need_retention() -> None:
    assets = changed(b.bucket(purpose="assets"), "retentionPolicy", DELETE)
    versioned = changed(assets, "versioning", {"enabled": True})
    # Only protection asks every bucket for a retention policy, on stacks that enforce it.
    assert names(b.BUCKET, versioned) == {PROTECTED}
    assert names(b.BUCKET, versioned, stack="staging") == set()


def test_an_unknown_scheme_cannot_be_judged() -> None:
    props = changed(b.bucket(), "versioning", {"enabled": UNKNOWN})
    outcome = resource_outcome(b.BUCKET, props)
    assert "gcp-storage-bucket-versioning-enabled" in outcome.declined
    assert outcome.violations == []


@pytest.mark.parametrize(
    ("resource_type", "props", "expected"),
    [
        (
            "gcp:storage/bucketIAMMember:BucketIAMMember",
            {"bucket": "b", "role": "roles/storage.objectViewer", "member": "allUsers"},
            {PUBLIC_IAM, MEMBERS},
        ),
        (
            "gcp:storage/bucketIAMBinding:BucketIAMBinding",
            {
                "bucket": "b",
                "role": "roles/storage.objectViewer",
                "members": ["allAuthenticatedUsers"],
            },
            {PUBLIC_IAM, MEMBERS},
        ),
        (
            "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
            {"bucket": "b", "policyData": '{"bindings": [{"role": "r", "members": ["allUsers"]}]}'},
            {PUBLIC_IAM, MEMBERS},
        ),
        (
            "gcp:storage/bucketIAMMember:BucketIAMMember",
            {
                "bucket": "b",
                "role": "roles/storage.objectViewer",
                "member": "group:ops@example.com",
            },
            {MEMBERS},  # not public, but not an allowed group either
        ),
        (
            "gcp:storage/bucketIAMMember:BucketIAMMember",
            {
                "bucket": "b",
                "role": "roles/storage.objectViewer",
                "member": "serviceAccount:reader@my-hibachi-crm.iam.gserviceaccount.com",
            },
            set(),
        ),
        (
            "gcp:storage/bucketAccessControl:BucketAccessControl",
            {"bucket": "b", "entity": "allUsers", "role": "READER"},
            {PUBLIC_ACL},
        ),
        (
            "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl",
            {"bucket": "b", "entity": "allAuthenticatedUsers", "role": "READER"},
            {PUBLIC_ACL},
        ),
        (
            "gcp:storage/bucketAccessControl:BucketAccessControl",
            {"bucket": "b", "entity": "group-ops@example.com", "role": "READER"},
            set(),
        ),
        (
            "gcp:storage/objectAccessControl:ObjectAccessControl",
            {
                "bucket": "b",
                "object": "o",
                "entity": "user-" + "x" + "@gmail.com",
                "role": "READER",
            },
            {PUBLIC_ACL},
        ),
        (
            "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl",
            {"bucket": "b", "entity": "domain-gmail.com", "role": "READER"},
            {PUBLIC_ACL},
        ),
    ],
)
def test_bucket_grants(resource_type: str, props: dict[str, Any], expected: set[str]) -> None:
    assert names(resource_type, props) == expected
