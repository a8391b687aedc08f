"""Cloudflare's ordering and stacking rules, and the phases the simulation cannot evaluate."""

from __future__ import annotations

from typing import Any

import pytest

from policy.myhibachi_policy.edge_probes import (
    CACHE_PHASE,
    CUSTOM_RULES_PHASE,
    RATELIMIT_PHASE,
    URL_REWRITE_PHASE,
    CacheOutcome,
    EdgeSimulation,
    Probe,
)
from preflight.values import UNKNOWN
from tests.policy.edge_probes.zone_fixtures import rule

PAGE = Probe("page", "example.com", "/page")
SCRIPT = Probe("script", "example.com", "/app.js")


def _cache_rule(expression: str, **parameters: Any) -> dict[str, Any]:
    return rule(
        ref="r",
        description="d",
        expression=expression,
        action="set_cache_settings",
        action_parameters=parameters,
    )


def _zone(phase: str, *rules: dict[str, Any], **ruleset: Any) -> list[dict[str, Any]]:
    return [{"kind": "zone", "phase": phase, "rules": list(rules), "zoneId": "z", **ruleset}]


def _cache(*rules: dict[str, Any], probe: Probe = PAGE) -> Any:
    return EdgeSimulation(_zone(CACHE_PHASE, *rules)).cache(probe)


def test_later_cache_rules_override_earlier_ones_setting_by_setting() -> None:
    eligible = _cache_rule("true", cache=True, edgeTtl={"mode": "override_origin", "default": 60})
    bypass = _cache_rule("true", cache=False)
    longer = _cache_rule("true", edgeTtl={"mode": "override_origin", "default": 3600})
    assert _cache(eligible, bypass).outcome is CacheOutcome.BYPASSED
    assert _cache(bypass, eligible).outcome is CacheOutcome.CACHED
    # A later rule that sets only the TTL keeps the earlier eligibility.
    verdict = _cache(eligible, longer)
    assert verdict.cached_by_rule and verdict.edge_ttl_seconds == 3600
    assert len(verdict.matched_rules) == 2


def test_cache_without_rules_follows_cloudflare_defaults() -> None:
    assert _cache().outcome is CacheOutcome.NOT_CACHED
    assert _cache(probe=SCRIPT).outcome is CacheOutcome.CACHED_BY_DEFAULT
    assert _cache(_cache_rule("false", cache=True), probe=SCRIPT).may_be_cached


def test_only_get_responses_are_cached() -> None:
    post = Probe("post", "example.com", "/page", method="POST")
    assert _cache(_cache_rule("true", cache=True), probe=post).never_cached


def test_an_eligible_rule_without_an_edge_ttl_leaves_the_ttl_to_the_origin() -> None:
    verdict = _cache(_cache_rule("true", cache=True))
    assert verdict.cached_by_rule
    assert verdict.edge_ttl_seconds is None


def test_disabled_rules_and_other_zones_are_ignored() -> None:
    disabled = {**_cache_rule("true", cache=True), "enabled": False}
    assert _cache(disabled).outcome is CacheOutcome.NOT_CACHED
    other_zone = _zone(CACHE_PHASE, _cache_rule("true", cache=True))
    simulation = EdgeSimulation(other_zone, zone_id="another")
    assert simulation.cache(PAGE).outcome is CacheOutcome.NOT_CACHED
    assert EdgeSimulation(other_zone, zone_id="z").cache(PAGE).outcome is CacheOutcome.CACHED


def test_engine_numbers_arrive_as_floats() -> None:
    limit = rule(
        ref="l",
        description="d",
        expression="true",
        action="managed_challenge",
        ratelimit={"characteristics": ["ip.src"], "period": 60.0, "requestsPerPeriod": 5.0},
    )
    verdict = EdgeSimulation(_zone(RATELIMIT_PHASE, limit)).rate_limits(PAGE)
    assert verdict.limited_to(5, 60)
    assert [m.requests_per_period for m in verdict.matches] == [5]


@pytest.mark.parametrize(
    ("rulesets", "named"),
    [
        pytest.param(
            _zone(CACHE_PHASE, _cache_rule("cf.threat_score gt 10", cache=True)),
            "field `cf.threat_score`",
            id="field-outside-subset",
        ),
        pytest.param(
            _zone(CACHE_PHASE, _cache_rule('http.request.uri.path matches "(?i)/a"', cache=True)),
            "a regular expression",
            id="regex-outside-subset",
        ),
        pytest.param(
            _zone(CACHE_PHASE, _cache_rule(UNKNOWN, cache=True)),
            "unknown",
            id="unknown-expression",
        ),
        pytest.param(
            _zone(CACHE_PHASE, {**_cache_rule("true", cache=True), "enabled": UNKNOWN}),
            "enabled is unknown",
            id="unknown-enabled",
        ),
        pytest.param(
            _zone(CACHE_PHASE, _cache_rule("true", cache=UNKNOWN)),
            "actionParameters.cache is unknown",
            id="unknown-setting",
        ),
        pytest.param(
            _zone(CACHE_PHASE, rules=UNKNOWN),
            "rules are unknown",
            id="unknown-rules",
        ),
        pytest.param(
            _zone(CACHE_PHASE) + _zone(CACHE_PHASE),
            "2 rulesets declare",
            id="two-entrypoints",
        ),
        pytest.param(
            [{"kind": "zone", "phase": UNKNOWN, "rules": []}],
            "phase is unknown",
            id="unknown-phase",
        ),
        pytest.param(
            [{"kind": "root", "phase": CACHE_PHASE, "rules": [], "accountId": "a"}],
            "account-level",
            id="account-level-ruleset",
        ),
        pytest.param(
            _zone(CACHE_PHASE, kind=UNKNOWN),
            "kind is unknown",
            id="unknown-kind",
        ),
        pytest.param(
            _zone(
                URL_REWRITE_PHASE,
                rule(
                    ref="rewrite",
                    description="d",
                    expression='http.request.uri.path eq "/page"',
                    action="rewrite",
                    action_parameters={"uri": {"path": {"value": "/other"}}},
                ),
            ),
            "rewrites this request's URI",
            id="url-rewrite",
        ),
    ],
)
def test_phases_that_cannot_be_evaluated_say_why(rulesets: list[Any], named: str) -> None:
    simulation = EdgeSimulation(rulesets)
    verdict = simulation.cache(PAGE)
    assert not verdict.evaluated
    assert not verdict.may_be_cached and not verdict.never_cached
    assert named in verdict.reason


def test_custom_rules_that_run_another_ruleset_are_not_guessed() -> None:
    execute = rule(
        ref="account_rules",
        description="d",
        expression="true",
        action="execute",
        action_parameters={"id": "1" * 32},
    )
    simulation = EdgeSimulation(_zone(CUSTOM_RULES_PHASE, execute))
    verdict = simulation.rate_limits(PAGE)
    assert not verdict.evaluated
    assert "runs another ruleset" in verdict.reason
    assert not simulation.managed_waf(PAGE, "0" * 32).evaluated


def test_an_unsupported_rule_in_another_phase_does_not_block_this_one() -> None:
    rulesets = [
        *_zone(CACHE_PHASE, _cache_rule("true", cache=False)),
        *_zone(RATELIMIT_PHASE, {**_cache_rule("cf.threat_score gt 1"), "action": "block"}),
    ]
    simulation = EdgeSimulation(rulesets)
    assert simulation.cache(PAGE).never_cached
    rate_limits = simulation.rate_limits(PAGE)
    assert not rate_limits.evaluated and not rate_limits.limited_to(1_000_000, 1)
    assert "rules[0] (r) of the http_ratelimit ruleset" in rate_limits.reason
