"""Changes to the policy gate itself: listed first, judged laxer or stricter per setting, and
blocking in production when they weaken it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from preflight.change_findings import POLICY_WEAKENED, policy_findings
from preflight.policy_changes import PolicyChanges, compare_policy_configs
from preflight.policy_directions import DIRECTIONS, judge_level, judge_property
from tests.conftest import PROJECT_DIR, run_preflight
from tests.policy.support import summaries

PRODUCTION = (PROJECT_DIR / "policy" / "config" / "production.json").read_text()


def test_every_property_of_every_policy_schema_has_a_direction() -> None:
    properties = {
        (policy.name, name, schema.get("type"))
        for policy in summaries()
        for name, schema in policy.config_properties.items()
    }
    assert properties, "the pack has configurable policies"
    missing = sorted(
        f"{policy}: {name}" for policy, name, _ in properties if name not in DIRECTIONS
    )
    assert missing == []
    for policy, name, kind in properties:
        if kind in ("integer", "number"):
            assert DIRECTIONS[name] in ("floor", "ceiling"), (policy, name)


@pytest.mark.parametrize(
    ("name", "old", "new", "verdict"),
    [
        ("minRetainedBackups", 30, 7, "weaker"),
        ("minRetainedBackups", 7, 30, "stricter"),
        ("maxRotationDays", 90, 365, "weaker"),
        ("latencyP95Ms", 300, 250, "stricter"),
        ("periodSeconds", 60, 10, "weaker"),
        ("apiMaxRequests", 600, None, "weaker"),
        ("approvedServices", ["a"], ["a", "b"], "weaker"),
        ("approvedServices", ["a", "b"], ["a"], "stricter"),
        ("requiredOnFlags", ["A", "B"], ["A"], "weaker"),
        ("requiredOnFlags", ["A"], ["A", "B"], "stricter"),
        ("requiredTerms", {"a": "1"}, {}, "weaker"),
        ("managedWafRequired", True, False, "weaker"),
        ("minLogLevel", "INFO", "DEBUG", "weaker"),
        ("minLogLevel", "INFO", "WARNING", "stricter"),
        ("sessionCookie", "a", "b", "changed"),
        ("notInTheTable", 1, 2, "changed"),
    ],
)
def test_judging_a_property(name: str, old: Any, new: Any, verdict: str) -> None:
    assert judge_property(name, old, new)[0] == verdict


def test_judging_levels() -> None:
    assert judge_level("mandatory", "advisory")[0] == "weaker"
    assert judge_level("advisory", "disabled")[0] == "weaker"
    assert judge_level("advisory", "mandatory")[0] == "stricter"


def changed_config(**entries: Any) -> str:
    document = json.loads(PRODUCTION)
    document.update(entries)
    return json.dumps(document)


def compare(head: str, head_policies: Any = None) -> list[tuple[str, str, Any, Any, str]]:
    found = compare_policy_configs(
        PRODUCTION, head, summaries(), head_policies or summaries(), "production.json"
    )
    return [(c.policy, c.setting, c.old, c.new, c.verdict) for c in found]


def test_a_disabled_policy_and_a_lower_floor_are_weaker() -> None:
    head = changed_config(
        **{
            "gcp-sql-instance-tls-required": "disabled",
            "gcp-sql-instance-backup-retention": {
                "enforcementLevel": "mandatory",
                "minRetainedBackups": 7,
            },
        }
    )
    assert compare(head) == [
        ("gcp-sql-instance-backup-retention", "minRetainedBackups", 30, 7, "weaker"),
        ("gcp-sql-instance-tls-required", "enforcementLevel", "mandatory", "disabled", "weaker"),
    ]


def test_an_entry_removed_falls_back_to_the_pack_default() -> None:
    document = json.loads(PRODUCTION)
    # The pack's default for this policy is mandatory: removing the entry changes nothing ...
    del document["gcp-sql-instance-tls-required"]
    # ... while the API's rate limit, which has no default, is gone.
    del document["cloudflare-ruleset-rate-limits"]["apiMaxRequests"]
    assert compare(json.dumps(document)) == [
        ("cloudflare-ruleset-rate-limits", "apiMaxRequests", 600, None, "weaker"),
    ]


def test_a_policy_removed_from_the_pack_is_weaker() -> None:
    document = json.loads(PRODUCTION)
    del document["gcp-iam-no-basic-roles"]
    head_policies = [p for p in summaries() if p.name != "gcp-iam-no-basic-roles"]
    assert compare(json.dumps(document), head_policies) == [
        ("gcp-iam-no-basic-roles", "(policy)", "mandatory", None, "weaker")
    ]


def test_weakening_blocks_in_production_and_is_reported_elsewhere() -> None:
    settings = compare_policy_configs(
        PRODUCTION,
        changed_config(**{"gcp-sql-instance-tls-required": "advisory"}),
        summaries(),
        summaries(),
        "policy/config/production.json",
    )
    changes = PolicyChanges("policy/config/production.json", ("x",), tuple(settings))
    [blocking] = policy_findings("production", changes)
    assert (blocking.policy, blocking.level) == (POLICY_WEAKENED, "mandatory")
    assert blocking.resource == "policy/config/production.json"
    assert blocking.message == (
        'gcp-sql-instance-tls-required: enforcementLevel: "mandatory" => "advisory" '
        "(weaker: a lower enforcement level)."
    )
    assert "must be approved by the code owners of policy/ (.github/CODEOWNERS)" in blocking.fix
    staging = replace(changes, config_file="policy/config/staging.json")
    assert [f.level for f in policy_findings("staging", staging)] == ["advisory"]


def test_a_weakened_production_policy_is_listed_first_and_blocks_in_every_format(
    clone: Path,
) -> None:
    config = clone / "policy" / "config" / "production.json"
    config.write_text(
        config.read_text().replace(
            '"gcp-sql-instance-tls-required": "mandatory"',
            '"gcp-sql-instance-tls-required": "disabled"',
        )
    )
    # A change to the pack's code is listed too (and its base policies are asked of it).
    module = clone / "policy" / "myhibachi_policy" / "gcp_sql.py"
    module.write_text(module.read_text() + "\n# A reviewed note.\n")
    args = ["--stack", "production", "--base", "HEAD"]

    text = run_preflight(*args, cwd=clone)
    assert text.returncode == 1, text.stderr
    lines = text.stdout.splitlines()
    assert lines[2] == "Policy changes against HEAD (policy/config/production.json):"
    assert lines[3] == (
        "    files: policy/config/production.json, policy/myhibachi_policy/gcp_sql.py"
    )
    assert lines[4] == (
        '    ~ gcp-sql-instance-tls-required: enforcementLevel: "mandatory" => "disabled" '
        "(weaker: a lower enforcement level)  !! weaker"
    )
    assert text.stdout.index("Policy changes") < text.stdout.index("pulumi:pulumi:Stack")
    assert "[mandatory]  preflight-policy-weakened  (policy/config/production.json)" in text.stdout

    comment = run_preflight(*args, "--format", "markdown", cwd=clone)
    assert comment.returncode == 1
    top = comment.stdout.split("<details>")[0]
    assert top.index("### Blocking") < top.index("### Policy gate changes")
    assert "`preflight-policy-weakened` on `policy/config/production.json`" in top
    assert "`production`: **1 weaker**" in top

    document = run_preflight(*args, "--format", "json", cwd=clone)
    assert document.returncode == 1
    stack = json.loads(document.stdout)["stacks"][0]
    assert stack["blocked"] is True
    assert stack["policyChanges"]["settings"] == [
        {
            "policy": "gcp-sql-instance-tls-required",
            "setting": "enforcementLevel",
            "old": "mandatory",
            "new": "disabled",
            "verdict": "weaker",
            "why": "a lower enforcement level",
        }
    ]


def test_a_grown_allow_list_shows_only_the_added_element() -> None:
    document = json.loads(PRODUCTION)
    approved = document["gcp-projects-apikey-api-targets-restricted"]["approvedServices"]
    approved.append("translate.googleapis.com")
    [change] = compare_policy_configs(
        PRODUCTION, json.dumps(document), summaries(), summaries(), "production.json"
    )
    assert change.describe() == (
        'approvedServices: + "translate.googleapis.com" (weaker: accepts more)'
    )
