"""The API on Cloud Run: own identity, secret references, private egress, reachable only through
its load balancer, and the migration job."""

from __future__ import annotations

from typing import Any

from pulumi_gcp import secretmanager

from components.api_runtime import ApiRuntime, ApiRuntimeArgs
from preflight.capture import Capture, CapturedResource
from preflight.values import unwrapped
from settings.api_runtime import ApiSettings
from tests.components.fixtures import (
    LABELS,
    NETWORK_ID,
    PROJECT,
    REGION,
    SUBNET_ID,
    member,
    secret_id,
)
from tests.components.inventory import capture_fixture, inventory_test, protection_scenarios, run

SERVICE = "gcp:cloudrunv2/service:Service"
JOB = "gcp:cloudrunv2/job:Job"
ACCOUNT = f"fixture-api@{PROJECT}.iam.gserviceaccount.com"
SETTINGS = ApiSettings(
    health_path="/healthz",
    image="europe-docker.pkg.dev/fixture/api/api:2.4.1",
    log_level="WARNING",
    max_instances=7,
    min_instances=2,
    cpu="2",
    memory="1Gi",
)
ENV = {"LOG_LEVEL": "WARNING", "FEATURE_FLAG_FIXTURE": "true"}
SECRETS = {"PAYMENT_KEY": secret_id("global-PAYMENT_KEY")}


def _api(protect: bool) -> None:
    # A stand-in for what the workloads wait for: a secret's first version.
    version = secretmanager.SecretVersion(
        "first-version", secret=secret_id("global-PAYMENT_KEY"), secret_data="fixture"
    )
    ApiRuntime(
        "api",
        ApiRuntimeArgs(
            api_host="api.example.test",
            env_vars=ENV,
            network_id=NETWORK_ID,
            project=PROJECT,
            region=REGION,
            secret_env=SECRETS,
            service_account_email=ACCOUNT,
            service_account_member=member("fixture-api"),
            settings=SETTINGS,
            subnet_id=SUBNET_ID,
            depends_on=[version],
            labels=LABELS,
            protect=protect,
        ),
    )


SCENARIOS = protection_scenarios("api_runtime", _api)


test_matches_its_inventory = inventory_test(SCENARIOS)


api = capture_fixture(SCENARIOS[0])


def _template(resource: CapturedResource) -> dict[str, Any]:
    template: dict[str, Any] = unwrapped(resource.inputs["template"])
    return template["template"] if resource.type == JOB else template


def _container(resource: CapturedResource) -> dict[str, Any]:
    [container] = _template(resource)["containers"]
    return dict(container)


def _workloads(capture: Capture) -> list[CapturedResource]:
    return [capture.one(SERVICE), capture.one(JOB)]


def test_reachable_only_through_a_load_balancer(api: Capture) -> None:
    service = unwrapped(api.one(SERVICE).inputs)
    assert service["ingress"] == "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
    assert service["defaultUriDisabled"] is True
    assert not api.by_type("gcp:cloudrun/domainMapping:DomainMapping")
    # Public behind the load balancer, by an explicit grant (the invoker check stays on).
    assert "invokerIamDisabled" not in service
    invoker = unwrapped(api.one("gcp:cloudrunv2/serviceIamMember:ServiceIamMember").inputs)
    assert (invoker["role"], invoker["member"]) == ("roles/run.invoker", "allUsers")


def test_plain_env_is_the_given_one_and_secrets_are_references(api: Capture) -> None:
    for workload in _workloads(api):
        envs = _container(workload)["envs"]
        assert {e["name"]: e["value"] for e in envs if "value" in e} == ENV, workload.urn
        refs = {e["name"]: e["valueSource"]["secretKeyRef"] for e in envs if "valueSource" in e}
        assert refs == {
            "PAYMENT_KEY": {"secret": secret_id("global-PAYMENT_KEY"), "version": "latest"}
        }, workload.urn


def test_runs_as_the_given_identity_with_four_project_roles(api: Capture) -> None:
    for workload in _workloads(api):
        assert _template(workload)["serviceAccount"] == ACCOUNT, workload.urn
    grants = [unwrapped(g.inputs) for g in api.by_type("gcp:projects/iAMMember:IAMMember")]
    assert {g["member"] for g in grants} == {member("fixture-api")}
    # Cloud Trace: the API writes its request traces (the dashboard links to them).
    assert sorted(g["role"] for g in grants) == [
        "roles/cloudsql.client",
        "roles/cloudtrace.agent",
        "roles/logging.logWriter",
        "roles/monitoring.metricWriter",
    ]


def test_egress_to_private_ranges_through_the_given_subnet(api: Capture) -> None:
    for workload in _workloads(api):
        access = _template(workload)["vpcAccess"]
        assert access["egress"] == "PRIVATE_RANGES_ONLY"
        assert access["networkInterfaces"] == [{"network": NETWORK_ID, "subnetwork": SUBNET_ID}]


def test_image_size_scaling_and_probes_follow_the_settings(api: Capture) -> None:
    template = _template(api.one(SERVICE))
    assert template["scaling"] == {"minInstanceCount": 2, "maxInstanceCount": 7}
    container = _container(api.one(SERVICE))
    assert container["image"] == SETTINGS.image
    assert container["resources"]["limits"] == {"cpu": "2", "memory": "1Gi"}
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"


def test_migration_job_runs_alembic_once_with_the_service_image(api: Capture) -> None:
    job, service = _container(api.one(JOB)), _container(api.one(SERVICE))
    assert [*job["commands"], *job["args"]] == ["alembic", "upgrade", "head"]
    assert job["image"] == service["image"]
    assert _template(api.one(JOB))["maxRetries"] == 0


def test_workloads_wait_for_their_roles_and_what_they_were_given(api: Capture) -> None:
    version = api.one("gcp:secretmanager/secretVersion:SecretVersion")
    roles = {g.urn for g in api.by_type("gcp:projects/iAMMember:IAMMember")}
    for workload in _workloads(api):
        assert {version.urn, *roles} <= set(workload.dependencies), workload.urn


def test_deletion_protection_follows_the_args(api: Capture) -> None:
    assert all(w.inputs["deletionProtection"] is True for w in _workloads(api))
    destroyable = run(SCENARIOS[1])
    assert all(w.inputs["deletionProtection"] is False for w in _workloads(destroyable))
