"""Cloudflare policies: zone TLS settings, their ownership, cache rules and rate limits, judged
against the stack's own admin and API hosts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.policy import baselines as b
from tests.policy.support import (
    Case,
    changed,
    names,
    one_change_test,
    res,
    resource_outcome,
    run_stack,
    stack_names,
    stack_outcome,
    stack_values,
)

CACHE = "cloudflare-ruleset-cache-private-never-cached"
RATE_LIMITS = "cloudflare-ruleset-rate-limits"
PRESENT = "cloudflare-zone-settings-present"


def test_zone_setting_baselines_are_compliant() -> None:
    for props in b.zone_settings().values():
        assert names(b.ZONE_SETTING, props) == set()


@pytest.mark.parametrize(
    ("setting_id", "value", "expected"),
    [
        ("always_use_https", "off", "cloudflare-zone-setting-always-use-https"),
        ("automatic_https_rewrites", "off", "cloudflare-zone-setting-automatic-https-rewrites"),
        ("min_tls_version", "1.1", "cloudflare-zone-setting-min-tls-version"),
        ("ssl", "full", "cloudflare-zone-setting-ssl-strict"),
        ("ssl", "flexible", "cloudflare-zone-setting-ssl-strict"),
        (
            "security_header",
            {
                "strictTransportSecurity": {
                    "enabled": True,
                    "maxAge": 86400,
                    "includeSubdomains": True,
                    "nosniff": True,
                }
            },
            "cloudflare-zone-setting-hsts",
        ),
        (
            "security_header",
            {"strictTransportSecurity": {"enabled": False}},
            "cloudflare-zone-setting-hsts",
        ),
        ("security_header", {}, "cloudflare-zone-setting-hsts"),
    ],
)
def test_zone_setting_values(setting_id: str, value: Any, expected: str) -> None:
    props = changed(b.zone_settings()[setting_id], "value", value)
    assert names(b.ZONE_SETTING, props) == {expected}


def test_zone_settings_ownership() -> None:
    without_ssl = b.without(b.edge(), "ssl")
    assert stack_names([*b.monitoring(), *without_ssl, *b.flags()]) == {PRESENT}
    staging = run_stack(
        [*b.staging_monitoring(), *b.flags(), res(b.ZONE_SETTING, "ssl", b.zone_settings()["ssl"])],
        stack="staging",
    )
    assert [(n, u) for n, _, u in staging] == [
        (PRESENT, "urn:pulumi:test::myhibachi::" + b.ZONE_SETTING + "::ssl")
    ]


# --- Cache rules ----------------------------------------------------------------------------------

CACHE_CASES: list[Case] = [
    ("rules.1.expression", 'http.host eq "myhibachichef.com"', {CACHE}),
    (
        "rules.1.expression",
        'starts_with(http.request.uri.path, "/_next/static/") or http.host eq "admin.myhibachichef.com"',  # noqa: E501
        {CACHE},
    ),
    ("rules.0.expression", 'http.host eq "admin.myhibachichef.com"', {CACHE}),
    ("rules.0.enabled", False, {CACHE}),
]


test_baseline_passes_and_one_change_fails_exactly = one_change_test(
    (b.RULESET, b.cache_ruleset, CACHE_CASES), (b.RULESET, b.ratelimit_ruleset, [])
)


def test_cache_rule_that_excludes_private_traffic_explicitly_passes() -> None:
    expression = (
        'http.host ne "admin.myhibachichef.com" and not http.host in {"api.myhibachichef.com"} '
        'and not http.cookie contains "mh_session"'
    )
    assert names(b.RULESET, changed(b.cache_ruleset(), "rules.1.expression", expression)) == set()


def test_cache_rule_missing_cookie_exclusion_fails() -> None:
    expression = 'http.host eq "myhibachichef.com"'
    assert names(b.RULESET, changed(b.cache_ruleset(), "rules.1.expression", expression)) == {CACHE}


def test_staging_cache_rules_need_staging_hosts() -> None:
    # The production baseline bypasses production hosts only: staging's hosts are not covered.
    assert names(b.RULESET, b.cache_ruleset(), stack="staging") == {CACHE}
    staging_bypass = (
        'http.host in {"admin-staging.myhibachichef.com" "api-staging.myhibachichef.com"} '
        'or http.cookie contains "mh_session"'
    )
    staging = changed(b.cache_ruleset(), "rules.0.expression", staging_bypass)
    assert names(b.RULESET, staging, stack="staging") == set()
    assert names(b.RULESET, staging) == {CACHE}


def test_without_the_stack_domain_cache_rules_are_not_applicable() -> None:
    config = {k: v for k, v in stack_values("production").items() if k != "myhibachi:domain"}
    outcome = resource_outcome(b.RULESET, b.cache_ruleset(), program_config=config)
    assert outcome.violations == []
    assert outcome.skipped == {CACHE: "the stack config does not set myhibachi:domain.admin"}


# --- Rate limits ----------------------------------------------------------------------------------


def test_rate_limits_cover_api_and_2fa() -> None:
    ruleset = changed(
        b.ratelimit_ruleset(),
        "rules.1",
        {"expression": 'http.host eq "api.myhibachichef.com"', "action": "block"},
    )
    resources = [*b.without(b.edge(), "ratelimits"), res(b.RULESET, "ratelimits", ruleset)]
    found = run_stack([*b.monitoring(), *resources, *b.flags()])
    assert [(n, m) for n, m, _ in found] == [
        (
            RATE_LIMITS,
            "The stack must declare a rate-limit rule (phase http_ratelimit) covering the 2FA path "
            "/api/v1/auth/2fa.",
        )
    ]


def test_rate_limits_follow_the_stack_api_host() -> None:
    # Were staging to own the zone's rulesets, its own API host would need the limit.
    owning = {"ownsZoneRulesets": True}
    production_rules = [res(b.RULESET, "ratelimits", b.ratelimit_ruleset())]
    found = run_stack(production_rules, stack="staging", only=RATE_LIMITS, config_override=owning)
    assert [message for _, message, _ in found] == [
        "The stack must declare a rate-limit rule (phase http_ratelimit) covering the API host "
        "api-staging.myhibachichef.com."
    ]
    staging_rules = [
        res(
            b.RULESET,
            "ratelimits",
            changed(
                b.ratelimit_ruleset(),
                "rules.0.expression",
                'http.host eq "api-staging.myhibachichef.com"',
            ),
        )
    ]
    assert (
        stack_names(staging_rules, stack="staging", only=RATE_LIMITS, config_override=owning)
        == set()
    )


def test_a_stack_that_does_not_own_the_rulesets_is_not_judged() -> None:
    outcome = stack_outcome([], stack="staging", only=RATE_LIMITS)
    assert outcome.violations == []
    assert outcome.skipped == {
        RATE_LIMITS: "this stack does not own the zone's rulesets (ownsZoneRulesets false)"
    }
