"""Secret Manager policies: naming with the stack's own prefix, rotation, no public principals."""

from __future__ import annotations

import json

import pytest

from tests.policy import baselines as b
from tests.policy.one_change import DELETE, Case, one_change_test
from tests.policy.support import names, resource_outcome, stack_values

NAMING = "gcp-secretmanager-secret-naming"
ROTATION = "gcp-secretmanager-secret-rotation"
PUBLIC = "gcp-secretmanager-iam-no-public-principals"
MEMBERS = "gcp-iam-member-allowed-principals"
REGIONAL = "gcp:secretmanager/regionalSecret:RegionalSecret"


CASES: list[Case] = [
    ("secretId", "staging-global-STRIPE_SECRET_KEY", {NAMING}),
    ("secretId", "prod-payments-STRIPE_SECRET_KEY", {NAMING}),
    ("secretId", "prod-global-stripe", {NAMING}),
    ("secretId", DELETE, {NAMING}),
    ("rotation.rotationPeriod", "31536000s", {"gcp-secretmanager-secret-rotation"}),
    ("rotation", DELETE, {"gcp-secretmanager-secret-rotation"}),
    ("topics", DELETE, {"gcp-secretmanager-secret-rotation"}),
]


test_baseline_passes_and_one_change_fails_exactly = one_change_test((b.SECRET, b.secret, CASES))


def test_staging_secret_prefix() -> None:
    assert names(b.SECRET, b.secret("staging-backend-DATABASE_URL"), stack="staging") == set()
    assert names(b.SECRET, b.secret("prod-backend-DATABASE_URL"), stack="staging") == {NAMING}


def test_the_prefix_follows_the_stack_file() -> None:
    renamed = {**stack_values("staging"), "myhibachi:env": "qa"}
    outcome = resource_outcome(b.SECRET, b.secret("qa-global-X"), program_config=renamed)
    assert outcome.violations == []
    outcome = resource_outcome(b.SECRET, b.secret("staging-global-X"), program_config=renamed)
    assert [message for _, message, _ in outcome.violations] == [
        "Secret 'subject': secretId must be qa-<scope>-<NAME> with <scope> one of global, "
        "backend, frontend-web, frontend-admin and <NAME> in [A-Z][A-Z0-9_]* (this stack's "
        "prefix is qa)."
    ]


def test_without_the_stack_env_naming_is_not_applicable() -> None:
    config = {k: v for k, v in stack_values("production").items() if k != "myhibachi:env"}
    outcome = resource_outcome(b.SECRET, b.secret("anything"), program_config=config)
    assert outcome.only_declined() == {NAMING: "the stack config does not set myhibachi:env"}


@pytest.mark.parametrize(
    ("member", "role", "expected"),
    [
        ("allUsers", "roles/secretmanager.secretAccessor", {PUBLIC, MEMBERS}),
        ("allAuthenticatedUsers", "roles/secretmanager.secretAccessor", {PUBLIC, MEMBERS}),
        (
            "serviceAccount:api@my-hibachi-crm.iam.gserviceaccount.com",
            "roles/secretmanager.secretAccessor",
            set(),
        ),
    ],
)
def test_secret_iam_member(member: str, role: str, expected: set[str]) -> None:
    props = {"secretId": "s", "member": member, "role": role}
    assert names("gcp:secretmanager/secretIamMember:SecretIamMember", props) == expected


def test_secret_iam_binding_and_policy() -> None:
    binding = {
        "secretId": "s",
        "role": "roles/secretmanager.secretAccessor",
        "members": ["user:a@example.com", "allUsers"],
    }
    assert names("gcp:secretmanager/secretIamBinding:SecretIamBinding", binding) == {
        PUBLIC,
        MEMBERS,
    }
    policy = {
        "secretId": "s",
        "policyData": json.dumps(
            {"bindings": [{"role": "roles/viewer", "members": ["allAuthenticatedUsers"]}]}
        ),
    }
    assert names("gcp:secretmanager/secretIamPolicy:SecretIamPolicy", policy) == {
        PUBLIC,
        MEMBERS,
        "gcp-iam-no-basic-roles",
    }


# --- Regional secrets: the same rules under another type ------------------------------------------


def regional(secret_id: str = "prod-global-STRIPE_SECRET_KEY") -> dict[str, object]:
    return {**b.secret(secret_id), "location": "us-central1"}


REGIONAL_CASES: list[Case] = [
    ("secretId", "staging-global-STRIPE_SECRET_KEY", {NAMING}),
    ("rotation", DELETE, {ROTATION}),
    ("rotation.rotationPeriod", "31536000s", {ROTATION}),
    ("topics", DELETE, {ROTATION}),
    ("deletionProtection", DELETE, {"gcp-stateful-resource-protected"}),
]

test_a_regional_secret_is_judged_like_a_secret = one_change_test(
    (REGIONAL, regional, REGIONAL_CASES)
)


def test_regional_secret_iam_is_judged_like_secret_iam() -> None:
    props = {"secretId": "s", "location": "r", "role": "roles/viewer", "member": "allUsers"}
    assert names("gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember", props) == {
        PUBLIC,
        MEMBERS,
        "gcp-iam-no-basic-roles",
    }
