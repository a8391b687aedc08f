"""Code backups (seed item 13.2): the bucket the nightly git bundles land in, and its writer.

`.github/workflows/code-backup.yml` bundles every ref of the repository (`git bundle --all`) each
night and uploads it as the writer service account, by workload identity federation
(docs/runbooks/pipeline.md binds the account to the workflow's GitHub environment). Decisions:

- The bucket: uniform access, public access prevented, a retention policy (a bundle cannot be
  deleted or replaced for `retentionDays`), deleted after `deleteAfterDays`, labelled
  `purpose: backup`, never force-destroyed and protected in production. Not versioned: Cloud
  Storage refuses Object Versioning beside a retention policy.
- The writer holds `roles/storage.objectCreator` on this bucket and nothing else: it can add a
  bundle, never read, list, replace or delete one, and holds no project role. A stolen workflow
  token can add junk, never destroy a backup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import serviceaccount, storage

from settings.code_backups import CodeBackupSettings

_SECONDS_PER_DAY = 86_400
WRITER_ROLE = "roles/storage.objectCreator"


@dataclass(frozen=True)
class CodeBackupsArgs:
    """The stack's env and project and the bucket's settings."""

    env: str
    project: str
    settings: CodeBackupSettings
    labels: Mapping[str, str] = field(default_factory=dict)
    protect: bool = False


class CodeBackups(pulumi.ComponentResource):
    """The code backup bucket and the one identity that may add to it."""

    bucket: storage.Bucket
    writer: serviceaccount.Account

    def __init__(
        self, name: str, args: CodeBackupsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("myhibachi:backups:CodeBackups", name, None, opts)
        settings = args.settings
        self.bucket = storage.Bucket(
            f"{name}-bucket",
            project=args.project,
            name=f"{args.project}-code-backups",
            location=settings.location,
            storage_class="STANDARD",
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            retention_policy=storage.BucketRetentionPolicyArgs(
                retention_period=str(settings.retention_days * _SECONDS_PER_DAY),
                # Unlocked: locking is irreversible; the policy pack and review guard it instead.
                is_locked=False,
            ),
            lifecycle_rules=[
                storage.BucketLifecycleRuleArgs(
                    action=storage.BucketLifecycleRuleActionArgs(type="Delete"),
                    condition=storage.BucketLifecycleRuleConditionArgs(
                        age=settings.delete_after_days
                    ),
                )
            ],
            labels={**args.labels, "purpose": "backup"},
            force_destroy=False,
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )
        self.writer = serviceaccount.Account(
            f"{name}-writer",
            project=args.project,
            account_id=f"{args.env}-code-backup",
            display_name=f"My Hibachi code backup writer ({args.env})",
            description="Uploads the nightly git bundle of the repository; can add objects "
            "to the code backup bucket and nothing else.",
            opts=pulumi.ResourceOptions(parent=self),
        )
        storage.BucketIAMMember(
            f"{name}-writer-creates",
            bucket=self.bucket.name,
            role=WRITER_ROLE,
            member=self.writer.email.apply(lambda email: f"serviceAccount:{email}"),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"bucket": self.bucket.name, "writer": self.writer.email})
