"""Cloud Run policies: a dedicated service account, secrets only as secret references, and the
log level's floor, and the invoker IAM check left on."""

from __future__ import annotations

import pytest

from tests.policy import baselines as b
from tests.policy.one_change import DELETE, Case, changed, one_change_test
from tests.policy.support import UNKNOWN, names, resource_outcome, run_resource

ACCOUNT = "gcp-cloudrun-workload-dedicated-service-account"
SECRET_ENV = "gcp-cloudrun-workload-secret-env-from-secret-manager"
LOG_LEVEL = "gcp-cloudrun-workload-log-level"
LEVEL_ENV = "template.containers.0.envs.0"
INVOKER = "gcp-cloudrun-service-invoker-iam-checked"


SERVICE_CASES: list[Case] = [
    ("template.serviceAccount", DELETE, {ACCOUNT}),
    ("template.serviceAccount", "123-compute@developer.gserviceaccount.com", {ACCOUNT}),
    (
        "template.containers.0.envs.6",
        {"name": "DATABASE_URL", "value": "postgres://x"},
        {SECRET_ENV},
    ),
    # Also drops LOG_LEVEL, the first env var.
    ("template.containers.0.envs.0", {"name": "STRIPE_SECRET_KEY"}, {SECRET_ENV, LOG_LEVEL}),
    (LEVEL_ENV, {"name": "LOG_LEVEL", "value": "DEBUG"}, {LOG_LEVEL}),
    (LEVEL_ENV, {"name": "LOG_LEVEL", "value": "trace"}, {LOG_LEVEL}),
    (LEVEL_ENV, {"name": "LOG_LEVEL", "value": "10"}, {LOG_LEVEL}),
    (LEVEL_ENV, {"name": "LOG_FORMAT", "value": "json"}, {LOG_LEVEL}),
    # Stricter levels, in any case, and Python's aliases.
    (LEVEL_ENV, {"name": "LOG_LEVEL", "value": "Warning"}, set()),
    (LEVEL_ENV, {"name": "LOG_LEVEL", "value": "warn"}, set()),
    (LEVEL_ENV, {"name": "LOG_LEVEL", "value": "ERROR"}, set()),
    ("invokerIamDisabled", True, {INVOKER}),
    ("invokerIamDisabled", "true", {INVOKER}),
    ("invokerIamDisabled", False, set()),
]
JOB_CASES: list[Case] = [
    ("template.template.serviceAccount", DELETE, {ACCOUNT}),
    ("template.template.containers.0.envs.0", {"name": "LOG_LEVEL", "value": "debug"}, {LOG_LEVEL}),
]


test_baseline_passes_and_one_change_fails_exactly = one_change_test(
    (b.RUN_SERVICE, b.run_service, SERVICE_CASES), (b.RUN_JOB, b.run_job, JOB_CASES)
)


def test_a_legacy_service_is_read_at_its_own_paths() -> None:
    container = {
        "image": "gcr.io/p/api:1",
        "envs": [
            {"name": "SENTRY_DSN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "1"}}},
            {"name": "LOG_LEVEL", "value": "INFO"},
        ],
    }
    service = {
        "location": "us-central1",
        "metadata": {
            "labels": dict(b.LABELS),
            "annotations": {"run.googleapis.com/ingress": "internal-and-cloud-load-balancing"},
        },
        "template": {"spec": {"serviceAccountName": "api@p.iam", "containers": [container]}},
    }
    assert names("gcp:cloudrun/service:Service", service) == set()
    plain = changed(
        service, "template.spec.containers.0.envs.0", {"name": "SENTRY_DSN", "value": "x"}
    )
    assert names("gcp:cloudrun/service:Service", plain) == {SECRET_ENV}


def test_the_log_level_floor_comes_from_the_policy_config() -> None:
    debug = changed(b.run_service(), LEVEL_ENV, {"name": "LOG_LEVEL", "value": "DEBUG"})
    assert run_resource(b.RUN_SERVICE, debug) == [
        (
            LOG_LEVEL,
            "Service 'subject': template.containers[0].envs[0] (LOG_LEVEL) must be one of INFO, "
            "WARNING, ERROR, CRITICAL.",
        )
    ]
    assert names(b.RUN_SERVICE, debug, stack="staging") == set()


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        (
            {"name": "LOG_LEVEL", "value": UNKNOWN},
            "template.containers[0].envs[0].value is unknown until the update runs",
        ),
        (
            {"name": "LOG_LEVEL", "valueSource": {"secretKeyRef": {"secret": "s", "version": "1"}}},
            "template.containers[0].envs[0] (LOG_LEVEL) comes from a secret or a reference",
        ),
    ],
)
def test_a_log_level_that_cannot_be_read_is_not_applicable(
    env: dict[str, object], reason: str
) -> None:
    outcome = resource_outcome(b.RUN_SERVICE, changed(b.run_service(), LEVEL_ENV, env))
    assert outcome.only_declined() == {
        LOG_LEVEL: f"could not verify the LOG_LEVEL floor: Service 'subject': {reason}"
    }


def test_unknown_env_lists_are_not_read_as_absent() -> None:
    outcome = resource_outcome(
        b.RUN_SERVICE, changed(b.run_service(), "template.containers.0.envs", UNKNOWN)
    )
    assert outcome.violations == []
    assert LOG_LEVEL in outcome.skipped


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
