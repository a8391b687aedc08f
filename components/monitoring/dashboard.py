"""A dashboard per stack charting what the alert policies watch: the API, Cloud SQL and Redis, and
the API's traces.

Traces: the dashboard JSON has no trace widget (its widgets chart metrics, logs, alerts,
incidents and error groups) and Cloud Trace writes no span latency to Cloud Monitoring, only a
count of the spans it ingested. So the trace panel is that count, which drops to zero when the
API stops sending traces, beside a text panel that opens the API's spans in Trace Explorer, where
their latency is broken down request by request.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
from pulumi_gcp import monitoring

from components.monitoring import filters
from components.monitoring.scope import Scope
from settings.monitoring import AlertSettings


def dashboard(
    scope: Scope, thresholds: AlertSettings, api_service_name: pulumi.Input[str]
) -> monitoring.Dashboard:
    """Two columns of line charts, targets in their titles."""
    return monitoring.Dashboard(
        f"{scope.name}-dashboard",
        project=scope.project,
        dashboard_json=pulumi.Output.from_input(api_service_name).apply(
            lambda service: dashboard_json(scope.env, service, thresholds, scope.project)
        ),
        opts=scope.child,
    )


def dashboard_json(env: str, service: str, thresholds: AlertSettings, project: str) -> str:
    """The dashboard's definition (the Monitoring API's JSON)."""
    charts = [
        _chart(
            f"API p95 latency (target {thresholds.latency_p95_ms} ms)",
            filters.api_latency(service),
            "ALIGN_PERCENTILE_95",
            "REDUCE_MAX",
        ),
        _chart(
            "API 5xx responses per second", filters.api_5xx(service), "ALIGN_RATE", "REDUCE_SUM"
        ),
        _chart(
            "API requests per second", filters.api_requests(service), "ALIGN_RATE", "REDUCE_SUM"
        ),
        _chart("Cloud SQL CPU utilisation", filters.SQL_CPU, "ALIGN_MEAN"),
        _chart("Cloud SQL memory utilisation", filters.SQL_MEMORY, "ALIGN_MEAN"),
        _chart(
            f"Cloud SQL connections (max {thresholds.database_max_connections})",
            filters.SQL_CONNECTIONS,
            "ALIGN_MEAN",
            "REDUCE_SUM",
        ),
        _chart(
            "Query latency p99 (query insights, µs)",
            filters.QUERY_LATENCIES,
            "ALIGN_PERCENTILE_99",
            "REDUCE_MAX",
        ),
        _chart("Redis memory usage ratio", filters.REDIS_MEMORY, "ALIGN_MEAN"),
        _chart(
            "Trace spans ingested per second (0: the API sends no traces)",
            filters.TRACE_SPANS,
            "ALIGN_RATE",
            "REDUCE_SUM",
        ),
        _trace_latency_panel(project, service, thresholds),
    ]
    tiles = [
        {"xPos": (i % 2) * 6, "yPos": (i // 2) * 4, "width": 6, "height": 4, "widget": chart}
        for i, chart in enumerate(charts)
    ]
    return json.dumps(
        {"displayName": f"My Hibachi ({env})", "mosaicLayout": {"columns": 12, "tiles": tiles}},
        sort_keys=True,
    )


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


def _trace_latency_panel(project: str, service: str, thresholds: AlertSettings) -> dict[str, Any]:
    explorer = f"https://console.cloud.google.com/traces/explorer?project={project}"
    return {
        "title": "API latency from traces",
        "text": {
            "format": "MARKDOWN",
            "content": (
                "The API's spans, their latency as a heatmap and each request's breakdown "
                f"(database, Redis, Stripe, OpenAI) are in [Trace Explorer]({explorer}): filter "
                f"the spans on the Cloud Run service `{service}`. Look there when the p95 passes "
                f"{thresholds.latency_p95_ms} ms."
            ),
        },
    }
