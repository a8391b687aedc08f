"""Backups: a locked-down bucket for database exports, and the daily export.

Cloud SQL's own automated backups (daily, 30 kept) and point-in-time recovery (7 days of
transaction logs) live with the instance; this component adds a copy *outside* the instance,
so a deleted instance or a corrupted backup chain still leaves a restorable dump:

- The bucket is a backup bucket (`backup_bucket.py`: private, retained, kept): objects cannot
  be deleted or overwritten for `retention_days`, and move to Nearline and then Coldline.
- The daily export: Cloud Scheduler starts a Workflow that calls the Cloud SQL Admin export
  API (`googleapis.sqladmin.v1.instances.export`, which waits for the operation) with a
  timestamped object name. A timestamped name is required: the retention policy forbids
  overwriting yesterday's export, and Scheduler bodies cannot carry a date.
- Identities: a dedicated exporter service account runs the workflow and is the only holder
  of a custom role with `cloudsql.instances.get` and `cloudsql.instances.export` (narrower than
  Cloud SQL Viewer or Editor); it may invoke workflows. Cloud SQL writes the dump as the
  instance's own service account, which alone gets `storage.objectCreator` on this bucket.
  The exporter needs no bucket access of its own.
- Secrets and code have backups of their own: secret archives are sealed with the stack's
  Cloud KMS key (`secret_backup_key.py`) and kept offline, never here; git bundles land in the
  code backup bucket (`code_backups.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_gcp import cloudscheduler, projects, serviceaccount, storage, workflows

from components.backup_bucket import backup_bucket, moved_after, writer_grant
from components.component import Component
from components.identities import Workload, service_account_member
from components.section_args import SectionArgs
from settings.backups import BackupSettings

EXPORT_PERMISSIONS: tuple[str, ...] = ("cloudsql.instances.export", "cloudsql.instances.get")
EXPORTER = Workload(
    role="sql-exporter",
    title="database exporter",
    description="Starts the daily Cloud SQL export to the backup bucket; nothing else.",
)


@dataclass(frozen=True, kw_only=True)
class BackupsArgs(SectionArgs[BackupSettings]):
    """The stack's backup settings and the database whose exports land in the bucket."""

    database_name: str
    instance_name: pulumi.Input[str]
    instance_service_account: pulumi.Input[str]
    region: str


class Backups(Component[BackupsArgs]):
    """The backup bucket, the exporter identity and the scheduled export workflow."""

    type_token = "myhibachi:backups:Backups"

    bucket: storage.Bucket
    bucket_name: pulumi.Output[str]
    exporter: serviceaccount.Account
    schedule: cloudscheduler.Job
    workflow: workflows.Workflow

    def _declare(self, name: str, args: BackupsArgs) -> pulumi.Inputs:
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings
        self.bucket = backup_bucket(
            f"{name}-bucket",
            args,
            bucket_name=f"{args.project}-backups",
            lifecycle_rules=[
                moved_after(
                    settings.nearline_after_days, from_class="STANDARD", to_class="NEARLINE"
                ),
                moved_after(
                    settings.coldline_after_days, from_class="NEARLINE", to_class="COLDLINE"
                ),
            ],
            parent=self,
        )
        # Cloud SQL writes export files as the instance's own service account.
        writer_grant(
            f"{name}-sql-writer",
            bucket=self.bucket,
            member=service_account_member(args.instance_service_account),
            parent=self,
        )

        self.exporter = EXPORTER.account(
            f"{name}-exporter", project=args.project, env=args.env, parent=self
        )
        exporter_member = service_account_member(self.exporter.email)
        export_role = projects.IAMCustomRole(
            f"{name}-export-role",
            project=args.project,
            role_id=f"{args.env}SqlExporter",
            title=f"My Hibachi Cloud SQL exporter ({args.env})",
            description="Export a Cloud SQL instance; nothing else.",
            permissions=list(EXPORT_PERMISSIONS),
            stage="GA",
            opts=child,
        )
        grants = [
            projects.IAMMember(
                f"{name}-exporter-export",
                project=args.project,
                role=export_role.name,
                member=exporter_member,
                opts=child,
            ),
            projects.IAMMember(
                f"{name}-exporter-invoker",
                project=args.project,
                role="roles/workflows.invoker",
                member=exporter_member,
                opts=child,
            ),
        ]
        self.workflow = workflows.Workflow(
            f"{name}-export",
            project=args.project,
            region=args.region,
            name=f"{args.env}-sql-export",
            description="Export the application database to the backup bucket.",
            service_account=self.exporter.email,
            labels=dict(args.labels),
            deletion_protection=False,
            source_contents=pulumi.Output.all(self.bucket.name, args.instance_name).apply(
                lambda values: _export_workflow(
                    args.project, values[0], values[1], args.database_name, args.env
                )
            ),
            opts=child,
        )
        self.schedule = cloudscheduler.Job(
            f"{name}-schedule",
            project=args.project,
            region=args.region,
            name=f"{args.env}-sql-export",
            description="Daily database export to the backup bucket.",
            schedule=settings.export_schedule,
            time_zone=settings.time_zone,
            attempt_deadline="320s",
            retry_config=cloudscheduler.JobRetryConfigArgs(retry_count=3),
            http_target=cloudscheduler.JobHttpTargetArgs(
                http_method="POST",
                uri=self.workflow.name.apply(
                    lambda workflow: (
                        "https://workflowexecutions.googleapis.com/v1/projects/"
                        f"{args.project}/locations/{args.region}/workflows/{workflow}/executions"
                    )
                ),
                oauth_token=cloudscheduler.JobHttpTargetOauthTokenArgs(
                    service_account_email=self.exporter.email,
                    scope="https://www.googleapis.com/auth/cloud-platform",
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=grants),
        )
        self.bucket_name = self.bucket.name
        return {"bucket_name": self.bucket_name, "exporter": self.exporter.email}


def _export_workflow(project: str, bucket: str, instance: str, database: str, env: str) -> str:
    """Workflows YAML: one export per run, named by the run's time so nothing is overwritten."""
    return f"""main:
  steps:
    - name_the_dump:
        assign:
          - stamp: ${{string(int(sys.now()))}}
          - uri: ${{"gs://{bucket}/cloudsql/{env}-{database}-" + stamp + ".sql.gz"}}
    - export:
        call: googleapis.sqladmin.v1.instances.export
        args:
          project: {project}
          instance: {instance}
          body:
            exportContext:
              fileType: SQL
              databases: ["{database}"]
              uri: ${{uri}}
    - done:
        return: ${{uri}}
"""
