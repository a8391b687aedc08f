"""`myhibachi:database`: Cloud SQL for PostgreSQL sizing, availability and backups."""

from __future__ import annotations

from typing import Literal

from settings.fields import StackContext, integer, nested, one_of, section, setting, text
from settings.patterns import PG_IDENTIFIER
from settings.reader import Fields

Availability = Literal["ZONAL", "REGIONAL"]
SHARED_CORE_TIERS: tuple[str, ...] = ("db-f1-micro", "db-g1-small")


@section
class MaintenanceWindow:
    """Weekly window (day 1 = Monday ... 7 = Sunday, hour in UTC)."""

    day: int = setting("day", integer(1, 7))
    hour: int = setting("hour", integer(0, 23))


@section
class DatabaseSettings:
    """The instance's tier, availability, disk, backups and the application's database."""

    availability: Availability = setting("availability", one_of(Availability))
    backup_start_time: str = setting(
        "backupStartTime", text(r"(?:[01]\d|2[0-3]):[0-5]\d", "a UTC time HH:MM")
    )
    disk_size_gb: int = setting("diskSizeGb", integer(10, 65536))
    maintenance_window: MaintenanceWindow = setting("maintenanceWindow", nested(MaintenanceWindow))
    name: str = setting("name", text(PG_IDENTIFIER, "a PostgreSQL identifier"))
    # Seed item 13: 30 in both stacks; fewer than 7 is below Cloud SQL's own default.
    retained_backups: int = setting("retainedBackups", integer(7, 365))
    tier: str = setting(
        "tier",
        text(r"db-(?:f1-micro|g1-small|custom-\d+-\d+|perf-optimized-N-\d+)", "a Cloud SQL tier"),
    )
    transaction_log_retention_days: int = setting("transactionLogRetentionDays", integer(1, 7))
    user: str = setting("user", text(PG_IDENTIFIER, "a PostgreSQL identifier"))
    version: str = setting(
        "version", text(r"POSTGRES_1[4-8]", "a current PostgreSQL major version")
    )
    # Opt-in only: statement logs can carry query text (CIS 6.2.7).
    slow_statement_log_ms: int | None = setting(
        "slowStatementLogMs", integer(1, 600_000), default=None
    )

    def validate(self, fields: Fields, context: StackContext) -> None:
        """High availability needs a dedicated-core tier."""
        if self.availability == "REGIONAL" and self.tier in SHARED_CORE_TIERS:
            raise fields["availability"].fail(
                f"REGIONAL needs a dedicated-core tier; '{self.tier}' is shared-core"
            )
