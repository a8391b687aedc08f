"""The policy gate: the real pack over the Analyzer protocol blocks what it must, and its verdicts
equal those of the pack's policies called directly."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pulumi_policy import PolicyResource

from policy.myhibachi_policy.index import policies_by_name
from preflight.capture import Capture, capture_with_config
from preflight.findings import Findings
from preflight.gate import PolicyGate
from preflight.stack_file import read_stack_config
from preflight.values import unwrapped
from tests.conftest import (
    PROJECT_DIR,
    captured,
    mandatory_findings,
    preflight_with_appended,
    run_preflight,
    stack_document,
)
from tests.policy.support import res, resource_violations, run_stack


@pytest.fixture(scope="module")
def findings() -> dict[str, Findings]:
    """What the gate reports per stack, for the real program."""
    configs = {s: read_stack_config(PROJECT_DIR, s).values for s in ("staging", "production")}
    with PolicyGate(PROJECT_DIR, configs) as gate:
        return {stack: gate.evaluate(captured(stack)) for stack in configs}


@pytest.fixture(scope="module")
def verdicts(findings: dict[str, Findings]) -> dict[str, list[tuple[str, str, str]]]:
    """(level, policy, message) per stack from the gate, for the real program."""
    return {
        stack: [(v.level, v.policy, v.message) for v in found.violations]
        for stack, found in findings.items()
    }


def test_streamed_and_concluded_early_the_findings_are_the_same(
    findings: dict[str, Findings],
) -> None:
    """As the command line runs it: each resource sent as it registers, the stack policies as
    soon as the program ends, then the next program; findings as if analyzed all at the end."""
    configs = {s: read_stack_config(PROJECT_DIR, s) for s in ("staging", "production")}
    with PolicyGate(PROJECT_DIR, {s: c.values for s, c in configs.items()}) as gate:
        captures = []
        for config in configs.values():
            capture = capture_with_config(PROJECT_DIR, config, gate.listener(config.stack))
            gate.conclude(capture)
            gate.conclude(capture)  # a second call changes nothing
            captures.append(capture)
        streamed = {capture.stack: gate.evaluate(capture) for capture in captures}
    assert streamed == findings


def test_policies_that_cannot_judge_are_carried_through(findings: dict[str, Findings]) -> None:
    # Only production owns the zone's rulesets; staging's ruleset policies decline, as data.
    declined = {n.policy for n in findings["staging"].not_applicable if n.urn == ""}
    assert {
        "cloudflare-ruleset-cache-private-never-cached",
        "cloudflare-ruleset-managed-waf",
        "cloudflare-ruleset-rate-limits",
    } <= declined
    assert all("ownsZoneRulesets" not in n.reason for n in findings["production"].not_applicable)


@pytest.mark.parametrize("stack", ["staging", "production"])
def test_the_real_program_passes_with_no_mandatory_violation(
    verdicts: dict[str, list[tuple[str, str, str]]], stack: str
) -> None:
    mandatory = [v for v in verdicts[stack] if v[0] == "mandatory"]
    assert mandatory == []


def direct_verdict(capture: Capture) -> Counter[tuple[str, str]]:
    """The pack's policies called in-process on the same resources (secrets in plain text).

    The analyzer server reports each violation as the policy's description, a newline, and
    the message the policy reported; the same is composed here.
    """
    described = {name: policy.description for name, policy in policies_by_name().items()}
    found: Counter[tuple[str, str]] = Counter()
    custom = [resource for resource in capture.resources if resource.custom]
    for _, policy, message in resource_violations(capture.stack, custom):
        found[(policy, f"{described[policy]}\n{message}")] += 1
    # With the dependencies the engine reports, which the analyzer server resolves too.
    by_urn: dict[str, PolicyResource] = {}
    for r in capture.resources:
        dependencies = [by_urn[urn] for urn in r.dependencies if urn in by_urn]
        by_urn[r.urn] = res(r.type, r.name, unwrapped(r.inputs), dependencies=dependencies)
    stack_resources = list(by_urn.values())
    for policy, message, _ in run_stack(stack_resources, stack=capture.stack):
        found[(policy, f"{described[policy]}\n{message}")] += 1
    return found


@pytest.mark.parametrize("stack", ["staging", "production"])
def test_offline_verdicts_equal_the_pack_called_directly(
    verdicts: dict[str, list[tuple[str, str, str]]], stack: str
) -> None:
    offline = Counter((policy, message) for _, policy, message in verdicts[stack])
    assert offline == direct_verdict(captured(stack))


def noncompliant_production(tmp_path: Path) -> Path:
    document = stack_document("production")
    config = document["config"]
    config["myhibachi:featureFlags"]["backend"]["TRAVEL_FEE_V2"] = True
    config["myhibachi:database"]["availability"] = "ZONAL"
    stack_file = tmp_path / "Pulumi.production.yaml"
    stack_file.write_text(yaml.safe_dump(document))
    return stack_file


def test_a_noncompliant_stack_file_is_blocked_naming_the_policies(tmp_path: Path) -> None:
    result = run_preflight("--stack-file", str(noncompliant_production(tmp_path)))
    assert result.returncode == 1, result.stderr
    mandatory = {line.split()[1] for line in mandatory_findings(result.stdout)}
    assert {"feature-flag-postponed-off", "gcp-sql-instance-regional-availability"} <= mandatory
    assert "(blocked)" in result.stdout


def test_the_same_change_is_advisory_on_staging(tmp_path: Path) -> None:
    document = stack_document("staging")
    document["config"]["myhibachi:database"]["availability"] = "ZONAL"
    stack_file = tmp_path / "Pulumi.staging.yaml"
    stack_file.write_text(yaml.safe_dump(document))
    result = run_preflight("--stack-file", str(stack_file), "--format", "json")
    lines = [v for v in result.stdout.split('"policy"') if "regional-availability" in v]
    assert lines, result.stdout[-2000:]
    assert '"level": "advisory"' in result.stdout
    assert result.returncode == 0, result.stdout[-3000:]


def test_a_broken_policy_config_is_a_one_line_error(tmp_path: Path) -> None:
    pack = tmp_path / "policy"
    shutil.copytree(PROJECT_DIR / "policy", pack, ignore=shutil.ignore_patterns("__pycache__"))
    (pack / "config" / "staging.json").write_text(
        '{"gcp-sql-instance-backup-retention": {"minRetainedBackups": "thirty"}}'
    )
    result = run_preflight("--stack", "staging", "--policy-pack", str(pack))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert (
        "staging.json: gcp-sql-instance-backup-retention: minRetainedBackups: must be" in lines[0]
    )


def test_a_noncompliant_resource_appended_to_the_program_is_named(clone: Path) -> None:
    result = preflight_with_appended(
        clone,
        "\nfrom pulumi_gcp import storage\n\n"
        'storage.Bucket("leaky-exports", location="US", '
        'labels={"env": "prod", "app": "myhibachi", "owner": "devops"})\n',
    )
    assert result.returncode == 1, result.stderr
    blocked = mandatory_findings(result.stdout)
    assert any(
        "gcp-storage-bucket-uniform-access" in line and "leaky-exports" in line for line in blocked
    )
    assert any("gcp-storage-bucket-public-access-prevention" in line for line in blocked)
