"""Cloudflare: the zone looked up by name unless its id is pinned, DNS per host (the API proxied
to its load balancer, its certificate's record DNS-only), and in the zone-owning stack the zone's
settings and rulesets, judged by what they do to requests (the pack's edge simulation)."""

from __future__ import annotations

from typing import Any

import pytest

from components.api_ingress import DnsRecordSpec
from components.edge import CLOUDFLARE_MANAGED_RULESET, Edge, EdgeArgs, rate_limit_rules
from policy.myhibachi_policy.edge_probes import (
    CacheOutcome,
    EdgeSimulation,
    StandardProbes,
    standard_probes,
)
from preflight.capture import Capture, mock_zone_id
from preflight.values import unwrapped
from settings.edge import PathRateLimit, RateLimit, RateLimits, ZonePolicy
from tests.components.inventory import Scenario, capture_fixture, inventory_test, run
from tests.registration import invoke_requests

RECORD = "cloudflare:index/dnsRecord:DnsRecord"
RULESET = "cloudflare:index/ruleset:Ruleset"
ZONE_SETTING = "cloudflare:index/zoneSetting:ZoneSetting"
ZONE = "example.test"
HOSTS = {"admin": "admin.example.test", "api": "api.example.test", "site": "example.test"}
OTHER = {"admin": ("admin-next.example.test",), "api": ("api-next.example.test",)}
ORIGIN = "203.0.113.7"
# A zone id in Cloudflare's format (its documentation's example), for the scenario that pins it.
PINNED_ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
LOGIN, TWO_FACTOR = "/v2/login", "/v2/otp"


def _policy(plan: str, period: int) -> ZonePolicy:
    return ZonePolicy(
        rate_limits=RateLimits(
            api=RateLimit(period_seconds=period, requests=300, timeout_seconds=period),
            auth=PathRateLimit(
                period_seconds=period, requests=7, timeout_seconds=period, paths=(LOGIN, TWO_FACTOR)
            ),
        ),
        hsts_preload=True,
        managed_waf=plan != "free",
        other_hosts=OTHER,
        plan=plan,  # type: ignore[arg-type]
        session_cookie="fixture_session",
        static_edge_ttl_seconds=86_400,
    )


def _edge(policy: ZonePolicy | None, zone_id: str | None = None) -> None:
    import pulumi

    Edge(
        "edge",
        EdgeArgs(
            api_origin=ORIGIN,
            certificate_record=DnsRecordSpec(
                name=pulumi.Output.from_input("_acme-challenge.api.example.test"),
                type=pulumi.Output.from_input("CNAME"),
                data=pulumi.Output.from_input("abc.9.authorize.certificatemanager.goog"),
            ),
            comment="Managed by a test",
            hosts=HOSTS,
            zone=ZONE,
            zone_id=zone_id,
            zone_policy=policy,
        ),
    )


SCENARIOS = [
    Scenario("edge", "owns-zone-pro", lambda: _edge(_policy("pro", 60))),
    Scenario("edge", "owns-zone-free", lambda: _edge(_policy("free", 10))),
    Scenario("edge", "records-only", lambda: _edge(None, zone_id=PINNED_ZONE_ID)),
]


test_matches_its_inventory = inventory_test(SCENARIOS)


pro = capture_fixture(SCENARIOS[0])


def _records(capture: Capture) -> dict[str, dict[str, Any]]:
    return {r.inputs["name"]: unwrapped(r.inputs) for r in capture.by_type(RECORD)}


def _simulation(capture: Capture) -> EdgeSimulation:
    return EdgeSimulation([unwrapped(r.inputs) for r in capture.by_type(RULESET)])


def _probes(admin: str, api: str, site: str) -> StandardProbes:
    return standard_probes(
        site_host=site,
        admin_host=admin,
        api_host=api,
        session_cookie="fixture_session",
        login_path=LOGIN,
        two_factor_path=TWO_FACTOR,
    )


PROBE_SETS = {
    "own hosts": _probes(HOSTS["admin"], HOSTS["api"], HOSTS["site"]),
    "other stack's hosts": _probes(OTHER["admin"][0], OTHER["api"][0], HOSTS["site"]),
}


def test_each_host_points_where_it_is_served(pro: Capture) -> None:
    records = _records(pro)
    assert {name: (r["type"], r["content"], r["proxied"]) for name, r in records.items()} == {
        "example.test": ("A", "76.76.21.21", False),
        "admin.example.test": ("CNAME", "cname.vercel-dns.com", False),
        "api.example.test": ("A", ORIGIN, True),
        # Certificate Manager must read its own record: never proxied.
        "_acme-challenge.api.example.test": (
            "CNAME",
            "abc.9.authorize.certificatemanager.goog",
            False,
        ),
    }
    for record in records.values():
        assert record["ttl"] == (1 if record["proxied"] else 300)


def _zone_ids(capture: Capture) -> set[str]:
    return {r.inputs["zoneId"] for r in capture.resources if r.type.startswith("cloudflare:")}


def test_without_a_pinned_id_the_zone_is_looked_up_by_its_name(pro: Capture) -> None:
    [lookup] = invoke_requests(lambda: _edge(None))
    assert lookup["tok"] == "cloudflare:index/getZone:getZone"
    assert lookup["args"] == {"filter": {"match": "all", "name": ZONE}}
    # Every Cloudflare resource takes the id the lookup found (offline: derived from the name).
    assert len(pro.resources) > 10
    assert _zone_ids(pro) == {mock_zone_id(ZONE)}


def test_a_pinned_zone_id_is_used_as_is_without_a_lookup() -> None:
    assert invoke_requests(lambda: _edge(_policy("pro", 60), zone_id=PINNED_ZONE_ID)) == []
    assert _zone_ids(run(SCENARIOS[2])) == {PINNED_ZONE_ID}


def test_a_stack_that_does_not_own_the_zone_declares_records_only() -> None:
    capture = run(SCENARIOS[2])
    assert capture.by_type(ZONE_SETTING) == []
    assert capture.by_type(RULESET) == []
    assert len(capture.by_type(RECORD)) == 4


def test_zone_settings_force_tls_and_hsts(pro: Capture) -> None:
    settings = {
        z.inputs["settingId"]: unwrapped(z.inputs["value"]) for z in pro.by_type(ZONE_SETTING)
    }
    assert settings == {
        "always_use_https": "on",
        "automatic_https_rewrites": "on",
        "min_tls_version": "1.2",
        "security_header": {
            "strict_transport_security": {
                "enabled": True,
                "include_subdomains": True,
                "max_age": 31_536_000,
                "nosniff": True,
                "preload": True,
            }
        },
        "ssl": "strict",
        "tls_1_3": "on",
    }


@pytest.mark.parametrize("hosts", sorted(PROBE_SETS))
def test_private_traffic_is_never_cached_and_public_assets_are(pro: Capture, hosts: str) -> None:
    simulation, probes = _simulation(pro), PROBE_SETS[hosts]
    for probe in probes.private:
        verdict = simulation.cache(probe)
        assert verdict.evaluated and verdict.never_cached, (probe, verdict.reason)
    for probe in probes.public_static:
        verdict = simulation.cache(probe)
        assert verdict.outcome is CacheOutcome.CACHED, (probe, verdict.reason)
        assert verdict.edge_ttl_seconds == 86_400


@pytest.mark.parametrize(("scenario", "period"), [(SCENARIOS[0], 60), (SCENARIOS[1], 10)], ids=str)
def test_login_and_2fa_are_limited_with_a_blocking_action(scenario: Scenario, period: int) -> None:
    simulation = _simulation(run(scenario))
    for hosts, probes in PROBE_SETS.items():
        for probe in probes.auth:
            verdict = simulation.rate_limits(probe)
            assert verdict.limited_to(7, period), (hosts, probe, verdict.reason)
            assert not verdict.limited_to(6, period), (hosts, probe, verdict.reason)


def test_the_managed_waf_runs_where_the_plan_has_it(pro: Capture) -> None:
    for probe in PROBE_SETS["own hosts"].private:
        assert _simulation(pro).managed_waf(probe, CLOUDFLARE_MANAGED_RULESET).enforced
    free = run(SCENARIOS[1])
    assert {r.inputs["phase"] for r in free.by_type(RULESET)} == {
        "http_request_cache_settings",
        "http_ratelimit",
    }


def test_the_free_plan_degrades_to_one_path_only_rule() -> None:
    [rule] = rate_limit_rules(_policy("free", 10), ["api.example.test"])
    assert rule.get("ref") == "auth_endpoints"
    assert rule["expression"] == f'http.request.uri.path in {{"{LOGIN}" "{TWO_FACTOR}"}}'
    pro = [r.get("ref") for r in rate_limit_rules(_policy("pro", 60), ["api.example.test"])]
    assert pro == ["auth_endpoints", "api_requests"]
