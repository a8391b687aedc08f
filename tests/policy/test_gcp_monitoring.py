"""Monitoring policies: alerts recognised by the terms their filters require, as the policy config
defines each kind; thresholds within the limits; uptime checks for the stack's own hosts."""

from __future__ import annotations

from typing import Any

import pytest

from policy.myhibachi_policy import gcp_monitoring
from preflight.values import unwrapped
from tests.conftest import captured
from tests.policy import baselines as b
from tests.policy.support import (
    DELETE,
    STACKS,
    UNKNOWN,
    changed,
    names,
    res,
    run_stack,
    stack_names,
    stack_outcome,
    stack_values,
)

LATENCY = "gcp-monitoring-alert-api-latency"
ERROR_RATE = "gcp-monitoring-alert-error-rate"
SLOW_QUERIES = "gcp-monitoring-alert-slow-queries"
UPTIME = "gcp-monitoring-uptime-public-hosts"
REQUEST_COUNT = 'metric.type="run.googleapis.com/request_count"'


def compliant() -> list[Any]:
    return [*b.monitoring(), *b.edge(), *b.backups(), *b.flags()]


def with_alert(name: str, filter_: str, threshold: float, denominator: str | None = None) -> Any:
    """The compliant production stack with one alert replaced."""
    return [*b.without(compliant(), name), b.alert(name, filter_, threshold, denominator)]


def test_latency_threshold_above_target_fails() -> None:
    assert stack_names([*b.monitoring(latency_ms=301), *b.edge(), *b.backups(), *b.flags()]) == {
        LATENCY
    }
    staging = [*b.staging_monitoring(), *b.staging_edge(), *b.backups(), *b.flags()]
    assert stack_names(staging, stack="staging") == set()


def test_error_rate_needs_denominator_and_low_threshold() -> None:
    no_ratio = with_alert("errors", b.ERROR_RATE_FILTER, 0.001)
    too_high = with_alert("errors", b.ERROR_RATE_FILTER, 0.01, "x")
    assert stack_names(no_ratio) == {ERROR_RATE}
    assert stack_names(too_high) == {ERROR_RATE}


def test_slow_query_threshold_above_limit_fails() -> None:
    filter_ = (
        'metric.type="cloudsql.googleapis.com/database/postgresql/insights/aggregate/latencies"'
    )
    found = run_stack(with_alert("slow-queries", filter_, 500001))
    assert [(n, m) for n, m, _ in found] == [
        (
            SLOW_QUERIES,
            "AlertPolicy 'slow-queries' (the slow queries alert): thresholdValue must be at most "
            "500 ms.",
        )
    ]


@pytest.mark.parametrize(
    "filter_",
    [
        # Another operator order, spacing and label spelling, explicit or implied AND.
        'metric.label.response_code_class = "5xx" AND metric.type = "run.googleapis.com/request_count"',  # noqa: E501
        'resource.type="cloud_run_revision" (metric.labels.response_code_class="5xx" '
        f"{REQUEST_COUNT})",
        f'{REQUEST_COUNT} AND resource.labels.service_name = starts_with("api") AND '
        'metric.labels.response_code_class="5xx"',
    ],
)
def test_the_same_error_rate_alert_written_otherwise_is_recognised(filter_: str) -> None:
    assert stack_names(with_alert("errors", filter_, 0.001, REQUEST_COUNT)) == set()


@pytest.mark.parametrize(
    "filter_",
    [
        # 4xx and 5xx together is not a 5xx rate.
        f'{REQUEST_COUNT} AND (metric.labels.response_code_class="5xx" OR '
        'metric.labels.response_code_class="4xx")',
        f'{REQUEST_COUNT} AND NOT metric.labels.response_code_class="2xx"',
        # Naming the metric in a label value or a function does not make it the metric type.
        'metric.type="run.googleapis.com/request_latencies" '
        'metric.labels.note="run.googleapis.com/request_count 5xx"',
        'metric.type=starts_with("run.googleapis.com/request_count") '
        'metric.labels.response_code_class="5xx"',
    ],
)
def test_a_filter_that_does_not_require_the_terms_is_not_the_alert(filter_: str) -> None:
    assert stack_names(with_alert("errors", filter_, 0.001, REQUEST_COUNT)) == {ERROR_RATE}


def test_a_filter_that_cannot_be_read_with_certainty_cannot_decide() -> None:
    ambiguous = f'{REQUEST_COUNT} AND metric.labels.response_code_class="5xx" OR resource.type="x"'
    assert stack_names(with_alert("errors", ambiguous, 0.001, REQUEST_COUNT)) == set()


def test_the_policy_config_defines_the_kind() -> None:
    resources = compliant()
    assert stack_names(resources, only=ERROR_RATE) == set()
    four_xx = {"requiredTerms": {"metric.labels.response_code_class": "4xx"}}
    assert stack_names(resources, only=ERROR_RATE, config_override=four_xx) == {ERROR_RATE}
    other_metric = {"metricTypes": ["run.googleapis.com/request_latencies_v2"]}
    assert stack_names(resources, only=LATENCY, config_override=other_metric) == {LATENCY}
    assert stack_names(resources, only=LATENCY, config_override={"requiredTerms": {}}) == set()


def test_missing_uptime_check_for_a_host() -> None:
    resources = b.without(b.monitoring(), "uptime-admin.myhibachichef.com")
    found = run_stack([*resources, *b.edge(), *b.backups(), *b.flags()])
    assert [(n, m) for n, m, _ in found] == [
        (
            UPTIME,
            "The stack must declare an uptime check with monitoredResource.labels.host = "
            "admin.myhibachichef.com.",
        )
    ]


def test_uptime_checks_follow_the_stack_hosts() -> None:
    found = run_stack([*b.monitoring(500), *b.flags()], stack="staging", only=UPTIME)
    assert [m for _, m, _ in found] == [
        f"The stack must declare an uptime check with monitoredResource.labels.host = {host}."
        for host in b.STAGING_HOSTS
    ]


def test_without_the_stack_domain_uptime_is_not_applicable() -> None:
    config = {k: v for k, v in stack_values("production").items() if k != "myhibachi:domain"}
    outcome = stack_outcome(b.monitoring(), only=UPTIME, program_config=config)
    assert outcome.violations == []
    assert outcome.skipped == {UPTIME: "the stack config does not set myhibachi:domain.site"}


@pytest.mark.parametrize(
    ("metric", "policy"),
    [
        ("owner-changes", "gcp-logging-metric-project-ownership-changes"),
        ("audit-config-changes", "gcp-logging-metric-audit-config-changes"),
        ("custom-role-changes", "gcp-logging-metric-custom-role-changes"),
        ("sql-config-changes", "gcp-logging-metric-sql-config-changes"),
    ],
)
def test_security_event_without_its_metric(metric: str, policy: str) -> None:
    assert stack_names(b.without(compliant(), metric)) == {policy}


def test_security_metric_without_alert() -> None:
    resources = b.without(compliant(), "sql-config-changes-alert")
    assert stack_names(resources) == {"gcp-logging-metric-sql-config-changes"}


def test_unknown_metric_filter_cannot_decide() -> None:
    resources = b.without(compliant(), "owner-changes")
    resources.append(
        res(b.LOG_METRIC, "owner-changes", {"name": "owner-changes", "filter": UNKNOWN})
    )
    assert stack_names(resources) == set()


@pytest.mark.parametrize("stack", STACKS)
def test_the_program_alerts_are_read_and_recognised(stack: str) -> None:
    alerts = [
        res(r.type, r.name, unwrapped(r.inputs))
        for r in captured(stack).resources
        if r.type == b.ALERT
    ]
    found = [c for alert in alerts for c in gcp_monitoring.conditions(alert)]
    assert [c for c in found if c.terms is None] == []
    kinds = (
        gcp_monitoring.API_LATENCY,
        gcp_monitoring.API_ERROR_RATE,
        gcp_monitoring.SLOW_QUERIES,
        gcp_monitoring.UPTIME,
    )
    assert [sum(kind.matches(c) for c in found) for kind in kinds] == [1, 1, 1, 3]


# --- Resource policies: notification channels and TLS-validating uptime checks ------------------

ALERT_PROPS: dict[str, Any] = {
    "displayName": "latency",
    "combiner": "OR",
    "notificationChannels": b.CHANNELS,
    "conditions": [
        {
            "displayName": "latency",
            "conditionThreshold": {
                "filter": 'metric.type="run.googleapis.com/request_latencies"',
                "thresholdValue": 300,
                "comparison": "COMPARISON_GT",
                "duration": "300s",
            },
        }
    ],
}
UPTIME_PROPS: dict[str, Any] = {
    "displayName": "api",
    "timeout": "10s",
    "monitoredResource": {"type": "uptime_url", "labels": {"host": "api.myhibachichef.com"}},
    "httpCheck": {"path": "/health", "port": 443, "useSsl": True, "validateSsl": True},
}


def test_an_alert_policy_with_a_channel_passes() -> None:
    assert "gcp-monitoring-alertpolicy-notification-channels" not in names(b.ALERT, ALERT_PROPS)


@pytest.mark.parametrize("channels", [[], DELETE])
def test_an_alert_policy_without_a_channel_is_blocked(channels: Any) -> None:
    props = changed(ALERT_PROPS, "notificationChannels", channels)
    assert "gcp-monitoring-alertpolicy-notification-channels" in names(b.ALERT, props)


def test_an_uptime_check_that_validates_tls_passes() -> None:
    assert "gcp-monitoring-uptimecheck-validates-tls" not in names(b.UPTIME, UPTIME_PROPS)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("httpCheck.validateSsl", False),
        ("httpCheck.validateSsl", DELETE),
        ("httpCheck.useSsl", False),
    ],
)
def test_an_uptime_check_without_tls_validation_is_blocked(path: str, value: Any) -> None:
    props = changed(UPTIME_PROPS, path, value)
    assert "gcp-monitoring-uptimecheck-validates-tls" in names(b.UPTIME, props)
