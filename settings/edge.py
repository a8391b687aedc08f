"""`myhibachi:edge`: Cloudflare's origin ranges, the zone id if the stack pins it, and, in the one
stack that owns it, the zone policy.

Without `zoneId` the program looks the zone up by its name (`myhibachi:domain.zone`) at preview
and deploy time; a stack pins the id only for a token that cannot read zones (Zone:Read).

A zone has one entrypoint ruleset per phase and one value per zone setting, so two stacks
declaring them would overwrite each other on every `pulumi up`. The owning stack's rules cover
its own hosts plus `otherHosts` (the other stacks' hosts, by role).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Literal

from settings.domain import HOST_ROLES
from settings.fields import (
    Reader,
    StackContext,
    boolean,
    integer,
    list_of,
    nested,
    one_of,
    removed,
    section,
    setting,
    text,
)
from settings.patterns import DOMAIN, URL_PATH
from settings.reader import Fields, Node

CloudflarePlan = Literal["free", "pro", "business", "enterprise"]
_ZONE_ID = r"[0-9a-f]{32}"
_COOKIE_NAME = r"[A-Za-z0-9_.-]{1,64}"

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


@section
class RateLimit:
    """Requests per client IP and period before Cloudflare blocks for `timeout_seconds`."""

    period_seconds: int = setting("periodSeconds", integer(1, 86_400))
    requests: int = setting("requests", integer(1, 1_000_000))
    timeout_seconds: int = setting("timeoutSeconds", integer(1, 86_400))


@section
class PathRateLimit(RateLimit):
    """A rate limit on some paths only (the login and 2FA endpoints)."""

    paths: tuple[str, ...] = setting(
        "paths",
        list_of(
            text(URL_PATH, "a URL path such as /api/v1/auth/login"),
            non_empty="must name at least one path",
        ),
    )


@section
class RateLimits:
    """The whole API's limit and the stricter one on the login and 2FA paths."""

    api: RateLimit = setting("api", nested(RateLimit))
    auth: PathRateLimit = setting("auth", nested(PathRateLimit))


def _other_hosts(node: Node, context: StackContext) -> Mapping[str, tuple[str, ...]]:
    fields = node.fields(set(), frozenset(HOST_ROLES))
    found: list[str] = []
    hosts: dict[str, tuple[str, ...]] = {}
    for role in HOST_ROLES:
        role_node = fields.get(role)
        if role_node is None:
            continue
        role_hosts: list[str] = []
        for item in role_node.items():
            host = item.text(DOMAIN, "a host name")
            if host != context.zone and not host.endswith(f".{context.zone}"):
                raise item.fail(f"must be in the zone {context.zone}, got '{host}'")
            if host in context.own_hosts or host in found:
                raise item.fail(f"'{host}' is listed twice (this stack's own hosts are implied)")
            found.append(host)
            role_hosts.append(host)
        hosts[role] = tuple(role_hosts)
    return hosts


@section
class ZonePolicy:
    """Zone-wide Cloudflare settings and rulesets. Exactly one stack declares these."""

    hsts_preload: bool = setting("hstsPreload", boolean())
    managed_waf: bool = setting("managedWaf", boolean())
    plan: CloudflarePlan = setting("plan", one_of(CloudflarePlan))
    rate_limits: RateLimits = setting("rateLimits", nested(RateLimits))
    session_cookie: str = setting(
        "sessionCookie", text(_COOKIE_NAME, "a cookie name such as mh_session")
    )
    static_edge_ttl_seconds: int = setting(
        "staticEdgeTtlSeconds", integer(MIN_EDGE_TTL_SECONDS, 31_536_000)
    )
    other_hosts: Mapping[str, tuple[str, ...]] = setting(
        "otherHosts", _other_hosts, default_factory=dict
    )

    def validate(self, fields: Fields, context: StackContext) -> None:
        """What the plan allows: the managed WAF, and each limit's period and timeout."""
        if self.managed_waf and self.plan == "free":
            raise fields["managedWaf"].fail(
                "the Cloudflare Managed Ruleset needs plan pro or higher "
                "(free zones run the Free Managed Ruleset automatically)"
            )
        limits = fields["rateLimits"]
        for name in ("api", "auth"):
            _check_period(
                limits.at(name, "periodSeconds"), self.plan, MAX_PERIOD, "counting period"
            )
            _check_period(
                limits.at(name, "timeoutSeconds"), self.plan, MAX_TIMEOUT, "mitigation timeout"
            )


def _check_period(node: Node, plan: str, maximum: Mapping[str, int], what: str) -> None:
    allowed = [value for value in RATE_LIMIT_VALUES if value <= maximum[plan]]
    if node.value not in allowed:
        raise node.fail(
            f"the {what} on plan {plan} must be one of {', '.join(map(str, allowed))}, "
            f"got {node.value}"
        )


def _ip_range(version: int, example: str) -> Reader[str]:
    """A range in CIDR notation of one IP version."""

    def read(node: Node, context: StackContext) -> str:
        value = node.text()
        try:
            network = ipaddress.ip_network(value)
        except ValueError:
            network = None
        if network is None or network.version != version:
            raise node.fail(f"must be an IPv{version} range such as {example}, got '{value}'")
        return value

    return read


@section
class CloudflareRanges:
    """The addresses Cloudflare connects to origins from (cloudflare.com/ips-v4 and ips-v6).

    The API's load balancer admits only these (Cloud Armor). Cloudflare changes the list rarely
    and announces it; refresh it, with its date, when it does (docs/runbooks/bootstrap.md).
    """

    as_of: str = setting(
        "asOf", text(r"\d{4}-\d{2}-\d{2}", "the date the list was read (YYYY-MM-DD)")
    )
    ipv4: tuple[str, ...] = setting(
        "ipv4",
        list_of(_ip_range(4, "173.245.48.0/20"), non_empty="must name at least one range"),
    )
    ipv6: tuple[str, ...] = setting("ipv6", list_of(_ip_range(6, "2400:cb00::/32")), default=())


@section
class EdgeSettings:
    """Cloudflare: its origin ranges, the zone's id if pinned (None: looked up by name), and the
    zone-wide policy if this stack owns it."""

    cloudflare_ranges: CloudflareRanges = setting("cloudflareRanges", nested(CloudflareRanges))
    zone_id: str | None = setting(
        "zoneId",
        text(_ZONE_ID, "a Cloudflare zone id (32 hexadecimal characters)"),
        default=None,
    )
    zone_policy: ZonePolicy | None = setting("zonePolicy", nested(ZonePolicy), default=None)
    # The API is always proxied: its load balancer's certificate is authorized by DNS, which
    # works while Cloudflare proxies the host.
    proxy_api: None = setting(
        "proxyApi",
        removed("the API is always proxied (its certificate is DNS-authorized)"),
        default=None,
    )
