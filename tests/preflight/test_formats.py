"""Text, Markdown and JSON reports: shape, truncation, and no secret value in any of them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from preflight import capture as capture_module
from preflight.cli import main
from preflight.diff import diff_captures
from preflight.findings import Violation
from preflight.render_markdown import MARKER, render_markdown
from preflight.report import StackReport
from tests.conftest import PROJECT_DIR
from tests.preflight.canary import plant_canary

CANARY = "canary-" + "5f1d3c0e9a7b"


def test_json_report_has_stable_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--stack", "staging,production", "--format", "json", "--no-policy"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["schemaVersion"] == 1
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
