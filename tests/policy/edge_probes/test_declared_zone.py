"""The rules the program really declares give the verdicts the edge design promises."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from components.edge import rate_limit_rules
from policy.myhibachi_policy.edge_probes import RATELIMIT_PHASE, EdgeSimulation
from preflight.stack_file import read_stack_config
from settings import load_settings
from tests.conftest import PROJECT_DIR, stack_document
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
def test_every_plan_s_rate_limit_rules_limit_login_and_2fa(plan: Any) -> None:
    # The production stack's own zone policy, on each plan the settings accept.
    settings = load_settings("production", read_stack_config(PROJECT_DIR, "production").values)
    assert settings.edge.zone_policy is not None
    policy = dataclasses.replace(settings.edge.zone_policy, plan=plan)
    api_hosts = [stack_document(stack)["config"]["myhibachi:domain"]["api"] for stack in STACKS]
    simulation = EdgeSimulation([ruleset(RATELIMIT_PHASE, rate_limit_rules(policy, api_hosts))])
    auth = zone_policy()["rateLimits"]["auth"]
    for stack in STACKS:
        for probe in probes_for(stack).auth:
            verdict = simulation.rate_limits(probe)
            assert verdict.limited_to(auth["requests"], auth["periodSeconds"]), verdict.reason
            assert not verdict.limited_to(auth["requests"] - 1, auth["periodSeconds"])
