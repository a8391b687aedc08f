"""Rulesets that name the right hosts, cookie and paths but do not protect: failing verdicts.

Each case edits the declared zone the way a reviewer could miss: the words are all there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from policy.myhibachi_policy.edge_probes import (
    CACHE_PHASE,
    CUSTOM_RULES_PHASE,
    MANAGED_WAF_PHASE,
    RATELIMIT_PHASE,
    CacheOutcome,
    EdgeSimulation,
)
from tests.policy.edge_probes.zone_fixtures import (
    CLOUDFLARE_MANAGED_RULESET,
    RATE_LIMIT_EDITS,
    admin_and_api_hosts,
    declared_rules,
    probes_for,
    rule,
    ruleset,
    with_rules,
    zone_policy,
)
from tests.policy.one_change import changed

STATIC_TTL = {"mode": "override_origin", "default": 2_592_000}


def _caching(ref: str, expression: str) -> dict[str, Any]:
    return rule(
        ref=ref,
        description="Cache",
        expression=expression,
        action="set_cache_settings",
        action_parameters={"cache": True, "edgeTtl": STATIC_TTL},
    )


def _bypass(expression: str) -> dict[str, Any]:
    return rule(
        ref="bypass_private",
        description="Never cache private traffic",
        expression=expression,
        action="set_cache_settings",
        action_parameters={"cache": False},
    )


def _cached(rules: list[dict[str, Any]], stack: str = "production") -> dict[str, CacheOutcome]:
    simulation = EdgeSimulation(with_rules(CACHE_PHASE, rules))
    verdicts = {p.name: simulation.cache(p) for p in probes_for(stack).private}
    assert all(v.evaluated for v in verdicts.values())
    return {
        name: v.outcome for name, v in verdicts.items() if v.outcome is not None and v.may_be_cached
    }


def test_not_applies_to_the_host_test_only() -> None:
    # Meant "neither admin/API nor signed in"; means "not admin/API, or signed in".
    static, bypass = declared_rules(CACHE_PHASE)
    hosts = admin_and_api_hosts()
    bad = _caching("pages", f'not http.host in {hosts} or http.cookie contains "mh_session"')
    cached = _cached([static, bypass, bad])
    assert cached["signed-in site page"] is CacheOutcome.CACHED
    assert cached["admin page"] is CacheOutcome.CACHED  # the admin signs in too


def test_a_bypass_rule_that_never_matches() -> None:
    static, _ = declared_rules(CACHE_PHASE)
    never = _bypass(
        'http.host eq "admin.myhibachichef.com" and http.host eq "api.myhibachichef.com" '
        'and http.cookie contains "mh_session="'
    )
    cached = _cached([static, never])
    # Nothing bypasses the admin panel's scripts: Cloudflare caches .js files by default.
    assert cached["admin static asset"] is CacheOutcome.CACHED_BY_DEFAULT


def test_an_empty_extension_is_every_page_not_a_static_asset() -> None:
    _, bypass = declared_rules(CACHE_PHASE)
    bad = _caching("static", 'http.request.uri.path.extension eq ""')
    cached = _cached([bypass, bad])
    for name in ("admin page", "API request", "signed-in site page"):
        assert cached[name] is CacheOutcome.CACHED, name


def test_a_bypass_placed_before_the_rule_it_should_override() -> None:
    static, bypass = declared_rules(CACHE_PHASE)
    everything = _caching("everything", 'starts_with(http.request.uri.path, "/")')
    cached = _cached([static, bypass, everything], stack="staging")
    assert set(cached) >= {"admin page", "admin static asset", "API request"}


def test_a_disabled_bypass() -> None:
    static, bypass = declared_rules(CACHE_PHASE)
    bypass["enabled"] = False
    assert _cached([static, bypass])["admin static asset"] is CacheOutcome.CACHED_BY_DEFAULT


def test_a_case_variant_of_the_cookie_name() -> None:
    static, bypass = declared_rules(CACHE_PHASE)
    static["expression"] = static["expression"].replace("mh_session=", "MH_SESSION=")
    bypass["expression"] = bypass["expression"].replace("mh_session=", "MH_SESSION=")
    everything = _caching("pages", 'http.request.uri.path eq "/account"')
    cached = _cached([static, everything, bypass])
    assert cached == {"signed-in site page": CacheOutcome.CACHED}


# --- Rate limits ----------------------------------------------------------------------------


def _limited(rules: list[dict[str, Any]]) -> bool:
    auth = zone_policy()["rateLimits"]["auth"]
    simulation = EdgeSimulation(with_rules(RATELIMIT_PHASE, rules))
    verdicts = [simulation.rate_limits(p) for p in probes_for("production").auth]
    assert all(v.evaluated for v in verdicts)
    return all(v.limited_to(auth["requests"], auth["periodSeconds"]) for v in verdicts)


def _edited_auth_rule(changes: Mapping[str, Any]) -> list[dict[str, Any]]:
    auth, api = declared_rules(RATELIMIT_PHASE)
    for path, value in changes.items():
        auth = changed(auth, path, value)
    return [auth, api]


def test_the_declared_rate_limits_pass_before_each_edit() -> None:
    assert _limited(declared_rules(RATELIMIT_PHASE))


@pytest.mark.parametrize(
    "changes",
    [
        *RATE_LIMIT_EDITS,
        pytest.param(
            {
                "expression": 'http.host eq "api.myhibachichef.com" and http.request.uri.path eq '
                '"/api/v1/auth/login/"'
            },
            id="trailing-slash-only",
        ),
    ],
)
def test_login_and_2fa_no_longer_limited(changes: dict[str, Any]) -> None:
    assert not _limited(_edited_auth_rule(changes))


def _skip(expression: str, **action_parameters: Any) -> dict[str, Any]:
    """A rule that skips, for the requests it matches, what its action parameters name."""
    return rule(
        ref="skip",
        description="Skip",
        expression=expression,
        action="skip",
        action_parameters=action_parameters,
    )


def test_a_custom_rule_that_skips_rate_limiting_for_the_api() -> None:
    skip = _skip('starts_with(http.request.uri.path, "/api/")', phases=["http_ratelimit"])
    rulesets = [*with_rules(RATELIMIT_PHASE, declared_rules(RATELIMIT_PHASE))]
    rulesets.append(ruleset(CUSTOM_RULES_PHASE, [skip]))
    verdict = EdgeSimulation(rulesets).rate_limits(probes_for("production").login_post)
    assert verdict.evaluated and not verdict.limited_to(10, 60)
    assert "skips the http_ratelimit phase" in verdict.reason


# --- Managed WAF ----------------------------------------------------------------------------


def _waf_enforced(rules: list[dict[str, Any]], *extra: dict[str, Any]) -> bool:
    simulation = EdgeSimulation([*with_rules(MANAGED_WAF_PHASE, rules), *extra])
    verdict = simulation.managed_waf(
        probes_for("production").api_request, CLOUDFLARE_MANAGED_RULESET
    )
    assert verdict.evaluated, verdict.reason
    return verdict.enforced


def _execute(**changes: Any) -> list[dict[str, Any]]:
    [execute] = declared_rules(MANAGED_WAF_PHASE)
    execute.update(changes)
    return [execute]


def test_the_declared_waf_passes_before_each_edit() -> None:
    assert _waf_enforced(declared_rules(MANAGED_WAF_PHASE))


def _skip_first(action_parameters: dict[str, Any], expression: str) -> list[dict[str, Any]]:
    return [_skip(expression, **action_parameters), *_execute()]


def _overridden(overrides: dict[str, Any]) -> list[dict[str, Any]]:
    return _execute(actionParameters={"id": CLOUDFLARE_MANAGED_RULESET, "overrides": overrides})


WAF_EDITS: dict[str, Callable[[], list[dict[str, Any]]]] = {
    "disabled": lambda: _execute(enabled=False),
    "never-matches": lambda: _execute(expression="false"),
    "other-host": lambda: _execute(expression='http.host eq "www.myhibachichef.com"'),
    "overridden-off": lambda: _overridden({"enabled": False}),
    "log-only": lambda: _overridden({"action": "log"}),
    "skipped-first": lambda: _skip_first({"ruleset": "current"}, 'http.host contains "api"'),
    "managed-ruleset-skipped": lambda: _skip_first(
        {"rulesets": [CLOUDFLARE_MANAGED_RULESET]}, "true"
    ),
}


@pytest.mark.parametrize("edit", sorted(WAF_EDITS))
def test_the_managed_ruleset_no_longer_protects_the_api(edit: str) -> None:
    assert not _waf_enforced(WAF_EDITS[edit]())


def test_a_custom_rule_that_skips_the_managed_waf() -> None:
    skip = _skip('http.host eq "api.myhibachichef.com"', phases=["http_request_firewall_managed"])
    custom = ruleset(CUSTOM_RULES_PHASE, [skip])
    assert not _waf_enforced(declared_rules(MANAGED_WAF_PHASE), custom)
