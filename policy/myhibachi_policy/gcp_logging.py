"""The audit trail and who Google tells (CIS GCP 2.1-2.3, essential contacts).

Stack policies, since each asks that something exists in the stack:
- Data Access audit logs: for every service of the config's `requiredServices`, an
  IAMAuditConfig of that service (or of `allServices`) turns on ADMIN_READ, DATA_READ and
  DATA_WRITE and exempts nobody (CIS 2.1).
- The audit trail: a project sink whose destination is a log bucket declared in the stack, whose
  filter keeps the audit logs (evaluated on sample Admin Activity, Data Access, System Event
  and Policy Denied entries: every one must match; an empty filter keeps everything), and whose
  bucket keeps them at least `minRetentionDays` with its retention locked where the config asks
  (`requireLocked`, production) (CIS 2.2, 2.3).
- Essential contacts: someone receives Google's SECURITY and TECHNICAL notices (or ALL).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from pulumi_policy import PolicyResource, StackValidationArgs

from .helpers import (
    STRING_LIST,
    FilterSyntaxError,
    StackReport,
    UnsupportedQueryError,
    as_bool,
    as_number,
    as_str,
    elements,
    fmt_number,
    get,
    is_unknown,
    matches,
    min_retention_days,
    min_retention_days_schema,
    of_type,
    param_bool,
    param_strs,
    schema,
    stack_policy,
    strings,
)

AUDIT_CONFIG: Final = "gcp:projects/iAMAuditConfig:IAMAuditConfig"
SINK: Final = "gcp:logging/projectSink:ProjectSink"
LOG_BUCKET: Final = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
CONTACT: Final = "gcp:essentialcontacts/contact:Contact"
LOG_TYPES: Final = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")
REQUIRED_SERVICES: Final = (
    "cloudkms.googleapis.com",
    "cloudsql.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
)
CATEGORIES: Final = ("SECURITY", "TECHNICAL")
_AUDIT_LOGS: Final = "cloudaudit.googleapis.com"
# One entry of each audit log, as Cloud Logging stores it: what the sink must keep.
AUDIT_SAMPLES: Final = tuple(
    {
        "logName": f"projects/p/logs/{_AUDIT_LOGS}%2F{log}",
        "resource": {"type": "audited_resource", "labels": {"project_id": "p"}},
        "protoPayload": {"@type": "type.googleapis.com/google.cloud.audit.AuditLog"},
    }
    for log in ("activity", "data_access", "system_event", "policy")
)


def _logged_services(configs: Sequence[PolicyResource]) -> tuple[set[str], list[str]]:
    """Services whose three log types are on with no exemption, and what could not be read."""
    covered: set[str] = set()
    unknown: list[str] = []
    for config in configs:
        service = get(config.props, "service")
        entries = get(config.props, "auditLogConfigs")
        if is_unknown(service) or is_unknown(entries):
            unknown.append(config.name)
            continue
        types = set()
        for entry in elements(entries):
            log_type, exempted = get(entry, "logType"), get(entry, "exemptedMembers")
            if is_unknown(log_type) or is_unknown(exempted):
                unknown.append(config.name)
            elif not strings(exempted):
                types.add(as_str(log_type))
        if set(LOG_TYPES) <= types and isinstance(service, str):
            covered.add(service)
    return covered, unknown


def _check_audit_configs(args: StackValidationArgs, report: StackReport) -> None:
    required = param_strs(args.get_config(), "requiredServices", REQUIRED_SERVICES)
    covered, unknown = _logged_services(of_type(args.resources, AUDIT_CONFIG))
    missing = [s for s in required if s not in covered and "allServices" not in covered]
    if missing and unknown:
        args.not_applicable(f"the audit configs {', '.join(unknown)} are unknown until apply")
        return
    for service in missing:
        report(
            f"The stack must turn on {', '.join(LOG_TYPES)} audit logs for {service} with no "
            "exempted member (an IAMAuditConfig of that service or of allServices). (CIS GCP 2.1)",
            None,
        )


def _check_trail(args: StackValidationArgs, report: StackReport) -> None:
    config = args.get_config()
    minimum = min_retention_days(config, 365)
    require_locked = param_bool(config, "requireLocked", True)
    buckets = {
        as_str(get(b.props, "bucketId")): b
        for b in of_type(args.resources, LOG_BUCKET)
        if not is_unknown(get(b.props, "bucketId"))
    }
    shortfalls: list[str] = []
    undecided: list[str] = []
    for sink in of_type(args.resources, SINK):
        destination, query = get(sink.props, "destination"), get(sink.props, "filter")
        disabled = get(sink.props, "disabled")
        if any(is_unknown(v) for v in (query, disabled)):
            undecided.append(sink.name)
            continue
        if as_bool(disabled, False) or not _keeps_audit_logs(as_str(query, "") or ""):
            continue
        bucket = _destination_bucket(sink, destination, buckets)
        if bucket is None:
            undecided.append(sink.name)
            continue
        retention = as_number(get(bucket.props, "retentionDays"), 30)
        locked = as_bool(get(bucket.props, "locked"), False)
        if retention is None or locked is None:
            undecided.append(bucket.name)
        elif retention >= minimum and (locked or not require_locked):
            return
        else:
            shortfalls.append(bucket.name)
    if undecided and not shortfalls:
        args.not_applicable(f"the audit trail's {', '.join(undecided)} is unknown until apply")
        return
    lock = " with its retention locked" if require_locked else ""
    report(
        "The stack must copy the audit logs (a project sink whose filter keeps every "
        f"{_AUDIT_LOGS} log) to a log bucket it declares, kept at least "
        f"{fmt_number(minimum)} days{lock}. (CIS GCP 2.2, 2.3)",
        None,
    )


def _keeps_audit_logs(query: str) -> bool:
    """Whether a sink's filter lets every kind of audit log entry through (by evaluation)."""
    try:
        return all(matches(query, entry) for entry in AUDIT_SAMPLES)
    except (FilterSyntaxError, UnsupportedQueryError):
        return False


def _destination_bucket(
    sink: PolicyResource, destination: object, buckets: dict[str | None, PolicyResource]
) -> PolicyResource | None:
    """The stack's log bucket a sink writes to: by its id in the destination or, while the
    destination is unknown, by the sink's dependency on it."""
    if isinstance(destination, str) and not is_unknown(destination):
        bucket_id = destination.rsplit("/buckets/", 1)[-1] if "/buckets/" in destination else None
        return buckets.get(bucket_id)
    names = {getattr(d, "urn", None) for d in (sink.dependencies or [])}
    found = [b for b in buckets.values() if b.urn in names]
    return found[0] if len(found) == 1 else None


def _check_contacts(args: StackValidationArgs, report: StackReport) -> None:
    subscribed: set[str] = set()
    unknown = False
    for contact in of_type(args.resources, CONTACT):
        categories = get(contact.props, "notificationCategorySubscriptions")
        if is_unknown(categories):
            unknown = True
        subscribed |= set(strings(categories))
    missing = [c for c in CATEGORIES if c not in subscribed and "ALL" not in subscribed]
    if missing and unknown:
        args.not_applicable("a contact's categories are unknown until the update runs")
        return
    for category in missing:
        report(f"The stack must name an essential contact for {category} notifications.", None)


POLICIES: Final = [
    stack_policy(
        name="gcp-logging-data-access-audit-logs",
        check=_check_audit_configs,
        config_schema=schema(
            {"requiredServices": {**STRING_LIST, "default": list(REQUIRED_SERVICES)}}
        ),
    ),
    stack_policy(
        name="gcp-logging-audit-trail-retained",
        check=_check_trail,
        config_schema=schema(
            {
                **min_retention_days_schema(365),
                "requireLocked": {"type": "boolean", "default": True},
            }
        ),
    ),
    stack_policy(
        name="gcp-essentialcontacts-security-and-technical",
        check=_check_contacts,
    ),
]
