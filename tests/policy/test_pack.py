"""Pack-wide rules: names, metadata, config files, README table, compliant and empty stacks,
no values in messages, and no verdict on unknown values or wrong types."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pulumi_policy import ResourceValidationPolicy, StackValidationPolicy

from policy.myhibachi_policy.index import MODULES, all_policies
from preflight.policy_config import PolicyConfigError, parse_policy_config, reconcile_policy_config
from tests.policy import baselines as b
from tests.policy.one_change import changed
from tests.policy.support import (
    PACK_DIR,
    STACKS,
    UNKNOWN,
    Outcome,
    config_document,
    names,
    res,
    run_resource,
    run_stack,
    stack_config,
    stack_names,
    stack_values,
    summaries,
)

NAME_RE = re.compile(r"^(gcp|cloudflare|vercel|feature|pack)-[a-z0-9]+(-[a-z0-9]+)+$")


def test_policy_names_are_unique_and_styled() -> None:
    names = [p.name for p in all_policies()]
    assert len(names) == len(set(names))
    assert [n for n in names if not NAME_RE.match(n)] == []


@pytest.mark.parametrize("policy", all_policies(), ids=lambda p: p.name)
def test_policy_metadata(policy: ResourceValidationPolicy) -> None:
    assert policy.description.endswith(".")
    assert re.search(
        r"\((?:[^()]*(?:CIS|CKV_|seed item|OWASP|PCI|Fabric)[^()]*)\)\.$", policy.description
    )
    assert policy.severity is not None
    assert policy.remediation_steps
    assert policy.tags


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_each_policy_module_has_its_test_module(module: ModuleType) -> None:
    # Tests mirror the policy modules; each names every policy of its module.
    test_file = Path(__file__).parent / f"test_{module.__name__.rsplit('.', 1)[-1]}.py"
    assert test_file.is_file()
    text = test_file.read_text()
    assert [p.name for p in module.POLICIES if p.name not in text] == []


@pytest.mark.parametrize("stack", STACKS)
def test_config_file_sets_every_policy_explicitly(stack: str) -> None:
    document = config_document(stack)
    assert set(document) == {p.name for p in all_policies()}
    stack_config(stack)  # validates against every schema


def test_levels_per_stack() -> None:
    staging, production = stack_config("staging"), stack_config("production")
    differing = {
        n: (staging[n].enforcement_level, production[n].enforcement_level)
        for n in staging
        if staging[n].enforcement_level != production[n].enforcement_level
    }
    assert differing == {
        "gcp-sql-instance-regional-availability": ("advisory", "mandatory"),
        "gcp-sql-instance-no-statement-duration-logging": ("advisory", "mandatory"),
        "gcp-sql-instance-protected": ("advisory", "mandatory"),
        "gcp-redis-instance-standard-ha-tier": ("advisory", "mandatory"),
        "feature-flag-gradual-rollout": ("disabled", "advisory"),
        # Staging owns no rulesets; a new stack's API starts DNS-only until its certificate.
        "cloudflare-ruleset-expressions-supported": ("advisory", "mandatory"),
        "cloudflare-dns-record-api-proxied": ("advisory", "mandatory"),
        "gcp-stateful-resource-protected": ("disabled", "mandatory"),
        "vercel-env-secret-production-only": ("advisory", "mandatory"),
        "pack-resource-type-covered": ("advisory", "mandatory"),
        # Staging pages nobody: every severity goes to email there.
        "gcp-monitoring-critical-alerts-page": ("disabled", "mandatory"),
    }
    assert production["gcp-resource-labels-required"].enforcement_level == "advisory"
    assert production["gcp-compute-subnetwork-flow-logs"].enforcement_level == "mandatory"


def test_readme_lists_every_policy() -> None:
    readme = (PACK_DIR / "README.md").read_text()
    missing = [p.name for p in all_policies() if f"`{p.name}`" not in readme]
    assert missing == []
    # Each row says what the policy says of itself, with its level per stack.
    staging, production = stack_config("staging"), stack_config("production")
    stale = []
    for policy in all_policies():
        kind = "stack" if isinstance(policy, StackValidationPolicy) else "resource"
        levels = f"{staging[policy.name].enforcement_level} | "
        levels += production[policy.name].enforcement_level
        row = f"| `{policy.name}` | {kind} | {' '.join(policy.description.split())} | {levels} |"
        if row not in readme:
            stale.append(policy.name)
    assert stale == []


def test_broken_config_gives_one_line_error() -> None:
    raw = parse_policy_config(
        '{"gcp-sql-instance-backup-retention": {"minRetainedBackups": "thirty"}}', "x.json"
    )
    with pytest.raises(PolicyConfigError) as error:
        reconcile_policy_config(summaries(), raw, "x.json")
    assert str(error.value) == (
        "x.json: gcp-sql-instance-backup-retention: minRetainedBackups: must be an integer (got str)"  # noqa: E501
    )


@pytest.mark.parametrize("stack", STACKS)
def test_policy_config_restates_no_stack_fact(stack: str) -> None:
    # Hosts, URLs, the secret prefix and project names are the stack file's; the policy config
    # holds levels, floors and allow-lists only. An allowed group's address is an allow-list
    # entry, not a host: its domain is the zone's by coincidence of ownership.
    text = re.sub(r"[\w.+-]+@[\w.-]+", "<address>", json.dumps(config_document(stack)))
    values = stack_values(stack)
    domain = json.loads(values["myhibachi:domain"])
    frontends = json.loads(values["myhibachi:frontends"])
    facts = [domain[role] for role in ("site", "admin", "api")]
    facts += [frontends[app]["projectName"] for app in ("customer", "admin")]
    assert [fact for fact in facts if fact in text] == []
    assert f'"{values["myhibachi:env"]}"' not in text


def test_compliant_production_stack() -> None:
    assert run_stack([*b.monitoring(), *b.edge(), *b.backups(), *b.flags()]) == []


def test_compliant_staging_stack() -> None:
    resources = [*b.staging_monitoring(), *b.staging_edge(), *b.backups(), *b.flags()]
    assert run_stack(resources, stack="staging") == []


def test_empty_stack_violations() -> None:
    assert stack_names([]) == {
        "cloudflare-zone-settings-present",
        "cloudflare-ruleset-cache-private-never-cached",
        "cloudflare-ruleset-rate-limits",
        "cloudflare-ruleset-managed-waf",
        "cloudflare-dns-record-api-proxied",
        "gcp-sql-backup-export-scheduled",
        "feature-flag-required-on",
        "feature-flag-gradual-rollout",
        "gcp-monitoring-alert-api-latency",
        "gcp-monitoring-alert-error-rate",
        "gcp-monitoring-alert-slow-queries",
        "gcp-monitoring-uptime-public-hosts",
        "gcp-monitoring-critical-alerts-page",
        "gcp-logging-metric-project-ownership-changes",
        "gcp-logging-metric-audit-config-changes",
        "gcp-logging-metric-custom-role-changes",
        "gcp-logging-metric-firewall-rule-changes",
        "gcp-logging-metric-route-changes",
        "gcp-logging-metric-network-changes",
        "gcp-logging-metric-bucket-iam-changes",
        "gcp-logging-metric-sql-config-changes",
        "gcp-logging-data-access-audit-logs",
        "gcp-logging-audit-trail-retained",
        "gcp-essentialcontacts-security-and-technical",
    }


def test_messages_never_contain_property_values() -> None:
    canary = "CANARY" + "-7f3e-do-not-print"
    cases = [
        (b.VERCEL_VAR, b.vercel_var("STRIPE_SECRET_KEY", "sk" + "_live_" + canary)),
        (b.VERCEL_VAR, b.vercel_var("NEXT_PUBLIC_ADMIN_TOKEN", canary)),
        (b.VERCEL_VAR, b.vercel_var("NEXT_PUBLIC_API_URL", "https://" + canary)),
        (b.VERCEL_VAR, b.vercel_var("NEXT_PUBLIC_FEATURE_TRAVEL_FEE_V2", canary)),
        (
            b.RUN_SERVICE,
            changed(
                b.run_service(),
                "template.containers.0.envs.6",
                {"name": "DATABASE_URL", "value": "postgres://u:" + canary + "@db"},
            ),
        ),
        (
            b.RUN_SERVICE,
            changed(
                b.run_service(),
                "template.serviceAccount",
                canary + "-compute@developer.gserviceaccount.com",
            ),
        ),
        (b.SECRET, b.secret("prod-global-" + canary)),
        (
            b.API_KEY,
            changed(
                b.api_key(),
                "restrictions.browserKeyRestrictions.allowedReferrers.0",
                "https://" + canary,
            ),
        ),
        (
            b.SQL,
            changed(
                b.sql(), "settings.databaseFlags.0", {"name": "log_connections", "value": canary}
            ),
        ),
        (b.RULESET, changed(b.cache_ruleset(), "rules.1.expression", canary)),
        (b.ZONE_SETTING, changed(b.zone_settings()["ssl"], "value", canary)),
        # A credential holding the canary, in a field and as a map key.
        (
            b.RUN_SERVICE,
            changed(b.run_service(), "template.containers.0.args", ["sk" + "_live_" + canary]),
        ),
        (b.BUCKET, {**b.bucket(), "labels": {"sk" + "_live_" + canary: "x"}}),
        (
            "gcp:secretmanager/secretIamMember:SecretIamMember",
            {"secretId": "s", "role": "roles/viewer", "member": f"user:{canary}@gmail.com"},
        ),
        (
            "gcp:projects/iAMCustomRole:IAMCustomRole",
            {"roleId": "r", "permissions": [f"{canary}.setIamPolicy"]},
        ),
    ]
    reported = 0
    for resource_type, props in cases:
        for _, message in run_resource(resource_type, props):
            reported += 1
            assert canary not in message
    service = changed(
        b.run_service(),
        "template.containers.0.envs.1",
        {"name": "FEATURE_FLAG_AUDIT_LOGGING", "value": canary},
    )
    for _, message, _ in run_stack([res(b.RUN_SERVICE, "api", service)]):
        reported += 1
        assert canary not in message
    assert reported >= len(cases)


# --- Unknown values and wrong types ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource_type", "baseline", "path"),
    [
        (b.SQL, b.sql, "settings"),
        (b.SQL, b.sql, "settings.ipConfiguration"),
        (b.SQL, b.sql, "settings.ipConfiguration.ipv4Enabled"),
        (b.SQL, b.sql, "settings.databaseFlags"),
        (b.SQL, b.sql, "databaseVersion"),
        (b.REDIS, b.redis, "tier"),
        (b.SECRET, b.secret, "secretId"),
        (b.SECRET, b.secret, "rotation"),
        (b.API_KEY, b.api_key, "restrictions"),
        (b.API_KEY, b.api_key, "restrictions.browserKeyRestrictions.allowedReferrers.0"),
        (b.BUCKET, b.bucket, "retentionPolicy.retentionPeriod"),
        (b.RUN_SERVICE, b.run_service, "template.serviceAccount"),
        (b.RUN_SERVICE, b.run_service, "template.containers"),
        (b.RULESET, b.cache_ruleset, "rules"),
        (b.RULESET, b.cache_ruleset, "rules.0.expression"),
        (b.VERCEL_PROJECT, b.vercel_project, "vercelAuthentication"),
    ],
)
def test_unknown_value_is_not_a_violation(
    resource_type: str, baseline: Callable[[], dict[str, Any]], path: str
) -> None:
    assert names(resource_type, changed(baseline(), path, UNKNOWN)) == set()


@pytest.mark.parametrize(
    ("resource_type", "baseline", "path", "value"),
    [
        (b.SQL, b.sql, "settings", "not-an-object"),
        (b.SQL, b.sql, "settings.databaseFlags", {"name": "x"}),
        (b.SQL, b.sql, "settings.databaseFlags.0", "log_connections"),
        (b.SECRET, b.secret, "topics", "topic"),
        (b.API_KEY, b.api_key, "restrictions.apiTargets", "all"),
        (b.RUN_SERVICE, b.run_service, "template.containers", {"envs": 1}),
        (b.RULESET, b.cache_ruleset, "rules.1", "rule"),
        (b.ZONE_SETTING, lambda: b.zone_settings()["security_header"], "value", "on"),
    ],
)
def test_wrong_types_do_not_crash(
    resource_type: str, baseline: Callable[[], dict[str, Any]], path: str, value: Any
) -> None:
    names(resource_type, changed(baseline(), path, value))


def test_only_declined_fails_when_a_policy_reports() -> None:
    # The tests of unknown values rely on it: a violation must not pass as "declined".
    outcome = Outcome(violations=[("some-policy", "a message", None)], skipped={"other": "why"})
    with pytest.raises(AssertionError, match="expected no violations"):
        outcome.only_declined()
    assert Outcome(skipped={"other": "why"}).only_declined() == {"other": "why"}
