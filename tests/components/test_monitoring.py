"""Monitoring: named channels routed by severity, uptime checks, threshold alerts at the given
targets, SLOs with burn-rate alerts, booking completion, CIS log metrics with alerts, rotation
notices, a dashboard with the API's traces."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.monitoring import Monitoring, MonitoringArgs, UptimeTarget
from components.monitoring.severity import ESCALATIONS
from preflight.capture import Capture, CapturedResource
from preflight.values import is_secret, unwrapped
from settings.monitoring import AlertSettings, Channel, ChannelSettings, SeverityRoutes
from tests.components.fixtures import ENV, LABELS, PROJECT
from tests.components.inventory import Scenario, capture_fixture, inventory_test, run

CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel"
UPTIME = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"
POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"
LOG_METRIC = "gcp:logging/metric:Metric"
SLO = "gcp:monitoring/slo:Slo"
CHANNELS = (
    Channel("first", ChannelSettings(type="email", address="first@example.test")),
    Channel("second", ChannelSettings(type="email", address="second@example.test")),
    Channel("phone", ChannelSettings(type="sms", number="+15550100199")),
    Channel("tool", ChannelSettings(type="webhook", url_secret="test-global-TOOL_URL")),
)
# Assembled at run time: a URL with a token in it, as the on-call tool gives one.
WEBHOOK_URL = "https://" + "hooks.example.test/alerts?auth_token=" + "fixture"
THRESHOLDS = AlertSettings(
    channels=CHANNELS,
    notify=SeverityRoutes(
        critical=("tool", "phone", "first"), error=("first",), warning=("second",)
    ),
    error_rate_percent=0.5,
    latency_p95_ms=750,
    slow_query_ms=250,
    database_max_connections=120,
    saturation_percent=70,
)
TARGETS = {
    "admin": UptimeTarget(host="admin.example.test", accepted_status_codes=(401,)),
    "api": UptimeTarget(host="api.example.test", path="/healthz"),
}


def _monitoring(webhook_ready: bool) -> None:
    Monitoring(
        "monitoring",
        MonitoringArgs(
            alerts=THRESHOLDS,
            api_service_name="fixture-api",
            env=ENV,
            project=PROJECT,
            rotation_subscription="fixture-notices",
            rotation_topic="fixture-rotation",
            uptime_targets=TARGETS,
            labels=LABELS,
            webhook_urls={"tool": WEBHOOK_URL} if webhook_ready else {},
        ),
    )


SCENARIOS = [
    Scenario("monitoring", "two-hosts-four-channels", lambda: _monitoring(webhook_ready=True)),
    Scenario("monitoring", "before-the-webhook-url", lambda: _monitoring(webhook_ready=False)),
]


test_matches_its_inventory = inventory_test(SCENARIOS)


monitoring = capture_fixture(SCENARIOS[0])


def _policy(capture: Capture, key: str) -> CapturedResource:
    return capture.one(POLICY, f"monitoring-alert-{key}")


def _condition(capture: Capture, key: str) -> dict[str, Any]:
    [condition] = unwrapped(_policy(capture, key).inputs["conditions"])
    threshold: dict[str, Any] = condition["conditionThreshold"]
    return threshold


def _channel(capture: Capture, name: str) -> CapturedResource:
    return capture.one(CHANNEL, f"monitoring-channel-{name}")


def test_one_channel_per_name_of_its_type(monitoring: Capture) -> None:
    channels = {c.name: unwrapped(c.inputs) for c in monitoring.by_type(CHANNEL)}
    assert {name: (c["type"], c["labels"]) for name, c in channels.items()} == {
        "monitoring-channel-first": ("email", {"email_address": "first@example.test"}),
        "monitoring-channel-second": ("email", {"email_address": "second@example.test"}),
        "monitoring-channel-phone": ("sms", {"number": "+15550100199"}),
        "monitoring-channel-tool": ("webhook_tokenauth", {"url": WEBHOOK_URL}),
    }


def test_the_webhook_url_stays_a_secret(monitoring: Capture) -> None:
    labels = _channel(monitoring, "tool").inputs["labels"]
    assert is_secret(labels) or is_secret(labels["url"])
    assert WEBHOOK_URL not in SCENARIOS[0].path.read_text()


def test_each_alert_notifies_its_severitys_channels(monitoring: Capture) -> None:
    names = {key: _channel(monitoring, key).outputs["name"] for key in ("first", "second")}
    routes = {
        "CRITICAL": sorted(
            _channel(monitoring, key).outputs["name"] for key in ("tool", "phone", "first")
        ),
        "ERROR": [names["first"]],
        "WARNING": [names["second"]],
    }
    seen = set()
    for policy in monitoring.by_type(POLICY):
        inputs = unwrapped(policy.inputs)
        severity = inputs["severity"]
        seen.add(severity)
        assert sorted(inputs["notificationChannels"]) == routes[severity], policy.urn
        assert inputs["userLabels"] == LABELS, policy.urn
    assert seen == {"CRITICAL", "ERROR", "WARNING"}


@pytest.mark.parametrize(
    ("severity", "response"),
    [("CRITICAL", "15 minutes"), ("ERROR", "1 hour"), ("WARNING", "4 hours")],
)
def test_the_docs_open_with_the_escalation_tables_response_time(
    monitoring: Capture, severity: str, response: str
) -> None:
    policies = [
        unwrapped(p.inputs) for p in monitoring.by_type(POLICY) if p.inputs["severity"] == severity
    ]
    assert policies
    for inputs in policies:
        content = inputs["documentation"]["content"]
        assert content.startswith(f"**{severity}** ("), inputs["displayName"]
        assert f"respond within {response}" in content.split("\n\n", 1)[0]
        assert len(content.split("\n\n", 1)[1]) > 80, inputs["displayName"]
    assert ESCALATIONS[severity].response == response  # type: ignore[index]


@pytest.mark.parametrize(
    ("key", "severity"),
    [
        ("uptime-api", "CRITICAL"),
        ("api-5xx-rate", "ERROR"),
        ("booking-completion", "ERROR"),
        ("api-latency-p95", "WARNING"),
        ("slow-queries", "WARNING"),
        ("secret-rotation-due", "WARNING"),
        ("cis-2-4-project-ownership-changes", "CRITICAL"),
        ("cis-2-7-firewall-rule-changes", "ERROR"),
    ],
)
def test_severity_follows_what_the_alert_means(
    monitoring: Capture, key: str, severity: str
) -> None:
    assert _policy(monitoring, key).inputs["severity"] == severity


def test_before_the_webhook_url_exists_critical_alerts_reach_the_other_channels() -> None:
    capture = run(SCENARIOS[1])
    assert sorted(c.name for c in capture.by_type(CHANNEL)) == [
        "monitoring-channel-first",
        "monitoring-channel-phone",
        "monitoring-channel-second",
    ]
    expected = sorted(_channel(capture, key).outputs["name"] for key in ("phone", "first"))
    uptime = unwrapped(_policy(capture, "uptime-api").inputs)
    assert sorted(uptime["notificationChannels"]) == expected


def test_uptime_checks_cover_the_given_hosts_with_tls_validation(monitoring: Capture) -> None:
    checks = {c.name: unwrapped(c.inputs) for c in monitoring.by_type(UPTIME)}
    assert sorted(checks) == ["monitoring-uptime-admin", "monitoring-uptime-api"]
    api = checks["monitoring-uptime-api"]
    assert api["monitoredResource"] == {
        "type": "uptime_url",
        "labels": {"host": "api.example.test", "project_id": PROJECT},
    }
    assert (api["httpCheck"]["path"], api["httpCheck"]["useSsl"]) == ("/healthz", True)
    assert api["httpCheck"]["validateSsl"] is True
    codes = checks["monitoring-uptime-admin"]["httpCheck"]["acceptedResponseStatusCodes"]
    assert {"statusValue": 401} in codes
    ids = {c.outputs["uptimeCheckId"] for c in monitoring.by_type(UPTIME)}
    alerted = {
        _condition(monitoring, f"uptime-{role}")["filter"].split('check_id="')[1].rstrip('"')
        for role in TARGETS
    }
    assert alerted == ids


def test_thresholds_are_the_given_targets(monitoring: Capture) -> None:
    latency = _condition(monitoring, "api-latency-p95")
    assert latency["thresholdValue"] == 750
    assert [a["perSeriesAligner"] for a in latency["aggregations"]] == ["ALIGN_PERCENTILE_95"]
    assert 'resource.labels.service_name="fixture-api"' in latency["filter"]
    errors = _condition(monitoring, "api-5xx-rate")
    assert errors["thresholdValue"] == pytest.approx(0.005)
    assert "5xx" not in errors["denominatorFilter"]
    assert _condition(monitoring, "slow-queries")["thresholdValue"] == 250_000
    for key in ("sql-cpu", "sql-memory", "sql-disk", "redis-memory"):
        assert _condition(monitoring, key)["thresholdValue"] == pytest.approx(0.7), key
    assert _condition(monitoring, "sql-connections")["thresholdValue"] == 84


def test_slos_hold_the_targets_over_28_days(monitoring: Capture) -> None:
    slos = {s.inputs["sloId"]: unwrapped(s.inputs) for s in monitoring.by_type(SLO)}
    availability, latency = slos["availability"], slos["latency"]
    assert (availability["goal"], availability["rollingPeriodDays"]) == (0.995, 28)
    ratio = availability["requestBasedSli"]["goodTotalRatio"]
    assert 'response_code_class="5xx"' in ratio["badServiceFilter"]
    assert "5xx" not in ratio["totalServiceFilter"]
    assert (latency["goal"], latency["rollingPeriodDays"]) == (0.95, 28)
    assert latency["requestBasedSli"]["distributionCut"]["range"] == {"max": 750}


@pytest.mark.parametrize(
    ("key", "factor", "windows", "severity"),
    [
        ("fast-burn", 14.4, ("3600s", "300s"), "CRITICAL"),
        ("slow-burn", 6, ("21600s", "1800s"), "WARNING"),
    ],
)
@pytest.mark.parametrize("objective", ["availability", "latency"])
def test_burn_rate_alerts_need_both_windows(
    monitoring: Capture,
    objective: str,
    key: str,
    factor: float,
    windows: tuple[str, str],
    severity: str,
) -> None:
    policy = unwrapped(_policy(monitoring, f"slo-{objective}-{key}").inputs)
    assert (policy["combiner"], policy["severity"]) == ("AND", severity)
    slo = monitoring.one(SLO, f"monitoring-slo-{objective}").outputs["name"]
    conditions = [c["conditionThreshold"] for c in policy["conditions"]]
    assert [c["filter"] for c in conditions] == [
        f'select_slo_burn_rate("{slo}", "{window}")' for window in windows
    ]
    assert all(c["thresholdValue"] == pytest.approx(factor) for c in conditions)


def test_booking_completion_below_95_percent_alerts(monitoring: Capture) -> None:
    metrics = {m.inputs["name"]: m for m in monitoring.by_type(LOG_METRIC)}
    started, completed = metrics[f"{ENV}-booking-started"], metrics[f"{ENV}-booking-completed"]
    assert 'jsonPayload.event="booking.completed"' in completed.inputs["filter"]
    assert 'resource.labels.service_name="fixture-api"' in started.inputs["filter"]
    condition = _condition(monitoring, "booking-completion")
    assert condition["comparison"] == "COMPARISON_LT"
    assert condition["thresholdValue"] == pytest.approx(0.95)
    assert f"user/{ENV}-booking-completed" in condition["filter"]
    assert f"user/{ENV}-booking-started" in condition["denominatorFilter"]
    assert {started.urn, completed.urn} <= set(
        _policy(monitoring, "booking-completion").dependencies
    )


CIS = {
    "2-4": "project",
    "2-5": "project",
    "2-6": "iam_role",
    "2-7": "gce_firewall_rule",
    "2-8": "gce_route",
    "2-9": "gce_network",
    "2-10": "gcs_bucket",
    "2-11": "cloudsql_database",
}


@pytest.mark.parametrize("section", sorted(CIS))
def test_cis_log_metric_with_an_alert_on_its_resource_type(
    monitoring: Capture, section: str
) -> None:
    [metric] = [m for m in monitoring.by_type(LOG_METRIC) if f"-cis-{section}-" in m.inputs["name"]]
    [policy] = [
        p
        for p in monitoring.by_type(POLICY)
        if f'user/{metric.inputs["name"]}"'
        in unwrapped(p.inputs)["conditions"][0]["conditionThreshold"]["filter"]
    ]
    condition = unwrapped(policy.inputs)["conditions"][0]["conditionThreshold"]
    assert f'resource.type="{CIS[section]}"' in condition["filter"]
    assert condition["thresholdValue"] == 0
    # Monitoring refuses a filter on a log-based metric it does not know yet.
    assert metric.urn in policy.dependencies


def test_rotation_notices_reach_the_on_call(monitoring: Capture) -> None:
    condition = _condition(monitoring, "secret-rotation-due")
    assert 'resource.labels.topic_id="fixture-rotation"' in condition["filter"]
    assert "send_message_operation_count" in condition["filter"]
    docs = unwrapped(_policy(monitoring, "secret-rotation-due").inputs)["documentation"]
    assert "gcloud pubsub subscriptions pull fixture-notices" in docs["content"]


def _dashboard(capture: Capture) -> dict[str, Any]:
    dashboard: dict[str, Any] = json.loads(
        capture.one("gcp:monitoring/dashboard:Dashboard").inputs["dashboardJson"]
    )
    return dashboard


def test_dashboard_shows_latency_errors_database_and_redis(monitoring: Capture) -> None:
    filters = " ".join(
        tile["widget"]["xyChart"]["dataSets"][0]["timeSeriesQuery"]["timeSeriesFilter"]["filter"]
        for tile in _dashboard(monitoring)["mosaicLayout"]["tiles"]
        if "xyChart" in tile["widget"]
    )
    for metric in (
        "run.googleapis.com/request_latencies",
        'response_code_class="5xx"',
        "cloudsql.googleapis.com/database/cpu/utilization",
        "postgresql/num_backends",
        "redis.googleapis.com/stats/memory/usage_ratio",
    ):
        assert metric in filters, metric


def test_dashboard_has_the_apis_traces(monitoring: Capture) -> None:
    widgets = [tile["widget"] for tile in _dashboard(monitoring)["mosaicLayout"]["tiles"]]
    [spans] = [w for w in widgets if "cloudtrace" in json.dumps(w.get("xyChart", {}))]
    query = spans["xyChart"]["dataSets"][0]["timeSeriesQuery"]["timeSeriesFilter"]
    assert 'metric.type="cloudtrace.googleapis.com/billing/spans_ingested"' in query["filter"]
    [latency] = [w for w in widgets if "text" in w]
    content = latency["text"]["content"]
    assert f"https://console.cloud.google.com/traces/explorer?project={PROJECT}" in content
    assert "`fixture-api`" in content
    assert "750 ms" in content
    # Every widget is one the dashboard schema knows.
    assert all(set(w) - {"title"} <= {"xyChart", "text"} for w in widgets)
