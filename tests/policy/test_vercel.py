"""Vercel policies: sensitive secrets, nothing secret in NEXT_PUBLIC_*, the stack's own URLs and
admin project, deployment protection."""

from __future__ import annotations

import pytest

from tests.policy import baselines as b
from tests.policy.support import (
    DELETE,
    UNKNOWN,
    Case,
    changed,
    names,
    one_change_test,
    resource_outcome,
    stack_values,
)

URLS = "vercel-env-public-urls-match-stack"
PROTECTION = "vercel-project-deployment-protection"
ADMIN = "vercel-project-admin-all-deployments-protected"


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
    assert outcome.violations == []
    assert outcome.skipped == {
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
            {"key": "REVALIDATE_TOKEN", "value": "x"},
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
