"""Security events the CIS Google Cloud Platform Foundations Benchmark asks to watch.

Section 2 recommends a log-based metric and an alert for each of these audit-log events (CIS
2.4 to 2.11); the filters are the benchmark's own. Each metric carries an explicit name, prefixed
with the env, and its alert watches `logging.googleapis.com/user/<name>` on the monitored
resource type its log entries carry (a log-based metric's series keep the entry's resource), and
is created after its metric: Monitoring rejects a filter on a metric it does not know yet.
"""

from __future__ import annotations

import pulumi
from pulumi_gcp import logging as cloud_logging

from components.monitoring.alerts import AlertPolicies, aggregate
from components.monitoring.scope import Scope
from components.monitoring.severity import AlertSeverity

_AUDIT_LOG = "protoPayload.serviceData.policyDelta"
# Key: (title, log filter, the monitored resource type of the entries it counts).
CIS_LOG_METRICS: dict[str, tuple[str, str, str]] = {
    "cis-2-4-project-ownership-changes": (
        "CIS 2.4: project ownership assignments or changes",
        '(protoPayload.serviceName="cloudresourcemanager.googleapis.com") '
        "AND (ProjectOwnership OR projectOwnerInvitee) "
        'OR (protoPayload.methodName="SetIamPolicy" '
        f'AND {_AUDIT_LOG}.bindingDeltas.action="REMOVE" '
        f'AND {_AUDIT_LOG}.bindingDeltas.role="roles/owner") '
        f'OR (protoPayload.methodName="SetIamPolicy" AND {_AUDIT_LOG}.bindingDeltas.action="ADD" '
        f'AND {_AUDIT_LOG}.bindingDeltas.role="roles/owner")',
        "project",
    ),
    "cis-2-5-audit-config-changes": (
        "CIS 2.5: audit configuration changes",
        f'protoPayload.methodName="SetIamPolicy" AND {_AUDIT_LOG}.auditConfigDeltas:*',
        "project",
    ),
    "cis-2-6-custom-role-changes": (
        "CIS 2.6: custom role changes",
        'resource.type="iam_role" AND (protoPayload.methodName="google.iam.admin.v1.CreateRole" '
        'OR protoPayload.methodName="google.iam.admin.v1.DeleteRole" '
        'OR protoPayload.methodName="google.iam.admin.v1.UpdateRole")',
        "iam_role",
    ),
    "cis-2-7-firewall-rule-changes": (
        "CIS 2.7: VPC firewall rule changes",
        'resource.type="gce_firewall_rule" AND ('
        'protoPayload.methodName:"compute.firewalls.patch" '
        'OR protoPayload.methodName:"compute.firewalls.insert" '
        'OR protoPayload.methodName:"compute.firewalls.delete")',
        "gce_firewall_rule",
    ),
    "cis-2-8-route-changes": (
        "CIS 2.8: VPC network route changes",
        'resource.type="gce_route" AND ('
        'protoPayload.methodName:"compute.routes.delete" '
        'OR protoPayload.methodName:"compute.routes.insert")',
        "gce_route",
    ),
    "cis-2-9-network-changes": (
        "CIS 2.9: VPC network changes",
        'resource.type="gce_network" AND ('
        'protoPayload.methodName:"compute.networks.insert" '
        'OR protoPayload.methodName:"compute.networks.patch" '
        'OR protoPayload.methodName:"compute.networks.delete" '
        'OR protoPayload.methodName:"compute.networks.removePeering" '
        'OR protoPayload.methodName:"compute.networks.addPeering")',
        "gce_network",
    ),
    "cis-2-10-bucket-iam-changes": (
        "CIS 2.10: Cloud Storage IAM permission changes",
        'resource.type="gcs_bucket" AND protoPayload.methodName="storage.setIamPermissions"',
        "gcs_bucket",
    ),
    "cis-2-11-sql-instance-config-changes": (
        "CIS 2.11: Cloud SQL instance configuration changes",
        'protoPayload.methodName="cloudsql.instances.update"',
        "cloudsql_database",
    ),
}

_SECURITY_RUNBOOK = (
    "A security-relevant change was logged in project `{project}`: {what}.\n\n"
    "1. Open Logs Explorer with the metric's filter for the last hour and identify who "
    "(`protoPayload.authenticationInfo.principalEmail`) changed what.\n"
    "2. If the change is not an approved, reviewed change (a `pulumi up` of this repository or "
    "a ticket), revert it and treat the principal's credentials as compromised: disable them "
    "and escalate to the DevOps team lead.\n"
    "3. Record the outcome in the incident log."
)


# Ownership and audit-config changes never come from a routine deploy: they page. The others are
# also what a reviewed `pulumi up` does, so someone confirms within the hour that one ran.
PAGED_EVENTS: frozenset[str] = frozenset(
    {"cis-2-4-project-ownership-changes", "cis-2-5-audit-config-changes"}
)


def severity_of(key: str) -> AlertSeverity:
    """A security event's severity: CRITICAL for what no deploy does, ERROR otherwise."""
    return "CRITICAL" if key in PAGED_EVENTS else "ERROR"


def cis_log_metrics(scope: Scope, alerts: AlertPolicies) -> dict[str, cloud_logging.Metric]:
    """Each metric, and an alert on any occurrence."""
    metrics = {}
    for key, (title, log_filter, resource_type) in CIS_LOG_METRICS.items():
        metrics[key] = metric = cloud_logging.Metric(
            f"{scope.name}-{key}",
            project=scope.project,
            name=f"{scope.env}-{key}",
            description=title,
            filter=log_filter,
            metric_descriptor=cloud_logging.MetricMetricDescriptorArgs(
                metric_kind="DELTA", value_type="INT64", unit="1", display_name=title
            ),
            opts=scope.child,
        )
        alerts.threshold(
            key,
            f"{scope.env}: {title}",
            pulumi.Output.format(
                'metric.type="logging.googleapis.com/user/{0}" AND resource.type="{1}"',
                metric.name,
                resource_type,
            ),
            aggregation=aggregate("ALIGN_COUNT"),
            depends_on=[metric],
            threshold=0,
            duration="0s",
            severity=severity_of(key),
            docs=_SECURITY_RUNBOOK.format(project=scope.project, what=title),
        )
    return metrics
