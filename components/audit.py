"""The audit trail (CIS Google Cloud 2.1-2.3) and who Google tells about the project.

Decisions:
- Data Access audit logs (DATA_READ, DATA_WRITE) and Admin Read logs for the services that hold
  or guard data: Secret Manager (who read a production secret), Cloud SQL, Cloud Storage (the
  backup bucket) and Cloud KMS. Admin Activity logs are always on. Not `allServices`: Data
  Access logs for every API (Monitoring dashboards, Logging reads) cost more than they tell.
- Every audit log entry (admin activity, data access, system event, policy denied) is copied by
  a sink to a log bucket of its own, kept `retention_days`. In production its retention is
  locked: nobody, Pulumi included, can shorten it or delete the bucket before the logs age out.
  The filter keeps audit logs only: request and application logs stay in `_Default` (30 days),
  where copying them would double their ingestion cost for no security gain.
- Essential contacts: Google's security notices and technical notices reach named addresses,
  not whoever created the project.
"""

from __future__ import annotations

import pulumi
from pulumi_gcp import essentialcontacts, projects
from pulumi_gcp import logging as cloud_logging

from components.component import Component
from components.section_args import SectionArgs
from settings.audit import AuditSettings

# The services whose data reads and writes are logged (their audit log service names).
DATA_ACCESS_SERVICES: tuple[str, ...] = (
    "cloudkms.googleapis.com",
    "cloudsql.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
)
AUDIT_LOG_TYPES: tuple[str, ...] = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")
AUDIT_LOGS_FILTER = 'logName:"/logs/cloudaudit.googleapis.com%2F"'


AuditArgs = SectionArgs[AuditSettings]
"""The project, how long the trail is kept, and whether the stack protects its data: then the
trail's retention is locked, which cannot be undone (production only)."""


class AuditLogging(Component[AuditArgs]):
    """Data Access audit logs, the audit sink and its log bucket, the essential contacts."""

    type_token = "myhibachi:audit:AuditLogging"

    bucket: cloud_logging.ProjectBucketConfig
    sink: cloud_logging.ProjectSink

    def _declare(self, name: str, args: AuditArgs) -> pulumi.Inputs:
        child = pulumi.ResourceOptions(parent=self)
        for service in DATA_ACCESS_SERVICES:
            projects.IAMAuditConfig(
                f"{name}-{service.split('.')[0]}",
                project=args.project,
                service=service,
                audit_log_configs=[
                    projects.IAMAuditConfigAuditLogConfigArgs(log_type=log_type)
                    for log_type in AUDIT_LOG_TYPES
                ],
                opts=child,
            )
        self.bucket = cloud_logging.ProjectBucketConfig(
            f"{name}-bucket",
            project=args.project,
            location="global",
            bucket_id=f"{args.env}-audit-trail",
            description="Every audit log entry, kept longer than _Default.",
            retention_days=args.settings.retention_days,
            locked=args.protect,
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )
        self.sink = cloud_logging.ProjectSink(
            f"{name}-sink",
            project=args.project,
            name=f"{args.env}-audit-trail",
            description="Copies every audit log entry to the audit trail bucket.",
            destination=self.bucket.name.apply(lambda bucket: f"logging.googleapis.com/{bucket}"),
            filter=AUDIT_LOGS_FILTER,
            unique_writer_identity=True,
            opts=child,
        )
        # One contact per address, subscribed to each category it is named for.
        contacts = args.settings.contacts
        categories: dict[str, list[str]] = {}
        for category, emails in (
            ("SECURITY", contacts.security),
            ("TECHNICAL", contacts.technical),
        ):
            for email in emails:
                categories.setdefault(email, []).append(category)
        for email, subscribed in sorted(categories.items()):
            essentialcontacts.Contact(
                f"{name}-contact-{_slug(email)}",
                parent=f"projects/{args.project}",
                email=email,
                language_tag="en",
                notification_category_subscriptions=subscribed,
                opts=child,
            )
        return {"bucket": self.bucket.name, "sink": self.sink.name}


def _slug(email: str) -> str:
    return email.replace("@", "-at-").replace(".", "-").lower()
