"""`myhibachi:backups`: the backup bucket's retention and storage classes, and the daily export."""

from __future__ import annotations

from settings.fields import StackContext, integer, section, setting, text
from settings.patterns import BUCKET_LOCATION
from settings.reader import Fields

_CRON = r"(?:[0-9*/,-]+\s+){4}[0-9A-Za-z*/,-]+"
_TIME_ZONE = r"(?:Etc/UTC|UTC|[A-Z][A-Za-z_]+/[A-Za-z_/+-]+)"


@section
class BackupSettings:
    """The export bucket and the schedule of the daily database export."""

    coldline_after_days: int = setting("coldlineAfterDays", integer(1, 3650))
    export_schedule: str = setting(
        "exportSchedule", text(_CRON, "a cron schedule such as '0 9 * * *'")
    )
    location: str = setting(
        "location", text(BUCKET_LOCATION, "a bucket location such as US or us-east1")
    )
    nearline_after_days: int = setting("nearlineAfterDays", integer(1, 3650))
    # Seed item 13: 30 days at least.
    retention_days: int = setting("retentionDays", integer(30, 3650))
    time_zone: str = setting("timeZone", text(_TIME_ZONE, "a time zone such as Etc/UTC"))

    def validate(self, fields: Fields, context: StackContext) -> None:
        """Objects move to Coldline only after Nearline."""
        if self.coldline_after_days <= self.nearline_after_days:
            raise fields["coldlineAfterDays"].fail(
                f"must be later than nearlineAfterDays ({self.nearline_after_days}), "
                f"got {self.coldline_after_days}"
            )
