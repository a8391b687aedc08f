"""The alerts' channels and routes, the secret backups' key and the code backups: valid per
stack, read as the stack files say, and one line naming the file and the key when bad."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from preflight.stack_file import read_stack_config
from settings import SettingsError, StackSettings, load_settings
from tests.conftest import stack_document

Edit = Callable[[dict[str, Any]], None]


def _load(tmp_path: Path, stack: str, *edits: Edit) -> StackSettings:
    document = stack_document(stack)
    for edit in edits:
        edit(document["config"])
    (tmp_path / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump(document))
    return load_settings(stack, read_stack_config(tmp_path, stack).values)


def _set(path: str, value: Any) -> Edit:
    top, *rest = path.split(".")

    def edit(config: dict[str, Any]) -> None:
        node = config[f"myhibachi:{top}"]
        for part in rest[:-1]:
            node = node[part]
        node[rest[-1]] = value

    return edit


def _drop(path: str) -> Edit:
    top, *rest = path.split(".")

    def edit(config: dict[str, Any]) -> None:
        node = config[f"myhibachi:{top}"]
        for part in rest[:-1]:
            node = node[part]
        del node[rest[-1]]

    return edit


def _catalog_entry(name: str, **fields: Any) -> Edit:
    def edit(config: dict[str, Any]) -> None:
        config["myhibachi:secrets"]["catalog"].append({"name": name, **fields})

    return edit


def test_the_stack_files_route_by_severity(tmp_path: Path) -> None:
    staging, production = _load(tmp_path, "staging"), _load(tmp_path, "production")
    # Staging pages nobody; production's critical alerts page the on-call tool.
    for severity in ("critical", "error", "warning"):
        assert [staging.alerts.channel(n).type for n in staging.alerts.notify.of(severity)] == [
            "email"
        ]
    assert [production.alerts.channel(n).pages for n in production.alerts.notify.critical] == [
        True,
        False,
    ]
    assert production.alerts.url_secrets == {"on-call": "prod-global-ONCALL_WEBHOOK_URL"}
    assert production.secrets.spec("prod-global-ONCALL_WEBHOOK_URL") is not None


def test_an_sms_channel_may_page_critical_alerts(tmp_path: Path) -> None:
    settings = _load(
        tmp_path,
        "staging",
        _set("alerts.channels.phone", {"type": "sms", "number": "+15550100199"}),
        _set("alerts.notify.critical", ["phone", "devops-email"]),
    )
    assert settings.alerts.channel("phone").pages
    assert settings.alerts.channel("phone").value == "+15550100199"


def test_the_backup_key_is_named_from_the_stack_file(tmp_path: Path) -> None:
    production = _load(tmp_path, "production")
    assert production.secret_backup_key == (
        "projects/my-hibachi-crm/locations/us/keyRings/prod-secret-backups/cryptoKeys/secrets"
    )
    assert production.secret_backups.decrypter == "group:break-glass@myhibachichef.com"
    assert production.secret_backups.rotation_days == 90


def test_values_ready_moved_from_frontends(tmp_path: Path) -> None:
    staging = _load(tmp_path, "staging", _set("secrets.valuesReady", False))
    assert staging.secrets.values_ready is False
    assert _load(tmp_path, "production").secrets.values_ready is True


BAD: list[tuple[str, tuple[Edit, ...], str, str]] = [
    (
        "staging",
        (_set("alerts.emails", ["devops@myhibachichef.com"]),),
        "myhibachi:alerts.emails",
        "is no longer a setting: moved to myhibachi:alerts.channels",
    ),
    (
        "staging",
        (_set("frontends.stripePublishableKeyReady", False),),
        "myhibachi:frontends.stripePublishableKeyReady",
        "moved to myhibachi:secrets.valuesReady",
    ),
    (
        "staging",
        (_set("alerts.channels.devops-email.type", "fax"),),
        "myhibachi:alerts.channels.devops-email.type",
        "must be one of email, sms, webhook",
    ),
    (
        "staging",
        (_set("alerts.channels.devops-email.number", "+15550100199"),),
        "myhibachi:alerts.channels.devops-email.number",
        "is not a setting of email channels (they take address)",
    ),
    (
        "staging",
        (_drop("alerts.channels.devops-email.address"),),
        "myhibachi:alerts.channels.devops-email.type",
        "email channels need address",
    ),
    (
        "staging",
        (_set("alerts.channels.pager", {"type": "sms", "number": "5550100"}),),
        "myhibachi:alerts.channels.pager.number",
        "a phone number in E.164 form",
    ),
    (
        "staging",
        (_set("alerts.channels.Ops", {"type": "email", "address": "ops@myhibachichef.com"}),),
        "myhibachi:alerts.channels.Ops",
        "a channel name",
    ),
    (
        "staging",
        (_set("alerts.notify.warning", ["devops"]),),
        "myhibachi:alerts.notify.warning[0]",
        "no channel 'devops' in myhibachi:alerts.channels (declared: devops-email)",
    ),
    (
        "staging",
        (_set("alerts.notify.error", ["devops-email", "devops-email"]),),
        "myhibachi:alerts.notify.error[1]",
        "is listed twice",
    ),
    (
        "staging",
        (_set("alerts.notify.error", []),),
        "myhibachi:alerts.notify.error",
        "must name at least one channel",
    ),
    (
        "staging",
        (_drop("alerts.notify.warning"),),
        "myhibachi:alerts.notify.warning",
        "is required",
    ),
    (
        "production",
        (_set("alerts.notify.warning", ["on-call"]),),
        "myhibachi:alerts.notify.warning[0]",
        "'on-call' is a webhook channel, which pages: only critical alerts page",
    ),
    (
        "staging",
        (_set("alerts.channels.spare", {"type": "email", "address": "spare@myhibachichef.com"}),),
        "myhibachi:alerts.channels.spare",
        "is declared but no severity in myhibachi:alerts.notify uses it",
    ),
    (
        "production",
        (_set("alerts.channels.on-call.urlSecret", "prod-global-PAGER_URL"),),
        "myhibachi:alerts.channels.on-call.urlSecret",
        "no secret 'prod-global-PAGER_URL' in the catalog",
    ),
    (
        "production",
        (_set("alerts.channels.on-call.urlSecret", "prod-global-STRIPE_SECRET_KEY"),),
        "myhibachi:alerts.channels.on-call.urlSecret",
        "'prod-global-STRIPE_SECRET_KEY' is read by api",
    ),
    (
        "production",
        (_set("alerts.channels.on-call.urlSecret", "https://hooks.example.test/x"),),
        "myhibachi:alerts.channels.on-call.urlSecret",
        "a Secret Manager secret id of the catalog",
    ),
    (
        "production",
        (_set("secretBackups.rotationDays", 91),),
        "myhibachi:secretBackups.rotationDays",
        "between 2 and 90",
    ),
    (
        "production",
        (_set("secretBackups.breakGlassGroup", "group:break-glass@myhibachichef.com"),),
        "myhibachi:secretBackups.breakGlassGroup",
        "a Google group's address",
    ),
    (
        "production",
        (_set("secretBackups.exporters", ["group:break-glass@myhibachichef.com"]),),
        "myhibachi:secretBackups.exporters[0]",
        "is the break-glass group: who seals the backups must not open them",
    ),
    (
        "production",
        (_set("secretBackups.exporters", ["devops@myhibachichef.com"]),),
        "myhibachi:secretBackups.exporters[0]",
        "an IAM member",
    ),
    (
        "production",
        (_set("secretBackups.exporters", []),),
        "myhibachi:secretBackups.exporters",
        "must name who runs the export",
    ),
    (
        "production",
        (_set("secretBackups.location", "US"),),
        "myhibachi:secretBackups.location",
        "a Cloud KMS location",
    ),
    (
        "production",
        (_set("codeBackups.retentionDays", 7),),
        "myhibachi:codeBackups.retentionDays",
        "between 30 and 3650",
    ),
    (
        "production",
        (_set("codeBackups.deleteAfterDays", 90),),
        "myhibachi:codeBackups.deleteAfterDays",
        "later than retentionDays (90)",
    ),
    (
        "production",
        (_drop("codeBackups.location"),),
        "myhibachi:codeBackups.location",
        "is required",
    ),
]


@pytest.mark.parametrize(
    ("stack", "edits", "key", "problem"), BAD, ids=[f"{case[2]}:{case[3]}" for case in BAD]
)
def test_bad_value_names_file_key_and_problem(
    tmp_path: Path, stack: str, edits: tuple[Edit, ...], key: str, problem: str
) -> None:
    with pytest.raises(SettingsError) as error:
        _load(tmp_path, stack, *edits)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"Pulumi.{stack}.yaml: {key}: "), message
    assert problem in message, message


def test_a_webhook_secret_of_its_own_in_the_catalog_is_accepted(tmp_path: Path) -> None:
    settings = _load(
        tmp_path,
        "staging",
        _catalog_entry("staging-global-ONCALL_WEBHOOK_URL"),
        _set(
            "alerts.channels.on-call",
            {"type": "webhook", "urlSecret": "staging-global-ONCALL_WEBHOOK_URL"},
        ),
        _set("alerts.notify.critical", ["on-call"]),
    )
    assert settings.alerts.url_secrets == {"on-call": "staging-global-ONCALL_WEBHOOK_URL"}
