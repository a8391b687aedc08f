"""The rules the program really declares give the verdicts the edge design promises."""

from __future__ import annotations

import pytest

from components.edge import rate_limit_rules
from policy.myhibachi_policy.edge_probes import RATELIMIT_PHASE, EdgeSimulation, Probe
from settings.model import RateLimit, ZonePolicy
from tests.policy.edge_probes.zone_fixtures import (
    CLOUDFLARE_MANAGED_RULESET,
    declared_rulesets,
    probes_for,
    ruleset,
    zone_policy,
)

STACKS = ("production", "staging")  # production's rules also cover staging's hosts


@pytest.fixture(scope="module")
def simulation() -> EdgeSimulation:
    return EdgeSimulation(declared_rulesets())


@pytest.mark.parametrize("stack", STACKS)
def test_private_traffic_is_never_cached(simulation: EdgeSimulation, stack: str) -> None:
    for probe in probes_for(stack).private:
        verdict = simulation.cache(probe)
        assert verdict.evaluated, verdict.reason
        assert verdict.never_cached, f"{probe}: {verdict.reason}"


@pytest.mark.parametrize("stack", STACKS)
def test_public_static_assets_are_cached_for_the_configured_ttl(
    simulation: EdgeSimulation, stack: str
) -> None:
    for probe in probes_for(stack).public_static:
        verdict = simulation.cache(probe)
        assert verdict.cached_by_rule, f"{probe}: {verdict.reason}"
        assert verdict.edge_ttl_mode == "override_origin"
        assert verdict.edge_ttl_seconds == zone_policy()["staticEdgeTtlSeconds"]


@pytest.mark.parametrize("stack", STACKS)
def test_login_and_2fa_attempts_are_limited_and_blocked(
    simulation: EdgeSimulation, stack: str
) -> None:
    auth = zone_policy()["rateLimits"]["auth"]
    for probe in probes_for(stack).auth:
        verdict = simulation.rate_limits(probe)
        assert verdict.limited_to(auth["requests"], auth["periodSeconds"]), verdict.reason
        limiting = [m for m in verdict.matches if m.limits(auth["requests"], auth["periodSeconds"])]
        assert {m.action for m in limiting} == {"block"}
        assert {m.mitigation_timeout_seconds for m in limiting} == {auth["timeoutSeconds"]}
        # Stricter than the API-wide limit, which alone would not be enough.
        assert not verdict.limited_to(auth["requests"] - 1, auth["periodSeconds"])


@pytest.mark.parametrize("stack", STACKS)
def test_api_requests_are_limited_by_the_api_wide_rule(
    simulation: EdgeSimulation, stack: str
) -> None:
    api = zone_policy()["rateLimits"]["api"]
    verdict = simulation.rate_limits(probes_for(stack).api_request)
    assert verdict.limited_to(api["requests"], api["periodSeconds"]), verdict.reason
    assert not verdict.limited_to(zone_policy()["rateLimits"]["auth"]["requests"], 60)


@pytest.mark.parametrize("stack", STACKS)
def test_the_cloudflare_managed_ruleset_runs_on_api_traffic(
    simulation: EdgeSimulation, stack: str
) -> None:
    probes = probes_for(stack)
    for probe in (probes.api_request, *probes.auth):
        verdict = simulation.managed_waf(probe, CLOUDFLARE_MANAGED_RULESET)
        assert verdict.enforced, verdict.reason
    other = simulation.managed_waf(probes.api_request, "0" * 32)
    assert other.evaluated and not other.executed


@pytest.mark.parametrize("plan", ["free", "pro", "business", "enterprise"])
def test_every_plan_s_rate_limit_rules_limit_login_and_2fa(plan: str) -> None:
    policy = ZonePolicy(
        api_rate_limit=RateLimit(period_seconds=10, requests=100, timeout_seconds=10),
        auth_rate_limit=RateLimit(
            period_seconds=10, requests=5, timeout_seconds=10, paths=("/auth/login", "/auth/2fa")
        ),
        hsts_preload=False,
        managed_waf=False,
        other_hosts={},
        plan=plan,  # type: ignore[arg-type]
        session_cookie="mh_session",
        static_edge_ttl_seconds=3600,
    )
    hosts = ("api.example.com", "api-staging.example.com")
    simulation = EdgeSimulation([ruleset(RATELIMIT_PHASE, rate_limit_rules(policy, hosts))])
    for host in hosts:
        for path in ("/auth/login", "/auth/2fa"):
            attempt = Probe("login or 2FA attempt", host, path, method="POST")
            verdict = simulation.rate_limits(attempt)
            assert verdict.limited_to(5, 10), f"{attempt}: {verdict.reason}"
            assert verdict.limited_to(30, 60)  # 5 per 10 s is at most 30 a minute
            assert not verdict.limited_to(29, 60)
