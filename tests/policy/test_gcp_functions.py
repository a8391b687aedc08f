"""Cloud Functions policies: the Cloud Run rules (a dedicated identity, secrets from Secret
Manager) for v1 and v2 functions."""

from __future__ import annotations

from typing import Any

from tests.policy import baselines as b
from tests.policy.credential_fixtures import stripe_live_secret_key
from tests.policy.one_change import DELETE, Case, one_change_test
from tests.policy.support import UNKNOWN, names, resource_outcome

V1 = "gcp:cloudfunctions/function:Function"
V2 = "gcp:cloudfunctionsv2/function:Function"
ACCOUNT = "gcp-cloudfunctions-function-dedicated-service-account"
SECRET_ENV = "gcp-cloudfunctions-function-secret-env-from-secret-manager"
CREDENTIALS = "pack-resource-inputs-no-credentials"
OWN = "hook@my-hibachi-crm.iam.gserviceaccount.com"


def v1() -> dict[str, Any]:
    return {
        "runtime": "python312",
        "entryPoint": "main",
        "serviceAccountEmail": OWN,
        "environmentVariables": {"LOG_LEVEL": "info"},
        "secretEnvironmentVariables": [{"key": "STRIPE_SECRET_KEY", "secret": "s", "version": "1"}],
        "labels": dict(b.LABELS),
    }


def v2() -> dict[str, Any]:
    return {
        "location": "us-central1",
        "buildConfig": {"runtime": "python312", "entryPoint": "main"},
        "serviceConfig": {
            "serviceAccountEmail": OWN,
            "environmentVariables": {"LOG_LEVEL": "info"},
            "secretEnvironmentVariables": [
                {"key": "STRIPE_SECRET_KEY", "projectId": "p", "secret": "s", "version": "1"}
            ],
        },
        "labels": dict(b.LABELS),
    }


V1_CASES: list[Case] = [
    ("serviceAccountEmail", DELETE, {ACCOUNT}),
    ("serviceAccountEmail", "my-hibachi-crm@appspot.gserviceaccount.com", {ACCOUNT}),
    ("environmentVariables.STRIPE_SK", "x", {SECRET_ENV}),
    ("buildEnvironmentVariables", {"NPM_TOKEN": "x"}, {SECRET_ENV}),
    ("environmentVariables.APP_CONFIG", stripe_live_secret_key(), {CREDENTIALS}),
]
V2_CASES: list[Case] = [
    ("serviceConfig.serviceAccountEmail", DELETE, {ACCOUNT}),
    ("serviceConfig.serviceAccountEmail", "1-compute@developer.gserviceaccount.com", {ACCOUNT}),
    ("serviceConfig.environmentVariables.DB_PASS", "x", {SECRET_ENV}),
    ("buildConfig.environmentVariables", {"GITHUB_TOKEN": "x"}, {SECRET_ENV}),
    ("buildConfig.environmentVariables", {"CONFIG": stripe_live_secret_key()}, {CREDENTIALS}),
]

test_baseline_passes_and_one_change_fails_exactly = one_change_test(
    (V1, v1, V1_CASES), (V2, v2, V2_CASES)
)


def test_an_unknown_service_account_is_not_applicable() -> None:
    outcome = resource_outcome(V1, {**v1(), "serviceAccountEmail": UNKNOWN})
    assert ACCOUNT not in {p for p, _, _ in outcome.violations}
    assert outcome.skipped[ACCOUNT] == "serviceAccountEmail is unknown until the update runs"


def test_unknown_env_maps_are_not_applicable_unless_a_known_name_fails() -> None:
    unknown = {**v2(), "buildConfig": {"environmentVariables": UNKNOWN}}
    outcome = resource_outcome(V2, unknown)
    assert SECRET_ENV not in {p for p, _, _ in outcome.violations}
    assert outcome.skipped[SECRET_ENV] == (
        "unknown until the update runs: buildConfig.environmentVariables"
    )
    unknown["serviceConfig"] = {**v2()["serviceConfig"], "environmentVariables": {"DB_PASS": "x"}}
    assert SECRET_ENV in names(V2, unknown)


def test_the_message_names_the_variable_not_its_value() -> None:
    outcome = resource_outcome(
        V2, {**v2(), "serviceConfig": {"environmentVariables": {"DB_PASS": "hunter22"}}}
    )
    messages = [m for p, m, _ in outcome.violations if p == SECRET_ENV]
    assert messages == [
        "Function 'subject': serviceConfig.environmentVariables.DB_PASS looks secret: it must "
        "come from secretEnvironmentVariables (Secret Manager), not a plain env var."
    ]
    assert names(V2, {**v2(), "serviceConfig": {"serviceAccountEmail": OWN}}) == set()
