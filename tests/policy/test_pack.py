"""Pack-wide rules: names, metadata, config files, README table, and no values in messages."""

from __future__ import annotations

import re

import pytest
from pulumi_policy import ResourceValidationPolicy

from policy.myhibachi_policy.helpers import looks_secret
from policy.myhibachi_policy.index import all_policies
from preflight.policy_config import PolicyConfigError, parse_policy_config, reconcile_policy_config
from tests.policy import baselines as b
from tests.policy.support import (
    PACK_DIR,
    STACKS,
    changed,
    config_document,
    res,
    run_resource,
    run_stack,
    stack_config,
    summaries,
)

NAME_RE = re.compile(r"^(gcp|cloudflare|vercel|feature)-[a-z0-9]+(-[a-z0-9]+)+$")


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
    }
    assert production["gcp-resource-labels-required"].enforcement_level == "advisory"


def test_readme_lists_every_policy() -> None:
    readme = (PACK_DIR / "README.md").read_text()
    missing = [p.name for p in all_policies() if f"`{p.name}`" not in readme]
    assert missing == []


def test_broken_config_gives_one_line_error() -> None:
    raw = parse_policy_config(
        '{"gcp-sql-instance-backup-retention": {"minRetainedBackups": "thirty"}}', "x.json"
    )
    with pytest.raises(PolicyConfigError) as error:
        reconcile_policy_config(summaries(), raw, "x.json")
    assert str(error.value) == (
        "x.json: gcp-sql-instance-backup-retention: minRetainedBackups: must be an integer (got str)"  # noqa: E501
    )


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("STRIPE_SECRET_KEY", True),
        ("OPENAI_API_KEY", True),
        ("DATABASE_URL", True),
        ("REDIS_URL", True),
        ("SENTRY_DSN", True),
        ("DB_PASSWORD", True),
        ("JWT_PRIVATE_PEM", True),
        ("GOOGLE_CREDENTIALS", True),
        ("GITHUB_TOKEN", True),
        ("APIKEY", True),
        ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", False),
        ("NEXT_PUBLIC_API_URL", False),
        ("NEXT_PUBLIC_APP_URL", False),
        ("LOG_LEVEL", False),
        ("FEATURE_FLAG_MATH_CAPTCHA", False),
        ("NEXT_PUBLIC_FEATURE_SMS_CONSENT", False),
        ("STRIPE_PUBLISHABLE_KEY", False),
    ],
)
def test_looks_secret(name: str, secret: bool) -> None:
    assert looks_secret(name) is secret


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
