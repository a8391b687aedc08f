"""The real pack through pulumi_policy's analyzer gRPC server, configured per stack."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from preflight.analyzer import AnalyzerClient, Resource
from preflight.findings import NotApplicable, Violation
from preflight.policy_config import PolicyConfig, PolicyConfigError, read_policy_config
from preflight.values import UNKNOWN, secret

PROJECT_DIR = Path(__file__).resolve().parents[2]
PACK_DIR = PROJECT_DIR / "policy"
SQL = "gcp:sql/databaseInstance:DatabaseInstance"
REDIS = "gcp:redis/instance:Instance"
LABELS = {"env": "production", "app": "myhibachi", "owner": "platform"}


@pytest.fixture(scope="module")
def client() -> Iterator[AnalyzerClient]:
    with AnalyzerClient(PACK_DIR, stack="production") as started:
        yield started


def sql(**settings: object) -> dict[str, object]:
    return {
        "databaseVersion": "POSTGRES_16",
        "settings": {
            "availabilityType": "REGIONAL",
            "deletionProtectionEnabled": True,
            "userLabels": LABELS,
            "backupConfiguration": {
                "enabled": True,
                "pointInTimeRecoveryEnabled": True,
                "startTime": "08:00",
                "backupRetentionSettings": {"retainedBackups": 30},
            },
            "ipConfiguration": {"ipv4Enabled": False, "sslMode": "ENCRYPTED_ONLY"},
            "databaseFlags": [
                {"name": n, "value": v}
                for n, v in [
                    ("log_connections", "on"),
                    ("log_disconnections", "on"),
                    ("log_checkpoints", "on"),
                    ("log_lock_waits", "on"),
                    ("log_min_messages", "warning"),
                    ("log_min_error_statement", "error"),
                    ("log_temp_files", "0"),
                    ("cloudsql.enable_pgaudit", "on"),
                ]
            ],
            **settings,
        },
    }


def redis(**props: object) -> dict[str, object]:
    return {
        "tier": "STANDARD_HA",
        "authEnabled": True,
        "transitEncryptionMode": "SERVER_AUTHENTICATION",
        "connectMode": "PRIVATE_SERVICE_ACCESS",
        "labels": LABELS,
        **props,
    }


def levels(violations: tuple[Violation, ...]) -> set[tuple[str, str]]:
    return {(v.policy, v.level) for v in violations}


def configure_from_file(client: AnalyzerClient, path: Path) -> dict[str, PolicyConfig]:
    """Read and reconcile a policy config file against the server's policies, then send it."""
    config = read_policy_config(path, client.analyzer_info().policies)
    client.configure(config)
    return config


def test_analyzer_info(client: AnalyzerClient) -> None:
    info = client.analyzer_info()
    assert info.name == "myhibachi-security"
    names = {p.name for p in info.policies}
    assert "gcp-sql-instance-backups-enabled" in names
    assert {p.policy_type for p in info.policies} == {"resource", "stack"}
    retention = next(p for p in info.policies if p.name == "gcp-sql-instance-backup-retention")
    assert retention.config_properties["minRetainedBackups"]["default"] == 30
    assert client.plugin_version()


@pytest.mark.parametrize(
    ("stack", "expected"),
    [("staging", "advisory"), ("production", "mandatory")],
)
def test_zonal_sql_level_per_stack(client: AnalyzerClient, stack: str, expected: str) -> None:
    configure_from_file(client, PACK_DIR / "config" / f"{stack}.json")
    zonal = Resource(SQL, "db", sql(availabilityType="ZONAL"), protect=True)
    violations = client.analyze(zonal).violations
    assert levels(violations) == {("gcp-sql-instance-regional-availability", expected)}
    only = violations[0]
    assert only.pack == "myhibachi-security"
    assert only.urn == f"urn:pulumi:production::myhibachi::{SQL}::db"
    assert only.message.endswith("settings.availabilityType must be REGIONAL (absent means ZONAL).")


@pytest.mark.parametrize("stack", ["staging", "production"])
def test_protect_option_reaches_policies(client: AnalyzerClient, stack: str) -> None:
    configure_from_file(client, PACK_DIR / "config" / f"{stack}.json")
    level = "advisory" if stack == "staging" else "mandatory"
    expected = {("gcp-sql-instance-protected", level)}
    if stack == "production":  # protection of every stateful type is disabled on staging
        expected.add(("gcp-stateful-resource-protected", "mandatory"))
    assert levels(client.analyze(Resource(SQL, "db", sql(), protect=False)).violations) == expected
    assert client.analyze(Resource(SQL, "db", sql(), protect=True)).violations == ()


def test_compliant_resources_have_no_mandatory_violations(client: AnalyzerClient) -> None:
    configure_from_file(client, PACK_DIR / "config" / "production.json")
    resources = [
        Resource(SQL, "db", sql(), protect=True),
        Resource(REDIS, "cache", redis(), protect=True),
        Resource(
            "gcp:secretmanager/secret:Secret",
            "stripe",
            {
                "secretId": "prod-global-STRIPE_SECRET_KEY",
                "labels": LABELS,
                "rotation": {"rotationPeriod": "7776000s"},
                "topics": [{"name": "t"}],
                "deletionProtection": True,
            },
            protect=True,
        ),
        Resource(
            "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
            "stripe-key",
            {
                "key": "STRIPE_SECRET_KEY",
                "value": secret("sk" + "_test_" + "x"),
                "sensitive": True,
                "targets": ["production"],
                "projectId": UNKNOWN,
            },
        ),
    ]
    found = [v for r in resources for v in client.analyze(r).violations]
    assert [v for v in found if v.level == "mandatory"] == []


def test_secret_and_unknown_values_are_unmarshalled(client: AnalyzerClient) -> None:
    configure_from_file(client, PACK_DIR / "config" / "production.json")
    canary = "CANARY" + "-analyzer"
    var = Resource(
        "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
        "leak",
        {
            "key": "DATABASE_URL",
            "value": secret("postgres://u:" + canary + "@h/db"),
            "sensitive": False,
            "targets": ["production"],
        },
    )
    violations = client.analyze(var).violations
    assert levels(violations) == {
        ("vercel-env-secret-sensitive", "mandatory"),
        ("pack-resource-inputs-no-credentials", "mandatory"),  # a URL with its password
    }
    assert all(canary not in v.message for v in violations)
    unknown = Resource(REDIS, "cache", redis(tier=UNKNOWN, authEnabled=UNKNOWN), protect=True)
    assert client.analyze(unknown).violations == ()


def test_disabled_policy_yields_nothing(client: AnalyzerClient) -> None:
    config = read_policy_config(
        PACK_DIR / "config" / "production.json", client.analyzer_info().policies
    )
    config["gcp-redis-instance-auth-enabled"] = PolicyConfig("disabled")
    client.configure(config)
    unauthenticated = Resource(REDIS, "cache", redis(authEnabled=False), protect=True)
    assert levels(client.analyze(unauthenticated).violations) == set()
    configure_from_file(client, PACK_DIR / "config" / "production.json")
    assert levels(client.analyze(unauthenticated).violations) == {
        ("gcp-redis-instance-auth-enabled", "mandatory")
    }


def test_gradual_rollout_disabled_on_staging(client: AnalyzerClient) -> None:
    configure_from_file(client, PACK_DIR / "config" / "staging.json")
    staging = {v.policy for v in client.analyze_stack([]).violations}
    configure_from_file(client, PACK_DIR / "config" / "production.json")
    production = levels(client.analyze_stack([]).violations)
    assert "feature-flag-gradual-rollout" not in staging
    assert ("feature-flag-gradual-rollout", "advisory") in production
    assert ("gcp-monitoring-alert-api-latency", "mandatory") in production


def test_stack_analysis_latency_threshold(client: AnalyzerClient) -> None:
    channel = Resource(
        "gcp:monitoring/notificationChannel:NotificationChannel",
        "on-call",
        {"type": "email", "labels": {"email_address": "devops@example.com"}},
        urn="urn:pulumi:test::myhibachi::gcp:monitoring/notificationChannel:NotificationChannel::on-call",
    )
    alert = Resource(
        "gcp:monitoring/alertPolicy:AlertPolicy",
        "latency",
        {
            "notificationChannels": ["c"],
            "userLabels": LABELS,
            "conditions": [
                {
                    "conditionThreshold": {
                        "filter": 'metric.type="run.googleapis.com/request_latencies" '
                        'resource.labels.service_name="myhibachi-api"',
                        "thresholdValue": 400,
                        "comparison": "COMPARISON_GT",
                        "duration": "300s",
                        "aggregations": [{"perSeriesAligner": "ALIGN_PERCENTILE_95"}],
                    }
                }
            ],
        },
        urn="urn:pulumi:test::myhibachi::gcp:monitoring/alertPolicy:AlertPolicy::latency",
        dependencies=(channel.urn,),  # as the engine reports the channel it routes to
    )
    # The API's own service, which the alert watches.
    service = Resource(
        "gcp:cloudrunv2/service:Service",
        "api",
        {"name": "myhibachi-api"},
        urn="urn:pulumi:test::myhibachi::gcp:cloudrunv2/service:Service::api",
    )
    configure_from_file(client, PACK_DIR / "config" / "staging.json")
    assert "gcp-monitoring-alert-api-latency" not in {
        v.policy for v in client.analyze_stack([channel, alert, service]).violations
    }
    configure_from_file(client, PACK_DIR / "config" / "production.json")
    latency = [
        v
        for v in client.analyze_stack([channel, alert, service]).violations
        if v.policy == "gcp-monitoring-alert-api-latency"
    ]
    assert [v.message.splitlines()[-1] for v in latency] == [
        "AlertPolicy 'latency' (the API latency alert): thresholdValue must be at most 300 ms."
    ]


@pytest.mark.parametrize(
    ("document", "error"),
    [
        (
            {"gcp-sql-instance-backup-retention": {"minRetainedBackups": "thirty"}},
            "gcp-sql-instance-backup-retention: minRetainedBackups: must be an integer (got str)",
        ),
        (
            {"gcp-monitoring-alert-api-latency": "mandatory"},
            "gcp-monitoring-alert-api-latency: latencyP95Ms: is required",
        ),
        (
            {"gcp-redis-instance-auth-enabled": "sometimes"},
            "gcp-redis-instance-auth-enabled: enforcementLevel: 'sometimes' is not one of advisory, "  # noqa: E501
            "mandatory, remediate, disabled",
        ),
        (
            {"gcp-sql-no-such-policy": "advisory"},
            "gcp-sql-no-such-policy: no such policy in the pack",
        ),
        (
            {"gcp-monitoring-alert-api-latency": {"latencyP95ms": 300}},
            "gcp-monitoring-alert-api-latency: latencyP95ms: not a config property of this policy "
            "(known: latencyP95Ms, maxDurationSeconds, metricTypes, requiredTerms)",
        ),
    ],
)
def test_broken_config_file(
    client: AnalyzerClient, tmp_path: Path, document: dict[str, object], error: str
) -> None:
    production = json.loads((PACK_DIR / "config" / "production.json").read_text())
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({**production, **document}))
    with pytest.raises(PolicyConfigError) as raised:
        configure_from_file(client, path)
    assert str(raised.value) == f"{path}: {error}"
    assert "\n" not in str(raised.value)


def test_invalid_json(client: AnalyzerClient, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(PolicyConfigError, match=r"bad.json: not valid JSON at line 1"):
        configure_from_file(client, path)


def test_not_applicable_stack_policies_come_back_as_data(client: AnalyzerClient) -> None:
    # Staging does not own the zone's rulesets, so the rate-limit policy declines to judge.
    configure_from_file(client, PACK_DIR / "config" / "staging.json")
    staging = client.analyze_stack([])
    assert (
        NotApplicable(
            "cloudflare-ruleset-rate-limits",
            "this stack does not own the zone's rulesets (ownsZoneRulesets false)",
        )
        in staging.not_applicable
    )
    assert "cloudflare-ruleset-rate-limits" not in {v.policy for v in staging.violations}
    configure_from_file(client, PACK_DIR / "config" / "production.json")
    production = client.analyze_stack([])
    # Production owns them: whatever else it says, it never declines for that reason.
    assert not [
        n
        for n in production.not_applicable
        if n.policy == "cloudflare-ruleset-rate-limits" and "ownsZoneRulesets" in n.reason
    ]


def test_not_applicable_resource_policies_carry_the_resource_urn(client: AnalyzerClient) -> None:
    config = read_policy_config(
        PACK_DIR / "config" / "production.json", client.analyzer_info().policies
    )
    client.configure(config)
    found = client.analyze(
        Resource("gcp:secretmanager/secret:Secret", "stripe", {"secretId": "anything"})
    )
    # The client was given no stack config: the naming policy cannot know the stack's prefix.
    assert found.not_applicable == (
        NotApplicable(
            "gcp-secretmanager-secret-naming",
            "the stack config does not set myhibachi:env",
            "urn:pulumi:production::myhibachi::gcp:secretmanager/secret:Secret::stripe",
        ),
    )
    assert "gcp-secretmanager-secret-naming" not in {v.policy for v in found.violations}
