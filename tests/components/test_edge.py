"""Cloudflare: DNS per host, zone settings and rulesets in the owning stack, plan limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from components.edge import rate_limit_rules
from preflight.capture import Capture, CapturedResource
from preflight.values import unwrapped
from settings.edge import PathRateLimit, RateLimit, RateLimits, ZonePolicy
from tests.conftest import captured, stack_document

RECORD = "cloudflare:index/dnsRecord:DnsRecord"
RULESET = "cloudflare:index/ruleset:Ruleset"
ZONE_SETTING = "cloudflare:index/zoneSetting:ZoneSetting"


def _records(capture: Capture) -> dict[str, dict[str, Any]]:
    return {r.inputs["name"]: unwrapped(r.inputs) for r in capture.by_type(RECORD)}


def _phase(capture: Capture, phase: str) -> CapturedResource:
    [ruleset] = [r for r in capture.by_type(RULESET) if r.inputs["phase"] == phase]
    return ruleset


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        (
            "staging",
            {
                "staging.myhibachichef.com": ("CNAME", "cname.vercel-dns.com", False),
                "admin-staging.myhibachichef.com": ("CNAME", "cname.vercel-dns.com", False),
                "api-staging.myhibachichef.com": ("CNAME", "ghs.googlehosted.com", True),
            },
        ),
        (
            "production",
            {
                "myhibachichef.com": ("A", "76.76.21.21", False),
                "admin.myhibachichef.com": ("CNAME", "cname.vercel-dns.com", False),
                "api.myhibachichef.com": ("CNAME", "ghs.googlehosted.com", True),
            },
        ),
    ],
)
def test_dns_records_point_each_host_where_it_is_served(
    stack: str, expected: dict[str, tuple[str, str, bool]]
) -> None:
    records = _records(captured(stack))
    assert {
        name: (r["type"], r["content"], r["proxied"]) for name, r in records.items()
    } == expected
    for record in records.values():
        assert record["ttl"] == (1 if record["proxied"] else 300)


def test_only_production_owns_zone_settings_and_rulesets() -> None:
    assert captured("staging").by_type(ZONE_SETTING) == []
    assert captured("staging").by_type(RULESET) == []
    settings = {
        z.inputs["settingId"]: unwrapped(z.inputs["value"])
        for z in captured("production").by_type(ZONE_SETTING)
    }
    assert settings == {
        "always_use_https": "on",
        "automatic_https_rewrites": "on",
        "min_tls_version": "1.2",
        "security_header": {
            "strict_transport_security": {
                "enabled": True,
                "include_subdomains": True,
                "max_age": 31536000,
                "nosniff": True,
                "preload": False,
            }
        },
        "ssl": "strict",
        "tls_1_3": "on",
    }


def test_cache_rules_cache_static_assets_and_bypass_admin_api_and_sessions() -> None:
    rules = unwrapped(_phase(captured("production"), "http_request_cache_settings").inputs["rules"])
    static, bypass = rules
    hosts = (
        "admin.myhibachichef.com",
        "admin-staging.myhibachichef.com",
        "api.myhibachichef.com",
        "api-staging.myhibachichef.com",
    )
    assert static["actionParameters"]["cache"] is True
    assert static["actionParameters"]["edgeTtl"]["default"] == 2592000
    assert '"/_next/static/"' in static["expression"]
    assert 'not (http.cookie contains "mh_session=")' in static["expression"]
    for host in hosts:
        assert f'"{host}"' in static["expression"].split(" and not ", 1)[1], host
        assert f'"{host}"' in bypass["expression"], host
    # The bypass comes last, so it overrides any earlier match.
    assert bypass["actionParameters"] == {"cache": False}
    assert 'http.cookie contains "mh_session="' in bypass["expression"]
    assert " or " in bypass["expression"]


def test_rate_limits_on_the_api_and_stricter_on_login_and_2fa() -> None:
    rules = unwrapped(_phase(captured("production"), "http_ratelimit").inputs["rules"])
    by_ref = {r["ref"]: r for r in rules}
    assert list(by_ref) == ["auth_endpoints", "api_requests"]
    auth, api = by_ref["auth_endpoints"], by_ref["api_requests"]
    for path in ("/api/v1/auth/login", "/api/v1/auth/2fa"):
        assert f'"{path}"' in auth["expression"]
    for rule in (auth, api):
        assert rule["action"] == "block"
        assert rule["ratelimit"]["characteristics"] == ["cf.colo.id", "ip.src"]
        assert '"api.myhibachichef.com" "api-staging.myhibachichef.com"' in rule["expression"]
    assert auth["ratelimit"]["requestsPerPeriod"] < api["ratelimit"]["requestsPerPeriod"]
    assert auth["ratelimit"]["mitigationTimeout"] > api["ratelimit"]["mitigationTimeout"]


def test_managed_waf_on_the_owning_stack() -> None:
    waf = unwrapped(_phase(captured("production"), "http_request_firewall_managed").inputs)
    assert [r["action"] for r in waf["rules"]] == ["execute"]
    assert waf["rules"][0]["actionParameters"]["id"] == "efb7b8c949ac4650a09736fc376e9aee"


def _policy(plan: str, period: int = 10) -> ZonePolicy:
    limit = PathRateLimit(period_seconds=period, requests=5, timeout_seconds=10, paths=("/a", "/b"))
    return ZonePolicy(
        rate_limits=RateLimits(
            api=RateLimit(period_seconds=period, requests=100, timeout_seconds=10), auth=limit
        ),
        hsts_preload=False,
        managed_waf=False,
        other_hosts={},
        plan=plan,  # type: ignore[arg-type]
        session_cookie="mh_session",
        static_edge_ttl_seconds=7200,
    )


def test_free_plan_degrades_to_one_path_only_rule() -> None:
    [rule] = rate_limit_rules(_policy("free"), ["api.example.com"])
    assert rule["ref"] == "auth_endpoints"
    assert rule["expression"] == 'http.request.uri.path in {"/a" "/b"}'
    assert "http.host" not in rule["expression"]
    assert [r["ref"] for r in rate_limit_rules(_policy("pro"), ["api.example.com"])] == [
        "auth_endpoints",
        "api_requests",
    ]


def test_free_plan_stack_declares_no_managed_waf_and_one_rate_limit(
    run_with_config: Callable[[str, dict[str, Any]], Capture],
) -> None:
    document = stack_document("production")
    policy = document["config"]["myhibachi:edge"]["zonePolicy"]
    policy.update(plan="free", managedWaf=False)
    for limit in policy["rateLimits"].values():
        limit.update(periodSeconds=10, timeoutSeconds=10)
    capture = run_with_config("production", document)
    assert {r.inputs["phase"] for r in capture.by_type(RULESET)} == {
        "http_request_cache_settings",
        "http_ratelimit",
    }
    assert len(_phase(capture, "http_ratelimit").inputs["rules"]) == 1


def test_api_stays_dns_only_until_its_certificate_exists(
    run_with_config: Callable[[str, dict[str, Any]], Capture],
) -> None:
    document = stack_document("staging")
    document["config"]["myhibachi:edge"]["proxyApi"] = False
    records = _records(run_with_config("staging", document))
    assert records["api-staging.myhibachichef.com"]["proxied"] is False
