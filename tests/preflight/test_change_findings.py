"""The gate decides on the diff: destroying what the base protects blocks, with how to do it on
purpose; dependents of a replaced resource change with it; the placeholder zone id is named."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from preflight.change_findings import (
    DESTROYS_PROTECTED,
    DESTROYS_STATEFUL,
    PLACEHOLDER_ZONE,
    config_changes,
    destructive_findings,
    placeholder_findings,
)
from preflight.diff import DEPENDS_ON_REPLACED, diff_captures
from preflight.stack_checks import PLACEHOLDER_ZONE_ID
from preflight.stack_file import read_stack_config
from settings.stack import PLACEHOLDER_ZONE_ID as SETTINGS_PLACEHOLDER
from tests.conftest import PROJECT_DIR, RunWithConfig, captured, run_preflight, stack_document


def production_in(region: str, run_with_config: RunWithConfig) -> tuple[object, object]:
    document = stack_document("production")
    document["config"]["gcp:region"] = region
    return captured("production"), run_with_config("production", document)


def test_a_region_change_replaces_the_database_and_its_dependents_change(
    run_with_config: RunWithConfig,
) -> None:
    base = captured("production")
    document = stack_document("production")
    document["config"]["gcp:region"] = "us-east4"
    head = run_with_config("production", document)
    changes = {c.name: c for c in diff_captures(base, head)}
    assert changes["database-instance"].operation == "replace"
    assert changes["cache-redis"].operation == "replace"
    # Their inputs use the instance's outputs: they change with it, as `pulumi preview` shows.
    for dependent in ("database-db", "database-user", "database-url-version"):
        assert changes[dependent].operation == "update", dependent
        assert changes[dependent].replaced_dependencies == (changes["database-instance"].urn,)
    assert changes["database-password"].operation == "same"

    base_config = read_stack_config(PROJECT_DIR, "production").values
    head_config = {**base_config, "gcp:region": "us-east4"}
    assert config_changes(base_config, head_config) == ["gcp:region"]
    findings = {
        f.urn.split("::")[-1]: f
        for f in destructive_findings(
            PROJECT_DIR,
            "production",
            list(changes.values()),
            base=base,
            head=head,
            base_config=base_config,
            head_config=head_config,
        )
    }
    instance = findings["database-instance"]
    assert instance.policy == DESTROYS_PROTECTED
    assert instance.level == "mandatory"
    assert instance.message == (
        "replaces gcp:sql:DatabaseInstance database-instance [diff: region], which is protected "
        "(protect, deletion protection, myhibachi:protectStatefulResources: true); its data "
        "would be lost."
    )
    assert instance.fix == (
        "This change sets gcp:region in Pulumi.production.yaml. To replace it on purpose, first "
        "land a separate reviewed change that lifts its protection "
        "(myhibachi:protectStatefulResources: false in Pulumi.production.yaml; "
        "deletionProtection: false where components/database.py sets it), then this one."
    )
    assert findings["cache-redis"].level == "mandatory"
    # Dependents are shown, not judged again.
    assert "database-db" not in findings


def test_an_unprotected_stateful_deletion_is_reported_not_blocked(
    run_with_config: RunWithConfig,
) -> None:
    document = stack_document("staging")
    catalog = document["config"]["myhibachi:secrets"]["catalog"]
    document["config"]["myhibachi:secrets"]["catalog"] = [
        entry for entry in catalog if not entry["name"].endswith("SENTRY_DSN")
    ]
    base, head = captured("staging"), run_with_config("staging", document)
    config = read_stack_config(PROJECT_DIR, "staging").values
    found = destructive_findings(
        PROJECT_DIR,
        "staging",
        diff_captures(base, head),
        base=base,
        head=head,
        base_config=config,
        head_config=config,
    )
    assert [(f.policy, f.level, f.urn.split("::")[-1]) for f in found] == [
        (DESTROYS_STATEFUL, "advisory", "secrets-staging-backend-SENTRY_DSN")
    ]


def _with_zone_id(values: dict[str, str], zone_id: str) -> dict[str, str]:
    edge = json.loads(values["myhibachi:edge"])
    return {**values, "myhibachi:edge": json.dumps({**edge, "zoneId": zone_id})}


def test_the_placeholder_zone_id_blocks_only_when_a_change_brings_it_to_production() -> None:
    assert PLACEHOLDER_ZONE_ID == SETTINGS_PLACEHOLDER
    looked_up = dict(read_stack_config(PROJECT_DIR, "production").values)
    assert "zoneId" not in json.loads(looked_up["myhibachi:edge"])  # the zone by its name
    placeholder = _with_zone_id(looked_up, PLACEHOLDER_ZONE_ID)
    real = _with_zone_id(looked_up, "f" * 32)
    levels = {
        "no base": placeholder_findings("production", None, placeholder),
        "already there": placeholder_findings("production", placeholder, placeholder),
        "introduced": placeholder_findings("production", real, placeholder),
        "pinned where it was looked up": placeholder_findings("production", looked_up, placeholder),
        "staging": placeholder_findings("staging", real, placeholder),
        "set": placeholder_findings("production", placeholder, real),
        "removed": placeholder_findings("production", placeholder, looked_up),
        "looked up": placeholder_findings("production", None, looked_up),
    }
    assert {name: [f.level for f in found] for name, found in levels.items()} == {
        "no base": ["advisory"],
        "already there": ["advisory"],
        "introduced": ["mandatory"],
        "pinned where it was looked up": ["mandatory"],
        "staging": ["advisory"],
        "set": [],
        "removed": [],
        "looked up": [],
    }
    assert levels["introduced"][0].policy == PLACEHOLDER_ZONE
    assert "myhibachi:edge.zoneId" in levels["introduced"][0].message
    assert "Remove zoneId from myhibachi:edge in Pulumi.production.yaml" in (
        levels["introduced"][0].fix
    )


def test_the_placeholder_in_staging_is_reported(tmp_path: Path) -> None:
    # Production's refusal (exit 2) is in test_stack_file.py.
    document = stack_document("staging")
    document["config"]["myhibachi:edge"]["zoneId"] = PLACEHOLDER_ZONE_ID
    (tmp_path / "Pulumi.staging.yaml").write_text(yaml.safe_dump(document))
    reported = run_preflight("--stack-file", str(tmp_path / "Pulumi.staging.yaml"))
    assert reported.returncode == 0, reported.stderr
    assert f"[advisory]  {PLACEHOLDER_ZONE}  (Pulumi.staging.yaml)" in reported.stdout
    assert "Cloudflare resources cannot deploy with it" in reported.stdout


def test_renaming_the_database_component_blocks_and_says_how_to_alias(clone: Path) -> None:
    program = clone / "__main__.py"
    text = program.read_text()
    assert 'database = Database(\n    "database",' in text
    program.write_text(
        text.replace('database = Database(\n    "database",', 'database = Database(\n    "db",')
    )
    result = run_preflight("--stack", "production", "--base", "HEAD", "--format", "json", cwd=clone)
    assert result.returncode == 1, result.stderr
    stack = json.loads(result.stdout)["stacks"][0]
    assert stack["blocked"] is True
    blocking = {
        v["urn"].split("::")[-1]: v
        for v in stack["violations"]
        if v["level"] == "mandatory" and v["policy"] == DESTROYS_PROTECTED
    }
    # The instance (protect, deletion protection) and its database (stateful, in a stack that
    # protects stateful resources); the password or the URL version hold nothing to lose.
    assert set(blocking) == {"database-instance", "database-db", "database-user"}
    instance = blocking["database-instance"]
    assert instance["message"].startswith("deletes gcp:sql:DatabaseInstance database-instance")
    assert instance["fix"].startswith(
        "If db-instance is this resource renamed, keep it with an alias so nothing is replaced: "
        'aliases=[pulumi.Alias(name="database-instance")] in its ResourceOptions '
        "(components/database.py;"
    )
    assert "lifts its protection" in instance["fix"]

    comment = run_preflight(
        "--stack", "production", "--base", "HEAD", "--format", "markdown", cwd=clone
    )
    assert comment.returncode == 1
    before_details = comment.stdout.split("<details>")[0]
    assert "## Preflight: **blocked**" in before_details
    assert f"`{DESTROYS_PROTECTED}` on `gcp:sql:DatabaseInstance: database-instance`" in (
        before_details
    )
    assert "  - **Fix:** If db-instance is this resource renamed" in before_details
    head = re.search(
        r"Commit `([0-9a-f]{12})` with uncommitted changes against `HEAD` \(`([0-9a-f]{12})`\)",
        comment.stdout,
    )
    assert head is not None and head.group(1) == head.group(2)


def test_a_region_change_in_production_is_blocked_and_named(clone: Path) -> None:
    stack_file = clone / "Pulumi.production.yaml"
    stack_file.write_text(
        stack_file.read_text().replace("gcp:region: us-central1", "gcp:region: us-east4")
    )
    result = run_preflight("--stack", "production", "--base", "HEAD", cwd=clone)
    assert result.returncode == 1, result.stderr
    text = result.stdout
    assert "replace [protect]  !! replaces a protected resource [diff: region]" in text
    assert f"database-db                       update [protect] [{DEPENDS_ON_REPLACED}]" in text
    assert (
        "[mandatory]  preflight-protected-resource-destroyed  (gcp:sql:DatabaseInstance: " in text
    )
    assert "    fix: This change sets gcp:region in Pulumi.production.yaml." in text
    # Against a base, only the outputs that change are shown.
    outputs = text.split("\nOutputs:\n")[1].split("\n\n")[0].splitlines()
    assert outputs and all(line.startswith("    ~ ") for line in outputs), outputs
    assert any("sqlConnectionName" in line for line in outputs)
    assert not any("hosts" in line for line in outputs)
