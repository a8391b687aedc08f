"""Text, Markdown and JSON reports: shape, truncation, and no secret value in any of them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from preflight import capture as capture_module
from preflight.cli import main
from preflight.diff import diff_captures
from preflight.findings import NotApplicable, Violation
from preflight.render_markdown import MARKER, render_markdown
from preflight.report import StackReport
from tests.conftest import PROJECT_DIR
from tests.preflight.canary import plant_canary

CANARY = "canary-" + "5f1d3c0e9a7b"


def test_reports_follow_the_order_the_stacks_are_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The programs run last-named first; the report keeps the order asked.
    assert main(["--stack", "production,staging", "--format", "json", "--no-policy"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [s["stack"] for s in document["stacks"]] == ["production", "staging"]
    assert [s["resources"][0]["urn"].split(":")[2] for s in document["stacks"]] == [
        "production",
        "staging",
    ]


def test_json_report_has_stable_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--stack", "staging,production", "--format", "json", "--no-policy"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["schemaVersion"] == 2
    assert [s["stack"] for s in document["stacks"]] == ["staging", "production"]
    production = document["stacks"][1]
    assert set(production["summary"]) == {
        "create",
        "update",
        "replace",
        "delete",
        "same",
        "mandatory",
        "advisory",
        "notVerified",
    }
    instance = next(r for r in production["resources"] if r["name"] == "database-instance")
    assert instance["operation"] == "create"
    assert instance["protected"] is True
    assert instance["stateful"] is True


def test_markdown_has_one_summary_row_per_stack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--stack", "staging,production", "--format", "markdown", "--no-policy"]) == 0
    comment = capsys.readouterr().out
    assert comment.startswith(MARKER)
    rows = [line for line in comment.splitlines() if line.startswith("| `")]
    assert [row.split("|")[1].strip() for row in rows] == ["`staging`", "`production`"]
    assert "<details><summary><code>production</code> plan</summary>" in comment


def test_markdown_truncates_under_the_limit(staging: Any) -> None:
    violations = [
        Violation(
            policy=f"policy-{i}", level="advisory", message="x" * 200, urn=staging.resources[0].urn
        )
        for i in range(50)
    ]
    report = StackReport(staging, diff_captures(None, staging), violations)
    comment = render_markdown([report, report], limit=6000)
    assert len(comment.encode()) <= 6000
    assert "| `staging` |" in comment
    assert "did not fit in a comment" in comment


@pytest.fixture
def canary_mocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every generated secret (password, AUTH string, key string) carries the canary."""
    plant_canary(monkeypatch, f"{CANARY}-")


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_canary_secret_never_appears(
    canary_mocks: None, output_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    planted = capture_module.capture_stack(PROJECT_DIR, "staging")
    assert CANARY in json.dumps([r.inputs for r in planted.resources]), "the canary is planted"
    code = main(["--stack", "staging,production", "--format", output_format, "--details"])
    out, err = capsys.readouterr()
    assert code in (0, 1)
    assert "[secret]" in out or output_format != "text"
    assert CANARY not in out
    assert CANARY not in err


def blocked_report(staging: Any) -> StackReport:
    """Staging with one blocking and one advisory finding, and a policy that could not judge."""
    urn = next(r.urn for r in staging.resources if r.name == "database-instance")
    return StackReport(
        staging,
        diff_captures(None, staging),
        [
            Violation("policy-a", "advisory", "advisory text", urn, fix="do a"),
            Violation("policy-m", "mandatory", "mandatory text", urn, fix="do m in x.py"),
        ],
        not_applicable=[NotApplicable("policy-u", "the value is unknown", urn)],
        head_commit="0123456789abcdef0123456789abcdef01234567+",
    )


def test_markdown_puts_the_verdict_and_blocking_findings_first_and_expanded(staging: Any) -> None:
    comment = render_markdown([blocked_report(staging)])
    expanded = comment.split("<details>")[0]
    assert expanded.startswith(f"{MARKER}\n## Preflight: **blocked**\n")
    assert "Commit `0123456789ab` with uncommitted changes: every resource is new" in expanded
    assert (
        "- **`staging`** `policy-m` on `gcp:sql:DatabaseInstance: database-instance`: "
        "mandatory text\n  - **Fix:** do m in x.py\n"
    ) in expanded
    assert "### Could not verify (1)" in expanded
    assert (
        "- `staging` `policy-u` on `gcp:sql:DatabaseInstance: database-instance`: "
        "the value is unknown"
    ) in expanded
    # The advisory finding and the plan are collapsed, after everything a reviewer must read.
    assert "advisory text" not in expanded
    assert "<details><summary>Advisory (1)</summary>" in comment
    assert comment.index("Advisory (1)") < comment.index("<code>staging</code> plan")


def test_markdown_keeps_blocking_findings_when_the_rest_does_not_fit(staging: Any) -> None:
    report = blocked_report(staging)
    comment = render_markdown([report, report], limit=6000)
    assert len(comment.encode()) <= 6000
    assert comment.count("  - **Fix:** do m in x.py") == 2
    assert "did not fit in a comment" in comment


def test_the_real_comment_is_well_under_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--stack", "staging,production", "--format", "markdown"]) == 0
    comment = capsys.readouterr().out
    assert len(comment.encode()) < 60_000
    assert "did not fit" not in comment


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_text_and_json_list_what_could_not_be_verified(
    output_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Staging does not own the zone's rulesets: those policies decline to judge it.
    assert main(["--stack", "staging", "--format", output_format]) == 0
    out = capsys.readouterr().out
    if output_format == "json":
        stack = json.loads(out)["stacks"][0]
        declined = {item["policy"] for item in stack["notVerified"]}
        assert stack["summary"]["notVerified"] == len(stack["notVerified"])
        assert all(item["reason"] for item in stack["notVerified"])
    else:
        section = out.split("\nCould not verify:\n")[1].split("\n\n")[0]
        declined = {line.split()[0] for line in section.splitlines()}
    assert "cloudflare-ruleset-rate-limits" in declined
