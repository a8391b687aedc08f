"""Threshold alert policies: how each is built, and the API's, database's and Redis's.

Each policy has one threshold condition, a severity (`severity.py`: production down, a feature
broken, performance), notifies that severity's channels and carries the runbook for the person
notified, opened by the response time the escalation table sets. Thresholds come from the stack's
alert settings: the API's p95 latency target and 5xx ratio, slow queries, and saturation of the
database and Redis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import pulumi
from pulumi_gcp import monitoring

from components.monitoring import filters
from components.monitoring.scope import Scope
from components.monitoring.severity import AlertSeverity, documented
from settings.monitoring import AlertSettings

Aggregation = monitoring.AlertPolicyConditionConditionThresholdAggregationArgs


def aggregate(
    aligner: str,
    reducer: str | None = None,
    group_by: Sequence[str] = (),
    period: str = "60s",
) -> Aggregation:
    """Align each series over `period`, then reduce across series (per `group_by` fields)."""
    return Aggregation(
        alignment_period=period,
        per_series_aligner=aligner,
        cross_series_reducer=reducer,
        group_by_fields=list(group_by) or None,
    )


class AlertPolicies:
    """The component's alert policies by key, each named `{name}-alert-{key}`."""

    def __init__(
        self,
        scope: Scope,
        routes: Mapping[AlertSeverity, Sequence[monitoring.NotificationChannel]],
    ) -> None:
        self.scope = scope
        self.routes = {severity: list(channels) for severity, channels in routes.items()}
        self.by_key: dict[str, monitoring.AlertPolicy] = {}

    def threshold(
        self,
        key: str,
        title: str,
        metric_filter: pulumi.Input[str],
        *,
        aggregation: Aggregation,
        threshold: float,
        duration: str,
        docs: pulumi.Input[str],
        severity: AlertSeverity,
        denominator_filter: pulumi.Input[str] | None = None,
        comparison: Literal["COMPARISON_GT", "COMPARISON_LT"] = "COMPARISON_GT",
        depends_on: Sequence[pulumi.Resource] = (),
    ) -> monitoring.AlertPolicy:
        """A policy that fires when the metric stays above (or below) `threshold` for
        `duration`.

        With `denominator_filter` the metric is a ratio, its denominator aggregated alike.
        `depends_on` names what the filter's metric comes from (a log-based metric must exist
        before Monitoring accepts a filter on it).
        """
        denominator = (
            None
            if denominator_filter is None
            else [
                monitoring.AlertPolicyConditionConditionThresholdDenominatorAggregationArgs(
                    alignment_period=aggregation.alignment_period,
                    per_series_aligner=aggregation.per_series_aligner,
                    cross_series_reducer=aggregation.cross_series_reducer,
                    group_by_fields=aggregation.group_by_fields,
                )
            ]
        )
        condition = monitoring.AlertPolicyConditionArgs(
            display_name=title,
            condition_threshold=monitoring.AlertPolicyConditionConditionThresholdArgs(
                filter=metric_filter,
                comparison=comparison,
                threshold_value=threshold,
                duration=duration,
                aggregations=[aggregation],
                denominator_filter=denominator_filter,
                denominator_aggregations=denominator,
                trigger=monitoring.AlertPolicyConditionConditionThresholdTriggerArgs(count=1),
            ),
        )
        return self.policy(key, title, [condition], docs, severity, depends_on=depends_on)

    def policy(
        self,
        key: str,
        title: str,
        conditions: Sequence[monitoring.AlertPolicyConditionArgs],
        docs: pulumi.Input[str],
        severity: AlertSeverity,
        *,
        combiner: Literal["OR", "AND"] = "OR",
        depends_on: Sequence[pulumi.Resource] = (),
    ) -> monitoring.AlertPolicy:
        """A policy of these conditions that notifies its severity's channels with its runbook."""
        policy = monitoring.AlertPolicy(
            f"{self.scope.name}-alert-{key}",
            project=self.scope.project,
            display_name=title,
            combiner=combiner,
            severity=severity,
            conditions=list(conditions),
            notification_channels=[channel.name for channel in self.routes[severity]],
            documentation=monitoring.AlertPolicyDocumentationArgs(
                subject=title, content=documented(severity, docs), mime_type="text/markdown"
            ),
            user_labels=dict(self.scope.labels),
            opts=pulumi.ResourceOptions(parent=self.scope.parent, depends_on=list(depends_on)),
        )
        self.by_key[key] = policy
        return policy


def service_alerts(
    alerts: AlertPolicies, thresholds: AlertSettings, api_service_name: pulumi.Input[str]
) -> None:
    """The API's latency and errors, slow queries, database and Redis saturation."""
    env = alerts.scope.env
    service = pulumi.Output.from_input(api_service_name)
    per_service = ["resource.label.service_name"]
    alerts.threshold(
        "api-latency-p95",
        f"{env}: API p95 latency above {thresholds.latency_p95_ms} ms",
        service.apply(filters.api_latency),
        aggregation=aggregate("ALIGN_PERCENTILE_95", "REDUCE_MAX", per_service),
        threshold=thresholds.latency_p95_ms,
        duration="300s",
        severity="WARNING",
        docs=(
            f"The API's 95th percentile latency has stayed above {thresholds.latency_p95_ms} ms "
            "for 5 minutes.\n\n1. Check the dashboard: is it one endpoint, the database "
            "(CPU, slow queries, connections) or Redis?\n2. Check Cloud Run instance count "
            "against max instances and recent revisions; roll back a bad release.\n"
            "3. Escalate to the backend team if it persists."
        ),
    )
    alerts.threshold(
        "api-5xx-rate",
        f"{env}: API 5xx rate above {thresholds.error_rate_percent} %",
        service.apply(filters.api_5xx),
        aggregation=aggregate("ALIGN_RATE", "REDUCE_SUM", per_service),
        denominator_filter=service.apply(filters.api_requests),
        threshold=thresholds.error_rate_percent / 100,
        duration="300s",
        # Errors above the objective's rate: a feature broken. A fast burn of the availability
        # budget, or a host down, is the page (slos.py, uptime.py).
        severity="ERROR",
        docs=(
            f"More than {thresholds.error_rate_percent} % of API requests have failed with a "
            "5xx for 5 minutes.\n\n1. Open the API's error logs (Logs Explorer, "
            "severity>=ERROR) and Sentry.\n2. If a release coincides, roll back to the previous "
            "revision.\n3. Check the database and Redis alerts; escalate to the backend team."
        ),
    )
    alerts.threshold(
        "slow-queries",
        f"{env}: database queries slower than {thresholds.slow_query_ms} ms",
        filters.QUERY_LATENCIES,
        aggregation=aggregate(
            "ALIGN_PERCENTILE_99", "REDUCE_MAX", ["resource.label.database"], period="300s"
        ),
        # Query insights reports latencies in microseconds.
        threshold=thresholds.slow_query_ms * 1000,
        duration="300s",
        severity="WARNING",
        docs=(
            f"Queries take longer than {thresholds.slow_query_ms} ms (99th percentile).\n\n"
            "1. Open Cloud SQL > Query insights and find the top queries by latency.\n"
            "2. Look for missing indexes, N+1 patterns or lock waits (the logs record lock "
            "waits).\n3. Hand the query to the backend team with its plan (EXPLAIN ANALYZE)."
        ),
    )
    _saturation_alerts(alerts, thresholds)


def _saturation_alerts(alerts: AlertPolicies, thresholds: AlertSettings) -> None:
    env, percent = alerts.scope.env, thresholds.saturation_percent
    ratio = percent / 100
    mean = aggregate("ALIGN_MEAN", "REDUCE_MAX")
    for key, metric_filter, what in (
        ("sql-cpu", filters.SQL_CPU, "CPU"),
        ("sql-memory", filters.SQL_MEMORY, "memory"),
        ("sql-disk", filters.SQL_DISK, "disk"),
    ):
        alerts.threshold(
            key,
            f"{env}: Cloud SQL {what} above {percent} %",
            metric_filter,
            aggregation=mean,
            threshold=ratio,
            duration="300s",
            severity="WARNING",
            docs=(
                f"The database instance's {what} utilisation has stayed above {percent} % for "
                "5 minutes.\n\n1. Check query insights for the load's source.\n2. Disk grows "
                "automatically; CPU and memory need a larger tier (`myhibachi:database.tier`, "
                "a restart in the maintenance window).\n3. Escalate to the DevOps team lead."
            ),
        )
    maximum = thresholds.database_max_connections
    connections = int(maximum * ratio)
    alerts.threshold(
        "sql-connections",
        f"{env}: Cloud SQL connections near the maximum ({connections} of {maximum})",
        filters.SQL_CONNECTIONS,
        aggregation=aggregate("ALIGN_MEAN", "REDUCE_SUM", ["resource.label.database_id"]),
        threshold=connections,
        duration="300s",
        severity="WARNING",
        docs=(
            f"More than {connections} connections are open (max_connections {maximum}).\n\n"
            "1. Compare with Cloud Run's instance count: each instance holds a pool.\n"
            "2. Lower the pool size or max instances, or raise the tier.\n3. Look for leaked "
            "or idle-in-transaction sessions (pg_stat_activity)."
        ),
    )
    alerts.threshold(
        "redis-memory",
        f"{env}: Redis memory above {percent} %",
        filters.REDIS_MEMORY,
        aggregation=mean,
        threshold=ratio,
        duration="300s",
        severity="WARNING",
        docs=(
            f"Redis uses more than {percent} % of its memory.\n\n1. Check evictions and key "
            "counts on the dashboard.\n2. Look for keys without a TTL; raise "
            "`myhibachi:cache.memorySizeGb` if the working set grew.\n3. Escalate to the "
            "backend team."
        ),
    )


def rotation_notice_alert(
    alerts: AlertPolicies, topic: pulumi.Input[str], subscription: pulumi.Input[str]
) -> None:
    """DevOps hears of every rotation notice Secret Manager publishes (seed item 18)."""
    env = alerts.scope.env
    alerts.threshold(
        "secret-rotation-due",
        f"{env}: a secret is due for rotation",
        pulumi.Output.from_input(topic).apply(filters.topic_messages),
        aggregation=aggregate("ALIGN_SUM", "REDUCE_SUM", period="300s"),
        threshold=0,
        duration="0s",
        # A scheduled task, not an outage: the rotation is due, not overdue.
        severity="WARNING",
        docs=pulumi.Output.concat(
            "Secret Manager published a rotation notice: a secret of the catalog has reached "
            "its rotation time.\n\n1. Read the notice (its `secretId` attribute names the "
            "secret): `gcloud pubsub subscriptions pull ",
            subscription,
            " --auto-ack --limit=10`.\n2. Rotate the secret as docs/runbooks/key-rotation.md "
            "says; values people type are added as a new version, then the API redeployed.\n"
            "3. Run `make verify-secrets STACK=<stack>` to confirm the new version is enabled "
            "and readable.",
        ),
    )
