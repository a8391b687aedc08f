"""`--format tfplan`: the Terraform plan export's shape, names, secrets, unknowns and mapping."""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import typing
from typing import Any

import pytest

from preflight import capture as capture_module
from preflight.capture import Capture, CapturedResource
from preflight.cli import main
from preflight.tfplan import export_plan, render_plan
from preflight.tfplan.plan import SECRET_MARKER
from preflight.tfplan.schema import FIELDS_FILE, mapped_tokens, resource_schema, terraform_name
from preflight.values import OUTPUT_SIG, SECRET_SIG, SIG_KEY, UNKNOWN
from scripts.bridge_names import pluralize, pulumi_names
from scripts.tfplan_fields import find_metadata
from tests.conftest import PROJECT_DIR, run_preflight, run_python
from tests.preflight.canary import plant_canary

# Credential-shaped, assembled here so that no such literal sits in the repository.
CANARY = "sk_" + "live_" + "51Hq" + "CanaryValue" + "0123456789abcdef"


def _gcp_resources(capture: Capture) -> list[CapturedResource]:
    return [r for r in capture.resources if r.custom and r.type.startswith("gcp:")]


def _planned(document: dict[str, Any], address: str) -> dict[str, Any]:
    resources = document["planned_values"]["root_module"]["resources"]
    found: dict[str, Any] = next(r for r in resources if r["address"] == address)
    return found


def test_every_declared_gcp_type_has_a_mapping(any_stack: Capture) -> None:
    missing = sorted({r.type for r in _gcp_resources(any_stack)} - mapped_tokens())
    assert not missing, (
        f"no Terraform mapping for {missing}: run .venv/bin/python scripts/tfplan_fields.py"
    )


def test_every_gcp_resource_is_exported_and_every_property_mapped(any_stack: Capture) -> None:
    exported = export_plan(any_stack)
    assert exported.warnings == []
    assert sorted(exported.addresses.values()) == sorted(r.urn for r in _gcp_resources(any_stack))
    assert all(not token.startswith("gcp:") for token in exported.skipped_types)
    # Checkov knows no Cloudflare, Vercel or random type: those stay out of the plan.
    assert {token.split(":")[0] for token in exported.skipped_types} <= {
        "cloudflare",
        "vercel",
        "random",
    }


def test_plan_has_the_terraform_show_json_shape(production: Capture) -> None:
    document = export_plan(production).document
    assert document["format_version"] == "1.2"
    assert "terraform_version" in document
    planned = document["planned_values"]["root_module"]["resources"]
    changes = document["resource_changes"]
    configured = document["configuration"]["root_module"]["resources"]
    addresses = [r["address"] for r in planned]
    assert addresses == sorted(addresses) and len(set(addresses)) == len(addresses)
    assert [c["address"] for c in changes] == addresses
    assert [c["address"] for c in configured] == addresses
    assert len(addresses) == len(_gcp_resources(production))
    for resource in planned:
        assert resource["mode"] == "managed"
        assert resource["address"] == f"{resource['type']}.{resource['name']}"
    assert {tuple(c["change"]["actions"]) for c in changes} == {("create",)}


def test_nested_blocks_are_lists_and_names_are_terraform_names(production: Capture) -> None:
    document = export_plan(production).document
    instance = _planned(document, "google_sql_database_instance.database-instance")["values"]
    assert instance["database_version"] == "POSTGRES_16"
    # Pulumi flattens `settings` (maxItemsOne); Terraform holds a one-element list.
    (settings,) = instance["settings"]
    assert settings["ip_configuration"] == [
        {
            "ipv4_enabled": False,
            "private_network": settings["ip_configuration"][0]["private_network"],
            "ssl_mode": "ENCRYPTED_ONLY",
        }
    ]
    assert settings["backup_configuration"][0]["backup_retention_settings"] == [
        {"retained_backups": 30, "retention_unit": "COUNT"}
    ]
    assert {"name": "log_connections", "value": "on"} in settings["database_flags"]
    # A map keeps its keys: they are data, not property names.
    assert settings["user_labels"]["env"] == "prod"
    bucket = _planned(document, "google_storage_bucket.backups-bucket")["values"]
    # Pulumi's `lifecycleRules` is Terraform's repeated `lifecycle_rule` block.
    assert "lifecycleRules" not in bucket and "lifecycle_rules" not in bucket
    assert len(bucket["lifecycle_rule"]) == 2
    assert bucket["lifecycle_rule"][0]["action"][0]["type"] == "SetStorageClass"
    # One object-protection scheme: the retention policy, a one-element block.
    assert "versioning" not in bucket
    assert bucket["retention_policy"] == [
        {"is_locked": False, "retention_period": str(30 * 86_400)}
    ]
    # Blocks are lists of expression objects in the configuration, so Trivy reads every one.
    configured = document["configuration"]["root_module"]["resources"]
    expressions = next(r for r in configured if r["type"] == "google_storage_bucket")["expressions"]
    assert len(expressions["lifecycle_rule"]) == 2
    assert expressions["location"] == {"constant_value": bucket["location"]}


def test_actions_follow_the_diff_against_a_base(staging: Capture) -> None:
    instance = staging.one("gcp:sql/databaseInstance:DatabaseInstance")
    bucket = staging.one("gcp:storage/bucket:Bucket", "backups-bucket")
    operations = {instance.urn: "replace", bucket.urn: "update"}
    changes = export_plan(staging, operations).document["resource_changes"]
    actions = {change["address"]: change["change"]["actions"] for change in changes}
    assert actions["google_sql_database_instance.database-instance"] == ["create", "delete"]
    assert actions["google_storage_bucket.backups-bucket"] == ["update"]
    assert actions["google_pubsub_topic.secrets-rotation"] == ["create"]


def test_default_formats_do_not_load_the_export() -> None:
    """The export's modules load only for --format tfplan, so the other formats keep their speed."""
    probe = (
        "import sys; from preflight.cli import main; "
        "main(['--stack', 'staging', '--no-policy', '--format', 'json']); "
        "print('LOADED' if any(m.startswith('preflight.tfplan') for m in sys.modules) else 'LAZY')"
    )
    result = run_python("-c", probe)
    assert result.stdout.strip().endswith("LAZY"), result.stderr


def test_export_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    first = run_preflight("--stack", "staging", "--format", "tfplan", "--no-policy")
    assert first.returncode == 0, first.stderr
    # Another process, another hash seed, the same text.
    assert main(["--stack", "staging", "--format", "tfplan", "--no-policy"]) == 0
    assert capsys.readouterr().out == first.stdout
    document = json.loads(first.stdout)
    assert first.stdout == json.dumps(document, indent=2, sort_keys=True) + "\n"
    assert "timestamp" not in document


def test_tfplan_takes_one_stack(capsys: pytest.CaptureFixture[str]) -> None:
    # A usage error is returned as exit code 2 (one line on stderr), like every bad input.
    assert main(["--stack", "staging,production", "--format", "tfplan"]) == 2
    assert "--format tfplan: a Terraform plan holds one stack" in capsys.readouterr().err


def test_unknown_values_are_left_out_and_listed_in_after_unknown() -> None:
    resource = CapturedResource(
        type="gcp:storage/bucket:Bucket",
        name="unknowns",
        urn="urn:pulumi:staging::myhibachi::gcp:storage/bucket:Bucket::unknowns",
        parent="",
        custom=True,
        inputs={
            "location": UNKNOWN,
            "versioning": {"enabled": UNKNOWN},
            "lifecycleRules": [{"action": {"type": "Delete"}}, UNKNOWN],
            "labels": {"env": "staging", "owner": {SIG_KEY: OUTPUT_SIG, "dependencies": []}},
        },
    )
    capture = Capture("staging", "myhibachi", [resource], "", {})
    (change,) = export_plan(capture).document["resource_changes"]
    after, unknown = change["change"]["after"], change["change"]["after_unknown"]
    assert "location" not in after
    assert after["versioning"] == [{}]
    assert after["lifecycle_rule"] == [{"action": [{"type": "Delete"}]}, None]
    assert after["labels"] == {"env": "staging"}
    assert unknown == {
        "location": True,
        "versioning": [{"enabled": True}],
        "lifecycle_rule": [False, True],
        "labels": {"owner": True},
    }


def _secret(value: Any) -> dict[str, Any]:
    return {SIG_KEY: SECRET_SIG, "value": value}


def test_secret_values_never_appear_in_any_encoding() -> None:
    resources = [
        CapturedResource(
            type="gcp:secretmanager/secretVersion:SecretVersion",
            name="planted-version",
            urn="urn:pulumi:staging::myhibachi::gcp:secretmanager/secretVersion:SecretVersion::v",
            parent="",
            custom=True,
            inputs={"secret": "projects/p/secrets/s", "secretData": _secret(CANARY)},
        ),
        CapturedResource(
            type="gcp:cloudrunv2/service:Service",
            name="planted-service",
            urn="urn:pulumi:staging::myhibachi::gcp:cloudrunv2/service:Service::s",
            parent="",
            custom=True,
            inputs={
                "location": "us-central1",
                "labels": {"token": _secret(CANARY)},
                "template": {
                    "containers": [
                        {
                            "image": "api:1",
                            "envs": [
                                {"name": "PLAIN", "value": _secret(CANARY)},
                                {
                                    "name": "WRAPPED",
                                    "value": {SIG_KEY: OUTPUT_SIG, "value": CANARY, "secret": True},
                                },
                            ],
                            "args": [_secret(CANARY)],
                        }
                    ]
                },
            },
        ),
    ]
    exported = export_plan(Capture("staging", "myhibachi", resources, "", {}))
    text = render_plan(exported)
    forms = {
        CANARY,
        CANARY[::-1],
        hashlib.sha256(CANARY.encode()).hexdigest(),
        hashlib.sha1(CANARY.encode()).hexdigest(),
        hashlib.md5(CANARY.encode()).hexdigest(),
        base64.b64encode(CANARY.encode()).decode(),
    }
    assert not [form for form in forms if form in text]
    version = _planned(exported.document, "google_secret_manager_secret_version.planted-version")
    assert version["values"]["secret_data"] == SECRET_MARKER
    assert version["sensitive_values"] == {"secret_data": True}
    service = _planned(exported.document, "google_cloud_run_v2_service.planted-service")
    container = service["values"]["template"][0]["containers"][0]
    assert [env["value"] for env in container["env"]] == [SECRET_MARKER, SECRET_MARKER]
    assert container["args"] == [SECRET_MARKER]
    assert service["values"]["labels"] == {"token": SECRET_MARKER}
    assert service["sensitive_values"]["template"][0]["containers"][0]["env"] == [
        {"value": True},
        {"value": True},
    ]


@pytest.fixture
def canary_mocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value the mocks generate for a secret (password, AUTH string, key) is the canary."""
    plant_canary(monkeypatch, CANARY)


def test_the_program_s_secrets_never_reach_the_export(
    canary_mocks: None, capsys: pytest.CaptureFixture[str]
) -> None:
    planted = capture_module.capture_stack(PROJECT_DIR, "production")
    assert CANARY in json.dumps([r.inputs for r in planted.resources]), "the canary is planted"
    assert main(["--stack", "production", "--format", "tfplan", "--no-policy"]) == 0
    out, err = capsys.readouterr()
    assert CANARY not in out and CANARY not in err
    document = json.loads(out)
    user = _planned(document, "google_sql_user.database-user")
    assert user["values"]["password"] == SECRET_MARKER


def test_terraform_names_follow_the_bridge() -> None:
    assert terraform_name("ipv4Enabled") == "ipv4_enabled"
    assert terraform_name("pointInTimeRecoveryEnabled") == "point_in_time_recovery_enabled"
    assert pluralize("lifecycle_rule") == "lifecycle_rules"
    assert pluralize("policy") == "policies"
    assert pluralize("address") == "addresses"
    assert pluralize("status") == "statuses"
    assert pluralize("cors") == "cors"
    assert pluralize("database_flags") == "database_flags"
    assert pulumi_names("secondary_ip_range", max_items_one=False) == [
        "secondaryIpRanges",
        "secondaryIpRange",
    ]
    assert pulumi_names("ip_configuration", max_items_one=True) == ["ipConfiguration"]
    schema = resource_schema("gcp:sql/databaseInstance:DatabaseInstance")
    assert schema is not None and schema.tf_type == "google_sql_database_instance"


def _engine_names(cls: type) -> dict[str, Any]:
    """The SDK class's engine property names (`@pulumi.getter(name=...)`) and their getters."""
    names: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        for attribute in vars(klass).values():
            getter = attribute.fget if isinstance(attribute, property) else None
            if getter is not None and hasattr(getter, "_pulumi_name"):
                names[getter._pulumi_name] = getter
    return names


def _element_type(getter: Any) -> tuple[type | None, bool]:
    """The class inside `Output[Optional[Sequence[X]]]` and whether a sequence wraps it."""
    hint, is_list = typing.get_type_hints(getter)["return"], False
    while typing.get_args(hint):
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        is_list = is_list or (origin is not None and "Sequence" in str(origin))
        hint = next(arg for arg in args if arg is not type(None))
    return (hint if isinstance(hint, type) else None), is_list


# Arrays the installed SDK has and the bridge metadata (an older major version) does not list;
# the program sets none of them.
NEWER_THAN_METADATA = {
    "gcp:compute/securityPolicy:SecurityPolicy.rules.preconfiguredWafConfig.exclusions"
    ".requestBodies",
}


def test_mapped_names_match_the_installed_provider_sdk() -> None:
    """Each list or block attribute's Pulumi name is the generated SDK's, at every level, and
    every array property of the SDK is a known list attribute."""
    document = json.loads(FIELDS_FILE.read_text())
    problems: list[str] = []

    def compare(where: str, fields: dict[str, Any], cls: type) -> None:
        sdk = _engine_names(cls)
        known = {entry["pulumi"][0]: entry for entry in fields.values()}
        problems.extend(f"{where}.{name}: not in the SDK" for name in sorted(set(known) - set(sdk)))
        for name, getter in sorted(sdk.items()):
            element, is_list = _element_type(getter)
            if is_list and name not in known and f"{where}.{name}" not in NEWER_THAN_METADATA:
                problems.append(f"{where}.{name}: an SDK array the metadata does not list")
            if name in known and "fields" in known[name] and element is not None:
                compare(f"{where}.{name}", known[name]["fields"], element)

    for token, entry in document["resources"].items():
        module, name = token.split(":")[1].split("/")[0], token.split(":")[2]
        compare(
            token, entry["fields"], getattr(importlib.import_module(f"pulumi_gcp.{module}"), name)
        )
    assert not problems, problems


def test_generated_fields_file_is_current() -> None:
    metadata = find_metadata()
    if metadata is None:
        pytest.skip("the full pulumi-gcp bridge metadata is not on this machine")
    result = run_python("scripts/tfplan_fields.py", "--check", "--metadata", str(metadata))
    assert result.returncode == 0, result.stdout + result.stderr
