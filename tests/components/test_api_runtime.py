"""The API on Cloud Run: own identity, secret references, flags, private egress, migrations."""

from __future__ import annotations

from typing import Any

import pytest

from preflight.capture import Capture, CapturedResource
from preflight.values import unwrapped
from tests.conftest import captured

SERVICE = "gcp:cloudrunv2/service:Service"
JOB = "gcp:cloudrunv2/job:Job"
PROJECT_IAM = "gcp:projects/iAMMember:IAMMember"
SECRET_ENV = {
    "DATABASE_URL": "{env}-backend-DATABASE_URL",
    "GOOGLE_MAPS_SERVER_KEY": "{env}-global-GOOGLE_MAPS_SERVER_KEY",
    "OPENAI_API_KEY": "{env}-global-OPENAI_API_KEY",
    "REDIS_URL": "{env}-backend-REDIS_URL",
    "SENTRY_DSN": "{env}-backend-SENTRY_DSN",
    "STRIPE_SECRET_KEY": "{env}-global-STRIPE_SECRET_KEY",
}
FLAGS = {
    "staging": {
        "FEATURE_FLAG_AI_BOOKING_V3": "true",
        "FEATURE_FLAG_AUDIT_LOGGING": "true",
        "FEATURE_FLAG_TRAVEL_FEE_V2": "false",
    },
    "production": {
        "FEATURE_FLAG_AI_BOOKING_V3": "false",
        "FEATURE_FLAG_AUDIT_LOGGING": "true",
        "FEATURE_FLAG_TRAVEL_FEE_V2": "false",
    },
}
ENVS = {"staging": "staging", "production": "prod"}


def _container(resource: CapturedResource) -> dict[str, Any]:
    template = unwrapped(resource.inputs["template"])
    if resource.type == JOB:
        template = template["template"]
    containers: list[dict[str, Any]] = template["containers"]
    assert len(containers) == 1, resource.urn
    return containers[0]


def _workloads(capture: Capture) -> list[CapturedResource]:
    return [capture.one(SERVICE), capture.one(JOB)]


def _plain_env(resource: CapturedResource) -> dict[str, str]:
    return {e["name"]: e["value"] for e in _container(resource)["envs"] if "value" in e}


@pytest.mark.parametrize("stack", ["staging", "production"])
def test_plain_env_carries_stack_log_level_and_backend_flags(stack: str) -> None:
    level = {"staging": "DEBUG", "production": "INFO"}[stack]
    for workload in _workloads(captured(stack)):
        env = _plain_env(workload)
        assert env["LOG_LEVEL"] == level, workload.urn
        assert env["ENVIRONMENT"] == stack, workload.urn
        assert {k: v for k, v in env.items() if k.startswith("FEATURE_FLAG_")} == FLAGS[stack]


@pytest.mark.parametrize("stack", ["staging", "production"])
def test_secrets_are_references_to_the_stacks_own_secrets(stack: str) -> None:
    capture = captured(stack)
    for workload in _workloads(capture):
        refs = {
            e["name"]: e["valueSource"]["secretKeyRef"]
            for e in _container(workload)["envs"]
            if "valueSource" in e
        }
        assert sorted(refs) == sorted(SECRET_ENV), workload.urn
        for name, ref in refs.items():
            secret = SECRET_ENV[name].format(env=ENVS[stack])
            assert ref == {
                "secret": f"projects/{capture_project(capture)}/secrets/{secret}",
                "version": "latest",
            }, (workload.urn, name)


def capture_project(capture: Capture) -> str:
    return str(capture.one(SERVICE).inputs["project"])


def test_no_env_var_carries_a_secret_as_a_plain_value(any_stack: Capture) -> None:
    secretish = (
        "SECRET",
        "PASSWORD",
        "TOKEN",
        "KEY",
        "DSN",
        "DATABASE_URL",
        "REDIS_URL",
        "PRIVATE",
    )
    for workload in _workloads(any_stack):
        for name in _plain_env(workload):
            assert not any(word in name for word in secretish), (workload.urn, name)


def test_runs_as_the_dedicated_api_identity(any_stack: Capture) -> None:
    email = any_stack.one("gcp:serviceaccount/account:Account", "identities-api").outputs["email"]
    assert not email.endswith("-compute@developer.gserviceaccount.com")
    service = unwrapped(any_stack.one(SERVICE).inputs["template"])
    job = unwrapped(any_stack.one(JOB).inputs["template"])["template"]
    assert service["serviceAccount"] == email
    assert job["serviceAccount"] == email


def test_api_identity_has_only_the_three_project_roles(any_stack: Capture) -> None:
    api = any_stack.one("gcp:serviceaccount/account:Account", "identities-api")
    member = f"serviceAccount:{api.outputs['email']}"
    roles = sorted(
        unwrapped(r.inputs)["role"]
        for r in any_stack.by_type(PROJECT_IAM)
        if unwrapped(r.inputs)["member"] == member
    )
    assert roles == [
        "roles/cloudsql.client",
        "roles/logging.logWriter",
        "roles/monitoring.metricWriter",
    ]


def test_egress_to_private_ranges_through_the_stacks_subnet(any_stack: Capture) -> None:
    subnet = any_stack.one("gcp:compute/subnetwork:Subnetwork")
    service = unwrapped(any_stack.one(SERVICE).inputs["template"])
    job = unwrapped(any_stack.one(JOB).inputs["template"])["template"]
    for access in (service["vpcAccess"], job["vpcAccess"]):
        assert access["egress"] == "PRIVATE_RANGES_ONLY"
        assert [i["subnetwork"] for i in access["networkInterfaces"]] == [subnet.id]


@pytest.mark.parametrize(("stack", "minimum"), [("staging", 0), ("production", 1)])
def test_min_instances_per_stack(stack: str, minimum: int) -> None:
    scaling = unwrapped(captured(stack).one(SERVICE).inputs["template"])["scaling"]
    assert scaling["minInstanceCount"] == minimum


def test_migration_job_runs_alembic_with_the_service_image(any_stack: Capture) -> None:
    job, service = _container(any_stack.one(JOB)), _container(any_stack.one(SERVICE))
    assert [*job["commands"], *job["args"]] == ["alembic", "upgrade", "head"]
    assert job["image"] == service["image"]
    assert unwrapped(any_stack.one(JOB).inputs["template"])["template"]["maxRetries"] == 0


def test_workloads_wait_for_secret_access_and_first_versions(any_stack: Capture) -> None:
    accessors = any_stack.by_type("gcp:secretmanager/secretIamMember:SecretIamMember")
    versions = any_stack.by_type("gcp:secretmanager/secretVersion:SecretVersion")
    assert accessors
    assert len(versions) == 3
    for workload in _workloads(any_stack):
        missing = {r.urn for r in (*accessors, *versions)} - set(workload.dependencies)
        assert not missing, (workload.urn, missing)


@pytest.mark.parametrize(
    ("stack", "host"),
    [("staging", "api-staging.myhibachichef.com"), ("production", "api.myhibachichef.com")],
)
def test_public_api_answers_at_the_stacks_api_host(stack: str, host: str) -> None:
    capture = captured(stack)
    mapping = unwrapped(capture.one("gcp:cloudrun/domainMapping:DomainMapping").inputs)
    assert mapping["name"] == host
    assert mapping["spec"]["routeName"] == capture.one(SERVICE).outputs["name"]
    assert unwrapped(capture.one(SERVICE).inputs)["ingress"] == "INGRESS_TRAFFIC_ALL"
    invoker = unwrapped(capture.one("gcp:cloudrunv2/serviceIamMember:ServiceIamMember").inputs)
    assert (invoker["role"], invoker["member"]) == ("roles/run.invoker", "allUsers")
    assert capture.stack_outputs["apiUrl"] == f"https://{host}"
    assert capture.stack_outputs["apiServiceUri"].endswith(".run.app")
