"""Validation of the platform sections: `api`, `frontends`, `edge` and `backups`.

Kept apart from `settings.load` so that each area's rules read on their own; `load_settings`
calls these with the section's node and gets typed settings back or a SettingsError.
"""

from __future__ import annotations

from typing import cast

from settings.model import (
    ApiSettings,
    BackupSettings,
    CloudflarePlan,
    DomainSettings,
    EdgeSettings,
    FrontendApp,
    FrontendSettings,
    LogLevel,
    RateLimit,
    ZonePolicy,
)
from settings.reader import Node

_DNS_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = rf"{_DNS_LABEL}(?:\.{_DNS_LABEL})+"
# registry/path/name followed by a tag or a digest; never an implicit (moving) `latest`.
_IMAGE = (
    r"[a-z0-9.-]+(?::[0-9]+)?/[a-z0-9._/-]+"
    r"(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[a-f0-9]{64})"
)
_URL_PATH = r"/[A-Za-z0-9._~/-]*"
_RELATIVE_DIR = r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*"
_GIT_BRANCH = r"[A-Za-z0-9._/-]{1,100}"
_VERCEL_PROJECT = r"[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?"
_GITHUB_REPO = r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}"
_ZONE_ID = r"[0-9a-f]{32}"
_COOKIE_NAME = r"[A-Za-z0-9_.-]{1,64}"
_CRON = r"(?:[0-9*/,-]+\s+){4}[0-9A-Za-z*/,-]+"
_TIME_ZONE = r"(?:Etc/UTC|UTC|[A-Z][A-Za-z_]+/[A-Za-z_/+-]+)"
_BUCKET_LOCATION = r"(?:[A-Z]{2,}[A-Z0-9-]*|[a-z]+-[a-z]+[1-9][0-9]?)"

LOG_LEVELS: tuple[LogLevel, ...] = ("DEBUG", "INFO", "WARNING", "ERROR")
CLOUDFLARE_PLANS: tuple[CloudflarePlan, ...] = ("free", "pro", "business", "enterprise")

# Cloudflare's rate limiting availability by plan (developers.cloudflare.com, WAF > Rate limiting
# rules > availability): rules per zone, the longest counting period and mitigation timeout.
# Free also allows only 10 s for both and only the URI path in the rule expression.
RATE_LIMIT_VALUES: tuple[int, ...] = (
    10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600,
    65535, 86400,
)  # fmt: skip
RATE_LIMIT_RULES: dict[str, int] = {"free": 1, "pro": 2, "business": 5, "enterprise": 100}
MAX_PERIOD: dict[str, int] = {"free": 10, "pro": 60, "business": 600, "enterprise": 65535}
MAX_TIMEOUT: dict[str, int] = {"free": 10, "pro": 3600, "business": 86400, "enterprise": 86400}
# Cache rules cannot set an edge TTL below this on every plan (Free: 2 hours).
MIN_EDGE_TTL_SECONDS = 7200


def parse_api(node: Node) -> ApiSettings:
    """`myhibachi:api`: the image, scaling and log level of the backend."""
    fields = node.fields(
        {"healthPath", "image", "logLevel", "maxInstances", "minInstances"},
        frozenset({"cpu", "memory"}),
    )
    image = fields["image"].text(
        _IMAGE,
        "a container image with a tag or digest, such as REGION-docker.pkg.dev/P/R/api:1.2.3",
    )
    if image.endswith(":latest"):
        raise fields["image"].fail("must pin a version tag or digest, not ':latest'")
    minimum = fields["minInstances"].integer(0, 100)
    maximum = fields["maxInstances"].integer(1, 1000)
    if maximum < minimum:
        raise fields["maxInstances"].fail(
            f"must be at least minInstances ({minimum}), got {maximum}"
        )
    cpu, memory = fields.get("cpu"), fields.get("memory")
    return ApiSettings(
        health_path=fields["healthPath"].text(_URL_PATH, "a URL path such as /health"),
        image=image,
        log_level=cast(LogLevel, fields["logLevel"].choice(LOG_LEVELS)),
        max_instances=maximum,
        min_instances=minimum,
        cpu=cpu.choice(("1", "2", "4", "8")) if cpu else "1",
        memory=memory.text(r"[1-9][0-9]*(?:Mi|Gi)", "a size such as 512Mi or 2Gi")
        if memory
        else "512Mi",
    )


def parse_frontends(node: Node) -> FrontendSettings:
    """`myhibachi:frontends`: the repository and each Next.js app's directory in it."""
    fields = node.fields(
        {"admin", "customer", "productionBranch", "repository"},
        frozenset({"stripePublishableKeyReady"}),
    )
    apps: dict[str, FrontendApp] = {}
    for role in ("admin", "customer"):
        app = fields[role].fields({"projectName", "rootDirectory"})
        directory = app["rootDirectory"].text(
            _RELATIVE_DIR, "a directory relative to the repository"
        )
        if ".." in directory.split("/"):
            raise app["rootDirectory"].fail("must stay inside the repository (no '..')")
        project = app["projectName"].text(
            _VERCEL_PROJECT, "a Vercel project name (lowercase letters, digits, '.', '_', '-')"
        )
        if any(other.project_name == project for other in apps.values()):
            raise app["projectName"].fail(f"'{project}' is already used by the other app")
        apps[role] = FrontendApp(project_name=project, root_directory=directory)
    ready = fields.get("stripePublishableKeyReady")
    return FrontendSettings(
        admin=apps["admin"],
        customer=apps["customer"],
        production_branch=fields["productionBranch"].text(_GIT_BRANCH, "a git branch name"),
        repository=fields["repository"].text(_GITHUB_REPO, "a GitHub repository owner/name"),
        stripe_publishable_key_ready=ready.boolean() if ready else True,
    )


def parse_edge(node: Node, domain: DomainSettings) -> EdgeSettings:
    """`myhibachi:edge`: the zone id, plus the zone-wide policy in the one stack that owns it."""
    fields = node.fields({"zoneId"}, frozenset({"proxyApi", "zonePolicy"}))
    zone_id = fields["zoneId"].text(_ZONE_ID, "a Cloudflare zone id (32 hexadecimal characters)")
    proxy_node = fields.get("proxyApi")
    policy_node = fields.get("zonePolicy")
    return EdgeSettings(
        zone_id=zone_id,
        proxy_api=proxy_node.boolean() if proxy_node else True,
        zone_policy=_zone_policy(policy_node, domain) if policy_node else None,
    )


def _zone_policy(node: Node, domain: DomainSettings) -> ZonePolicy:
    fields = node.fields(
        {
            "hstsPreload",
            "managedWaf",
            "plan",
            "rateLimits",
            "sessionCookie",
            "staticEdgeTtlSeconds",
        },
        frozenset({"otherHosts"}),
    )
    plan = cast(CloudflarePlan, fields["plan"].choice(CLOUDFLARE_PLANS))
    managed_waf = fields["managedWaf"].boolean()
    if managed_waf and plan == "free":
        raise fields["managedWaf"].fail(
            "the Cloudflare Managed Ruleset needs plan pro or higher "
            "(free zones run the Free Managed Ruleset automatically)"
        )
    limits = fields["rateLimits"].fields({"api", "auth"})
    other_node = fields.get("otherHosts")
    return ZonePolicy(
        api_rate_limit=_rate_limit(limits["api"], plan, with_paths=False),
        auth_rate_limit=_rate_limit(limits["auth"], plan, with_paths=True),
        hsts_preload=fields["hstsPreload"].boolean(),
        managed_waf=managed_waf,
        other_hosts=_other_hosts(other_node, domain) if other_node else {},
        plan=plan,
        session_cookie=fields["sessionCookie"].text(
            _COOKIE_NAME, "a cookie name such as mh_session"
        ),
        static_edge_ttl_seconds=fields["staticEdgeTtlSeconds"].integer(
            MIN_EDGE_TTL_SECONDS, 31_536_000
        ),
    )


def _rate_limit(node: Node, plan: str, *, with_paths: bool) -> RateLimit:
    required = {"periodSeconds", "requests", "timeoutSeconds"} | (
        {"paths"} if with_paths else set()
    )
    fields = node.fields(required)
    period = _period(fields["periodSeconds"], plan, MAX_PERIOD[plan], "counting period")
    timeout = _period(fields["timeoutSeconds"], plan, MAX_TIMEOUT[plan], "mitigation timeout")
    paths: tuple[str, ...] = ()
    if with_paths:
        paths = tuple(
            item.text(_URL_PATH, "a URL path such as /api/v1/auth/login")
            for item in fields["paths"].items()
        )
        if not paths:
            raise fields["paths"].fail("must name at least one path")
    return RateLimit(
        period_seconds=period,
        requests=fields["requests"].integer(1, 1_000_000),
        timeout_seconds=timeout,
        paths=paths,
    )


def _period(node: Node, plan: str, maximum: int, what: str) -> int:
    allowed = [value for value in RATE_LIMIT_VALUES if value <= maximum]
    value = node.integer(1, 86_400)
    if value not in allowed:
        raise node.fail(
            f"the {what} on plan {plan} must be one of {', '.join(map(str, allowed))}, got {value}"
        )
    return value


def _other_hosts(node: Node, domain: DomainSettings) -> dict[str, tuple[str, ...]]:
    fields = node.fields(set(), frozenset({"admin", "api", "site"}))
    hosts: dict[str, tuple[str, ...]] = {}
    own = set(domain.hosts.values())
    for role in ("admin", "api", "site"):
        role_node = fields.get(role)
        if role_node is None:
            continue
        found: list[str] = []
        for item in role_node.items():
            host = item.text(_DOMAIN, "a host name")
            if host != domain.zone and not host.endswith(f".{domain.zone}"):
                raise item.fail(f"must be in the zone {domain.zone}, got '{host}'")
            if host in own or host in found:
                raise item.fail(f"'{host}' is listed twice (this stack's own hosts are implied)")
            found.append(host)
        hosts[role] = tuple(found)
    return hosts


def parse_backups(node: Node) -> BackupSettings:
    """`myhibachi:backups`: the export bucket's retention and storage classes, and the schedule."""
    fields = node.fields(
        {
            "coldlineAfterDays",
            "exportSchedule",
            "location",
            "nearlineAfterDays",
            "retentionDays",
            "timeZone",
        }
    )
    nearline = fields["nearlineAfterDays"].integer(1, 3650)
    coldline = fields["coldlineAfterDays"].integer(1, 3650)
    if coldline <= nearline:
        raise fields["coldlineAfterDays"].fail(
            f"must be later than nearlineAfterDays ({nearline}), got {coldline}"
        )
    return BackupSettings(
        coldline_after_days=coldline,
        export_schedule=fields["exportSchedule"].text(_CRON, "a cron schedule such as '0 9 * * *'"),
        location=fields["location"].text(
            _BUCKET_LOCATION, "a bucket location such as US or us-east1"
        ),
        nearline_after_days=nearline,
        retention_days=fields["retentionDays"].integer(30, 3650),
        time_zone=fields["timeZone"].text(_TIME_ZONE, "a time zone such as Etc/UTC"),
    )
