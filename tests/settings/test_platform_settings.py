"""The api, frontends, edge and backups sections: valid per stack, and one-line errors when bad."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from preflight.stack_file import read_stack_config
from settings import SettingsError, StackSettings, load_settings
from tests.conftest import stack_document

Edit = Callable[[dict[str, Any]], None]


def _load(tmp_path: Path, stack: str, *edits: Edit) -> StackSettings:
    document = stack_document(stack)
    for edit in edits:
        edit(document["config"])
    (tmp_path / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump(document))
    return load_settings(stack, read_stack_config(tmp_path, stack).values)


def _set(path: str, value: Any) -> Edit:
    top, *rest = path.split(".")

    def edit(config: dict[str, Any]) -> None:
        node = config[f"myhibachi:{top}"]
        for part in rest[:-1]:
            node = node[part]
        node[rest[-1]] = value

    return edit


def _drop(path: str) -> Edit:
    top, *rest = path.split(".")

    def edit(config: dict[str, Any]) -> None:
        if not rest:
            del config[f"myhibachi:{top}"]
            return
        node = config[f"myhibachi:{top}"]
        for part in rest[:-1]:
            node = node[part]
        del node[rest[-1]]

    return edit


def test_stack_files_load(tmp_path: Path) -> None:
    staging = _load(tmp_path, "staging")
    production = _load(tmp_path, "production")
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
    settings = _load(
        tmp_path,
        "staging",
        _drop("alerts.databaseMaxConnections"),
        _drop("alerts.saturationPercent"),
    )
    assert (settings.alerts.database_max_connections, settings.alerts.saturation_percent) == (
        100,
        80,
    )
    assert (settings.api.cpu, settings.api.memory) == ("1", "512Mi")


BAD: list[tuple[str, tuple[Edit, ...], str, str]] = [
    ("staging", (_drop("api"),), "myhibachi:api", "is required"),
    ("staging", (_set("api.image", "nginx"),), "myhibachi:api.image", "with a tag or digest"),
    (
        "staging",
        (_set("api.image", "us-docker.pkg.dev/p/r/api:latest"),),
        "myhibachi:api.image",
        "not ':latest'",
    ),
    ("staging", (_set("api.logLevel", "TRACE"),), "myhibachi:api.logLevel", "must be one of"),
    (
        "production",
        (_set("api.maxInstances", 0),),
        "myhibachi:api.maxInstances",
        "between 1 and 1000",
    ),
    (
        "production",
        (_set("api.minInstances", 5), _set("api.maxInstances", 2)),
        "myhibachi:api.maxInstances",
        "at least minInstances (5)",
    ),
    ("staging", (_set("api.healthPath", "health"),), "myhibachi:api.healthPath", "a URL path"),
    ("staging", (_set("api.cpu", "3"),), "myhibachi:api.cpu", "must be one of"),
    (
        "staging",
        (_set("frontends.repository", "not a repo"),),
        "myhibachi:frontends.repository",
        "owner/name",
    ),
    (
        "staging",
        (_set("frontends.admin.rootDirectory", "../elsewhere"),),
        "myhibachi:frontends.admin.rootDirectory",
        "no '..'",
    ),
    (
        "staging",
        (_set("frontends.customer", {"projectName": "c", "rootDir": "apps/customer"}),),
        "myhibachi:frontends.customer",
        "unknown key 'rootDir'",
    ),
    (
        "staging",
        (_set("frontends.admin.projectName", "My Admin"),),
        "myhibachi:frontends.admin.projectName",
        "a Vercel project name",
    ),
    (
        "staging",
        (_set("frontends.customer.projectName", "myhibachi-admin-staging"),),
        "myhibachi:frontends.customer.projectName",
        "already used by the other app",
    ),
    ("staging", (_set("edge.zoneId", "myhibachichef.com"),), "myhibachi:edge.zoneId", "32 hex"),
    # Removed settings are refused with what replaced them, never silently ignored.
    (
        "staging",
        (_set("edge.proxyApi", False),),
        "myhibachi:edge.proxyApi",
        "is no longer a setting: the API is always proxied",
    ),
    (
        "staging",
        (_set("edge.cloudflareRanges.ipv4", ["173.245.48.0/33"]),),
        "myhibachi:edge.cloudflareRanges.ipv4[0]",
        "must be an IPv4 range",
    ),
    (
        "staging",
        (_set("edge.cloudflareRanges.ipv4", []),),
        "myhibachi:edge.cloudflareRanges.ipv4",
        "must name at least one range",
    ),
    (
        "production",
        (_set("auditLogs.retentionDays", 7),),
        "myhibachi:auditLogs.retentionDays",
        "between 30 and 3650",
    ),
    (
        "production",
        (_set("auditLogs.contacts.security", []),),
        "myhibachi:auditLogs.contacts.security",
        "must name an address",
    ),
    (
        "production",
        (_set("edge.zonePolicy.plan", "gold"),),
        "myhibachi:edge.zonePolicy.plan",
        "must be one of free, pro, business, enterprise",
    ),
    (
        "production",
        (_set("edge.zonePolicy.plan", "free"),),
        "myhibachi:edge.zonePolicy.managedWaf",
        "needs plan pro or higher",
    ),
    (
        "production",
        (_set("edge.zonePolicy.plan", "free"), _set("edge.zonePolicy.managedWaf", False)),
        "myhibachi:edge.zonePolicy.rateLimits.api.periodSeconds",
        "on plan free must be one of 10, got 60",
    ),
    (
        "production",
        (_set("edge.zonePolicy.rateLimits.auth.periodSeconds", 120),),
        "myhibachi:edge.zonePolicy.rateLimits.auth.periodSeconds",
        "counting period on plan pro",
    ),
    (
        "production",
        (_set("edge.zonePolicy.rateLimits.auth.timeoutSeconds", 7200),),
        "myhibachi:edge.zonePolicy.rateLimits.auth.timeoutSeconds",
        "mitigation timeout on plan pro",
    ),
    (
        "production",
        (_set("edge.zonePolicy.rateLimits.auth.paths", []),),
        "myhibachi:edge.zonePolicy.rateLimits.auth.paths",
        "at least one path",
    ),
    (
        "production",
        (_set("edge.zonePolicy.sessionCookie", 'mh"session'),),
        "myhibachi:edge.zonePolicy.sessionCookie",
        "a cookie name",
    ),
    (
        "production",
        (_set("edge.zonePolicy.staticEdgeTtlSeconds", 60),),
        "myhibachi:edge.zonePolicy.staticEdgeTtlSeconds",
        "between 7200",
    ),
    (
        "production",
        (_set("edge.zonePolicy.otherHosts", {"api": ["api.example.org"]}),),
        "myhibachi:edge.zonePolicy.otherHosts.api[0]",
        "must be in the zone myhibachichef.com",
    ),
    (
        "production",
        (_set("edge.zonePolicy.otherHosts", {"api": ["api.myhibachichef.com"]}),),
        "myhibachi:edge.zonePolicy.otherHosts.api[0]",
        "listed twice",
    ),
    (
        "production",
        (_set("edge.zonePolicy.otherHosts", {"www": ["www.myhibachichef.com"]}),),
        "myhibachi:edge.zonePolicy.otherHosts",
        "unknown key 'www'",
    ),
    (
        "production",
        (_set("backups.retentionDays", 7),),
        "myhibachi:backups.retentionDays",
        "between 30 and 3650",
    ),
    (
        "production",
        (_set("backups.coldlineAfterDays", 20),),
        "myhibachi:backups.coldlineAfterDays",
        "later than nearlineAfterDays (30)",
    ),
    (
        "production",
        (_set("backups.exportSchedule", "daily"),),
        "myhibachi:backups.exportSchedule",
        "a cron schedule",
    ),
    (
        "production",
        (_set("alerts.saturationPercent", 100),),
        "myhibachi:alerts.saturationPercent",
        "between 1 and 99",
    ),
    (
        "production",
        (_set("alerts.databaseMaxConnections", 5),),
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
        _load(tmp_path, stack, *edits)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"Pulumi.{stack}.yaml: {key}: "), message
    assert problem in message, message


def test_free_plan_with_its_limits_is_accepted(tmp_path: Path) -> None:
    edits: list[Edit] = [
        _set("edge.zonePolicy.plan", "free"),
        _set("edge.zonePolicy.managedWaf", False),
    ]
    for rule in ("api", "auth"):
        edits += [
            _set(f"edge.zonePolicy.rateLimits.{rule}.periodSeconds", 10),
            _set(f"edge.zonePolicy.rateLimits.{rule}.timeoutSeconds", 10),
        ]
    policy = _load(tmp_path, "production", *edits).edge.zone_policy
    assert policy is not None
    assert policy.plan == "free"
