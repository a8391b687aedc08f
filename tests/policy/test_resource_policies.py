"""Every resource policy: the compliant baseline passes; changing one property fails exactly it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.policy import baselines as b
from tests.policy.support import DELETE, UNKNOWN, changed, names

LABELS_RULE = "gcp-resource-labels-required"


@pytest.mark.parametrize(
    ("resource_type", "baseline"),
    [
        (b.SQL, b.sql),
        (b.REDIS, b.redis),
        (b.SECRET, b.secret),
        (b.API_KEY, b.api_key),
        (b.BUCKET, b.bucket),
        (b.RUN_SERVICE, b.run_service),
        (b.RUN_JOB, b.run_job),
        (b.RULESET, b.cache_ruleset),
        (b.RULESET, b.ratelimit_ruleset),
        (b.VERCEL_PROJECT, b.vercel_project),
    ],
)
@pytest.mark.parametrize("stack", ["production"])
def test_baseline_is_compliant(
    resource_type: str, baseline: Callable[[], dict[str, Any]], stack: str
) -> None:
    assert names(resource_type, baseline(), stack=stack) == set()


def test_zone_setting_baselines_are_compliant() -> None:
    for props in b.zone_settings().values():
        assert names(b.ZONE_SETTING, props) == set()


CASES: list[tuple[str, Callable[[], dict[str, Any]], str, Any, set[str]]] = [
    # Cloud SQL
    (
        b.SQL,
        b.sql,
        "settings.backupConfiguration.enabled",
        False,
        {"gcp-sql-instance-backups-enabled"},
    ),
    (
        b.SQL,
        b.sql,
        "settings.backupConfiguration.enabled",
        DELETE,
        {"gcp-sql-instance-backups-enabled"},
    ),
    (
        b.SQL,
        b.sql,
        "settings.backupConfiguration.pointInTimeRecoveryEnabled",
        DELETE,
        {"gcp-sql-instance-point-in-time-recovery-enabled"},
    ),
    (
        b.SQL,
        b.sql,
        "settings.backupConfiguration.backupRetentionSettings.retainedBackups",
        7,
        {"gcp-sql-instance-backup-retention"},
    ),
    (
        b.SQL,
        b.sql,
        "settings.backupConfiguration.backupRetentionSettings",
        DELETE,
        {"gcp-sql-instance-backup-retention"},
    ),
    (
        b.SQL,
        b.sql,
        "settings.ipConfiguration.ipv4Enabled",
        DELETE,
        {"gcp-sql-instance-no-public-ip"},
    ),
    (b.SQL, b.sql, "settings.ipConfiguration.ipv4Enabled", True, {"gcp-sql-instance-no-public-ip"}),
    (
        b.SQL,
        b.sql,
        "settings.ipConfiguration.authorizedNetworks",
        [{"name": "any", "value": "0.0.0.0/0"}],
        {"gcp-sql-instance-no-open-authorized-network"},
    ),
    (b.SQL, b.sql, "settings.ipConfiguration.sslMode", DELETE, {"gcp-sql-instance-tls-required"}),
    (
        b.SQL,
        b.sql,
        "settings.ipConfiguration.sslMode",
        "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
        {"gcp-sql-instance-tls-required"},
    ),
    (b.SQL, b.sql, "deletionProtection", False, {"gcp-sql-instance-deletion-protection-enabled"}),
    (
        b.SQL,
        b.sql,
        "settings.deletionProtectionEnabled",
        DELETE,
        {"gcp-sql-instance-deletion-protection-enabled"},
    ),
    (b.SQL, b.sql, "settings.availabilityType", DELETE, {"gcp-sql-instance-regional-availability"}),
    (
        b.SQL,
        b.sql,
        "settings.databaseFlags.0",
        {"name": "log_connections", "value": "off"},
        {"gcp-sql-instance-postgres-audit-flags"},
    ),
    (b.SQL, b.sql, "settings.databaseFlags", DELETE, {"gcp-sql-instance-postgres-audit-flags"}),
    (
        b.SQL,
        b.sql,
        "settings.databaseFlags.7",
        {"name": "log_min_duration_statement", "value": "0"},
        {"gcp-sql-instance-postgres-audit-flags", "gcp-sql-instance-no-statement-duration-logging"},
    ),
    (b.SQL, b.sql, "settings.userLabels", DELETE, {LABELS_RULE}),
    # Redis
    (b.REDIS, b.redis, "authEnabled", DELETE, {"gcp-redis-instance-auth-enabled"}),
    (b.REDIS, b.redis, "transitEncryptionMode", DELETE, {"gcp-redis-instance-transit-encryption"}),
    (b.REDIS, b.redis, "tier", DELETE, {"gcp-redis-instance-standard-ha-tier"}),
    (b.REDIS, b.redis, "connectMode", DELETE, {"gcp-redis-instance-private-service-access"}),
    (
        b.REDIS,
        b.redis,
        "connectMode",
        "DIRECT_PEERING",
        {"gcp-redis-instance-private-service-access"},
    ),
    # Secrets
    (
        b.SECRET,
        b.secret,
        "secretId",
        "staging-global-STRIPE_SECRET_KEY",
        {"gcp-secretmanager-secret-naming"},
    ),
    (
        b.SECRET,
        b.secret,
        "secretId",
        "prod-payments-STRIPE_SECRET_KEY",
        {"gcp-secretmanager-secret-naming"},
    ),
    (b.SECRET, b.secret, "secretId", "prod-global-stripe", {"gcp-secretmanager-secret-naming"}),
    (b.SECRET, b.secret, "secretId", DELETE, {"gcp-secretmanager-secret-naming"}),
    (
        b.SECRET,
        b.secret,
        "rotation.rotationPeriod",
        "31536000s",
        {"gcp-secretmanager-secret-rotation"},
    ),
    (b.SECRET, b.secret, "rotation", DELETE, {"gcp-secretmanager-secret-rotation"}),
    (b.SECRET, b.secret, "topics", DELETE, {"gcp-secretmanager-secret-rotation"}),
    # API keys
    (
        b.API_KEY,
        b.api_key,
        "restrictions.apiTargets",
        DELETE,
        {"gcp-projects-apikey-api-targets-restricted"},
    ),
    (
        b.API_KEY,
        b.api_key,
        "restrictions.apiTargets.0",
        {"service": "cloudapis.googleapis.com"},
        {"gcp-projects-apikey-api-targets-restricted"},
    ),
    (
        b.API_KEY,
        b.api_key,
        "restrictions.browserKeyRestrictions",
        DELETE,
        {"gcp-projects-apikey-application-restricted"},
    ),
    (
        b.API_KEY,
        b.api_key,
        "restrictions.browserKeyRestrictions.allowedReferrers.0",
        "*",
        {"gcp-projects-apikey-application-restricted"},
    ),
    (
        b.API_KEY,
        b.api_key,
        "restrictions.browserKeyRestrictions.allowedReferrers.0",
        "http://myhibachichef.com/*",
        {"gcp-projects-apikey-application-restricted"},
    ),
    (
        b.API_KEY,
        b.api_key,
        "restrictions.browserKeyRestrictions.allowedReferrers.0",
        "https://staging.myhibachichef.com/*",
        {"gcp-projects-apikey-application-restricted"},
    ),
    (
        b.API_KEY,
        b.api_key,
        "restrictions.browserKeyRestrictions.allowedReferrers.0",
        "https://*.myhibachichef.com/*",
        {"gcp-projects-apikey-application-restricted"},
    ),
    # Buckets
    (b.BUCKET, b.bucket, "uniformBucketLevelAccess", DELETE, {"gcp-storage-bucket-uniform-access"}),
    (
        b.BUCKET,
        b.bucket,
        "publicAccessPrevention",
        "inherited",
        {"gcp-storage-bucket-public-access-prevention"},
    ),
    (
        b.BUCKET,
        b.bucket,
        "publicAccessPrevention",
        DELETE,
        {"gcp-storage-bucket-public-access-prevention"},
    ),
    (b.BUCKET, b.bucket, "versioning", DELETE, {"gcp-storage-bucket-versioning-enabled"}),
    (b.BUCKET, b.bucket, "retentionPolicy", DELETE, {"gcp-storage-bucket-backup-retention"}),
    (
        b.BUCKET,
        b.bucket,
        "retentionPolicy.retentionPeriod",
        "86400",
        {"gcp-storage-bucket-backup-retention"},
    ),
    (b.BUCKET, b.bucket, "labels.owner", DELETE, {LABELS_RULE}),
    # Cloud Run
    (
        b.RUN_SERVICE,
        b.run_service,
        "template.serviceAccount",
        DELETE,
        {"gcp-cloudrun-workload-dedicated-service-account"},
    ),
    (
        b.RUN_SERVICE,
        b.run_service,
        "template.serviceAccount",
        "123-compute@developer.gserviceaccount.com",
        {"gcp-cloudrun-workload-dedicated-service-account"},
    ),
    (
        b.RUN_JOB,
        b.run_job,
        "template.template.serviceAccount",
        DELETE,
        {"gcp-cloudrun-workload-dedicated-service-account"},
    ),
    (
        b.RUN_SERVICE,
        b.run_service,
        "template.containers.0.envs.6",
        {"name": "DATABASE_URL", "value": "postgres://x"},
        {"gcp-cloudrun-workload-secret-env-from-secret-manager"},
    ),
    (
        b.RUN_SERVICE,
        b.run_service,
        "template.containers.0.envs.0",
        {"name": "STRIPE_SECRET_KEY"},
        {"gcp-cloudrun-workload-secret-env-from-secret-manager"},
    ),
    (
        b.RUN_SERVICE,
        b.run_service,
        "template.containers.0.envs.4",
        {"name": "FEATURE_FLAG_TRAVEL_FEE_V2", "value": "true"},
        {"feature-flag-postponed-off"},
    ),
    (b.RUN_SERVICE, b.run_service, "labels", DELETE, {LABELS_RULE}),
    # Cloudflare cache rules
    (
        b.RULESET,
        b.cache_ruleset,
        "rules.1.expression",
        'http.host eq "myhibachichef.com"',
        {"cloudflare-ruleset-cache-private-never-cached"},
    ),
    (
        b.RULESET,
        b.cache_ruleset,
        "rules.1.expression",
        'starts_with(http.request.uri.path, "/_next/static/") or http.host eq "admin.myhibachichef.com"',  # noqa: E501
        {"cloudflare-ruleset-cache-private-never-cached"},
    ),
    (
        b.RULESET,
        b.cache_ruleset,
        "rules.0.expression",
        'http.host eq "admin.myhibachichef.com"',
        {"cloudflare-ruleset-cache-private-never-cached"},
    ),
    (
        b.RULESET,
        b.cache_ruleset,
        "rules.0.enabled",
        False,
        {"cloudflare-ruleset-cache-private-never-cached"},
    ),
    # Vercel projects
    (
        b.VERCEL_PROJECT,
        b.vercel_project,
        "vercelAuthentication.deploymentType",
        "standard_protection_new",
        {"vercel-project-admin-all-deployments-protected"},
    ),
    (
        b.VERCEL_PROJECT,
        b.vercel_project,
        "vercelAuthentication",
        DELETE,
        {"vercel-project-deployment-protection", "vercel-project-admin-all-deployments-protected"},
    ),
    (
        b.VERCEL_PROJECT,
        lambda: b.vercel_project("myhibachi-customer"),
        "vercelAuthentication.deploymentType",
        "none",
        {"vercel-project-deployment-protection"},
    ),
]


@pytest.mark.parametrize(
    ("resource_type", "baseline", "path", "value", "expected"),
    CASES,
    ids=[
        f"{case[0].rsplit(':', 1)[-1]}-{case[2]}-{case[4] and sorted(case[4])[0]}" for case in CASES
    ],
)
def test_one_change_fails_exactly(
    resource_type: str,
    baseline: Callable[[], dict[str, Any]],
    path: str,
    value: Any,
    expected: set[str],
) -> None:
    assert names(resource_type, changed(baseline(), path, value)) == expected


def test_customer_project_may_use_standard_protection() -> None:
    props = changed(
        b.vercel_project("myhibachi-customer"),
        "vercelAuthentication.deploymentType",
        "standard_protection_new",
    )
    assert names(b.VERCEL_PROJECT, props) == set()


def test_cache_rule_that_excludes_private_traffic_explicitly_passes() -> None:
    expression = (
        'http.host ne "admin.myhibachichef.com" and not http.host in {"api.myhibachichef.com"} '
        'and not http.cookie contains "mh_session"'
    )
    assert names(b.RULESET, changed(b.cache_ruleset(), "rules.1.expression", expression)) == set()


def test_cache_rule_missing_cookie_exclusion_fails() -> None:
    expression = 'http.host eq "myhibachichef.com"'
    assert names(b.RULESET, changed(b.cache_ruleset(), "rules.1.expression", expression)) == {
        "cloudflare-ruleset-cache-private-never-cached"
    }


def test_staging_cache_rules_need_staging_hosts() -> None:
    # The production baseline bypasses production hosts only: staging's config flags it.
    assert names(b.RULESET, b.cache_ruleset(), stack="staging") == {
        "cloudflare-ruleset-cache-private-never-cached"
    }


@pytest.mark.parametrize(
    ("setting_id", "value", "expected"),
    [
        ("always_use_https", "off", "cloudflare-zone-setting-always-use-https"),
        ("automatic_https_rewrites", "off", "cloudflare-zone-setting-automatic-https-rewrites"),
        ("min_tls_version", "1.1", "cloudflare-zone-setting-min-tls-version"),
        ("ssl", "full", "cloudflare-zone-setting-ssl-strict"),
        ("ssl", "flexible", "cloudflare-zone-setting-ssl-strict"),
        (
            "security_header",
            {
                "strictTransportSecurity": {
                    "enabled": True,
                    "maxAge": 86400,
                    "includeSubdomains": True,
                    "nosniff": True,
                }
            },
            "cloudflare-zone-setting-hsts",
        ),
        (
            "security_header",
            {"strictTransportSecurity": {"enabled": False}},
            "cloudflare-zone-setting-hsts",
        ),
        ("security_header", {}, "cloudflare-zone-setting-hsts"),
    ],
)
def test_zone_setting_values(setting_id: str, value: Any, expected: str) -> None:
    props = changed(b.zone_settings()[setting_id], "value", value)
    assert names(b.ZONE_SETTING, props) == {expected}


@pytest.mark.parametrize(
    ("member", "role", "expected"),
    [
        (
            "allUsers",
            "roles/secretmanager.secretAccessor",
            {"gcp-secretmanager-iam-no-public-principals"},
        ),
        (
            "allAuthenticatedUsers",
            "roles/secretmanager.secretAccessor",
            {"gcp-secretmanager-iam-no-public-principals"},
        ),
        (
            "serviceAccount:api@p.iam.gserviceaccount.com",
            "roles/secretmanager.secretAccessor",
            set(),
        ),
        ("serviceAccount:api@p.iam.gserviceaccount.com", "roles/owner", {"gcp-iam-no-basic-roles"}),
    ],
)
def test_secret_iam_member(member: str, role: str, expected: set[str]) -> None:
    props = {"secretId": "s", "member": member, "role": role}
    assert names("gcp:secretmanager/secretIamMember:SecretIamMember", props) == expected


def test_secret_iam_binding_and_policy() -> None:
    binding = {
        "secretId": "s",
        "role": "roles/secretmanager.secretAccessor",
        "members": ["user:a@example.com", "allUsers"],
    }
    assert names("gcp:secretmanager/secretIamBinding:SecretIamBinding", binding) == {
        "gcp-secretmanager-iam-no-public-principals"
    }
    policy = {
        "secretId": "s",
        "policyData": json.dumps(
            {"bindings": [{"role": "roles/viewer", "members": ["allAuthenticatedUsers"]}]}
        ),
    }
    assert names("gcp:secretmanager/secretIamPolicy:SecretIamPolicy", policy) == {
        "gcp-secretmanager-iam-no-public-principals",
        "gcp-iam-no-basic-roles",
    }


@pytest.mark.parametrize(
    ("resource_type", "props", "expected"),
    [
        (
            "gcp:storage/bucketIAMMember:BucketIAMMember",
            {"bucket": "b", "role": "roles/storage.objectViewer", "member": "allUsers"},
            {"gcp-storage-bucket-iam-no-public-principals"},
        ),
        (
            "gcp:storage/bucketIAMBinding:BucketIAMBinding",
            {
                "bucket": "b",
                "role": "roles/storage.objectViewer",
                "members": ["allAuthenticatedUsers"],
            },
            {"gcp-storage-bucket-iam-no-public-principals"},
        ),
        (
            "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
            {"bucket": "b", "policyData": '{"bindings": [{"role": "r", "members": ["allUsers"]}]}'},
            {"gcp-storage-bucket-iam-no-public-principals"},
        ),
        (
            "gcp:storage/bucketAccessControl:BucketAccessControl",
            {"bucket": "b", "entity": "allUsers", "role": "READER"},
            {"gcp-storage-bucket-acl-no-public-entities"},
        ),
        (
            "gcp:storage/bucketIAMMember:BucketIAMMember",
            {
                "bucket": "b",
                "role": "roles/storage.objectViewer",
                "member": "group:ops@example.com",
            },
            set(),
        ),
        (
            "gcp:projects/iAMMember:IAMMember",
            {"project": "p", "role": "roles/editor", "member": "user:a@example.com"},
            {"gcp-iam-no-basic-roles"},
        ),
        (
            "gcp:projects/iAMBinding:IAMBinding",
            {
                "project": "p",
                "role": "roles/iam.serviceAccountUser",
                "members": ["user:a@example.com"],
            },
            {"gcp-projects-iam-no-service-account-impersonation"},
        ),
        (
            "gcp:projects/iAMPolicy:IAMPolicy",
            {
                "project": "p",
                "policyData": json.dumps(
                    {
                        "bindings": [
                            {
                                "role": "roles/iam.serviceAccountTokenCreator",
                                "members": ["user:a@example.com"],
                            }
                        ]
                    }
                ),
            },
            {"gcp-projects-iam-no-service-account-impersonation"},
        ),
        (
            "gcp:serviceaccount/iAMMember:IAMMember",
            {
                "serviceAccountId": "sa",
                "role": "roles/iam.serviceAccountUser",
                "member": "user:a@example.com",
            },
            set(),
        ),
        (
            "gcp:projects/iAMMember:IAMMember",
            {"project": "p", "role": "roles/logging.logWriter", "member": "serviceAccount:x"},
            set(),
        ),
        (
            "gcp:serviceaccount/key:Key",
            {"serviceAccountId": "sa"},
            {"gcp-serviceaccount-key-not-allowed"},
        ),
    ],
)
def test_iam_resources(resource_type: str, props: dict[str, Any], expected: set[str]) -> None:
    assert names(resource_type, props) == expected


def test_redis_on_staging_is_advisory_policy_set() -> None:
    # Same violations; the level differs per stack (checked through the analyzer).
    assert names(b.REDIS, changed(b.redis(), "tier", "BASIC"), stack="staging") == {
        "gcp-redis-instance-standard-ha-tier"
    }


def test_protect_option_required() -> None:
    assert names(b.SQL, b.sql(), protect=False) == {"gcp-sql-instance-protected"}


def test_staging_secret_prefix() -> None:
    assert names(b.SECRET, b.secret("staging-backend-DATABASE_URL"), stack="staging") == set()
    assert names(b.SECRET, b.secret("prod-backend-DATABASE_URL"), stack="staging") == {
        "gcp-secretmanager-secret-naming"
    }


def test_staging_referrers() -> None:
    props = changed(
        b.api_key(),
        "restrictions.browserKeyRestrictions.allowedReferrers",
        ["https://staging.myhibachichef.com/*", "https://admin-staging.myhibachichef.com/*"],
    )
    assert names(b.API_KEY, props, stack="staging") == set()
    assert names(b.API_KEY, b.api_key(), stack="staging") == {
        "gcp-projects-apikey-application-restricted"
    }


def test_provider_default_labels_count() -> None:
    props = changed(b.redis(), "labels", DELETE)
    assert names(b.REDIS, props) == {LABELS_RULE}
    provider = {"defaultLabels": json.dumps(b.LABELS)}
    assert names(b.REDIS, props, provider_props=provider) == set()


# --- Unknown values and wrong types ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource_type", "baseline", "path"),
    [
        (b.SQL, b.sql, "settings"),
        (b.SQL, b.sql, "settings.ipConfiguration"),
        (b.SQL, b.sql, "settings.ipConfiguration.ipv4Enabled"),
        (b.SQL, b.sql, "settings.databaseFlags"),
        (b.SQL, b.sql, "databaseVersion"),
        (b.REDIS, b.redis, "tier"),
        (b.SECRET, b.secret, "secretId"),
        (b.SECRET, b.secret, "rotation"),
        (b.API_KEY, b.api_key, "restrictions"),
        (b.API_KEY, b.api_key, "restrictions.browserKeyRestrictions.allowedReferrers.0"),
        (b.BUCKET, b.bucket, "retentionPolicy.retentionPeriod"),
        (b.RUN_SERVICE, b.run_service, "template.serviceAccount"),
        (b.RUN_SERVICE, b.run_service, "template.containers"),
        (b.RULESET, b.cache_ruleset, "rules"),
        (b.RULESET, b.cache_ruleset, "rules.0.expression"),
        (b.VERCEL_PROJECT, b.vercel_project, "vercelAuthentication"),
    ],
)
def test_unknown_value_is_not_a_violation(
    resource_type: str, baseline: Callable[[], dict[str, Any]], path: str
) -> None:
    assert names(resource_type, changed(baseline(), path, UNKNOWN)) == set()


@pytest.mark.parametrize(
    ("resource_type", "baseline", "path", "value"),
    [
        (b.SQL, b.sql, "settings", "not-an-object"),
        (b.SQL, b.sql, "settings.databaseFlags", {"name": "x"}),
        (b.SQL, b.sql, "settings.databaseFlags.0", "log_connections"),
        (b.SECRET, b.secret, "topics", "topic"),
        (b.API_KEY, b.api_key, "restrictions.apiTargets", "all"),
        (b.RUN_SERVICE, b.run_service, "template.containers", {"envs": 1}),
        (b.RULESET, b.cache_ruleset, "rules.1", "rule"),
        (b.ZONE_SETTING, lambda: b.zone_settings()["security_header"], "value", "on"),
    ],
)
def test_wrong_types_do_not_crash(
    resource_type: str, baseline: Callable[[], dict[str, Any]], path: str, value: Any
) -> None:
    names(resource_type, changed(baseline(), path, value))
