"""Bad stack config stops the program with one line: the stack file, the key, the problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from settings import SettingsError
from tests.conftest import run_preflight
from tests.settings.edits import (
    Edit,
    delete_key,
    edited_stack_file,
    load_edited,
    rename_key,
    set_key,
)


def _duplicate_first_secret(config: dict[str, Any]) -> None:
    catalog = config["myhibachi:secrets"]["catalog"]
    catalog.append(dict(catalog[0]))


BAD_CONFIG: list[tuple[str, str, Edit, str]] = [
    (
        "missing top-level key",
        "staging",
        delete_key("myhibachi:database"),
        "Pulumi.staging.yaml: myhibachi:database: is required",
    ),
    (
        "missing nested key",
        "production",
        delete_key("myhibachi:database.tier"),
        "Pulumi.production.yaml: myhibachi:database.tier: is required",
    ),
    (
        "missing provider key",
        "staging",
        delete_key("gcp:project"),
        "Pulumi.staging.yaml: gcp:project: is required",
    ),
    (
        "wrong type",
        "staging",
        set_key("myhibachi:database.retainedBackups", "thirty"),
        "Pulumi.staging.yaml: myhibachi:database.retainedBackups: must be an integer, got a string",
    ),
    (
        "wrong type for an object",
        "staging",
        set_key("myhibachi:cache", "BASIC"),
        "Pulumi.staging.yaml: myhibachi:cache: must be an object, got a string",
    ),
    (
        "typo inside a settings object",
        "production",
        rename_key("myhibachi:database.retainedBackups", "retainedBackup"),
        "Pulumi.production.yaml: myhibachi:database: unknown key 'retainedBackup' (allowed: "
        "availability, backupStartTime, diskSizeGb, maintenanceWindow, name, retainedBackups, "
        "slowStatementLogMs, tier, transactionLogRetentionDays, user, version)",
    ),
    (
        "retention below 7",
        "staging",
        set_key("myhibachi:database.retainedBackups", 6),
        "Pulumi.staging.yaml: myhibachi:database.retainedBackups: must be between 7 and 365, got 6",
    ),
    (
        "retention above 365",
        "production",
        set_key("myhibachi:database.retainedBackups", 366),
        "Pulumi.production.yaml: myhibachi:database.retainedBackups: must be between 7 and 365, "
        "got 366",
    ),
    (
        "malformed region",
        "staging",
        set_key("gcp:region", "us central1"),
        "Pulumi.staging.yaml: gcp:region: must be a GCP region such as us-central1, "
        "got 'us central1'",
    ),
    (
        "host outside the domain",
        "production",
        set_key("myhibachi:domain.admin", "admin.myhibachi.com"),
        "Pulumi.production.yaml: myhibachi:domain.admin: must be myhibachichef.com or one label "
        "under it, got 'admin.myhibachi.com'",
    ),
    (
        "host two labels deep",
        "staging",
        set_key("myhibachi:domain.api", "api.staging.myhibachichef.com"),
        "Pulumi.staging.yaml: myhibachi:domain.api: must be myhibachichef.com or one label under "
        "it, got 'api.staging.myhibachichef.com'",
    ),
    (
        "secret without a scope",
        "staging",
        set_key("myhibachi:secrets.catalog.0.name", "staging-STRIPE_SECRET_KEY"),
        "Pulumi.staging.yaml: myhibachi:secrets.catalog[0].name: must be of the form "
        "staging-{scope}-{NAME} (scope one of global, backend, frontend-web, frontend-admin), "
        "got 'staging-STRIPE_SECRET_KEY'",
    ),
    (
        "secret with the other stack's prefix",
        "staging",
        set_key("myhibachi:secrets.catalog.2.name", "prod-global-OPENAI_API_KEY"),
        "Pulumi.staging.yaml: myhibachi:secrets.catalog[2].name: must be of the form "
        "staging-{scope}-{NAME} (scope one of global, backend, frontend-web, frontend-admin), "
        "got 'prod-global-OPENAI_API_KEY'",
    ),
    (
        "duplicated secret",
        "production",
        _duplicate_first_secret,
        "Pulumi.production.yaml: myhibachi:secrets.catalog[9].name: secret "
        "'prod-global-STRIPE_SECRET_KEY' is listed twice",
    ),
    (
        "rotation slower than 90 days",
        "production",
        set_key("myhibachi:secrets.rotationDays", 120),
        "Pulumi.production.yaml: myhibachi:secrets.rotationDays: must be between 1 and 90, got 120",
    ),
    (
        "unknown feature flag",
        "staging",
        set_key("myhibachi:featureFlags.frontend.AI_BOOKING_V4", True),
        "Pulumi.staging.yaml: myhibachi:featureFlags.frontend.AI_BOOKING_V4: unknown feature flag "
        "(known: 2FA_VERIFICATION, AI_BOOKING_V3, MATH_CAPTCHA, SMS_CONSENT)",
    ),
    (
        "flag left out",
        "production",
        delete_key("myhibachi:featureFlags.backend.AUDIT_LOGGING"),
        "Pulumi.production.yaml: myhibachi:featureFlags.backend.AUDIT_LOGGING: is required: set "
        "every flag explicitly per stack",
    ),
    (
        "zero latency target",
        "staging",
        set_key("myhibachi:alerts.latencyP95Ms", 0),
        "Pulumi.staging.yaml: myhibachi:alerts.latencyP95Ms: must be between 1 and 60000, got 0",
    ),
    (
        "negative latency target",
        "production",
        set_key("myhibachi:alerts.latencyP95Ms", -300),
        "Pulumi.production.yaml: myhibachi:alerts.latencyP95Ms: must be between 1 and 60000, "
        "got -300",
    ),
    (
        "malformed email",
        "staging",
        set_key("myhibachi:alerts.channels.devops-email.address", "devops-at-myhibachichef"),
        "Pulumi.staging.yaml: myhibachi:alerts.channels.devops-email.address: must be an email "
        "address, got 'devops-at-myhibachichef'",
    ),
    (
        "REGIONAL on db-f1-micro",
        "production",
        set_key("myhibachi:database.tier", "db-f1-micro"),
        "Pulumi.production.yaml: myhibachi:database.availability: REGIONAL needs a dedicated-core "
        "tier; 'db-f1-micro' is shared-core",
    ),
    (
        "REGIONAL on db-g1-small",
        "production",
        set_key("myhibachi:database.tier", "db-g1-small"),
        "Pulumi.production.yaml: myhibachi:database.availability: REGIONAL needs a dedicated-core "
        "tier; 'db-g1-small' is shared-core",
    ),
    (
        "a removed setting",
        "staging",
        set_key("myhibachi:mapsKey", {"generation": 1}),
        "Pulumi.staging.yaml: myhibachi:mapsKey: is no longer a setting: moved to "
        "myhibachi:mapsKeys (browser and server)",
    ),
    (
        "a fixed first rotation date",
        "production",
        set_key("myhibachi:secrets.firstRotation", "2027-02-23T00:00:00Z"),
        "Pulumi.production.yaml: myhibachi:secrets.firstRotation: is no longer a setting: each "
        "secret first rotates rotationDays after it is created",
    ),
    (
        "no Vercel team",
        "production",
        delete_key("vercel:team"),
        "Pulumi.production.yaml: vercel:team: is required",
    ),
    (
        "unknown top-level key",
        "staging",
        set_key("myhibachi:databse", {}),
        "Pulumi.staging.yaml: myhibachi:databse: unknown key (allowed: ",
    ),
]


@pytest.mark.parametrize(
    ("stack", "edit", "message"),
    [case[1:] for case in BAD_CONFIG],
    ids=[case[0] for case in BAD_CONFIG],
)
def test_bad_config_names_file_key_and_problem(
    tmp_path: Path, stack: str, edit: Edit, message: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        load_edited(tmp_path, stack, edit)
    text = str(raised.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_shared_core_tier_is_fine_when_zonal(tmp_path: Path) -> None:
    settings = load_edited(tmp_path, "staging", set_key("myhibachi:database.tier", "db-g1-small"))
    assert settings.database.tier == "db-g1-small"
    assert settings.database.availability == "ZONAL"


def test_every_generated_secret_must_be_in_the_catalog(tmp_path: Path) -> None:
    def drop_redis_url(config: dict[str, Any]) -> None:
        catalog = config["myhibachi:secrets"]["catalog"]
        config["myhibachi:secrets"]["catalog"] = [
            entry for entry in catalog if entry.get("generatedBy") != "cache"
        ]

    with pytest.raises(SettingsError, match=r"catalog: needs one secret with generatedBy: cache$"):
        load_edited(tmp_path, "staging", drop_redis_url)


def test_accessor_must_be_a_project_identity_or_an_iam_member(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"catalog\[0\]\.accessors\[0\]: must be one of api"):
        load_edited(
            tmp_path, "staging", set_key("myhibachi:secrets.catalog.0.accessors", ["allUsers"])
        )


@pytest.mark.parametrize(
    ("stack", "edit", "message"),
    [BAD_CONFIG[0][1:], BAD_CONFIG[6][1:], BAD_CONFIG[20][1:]],
    ids=["missing key", "retention", "shared-core"],
)
def test_offline_run_exits_2_with_one_line(
    tmp_path: Path, stack: str, edit: Edit, message: str
) -> None:
    stack_file = edited_stack_file(tmp_path, stack, edit)
    result = run_preflight("--stack-file", str(stack_file))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"error: {message}"]
