"""The alerts' channels and routes, the secret backups' key and the code backups: valid per
stack, read as the stack files say, and one line naming the file and the key when bad."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.settings.edits import (
    BadCase,
    Edit,
    bad_value,
    delete_key,
    load_edited,
    one_line_error_test,
    set_key,
)


def _catalog_entry(name: str, **fields: Any) -> Edit:
    def edit(config: dict[str, Any]) -> None:
        config["myhibachi:secrets"]["catalog"].append({"name": name, **fields})

    return edit


def test_the_stack_files_route_by_severity(tmp_path: Path) -> None:
    staging, production = load_edited(tmp_path, "staging"), load_edited(tmp_path, "production")
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
    settings = load_edited(
        tmp_path,
        "staging",
        set_key("myhibachi:alerts.channels.phone", {"type": "sms", "number": "+15550100199"}),
        set_key("myhibachi:alerts.notify.critical", ["phone", "devops-email"]),
    )
    assert settings.alerts.channel("phone").pages
    assert settings.alerts.channel("phone").value == "+15550100199"


def test_the_backup_key_is_named_from_the_stack_file(tmp_path: Path) -> None:
    production = load_edited(tmp_path, "production")
    assert production.secret_backup_key == (
        "projects/my-hibachi-crm/locations/us/keyRings/prod-secret-backups/cryptoKeys/secrets"
    )
    assert production.secret_backups.decrypter == "group:break-glass@myhibachichef.com"
    assert production.secret_backups.rotation_days == 90


def test_values_ready_moved_from_frontends(tmp_path: Path) -> None:
    staging = load_edited(tmp_path, "staging", set_key("myhibachi:secrets.valuesReady", False))
    assert staging.secrets.values_ready is False
    assert load_edited(tmp_path, "production").secrets.values_ready is True


BAD: list[BadCase] = [
    bad_value(
        "staging",
        "myhibachi:alerts.emails",
        ["devops@myhibachichef.com"],
        "is no longer a setting: moved to myhibachi:alerts.channels",
    ),
    bad_value(
        "staging",
        "myhibachi:frontends.stripePublishableKeyReady",
        False,
        "moved to myhibachi:secrets.valuesReady",
    ),
    bad_value(
        "staging",
        "myhibachi:alerts.channels.devops-email.type",
        "fax",
        "must be one of email, sms, webhook",
    ),
    bad_value(
        "staging",
        "myhibachi:alerts.channels.devops-email.number",
        "+15550100199",
        "is not a setting of email channels (they take address)",
    ),
    (
        "staging",
        (delete_key("myhibachi:alerts.channels.devops-email.address"),),
        "myhibachi:alerts.channels.devops-email.type",
        "email channels need address",
    ),
    (
        "staging",
        (set_key("myhibachi:alerts.channels.pager", {"type": "sms", "number": "5550100"}),),
        "myhibachi:alerts.channels.pager.number",
        "a phone number in E.164 form",
    ),
    bad_value(
        "staging",
        "myhibachi:alerts.channels.Ops",
        {"type": "email", "address": "ops@myhibachichef.com"},
        "a channel name",
    ),
    (
        "staging",
        (set_key("myhibachi:alerts.notify.warning", ["devops"]),),
        "myhibachi:alerts.notify.warning[0]",
        "no channel 'devops' in myhibachi:alerts.channels (declared: devops-email)",
    ),
    (
        "staging",
        (set_key("myhibachi:alerts.notify.error", ["devops-email", "devops-email"]),),
        "myhibachi:alerts.notify.error[1]",
        "is listed twice",
    ),
    bad_value("staging", "myhibachi:alerts.notify.error", [], "must name at least one channel"),
    (
        "staging",
        (delete_key("myhibachi:alerts.notify.warning"),),
        "myhibachi:alerts.notify.warning",
        "is required",
    ),
    (
        "production",
        (set_key("myhibachi:alerts.notify.warning", ["on-call"]),),
        "myhibachi:alerts.notify.warning[0]",
        "'on-call' is a webhook channel, which pages: only critical alerts page",
    ),
    bad_value(
        "staging",
        "myhibachi:alerts.channels.spare",
        {"type": "email", "address": "spare@myhibachichef.com"},
        "is declared but no severity in myhibachi:alerts.notify uses it",
    ),
    bad_value(
        "production",
        "myhibachi:alerts.channels.on-call.urlSecret",
        "prod-global-PAGER_URL",
        "no secret 'prod-global-PAGER_URL' in the catalog",
    ),
    bad_value(
        "production",
        "myhibachi:alerts.channels.on-call.urlSecret",
        "prod-global-STRIPE_SECRET_KEY",
        "'prod-global-STRIPE_SECRET_KEY' is read by api",
    ),
    bad_value(
        "production",
        "myhibachi:alerts.channels.on-call.urlSecret",
        "https://hooks.example.test/x",
        "a Secret Manager secret id of the catalog",
    ),
    bad_value("production", "myhibachi:secretBackups.rotationDays", 91, "between 2 and 90"),
    bad_value(
        "production",
        "myhibachi:secretBackups.breakGlassGroup",
        "group:break-glass@myhibachichef.com",
        "a Google group's address",
    ),
    (
        "production",
        (set_key("myhibachi:secretBackups.exporters", ["group:break-glass@myhibachichef.com"]),),
        "myhibachi:secretBackups.exporters[0]",
        "is the break-glass group: who seals the backups must not open them",
    ),
    (
        "production",
        (set_key("myhibachi:secretBackups.exporters", ["devops@myhibachichef.com"]),),
        "myhibachi:secretBackups.exporters[0]",
        "an IAM member",
    ),
    bad_value(
        "production", "myhibachi:secretBackups.exporters", [], "must name who runs the export"
    ),
    bad_value("production", "myhibachi:secretBackups.location", "US", "a Cloud KMS location"),
    bad_value("production", "myhibachi:codeBackups.retentionDays", 7, "between 30 and 3650"),
    bad_value(
        "production", "myhibachi:codeBackups.deleteAfterDays", 90, "later than retentionDays (90)"
    ),
    (
        "production",
        (delete_key("myhibachi:codeBackups.location"),),
        "myhibachi:codeBackups.location",
        "is required",
    ),
]


test_bad_value_names_file_key_and_problem = one_line_error_test(BAD)


def test_a_webhook_secret_of_its_own_in_the_catalog_is_accepted(tmp_path: Path) -> None:
    settings = load_edited(
        tmp_path,
        "staging",
        _catalog_entry("staging-global-ONCALL_WEBHOOK_URL"),
        set_key(
            "myhibachi:alerts.channels.on-call",
            {"type": "webhook", "urlSecret": "staging-global-ONCALL_WEBHOOK_URL"},
        ),
        set_key("myhibachi:alerts.notify.critical", ["on-call"]),
    )
    assert settings.alerts.url_secrets == {"on-call": "staging-global-ONCALL_WEBHOOK_URL"}
