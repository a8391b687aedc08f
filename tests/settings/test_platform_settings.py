"""The api, frontends, edge and backups sections: valid per stack, and one-line errors when bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import SettingsError
from tests.settings.edits import Edit, delete_key, load_edited, set_key


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


BAD: list[tuple[str, tuple[Edit, ...], str, str]] = [
    ("staging", (delete_key("myhibachi:api"),), "myhibachi:api", "is required"),
    (
        "staging",
        (set_key("myhibachi:api.image", "nginx"),),
        "myhibachi:api.image",
        "with a tag or digest",
    ),
    (
        "staging",
        (set_key("myhibachi:api.image", "us-docker.pkg.dev/p/r/api:latest"),),
        "myhibachi:api.image",
        "not ':latest'",
    ),
    (
        "staging",
        (set_key("myhibachi:api.logLevel", "TRACE"),),
        "myhibachi:api.logLevel",
        "must be one of",
    ),
    (
        "production",
        (set_key("myhibachi:api.maxInstances", 0),),
        "myhibachi:api.maxInstances",
        "between 1 and 1000",
    ),
    (
        "production",
        (set_key("myhibachi:api.minInstances", 5), set_key("myhibachi:api.maxInstances", 2)),
        "myhibachi:api.maxInstances",
        "at least minInstances (5)",
    ),
    (
        "staging",
        (set_key("myhibachi:api.healthPath", "health"),),
        "myhibachi:api.healthPath",
        "a URL path",
    ),
    ("staging", (set_key("myhibachi:api.cpu", "3"),), "myhibachi:api.cpu", "must be one of"),
    (
        "staging",
        (set_key("myhibachi:frontends.repository", "not a repo"),),
        "myhibachi:frontends.repository",
        "owner/name",
    ),
    (
        "staging",
        (set_key("myhibachi:frontends.admin.rootDirectory", "../elsewhere"),),
        "myhibachi:frontends.admin.rootDirectory",
        "no '..'",
    ),
    (
        "staging",
        (
            set_key(
                "myhibachi:frontends.customer", {"projectName": "c", "rootDir": "apps/customer"}
            ),
        ),
        "myhibachi:frontends.customer",
        "unknown key 'rootDir'",
    ),
    (
        "staging",
        (set_key("myhibachi:frontends.admin.projectName", "My Admin"),),
        "myhibachi:frontends.admin.projectName",
        "a Vercel project name",
    ),
    (
        "staging",
        (set_key("myhibachi:frontends.customer.projectName", "myhibachi-admin-staging"),),
        "myhibachi:frontends.customer.projectName",
        "already used by the other app",
    ),
    (
        "staging",
        (set_key("myhibachi:edge.zoneId", "myhibachichef.com"),),
        "myhibachi:edge.zoneId",
        "32 hex",
    ),
    # Removed settings are refused with what replaced them, never silently ignored.
    (
        "staging",
        (set_key("myhibachi:edge.proxyApi", False),),
        "myhibachi:edge.proxyApi",
        "is no longer a setting: the API is always proxied",
    ),
    (
        "staging",
        (set_key("myhibachi:edge.cloudflareRanges.ipv4", ["173.245.48.0/33"]),),
        "myhibachi:edge.cloudflareRanges.ipv4[0]",
        "must be an IPv4 range",
    ),
    (
        "staging",
        (set_key("myhibachi:edge.cloudflareRanges.ipv4", []),),
        "myhibachi:edge.cloudflareRanges.ipv4",
        "must name at least one range",
    ),
    (
        "production",
        (set_key("myhibachi:auditLogs.retentionDays", 7),),
        "myhibachi:auditLogs.retentionDays",
        "between 30 and 3650",
    ),
    (
        "production",
        (set_key("myhibachi:auditLogs.contacts.security", []),),
        "myhibachi:auditLogs.contacts.security",
        "must name an address",
    ),
    (
        "production",
        (set_key("myhibachi:edge.zonePolicy.plan", "gold"),),
        "myhibachi:edge.zonePolicy.plan",
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
    (
        "production",
        (set_key("myhibachi:edge.zonePolicy.rateLimits.auth.periodSeconds", 120),),
        "myhibachi:edge.zonePolicy.rateLimits.auth.periodSeconds",
        "counting period on plan pro",
    ),
    (
        "production",
        (set_key("myhibachi:edge.zonePolicy.rateLimits.auth.timeoutSeconds", 7200),),
        "myhibachi:edge.zonePolicy.rateLimits.auth.timeoutSeconds",
        "mitigation timeout on plan pro",
    ),
    (
        "production",
        (set_key("myhibachi:edge.zonePolicy.rateLimits.auth.paths", []),),
        "myhibachi:edge.zonePolicy.rateLimits.auth.paths",
        "at least one path",
    ),
    (
        "production",
        (set_key("myhibachi:edge.zonePolicy.sessionCookie", 'mh"session'),),
        "myhibachi:edge.zonePolicy.sessionCookie",
        "a cookie name",
    ),
    (
        "production",
        (set_key("myhibachi:edge.zonePolicy.staticEdgeTtlSeconds", 60),),
        "myhibachi:edge.zonePolicy.staticEdgeTtlSeconds",
        "between 7200",
    ),
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
    (
        "production",
        (set_key("myhibachi:edge.zonePolicy.otherHosts", {"www": ["www.myhibachichef.com"]}),),
        "myhibachi:edge.zonePolicy.otherHosts",
        "unknown key 'www'",
    ),
    (
        "production",
        (set_key("myhibachi:backups.retentionDays", 7),),
        "myhibachi:backups.retentionDays",
        "between 30 and 3650",
    ),
    (
        "production",
        (set_key("myhibachi:backups.coldlineAfterDays", 20),),
        "myhibachi:backups.coldlineAfterDays",
        "later than nearlineAfterDays (30)",
    ),
    (
        "production",
        (set_key("myhibachi:backups.exportSchedule", "daily"),),
        "myhibachi:backups.exportSchedule",
        "a cron schedule",
    ),
    (
        "production",
        (set_key("myhibachi:alerts.saturationPercent", 100),),
        "myhibachi:alerts.saturationPercent",
        "between 1 and 99",
    ),
    (
        "production",
        (set_key("myhibachi:alerts.databaseMaxConnections", 5),),
        "myhibachi:alerts.databaseMaxConnections",
        "between 10",
    ),
]


@pytest.mark.parametrize(
    ("stack", "edits", "key", "problem"), BAD, ids=[f"{case[2]}:{case[3]}" for case in BAD]
)
def test_bad_value_names_file_key_and_problem(
    tmp_path: Path, stack: str, edits: tuple[Edit, ...], key: str, problem: str
) -> None:
    with pytest.raises(SettingsError) as error:
        load_edited(tmp_path, stack, *edits)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"Pulumi.{stack}.yaml: {key}: "), message
    assert problem in message, message


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
