"""The api, frontends, edge and backups sections: valid per stack, and one-line errors when bad."""

from __future__ import annotations

from pathlib import Path

from tests.settings.edits import (
    BadCase,
    Edit,
    bad_value,
    delete_key,
    load_edited,
    one_line_error_test,
    set_key,
)


def test_stack_files_load(tmp_path: Path) -> None:
    staging = load_edited(tmp_path, "staging")
    production = load_edited(tmp_path, "production")
    assert (staging.api.log_level, production.api.log_level) == ("DEBUG", "INFO")
    assert (staging.api.min_instances, production.api.min_instances) == (0, 1)
    assert staging.edge.zone_policy is None
    policy = production.edge.zone_policy
    assert policy is not None
    assert policy.plan == "pro"
    assert policy.other_hosts["api"] == ("api-staging.myhibachichef.com",)
    assert policy.rate_limits.auth.paths == ("/api/v1/auth/login", "/api/v1/auth/2fa")
    assert production.backups.retention_days == 30
    assert production.frontends.production_branch == "main"
    assert production.alerts.database_max_connections == 200


def test_optional_keys_take_their_defaults(tmp_path: Path) -> None:
    settings = load_edited(
        tmp_path,
        "staging",
        delete_key("myhibachi:alerts.databaseMaxConnections"),
        delete_key("myhibachi:alerts.saturationPercent"),
    )
    assert (settings.alerts.database_max_connections, settings.alerts.saturation_percent) == (
        100,
        80,
    )
    assert (settings.api.cpu, settings.api.memory) == ("1", "512Mi")


BAD: list[BadCase] = [
    ("staging", (delete_key("myhibachi:api"),), "myhibachi:api", "is required"),
    bad_value("staging", "myhibachi:api.image", "nginx", "with a tag or digest"),
    bad_value(
        "staging", "myhibachi:api.image", "us-docker.pkg.dev/p/r/api:latest", "not ':latest'"
    ),
    bad_value("staging", "myhibachi:api.logLevel", "TRACE", "must be one of"),
    bad_value("production", "myhibachi:api.maxInstances", 0, "between 1 and 1000"),
    (
        "production",
        (set_key("myhibachi:api.minInstances", 5), set_key("myhibachi:api.maxInstances", 2)),
        "myhibachi:api.maxInstances",
        "at least minInstances (5)",
    ),
    bad_value("staging", "myhibachi:api.healthPath", "health", "a URL path"),
    bad_value("staging", "myhibachi:api.cpu", "3", "must be one of"),
    bad_value("staging", "myhibachi:frontends.repository", "not a repo", "owner/name"),
    bad_value("staging", "myhibachi:frontends.admin.rootDirectory", "../elsewhere", "no '..'"),
    bad_value(
        "staging",
        "myhibachi:frontends.customer",
        {"projectName": "c", "rootDir": "apps/customer"},
        "unknown key 'rootDir'",
    ),
    bad_value(
        "staging", "myhibachi:frontends.admin.projectName", "My Admin", "a Vercel project name"
    ),
    bad_value(
        "staging",
        "myhibachi:frontends.customer.projectName",
        "myhibachi-admin-staging",
        "already used by the other app",
    ),
    bad_value("staging", "myhibachi:edge.zoneId", "myhibachichef.com", "32 hex"),
    # Removed settings are refused with what replaced them, never silently ignored.
    bad_value(
        "staging",
        "myhibachi:edge.proxyApi",
        False,
        "is no longer a setting: the API is always proxied",
    ),
    (
        "staging",
        (set_key("myhibachi:edge.cloudflareRanges.ipv4", ["173.245.48.0/33"]),),
        "myhibachi:edge.cloudflareRanges.ipv4[0]",
        "must be an IPv4 range",
    ),
    bad_value(
        "staging", "myhibachi:edge.cloudflareRanges.ipv4", [], "must name at least one range"
    ),
    bad_value("production", "myhibachi:auditLogs.retentionDays", 7, "between 30 and 3650"),
    bad_value("production", "myhibachi:auditLogs.contacts.security", [], "must name an address"),
    bad_value(
        "production",
        "myhibachi:edge.zonePolicy.plan",
        "gold",
        "must be one of free, pro, business, enterprise",
    ),
    (
        "production",
        (set_key("myhibachi:edge.zonePolicy.plan", "free"),),
        "myhibachi:edge.zonePolicy.managedWaf",
        "needs plan pro or higher",
    ),
    (
        "production",
        (
            set_key("myhibachi:edge.zonePolicy.plan", "free"),
            set_key("myhibachi:edge.zonePolicy.managedWaf", False),
        ),
        "myhibachi:edge.zonePolicy.rateLimits.api.periodSeconds",
        "on plan free must be one of 10, got 60",
    ),
    bad_value(
        "production",
        "myhibachi:edge.zonePolicy.rateLimits.auth.periodSeconds",
        120,
        "counting period on plan pro",
    ),
    bad_value(
        "production",
        "myhibachi:edge.zonePolicy.rateLimits.auth.timeoutSeconds",
        7200,
        "mitigation timeout on plan pro",
    ),
    bad_value(
        "production", "myhibachi:edge.zonePolicy.rateLimits.auth.paths", [], "at least one path"
    ),
    bad_value(
        "production", "myhibachi:edge.zonePolicy.sessionCookie", 'mh"session', "a cookie name"
    ),
    bad_value("production", "myhibachi:edge.zonePolicy.staticEdgeTtlSeconds", 60, "between 7200"),
    (
        "production",
        (set_key("myhibachi:edge.zonePolicy.otherHosts", {"api": ["api.example.org"]}),),
        "myhibachi:edge.zonePolicy.otherHosts.api[0]",
        "must be in the zone myhibachichef.com",
    ),
    (
        "production",
        (set_key("myhibachi:edge.zonePolicy.otherHosts", {"api": ["api.myhibachichef.com"]}),),
        "myhibachi:edge.zonePolicy.otherHosts.api[0]",
        "listed twice",
    ),
    bad_value(
        "production",
        "myhibachi:edge.zonePolicy.otherHosts",
        {"www": ["www.myhibachichef.com"]},
        "unknown key 'www'",
    ),
    bad_value("production", "myhibachi:backups.retentionDays", 7, "between 30 and 3650"),
    bad_value(
        "production", "myhibachi:backups.coldlineAfterDays", 20, "later than nearlineAfterDays (30)"
    ),
    bad_value("production", "myhibachi:backups.exportSchedule", "daily", "a cron schedule"),
    bad_value("production", "myhibachi:alerts.saturationPercent", 100, "between 1 and 99"),
    bad_value("production", "myhibachi:alerts.databaseMaxConnections", 5, "between 10"),
]


test_bad_value_names_file_key_and_problem = one_line_error_test(BAD)


def test_free_plan_with_its_limits_is_accepted(tmp_path: Path) -> None:
    edits: list[Edit] = [
        set_key("myhibachi:edge.zonePolicy.plan", "free"),
        set_key("myhibachi:edge.zonePolicy.managedWaf", False),
    ]
    for rule in ("api", "auth"):
        edits += [
            set_key(f"myhibachi:edge.zonePolicy.rateLimits.{rule}.periodSeconds", 10),
            set_key(f"myhibachi:edge.zonePolicy.rateLimits.{rule}.timeoutSeconds", 10),
        ]
    policy = load_edited(tmp_path, "production", *edits).edge.zone_policy
    assert policy is not None
    assert policy.plan == "free"
