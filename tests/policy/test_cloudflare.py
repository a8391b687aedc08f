"""Cloudflare policies: zone TLS settings and their ownership; the zone's rules judged by
simulated requests for every stack's hosts (private traffic never cached, static assets cached,
login and 2FA limited, the managed WAF on the API); the API record proxied."""

from __future__ import annotations

import json
from typing import Any

import pytest

from policy.myhibachi_policy.edge_probes.probes import SESSION_PLACEHOLDER
from preflight.values import unwrapped
from tests.conftest import RunWithConfig, captured, stack_document
from tests.policy import baselines as b
from tests.policy.edge_probes.zone_fixtures import RATE_LIMIT_EDITS
from tests.policy.one_change import DELETE, changed
from tests.policy.support import (
    STACKS,
    UNKNOWN,
    names,
    res,
    resource_outcome,
    run_resource,
    run_stack,
    stack_config,
    stack_names,
    stack_outcome,
    stack_values,
)

CACHE = "cloudflare-ruleset-cache-private-never-cached"
RATE_LIMITS = "cloudflare-ruleset-rate-limits"
PRESENT = "cloudflare-zone-settings-present"


def zone_of(resource: Any) -> Any:
    """The zone id a Cloudflare resource's inputs name."""
    return resource.props["zoneId"]


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
    assert stack_names([*b.monitoring(), *without_ssl, *b.backups(), *b.flags()]) == {PRESENT}
    staging = run_stack(
        [
            *b.staging_monitoring(),
            *b.staging_edge(),
            *b.backups(),
            *b.flags(),
            res(b.ZONE_SETTING, "ssl", b.zone_settings()["ssl"]),
        ],
        stack="staging",
    )
    assert [(n, u) for n, _, u in staging] == [
        (PRESENT, "urn:pulumi:test::myhibachi::" + b.ZONE_SETTING + "::ssl")
    ]


def test_an_unknown_setting_cannot_be_judged() -> None:
    props = changed(b.zone_settings()["ssl"], "value", UNKNOWN)
    outcome = resource_outcome(b.ZONE_SETTING, props)
    assert outcome.only_declined() == {
        "cloudflare-zone-setting-ssl-strict": "ZoneSetting 'subject': value is unknown until the "
        "update runs"
    }


def test_an_unknown_setting_id_leaves_only_the_missing_settings_undecided() -> None:
    unknown_id = res(b.ZONE_SETTING, "ssl", changed(b.zone_settings()["ssl"], "settingId", UNKNOWN))
    resources = [*b.without(b.edge(), "ssl"), unknown_id]
    outcome = stack_outcome(resources, only=PRESENT)
    assert outcome.violations == []
    assert outcome.skipped[PRESENT].startswith("could not verify the zone settings ssl:")


# --- The zone's rules, by simulated requests ---------------------------------------------------

CACHE_STATIC = "cloudflare-ruleset-static-assets-cached"
WAF = "cloudflare-ruleset-managed-waf"
EXPRESSIONS = "cloudflare-ruleset-expressions-supported"
PROXIED = "cloudflare-dns-record-api-proxied"
EDGE_POLICIES = (CACHE, CACHE_STATIC, RATE_LIMITS, WAF, PROXIED)


def edge_with(name: str, props: dict[str, Any]) -> list[Any]:
    """The compliant zone owner's edge with one resource replaced."""
    resource_type = next(r.resource_type for r in b.edge() if r.name == name)
    return [*b.without(b.edge(), name), res(resource_type, name, props)]


def edge_outcome(resources: list[Any], policy: str, **kwargs: Any) -> Any:
    return stack_outcome(resources, only=policy, **kwargs)


def messages(resources: list[Any], policy: str, **kwargs: Any) -> list[str]:
    return [message for _, message, _ in edge_outcome(resources, policy, **kwargs).violations]


@pytest.mark.parametrize("policy", EDGE_POLICIES)
def test_the_compliant_zone_passes(policy: str) -> None:
    outcome = edge_outcome(b.edge(), policy)
    assert (outcome.violations, outcome.skipped) == ([], {})


def test_the_zone_the_program_declares_passes() -> None:
    declared = [
        res(r.type, r.name, unwrapped(r.inputs))
        for r in captured("production").resources
        if r.type.startswith("cloudflare:")
    ]
    # The shipped stack file pins no id: every resource has the id the lookup by name found.
    assert {zone_of(r) for r in declared} == {b.ZONE_ID}
    for policy in (*EDGE_POLICIES, EXPRESSIONS, PRESENT):
        outcome = edge_outcome(declared, policy)
        assert (outcome.violations, outcome.skipped) == ([], {}), policy


# --- Which rulesets are the zone's: those of the pinned id, or the stack's when looked up -------

OTHER_ZONE_ID = "f" * 32


def _pinned(zone_id: str) -> dict[str, str]:
    """Production's stack config with `myhibachi:edge.zoneId` pinned."""
    values = stack_values("production")
    edge = json.loads(values["myhibachi:edge"])
    return {**values, "myhibachi:edge": json.dumps({**edge, "zoneId": zone_id})}


def _caching_everything(zone_id: str) -> Any:
    """A cache ruleset that stores every request, in the zone `zone_id`."""
    rules = [
        {"expression": "true", "action": "set_cache_settings", "actionParameters": {"cache": True}}
    ]
    return res(
        b.RULESET, "caches-everything", {**b.cache_ruleset(), "zoneId": zone_id, "rules": rules}
    )


def test_the_shipped_production_config_looks_the_zone_up() -> None:
    assert "zoneId" not in json.loads(stack_values("production")["myhibachi:edge"])


def test_a_looked_up_zone_judges_the_stacks_rulesets_with_the_lookups_id() -> None:
    # The rulesets carry the id the lookup found; the stack config names none.
    assert {zone_of(r) for r in b.edge() if r.resource_type == b.RULESET} == {b.ZONE_ID}
    assert messages(b.edge(), CACHE) == []
    cached = edge_with("cache", {**b.cache_ruleset(), "rules": [_rule("true", True)]})
    assert any("may be stored at the edge" in message for message in messages(cached, CACHE))


def test_a_looked_up_zone_counts_every_ruleset_of_the_stack() -> None:
    # Without a pinned id, a second cache entrypoint cannot be told apart from the zone's own:
    # not a pass, an honest "could not verify".
    outcome = edge_outcome([*b.edge(), _caching_everything(OTHER_ZONE_ID)], CACHE)
    assert outcome.violations == []
    assert (
        "2 rulesets declare the zone's http_request_cache_settings entrypoint"
        in (outcome.skipped[CACHE])
    )


def test_a_pinned_zone_judges_its_own_rulesets_and_ignores_other_zones() -> None:
    pinned = _pinned(b.ZONE_ID)
    other_zone = [*b.edge(), _caching_everything(OTHER_ZONE_ID)]
    outcome = edge_outcome(other_zone, CACHE, program_config=pinned)
    assert (outcome.violations, outcome.skipped) == ([], {})
    in_the_zone = edge_with("cache", {**b.cache_ruleset(), "rules": [_rule("true", True)]})
    found = messages(in_the_zone, CACHE, program_config=pinned)
    assert any("may be stored at the edge" in message for message in found)


def test_the_zone_the_program_declares_with_a_pinned_id_passes(
    run_with_config: RunWithConfig,
) -> None:
    document = stack_document("production")
    document["config"]["myhibachi:edge"]["zoneId"] = OTHER_ZONE_ID
    capture = run_with_config("production", document)
    declared = [
        res(r.type, r.name, unwrapped(r.inputs))
        for r in capture.resources
        if r.type.startswith("cloudflare:")
    ]
    assert {zone_of(r) for r in declared} == {OTHER_ZONE_ID}
    for policy in (*EDGE_POLICIES, EXPRESSIONS, PRESENT):
        outcome = edge_outcome(declared, policy, program_config=_pinned(OTHER_ZONE_ID))
        assert (outcome.violations, outcome.skipped) == ([], {}), policy


def _cache_rules(*rules: dict[str, Any]) -> list[Any]:
    return edge_with("cache", changed(b.cache_ruleset(), "rules", list(rules)))


def _rule(expression: str, cache: bool) -> dict[str, Any]:
    return {
        "expression": expression,
        "action": "set_cache_settings",
        "actionParameters": {"cache": cache},
    }


BYPASS_RULE = _rule(b.BYPASS, False)
STATIC_RULE = _rule(b.STATIC, True)


@pytest.mark.parametrize(
    ("rules", "cached"),
    [
        pytest.param(
            # Meant "neither admin/API nor signed in"; means "not admin/API, or signed in".
            [
                BYPASS_RULE,
                _rule(
                    f'not http.host in {b.ADMIN_HOSTS} or http.cookie contains "mh_session"',
                    True,
                ),
            ],
            "admin page (GET admin.myhibachichef.com/account)",
            id="not-binds-to-the-host-test-only",
        ),
        pytest.param(
            [
                STATIC_RULE,
                _rule(
                    f"http.host in {b.ADMIN_HOSTS} and http.host in {b.API_HOSTS} and "
                    'http.cookie contains "mh_session"',
                    False,
                ),
            ],
            "admin static asset (GET admin.myhibachichef.com/_next/static/chunks/main-3f2a1b.js)",
            id="bypass-that-never-matches",
        ),
        pytest.param(
            [BYPASS_RULE, _rule('http.request.uri.path.extension eq ""', True)],
            "signed-in site page (GET myhibachichef.com/account)",
            id="empty-extension-is-every-page",
        ),
        pytest.param(
            [BYPASS_RULE, _rule('starts_with(http.request.uri.path, "/")', True)],
            "API request (GET api.myhibachichef.com/api/v1/bookings)",
            id="bypass-before-the-rule-it-should-override",
        ),
        pytest.param(
            [STATIC_RULE, {**BYPASS_RULE, "enabled": False}],
            "admin static asset (GET admin.myhibachichef.com/_next/static/chunks/main-3f2a1b.js)",
            id="disabled-bypass",
        ),
        pytest.param(
            [
                STATIC_RULE,
                _rule(b.BYPASS.replace("mh_session", "MH_SESSION"), False),
                _rule('http.request.uri.path eq "/account"', True),
            ],
            "signed-in site page (GET myhibachichef.com/account)",
            id="case-variant-of-the-cookie",
        ),
        pytest.param(
            # The bypass names production's hosts only; the zone serves staging's too.
            [STATIC_RULE, _rule(b.BYPASS.replace("admin-staging", "admin-old"), False)],
            "admin static asset (GET admin-staging.myhibachichef.com/_next/static/chunks/"
            "main-3f2a1b.js)",
            id="other-stack-hosts-forgotten",
        ),
    ],
)
def test_private_traffic_cached_is_blocked(rules: list[dict[str, Any]], cached: str) -> None:
    found = messages(_cache_rules(*rules), CACHE)
    assert any(message.startswith(f"{cached} may be stored at the edge") for message in found)
    assert all(SESSION_PLACEHOLDER not in message for message in found)  # no cookie value


@pytest.mark.parametrize(
    "bypass",
    [
        # The same intent under other names, in another order, in other notations.
        f'http.cookie contains "mh_session" || http.host in {b.API_HOSTS} || '
        f"http.host in {b.ADMIN_HOSTS}",
        'any(starts_with(http.request.cookies["mh_session"][*], "")) or '
        f"lower(http.host) in {b.ADMIN_HOSTS} or http.host in {b.API_HOSTS}",
        f"not (not http.host in {b.ADMIN_HOSTS} and not http.host in {b.API_HOSTS} "
        'and not http.cookie contains "mh_session")',
    ],
)
def test_the_same_bypass_written_otherwise_passes(bypass: str) -> None:
    outcome = edge_outcome(_cache_rules(_rule(bypass, False), STATIC_RULE), CACHE)
    assert (outcome.violations, outcome.skipped) == ([], {})


def test_a_static_rule_that_excludes_private_traffic_itself_passes_without_a_bypass() -> None:
    static = _rule(
        f'http.host in {b.SITE_HOSTS} and not http.cookie contains "mh_session" and '
        'starts_with(http.request.uri.path, "/_next/static/")',
        True,
    )
    bypass_admin_assets = _rule(
        f"http.host in {b.ADMIN_HOSTS} or http.host in {b.API_HOSTS}", False
    )
    assert messages(_cache_rules(static, bypass_admin_assets), CACHE) == []


def test_only_the_stacks_in_the_stack_config_are_probed() -> None:
    # Without other hosts in the stack config, production's rules need cover production only.
    rules = _cache_rules(STATIC_RULE, _rule(b.BYPASS.replace("admin-staging", "admin-old"), False))
    edge = json.loads(stack_values("production")["myhibachi:edge"])
    del edge["zonePolicy"]["otherHosts"]
    config = {**stack_values("production"), "myhibachi:edge": json.dumps(edge)}
    assert messages(rules, CACHE, program_config=config) == []


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (
            "rules.0.expression",
            "rules[0] of the http_request_cache_settings ruleset: the expression "
            "is unknown until the update runs",
        ),
        (
            "rules",
            "the http_request_cache_settings ruleset's rules are unknown until the update runs",
        ),
        ("rules.0.actionParameters.cache", "actionParameters.cache is unknown"),
    ],
)
def test_an_unknown_cache_rule_cannot_be_judged(path: str, reason: str) -> None:
    outcome = edge_outcome(edge_with("cache", changed(b.cache_ruleset(), path, UNKNOWN)), CACHE)
    assert outcome.violations == []
    assert outcome.skipped[CACHE].startswith(
        "could not verify that private traffic is never cached"
    )
    assert reason in outcome.skipped[CACHE]


def test_an_unsupported_expression_is_a_finding_and_leaves_the_cache_undecided() -> None:
    unsupported = changed(b.cache_ruleset(), "rules.0.expression", "cf.threat_score gt 10")
    outcome = edge_outcome(edge_with("cache", unsupported), CACHE)
    assert outcome.violations == []
    assert "field `cf.threat_score` at character 1" in outcome.skipped[CACHE]
    assert run_resource(b.RULESET, unsupported) == [
        (
            EXPRESSIONS,
            "Ruleset 'subject': rules[0].expression is outside the Rules language subset the "
            "edge policies evaluate (not in the supported subset at character 1), so they cannot "
            "verify what the zone does.",
        )
    ]
    assert names(b.RULESET, unsupported, stack="staging") == {EXPRESSIONS}  # advisory there


def test_expressions_supported_reads_counting_expressions_and_unknowns() -> None:
    counting = changed(
        b.ratelimit_ruleset(),
        "rules.0.ratelimit.countingExpression",
        "cf.bot_management.score lt 30",
    )
    assert names(b.RULESET, counting) == {EXPRESSIONS}
    outcome = resource_outcome(
        b.RULESET, changed(b.ratelimit_ruleset(), "rules.1.expression", UNKNOWN)
    )
    assert outcome.only_declined() == {
        EXPRESSIONS: "could not verify the ruleset's expressions: Ruleset 'subject': "
        "rules[1].expression is unknown until the update runs"
    }
    disabled = changed(counting, "rules.0.enabled", False)
    assert names(b.RULESET, disabled) == set()


def test_a_stack_that_does_not_own_the_rulesets_is_not_judged() -> None:
    for policy in (CACHE, CACHE_STATIC, RATE_LIMITS, WAF):
        outcome = stack_outcome([], stack="staging", only=policy)
        assert outcome.only_declined() == {
            policy: "this stack does not own the zone's rulesets (ownsZoneRulesets false)"
        }


def test_public_static_assets_must_stay_cached() -> None:
    everything_off = _cache_rules(STATIC_RULE, _rule("true", False))
    assert messages(everything_off, CACHE_STATIC) == [
        "site static asset (GET myhibachichef.com/_next/static/chunks/main-3f2a1b.js) is not "
        "cached at the edge (rules[1] of the http_request_cache_settings ruleset turns caching "
        "off).",
        "site static asset (GET staging.myhibachichef.com/_next/static/chunks/main-3f2a1b.js) is "
        "not cached at the edge (rules[1] of the http_request_cache_settings ruleset turns "
        "caching off).",
    ]


# --- Rate limits ----------------------------------------------------------------------------------


def _auth_rule(**changes: Any) -> list[Any]:
    ruleset = b.ratelimit_ruleset()
    for path, value in changes.items():
        ruleset = changed(ruleset, f"rules.0.{path}", value)
    return edge_with("ratelimits", ruleset)


LOGIN = "login attempt (POST api.myhibachichef.com/api/v1/auth/login)"


@pytest.mark.parametrize(
    "changes",
    [
        *RATE_LIMIT_EDITS,
        pytest.param(
            {
                "expression": f"http.host in {b.API_HOSTS} and http.request.uri.path eq "
                '"/api/v1/auth/login/"'
            },
            id="trailing-slash-only",
        ),
    ],
)
def test_login_no_longer_limited_is_blocked(changes: dict[str, Any]) -> None:
    found = messages(_auth_rule(**changes), RATE_LIMITS)
    assert any(
        message.startswith(
            f"{LOGIN} must be limited to 10 requests per 60 s per client with the block action ("
        )
        for message in found
    )


def test_rate_limits_written_otherwise_pass() -> None:
    # Another notation and order, per path, 5 per 30 s.
    rules = [
        {
            "expression": f'http.request.uri.path eq "{path}" && http.host in {b.API_HOSTS}',
            "action": "block",
            "ratelimit": {
                "characteristics": ["ip.src", "cf.colo.id"],
                "period": 30,
                "requestsPerPeriod": 5,
            },
        }
        for path in ("/api/v1/auth/2fa", "/api/v1/auth/login")
    ]
    api = b.ratelimit_ruleset()["rules"][1]
    resources = edge_with("ratelimits", changed(b.ratelimit_ruleset(), "rules", [*rules, api]))
    assert messages(resources, RATE_LIMITS) == []


def test_a_custom_rule_that_skips_rate_limiting_is_blocked() -> None:
    skip = {
        "expression": 'starts_with(http.request.uri.path, "/api/")',
        "action": "skip",
        "actionParameters": {"phases": ["http_ratelimit"]},
    }
    custom = {**b.ratelimit_ruleset(), "phase": "http_request_firewall_custom", "rules": [skip]}
    found = messages([*b.edge(), res(b.RULESET, "custom", custom)], RATE_LIMITS)
    assert (
        f"{LOGIN} must be limited to 10 requests per 60 s per client with the block action "
        "(rules[0] of the http_request_firewall_custom ruleset skips the http_ratelimit phase "
        "for this request)." in found
    )


def test_the_2fa_path_and_the_api_wide_limit_are_judged_too() -> None:
    only_login = changed(
        b.ratelimit_ruleset(),
        "rules.0.expression",
        f'http.host in {b.API_HOSTS} and starts_with(http.request.uri.path, "/api/v1/auth/login")',
    )
    found = messages(edge_with("ratelimits", only_login), RATE_LIMITS)
    assert [m.split(" must ")[0] for m in found] == [
        "2FA attempt (POST api.myhibachichef.com/api/v1/auth/2fa)",
        "2FA attempt (POST api-staging.myhibachichef.com/api/v1/auth/2fa)",
    ]
    no_api_limit = changed(b.ratelimit_ruleset(), "rules.1.ratelimit.requestsPerPeriod", 6000)
    found = messages(edge_with("ratelimits", no_api_limit), RATE_LIMITS)
    assert found[0].startswith(
        "API request (GET api.myhibachichef.com/api/v1/bookings) must be limited to 600 requests "
        "per 60 s"
    )


def test_the_configured_rate_is_the_floor() -> None:
    assert messages(b.edge(), RATE_LIMITS, config_override={"maxRequests": 9}) != []
    assert messages(b.edge(), RATE_LIMITS, config_override={"maxRequests": 10}) == []


def test_an_unknown_rate_limit_cannot_be_judged() -> None:
    outcome = edge_outcome(_auth_rule(**{"ratelimit.requestsPerPeriod": UNKNOWN}), RATE_LIMITS)
    assert outcome.violations == []
    assert (
        "ratelimit.requestsPerPeriod is unknown until the update runs"
        in outcome.skipped[RATE_LIMITS]
    )


# --- Managed WAF --------------------------------------------------------------------------------

API_CALL = "API request (GET api.myhibachichef.com/api/v1/bookings)"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        pytest.param("rules.0.enabled", False, id="disabled"),
        pytest.param("rules.0.expression", "false", id="never-matches"),
        pytest.param("rules.0.actionParameters.overrides", {"enabled": False}, id="overridden-off"),
        pytest.param("rules.0.actionParameters.overrides", {"action": "log"}, id="log-only"),
        pytest.param("rules.0.actionParameters.id", "0" * 32, id="another-ruleset"),
        pytest.param("rules", [], id="no-rules"),
    ],
)
def test_the_managed_waf_switched_off_is_blocked(path: str, value: Any) -> None:
    found = messages(edge_with("waf", changed(b.waf_ruleset(), path, value)), WAF)
    assert any(
        m.startswith(f"{API_CALL} must run through the managed ruleset {b.MANAGED_RULESET}")
        for m in found
    )


def test_the_managed_waf_skipped_by_a_custom_rule_is_blocked() -> None:
    skip = {
        "expression": f"http.host in {b.API_HOSTS}",
        "action": "skip",
        "actionParameters": {"phases": ["http_request_firewall_managed"]},
    }
    custom = {**b.waf_ruleset(), "phase": "http_request_firewall_custom", "rules": [skip]}
    assert (
        len(messages([*b.edge(), res(b.RULESET, "custom", custom)], WAF)) == 6
    )  # 3 probes x 2 hosts
    assert messages(b.without(b.edge(), "waf"), WAF) != []


def test_a_plan_without_the_managed_waf_is_not_judged() -> None:
    outcome = edge_outcome(
        b.without(b.edge(), "waf"), WAF, config_override={"managedWafRequired": False}
    )
    assert outcome.only_declined() == {
        WAF: "the zone's plan has no managed WAF (managedWafRequired false)"
    }


def test_an_unknown_managed_waf_rule_cannot_be_judged() -> None:
    outcome = edge_outcome(
        edge_with("waf", changed(b.waf_ruleset(), "rules.0.action", UNKNOWN)), WAF
    )
    assert outcome.violations == []
    assert "the action is unknown until the update runs" in outcome.skipped[WAF]


# --- The API record -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        pytest.param(
            b.api_record(proxied=False),
            ["DnsRecord 'api-record': proxied must be true"],
            id="dns-only",
        ),
        pytest.param(
            changed(b.api_record(), "proxied", DELETE),
            ["DnsRecord 'api-record': proxied must be true"],
            id="absent-means-dns-only",
        ),
        pytest.param(
            b.api_record("API.myhibachichef.com.", proxied=False),
            ["DnsRecord 'api-record': proxied must be true"],
            id="case-and-dot",
        ),
        pytest.param(
            b.api_record("api", proxied=False),
            ["DnsRecord 'api-record': proxied must be true"],
            id="relative-name",
        ),
        pytest.param(
            b.api_record("www.myhibachichef.com"),
            [
                "The stack must declare a proxied DNS record (A, AAAA or CNAME) for "
                "api.myhibachichef.com."
            ],
            id="no-record",
        ),
        pytest.param(
            b.api_record("*.myhibachichef.com", proxied=False),
            ["DnsRecord 'api-record': proxied must be true"],
            id="dns-only-wildcard",
        ),
        pytest.param(b.api_record("api"), [], id="relative-name-proxied"),
    ],
)
def test_the_api_record_is_proxied(record: dict[str, Any], expected: list[str]) -> None:
    found = messages(edge_with("api-record", record), PROXIED)
    assert [m.split(":", 1)[0] if m.startswith("DnsRecord") else m for m in found] == [
        e.split(":", 1)[0] if e.startswith("DnsRecord") else e for e in expected
    ]


def test_an_exact_record_answers_before_a_wildcard() -> None:
    wildcard = res(b.DNS_RECORD, "wildcard", b.api_record("*.myhibachichef.com", proxied=False))
    assert messages([*b.edge(), wildcard], PROXIED) == []


def test_an_unknown_record_cannot_be_judged() -> None:
    outcome = edge_outcome(edge_with("api-record", b.api_record(proxied=UNKNOWN)), PROXIED)
    assert outcome.only_declined() == {
        PROXIED: "could not verify the DNS records of api.myhibachichef.com: DnsRecord "
        "'api-record': proxied is unknown until the update runs"
    }
    staging = stack_outcome(
        [res(b.DNS_RECORD, "api", b.api_record(b.STAGING_HOSTS[2], False))],
        stack="staging",
        only=PROXIED,
    )
    assert [name for name, _, _ in staging.violations] == [PROXIED]


# --- Page Rules and legacy firewall rules --------------------------------------------------------

LEGACY = "cloudflare-legacy-rules-not-allowed"


@pytest.mark.parametrize(
    ("resource_type", "props"),
    [
        # A page rule caching the API host: the simulation never sees it.
        (
            "cloudflare:index/pageRule:PageRule",
            {
                "zoneId": "z",
                "target": "api.myhibachichef.com/*",
                "actions": {"cacheLevel": "cache_everything"},
                "priority": 1,
                "status": "active",
            },
        ),
        # A firewall rule bypassing the WAF and the rate limits.
        (
            "cloudflare:index/firewallRule:FirewallRule",
            {"zoneId": "z", "action": "bypass", "products": ["waf", "rateLimit"], "filterId": "f"},
        ),
        # Even a harmless one, or one whose settings are unknown: the type itself is refused.
        ("cloudflare:index/pageRule:PageRule", {"zoneId": "z", "target": UNKNOWN}),
    ],
)
@pytest.mark.parametrize("stack", STACKS)
def test_legacy_rules_are_refused_on_every_stack(
    resource_type: str, props: dict[str, Any], stack: str
) -> None:
    outcome = resource_outcome(resource_type, props, stack=stack)
    assert [p for p, _, _ in outcome.violations if p == LEGACY] == [LEGACY]
    assert stack_config(stack)[LEGACY].enforcement_level == "mandatory"


def test_rulesets_are_not_legacy_rules() -> None:
    assert LEGACY not in names(b.RULESET, b.cache_ruleset())


# --- Login and 2FA blocked; the managed WAF not partly switched off ------------------------------


@pytest.mark.parametrize(
    "action", ["managed_challenge", "challenge", "js_challenge", "log", "BLOCK"]
)
def test_login_and_2fa_over_the_limit_must_be_blocked(action: str) -> None:
    found = messages(_auth_rule(action=action), RATE_LIMITS)
    assert any(
        message.startswith(
            f"{LOGIN} must be limited to 10 requests per 60 s per client with the block action ("
        )
        for message in found
    ), found


def test_api_requests_may_still_be_challenged() -> None:
    rules = b.ratelimit_ruleset()["rules"]
    api = {**rules[1], "action": "managed_challenge"}
    resources = edge_with("ratelimits", changed(b.ratelimit_ruleset(), "rules", [rules[0], api]))
    assert messages(resources, RATE_LIMITS) == []


def test_an_unknown_auth_rate_limit_action_could_not_be_verified() -> None:
    outcome = stack_outcome(_auth_rule(action=UNKNOWN), only=RATE_LIMITS)
    assert outcome.violations == []
    assert RATE_LIMITS in outcome.skipped


_MANAGED = "efb7b8c949ac4650a09736fc376e9aee"


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param(
            {"categories": [{"category": "wordpress", "enabled": False}]}, id="category-off"
        ),
        pytest.param(
            {"rules": [{"id": "5de7edfa648c4d6891dc3e7f84534ffa", "enabled": False}]}, id="rule-off"
        ),
        pytest.param({"rules": [{"id": "x", "action": "log"}]}, id="rule-log"),
        pytest.param(
            {"categories": [{"category": "xss", "action": "managed_challenge"}]},
            id="category-challenge",
        ),
        pytest.param({"action": "managed_challenge"}, id="all-challenge"),
        pytest.param({"rules": [{"id": "x", "enabled": "false"}]}, id="off-as-text"),
        pytest.param({"sensitivityLevel": "eoff"}, id="sensitivity-off"),
        # A harmless override first does not hide a later one.
        pytest.param(
            {"rules": [{"id": "a", "action": "block"}, {"id": "b", "enabled": False}]},
            id="second-rule-off",
        ),
    ],
)
def test_a_partly_overridden_managed_waf_is_blocked(overrides: dict[str, Any]) -> None:
    waf = changed(
        b.waf_ruleset(), "rules.0.actionParameters", {"id": _MANAGED, "overrides": overrides}
    )
    found = messages(edge_with("waf", waf), WAF)
    assert found != [] and all("executes it weakened" in m for m in found), found


def test_a_skip_of_some_managed_rules_is_blocked() -> None:
    skip = {
        "expression": "true",
        "action": "skip",
        "actionParameters": {"rules": {_MANAGED: ["5de7edfa648c4d6891dc3e7f84534ffa"]}},
        "enabled": True,
    }
    waf = changed(b.waf_ruleset(), "rules", [skip, *b.waf_ruleset()["rules"]])
    found = messages(edge_with("waf", waf), WAF)
    assert found != [] and all("skips some of its rules" in m for m in found), found


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"rules": [{"id": "x", "action": "block"}]}, id="rule-to-block"),
        pytest.param({"categories": [{"category": "xss", "enabled": True}]}, id="category-on"),
    ],
)
def test_overrides_that_keep_the_managed_waf_blocking_pass(overrides: dict[str, Any]) -> None:
    waf = changed(
        b.waf_ruleset(), "rules.0.actionParameters", {"id": _MANAGED, "overrides": overrides}
    )
    assert messages(edge_with("waf", waf), WAF) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"rules": [{"id": "x", "enabled": UNKNOWN}]},
        {"categories": [UNKNOWN]},
        {"action": UNKNOWN},
    ],
)
def test_an_unknown_override_could_not_be_verified(overrides: dict[str, Any]) -> None:
    waf = changed(
        b.waf_ruleset(), "rules.0.actionParameters", {"id": _MANAGED, "overrides": overrides}
    )
    outcome = stack_outcome(edge_with("waf", waf), only=WAF)
    assert outcome.violations == []
    assert WAF in outcome.skipped
