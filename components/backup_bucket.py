"""What every backup bucket is (database exports, code bundles), and who may write to one.

- Private: uniform bucket-level access, public access prevention enforced.
- Kept: a retention policy, so an object cannot be deleted or replaced for `retention_days`.
  Unlocked: locking is irreversible; the policy pack and review guard it instead. Not versioned:
  Cloud Storage refuses Object Versioning beside a retention policy, and the retention policy is
  the stronger guard (nothing can be deleted or replaced, not even a version).
- Labelled `purpose: backup` (what the policy pack's backup rules look for), never
  force-destroyed, and protected where the stack protects its data.
- Written by one identity that may add objects (`roles/storage.objectCreator`): it can never
  read, list, replace or delete a backup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
from pulumi_gcp import storage

from components.durations import seconds

WRITER_ROLE = "roles/storage.objectCreator"


def backup_bucket(
    resource_name: str,
    *,
    project: str,
    bucket_name: str,
    location: str,
    retention_days: int,
    lifecycle_rules: Sequence[storage.BucketLifecycleRuleArgs],
    labels: Mapping[str, str],
    protect: bool,
    parent: pulumi.Resource,
) -> storage.Bucket:
    """A private, retained bucket labelled `purpose: backup`, a child of `parent`."""
    return storage.Bucket(
        resource_name,
        project=project,
        name=bucket_name,
        location=location,
        storage_class="STANDARD",
        uniform_bucket_level_access=True,
        public_access_prevention="enforced",
        retention_policy=storage.BucketRetentionPolicyArgs(
            retention_period=seconds(retention_days), is_locked=False
        ),
        lifecycle_rules=list(lifecycle_rules),
        labels={**labels, "purpose": "backup"},
        force_destroy=False,
        opts=pulumi.ResourceOptions(parent=parent, protect=protect),
    )


def writer_grant(
    resource_name: str,
    *,
    bucket: storage.Bucket,
    member: pulumi.Input[str],
    parent: pulumi.Resource,
) -> storage.BucketIAMMember:
    """Lets `member` add objects to the bucket, and nothing else."""
    return storage.BucketIAMMember(
        resource_name,
        bucket=bucket.name,
        role=WRITER_ROLE,
        member=member,
        opts=pulumi.ResourceOptions(parent=parent),
    )
