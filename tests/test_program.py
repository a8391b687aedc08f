"""The whole program on both stacks: components wired to each other and to the stack's settings.

Component behaviour is tested on fixture args in tests/components; these tests check only what
composing them adds, reading the expected values from each stack's own settings.
"""

from __future__ import annotations

import pytest

from preflight.capture import Capture
from preflight.stack_file import read_stack_config
from preflight.values import unwrapped
from settings import StackSettings, load_settings
from tests.conftest import PROJECT_DIR, STACKS, captured

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"
SECRET = "gcp:secretmanager/secret:Secret"
VERSION = "gcp:secretmanager/secretVersion:SecretVersion"
STATEFUL = (
    INSTANCE,
    "gcp:redis/instance:Instance",
    "gcp:storage/bucket:Bucket",
)


def _settings(stack: str) -> StackSettings:
    return load_settings(stack, read_stack_config(PROJECT_DIR, stack).values)


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> tuple[Capture, StackSettings]:
    return captured(request.param), _settings(request.param)


def test_every_component_is_declared_once(stack: tuple[Capture, StackSettings]) -> None:
    capture, _ = stack
    components = sorted(r.type for r in capture.resources if not r.custom)
    assert components == sorted(
        f"myhibachi:{token}"
        for token in (
            "api:ApiIngress",
            "api:ApiRuntime",
            "audit:AuditLogging",
            "backups:Backups",
            "cache:Cache",
            "database:Database",
            "edge:Edge",
            "frontends:Frontends",
            "identities:WorkloadIdentities",
            "keys:MapsApiKeys",
            "monitoring:Monitoring",
            "network:PrivateNetwork",
            "secrets:SecretCatalog",
            "services:ProjectServices",
        )
    )


def test_stateful_resources_are_protected_as_the_stack_says(
    stack: tuple[Capture, StackSettings],
) -> None:
    capture, settings = stack
    for resource in (r for r in capture.resources if r.type in STATEFUL):
        assert resource.protect is settings.protect_stateful_resources, resource.urn
    for secret in capture.by_type(SECRET):
        assert secret.inputs["deletionProtection"] is settings.protect_stateful_resources


def test_the_catalog_is_the_stacks_and_generated_values_land_in_it(
    stack: tuple[Capture, StackSettings],
) -> None:
    capture, settings = stack
    ids = sorted(r.inputs["secretId"] for r in capture.by_type(SECRET))
    assert ids == sorted(spec.name for spec in settings.secrets.catalog)
    written = sorted(v.inputs["secret"].rsplit("/", 1)[-1] for v in capture.by_type(VERSION))
    assert written == sorted(spec.name for spec in settings.secrets.catalog if spec.generated_by)


def test_the_api_identity_reads_exactly_the_secrets_that_name_it(
    stack: tuple[Capture, StackSettings],
) -> None:
    capture, settings = stack
    api = capture.one("gcp:serviceaccount/account:Account", "identities-api")
    bound = sorted(
        unwrapped(b.inputs)["secretId"]
        for b in capture.by_type("gcp:secretmanager/secretIamMember:SecretIamMember")
        if unwrapped(b.inputs)["member"] == f"serviceAccount:{api.outputs['email']}"
    )
    assert bound == sorted(s.name for s in settings.secrets.catalog if "api" in s.accessors)


def test_the_database_waits_for_private_service_access(
    stack: tuple[Capture, StackSettings],
) -> None:
    capture, _ = stack
    connection = capture.one("gcp:servicenetworking/connection:Connection")
    assert connection.urn in capture.one(INSTANCE).dependencies
    network = capture.one("gcp:compute/network:Network")
    ip = unwrapped(capture.one(INSTANCE).inputs)["settings"]["ipConfiguration"]
    assert ip["privateNetwork"] == network.id


def test_the_maps_browser_key_admits_the_stacks_own_sites(
    stack: tuple[Capture, StackSettings],
) -> None:
    capture, settings = stack
    key = capture.one("gcp:projects/apiKey:ApiKey", "maps-browser-key")
    restrictions = unwrapped(key.inputs)["restrictions"]
    assert restrictions["browserKeyRestrictions"]["allowedReferrers"] == [
        f"https://{settings.domain.site}/*",
        f"https://{settings.domain.admin}/*",
    ]
    # The sites receive it; the API reads only the server key's secret.
    variables = capture.by_type(
        "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable"
    )
    assert sum(v.inputs["key"] == "NEXT_PUBLIC_GOOGLE_MAPS_BROWSER_KEY" for v in variables) == 2


def test_the_api_is_reached_only_through_cloudflare_and_its_load_balancer(
    stack: tuple[Capture, StackSettings],
) -> None:
    capture, settings = stack
    service = unwrapped(capture.one("gcp:cloudrunv2/service:Service").inputs)
    assert service["ingress"] == "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
    neg = capture.one("gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup")
    assert unwrapped(neg.inputs)["cloudRun"] == {
        "service": capture.one("gcp:cloudrunv2/service:Service").outputs["name"]
    }
    records = {
        r.inputs["name"]: unwrapped(r.inputs)
        for r in capture.by_type("cloudflare:index/dnsRecord:DnsRecord")
    }
    address = capture.one("gcp:compute/globalAddress:GlobalAddress", "api-ingress-address")
    api = records[settings.domain.api]
    assert (api["type"], api["content"], api["proxied"]) == ("A", address.outputs["address"], True)
    authorization = capture.one("gcp:certificatemanager/dnsAuthorization:DnsAuthorization")
    [record] = authorization.outputs["dnsResourceRecords"]
    assert records[record["name"].removesuffix(".")]["proxied"] is False
    ranges = settings.edge.cloudflare_ranges
    policy = unwrapped(capture.one("gcp:compute/securityPolicy:SecurityPolicy").inputs)
    admitted = {
        r
        for rule in policy["rules"]
        if rule["action"] == "allow"
        for r in rule["match"]["config"]["srcIpRanges"]
    }
    assert admitted == {*ranges.ipv4, *ranges.ipv6}


def test_backups_export_the_stacks_database(stack: tuple[Capture, StackSettings]) -> None:
    capture, settings = stack
    workflow = unwrapped(capture.one("gcp:workflows/workflow:Workflow").inputs)
    assert f"instance: {capture.one(INSTANCE).outputs['name']}" in workflow["sourceContents"]
    assert f'databases: ["{settings.database.name}"]' in workflow["sourceContents"]
    grant = unwrapped(capture.one("gcp:storage/bucketIAMMember:BucketIAMMember").inputs)
    account = capture.one(INSTANCE).outputs["serviceAccountEmailAddress"]
    assert grant["member"] == f"serviceAccount:{account}"


def test_outputs_name_what_runbooks_need(stack: tuple[Capture, StackSettings]) -> None:
    capture, settings = stack
    outputs = capture.stack_outputs
    assert outputs["hosts"] == settings.domain.hosts
    assert outputs["backupBucket"] == capture.one("gcp:storage/bucket:Bucket").outputs["name"]
    assert outputs["sqlConnectionName"] == capture.one(INSTANCE).outputs["connectionName"]
    assert set(outputs["secretIds"]) == {spec.name for spec in settings.secrets.catalog}
