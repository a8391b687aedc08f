"""Cloud SQL for PostgreSQL: private, encrypted in transit, backed up, protected from deletion."""

from __future__ import annotations

import pulumi
import pulumi_random as random
from pulumi_gcp import sql

from components.component import Component
from components.data_store import DataStoreArgs, url_version
from settings.database import DatabaseSettings

# CIS Google Cloud 6.2.x: what PostgreSQL must log for an audit trail.
CIS_AUDIT_FLAGS: dict[str, str] = {
    "cloudsql.enable_pgaudit": "on",
    "log_checkpoints": "on",
    "log_connections": "on",
    "log_disconnections": "on",
    "log_error_verbosity": "default",
    "log_lock_waits": "on",
    "log_min_error_statement": "error",
    "log_min_messages": "warning",
    # Schema changes, not every statement: DDL is rare and always worth a trace (CIS 6.2.4).
    "log_statement": "ddl",
    "log_temp_files": "0",
    # pgaudit loaded but told nothing logs nothing: role and permission changes and DDL, the
    # session classes an audit needs, without the volume (or the data) of read/write logging.
    "pgaudit.log": "role,ddl",
}


DatabaseArgs = DataStoreArgs[DatabaseSettings]
"""The Cloud SQL instance's settings plus where it lives and where DATABASE_URL goes."""


class Database(Component[DatabaseArgs]):
    """The instance, the application database and user, and DATABASE_URL as a secret version.

    Backups run daily and keep `retained_backups` copies; point-in-time recovery keeps
    transaction logs so that the recovery point is minutes old (RPO < 1 h).
    """

    type_token = "myhibachi:database:Database"

    instance: sql.DatabaseInstance
    database: sql.Database
    user: sql.User
    connection_name: pulumi.Output[str]

    def _declare(self, name: str, args: DatabaseArgs) -> pulumi.Inputs:
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings
        flags = dict(CIS_AUDIT_FLAGS)
        if settings.slow_statement_log_ms is not None:
            # Opt-in only: statement logs can carry query text (CIS 6.2.7).
            flags["log_min_duration_statement"] = str(settings.slow_statement_log_ms)
        self.instance = sql.DatabaseInstance(
            f"{name}-instance",
            project=args.project,
            region=args.region,
            database_version=settings.version,
            deletion_protection=True,
            settings=sql.DatabaseInstanceSettingsArgs(
                tier=settings.tier,
                edition="ENTERPRISE",
                availability_type=settings.availability,
                disk_size=settings.disk_size_gb,
                disk_type="PD_SSD",
                disk_autoresize=True,
                deletion_protection_enabled=True,
                user_labels=args.labels,
                ip_configuration=sql.DatabaseInstanceSettingsIpConfigurationArgs(
                    ipv4_enabled=False,
                    private_network=args.network_id,
                    ssl_mode="ENCRYPTED_ONLY",
                ),
                backup_configuration=sql.DatabaseInstanceSettingsBackupConfigurationArgs(
                    enabled=True,
                    start_time=settings.backup_start_time,
                    point_in_time_recovery_enabled=True,
                    transaction_log_retention_days=settings.transaction_log_retention_days,
                    backup_retention_settings=sql.DatabaseInstanceSettingsBackupConfigurationBackupRetentionSettingsArgs(
                        retained_backups=settings.retained_backups,
                        retention_unit="COUNT",
                    ),
                ),
                maintenance_window=sql.DatabaseInstanceSettingsMaintenanceWindowArgs(
                    day=settings.maintenance_window.day,
                    hour=settings.maintenance_window.hour,
                    update_track="stable",
                ),
                insights_config=sql.DatabaseInstanceSettingsInsightsConfigArgs(
                    query_insights_enabled=True,
                    query_string_length=1024,
                    record_application_tags=True,
                    record_client_address=False,
                ),
                database_flags=[
                    sql.DatabaseInstanceSettingsDatabaseFlagArgs(name=flag, value=value)
                    for flag, value in sorted(flags.items())
                ],
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=args.protect,
                depends_on=args.depends_on,
                # Autoresize grows the disk; the setting is its first size, never a shrink.
                ignore_changes=["settings.diskSize"],
            ),
        )
        self.database = sql.Database(
            f"{name}-db",
            project=args.project,
            instance=self.instance.name,
            name=settings.name,
            # The data lives here, not in the instance resource: protected like the instance,
            # and the provider itself refuses to drop it where the stack protects its data.
            deletion_policy="PREVENT" if args.protect else "DELETE",
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )
        password = random.RandomPassword(f"{name}-password", length=32, special=False, opts=child)
        self.user = sql.User(
            f"{name}-user",
            project=args.project,
            instance=self.instance.name,
            name=settings.user,
            password=password.result,
            # Where the stack protects its data, removing the login is a reviewed change, and
            # the provider leaves a dropped user in place (its grants and owned objects stay).
            deletion_policy="ABANDON" if args.protect else None,
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )
        url = pulumi.Output.format(
            "postgresql://{0}:{1}@{2}:5432/{3}?sslmode=require",
            settings.user,
            password.result,
            self.instance.private_ip_address,
            settings.name,
        )
        url_version(name, args, url, parent=self)
        self.connection_name = self.instance.connection_name
        return {"connection_name": self.connection_name, "instance": self.instance.name}
