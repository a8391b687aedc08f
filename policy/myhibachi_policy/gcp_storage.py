"""Cloud Storage buckets: uniform access, public access prevention, object protection, retention.

Backup bucket convention: a bucket is a backup bucket when `labels.purpose == "backup"`;
only backup buckets need a retention policy.
"""

from __future__ import annotations

from typing import Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    CONSUMER_DOMAINS,
    MISSING,
    PUBLIC_PRINCIPALS,
    SECONDS_PER_DAY,
    Report,
    as_bool,
    as_number,
    as_str,
    expect,
    fmt_number,
    get,
    is_unknown,
    label,
    min_retention_days,
    min_retention_days_schema,
    no_public_principals_policy,
    prop,
    resource_policy,
    schema,
)

BUCKET: Final = "gcp:storage/bucket:Bucket"
BUCKET_IAM_TYPES: Final = (
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
    "gcp:storage/managedFolderIamMember:ManagedFolderIamMember",
    "gcp:storage/managedFolderIamBinding:ManagedFolderIamBinding",
    "gcp:storage/managedFolderIamPolicy:ManagedFolderIamPolicy",
)
ACL_TYPES: Final = (
    "gcp:storage/bucketAccessControl:BucketAccessControl",
    "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl",
    "gcp:storage/objectAccessControl:ObjectAccessControl",
)


def _check_uniform(args: ResourceValidationArgs, report: Report) -> None:
    expect(args, report, "uniformBucketLevelAccess", True, "absent means false")


def _check_public_access_prevention(args: ResourceValidationArgs, report: Report) -> None:
    expect(
        args,
        report,
        "publicAccessPrevention",
        "enforced",
        "absent means inherited",
        shown='"enforced"',
    )


def _check_versioning(args: ResourceValidationArgs, report: Report) -> None:
    versioned = as_bool(prop(args.props, BUCKET, "versioning.enabled"))
    retention = get(args.props, "retentionPolicy.retentionPeriod")
    if versioned is None or is_unknown(retention):
        args.not_applicable(f"{label(args)}: versioning or the retention policy is unknown")
    retained = retention is not MISSING
    if versioned and retained:
        report(
            f"{label(args)}: versioning and retentionPolicy exclude each other (Cloud Storage "
            "refuses Object Versioning on a bucket with a retention policy); keep one."
        )
    elif not versioned and not retained:
        report(
            f"{label(args)}: versioning.enabled must be true, or a retentionPolicy set "
            "(absent means neither: a deleted or overwritten object is gone)."
        )


def _check_backup_retention(args: ResourceValidationArgs, report: Report) -> None:
    purpose = get(args.props, "labels.purpose")
    if is_unknown(purpose) or as_str(purpose) != "backup":
        return
    days = min_retention_days(args.get_config(), 30)
    period = get(args.props, "retentionPolicy.retentionPeriod")
    if is_unknown(period):
        return
    seconds = as_number(period)
    if seconds is None or seconds < days * SECONDS_PER_DAY:
        report(
            f"{label(args)}: a backup bucket (labels.purpose = backup) needs "
            f"retentionPolicy.retentionPeriod of at least {fmt_number(days)} days, in seconds."
        )


def _check_acl(args: ResourceValidationArgs, report: Report) -> None:
    entity = as_str(get(args.props, "entity"))
    if entity in PUBLIC_PRINCIPALS:
        report(f"{label(args)}: entity must not be {entity}.")
    elif entity is not None and _consumer_entity(entity):
        report(f"{label(args)}: entity must not be an account of a consumer domain.")


def _consumer_entity(entity: str) -> bool:
    """An ACL entity (`user-<email>`, `group-<email>`, `domain-<domain>`) anyone can join."""
    kind, _, identity = entity.partition("-")
    if kind not in ("user", "group", "domain"):
        return False
    return identity.rsplit("@", 1)[-1].lower() in CONSUMER_DOMAINS


POLICIES: Final = [
    resource_policy(
        name="gcp-storage-bucket-uniform-access",
        resource_types=[BUCKET],
        check=_check_uniform,
    ),
    resource_policy(
        name="gcp-storage-bucket-public-access-prevention",
        resource_types=[BUCKET],
        check=_check_public_access_prevention,
    ),
    resource_policy(
        name="gcp-storage-bucket-versioning-enabled",
        resource_types=[BUCKET],
        check=_check_versioning,
    ),
    resource_policy(
        name="gcp-storage-bucket-backup-retention",
        resource_types=[BUCKET],
        check=_check_backup_retention,
        config_schema=schema(min_retention_days_schema(30)),
    ),
    no_public_principals_policy(
        name="gcp-storage-bucket-iam-no-public-principals",
        iam_types=BUCKET_IAM_TYPES,
    ),
    resource_policy(
        name="gcp-storage-bucket-acl-no-public-entities",
        resource_types=ACL_TYPES,
        check=_check_acl,
    ),
]
