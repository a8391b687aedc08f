"""Monitoring: channels, TLS-validating uptime checks, paged alert policies, CIS log metrics."""

from __future__ import annotations

import json
from typing import Any

import pytest

from preflight.capture import Capture, CapturedResource
from preflight.values import unwrapped
from tests.conftest import captured

CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel"
UPTIME = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"
POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"
LOG_METRIC = "gcp:logging/metric:Metric"
LABELS = {"app": "myhibachi", "owner": "devops"}
HOSTS = {
    "staging": {
        "admin": "admin-staging.myhibachichef.com",
        "api": "api-staging.myhibachichef.com",
        "site": "staging.myhibachichef.com",
    },
    "production": {
        "admin": "admin.myhibachichef.com",
        "api": "api.myhibachichef.com",
        "site": "myhibachichef.com",
    },
}


def _threshold(policy: CapturedResource) -> dict[str, Any]:
    conditions = unwrapped(policy.inputs["conditions"])
    assert len(conditions) == 1, policy.urn
    threshold: dict[str, Any] = conditions[0]["conditionThreshold"]
    return threshold


def _policies_on(capture: Capture, metric: str) -> list[CapturedResource]:
    return [p for p in capture.by_type(POLICY) if metric in _threshold(p)["filter"]]


def test_one_email_channel_per_address_with_labels(any_stack: Capture) -> None:
    channels = [unwrapped(c.inputs) for c in any_stack.by_type(CHANNEL)]
    assert [c["labels"]["email_address"] for c in channels] == ["devops@myhibachichef.com"]
    assert all(c["type"] == "email" for c in channels)
    assert all(LABELS.items() <= c["userLabels"].items() for c in channels)


def test_every_alert_policy_pages_a_channel_and_says_what_to_do(any_stack: Capture) -> None:
    channels = {c.outputs["name"] for c in any_stack.by_type(CHANNEL)}
    policies = any_stack.by_type(POLICY)
    assert len(policies) >= 15
    for policy in policies:
        inputs = unwrapped(policy.inputs)
        assert inputs["notificationChannels"], policy.urn
        assert set(inputs["notificationChannels"]) <= channels, policy.urn
        assert len(inputs["documentation"]["content"]) > 80, policy.urn
        assert inputs["userLabels"]["env"] in ("staging", "prod"), policy.urn
        assert LABELS.items() <= inputs["userLabels"].items(), policy.urn


@pytest.mark.parametrize("stack", ["staging", "production"])
def test_uptime_checks_cover_every_public_host_with_tls_validation(stack: str) -> None:
    capture = captured(stack)
    checks = {c.name: unwrapped(c.inputs) for c in capture.by_type(UPTIME)}
    assert sorted(checks) == [
        "monitoring-uptime-admin",
        "monitoring-uptime-api",
        "monitoring-uptime-site",
    ]
    for role, host in HOSTS[stack].items():
        check = checks[f"monitoring-uptime-{role}"]
        assert check["monitoredResource"] == {
            "type": "uptime_url",
            "labels": {"host": host, "project_id": capture.one(CHANNEL).inputs["project"]},
        }
        assert check["httpCheck"]["useSsl"] is True
        assert check["httpCheck"]["validateSsl"] is True
        assert check["httpCheck"]["path"] == ("/health" if role == "api" else "/")
        assert LABELS.items() <= check["userLabels"].items()


def test_each_uptime_check_has_its_own_alert(any_stack: Capture) -> None:
    policies = _policies_on(any_stack, "monitoring.googleapis.com/uptime_check/check_passed")
    ids = {c.outputs["uptimeCheckId"] for c in any_stack.by_type(UPTIME)}
    alerted = {_threshold(p)["filter"].split('check_id="')[1].rstrip('"') for p in policies}
    assert alerted == ids


@pytest.mark.parametrize(("stack", "threshold_ms"), [("staging", 500), ("production", 300)])
def test_latency_alert_on_p95_above_the_stacks_target_for_5_minutes(
    stack: str, threshold_ms: int
) -> None:
    [policy] = _policies_on(captured(stack), 'metric.type="run.googleapis.com/request_latencies"')
    threshold = _threshold(policy)
    assert threshold["thresholdValue"] == threshold_ms
    assert threshold["duration"] == "300s"
    assert threshold["comparison"] == "COMPARISON_GT"
    assert [a["perSeriesAligner"] for a in threshold["aggregations"]] == ["ALIGN_PERCENTILE_95"]
    assert 'resource.labels.service_name="myhibachi-api"' in threshold["filter"]


def test_5xx_ratio_alert_over_all_requests(any_stack: Capture) -> None:
    [policy] = _policies_on(any_stack, 'metric.labels.response_code_class="5xx"')
    threshold = _threshold(policy)
    assert "run.googleapis.com/request_count" in threshold["filter"]
    assert "run.googleapis.com/request_count" in threshold["denominatorFilter"]
    assert "5xx" not in threshold["denominatorFilter"]
    assert threshold["thresholdValue"] == pytest.approx(0.001)


def test_slow_query_alert_in_microseconds(any_stack: Capture) -> None:
    [policy] = _policies_on(
        any_stack, "cloudsql.googleapis.com/database/postgresql/insights/aggregate/latencies"
    )
    assert _threshold(policy)["thresholdValue"] == 500 * 1000


@pytest.mark.parametrize(
    "metric",
    [
        "cloudsql.googleapis.com/database/cpu/utilization",
        "cloudsql.googleapis.com/database/memory/utilization",
        "cloudsql.googleapis.com/database/disk/utilization",
        "redis.googleapis.com/stats/memory/usage_ratio",
    ],
)
def test_saturation_alerts_at_80_percent(any_stack: Capture, metric: str) -> None:
    [policy] = _policies_on(any_stack, metric)
    assert _threshold(policy)["thresholdValue"] == pytest.approx(0.8)


@pytest.mark.parametrize(("stack", "connections"), [("staging", 80), ("production", 160)])
def test_connections_alert_near_the_maximum(stack: str, connections: int) -> None:
    [policy] = _policies_on(captured(stack), "postgresql/num_backends")
    assert _threshold(policy)["thresholdValue"] == connections


CIS = {
    "2-4": ("SetIamPolicy", "roles/owner"),
    "2-5": ("SetIamPolicy", "auditConfigDeltas"),
    "2-6": ('resource.type="iam_role"', "google.iam.admin.v1.CreateRole"),
    "2-11": ('protoPayload.methodName="cloudsql.instances.update"',),
}


@pytest.mark.parametrize("section", sorted(CIS))
def test_cis_log_metric_with_an_alert(any_stack: Capture, section: str) -> None:
    [metric] = [m for m in any_stack.by_type(LOG_METRIC) if f"-cis-{section}-" in m.inputs["name"]]
    for needle in CIS[section]:
        assert needle in metric.inputs["filter"], (section, needle)
    if section == "2-6":
        for verb in ("DeleteRole", "UpdateRole"):
            assert f"google.iam.admin.v1.{verb}" in metric.inputs["filter"]
    [policy] = _policies_on(
        any_stack, f'metric.type="logging.googleapis.com/user/{metric.inputs["name"]}"'
    )
    assert _threshold(policy)["thresholdValue"] == 0


def test_dashboard_shows_latency_errors_database_and_redis(any_stack: Capture) -> None:
    dashboard = json.loads(
        any_stack.one("gcp:monitoring/dashboard:Dashboard").inputs["dashboardJson"]
    )
    filters = " ".join(
        tile["widget"]["xyChart"]["dataSets"][0]["timeSeriesQuery"]["timeSeriesFilter"]["filter"]
        for tile in dashboard["mosaicLayout"]["tiles"]
    )
    for metric in (
        "run.googleapis.com/request_latencies",
        'response_code_class="5xx"',
        "cloudsql.googleapis.com/database/cpu/utilization",
        "postgresql/num_backends",
        "redis.googleapis.com/stats/memory/usage_ratio",
    ):
        assert metric in filters, metric
