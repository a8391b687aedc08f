"""Credentials by shape: a credential in any input of any resource is blocked, whatever the field
is called; only the fields made to hold a secret may hold one. Messages name the resource and the
path, never the value or any part of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from policy.myhibachi_policy.credentials import CREDENTIAL_STORES
from policy.myhibachi_policy.helpers import credential_kinds
from tests.conftest import captured
from tests.policy import baselines as b
from tests.policy.credential_fixtures import ALL, stripe_live_secret_key, stripe_publishable_key
from tests.policy.one_change import changed
from tests.policy.support import (
    STACKS,
    UNKNOWN,
    program_violations,
    resource_outcome,
    sdk_source,
    snake,
)

NO_CREDENTIALS = "pack-resource-inputs-no-credentials"
LIVE = stripe_live_secret_key()


def messages(resource_type: str, props: dict[str, Any], **kwargs: Any) -> list[str]:
    outcome = resource_outcome(resource_type, props, **kwargs)
    return [m for p, m, _ in outcome.violations if p == NO_CREDENTIALS]


def with_env(name: str, value: str) -> dict[str, Any]:
    return changed(b.run_service(), "template.containers.0.envs.0", {"name": name, "value": value})


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("name", ["APP_CONFIG", "STRIPE_SK", "DB_PASS", "LOG_LEVEL"])
@pytest.mark.parametrize(("value", "kind"), ALL.values(), ids=list(ALL))
def test_a_credential_in_any_env_var_is_blocked(
    name: str, value: str, kind: str, stack: str
) -> None:
    [message] = messages(b.RUN_SERVICE, with_env(name, value), stack=stack)
    assert message == (
        f"Service 'subject': template.containers[0].envs[0].value holds what looks like {kind}; "
        "keep it in Secret Manager and pass a reference (Cloud Run valueSource.secretKeyRef, a "
        "sensitive production-only Vercel variable), never the value."
    )


@pytest.mark.parametrize(("value", "kind"), ALL.values(), ids=list(ALL))
def test_messages_never_quote_the_value_or_its_prefix(value: str, kind: str) -> None:
    for message in messages(b.RUN_SERVICE, with_env("X", f"prefix {value} suffix")):
        assert value not in message
        assert not any(part in message for part in value.split() if len(part) >= 4)
        assert not any(prefix in message for prefix in ("sk_", "rk_", "sk-", "AKIA", "AIza", "eyJ"))


@pytest.mark.parametrize(
    ("resource_type", "path", "where"),
    [
        (b.RUN_SERVICE, "template.containers.0.args", "template.containers[0].args[1]"),
        (b.RUN_SERVICE, "template.containers.0.commands", "template.containers[0].commands[1]"),
        (
            b.RUN_JOB,
            "template.template.containers.0.args",
            "template.template.containers[0].args[1]",
        ),
        (b.RUN_SERVICE, "annotations", "annotations.note[1]"),
        (b.RUN_SERVICE, "description", "description[1]"),
    ],
)
def test_args_commands_annotations_and_descriptions_are_scanned(
    resource_type: str, path: str, where: str
) -> None:
    baseline = b.run_service() if resource_type == b.RUN_SERVICE else b.run_job()
    value: Any = ["--key", LIVE]
    if path == "annotations":
        value = {"note": ["see", LIVE]}
    props = changed(baseline, path, value)
    [message] = messages(resource_type, props)
    assert f": {where} holds what looks like a Stripe secret or restricted key;" in message


@pytest.mark.parametrize(
    ("resource_type", "props", "where"),
    [
        (
            "gcp:workflows/workflow:Workflow",
            {"sourceContents": f"main:\n  steps:\n    - call: http.post\n      args: {LIVE}"},
            "sourceContents",
        ),
        ("gcp:storage/bucket:Bucket", {**b.bucket(), "labels": {"token": LIVE}}, "labels.token"),
        (
            "gcp:cloudfunctionsv2/function:Function",
            {"serviceConfig": {"environmentVariables": {"PAYMENTS": LIVE}}},
            "serviceConfig.environmentVariables.PAYMENTS",
        ),
        (
            "cloudflare:index/dnsRecord:DnsRecord",
            {"name": "x", "type": "TXT", "content": LIVE},
            "content",
        ),
        (
            "gcp:compute/instance:Instance",
            {"metadata": {"startup-script": LIVE}},
            "metadata.startup-script",
        ),
        (b.VERCEL_VAR, b.vercel_var("NEXT_PUBLIC_STRIPE_CONFIG", LIVE), "value"),
        (
            "vercel:index/deployment:Deployment",
            {"projectId": "p", "environment": {"PAYMENTS": LIVE}},
            "environment.PAYMENTS",
        ),
    ],
)
def test_every_type_and_field_is_scanned(
    resource_type: str, props: dict[str, Any], where: str
) -> None:
    [message] = messages(resource_type, props)
    assert f": {where} holds what looks like" in message


def test_a_credential_as_a_map_key_is_reported_without_quoting_it() -> None:
    props = {**b.bucket(), "labels": {LIVE: "x"}}
    assert messages(b.BUCKET, props) == [
        "Bucket 'subject': a key of labels holds what looks like a Stripe secret or restricted "
        "key; keep it in Secret Manager and pass a reference (Cloud Run "
        "valueSource.secretKeyRef, a sensitive production-only Vercel variable), never the value."
    ]
    nested = {**b.bucket(), "labels": {LIVE: {"inner": LIVE}}}
    assert all(
        (LIVE not in m and "an input" in m) or "a key of" in m for m in messages(b.BUCKET, nested)
    )


# --- The fields made to hold a secret -------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource_type", "props"),
    [
        ("gcp:secretmanager/secretVersion:SecretVersion", {"secret": "s", "secretData": LIVE}),
        (
            "gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion",
            {"secret": "s", "secretData": LIVE},
        ),
        ("gcp:sql/user:User", {"instance": "i", "name": "app", "password": ALL["url"][0]}),
        (b.VERCEL_VAR, b.vercel_var("STRIPE_SECRET_KEY", LIVE, sensitive=True)),
    ],
)
def test_credential_stores_may_hold_a_credential(resource_type: str, props: dict[str, Any]) -> None:
    assert messages(resource_type, props) == []


@pytest.mark.parametrize(
    "change",
    [
        {"sensitive": False},  # readable in the dashboard
        {"key": "NEXT_PUBLIC_STRIPE_SECRET_KEY"},  # inlined into every browser bundle
        {"targets": ["preview", "production"]},  # built from any branch
        {"targets": ["production", "development"]},
        {"customEnvironmentIds": ["env_1"]},
        {"targets": UNKNOWN},
    ],
)
def test_a_vercel_variable_is_a_store_only_server_side_in_production(
    change: dict[str, Any],
) -> None:
    props = {**b.vercel_var("STRIPE_SECRET_KEY", LIVE, sensitive=True), **change}
    assert len(messages(b.VERCEL_VAR, props)) == 1


def test_store_fields_are_the_ones_the_provider_keeps_secret() -> None:
    # Each listed field is wrapped in Output.secret by the installed SDK's resource class.
    for resource_type, fields in CREDENTIAL_STORES.items():
        source = sdk_source(resource_type)
        for field in fields:
            name = snake(field)
            wrapped = f"None if {name} is None else pulumi.Output.secret({name})"
            assert f'__props__.__dict__["{name}"] = {wrapped}' in source, (resource_type, field)


def test_publishable_keys_and_ordinary_values_pass() -> None:
    assert (
        messages(
            b.VERCEL_VAR,
            b.vercel_var("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", stripe_publishable_key()),
        )
        == []
    )
    assert messages(b.RUN_SERVICE, b.run_service()) == []


# --- Unknown values -------------------------------------------------------------------------------


def test_unknown_inputs_are_not_applicable_with_their_paths() -> None:
    props = changed(with_env("A", UNKNOWN), "template.serviceAccount", UNKNOWN)
    outcome = resource_outcome(b.RUN_SERVICE, props)
    assert NO_CREDENTIALS not in {p for p, _, _ in outcome.violations}
    assert outcome.skipped[NO_CREDENTIALS] == (
        "inputs unknown until the update runs could not be checked for credentials: "
        "template.serviceAccount, template.containers[0].envs[0].value"
    )


def test_an_unknown_input_does_not_hide_a_known_credential() -> None:
    props = changed(with_env("A", LIVE), "template.serviceAccount", UNKNOWN)
    outcome = resource_outcome(b.RUN_SERVICE, props)
    assert NO_CREDENTIALS in {p for p, _, _ in outcome.violations}
    assert NO_CREDENTIALS not in outcome.skipped


def test_an_unknown_vercel_target_cannot_make_a_store() -> None:
    props = {**b.vercel_var("STRIPE_SECRET_KEY", LIVE, sensitive=True), "targets": [UNKNOWN]}
    assert len(messages(b.VERCEL_VAR, props)) == 1


@pytest.mark.parametrize("stack", STACKS)
def test_the_real_program_holds_no_credential_outside_its_stores(stack: str) -> None:
    assert {n for p, n in program_violations(captured(stack)) if p == NO_CREDENTIALS} == set()


def test_no_file_of_the_pack_or_its_tests_holds_a_credential_shaped_literal() -> None:
    # Fixtures are assembled at run time from harmless parts (credential_fixtures.py).
    root = Path(__file__).resolve().parents[2]
    files = [*(root / "policy").rglob("*"), *(root / "tests" / "policy").rglob("*")]
    found = []
    for path in files:
        if path.suffix not in (".py", ".md", ".json", ".yaml") or "__pycache__" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if credential_kinds(line):
                found.append(f"{path.relative_to(root)}:{number}")
    assert found == []
