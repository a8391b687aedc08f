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

from collections.abc import Sequence
from typing import Protocol, TypeVar

import pulumi
from pulumi_gcp import storage

from components.durations import seconds
from components.section_args import SectionArgs

WRITER_ROLE = "roles/storage.objectCreator"


class BucketSettings(Protocol):
    """What a backup bucket's stack-file section says: where it is, how long objects are kept."""

    @property
    def location(self) -> str: ...

    @property
    def retention_days(self) -> int: ...


BucketSettingsT = TypeVar("BucketSettingsT", bound=BucketSettings)


def backup_bucket(
    resource_name: str,
    args: SectionArgs[BucketSettingsT],
    *,
    bucket_name: str,
    lifecycle_rules: Sequence[storage.BucketLifecycleRuleArgs],
    parent: pulumi.Resource,
) -> storage.Bucket:
    """A private, retained bucket labelled `purpose: backup`, a child of `parent`: in the
    section's location and the stack's project, protected where the stack protects its data."""
    return storage.Bucket(
        resource_name,
        project=args.project,
        name=bucket_name,
        location=args.settings.location,
        storage_class="STANDARD",
        uniform_bucket_level_access=True,
        public_access_prevention="enforced",
        retention_policy=storage.BucketRetentionPolicyArgs(
            retention_period=seconds(args.settings.retention_days), is_locked=False
        ),
        lifecycle_rules=list(lifecycle_rules),
        labels={**args.labels, "purpose": "backup"},
        force_destroy=False,
        opts=pulumi.ResourceOptions(parent=parent, protect=args.protect),
    )


def moved_after(days: int, *, from_class: str, to_class: str) -> storage.BucketLifecycleRuleArgs:
    """Objects of `from_class` move to the cheaper `to_class` once `days` old."""
    return storage.BucketLifecycleRuleArgs(
        action=storage.BucketLifecycleRuleActionArgs(
            type="SetStorageClass", storage_class=to_class
        ),
        condition=storage.BucketLifecycleRuleConditionArgs(
            age=days, matches_storage_classes=[from_class]
        ),
    )


def deleted_after(days: int) -> storage.BucketLifecycleRuleArgs:
    """Objects are deleted once `days` old (never before the retention policy allows)."""
    return storage.BucketLifecycleRuleArgs(
        action=storage.BucketLifecycleRuleActionArgs(type="Delete"),
        condition=storage.BucketLifecycleRuleConditionArgs(age=days),
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
