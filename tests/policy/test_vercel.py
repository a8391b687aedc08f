"""Vercel policies: sensitive secrets, nothing secret in NEXT_PUBLIC_*, the stack's own URLs and
admin project, deployment protection."""

from __future__ import annotations

import pytest

from tests.conftest import captured
from tests.policy import baselines as b
from tests.policy.credential_fixtures import stripe_live_secret_key, stripe_publishable_key
from tests.policy.one_change import DELETE, Case, changed, one_change_test
from tests.policy.support import (
    UNKNOWN,
    names,
    program_violations,
    resource_outcome,
    stack_config,
    stack_values,
)

URLS = "vercel-env-public-urls-match-stack"
PROTECTION = "vercel-project-deployment-protection"
ADMIN = "vercel-project-admin-all-deployments-protected"
SENSITIVE = "vercel-env-secret-sensitive"
PUBLIC_NAMES = "vercel-env-next-public-no-secrets"
PRODUCTION_ONLY = "vercel-env-secret-production-only"
DOMAIN = "vercel-project-domain-production-only"
CREDENTIALS = "pack-resource-inputs-no-credentials"
PROJECT_DOMAIN = "vercel:index/projectDomain:ProjectDomain"
DEPLOYMENT = "vercel:index/deployment:Deployment"


PROJECT_CASES: list[Case] = [
    ("vercelAuthentication.deploymentType", "standard_protection_new", {ADMIN}),
    ("vercelAuthentication", DELETE, {PROTECTION, ADMIN}),
]


test_baseline_passes_and_one_change_fails_exactly = one_change_test(
    (b.VERCEL_PROJECT, b.vercel_project, PROJECT_CASES)
)


def test_customer_project_may_use_standard_protection() -> None:
    props = changed(
        b.vercel_project("myhibachi-customer"),
        "vercelAuthentication.deploymentType",
        "standard_protection_new",
    )
    assert names(b.VERCEL_PROJECT, props) == set()


def test_customer_project_without_protection_fails() -> None:
    props = changed(
        b.vercel_project("myhibachi-customer"), "vercelAuthentication.deploymentType", "none"
    )
    assert names(b.VERCEL_PROJECT, props) == {PROTECTION}


def test_the_admin_project_is_the_stack_own() -> None:
    standard = changed(
        b.vercel_project("myhibachi-admin-staging"),
        "vercelAuthentication.deploymentType",
        "standard_protection_new",
    )
    assert names(b.VERCEL_PROJECT, standard, stack="staging") == {ADMIN}
    assert names(b.VERCEL_PROJECT, standard) == set()
    production_admin = changed(
        b.vercel_project(), "vercelAuthentication.deploymentType", "standard_protection_new"
    )
    assert names(b.VERCEL_PROJECT, production_admin, stack="staging") == set()


def test_without_the_stack_frontends_the_admin_rule_is_not_applicable() -> None:
    config = {k: v for k, v in stack_values("production").items() if k != "myhibachi:frontends"}
    outcome = resource_outcome(b.VERCEL_PROJECT, b.vercel_project(), program_config=config)
    assert outcome.only_declined() == {
        ADMIN: "the stack config does not set myhibachi:frontends.admin.projectName"
    }


# --- Env vars -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "sensitive", "expected"),
    [
        ("STRIPE_SECRET_KEY", "x", True, set()),
        ("STRIPE_SECRET_KEY", "x", False, {"vercel-env-secret-sensitive"}),
        ("NEXTAUTH_SECRET", "x", False, {"vercel-env-secret-sensitive"}),
        ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", "pk", False, set()),
        ("NEXT_PUBLIC_STRIPE_SECRET_KEY", "x", True, {"vercel-env-next-public-no-secrets"}),
        ("NEXT_PUBLIC_ADMIN_TOKEN", "x", False, {"vercel-env-next-public-no-secrets"}),
        ("NEXT_PUBLIC_API_URL", "https://api.myhibachichef.com", False, set()),
        ("NEXT_PUBLIC_API_URL", "https://api.myhibachichef.com/api/v1", False, set()),
        ("NEXT_PUBLIC_API_URL", "https://api-staging.myhibachichef.com", False, {URLS}),
        ("NEXT_PUBLIC_APP_URL", "https://admin.myhibachichef.com", False, set()),
        ("NEXT_PUBLIC_APP_URL", "https://staging.myhibachichef.com", False, {URLS}),
        ("NEXT_PUBLIC_APP_URL", UNKNOWN, False, set()),
    ],
)
def test_vercel_env_var(key: str, value: str, sensitive: bool, expected: set[str]) -> None:
    assert names(b.VERCEL_VAR, b.vercel_var(key, value, sensitive)) == expected


def test_vercel_env_vars_bulk_and_missing_sensitive() -> None:
    props = {
        "projectId": "p",
        "variables": [
            {"key": "API_URL", "value": "https://api.myhibachichef.com", "sensitive": False},
            {"key": "REVALIDATE_TOKEN", "value": "x", "targets": ["production"]},
        ],
    }
    assert names(b.VERCEL_VARS, props) == {"vercel-env-secret-sensitive"}
    assert names(b.VERCEL_VARS, changed(props, "variables.1.sensitive", True)) == set()
    assert names(b.VERCEL_VAR, changed(b.vercel_var("DB_PASSWORD", "x"), "sensitive", DELETE)) == {
        "vercel-env-secret-sensitive"
    }


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("NEXT_PUBLIC_API_URL", "https://api-staging.myhibachichef.com", set()),
        ("NEXT_PUBLIC_API_URL", "https://api.myhibachichef.com", {URLS}),
        ("NEXT_PUBLIC_APP_URL", "https://staging.myhibachichef.com", set()),
        ("NEXT_PUBLIC_APP_URL", "https://admin-staging.myhibachichef.com/", set()),
        ("NEXT_PUBLIC_APP_URL", "https://myhibachichef.com", {URLS}),
    ],
)
def test_staging_urls_are_the_staging_hosts(key: str, value: str, expected: set[str]) -> None:
    assert names(b.VERCEL_VAR, b.vercel_var(key, value), stack="staging") == expected


def test_url_message_names_the_stack_url() -> None:
    outcome = resource_outcome(
        b.VERCEL_VAR, b.vercel_var("NEXT_PUBLIC_APP_URL", "https://x.example"), stack="staging"
    )
    assert [message for _, message, _ in outcome.violations] == [
        "ProjectEnvironmentVariable 'subject': value of NEXT_PUBLIC_APP_URL must be one of "
        "https://staging.myhibachichef.com, https://admin-staging.myhibachichef.com."
    ]


# --- Secrets reach production deployments only -------------------------------------------------


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (["production"], set()),
        (["preview", "production"], {PRODUCTION_ONLY}),
        (["development"], {PRODUCTION_ONLY}),
    ],
)
@pytest.mark.parametrize("key", ["STRIPE_SECRET_KEY", "STRIPE_SK", "DB_PASS"])
def test_secret_names_target_production_only(
    key: str, targets: list[str], expected: set[str]
) -> None:
    props = {**b.vercel_var(key, "x", sensitive=True), "targets": targets}
    assert names(b.VERCEL_VAR, props) == expected


def test_a_custom_environment_is_not_production() -> None:
    props = {
        **b.vercel_var("STRIPE_SECRET_KEY", "x", sensitive=True),
        "customEnvironmentIds": ["e"],
    }
    assert names(b.VERCEL_VAR, props) == {PRODUCTION_ONLY}


def test_the_same_rule_holds_in_every_shape() -> None:
    bulk = {
        "projectId": "p",
        "variables": [
            {"key": "A_TOKEN", "value": "x", "sensitive": True, "targets": ["preview"]},
        ],
    }
    assert names(b.VERCEL_VARS, bulk) == {PRODUCTION_ONLY}
    shared = {**b.vercel_var("A_TOKEN", "x", sensitive=True), "targets": ["preview"]}
    assert PRODUCTION_ONLY in names(
        "vercel:index/sharedEnvironmentVariable:SharedEnvironmentVariable", shared
    )
    inline = {"name": "myhibachi-customer", "environments": bulk["variables"]}
    assert PRODUCTION_ONLY in names(b.VERCEL_PROJECT, inline)


def test_a_preview_deployment_never_carries_a_secret() -> None:
    preview = {"projectId": "p", "production": False, "environment": {"STRIPE_SECRET_KEY": "x"}}
    outcome = resource_outcome(DEPLOYMENT, preview)
    assert {p for p, _, _ in outcome.violations} == {PRODUCTION_ONLY, SENSITIVE}
    assert (
        "Deployment 'subject': environment.STRIPE_SECRET_KEY looks secret, and a deployment's"
        in (next(m for p, m, _ in outcome.violations if p == SENSITIVE))
    )
    production = {**preview, "production": True}
    assert names(DEPLOYMENT, production) == {SENSITIVE}


def test_unknown_targets_are_not_applicable() -> None:
    props = {**b.vercel_var("STRIPE_SECRET_KEY", "x", sensitive=True), "targets": UNKNOWN}
    outcome = resource_outcome(b.VERCEL_VAR, props)
    assert PRODUCTION_ONLY not in {p for p, _, _ in outcome.violations}
    assert outcome.skipped[PRODUCTION_ONLY] == (
        "targets unknown until the update runs: STRIPE_SECRET_KEY"
    )


def test_the_publishable_key_may_reach_previews() -> None:
    # Public by design (it ships in every browser bundle): neither its name nor its value is a
    # secret, so the program's preview-and-production publishable key passes every policy.
    props = {
        **b.vercel_var("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", stripe_publishable_key(), True),
        "targets": ["preview", "production"],
    }
    assert names(b.VERCEL_VAR, props) == set()


def test_a_live_key_under_a_public_name_is_blocked_by_its_value() -> None:
    props = b.vercel_var("NEXT_PUBLIC_STRIPE_CONFIG", stripe_live_secret_key())
    assert names(b.VERCEL_VAR, props) == {CREDENTIALS}
    assert names(b.VERCEL_VAR, props, stack="staging") == {CREDENTIALS}


def test_production_only_is_advisory_on_staging() -> None:
    assert stack_config("staging")[PRODUCTION_ONLY].enforcement_level == "advisory"
    assert stack_config("production")[PRODUCTION_ONLY].enforcement_level == "mandatory"


@pytest.mark.parametrize("stack", ["staging", "production"])
def test_the_real_frontends_pass(stack: str) -> None:
    vercel = {PRODUCTION_ONLY, DOMAIN, SENSITIVE, PUBLIC_NAMES, CREDENTIALS}
    assert {(p, n) for p, n in program_violations(captured(stack)) if p in vercel} == set()


# --- Custom domains serve production -------------------------------------------------------------


def test_a_domain_bound_to_a_branch_is_blocked() -> None:
    domain = {"projectId": "p", "domain": "admin.myhibachichef.com"}
    assert names(PROJECT_DOMAIN, domain) == set()
    assert names(PROJECT_DOMAIN, {**domain, "gitBranch": "feature-x"}) == {DOMAIN}
    outcome = resource_outcome(PROJECT_DOMAIN, {**domain, "gitBranch": UNKNOWN})
    assert outcome.skipped[DOMAIN] == "gitBranch is unknown until the update runs"
