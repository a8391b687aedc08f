"""Code backups (seed item 13.2): the bucket the nightly git bundles land in, and its writer.

`.github/workflows/code-backup.yml` bundles every ref of the repository (`git bundle --all`) each
night and uploads it as the writer service account, by workload identity federation
(docs/runbooks/pipeline.md binds the account to the workflow's GitHub environment). Decisions:

- The bucket is a backup bucket (`backup_bucket.py`: private, retained, kept): a bundle cannot
  be deleted or replaced for `retentionDays`, and is deleted after `deleteAfterDays`.
- The writer may add objects to this bucket and nothing else (`backup_bucket.writer_grant`): it
  can add a bundle, never read, list, replace or delete one, and holds no project role. A stolen
  workflow token can add junk, never destroy a backup.
"""

from __future__ import annotations

import pulumi
from pulumi_gcp import serviceaccount, storage

from components.backup_bucket import backup_bucket, deleted_after, writer_grant
from components.component import Component
from components.identities import Workload, service_account_member
from components.section_args import SectionArgs
from settings.code_backups import CodeBackupSettings

CodeBackupsArgs = SectionArgs[CodeBackupSettings]
"""The stack's env and project and the bucket's settings."""

WRITER = Workload(
    role="code-backup",
    title="code backup writer",
    description="Uploads the nightly git bundle of the repository; can add objects "
    "to the code backup bucket and nothing else.",
)


class CodeBackups(Component[CodeBackupsArgs]):
    """The code backup bucket and the one identity that may add to it."""

    type_token = "myhibachi:backups:CodeBackups"

    bucket: storage.Bucket
    writer: serviceaccount.Account

    def _declare(self, name: str, args: CodeBackupsArgs) -> pulumi.Inputs:
        settings = args.settings
        self.bucket = backup_bucket(
            f"{name}-bucket",
            args,
            bucket_name=f"{args.project}-code-backups",
            lifecycle_rules=[deleted_after(settings.delete_after_days)],
            parent=self,
        )
        self.writer = WRITER.account(
            f"{name}-writer", project=args.project, env=args.env, parent=self
        )
        writer_grant(
            f"{name}-writer-creates",
            bucket=self.bucket,
            member=service_account_member(self.writer.email),
            parent=self,
        )
        return {"bucket": self.bucket.name, "writer": self.writer.email}
