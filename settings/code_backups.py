"""`myhibachi:codeBackups`: the bucket the nightly git bundles of the repository land in.

Seed item 13.2: a copy of every ref outside GitHub. `.github/workflows/code-backup.yml` writes a
`git bundle --all` each night as a service account that may only create objects in this bucket;
the bucket keeps each bundle `retentionDays` (nothing can delete or replace it earlier), then
deletes it after `deleteAfterDays`.
"""

from __future__ import annotations

from settings.fields import StackContext, integer, section, setting, text
from settings.patterns import BUCKET_LOCATION
from settings.reader import Fields


@section
class CodeBackupSettings:
    """The code backup bucket's location and how long each bundle is kept."""

    delete_after_days: int = setting("deleteAfterDays", integer(31, 3650))
    location: str = setting(
        "location", text(BUCKET_LOCATION, "a bucket location such as US or us-east1")
    )
    # Seed item 13: 30 days at least.
    retention_days: int = setting("retentionDays", integer(30, 3650))

    def validate(self, fields: Fields, context: StackContext) -> None:
        """A bundle is deleted only after its retention has ended."""
        if self.delete_after_days <= self.retention_days:
            raise fields["deleteAfterDays"].fail(
                f"must be later than retentionDays ({self.retention_days}), "
                f"got {self.delete_after_days}"
            )
