"""Cloudflare in front of the stack: DNS for its hosts and, in the zone-owning stack, the zone.

Edge decisions:
- Proxying: the API host is always proxied (orange cloud) to the address of its load balancer
  (`A`, `components/api_ingress.py`), which admits only Cloudflare, so Cloudflare's TLS
  settings, WAF, cache bypass and rate limits apply to every request. The customer site and the
  admin panel are DNS-only records pointing at
  Vercel (`cname.vercel-dns.com`, or Vercel's apex `A 76.76.21.21`), as Vercel advises for the
  domains it serves: Vercel terminates TLS, issues and renews the certificates, runs its own
  CDN and firewall and sees real client addresses; a second proxy in front breaks certificate
  checks and double-caches. Vercel caches `/_next/static/*` (immutable, content-hashed) itself.
- The load balancer's certificate is authorized by a DNS record Certificate Manager names
  (`_acme-challenge.<api host>` CNAME), declared here DNS-only: it proves control of the host
  while the host itself is proxied, so the certificate is issued on the first `pulumi up` and
  renews without un-proxying.
- The zone: found by its name with the provider's `getZone` (Terraform's `data "cloudflare_zone"`)
  at preview and deploy time, unless the stack pins its id (`edge.zoneId`: a token without
  Zone:Read cannot look it up). Every Cloudflare resource takes its id from there.
- Ownership: a zone has one value per zone setting and one entrypoint ruleset per phase; two
  stacks declaring them would overwrite each other on every `pulumi up` (or fail to create the
  second entrypoint). So exactly one stack (production: `edge.zonePolicy`) owns the zone's
  settings and rulesets, and its rules cover every stack's hosts (its own plus
  `zonePolicy.otherHosts`). Every stack owns only its own DNS records.
- Zone settings: always_use_https, min_tls_version 1.2, tls_1_3, ssl strict,
  automatic_https_rewrites, and HSTS through `security_header` (max-age one year,
  includeSubDomains, nosniff; preload a setting, off until every subdomain serves HTTPS).
  They apply to proxied traffic; Vercel sends its own HSTS header on the DNS-only hosts.
- Cache rules (`http_request_cache_settings`, evaluated in order, later matches override):
  1. static assets (`/_next/static/`, images, fonts, scripts, styles) cached at the edge for
     `staticEdgeTtlSeconds`, expressly excluding the admin and API hosts and any request with
     the session cookie; it takes effect on a frontend host only if that host is proxied;
  2. bypass (cache off) for the admin hosts OR the API hosts OR the session cookie (seed 12).
- Rate limits (`http_ratelimit`), counted per client IP (and data centre, as Cloudflare
  requires): the login/2FA paths (stricter) and then the whole API. Plans allow 1 (free),
  2 (pro), 5 (business) rules; on free only the login/2FA rule is declared, matching on the
  path alone (free allows no host field) for exact paths, and periods are validated against
  the plan in settings, so `pulumi up` never meets a plan error.
- WAF: the Cloudflare Managed Ruleset is executed where the plan allows it (pro and up;
  `zonePolicy.managedWaf`); free zones run Cloudflare's Free Managed Ruleset automatically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from components.api_ingress import DnsRecordSpec
from components.component import Component
from components.provider_shims import cloudflare
from settings.edge import RateLimit, ZonePolicy

VERCEL_CNAME = "cname.vercel-dns.com"
VERCEL_APEX_A = "76.76.21.21"
# Cloudflare's public id of its "Cloudflare Managed Ruleset" (the same for every account).
CLOUDFLARE_MANAGED_RULESET = "efb7b8c949ac4650a09736fc376e9aee"
HSTS_MAX_AGE_SECONDS = 31_536_000
STATIC_EXTENSIONS: tuple[str, ...] = (
    "avif", "css", "gif", "ico", "jpeg", "jpg", "js", "otf", "png", "svg", "ttf", "webp",
    "woff", "woff2",
)  # fmt: skip
RATE_LIMIT_CHARACTERISTICS: tuple[str, ...] = ("cf.colo.id", "ip.src")


@dataclass(frozen=True)
class EdgeArgs:
    """The zone (by name, and its id if pinned), this stack's hosts by role, where the API is
    served, and the zone policy if this stack owns it."""

    api_origin: pulumi.Input[str]
    certificate_record: DnsRecordSpec
    comment: str
    hosts: Mapping[str, str]
    zone: str
    # None: the zone is looked up by its name.
    zone_id: str | None = None
    zone_policy: ZonePolicy | None = None


class Edge(Component[EdgeArgs]):
    """DNS records for the stack's hosts; zone settings and rulesets where it owns the zone."""

    type_token = "myhibachi:edge:Edge"

    records: dict[str, cloudflare.DnsRecord]
    rulesets: dict[str, cloudflare.Ruleset]
    zone_id: pulumi.Output[str]
    zone_settings: dict[str, cloudflare.ZoneSetting]

    def _declare(self, name: str, args: EdgeArgs) -> pulumi.Inputs:
        child = pulumi.ResourceOptions(parent=self)
        self.zone_id = (
            pulumi.Output.from_input(args.zone_id)
            if args.zone_id is not None
            else zone_id_by_name(args.zone, parent=self)
        )
        self.records = {
            role: cloudflare.DnsRecord(
                f"{name}-{role}",
                zone_id=self.zone_id,
                name=record.name,
                type=record.type,
                content=record.content,
                proxied=record.proxied,
                # 1 = automatic, required for proxied records.
                ttl=1 if record.proxied else 300,
                comment=args.comment,
                opts=child,
            )
            for role, record in stack_records(args).items()
        }
        self.zone_settings = {}
        self.rulesets = {}
        if args.zone_policy is not None:
            self._own_zone(name, args, args.zone_policy, child)
        return {
            "records": {role: record.id for role, record in self.records.items()},
            "rulesets": sorted(self.rulesets),
            "zoneId": self.zone_id,
        }

    def _own_zone(
        self, name: str, args: EdgeArgs, policy: ZonePolicy, child: pulumi.ResourceOptions
    ) -> None:
        settings: dict[str, Any] = {
            "always_use_https": "on",
            "automatic_https_rewrites": "on",
            "min_tls_version": "1.2",
            "security_header": {
                "strict_transport_security": {
                    "enabled": True,
                    "include_subdomains": True,
                    "max_age": HSTS_MAX_AGE_SECONDS,
                    "nosniff": True,
                    "preload": policy.hsts_preload,
                }
            },
            "ssl": "strict",
            "tls_1_3": "on",
        }
        for setting_id, value in settings.items():
            self.zone_settings[setting_id] = cloudflare.ZoneSetting(
                f"{name}-{setting_id.replace('_', '-')}",
                zone_id=self.zone_id,
                setting_id=setting_id,
                value=value,
                opts=child,
            )

        def hosts_of(role: str) -> tuple[str, ...]:
            own = (args.hosts[role],) if role in args.hosts else ()
            return (*own, *policy.other_hosts.get(role, ()))

        def entrypoint(
            role: str,
            resource_name: str,
            *,
            phase: str,
            title: str,
            description: str,
            rules: list[cloudflare.RulesetRuleArgsDict],
        ) -> None:
            # A zone has one entrypoint ruleset per phase: this stack owns them all.
            self.rulesets[role] = cloudflare.Ruleset(
                resource_name,
                zone_id=self.zone_id,
                name=title,
                description=description,
                kind="zone",
                phase=phase,
                rules=rules,
                opts=child,
            )

        admin, api = hosts_of("admin"), hosts_of("api")
        cookie = f'http.cookie contains "{policy.session_cookie}="'
        static = (
            '(starts_with(http.request.uri.path, "/_next/static/") or '
            f"http.request.uri.path.extension in {_set(STATIC_EXTENSIONS)})"
        )
        entrypoint(
            "cache",
            f"{name}-cache-rules",
            phase="http_request_cache_settings",
            title="myhibachi cache rules",
            description="Static assets cached long; admin, API and sessions never cached.",
            rules=[
                _rule(
                    ref="static_assets",
                    description="Cache static assets at the edge",
                    expression=(
                        f"{static} and not (http.host in {_set(admin)}) "
                        f"and not (http.host in {_set(api)}) and not ({cookie})"
                    ),
                    action="set_cache_settings",
                    action_parameters={
                        "cache": True,
                        "edge_ttl": {
                            "mode": "override_origin",
                            "default": policy.static_edge_ttl_seconds,
                        },
                        "browser_ttl": {"mode": "respect_origin"},
                    },
                ),
                _rule(
                    ref="bypass_private",
                    description="Never cache the admin panel, the API or signed-in requests",
                    expression=(
                        f"http.host in {_set(admin)} or http.host in {_set(api)} or {cookie}"
                    ),
                    action="set_cache_settings",
                    action_parameters={"cache": False},
                ),
            ],
        )
        entrypoint(
            "ratelimit",
            f"{name}-rate-limits",
            phase="http_ratelimit",
            title="myhibachi rate limits",
            description="Per-IP limits on the API, stricter on login and 2FA.",
            rules=rate_limit_rules(policy, api),
        )
        if policy.managed_waf:
            entrypoint(
                "waf",
                f"{name}-managed-waf",
                phase="http_request_firewall_managed",
                title="myhibachi managed WAF",
                description="Cloudflare Managed Ruleset on every proxied request.",
                rules=[
                    _rule(
                        ref="cloudflare_managed",
                        description="Execute the Cloudflare Managed Ruleset",
                        expression="true",
                        action="execute",
                        action_parameters={"id": CLOUDFLARE_MANAGED_RULESET},
                    )
                ],
            )


@dataclass(frozen=True)
class Record:
    """A DNS record of the stack: proxied through Cloudflare, or DNS-only."""

    name: pulumi.Input[str]
    type: pulumi.Input[str]
    content: pulumi.Input[str]
    proxied: bool = False


def stack_records(args: EdgeArgs) -> dict[str, Record]:
    """The stack's records by role: its hosts, only the API proxied, then the certificate's."""
    records: dict[str, Record] = {}
    for role, host in sorted(args.hosts.items()):
        if role == "api":
            records[role] = Record(host, "A", args.api_origin, proxied=True)
        elif host == args.zone:
            records[role] = Record(host, "A", VERCEL_APEX_A)
        else:
            records[role] = Record(host, "CNAME", VERCEL_CNAME)
    # DNS-only: Certificate Manager must see its own record, never Cloudflare's answer.
    certificate = args.certificate_record
    records["api-certificate"] = Record(certificate.name, certificate.type, certificate.data)
    return records


def zone_id_by_name(zone: str, parent: pulumi.Resource | None = None) -> pulumi.Output[str]:
    """The id of the one zone named `zone` the provider's token can see (the lookup fails
    unless exactly one matches)."""
    found = cloudflare.get_zone_output(
        filter={"match": "all", "name": zone},
        opts=pulumi.InvokeOutputOptions(parent=parent),
    )
    return found.apply(lambda result: result.zone_id)


def rate_limit_rules(
    policy: ZonePolicy, api_hosts: Sequence[str]
) -> list[cloudflare.RulesetRuleArgsDict]:
    """The rate-limit rules the plan allows, most specific first."""
    auth = policy.rate_limits.auth
    if policy.plan == "free":
        # One rule, the URI path as the only field: the login and 2FA endpoints by exact path.
        return [
            _limit(
                "auth_endpoints",
                "Login and 2FA attempts per client IP",
                f"http.request.uri.path in {_set(auth.paths)}",
                auth,
            )
        ]
    on_api = f"http.host in {_set(api_hosts)}"
    paths = " or ".join(f'starts_with(http.request.uri.path, "{path}")' for path in auth.paths)
    return [
        _limit(
            "auth_endpoints",
            "Login and 2FA attempts per client IP",
            f"{on_api} and ({paths})",
            auth,
        ),
        _limit("api_requests", "API requests per client IP", on_api, policy.rate_limits.api),
    ]


def _limit(
    ref: str, description: str, expression: str, limit: RateLimit
) -> cloudflare.RulesetRuleArgsDict:
    return _rule(
        ref=ref,
        description=description,
        expression=expression,
        action="block",
        ratelimit={
            "characteristics": list(RATE_LIMIT_CHARACTERISTICS),
            "period": limit.period_seconds,
            "requests_per_period": limit.requests,
            "mitigation_timeout": limit.timeout_seconds,
        },
    )


def _rule(
    *,
    ref: str,
    description: str,
    expression: str,
    action: str,
    action_parameters: cloudflare.RulesetRuleActionParametersArgsDict | None = None,
    ratelimit: cloudflare.RulesetRuleRatelimitArgsDict | None = None,
) -> cloudflare.RulesetRuleArgsDict:
    """One enabled rule. `ref` keeps the rule's identity stable across edits."""
    built: cloudflare.RulesetRuleArgsDict = {
        "action": action,
        "description": description,
        "enabled": True,
        "expression": expression,
        "ref": ref,
    }
    if action_parameters is not None:
        built["action_parameters"] = action_parameters
    if ratelimit is not None:
        built["ratelimit"] = ratelimit
    return built


def _set(values: Sequence[str]) -> str:
    return "{" + " ".join(f'"{value}"' for value in values) + "}"
