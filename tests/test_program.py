"""The whole program on both stacks: components wired to each other and to the stack's settings.

Component behaviour is tested on fixture args in tests/components; these tests check only what
composing them adds, reading the expected values from each stack's own settings.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from components.monitoring.channels import CHANNEL_TYPES
from components.monitoring.severity import ESCALATIONS
from preflight.capture import Capture, mock_zone_id
from preflight.stack_file import read_stack_config
from preflight.values import is_secret, unwrapped
from settings import StackSettings, load_settings
from tests.conftest import PROJECT_DIR, STACKS, RunWithConfig, captured, stack_document

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"
SECRET = "gcp:secretmanager/secret:Secret"
VERSION = "gcp:secretmanager/secretVersion:SecretVersion"
BUCKET = "gcp:storage/bucket:Bucket"
CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel"
KEY = "gcp:kms/cryptoKey:CryptoKey"
STATEFUL = (
    INSTANCE,
    "gcp:redis/instance:Instance",
    BUCKET,
    KEY,
    "gcp:kms/keyRing:KeyRing",
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
            "backups:CodeBackups",
            "backups:SecretBackupKey",
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
    expected_policy = "PREVENT" if settings.protect_stateful_resources else "DELETE"
    assert capture.one(KEY).inputs["deletionPolicy"] == expected_policy


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


def test_every_cloudflare_resource_is_in_the_zone_found_by_its_name(
    stack: tuple[Capture, StackSettings], run_with_config: RunWithConfig
) -> None:
    capture, settings = stack
    assert settings.edge.zone_id is None  # the shipped stack files pin no id
    cloudflare = [r for r in capture.resources if r.type.startswith("cloudflare:")]
    assert cloudflare
    # Offline, the lookup's id is derived from the zone's name: known at preview, as with the CLI.
    assert {r.inputs["zoneId"] for r in cloudflare} == {mock_zone_id(settings.domain.zone)}
    document = stack_document(capture.stack)
    document["config"]["myhibachi:edge"]["zoneId"] = "a" * 32
    pinned = run_with_config(capture.stack, document)
    assert {r.inputs["zoneId"] for r in pinned.resources if r.type.startswith("cloudflare:")} == {
        "a" * 32
    }


def test_backups_export_the_stacks_database(stack: tuple[Capture, StackSettings]) -> None:
    capture, settings = stack
    workflow = unwrapped(capture.one("gcp:workflows/workflow:Workflow").inputs)
    assert f"instance: {capture.one(INSTANCE).outputs['name']}" in workflow["sourceContents"]
    assert f'databases: ["{settings.database.name}"]' in workflow["sourceContents"]
    grant = unwrapped(
        capture.one("gcp:storage/bucketIAMMember:BucketIAMMember", "backups-sql-writer").inputs
    )
    account = capture.one(INSTANCE).outputs["serviceAccountEmailAddress"]
    assert grant["member"] == f"serviceAccount:{account}"


def test_outputs_name_what_runbooks_need(stack: tuple[Capture, StackSettings]) -> None:
    capture, settings = stack
    outputs = capture.stack_outputs
    assert outputs["hosts"] == settings.domain.hosts
    assert outputs["backupBucket"] == capture.one(BUCKET, "backups-bucket").outputs["name"]
    assert outputs["codeBackupBucket"] == capture.one(BUCKET, "code-backups-bucket").outputs["name"]
    writer = capture.one("gcp:serviceaccount/account:Account", "code-backups-writer")
    assert outputs["codeBackupServiceAccount"] == writer.outputs["email"]
    # The key's full name follows from the stack file: the script's default is the output.
    assert outputs["secretBackupKey"] == settings.secret_backup_key == capture.one(KEY).id
    assert outputs["sqlConnectionName"] == capture.one(INSTANCE).outputs["connectionName"]
    assert set(outputs["secretIds"]) == {spec.name for spec in settings.secrets.catalog}


def test_the_secret_backups_key_is_the_stacks(stack: tuple[Capture, StackSettings]) -> None:
    capture, settings = stack
    backups = settings.secret_backups
    key = unwrapped(capture.one(KEY).inputs)
    assert key["rotationPeriod"] == f"{backups.rotation_days * 86_400}s"
    ring = unwrapped(capture.one("gcp:kms/keyRing:KeyRing").inputs)
    assert (ring["project"], ring["location"]) == (settings.project, backups.location)
    policy = unwrapped(capture.one("gcp:kms/cryptoKeyIAMPolicy:CryptoKeyIAMPolicy").inputs)
    bindings = {b["role"]: b["members"] for b in json.loads(policy["policyData"])["bindings"]}
    assert bindings == {
        "roles/cloudkms.cryptoKeyDecrypter": [f"group:{backups.break_glass_group}"],
        "roles/cloudkms.cryptoKeyEncrypter": sorted(backups.exporters),
    }


def test_the_code_backup_writer_only_adds_to_its_bucket(
    stack: tuple[Capture, StackSettings],
) -> None:
    capture, settings = stack
    bucket = capture.one(BUCKET, "code-backups-bucket")
    inputs = unwrapped(bucket.inputs)
    assert inputs["retentionPolicy"]["retentionPeriod"] == str(
        settings.code_backups.retention_days * 86_400
    )
    assert inputs["location"] == settings.code_backups.location
    assert bucket.protect is settings.protect_stateful_resources
    writer = capture.one("gcp:serviceaccount/account:Account", "code-backups-writer")
    member = f"serviceAccount:{writer.outputs['email']}"
    grants = [
        (r.type, unwrapped(r.inputs))
        for r in capture.resources
        if ("IAM" in r.type or "Iam" in r.type) and member in json.dumps(unwrapped(r.inputs))
    ]
    assert grants == [
        (
            "gcp:storage/bucketIAMMember:BucketIAMMember",
            {
                "bucket": bucket.outputs["name"],
                "role": "roles/storage.objectCreator",
                "member": member,
            },
        )
    ]


def test_each_severity_notifies_the_channels_the_stack_file_routes_it_to(
    stack: tuple[Capture, StackSettings],
) -> None:
    capture, settings = stack
    channel_names = {
        r.name.removeprefix("monitoring-channel-"): r.outputs["name"]
        for r in capture.by_type(CHANNEL)
    }
    assert sorted(channel_names) == sorted(c.name for c in settings.alerts.channels)
    for channel in settings.alerts.channels:
        declared = unwrapped(capture.one(CHANNEL, f"monitoring-channel-{channel.name}").inputs)
        assert declared["type"] == CHANNEL_TYPES[channel.settings.type]
    for policy in capture.by_type("gcp:monitoring/alertPolicy:AlertPolicy"):
        inputs = unwrapped(policy.inputs)
        routed = settings.alerts.notify.of(ESCALATIONS[inputs["severity"]].setting)
        assert inputs["notificationChannels"] == [channel_names[n] for n in routed], policy.urn


def test_the_webhook_url_is_read_from_its_secret_and_stays_one(
    stack: tuple[Capture, StackSettings],
) -> None:
    capture, settings = stack
    for name, secret in settings.alerts.url_secrets.items():
        channel = capture.one(CHANNEL, f"monitoring-channel-{name}")
        labels = channel.inputs["labels"]
        url = labels["url"] if isinstance(labels, dict) and "url" in labels else None
        assert url is not None and is_secret(url), channel.urn
        # The mocks answer a read of a secret with data derived from the secret's name.
        digest = hashlib.sha256(secret.encode()).hexdigest()[:7]
        assert unwrapped(url) == f"mock-secret-data-{digest}", channel.urn


def test_before_the_values_exist_nothing_is_read_at_deploy_time(
    run_with_config: RunWithConfig,
) -> None:
    document = stack_document("production")
    document["config"]["myhibachi:secrets"]["valuesReady"] = False
    capture = run_with_config("production", document)
    assert [r.name for r in capture.by_type(CHANNEL)] == ["monitoring-channel-devops-email"]
    variables = capture.by_type(
        "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable"
    )
    assert not any(v.inputs["key"].endswith("STRIPE_PUBLISHABLE_KEY") for v in variables)


def test_the_api_writes_traces_and_the_apis_are_enabled(
    stack: tuple[Capture, StackSettings],
) -> None:
    capture, _ = stack
    api = capture.one("gcp:serviceaccount/account:Account", "identities-api")
    roles = {
        unwrapped(g.inputs)["role"]
        for g in capture.by_type("gcp:projects/iAMMember:IAMMember")
        if unwrapped(g.inputs)["member"] == f"serviceAccount:{api.outputs['email']}"
    }
    assert "roles/cloudtrace.agent" in roles
    enabled = {s.inputs["service"] for s in capture.by_type("gcp:projects/service:Service")}
    assert {"cloudtrace.googleapis.com", "cloudkms.googleapis.com"} <= enabled
