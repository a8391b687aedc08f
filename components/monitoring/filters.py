"""Monitoring filters of the metrics the alert policies watch and the dashboard charts."""

from __future__ import annotations


def cloud_run(service: str) -> str:
    """The API's Cloud Run revisions: the stack's project has one API service."""
    return f'resource.type="cloud_run_revision" AND resource.labels.service_name="{service}"'


def api_latency(service: str) -> str:
    return f'{cloud_run(service)} AND metric.type="run.googleapis.com/request_latencies"'


def api_requests(service: str) -> str:
    return f'{cloud_run(service)} AND metric.type="run.googleapis.com/request_count"'


def api_5xx(service: str) -> str:
    return f'{api_requests(service)} AND metric.labels.response_code_class="5xx"'


def _cloud_sql(metric: str) -> str:
    return (
        'resource.type="cloudsql_database" AND '
        f'metric.type="cloudsql.googleapis.com/database/{metric}"'
    )


SQL_CPU = _cloud_sql("cpu/utilization")
SQL_MEMORY = _cloud_sql("memory/utilization")
SQL_DISK = _cloud_sql("disk/utilization")
SQL_CONNECTIONS = _cloud_sql("postgresql/num_backends")
# Query insights: per-database query latencies, in microseconds.
QUERY_LATENCIES = (
    'resource.type="cloudsql_instance_database" AND metric.type='
    '"cloudsql.googleapis.com/database/postgresql/insights/aggregate/latencies"'
)
# Cloud Trace writes no span latency to Cloud Monitoring: its one metric per project counts the
# spans it ingested, which shows whether the API's traces arrive at all.
TRACE_SPANS = (
    'resource.type="global" AND metric.type="cloudtrace.googleapis.com/billing/spans_ingested"'
)
REDIS_MEMORY = (
    'resource.type="redis_instance" AND metric.type="redis.googleapis.com/stats/memory/usage_ratio"'
)


def booking_event(service: str, event: str) -> str:
    """The API's structured log entries of one booking event (a logging query, not Monitoring)."""
    return f'{cloud_run(service)} AND jsonPayload.event="booking.{event}"'


def topic_messages(topic: str) -> str:
    """Messages published to one Pub/Sub topic."""
    return (
        'resource.type="pubsub_topic" AND '
        f'resource.labels.topic_id="{topic}" AND '
        'metric.type="pubsub.googleapis.com/topic/send_message_operation_count"'
    )
