"""Cloud Monitoring: who is paged, uptime checks, alert policies, CIS log metrics and a dashboard.

Each stack is its own GCP project with one API service, one Cloud SQL instance and one Redis
instance, so resource filters are project-scoped plus the API's service name. Every alert policy
pages every notification channel and carries documentation telling the person paged what to do.

Conventions the policy pack recognises (keep them):
- latency: `run.googleapis.com/request_latencies`, `ALIGN_PERCENTILE_95`, threshold in ms, 300 s;
- errors: `request_count` with `response_code_class="5xx"` over a denominator of all requests,
  threshold a ratio;
- slow queries: query insights latencies, threshold in microseconds;
- uptime: `monitoring.googleapis.com/uptime_check/check_passed`;
- CIS 2.4, 2.5, 2.6, 2.11: a log-based metric with an explicit `name`, alerted on through
  `metric.type="logging.googleapis.com/user/<name>"`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi_gcp import logging as cloud_logging
from pulumi_gcp import monitoring

from settings.monitoring import AlertSettings

_AUDIT_LOG = "protoPayload.serviceData.policyDelta"
# The CIS Google Cloud Platform Foundations Benchmark's recommended log filters (section 2).
CIS_LOG_METRICS: dict[str, tuple[str, str]] = {
    "cis-2-4-project-ownership-changes": (
        "CIS 2.4: project ownership assignments or changes",
        '(protoPayload.serviceName="cloudresourcemanager.googleapis.com") '
        "AND (ProjectOwnership OR projectOwnerInvitee) "
        'OR (protoPayload.methodName="SetIamPolicy" '
        f'AND {_AUDIT_LOG}.bindingDeltas.action="REMOVE" '
        f'AND {_AUDIT_LOG}.bindingDeltas.role="roles/owner") '
        f'OR (protoPayload.methodName="SetIamPolicy" AND {_AUDIT_LOG}.bindingDeltas.action="ADD" '
        f'AND {_AUDIT_LOG}.bindingDeltas.role="roles/owner")',
    ),
    "cis-2-5-audit-config-changes": (
        "CIS 2.5: audit configuration changes",
        f'protoPayload.methodName="SetIamPolicy" AND {_AUDIT_LOG}.auditConfigDeltas:*',
    ),
    "cis-2-6-custom-role-changes": (
        "CIS 2.6: custom role changes",
        'resource.type="iam_role" AND (protoPayload.methodName="google.iam.admin.v1.CreateRole" '
        'OR protoPayload.methodName="google.iam.admin.v1.DeleteRole" '
        'OR protoPayload.methodName="google.iam.admin.v1.UpdateRole")',
    ),
    "cis-2-11-sql-instance-config-changes": (
        "CIS 2.11: Cloud SQL instance configuration changes",
        'protoPayload.methodName="cloudsql.instances.update"',
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


@dataclass(frozen=True)
class UptimeTarget:
    """One public host to check over HTTPS."""

    host: str
    path: str = "/"
    # Extra status codes that still mean "up" (e.g. 401 from an access-protected admin panel).
    accepted_status_codes: tuple[int, ...] = ()


@dataclass(frozen=True)
class MonitoringArgs:
    """Who is paged, what is checked and the stack's thresholds."""

    alerts: AlertSettings
    api_service_name: pulumi.Input[str]
    env: str
    project: str
    uptime_targets: Mapping[str, UptimeTarget]
    labels: Mapping[str, str] = field(default_factory=dict)


class Monitoring(pulumi.ComponentResource):
    """Notification channels, uptime checks, alert policies, CIS log metrics and a dashboard."""

    alert_policies: dict[str, monitoring.AlertPolicy]
    channels: list[monitoring.NotificationChannel]
    dashboard: monitoring.Dashboard
    log_metrics: dict[str, cloud_logging.Metric]
    uptime_checks: dict[str, monitoring.UptimeCheckConfig]

    def __init__(
        self, name: str, args: MonitoringArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("myhibachi:monitoring:Monitoring", name, None, opts)
        self._name, self._args = name, args
        child = pulumi.ResourceOptions(parent=self)
        labels = dict(args.labels)
        alerts = args.alerts

        self.channels = [
            monitoring.NotificationChannel(
                f"{name}-email-{_slug(email)}",
                project=args.project,
                display_name=f"My Hibachi {args.env} on-call: {email}",
                type="email",
                labels={"email_address": email},
                user_labels=labels,
                opts=child,
            )
            for email in alerts.emails
        ]
        self.uptime_checks = {}
        self.alert_policies = {}
        self.log_metrics = {}

        for role, target in sorted(args.uptime_targets.items()):
            self.uptime_checks[role] = check = monitoring.UptimeCheckConfig(
                f"{name}-uptime-{role}",
                project=args.project,
                display_name=f"{args.env} {role} https://{target.host}{target.path}",
                period="60s",
                timeout="10s",
                checker_type="STATIC_IP_CHECKERS",
                http_check=monitoring.UptimeCheckConfigHttpCheckArgs(
                    path=target.path,
                    port=443,
                    request_method="GET",
                    use_ssl=True,
                    validate_ssl=True,
                    accepted_response_status_codes=[
                        monitoring.UptimeCheckConfigHttpCheckAcceptedResponseStatusCodeArgs(
                            status_class="STATUS_CLASS_2XX"
                        ),
                        *(
                            monitoring.UptimeCheckConfigHttpCheckAcceptedResponseStatusCodeArgs(
                                status_value=code
                            )
                            for code in target.accepted_status_codes
                        ),
                    ],
                ),
                monitored_resource=monitoring.UptimeCheckConfigMonitoredResourceArgs(
                    type="uptime_url", labels={"host": target.host, "project_id": args.project}
                ),
                user_labels=labels,
                opts=child,
            )
            self._threshold(
                f"uptime-{role}",
                f"{args.env}: {role} host https://{target.host} is down",
                check.uptime_check_id.apply(
                    lambda check_id: (
                        'metric.type="monitoring.googleapis.com/uptime_check/check_passed" '
                        f'AND resource.type="uptime_url" AND metric.labels.check_id="{check_id}"'
                    )
                ),
                aggregation=monitoring.AlertPolicyConditionConditionThresholdAggregationArgs(
                    alignment_period="1200s",
                    per_series_aligner="ALIGN_NEXT_OLDER",
                    cross_series_reducer="REDUCE_COUNT_FALSE",
                    group_by_fields=["resource.label.host"],
                ),
                threshold=1,
                duration="60s",
                docs=(
                    f"Uptime checks from several regions fail for https://{target.host}"
                    f"{target.path}.\n\n1. Open the URL yourself; check TLS and the status code.\n"
                    "2. Check the Vercel deployment (site/admin) or the Cloud Run service's "
                    "revisions and logs (API), and Cloudflare's status for the zone.\n"
                    "3. Roll back the last deployment if it coincides; escalate to the DevOps "
                    "team lead if the site is down for more than 15 minutes."
                ),
            )

        run = pulumi.Output.from_input(args.api_service_name).apply(
            lambda service: (
                f'resource.type="cloud_run_revision" AND resource.labels.service_name="{service}"'
            )
        )
        per_service = ["resource.label.service_name"]
        self._threshold(
            "api-latency-p95",
            f"{args.env}: API p95 latency above {alerts.latency_p95_ms} ms",
            run.apply(lambda r: f'{r} AND metric.type="run.googleapis.com/request_latencies"'),
            aggregation=monitoring.AlertPolicyConditionConditionThresholdAggregationArgs(
                alignment_period="60s",
                per_series_aligner="ALIGN_PERCENTILE_95",
                cross_series_reducer="REDUCE_MAX",
                group_by_fields=per_service,
            ),
            threshold=alerts.latency_p95_ms,
            duration="300s",
            docs=(
                f"The API's 95th percentile latency has stayed above {alerts.latency_p95_ms} ms "
                "for 5 minutes.\n\n1. Check the dashboard: is it one endpoint, the database "
                "(CPU, slow queries, connections) or Redis?\n2. Check Cloud Run instance count "
                "against max instances and recent revisions; roll back a bad release.\n"
                "3. Escalate to the backend team if it persists."
            ),
        )
        self._threshold(
            "api-5xx-rate",
            f"{args.env}: API 5xx rate above {alerts.error_rate_percent} %",
            run.apply(
                lambda r: (
                    f'{r} AND metric.type="run.googleapis.com/request_count" '
                    'AND metric.labels.response_code_class="5xx"'
                )
            ),
            aggregation=_rate(per_service),
            denominator_filter=run.apply(
                lambda r: f'{r} AND metric.type="run.googleapis.com/request_count"'
            ),
            denominator_aggregation=_rate(per_service),
            threshold=alerts.error_rate_percent / 100,
            duration="300s",
            docs=(
                f"More than {alerts.error_rate_percent} % of API requests have failed with a 5xx "
                "for 5 minutes.\n\n1. Open the API's error logs (Logs Explorer, severity>=ERROR) "
                "and Sentry.\n2. If a release coincides, roll back to the previous revision.\n"
                "3. Check the database and Redis alerts; escalate to the backend team."
            ),
        )
        self._threshold(
            "slow-queries",
            f"{args.env}: database queries slower than {alerts.slow_query_ms} ms",
            'resource.type="cloudsql_instance_database" AND metric.type='
            '"cloudsql.googleapis.com/database/postgresql/insights/aggregate/latencies"',
            aggregation=monitoring.AlertPolicyConditionConditionThresholdAggregationArgs(
                alignment_period="300s",
                per_series_aligner="ALIGN_PERCENTILE_99",
                cross_series_reducer="REDUCE_MAX",
                group_by_fields=["resource.label.database"],
            ),
            # Query insights reports latencies in microseconds.
            threshold=alerts.slow_query_ms * 1000,
            duration="300s",
            docs=(
                f"Queries take longer than {alerts.slow_query_ms} ms (99th percentile).\n\n"
                "1. Open Cloud SQL > Query insights and find the top queries by latency.\n"
                "2. Look for missing indexes, N+1 patterns or lock waits (the logs record lock "
                "waits).\n3. Hand the query to the backend team with its plan (EXPLAIN ANALYZE)."
            ),
        )
        ratio = alerts.saturation_percent / 100
        for key, metric, what in (
            ("sql-cpu", "cloudsql.googleapis.com/database/cpu/utilization", "CPU"),
            ("sql-memory", "cloudsql.googleapis.com/database/memory/utilization", "memory"),
            ("sql-disk", "cloudsql.googleapis.com/database/disk/utilization", "disk"),
        ):
            self._threshold(
                key,
                f"{args.env}: Cloud SQL {what} above {alerts.saturation_percent} %",
                f'resource.type="cloudsql_database" AND metric.type="{metric}"',
                aggregation=_mean(),
                threshold=ratio,
                duration="300s",
                docs=(
                    f"The database instance's {what} utilisation has stayed above "
                    f"{alerts.saturation_percent} % for 5 minutes.\n\n1. Check query insights "
                    "for the load's source.\n2. Disk grows automatically; CPU and memory need a "
                    "larger tier (`myhibachi:database.tier`, a restart in the maintenance "
                    "window).\n3. Escalate to the DevOps team lead."
                ),
            )
        connections = int(alerts.database_max_connections * ratio)
        self._threshold(
            "sql-connections",
            f"{args.env}: Cloud SQL connections near the maximum ({connections} of "
            f"{alerts.database_max_connections})",
            'resource.type="cloudsql_database" AND '
            'metric.type="cloudsql.googleapis.com/database/postgresql/num_backends"',
            aggregation=monitoring.AlertPolicyConditionConditionThresholdAggregationArgs(
                alignment_period="60s",
                per_series_aligner="ALIGN_MEAN",
                cross_series_reducer="REDUCE_SUM",
                group_by_fields=["resource.label.database_id"],
            ),
            threshold=connections,
            duration="300s",
            docs=(
                f"More than {connections} connections are open (max_connections "
                f"{alerts.database_max_connections}).\n\n1. Compare with Cloud Run's instance "
                "count: each instance holds a pool.\n2. Lower the pool size or max instances, or "
                "raise the tier.\n3. Look for leaked or idle-in-transaction sessions "
                "(pg_stat_activity)."
            ),
        )
        self._threshold(
            "redis-memory",
            f"{args.env}: Redis memory above {alerts.saturation_percent} %",
            'resource.type="redis_instance" AND '
            'metric.type="redis.googleapis.com/stats/memory/usage_ratio"',
            aggregation=_mean(),
            threshold=ratio,
            duration="300s",
            docs=(
                f"Redis uses more than {alerts.saturation_percent} % of its memory.\n\n"
                "1. Check evictions and key counts on the dashboard.\n2. Look for keys without "
                "a TTL; raise `myhibachi:cache.memorySizeGb` if the working set grew.\n"
                "3. Escalate to the backend team."
            ),
        )

        for metric_key, (title, log_filter) in CIS_LOG_METRICS.items():
            metric_name = f"{args.env}-{metric_key}"
            self.log_metrics[metric_key] = log_metric = cloud_logging.Metric(
                f"{name}-{metric_key}",
                project=args.project,
                name=metric_name,
                description=title,
                filter=log_filter,
                metric_descriptor=cloud_logging.MetricMetricDescriptorArgs(
                    metric_kind="DELTA", value_type="INT64", unit="1", display_name=title
                ),
                opts=child,
            )
            self._threshold(
                metric_key,
                f"{args.env}: {title}",
                log_metric.name.apply(lambda n: f'metric.type="logging.googleapis.com/user/{n}"'),
                aggregation=monitoring.AlertPolicyConditionConditionThresholdAggregationArgs(
                    alignment_period="60s", per_series_aligner="ALIGN_COUNT"
                ),
                threshold=0,
                duration="0s",
                docs=_SECURITY_RUNBOOK.format(project=args.project, what=title),
            )

        self.dashboard = monitoring.Dashboard(
            f"{name}-dashboard",
            project=args.project,
            dashboard_json=pulumi.Output.from_input(args.api_service_name).apply(
                lambda service: _dashboard_json(args.env, service, alerts)
            ),
            opts=child,
        )
        self.register_outputs(
            {
                "alert_policies": sorted(self.alert_policies),
                "channels": [c.name for c in self.channels],
                "dashboard": self.dashboard.id,
            }
        )

    def _threshold(
        self,
        key: str,
        title: str,
        metric_filter: pulumi.Input[str],
        *,
        aggregation: monitoring.AlertPolicyConditionConditionThresholdAggregationArgs,
        threshold: float,
        duration: str,
        docs: str,
        denominator_filter: pulumi.Input[str] | None = None,
        denominator_aggregation: monitoring.AlertPolicyConditionConditionThresholdAggregationArgs
        | None = None,
    ) -> monitoring.AlertPolicy:
        """One alert policy with a single threshold condition that pages every channel."""
        denominator = (
            [
                monitoring.AlertPolicyConditionConditionThresholdDenominatorAggregationArgs(
                    alignment_period=denominator_aggregation.alignment_period,
                    per_series_aligner=denominator_aggregation.per_series_aligner,
                    cross_series_reducer=denominator_aggregation.cross_series_reducer,
                    group_by_fields=denominator_aggregation.group_by_fields,
                )
            ]
            if denominator_aggregation is not None
            else None
        )
        policy = monitoring.AlertPolicy(
            f"{self._name}-alert-{key}",
            project=self._args.project,
            display_name=title,
            combiner="OR",
            severity="CRITICAL" if key.startswith(("uptime", "api-5xx", "cis")) else "WARNING",
            conditions=[
                monitoring.AlertPolicyConditionArgs(
                    display_name=title,
                    condition_threshold=monitoring.AlertPolicyConditionConditionThresholdArgs(
                        filter=metric_filter,
                        comparison="COMPARISON_GT",
                        threshold_value=threshold,
                        duration=duration,
                        aggregations=[aggregation],
                        denominator_filter=denominator_filter,
                        denominator_aggregations=denominator,
                        trigger=monitoring.AlertPolicyConditionConditionThresholdTriggerArgs(
                            count=1
                        ),
                    ),
                )
            ],
            notification_channels=[channel.name for channel in self.channels],
            documentation=monitoring.AlertPolicyDocumentationArgs(
                subject=title, content=docs, mime_type="text/markdown"
            ),
            user_labels=dict(self._args.labels),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.alert_policies[key] = policy
        return policy


def _rate(
    group_by: Sequence[str],
) -> monitoring.AlertPolicyConditionConditionThresholdAggregationArgs:
    return monitoring.AlertPolicyConditionConditionThresholdAggregationArgs(
        alignment_period="60s",
        per_series_aligner="ALIGN_RATE",
        cross_series_reducer="REDUCE_SUM",
        group_by_fields=list(group_by),
    )


def _mean() -> monitoring.AlertPolicyConditionConditionThresholdAggregationArgs:
    return monitoring.AlertPolicyConditionConditionThresholdAggregationArgs(
        alignment_period="60s", per_series_aligner="ALIGN_MEAN", cross_series_reducer="REDUCE_MAX"
    )


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def _chart(
    title: str, metric_filter: str, aligner: str, reducer: str | None = None
) -> dict[str, Any]:
    aggregation: dict[str, Any] = {"alignmentPeriod": "60s", "perSeriesAligner": aligner}
    if reducer:
        aggregation["crossSeriesReducer"] = reducer
    return {
        "title": title,
        "xyChart": {
            "dataSets": [
                {
                    "plotType": "LINE",
                    "timeSeriesQuery": {
                        "timeSeriesFilter": {"filter": metric_filter, "aggregation": aggregation}
                    },
                }
            ]
        },
    }


def _dashboard_json(env: str, service: str, alerts: AlertSettings) -> str:
    run = f'resource.type="cloud_run_revision" AND resource.labels.service_name="{service}"'
    charts = [
        _chart(
            f"API p95 latency (target {alerts.latency_p95_ms} ms)",
            f'{run} AND metric.type="run.googleapis.com/request_latencies"',
            "ALIGN_PERCENTILE_95",
            "REDUCE_MAX",
        ),
        _chart(
            "API 5xx responses per second",
            f'{run} AND metric.type="run.googleapis.com/request_count" '
            'AND metric.labels.response_code_class="5xx"',
            "ALIGN_RATE",
            "REDUCE_SUM",
        ),
        _chart(
            "API requests per second",
            f'{run} AND metric.type="run.googleapis.com/request_count"',
            "ALIGN_RATE",
            "REDUCE_SUM",
        ),
        _chart(
            "Cloud SQL CPU utilisation",
            'resource.type="cloudsql_database" AND '
            'metric.type="cloudsql.googleapis.com/database/cpu/utilization"',
            "ALIGN_MEAN",
        ),
        _chart(
            "Cloud SQL memory utilisation",
            'resource.type="cloudsql_database" AND '
            'metric.type="cloudsql.googleapis.com/database/memory/utilization"',
            "ALIGN_MEAN",
        ),
        _chart(
            f"Cloud SQL connections (max {alerts.database_max_connections})",
            'resource.type="cloudsql_database" AND '
            'metric.type="cloudsql.googleapis.com/database/postgresql/num_backends"',
            "ALIGN_MEAN",
            "REDUCE_SUM",
        ),
        _chart(
            "Query latency p99 (query insights, µs)",
            'resource.type="cloudsql_instance_database" AND metric.type='
            '"cloudsql.googleapis.com/database/postgresql/insights/aggregate/latencies"',
            "ALIGN_PERCENTILE_99",
            "REDUCE_MAX",
        ),
        _chart(
            "Redis memory usage ratio",
            'resource.type="redis_instance" AND '
            'metric.type="redis.googleapis.com/stats/memory/usage_ratio"',
            "ALIGN_MEAN",
        ),
    ]
    tiles = [
        {"xPos": (i % 2) * 6, "yPos": (i // 2) * 4, "width": 6, "height": 4, "widget": chart}
        for i, chart in enumerate(charts)
    ]
    return json.dumps(
        {"displayName": f"My Hibachi ({env})", "mosaicLayout": {"columns": 12, "tiles": tiles}},
        sort_keys=True,
    )
