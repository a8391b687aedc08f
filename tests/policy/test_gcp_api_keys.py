"""API key policies: named API targets, and browser referrers under the stack's own hosts."""

from __future__ import annotations

from tests.policy import baselines as b
from tests.policy.one_change import DELETE, Case, changed, one_change_test
from tests.policy.support import UNKNOWN, names, resource_outcome, stack_values

TARGETS = "gcp-projects-apikey-api-targets-restricted"
APPLICATION = "gcp-projects-apikey-application-restricted"
REFERRERS = "restrictions.browserKeyRestrictions.allowedReferrers"


CASES: list[Case] = [
    ("restrictions.apiTargets", DELETE, {TARGETS}),
    ("restrictions.apiTargets", [], {TARGETS}),
    # One more API than approved: the key can call it.
    (
        "restrictions.apiTargets",
        [*b.api_key()["restrictions"]["apiTargets"], {"service": "translate.googleapis.com"}],
        {TARGETS},
    ),
    ("restrictions.apiTargets.0", {"service": "generativelanguage.googleapis.com"}, {TARGETS}),
    # Fewer approved APIs, in another order, with methods named: still only approved ones.
    (
        "restrictions.apiTargets",
        [
            {"service": "places-backend.googleapis.com", "methods": ["*"]},
            {"service": "maps-backend.googleapis.com"},
        ],
        set(),
    ),
    ("restrictions.apiTargets.0", {"service": "cloudapis.googleapis.com"}, {TARGETS}),
    ("restrictions.browserKeyRestrictions", DELETE, {APPLICATION}),
    (f"{REFERRERS}.0", "*", {APPLICATION}),
    (f"{REFERRERS}.0", "http://myhibachichef.com/*", {APPLICATION}),
    (f"{REFERRERS}.0", "https://staging.myhibachichef.com/*", {APPLICATION}),
    (f"{REFERRERS}.0", "https://*.myhibachichef.com/*", {APPLICATION}),
    # A server key is restricted by API only (web services reject referrer-restricted keys).
    (
        "restrictions",
        {
            "apiTargets": [{"service": "geocoding-backend.googleapis.com"}],
            "serverKeyRestrictions": {"allowedIps": []},
        },
        set(),
    ),
    # No application restriction at all: only for a key limited to server-only web services,
    # in either order.
    (
        "restrictions",
        {
            "apiTargets": [
                {"service": "places-backend.googleapis.com"},
                {"service": "geocoding-backend.googleapis.com"},
            ]
        },
        set(),
    ),
    # ... never for one that may also call the browser's Maps JavaScript API ...
    (
        "restrictions",
        {
            "apiTargets": [
                {"service": "geocoding-backend.googleapis.com"},
                {"service": "maps-backend.googleapis.com"},
            ]
        },
        {APPLICATION},
    ),
    # ... nor for one with no target (it could call anything).
    ("restrictions", {"apiTargets": []}, {TARGETS, APPLICATION}),
]


test_baseline_passes_and_one_change_fails_exactly = one_change_test((b.API_KEY, b.api_key, CASES))


def test_staging_referrers() -> None:
    props = changed(
        b.api_key(),
        REFERRERS,
        ["https://staging.myhibachichef.com/*", "https://admin-staging.myhibachichef.com/*"],
    )
    assert names(b.API_KEY, props, stack="staging") == set()
    assert names(b.API_KEY, b.api_key(), stack="staging") == {APPLICATION}


def test_without_the_stack_domain_referrers_are_not_applicable() -> None:
    config = {k: v for k, v in stack_values("production").items() if k != "myhibachi:domain"}
    outcome = resource_outcome(b.API_KEY, b.api_key(), program_config=config)
    assert outcome.only_declined() == {
        APPLICATION: "the stack config does not set myhibachi:domain.site"
    }


def test_the_approved_set_comes_from_the_policy_config() -> None:
    narrowed = {"approvedServices": ["maps-backend.googleapis.com"]}
    outcome = resource_outcome(b.API_KEY, b.api_key(), config_override=narrowed)
    assert [(n, m) for n, m, _ in outcome.violations] == [
        (
            TARGETS,
            "ApiKey 'subject': restrictions.apiTargets[0].service must be one of the approved "
            "APIs (maps-backend.googleapis.com).",
        )
    ]


def test_an_unknown_target_cannot_be_judged() -> None:
    props = changed(b.api_key(), "restrictions.apiTargets.1.service", UNKNOWN)
    outcome = resource_outcome(b.API_KEY, props)
    assert outcome.only_declined() == {
        TARGETS: "could not verify the key's API targets: ApiKey 'subject': "
        "restrictions.apiTargets[1].service is unknown until the update runs"
    }
    # A known extra target is reported whatever else is unknown.
    extra = changed(props, "restrictions.apiTargets.0.service", "translate.googleapis.com")
    assert names(b.API_KEY, extra) == {TARGETS}


def test_an_unrestricted_key_with_an_unknown_target_cannot_be_judged() -> None:
    props = {
        "restrictions": {
            "apiTargets": [
                {"service": "geocoding-backend.googleapis.com"},
                {"service": UNKNOWN},
            ]
        }
    }
    outcome = resource_outcome(b.API_KEY, props)
    assert APPLICATION not in {name for name, _, _ in outcome.violations}
    assert APPLICATION in outcome.skipped
