"""Turn a stack's raw config into validated StackSettings.

The real CLI hands config to the program as strings (objects JSON-encoded); the offline preview
does the same, so both paths go through `load_settings`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from settings.model import (
    BACKEND_FLAGS,
    FRONTEND_FLAGS,
    PROJECT_IDENTITIES,
    SECRET_SCOPES,
    AlertSettings,
    Availability,
    CacheSettings,
    CacheTier,
    DatabaseSettings,
    DomainSettings,
    FeatureFlags,
    MaintenanceWindow,
    MapsKeySettings,
    SecretGenerator,
    SecretSettings,
    SecretSpec,
    StackSettings,
)
from settings.platform import parse_api, parse_backups, parse_edge, parse_frontends
from settings.reader import Node

NAMESPACE = "myhibachi"

_DNS_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = rf"{_DNS_LABEL}(?:\.{_DNS_LABEL})+"
_EMAIL = r"[A-Za-z0-9._%+-]+@" + _DOMAIN
_LABEL_VALUE = r"[a-z0-9_-]{1,63}"
_PG_IDENTIFIER = r"[a-z_][a-z0-9_]{0,62}"
_SECRET_NAME = r"[A-Z][A-Z0-9_]*"
_SHARED_CORE_TIERS = ("db-f1-micro", "db-g1-small")
_SECRET_GENERATORS: tuple[SecretGenerator, ...] = ("cache", "database", "mapsKey")

_TOP_LEVEL = frozenset(
    {
        "alerts",
        "api",
        "backups",
        "cache",
        "database",
        "domain",
        "edge",
        "env",
        "featureFlags",
        "frontends",
        "labels",
        "mapsKey",
        "protectStatefulResources",
        "secrets",
    }
)


def load_settings(stack: str, raw_config: Mapping[str, str]) -> StackSettings:
    """Validate a stack's config (full keys such as `myhibachi:database`) into settings.

    Raises SettingsError naming the stack file, the key and the problem.
    """
    stack_file = f"Pulumi.{stack}.yaml"
    ours = {
        key.split(":", 1)[1]: _decode(value)
        for key, value in raw_config.items()
        if key.startswith(f"{NAMESPACE}:")
    }

    def top(name: str) -> Node:
        return Node(stack_file, f"{NAMESPACE}:{name}", ours.get(name))

    unknown = sorted(set(ours) - _TOP_LEVEL)
    if unknown:
        raise Node(stack_file, f"{NAMESPACE}:{unknown[0]}", None).fail(
            f"unknown key (allowed: {', '.join(f'{NAMESPACE}:{k}' for k in sorted(_TOP_LEVEL))})"
        )
    for name in sorted(_TOP_LEVEL):
        if name not in ours:
            raise top(name).fail("is required")

    project = _required_plain(stack_file, raw_config, "gcp:project").text(
        r"[a-z][a-z0-9-]{4,28}[a-z0-9]", "a GCP project id such as my-hibachi-crm"
    )
    region = _required_plain(stack_file, raw_config, "gcp:region").text(
        r"[a-z]+-[a-z]+[1-9][0-9]?", "a GCP region such as us-central1"
    )
    env = top("env").text(r"[a-z][a-z0-9]{1,9}", "a short lowercase name such as prod or staging")
    domain = _domain(top("domain"))
    return StackSettings(
        alerts=_alerts(top("alerts")),
        api=parse_api(top("api")),
        backups=parse_backups(top("backups")),
        cache=_cache(top("cache")),
        database=_database(top("database")),
        domain=domain,
        edge=parse_edge(top("edge"), domain),
        env=env,
        feature_flags=_feature_flags(top("featureFlags")),
        frontends=parse_frontends(top("frontends")),
        labels=_labels(top("labels"), env),
        maps_key=_maps_key(top("mapsKey")),
        project=project,
        protect_stateful_resources=top("protectStatefulResources").boolean(),
        region=region,
        secrets=_secrets(top("secrets"), env),
        stack=stack,
    )


def settings_from_runtime() -> StackSettings:
    """Settings for the stack the Pulumi runtime is running (real CLI or mocks)."""
    import pulumi
    from pulumi.runtime.config import CONFIG, get_config_env

    raw: dict[str, str] = {**get_config_env(), **CONFIG.get()}
    return load_settings(pulumi.get_stack(), raw)


def _decode(value: str) -> Any:
    # Objects, lists, numbers and booleans arrive JSON-encoded; anything else is a plain string.
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def _required_plain(stack_file: str, raw: Mapping[str, str], key: str) -> Node:
    if key not in raw:
        raise Node(stack_file, key, None).fail("is required")
    return Node(stack_file, key, raw[key])


def _labels(node: Node, env: str) -> dict[str, str]:
    fields = node.fields({"app", "owner"})
    labels = {
        name: fields[name].text(_LABEL_VALUE, "a GCP label value") for name in ("app", "owner")
    }
    return {**labels, "env": env}


def _domain(node: Node) -> DomainSettings:
    fields = node.fields({"zone", "site", "admin", "api"})
    zone = fields["zone"].text(_DOMAIN, "a domain name such as myhibachichef.com")
    hosts: dict[str, str] = {}
    for role in ("admin", "api", "site"):
        host_node = fields[role]
        host = host_node.text(_DOMAIN, "a host name")
        # One label deep at most, so the zone's universal certificate covers every host.
        if host != zone and not (host.endswith(f".{zone}") and "." not in host[: -len(zone) - 1]):
            raise host_node.fail(f"must be {zone} or one label under it, got '{host}'")
        if host in hosts.values():
            raise host_node.fail(f"'{host}' is already used by another host")
        hosts[role] = host
    return DomainSettings(admin=hosts["admin"], api=hosts["api"], site=hosts["site"], zone=zone)


def _database(node: Node) -> DatabaseSettings:
    fields = node.fields(
        {
            "availability",
            "backupStartTime",
            "diskSizeGb",
            "maintenanceWindow",
            "name",
            "retainedBackups",
            "tier",
            "transactionLogRetentionDays",
            "user",
            "version",
        },
        frozenset({"slowStatementLogMs"}),
    )
    tier = fields["tier"].text(
        r"db-(?:f1-micro|g1-small|custom-\d+-\d+|perf-optimized-N-\d+)", "a Cloud SQL tier"
    )
    availability = fields["availability"].choice(("ZONAL", "REGIONAL"))
    if availability == "REGIONAL" and tier in _SHARED_CORE_TIERS:
        raise fields["availability"].fail(
            f"REGIONAL needs a dedicated-core tier; '{tier}' is shared-core"
        )
    window = fields["maintenanceWindow"].fields({"day", "hour"})
    slow_ms = fields.get("slowStatementLogMs")
    return DatabaseSettings(
        availability=cast(Availability, availability),
        backup_start_time=fields["backupStartTime"].text(
            r"(?:[01]\d|2[0-3]):[0-5]\d", "a UTC time HH:MM"
        ),
        disk_size_gb=fields["diskSizeGb"].integer(10, 65536),
        maintenance_window=MaintenanceWindow(
            day=window["day"].integer(1, 7), hour=window["hour"].integer(0, 23)
        ),
        name=fields["name"].text(_PG_IDENTIFIER, "a PostgreSQL identifier"),
        retained_backups=fields["retainedBackups"].integer(7, 365),
        tier=tier,
        transaction_log_retention_days=fields["transactionLogRetentionDays"].integer(1, 7),
        user=fields["user"].text(_PG_IDENTIFIER, "a PostgreSQL identifier"),
        version=fields["version"].text(r"POSTGRES_1[4-8]", "a current PostgreSQL major version"),
        slow_statement_log_ms=slow_ms.integer(1, 600_000) if slow_ms else None,
    )


def _cache(node: Node) -> CacheSettings:
    fields = node.fields({"memorySizeGb", "tier", "version"}, frozenset({"rdbSnapshotPeriod"}))
    period = fields.get("rdbSnapshotPeriod")
    return CacheSettings(
        memory_size_gb=fields["memorySizeGb"].integer(1, 300),
        tier=cast(CacheTier, fields["tier"].choice(("BASIC", "STANDARD_HA"))),
        version=fields["version"].text(r"REDIS_\d+(?:_\d+)?", "a Redis version such as REDIS_7_2"),
        rdb_snapshot_period=(
            period.choice(("ONE_HOUR", "SIX_HOURS", "TWELVE_HOURS", "TWENTY_FOUR_HOURS"))
            if period
            else None
        ),
    )


def _secrets(node: Node, env: str) -> SecretSettings:
    fields = node.fields({"catalog", "firstRotation", "rotationDays"})
    scopes = "|".join(SECRET_SCOPES)
    catalog: list[SecretSpec] = []
    for item in fields["catalog"].items():
        entry = item.fields({"name"}, frozenset({"accessors", "generatedBy"}))
        name = entry["name"].text(
            rf"{env}-(?:{scopes})-{_SECRET_NAME}",
            f"of the form {env}-{{scope}}-{{NAME}} (scope one of {', '.join(SECRET_SCOPES)})",
        )
        if any(spec.name == name for spec in catalog):
            raise entry["name"].fail(f"secret '{name}' is listed twice")
        accessors_node = entry.get("accessors")
        accessors = (
            tuple(_accessor(member) for member in accessors_node.items()) if accessors_node else ()
        )
        generator_node = entry.get("generatedBy")
        generator = generator_node.choice(_SECRET_GENERATORS) if generator_node else None
        if generator and any(spec.generated_by == generator for spec in catalog):
            raise entry["generatedBy"].fail(f"another secret is already generated by {generator}")
        catalog.append(
            SecretSpec(
                name=name, accessors=accessors, generated_by=cast(SecretGenerator | None, generator)
            )
        )
    for generator in _SECRET_GENERATORS:
        if not any(spec.generated_by == generator for spec in catalog):
            raise fields["catalog"].fail(f"needs one secret with generatedBy: {generator}")
    return SecretSettings(
        catalog=tuple(catalog),
        first_rotation=fields["firstRotation"].text(
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z",
            "an RFC 3339 UTC time such as 2027-02-23T00:00:00Z",
        ),
        rotation_days=fields["rotationDays"].integer(1, 90),
    )


def _accessor(node: Node) -> str:
    value = node.text()
    if value in PROJECT_IDENTITIES:
        return value
    return node.text(
        r"(?:serviceAccount|group|user):[A-Za-z0-9._%+-]+@" + _DOMAIN,
        f"one of {', '.join(PROJECT_IDENTITIES)} or an IAM member such as group:devops@example.com",
    )


def _feature_flags(node: Node) -> FeatureFlags:
    fields = node.fields({"backend", "frontend"})
    return FeatureFlags(
        backend=_flags(fields["backend"], BACKEND_FLAGS),
        frontend=_flags(fields["frontend"], FRONTEND_FLAGS),
    )


def _flags(node: Node, known: tuple[str, ...]) -> dict[str, bool]:
    flags: dict[str, bool] = {}
    for name, flag in node.entries():
        if name not in known:
            raise flag.fail(f"unknown feature flag (known: {', '.join(known)})")
        flags[name] = flag.boolean()
    for name in known:
        if name not in flags:
            raise node.child(name, None).fail("is required: set every flag explicitly per stack")
    return flags


def _alerts(node: Node) -> AlertSettings:
    fields = node.fields(
        {"emails", "errorRatePercent", "latencyP95Ms", "slowQueryMs"},
        frozenset({"databaseMaxConnections", "saturationPercent"}),
    )
    emails = tuple(item.text(_EMAIL, "an email address") for item in fields["emails"].items())
    if not emails:
        raise fields["emails"].fail("must name at least one address")
    max_connections = fields.get("databaseMaxConnections")
    saturation = fields.get("saturationPercent")
    return AlertSettings(
        emails=emails,
        error_rate_percent=fields["errorRatePercent"].number(0, 100),
        latency_p95_ms=fields["latencyP95Ms"].integer(1, 60_000),
        slow_query_ms=fields["slowQueryMs"].integer(1, 600_000),
        database_max_connections=(max_connections.integer(10, 262_143) if max_connections else 100),
        saturation_percent=saturation.integer(1, 99) if saturation else 80,
    )


def _maps_key(node: Node) -> MapsKeySettings:
    fields = node.fields({"generation"})
    return MapsKeySettings(generation=fields["generation"].integer(1, 999))
