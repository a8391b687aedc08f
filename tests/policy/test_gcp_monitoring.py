"""Monitoring policies: alerts recognised by the terms their filters require, as the policy config
defines each kind; thresholds within the limits; uptime checks for the stack's own hosts."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from components.monitoring.log_metrics import CIS_LOG_METRICS
from policy.myhibachi_policy import gcp_monitoring
from preflight.values import unwrapped
from tests.conftest import RunWithConfig, captured, stack_document
from tests.policy import baselines as b
from tests.policy.one_change import DELETE, changed
from tests.policy.support import (
    STACKS,
    UNKNOWN,
    names,
    program_violations,
    res,
    resource_outcome,
    run_resource,
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
LATENCY_FILTER = f'metric.type="run.googleapis.com/request_latencies" {b.API_SERVICE}'
P95 = b.AGGREGATIONS["latency"]
# The stack's own API service: a denominator of all its requests.
REQUESTS = b.REQUESTS_FILTER


def compliant() -> list[Any]:
    return [*b.monitoring(), *b.edge(), *b.backups(), *b.flags()]


def with_alert(name: str, filter_: str, threshold: float, denominator: str | None = None) -> Any:
    """The compliant production stack with one alert replaced (aggregated as the program does)."""
    replaced = b.alert(name, filter_, threshold, denominator, aggregations=b.AGGREGATIONS[name])
    return [*b.without(compliant(), name), replaced]


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
        'metric.label.response_code_class = "5xx" AND metric.type = "run.googleapis.com/request_count"'  # noqa: E501
        ' AND resource.label.service_name = "myhibachi-api"',
        'resource.type="cloud_run_revision" (metric.labels.response_code_class="5xx" '
        f"{REQUEST_COUNT}) {b.API_SERVICE}",
        f'{REQUEST_COUNT} AND resource.labels.service_name = starts_with("api") AND '
        f'metric.labels.response_code_class="5xx" AND {b.API_SERVICE}',
    ],
)
def test_the_same_error_rate_alert_written_otherwise_is_recognised(filter_: str) -> None:
    assert stack_names(with_alert("errors", filter_, 0.001, REQUESTS)) == set()


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
    assert outcome.only_declined() == {
        UPTIME: "the stack config does not set myhibachi:domain.site"
    }


@pytest.mark.parametrize(
    ("metric", "policy"),
    [
        ("owner-changes", "gcp-logging-metric-project-ownership-changes"),
        ("audit-config-changes", "gcp-logging-metric-audit-config-changes"),
        ("custom-role-changes", "gcp-logging-metric-custom-role-changes"),
        ("firewall-rule-changes", "gcp-logging-metric-firewall-rule-changes"),
        ("route-changes", "gcp-logging-metric-route-changes"),
        ("network-changes", "gcp-logging-metric-network-changes"),
        ("bucket-iam-changes", "gcp-logging-metric-bucket-iam-changes"),
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


# --- Enabled and routed to a channel the stack declares -------------------------------------


def test_a_disabled_alert_does_not_count() -> None:
    latency = LATENCY_FILTER
    found = run_stack(
        [
            *b.without(compliant(), "latency"),
            b.alert("latency", latency, 300, aggregations=P95, enabled=False),
        ],
        only=LATENCY,
    )
    assert [m for _, m, _ in found] == [
        "AlertPolicy 'latency' (the API latency alert): enabled must be true."
    ]


def test_an_alert_routed_outside_the_stack_does_not_count() -> None:
    latency = LATENCY_FILTER
    # A hard-coded channel the stack does not declare, and no dependency on the stack's.
    elsewhere = b.alert("latency", latency, 300, aggregations=P95, channels=())
    found = run_stack([*b.without(compliant(), "latency"), elsewhere], only=LATENCY)
    assert [m for _, m, _ in found] == [
        "AlertPolicy 'latency' (the API latency alert): notificationChannels must name a channel "
        "the stack declares."
    ]
    # The channel's known name counts as routing to it too (an existing channel on update).
    named = res(b.CHANNEL.resource_type, "on-call", {**b.CHANNEL.props, "name": b.CHANNELS[0]})
    resources = [*b.without(compliant(), "latency", "on-call"), named, elsewhere]
    assert stack_names(resources, only=LATENCY) == set()


def test_unknown_routing_is_not_applicable_unless_a_known_alert_decides() -> None:
    latency = LATENCY_FILTER
    unknown_channels = b.alert(
        "latency", latency, 300, aggregations=P95, channels=(), notificationChannels=UNKNOWN
    )
    outcome = stack_outcome([*b.without(compliant(), "latency"), unknown_channels], only=LATENCY)
    assert outcome.only_declined() == {
        LATENCY: "could not verify the API latency alert: AlertPolicy 'latency': "
        "notificationChannels is unknown until the update runs"
    }
    # A known alert that falls short is reported whatever else is unknown.
    lax = b.alert("latency-lax", latency, 1000, aggregations=P95)
    found = stack_outcome([*b.without(compliant(), "latency"), unknown_channels, lax], only=LATENCY)
    assert [m for _, m, _ in found.violations] == [
        "AlertPolicy 'latency-lax' (the API latency alert): thresholdValue must be at most 300 ms."
    ]


def test_an_unknown_filter_is_named_when_nothing_decides() -> None:
    resources = [*b.without(compliant(), "latency"), b.alert("latency", UNKNOWN, 300)]
    outcome = stack_outcome(resources, only=LATENCY)
    assert outcome.declined == {
        LATENCY: "could not verify the API latency alert: AlertPolicy 'latency': a condition's "
        "filter is unknown until the update runs"
    }


# --- CIS 2.x metrics, judged by evaluating their Logging queries --------------------------------

OWNER = "gcp-logging-metric-project-ownership-changes"
ROLES = "gcp-logging-metric-custom-role-changes"
SQL_CHANGES = "gcp-logging-metric-sql-config-changes"


def with_metric(name: str, filter_: str, **props: Any) -> list[Any]:
    return [
        *b.without(compliant(), name),
        res(b.LOG_METRIC, name, {"name": name, "filter": filter_, **props}),
    ]


@pytest.mark.parametrize(
    ("name", "filter_", "policy"),
    [
        # Negated, OR-ed away, or matching more than the event.
        (
            "sql-config-changes",
            'NOT protoPayload.methodName="cloudsql.instances.update"',
            SQL_CHANGES,
        ),
        (
            "sql-config-changes",
            'protoPayload.methodName="cloudsql.instances.update" OR severity>=DEFAULT',
            SQL_CHANGES,
        ),
        ("sql-config-changes", 'protoPayload.methodName:"cloudsql.instances"', SQL_CHANGES),
        ("sql-config-changes", '-protoPayload.methodName="cloudsql.instances.update"', SQL_CHANGES),
        ("custom-role-changes", 'resource.type="iam_role"', ROLES),
        (
            "custom-role-changes",
            'resource.type="iam_role" OR protoPayload.methodName:"Role"',
            ROLES,
        ),
        (
            "custom-role-changes",
            'resource.type="iam_role" AND protoPayload.methodName="google.iam.admin.v1.CreateRole"',
            ROLES,
        ),
        # The words are all there; the precedence (OR before AND) makes it the role alone.
        (
            "owner-changes",
            'protoPayload.methodName="SetIamPolicy" OR NOT '
            'protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner"',
            OWNER,
        ),
        ("owner-changes", 'protoPayload.methodName="SetIamPolicy"', OWNER),
        # CIS 2.7-2.10: a verb left out, the resource type dropped, or a read counted too.
        (
            "firewall-rule-changes",
            'resource.type="gce_firewall_rule" AND ('
            'protoPayload.methodName:"compute.firewalls.patch" OR '
            'protoPayload.methodName:"compute.firewalls.insert")',
            "gcp-logging-metric-firewall-rule-changes",
        ),
        (
            "route-changes",
            'protoPayload.methodName:"compute.routes."',
            "gcp-logging-metric-route-changes",
        ),
        (
            "network-changes",
            'protoPayload.methodName:"compute.networks.insert" OR '
            'protoPayload.methodName:"compute.networks.patch" OR '
            'protoPayload.methodName:"compute.networks.delete" OR '
            'protoPayload.methodName:"compute.networks.removePeering" OR '
            'protoPayload.methodName:"compute.networks.addPeering"',
            "gcp-logging-metric-network-changes",
        ),
        (
            "bucket-iam-changes",
            'resource.type="gcs_bucket" AND '
            'NOT protoPayload.methodName="storage.setIamPermissions"',
            "gcp-logging-metric-bucket-iam-changes",
        ),
    ],
)
def test_a_metric_that_does_not_count_exactly_the_event_is_blocked(
    name: str, filter_: str, policy: str
) -> None:
    assert stack_names(with_metric(name, filter_)) == {policy}


@pytest.mark.parametrize(
    ("name", "filter_"),
    [
        # The same intent in another order, case, notation or form.
        ("sql-config-changes", 'protoPayload.methodName = "CLOUDSQL.INSTANCES.UPDATE"'),
        ("sql-config-changes", 'protoPayload.methodName=~"^cloudsql\\\\.instances\\\\.update$"'),
        (
            "custom-role-changes",
            'protoPayload.methodName=("google.iam.admin.v1.UpdateRole" OR '
            '"google.iam.admin.v1.DeleteRole" OR "google.iam.admin.v1.CreateRole") '
            'resource.type="iam_role"',
        ),
        (
            "owner-changes",
            'protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner" AND '
            'protoPayload.methodName="SetIamPolicy"',
        ),
        (
            "audit-config-changes",
            "protoPayload.serviceData.policyDelta.auditConfigDeltas:* "
            'protoPayload.methodName="SetIamPolicy"',
        ),
    ],
)
def test_the_same_metric_written_otherwise_passes(name: str, filter_: str) -> None:
    assert stack_names(with_metric(name, filter_)) == set()


def test_the_program_s_cis_filters_count_exactly_their_events() -> None:
    # Each event has exactly one of the program's filters, the CIS benchmark's own.
    filters = [text for _, text, _ in CIS_LOG_METRICS.values()]
    for event in gcp_monitoring.SECURITY_EVENTS:
        exact = [text for text in filters if gcp_monitoring.metric_shortfall(event, text) is None]
        assert len(exact) == 1, event.policy


def test_a_disabled_or_unalerted_metric_is_a_known_violation() -> None:
    sql = b.SECURITY_METRICS["sql-config-changes"]
    found = run_stack(with_metric("sql-config-changes", sql, disabled=True), only=SQL_CHANGES)
    assert [m for _, m, _ in found] == [
        "Metric 'sql-config-changes': disabled must be false. (CIS GCP 2.11)"
    ]
    unknown_other = res(b.LOG_METRIC, "other", {"name": "other", "filter": UNKNOWN})
    resources = [*b.without(compliant(), "sql-config-changes-alert"), unknown_other]
    found = run_stack(resources, only=SQL_CHANGES)
    assert [m for _, m, _ in found] == [
        "Metric 'sql-config-changes' has no enabled alert policy requiring metric.type = "
        "logging.googleapis.com/user/<its name>, routed to a notification channel the stack "
        "declares. (CIS GCP 2.11)"
    ]


def test_an_unknown_metric_is_named_when_nothing_decides() -> None:
    resources = [
        *b.without(compliant(), "owner-changes"),
        res(b.LOG_METRIC, "owner-changes", {"name": "owner-changes", "filter": UNKNOWN}),
    ]
    outcome = stack_outcome(resources, only=OWNER)
    assert outcome.declined == {
        OWNER: "could not verify a log-based metric for project ownership assignments or changes: "
        "Metric 'owner-changes': filter is unknown until the update runs"
    }
    unsupported = with_metric(
        "owner-changes", 'logName=log_id("cloudaudit.googleapis.com/activity")'
    )
    outcome = stack_outcome(unsupported, only=OWNER)
    assert (
        "its filter cannot be evaluated (the function log_id() in a comparison)"
        in outcome.skipped[OWNER]
    )


# --- Severity, and paging for what is critical ------------------------------------------------

SEVERITY = "gcp-monitoring-alertpolicy-severity"
PAGES = "gcp-monitoring-critical-alerts-page"
UPTIME_FILTER = 'metric.type="monitoring.googleapis.com/uptime_check/check_passed"'


@pytest.mark.parametrize("severity", ["CRITICAL", "ERROR", "WARNING"])
def test_an_alert_with_a_severity_passes(severity: str) -> None:
    props = changed(ALERT_PROPS, "severity", severity)
    assert SEVERITY not in names(b.ALERT, props)


@pytest.mark.parametrize("severity", [DELETE, "critical", "INFO", "SEVERITY_UNSPECIFIED", ""])
def test_an_alert_without_a_known_severity_is_blocked(severity: Any) -> None:
    props = changed(ALERT_PROPS, "severity", severity)
    [message] = [m for p, m in run_resource(b.ALERT, props) if p == SEVERITY]
    assert message == (
        "AlertPolicy 'subject': severity must be one of CRITICAL, ERROR, WARNING (absent means "
        "none: who is notified, and how fast they respond, follows the severity)."
    )


def test_an_unknown_severity_is_not_applicable() -> None:
    outcome = resource_outcome(b.ALERT, changed(ALERT_PROPS, "severity", UNKNOWN))
    assert SEVERITY not in {p for p, _, _ in outcome.violations}
    assert (
        outcome.skipped[SEVERITY]
        == "AlertPolicy 'subject': severity is unknown until the update runs"
    )


def uptime_alert(
    channels: tuple[Any, ...] = (b.CHANNEL, b.PAGER), severity: str = "CRITICAL", **props: Any
) -> Any:
    return b.alert("uptime", UPTIME_FILTER, 1, channels=channels, severity=severity, **props)


def with_uptime_alert(alert: Any, *channels: Any) -> list[Any]:
    """The compliant production stack with its uptime alert (and channels) replaced."""
    others = b.without(compliant(), "uptime", *([] if not channels else ["pager", "on-call"]))
    return [*others, *channels, alert]


def pages_messages(resources: list[Any]) -> list[str]:
    return [m for _, m, _ in run_stack(resources, only=PAGES)]


def test_a_critical_alert_that_pages_passes() -> None:
    assert pages_messages(compliant()) == []


def test_a_critical_alert_that_only_emails_is_blocked() -> None:
    assert pages_messages(with_uptime_alert(uptime_alert(channels=(b.CHANNEL,)))) == [
        "AlertPolicy 'uptime': a CRITICAL alert must notify a paging channel the stack declares "
        "(type pagerduty, slack, sms, webhook_basicauth, webhook_tokenauth, not disabled); it "
        "notifies none."
    ]


@pytest.mark.parametrize("severity", ["ERROR", "WARNING"])
def test_downgrading_the_uptime_alert_does_not_stop_the_page(severity: str) -> None:
    messages = pages_messages(with_uptime_alert(uptime_alert(severity=severity)))
    assert messages[0] == (
        "AlertPolicy 'uptime': severity must be CRITICAL: it alerts on "
        "monitoring.googleapis.com/uptime_check/check_passed (production down), which pages."
    )


def pager(kind: str, **props: Any) -> Any:
    return res(b.CHANNEL_TYPE, "pager", {**b.PAGER.props, "type": kind, **props})


@pytest.mark.parametrize("kind", ["sms", "pagerduty", "slack", "webhook_basicauth"])
def test_every_paging_type_pages(kind: str) -> None:
    channel = pager(kind)
    alert = uptime_alert(channels=(b.CHANNEL, channel))
    assert pages_messages(with_uptime_alert(alert, b.CHANNEL, channel)) == []


@pytest.mark.parametrize(
    ("kind", "props"),
    [
        ("email", {}),  # named "pager", but an inbox
        ("SMS", {}),  # another spelling is not a type Cloud Monitoring knows
        ("webhook_tokenauth", {"enabled": False}),  # a disabled pager pages nobody
        ("pubsub", {}),
    ],
)
def test_a_channel_that_does_not_page_does_not_count(kind: str, props: dict[str, Any]) -> None:
    channel = pager(kind, **props)
    alert = uptime_alert(channels=(b.CHANNEL, channel))
    assert len(pages_messages(with_uptime_alert(alert, b.CHANNEL, channel))) == 1


def test_the_paging_types_are_the_configs() -> None:
    channel = pager("sms")
    resources = with_uptime_alert(uptime_alert(channels=(b.CHANNEL, channel)), b.CHANNEL, channel)
    override = {"pagingChannelTypes": ["webhook_tokenauth"]}
    assert stack_names(resources, only=PAGES, config_override=override) == {PAGES}


def test_a_pager_the_stack_does_not_declare_does_not_count() -> None:
    # The pager's name, hard-coded, with no dependency on any channel of the stack.
    alert = uptime_alert(channels=(b.CHANNEL,), notificationChannels=[b.PAGER_NAME])
    assert len(pages_messages(with_uptime_alert(alert))) == 1


def test_listing_channels_in_another_order_pages_the_same() -> None:
    alert = uptime_alert(notificationChannels=[b.PAGER_NAME, *b.CHANNELS])
    assert pages_messages(with_uptime_alert(alert)) == []


def test_a_dependency_on_a_pager_it_does_not_list_cannot_pass_for_paging() -> None:
    # It lists one channel but depends on two: which one it notifies is not certain.
    alert = uptime_alert(notificationChannels=[b.CHANNELS[0]])
    outcome = stack_outcome(with_uptime_alert(alert), only=PAGES)
    assert outcome.violations == []
    assert outcome.declined[PAGES].startswith("could not verify that critical alerts page")
    # With per-property dependencies (as the engine gives them), it is certain: no page.
    exact = copy.copy(alert)
    exact.property_dependencies = {"notificationChannels": [b.CHANNEL]}
    assert len(pages_messages(with_uptime_alert(exact))) == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"severity": UNKNOWN}, "AlertPolicy 'uptime': severity is unknown"),
        ({"enabled": UNKNOWN}, "AlertPolicy 'uptime': enabled is unknown"),
    ],
)
def test_unknown_severity_or_state_is_not_applicable(change: dict[str, Any], reason: str) -> None:
    alert = b.alert("uptime", UPTIME_FILTER, 1, channels=(b.CHANNEL, b.PAGER), **change)
    outcome = stack_outcome(with_uptime_alert(alert), only=PAGES)
    assert outcome.violations == []
    assert reason in outcome.declined[PAGES]


def test_an_unknown_channel_type_is_not_applicable() -> None:
    channel = pager(UNKNOWN)
    alert = uptime_alert(channels=(b.CHANNEL, channel))
    outcome = stack_outcome(with_uptime_alert(alert, b.CHANNEL, channel), only=PAGES)
    assert outcome.violations == []
    assert "which channels it notifies, or their types" in outcome.declined[PAGES]


def test_a_known_critical_alert_that_does_not_page_fails_whatever_else_is_unknown() -> None:
    undecided = b.alert("other", UPTIME_FILTER, 1, severity=UNKNOWN)
    resources = [*with_uptime_alert(uptime_alert(channels=(b.CHANNEL,))), undecided]
    assert len(pages_messages(resources)) == 1


def test_a_disabled_critical_alert_is_not_asked_to_page() -> None:
    quiet = b.alert("quiet", 'metric.type="x"', 1, severity="CRITICAL", enabled=False)
    assert pages_messages([*compliant(), quiet]) == []


def test_a_stack_without_a_critical_alert_is_blocked() -> None:
    resources = [r for r in compliant() if r.name != "uptime"]
    assert pages_messages(resources) == [
        "The stack must declare an enabled CRITICAL alert policy (production down) that "
        "notifies a paging channel it declares (type pagerduty, slack, sms, webhook_basicauth, "
        "webhook_tokenauth)."
    ]


def test_staging_pages_nobody_and_is_not_asked_to() -> None:
    staging = [*b.staging_monitoring(), *b.staging_edge(), *b.backups(), *b.flags()]
    emails_only = [r for r in staging if r.name not in ("uptime", "pager")]
    alert = uptime_alert(channels=(b.CHANNEL,))
    assert stack_names([*emails_only, alert], stack="staging") == set()


@pytest.mark.parametrize("stack", STACKS)
def test_the_programs_alerts_all_carry_a_severity_and_production_pages(stack: str) -> None:
    capture = captured(stack)
    alerts = [unwrapped(r.inputs) for r in capture.resources if r.type == b.ALERT]
    assert {a["severity"] for a in alerts} == {"CRITICAL", "ERROR", "WARNING"}
    assert {p for p, _ in program_violations(capture)} & {PAGES, SEVERITY} == set()


def test_production_without_its_pager_is_blocked(run_with_config: RunWithConfig) -> None:
    document = stack_document("production")
    alerts = document["config"]["myhibachi:alerts"]
    del alerts["channels"]["on-call"]
    alerts["notify"]["critical"] = ["devops-email"]
    found = {(p, n) for p, n in program_violations(run_with_config("production", document))}
    # Every critical alert: the uptime checks, the fast burns, the two CIS events.
    assert {n for p, n in found if p == PAGES} == {
        "monitoring-alert-uptime-admin",
        "monitoring-alert-uptime-api",
        "monitoring-alert-uptime-site",
        "monitoring-alert-slo-availability-fast-burn",
        "monitoring-alert-slo-latency-fast-burn",
        "monitoring-alert-cis-2-4-project-ownership-changes",
        "monitoring-alert-cis-2-5-audit-config-changes",
    }


# --- An alert counts only if it fires when the target is exceeded --------------------------------


def _edited(name: str, inputs: dict[str, Any], path: str, value: Any) -> Any:
    """The alert with one setting of its threshold condition changed."""
    props = changed(inputs, f"conditions.0.conditionThreshold.{path}", value)
    return res(b.ALERT, name, props, dependencies=[b.CHANNEL])


def _latency_with(path: str, value: Any) -> list[Any]:
    inputs = b.alert_inputs("latency", LATENCY_FILTER, 300, aggregations=P95)
    return [*b.without(compliant(), "latency"), _edited("latency", inputs, path, value)]


def _latency_messages(path: str, value: Any) -> list[str]:
    return [m for _, m, _ in run_stack(_latency_with(path, value), only=LATENCY)]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("comparison", "COMPARISON_LT", "comparison must be COMPARISON_GT or COMPARISON_GE"),
        ("comparison", "comparison_gt", "comparison must be COMPARISON_GT or COMPARISON_GE"),
        ("comparison", DELETE, "comparison must be COMPARISON_GT or COMPARISON_GE"),
        ("aggregations.0.perSeriesAligner", "ALIGN_PERCENTILE_50", "aggregations must align"),
        ("aggregations.0.perSeriesAligner", DELETE, "aggregations must align"),
        ("aggregations", [], "aggregations must align"),
        ("aggregations.0.crossSeriesReducer", "REDUCE_MEAN", "may reduce across series only"),
        ("duration", "86400s", "duration must be at most 300s"),
        ("duration", "301s", "duration must be at most 300s"),
        ("trigger", {"count": 1000}, "trigger.count must be 1"),
        ("trigger", {"percent": 100}, "trigger must be a count of 1"),
        ("filter", LATENCY_FILTER.replace("myhibachi-api", "other-api"), "filter must require"),
        (
            "filter",
            'metric.type="run.googleapis.com/request_latencies" '
            'resource.labels.service_name=starts_with("myhibachi-api")',
            "filter must require resource.labels.service_name = myhibachi-api",
        ),
    ],
)
def test_a_latency_alert_that_never_fires_is_blocked(path: str, value: Any, expected: str) -> None:
    [message] = _latency_messages(path, value)
    assert message.startswith("AlertPolicy 'latency' (the API latency alert): ")
    assert expected in message


def test_a_second_aggregation_that_smooths_is_blocked() -> None:
    smoothed = [*P95, {"alignmentPeriod": "3600s", "perSeriesAligner": "ALIGN_MEAN"}]
    assert _latency_messages("aggregations", smoothed) != []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("comparison", "COMPARISON_GE"),
        ("aggregations.0.perSeriesAligner", "ALIGN_PERCENTILE_99"),
        ("aggregations.0.crossSeriesReducer", DELETE),
        ("duration", "60s"),
        ("duration", DELETE),
        ("trigger", {"count": 1}),
        ("filter", LATENCY_FILTER.replace("labels.service_name", "label.service_name")),
    ],
)
def test_a_latency_alert_that_fires_passes(path: str, value: Any) -> None:
    assert _latency_messages(path, value) == []


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("comparison", "comparison"),
        ("duration", "duration"),
        ("trigger", "trigger"),
        ("aggregations", "aggregations"),
        ("aggregations.0.perSeriesAligner", "aggregations[0]"),
    ],
)
def test_an_unknown_firing_setting_could_not_be_verified(path: str, what: str) -> None:
    outcome = stack_outcome(_latency_with(path, UNKNOWN), only=LATENCY)
    assert outcome.only_declined() == {
        LATENCY: f"could not verify the API latency alert: AlertPolicy 'latency': {what} is "
        "unknown until the update runs"
    }


def test_an_unknown_service_name_could_not_be_verified() -> None:
    service = res(b.RUN_SERVICE, "api", {**b.run_service(), "name": UNKNOWN})
    resources = [*b.without(compliant(), "api"), service]
    outcome = stack_outcome(resources, only=LATENCY)
    assert LATENCY in outcome.only_declined()


def test_an_and_combiner_with_another_condition_is_blocked() -> None:
    never = {"displayName": "never", "conditionAbsent": {"filter": LATENCY_FILTER}}
    props = b.alert_inputs("latency", LATENCY_FILTER, 300, aggregations=P95)
    props.update(combiner="AND", conditions=[*props["conditions"], never])

    def stack(combiner: str) -> list[Any]:
        edited = res(b.ALERT, "latency", {**props, "combiner": combiner}, dependencies=[b.CHANNEL])
        return [*b.without(compliant(), "latency"), edited]

    [message] = [m for _, m, _ in run_stack(stack("AND"), only=LATENCY)]
    assert "combiner must be OR" in message
    assert stack_names(stack("OR"), only=LATENCY) == set()


def test_a_duration_bound_comes_from_the_policy_config() -> None:
    resources = _latency_with("duration", "600s")
    assert stack_names(resources, only=LATENCY) == {LATENCY}
    longer = {"maxDurationSeconds": 600}
    assert stack_names(resources, only=LATENCY, config_override=longer) == set()


def _errors_with(path: str, value: Any) -> list[Any]:
    inputs = b.alert_inputs(
        "errors", b.ERROR_RATE_FILTER, 0.001, REQUESTS, aggregations=b.AGGREGATIONS["errors"]
    )
    return [*b.without(compliant(), "errors"), _edited("errors", inputs, path, value)]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("comparison", "COMPARISON_LT", "comparison must be"),
        # All services' requests as the denominator: a lower rate than the API's own.
        ("denominatorFilter", REQUEST_COUNT, "denominatorFilter must require"),
        ("denominatorFilter", b.API_SERVICE, "denominatorFilter must require metric.type"),
        ("denominatorAggregations.0.crossSeriesReducer", "REDUCE_MAX", "may reduce across"),
        (
            "denominatorAggregations.0.perSeriesAligner",
            "ALIGN_DELTA",
            "denominatorAggregations must aggregate as aggregations do",
        ),
        ("filter", b.ERROR_RATE_FILTER.replace("myhibachi-api", "x"), "filter must require"),
    ],
)
def test_an_error_rate_alert_that_never_fires_is_blocked(
    path: str, value: Any, expected: str
) -> None:
    [message] = [m for _, m, _ in run_stack(_errors_with(path, value), only=ERROR_RATE)]
    assert expected in message


def test_a_slow_query_alert_on_the_median_is_blocked() -> None:
    alert = b.alert(
        "slow-queries",
        'metric.type="cloudsql.googleapis.com/database/postgresql/insights/aggregate/latencies"',
        500000,
        aggregations=b.aggregation("ALIGN_PERCENTILE_50", "REDUCE_MAX"),
    )
    resources = [*b.without(compliant(), "slow-queries"), alert]
    assert stack_names(resources, only=SLOW_QUERIES) == {SLOW_QUERIES}
