"""API key policies: named API targets, and browser referrers under the stack's own hosts."""

from __future__ import annotations

from tests.policy import baselines as b
from tests.policy.support import (
    DELETE,
    Case,
    changed,
    names,
    one_change_test,
    resource_outcome,
    stack_values,
)

TARGETS = "gcp-projects-apikey-api-targets-restricted"
APPLICATION = "gcp-projects-apikey-application-restricted"
REFERRERS = "restrictions.browserKeyRestrictions.allowedReferrers"


CASES: list[Case] = [
    ("restrictions.apiTargets", DELETE, {TARGETS}),
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
    assert outcome.violations == []
    assert outcome.skipped == {APPLICATION: "the stack config does not set myhibachi:domain.site"}
