"""Cloud Run policies: a dedicated service account, and secrets only as secret references."""

from __future__ import annotations

from tests.policy import baselines as b
from tests.policy.support import (
    DELETE,
    UNKNOWN,
    Case,
    changed,
    names,
    one_change_test,
    resource_outcome,
)

ACCOUNT = "gcp-cloudrun-workload-dedicated-service-account"
SECRET_ENV = "gcp-cloudrun-workload-secret-env-from-secret-manager"
INVOKER = "gcp-cloudrun-service-invoker-iam-checked"


SERVICE_CASES: list[Case] = [
    ("template.serviceAccount", DELETE, {ACCOUNT}),
    ("template.serviceAccount", "123-compute@developer.gserviceaccount.com", {ACCOUNT}),
    (
        "template.containers.0.envs.6",
        {"name": "DATABASE_URL", "value": "postgres://x"},
        {SECRET_ENV},
    ),
    ("template.containers.0.envs.0", {"name": "STRIPE_SECRET_KEY"}, {SECRET_ENV}),
    ("invokerIamDisabled", True, {INVOKER}),
    ("invokerIamDisabled", "true", {INVOKER}),
    ("invokerIamDisabled", False, set()),
]
JOB_CASES: list[Case] = [("template.template.serviceAccount", DELETE, {ACCOUNT})]


test_baseline_passes_and_one_change_fails_exactly = one_change_test(
    (b.RUN_SERVICE, b.run_service, SERVICE_CASES), (b.RUN_JOB, b.run_job, JOB_CASES)
)


def test_a_legacy_service_is_read_at_its_own_paths() -> None:
    container = {
        "image": "gcr.io/p/api:1",
        "envs": [{"name": "SENTRY_DSN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "1"}}}],
    }
    service = {
        "location": "us-central1",
        "metadata": {"labels": dict(b.LABELS)},
        "template": {"spec": {"serviceAccountName": "api@p.iam", "containers": [container]}},
    }
    assert names("gcp:cloudrun/service:Service", service) == set()
    plain = changed(
        service, "template.spec.containers.0.envs.0", {"name": "SENTRY_DSN", "value": "x"}
    )
    assert names("gcp:cloudrun/service:Service", plain) == {SECRET_ENV}


def test_turning_the_invoker_check_off_is_allusers_by_another_name() -> None:
    # The same intent as an allUsers grant: v2 by a property, v1 by an annotation.
    v1 = {
        "location": "us-central1",
        "metadata": {
            "labels": dict(b.LABELS),
            "annotations": {"run.googleapis.com/invoker-iam-disabled": "true"},
        },
        "template": {"spec": {"serviceAccountName": "api@p.iam", "containers": []}},
    }
    outcome = resource_outcome("gcp:cloudrun/service:Service", v1)
    assert [m for p, m, _ in outcome.violations if p == INVOKER] == [
        "Service 'subject': metadata.annotations[run.googleapis.com/invoker-iam-disabled] must "
        "not be true: it lets anyone invoke the service without an IAM grant; grant "
        "roles/run.invoker instead (a public one is an allowedPublicGrants entry of "
        "gcp-iam-member-allowed-principals)."
    ]
    unknown = resource_outcome(b.RUN_SERVICE, {**b.run_service(), "invokerIamDisabled": UNKNOWN})
    assert unknown.violations == []
    assert unknown.skipped[INVOKER] == "invokerIamDisabled is unknown until the update runs"
