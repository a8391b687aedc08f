"""Cloud Run policies: a dedicated service account, and secrets only as secret references."""

from __future__ import annotations

from tests.policy import baselines as b
from tests.policy.support import DELETE, Case, changed, names, one_change_test

ACCOUNT = "gcp-cloudrun-workload-dedicated-service-account"
SECRET_ENV = "gcp-cloudrun-workload-secret-env-from-secret-manager"


SERVICE_CASES: list[Case] = [
    ("template.serviceAccount", DELETE, {ACCOUNT}),
    ("template.serviceAccount", "123-compute@developer.gserviceaccount.com", {ACCOUNT}),
    (
        "template.containers.0.envs.6",
        {"name": "DATABASE_URL", "value": "postgres://x"},
        {SECRET_ENV},
    ),
    ("template.containers.0.envs.0", {"name": "STRIPE_SECRET_KEY"}, {SECRET_ENV}),
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
