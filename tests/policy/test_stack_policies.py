"""Stack policies (monitoring, zone ownership, rate limits, feature flags) and Vercel env vars."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy import PolicyResource

from tests.policy import baselines as b
from tests.policy.support import DELETE, UNKNOWN, changed, names, res, run_stack, stack_names

CHANNELS = ["projects/p/notificationChannels/1"]


def alert(
    name: str, filter_: str, threshold: float, denominator: str | None = None
) -> PolicyResource:
    condition: dict[str, Any] = {
        "filter": filter_,
        "thresholdValue": threshold,
        "comparison": "COMPARISON_GT",
        "duration": "300s",
    }
    if denominator:
        condition["denominatorFilter"] = denominator
    props = {
        "displayName": name,
        "combiner": "OR",
        "notificationChannels": CHANNELS,
        "conditions": [{"displayName": name, "conditionThreshold": condition}],
    }
    return res(b.ALERT, name, props)


SECURITY_METRICS = {
    "owner-changes": '(protoPayload.serviceName="cloudresourcemanager.googleapis.com") AND '
    '(ProjectOwnership OR projectOwnerInvitee) OR (protoPayload.methodName="SetIamPolicy" AND '
    'protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner")',
    "audit-config-changes": 'protoPayload.methodName="SetIamPolicy" AND '
    "protoPayload.serviceData.policyDelta.auditConfigDeltas:*",
    "custom-role-changes": 'resource.type="iam_role" AND (protoPayload.methodName="google.iam.admin.v1.CreateRole" '  # noqa: E501
    'OR protoPayload.methodName="google.iam.admin.v1.DeleteRole" OR '
    'protoPayload.methodName="google.iam.admin.v1.UpdateRole")',
    "sql-config-changes": 'protoPayload.methodName="cloudsql.instances.update"',
}


def monitoring(
    latency_ms: float = 300,
    hosts: tuple[str, ...] = (
        "myhibachichef.com",
        "admin.myhibachichef.com",
        "api.myhibachichef.com",
    ),
) -> list[PolicyResource]:
    resources = [
        alert(
            "latency",
            'metric.type="run.googleapis.com/request_latencies" resource.type="cloud_run_revision"',
            latency_ms,
        ),
        alert(
            "errors",
            'metric.type="run.googleapis.com/request_count" metric.labels.response_code_class="5xx"',  # noqa: E501
            0.001,
            denominator='metric.type="run.googleapis.com/request_count"',
        ),
        alert(
            "slow-queries",
            'metric.type="cloudsql.googleapis.com/database/postgresql/insights/aggregate/latencies"',
            500000,
        ),
        alert("uptime", 'metric.type="monitoring.googleapis.com/uptime_check/check_passed"', 1),
    ]
    for host in hosts:
        resources.append(
            res(
                b.UPTIME,
                f"uptime-{host}",
                {
                    "displayName": host,
                    "timeout": "10s",
                    "monitoredResource": {
                        "type": "uptime_url",
                        "labels": {"host": host, "project_id": "p"},
                    },
                    "httpCheck": {"path": "/", "port": 443, "useSsl": True, "validateSsl": True},
                },
            )
        )
    for name, filter_ in SECURITY_METRICS.items():
        resources.append(res(b.LOG_METRIC, name, {"name": name, "filter": filter_}))
        resources.append(
            alert(f"{name}-alert", f'metric.type="logging.googleapis.com/user/{name}"', 0)
        )
    return resources


def edge() -> list[PolicyResource]:
    resources = [res(b.ZONE_SETTING, key, props) for key, props in b.zone_settings().items()]
    resources.append(res(b.RULESET, "cache", b.cache_ruleset()))
    resources.append(res(b.RULESET, "ratelimits", b.ratelimit_ruleset()))
    return resources


def flags() -> list[PolicyResource]:
    return [res(b.RUN_SERVICE, "api", b.run_service())]


def test_compliant_production_stack() -> None:
    assert run_stack([*monitoring(), *edge(), *flags()]) == []


def test_compliant_staging_stack() -> None:
    hosts = (
        "staging.myhibachichef.com",
        "admin-staging.myhibachichef.com",
        "api-staging.myhibachichef.com",
    )
    assert run_stack([*monitoring(500, hosts), *flags()], stack="staging") == []


def test_empty_stack_violations() -> None:
    assert stack_names([]) == {
        "cloudflare-zone-settings-present",
        "cloudflare-ruleset-rate-limits",
        "feature-flag-required-on",
        "feature-flag-gradual-rollout",
        "gcp-monitoring-alert-api-latency",
        "gcp-monitoring-alert-error-rate",
        "gcp-monitoring-alert-slow-queries",
        "gcp-monitoring-uptime-public-hosts",
        "gcp-logging-metric-project-ownership-changes",
        "gcp-logging-metric-audit-config-changes",
        "gcp-logging-metric-custom-role-changes",
        "gcp-logging-metric-sql-config-changes",
    }


def test_latency_threshold_above_target_fails() -> None:
    assert stack_names([*monitoring(latency_ms=301), *edge(), *flags()]) == {
        "gcp-monitoring-alert-api-latency"
    }
    hosts = (
        "staging.myhibachichef.com",
        "admin-staging.myhibachichef.com",
        "api-staging.myhibachichef.com",
    )
    assert stack_names([*monitoring(500, hosts), *flags()], stack="staging") == set()


def test_error_rate_needs_denominator_and_low_threshold() -> None:
    resources = [r for r in monitoring() if r.name != "errors"]
    base = [*edge(), *flags()]
    no_ratio = alert("errors", 'metric.type="run.googleapis.com/request_count" "5xx"', 0.001)
    too_high = alert("errors", 'metric.type="run.googleapis.com/request_count" "5xx"', 0.01, "x")
    assert stack_names([*resources, no_ratio, *base]) == {"gcp-monitoring-alert-error-rate"}
    assert stack_names([*resources, too_high, *base]) == {"gcp-monitoring-alert-error-rate"}


def test_missing_uptime_check_for_a_host() -> None:
    resources = [r for r in monitoring() if r.name != "uptime-admin.myhibachichef.com"]
    found = run_stack([*resources, *edge(), *flags()])
    assert [(n, m) for n, m, _ in found] == [
        (
            "gcp-monitoring-uptime-public-hosts",
            "The stack must declare an uptime check with monitoredResource.labels.host = "
            "admin.myhibachichef.com.",
        )
    ]


def test_security_metric_without_alert() -> None:
    resources = [r for r in monitoring() if r.name != "sql-config-changes-alert"]
    assert stack_names([*resources, *edge(), *flags()]) == {"gcp-logging-metric-sql-config-changes"}


def test_unknown_metric_filter_cannot_decide() -> None:
    resources = [r for r in monitoring() if r.name not in ("owner-changes",)]
    resources.append(
        res(b.LOG_METRIC, "owner-changes", {"name": "owner-changes", "filter": UNKNOWN})
    )
    assert stack_names([*resources, *edge(), *flags()]) == set()


def test_zone_settings_ownership() -> None:
    without_ssl = [r for r in edge() if r.name != "ssl"]
    assert stack_names([*monitoring(), *without_ssl, *flags()]) == {
        "cloudflare-zone-settings-present"
    }
    hosts = (
        "staging.myhibachichef.com",
        "admin-staging.myhibachichef.com",
        "api-staging.myhibachichef.com",
    )
    staging = run_stack(
        [*monitoring(500, hosts), *flags(), res(b.ZONE_SETTING, "ssl", b.zone_settings()["ssl"])],
        stack="staging",
    )
    assert [(n, u) for n, _, u in staging] == [
        (
            "cloudflare-zone-settings-present",
            "urn:pulumi:test::myhibachi::" + b.ZONE_SETTING + "::ssl",
        )
    ]


def test_rate_limits_cover_api_and_2fa() -> None:
    ruleset = changed(
        b.ratelimit_ruleset(),
        "rules.1",
        {"expression": 'http.host eq "api.myhibachichef.com"', "action": "block"},
    )
    resources = [r for r in edge() if r.name != "ratelimits"] + [
        res(b.RULESET, "ratelimits", ruleset)
    ]
    found = run_stack([*monitoring(), *resources, *flags()])
    assert [(n, m) for n, m, _ in found] == [
        (
            "cloudflare-ruleset-rate-limits",
            "The stack must declare a rate-limit rule (phase http_ratelimit) covering the 2FA path "
            "/api/v1/auth/2fa.",
        )
    ]


@pytest.mark.parametrize(
    ("index", "env", "expected"),
    [
        (1, {"name": "FEATURE_FLAG_AUDIT_LOGGING", "value": "false"}, {"feature-flag-required-on"}),
        (2, {"name": "LOG_FORMAT", "value": "json"}, {"feature-flag-required-on"}),
        (
            5,
            {"name": "FEATURE_FLAG_AI_BOOKING_V3", "value": "false"},
            {"feature-flag-gradual-rollout"},
        ),
        (1, {"name": "FEATURE_FLAG_AUDIT_LOGGING", "value": UNKNOWN}, set()),
    ],
)
def test_feature_flags(index: int, env: dict[str, Any], expected: set[str]) -> None:
    service = changed(b.run_service(), f"template.containers.0.envs.{index}", env)
    assert stack_names([*monitoring(), *edge(), res(b.RUN_SERVICE, "api", service)]) == expected


def test_staging_needs_only_audit_logging() -> None:
    service = changed(b.run_service(), "template.containers.0.envs.2", {"name": "X", "value": "1"})
    hosts = (
        "staging.myhibachichef.com",
        "admin-staging.myhibachichef.com",
        "api-staging.myhibachichef.com",
    )
    assert (
        stack_names([*monitoring(500, hosts), res(b.RUN_SERVICE, "api", service)], stack="staging")
        == set()
    )


def test_vercel_feature_flags_count() -> None:
    flags_only = [
        res(b.VERCEL_VAR, f"flag-{name}", b.vercel_var(f"NEXT_PUBLIC_FEATURE_{name}", "true"))
        for name in ("AUDIT_LOGGING", "SMS_CONSENT", "MATH_CAPTCHA", "AI_BOOKING_V3")
    ]
    assert stack_names([*monitoring(), *edge(), *flags_only]) == set()
    postponed = b.vercel_var("NEXT_PUBLIC_FEATURE_TRAVEL_FEE_V2", "true")
    assert names(b.VERCEL_VAR, postponed) == {"feature-flag-postponed-off"}
    assert names(b.VERCEL_VAR, postponed, stack="staging") == {"feature-flag-postponed-off"}


# --- Vercel env vars ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "sensitive", "expected"),
    [
        ("STRIPE_SECRET_KEY", "x", True, set()),
        ("STRIPE_SECRET_KEY", "x", False, {"vercel-env-secret-sensitive"}),
        ("NEXTAUTH_SECRET", "x", False, {"vercel-env-secret-sensitive"}),
        ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", "pk", False, set()),
        ("NEXT_PUBLIC_STRIPE_SECRET_KEY", "x", True, {"vercel-env-next-public-no-secrets"}),
        ("NEXT_PUBLIC_ADMIN_TOKEN", "x", False, {"vercel-env-next-public-no-secrets"}),
        ("NEXT_PUBLIC_API_URL", "https://api.myhibachichef.com", False, set()),
        ("NEXT_PUBLIC_API_URL", "https://api.myhibachichef.com/api/v1", False, set()),
        (
            "NEXT_PUBLIC_API_URL",
            "https://api-staging.myhibachichef.com",
            False,
            {"vercel-env-public-urls-match-stack"},
        ),
        ("NEXT_PUBLIC_APP_URL", "https://admin.myhibachichef.com", False, set()),
        (
            "NEXT_PUBLIC_APP_URL",
            "https://staging.myhibachichef.com",
            False,
            {"vercel-env-public-urls-match-stack"},
        ),
        ("NEXT_PUBLIC_APP_URL", UNKNOWN, False, set()),
    ],
)
def test_vercel_env_var(key: str, value: str, sensitive: bool, expected: set[str]) -> None:
    assert names(b.VERCEL_VAR, b.vercel_var(key, value, sensitive)) == expected


def test_vercel_env_vars_bulk_and_missing_sensitive() -> None:
    props = {
        "projectId": "p",
        "variables": [
            {"key": "API_URL", "value": "https://api.myhibachichef.com", "sensitive": False},
            {"key": "REVALIDATE_TOKEN", "value": "x"},
        ],
    }
    assert names(b.VERCEL_VARS, props) == {"vercel-env-secret-sensitive"}
    assert names(b.VERCEL_VARS, changed(props, "variables.1.sensitive", True)) == set()
    assert names(b.VERCEL_VAR, changed(b.vercel_var("DB_PASSWORD", "x"), "sensitive", DELETE)) == {
        "vercel-env-secret-sensitive"
    }


ALERT_PROPS: dict[str, Any] = {
    "displayName": "latency",
    "combiner": "OR",
    "notificationChannels": CHANNELS,
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
