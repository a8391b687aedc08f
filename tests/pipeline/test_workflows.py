"""GitHub workflows: the PR comment is always posted, the gate fails the job, deploys queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT_DIR

WORKFLOWS = PROJECT_DIR / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the bare key `on` as True.
    document["on"] = document.pop(True, document.get("on"))
    return document


def step(job: dict[str, Any], uses_or_id: str) -> dict[str, Any]:
    return next(
        s
        for s in job["steps"]
        if s.get("id") == uses_or_id or str(s.get("uses", "")).startswith(uses_or_id)
    )


@pytest.mark.parametrize("name", ["pull-request.yml", "deploy.yml"])
def test_default_permissions_are_read_only(name: str) -> None:
    assert load(name)["permissions"] == {"contents": "read"}


def test_pull_request_runs_preflight_of_both_stacks_against_the_base() -> None:
    job = load("pull-request.yml")["jobs"]["preflight"]
    run = step(job, "preflight")["run"]
    assert "--stack staging,production" in run
    assert '--base "$BASE_REF"' in run
    assert "--format markdown" in run
    assert job["steps"][0]["with"]["fetch-depth"] == 0


def test_the_comment_is_posted_always_and_updated_in_place() -> None:
    job = load("pull-request.yml")["jobs"]["preflight"]
    comment = step(job, "actions/github-script")
    assert comment["if"] == "always()"
    assert "updateComment" in comment["with"]["script"]
    assert "<!-- myhibachi-preflight -->" in comment["with"]["script"]
    assert job["permissions"]["pull-requests"] == "write"
    # The gate fails the job only after the comment is posted.
    names = [s.get("name", s.get("uses", "")) for s in job["steps"]]
    assert names.index("Fail on mandatory violations or errors") > names.index(
        "Comment on the pull request (updated in place)"
    )


def test_live_preview_uses_the_policy_pack_and_is_skipped_without_credentials() -> None:
    jobs = load("pull-request.yml")["jobs"]
    live = jobs["live-preview"]
    assert live["if"] == "needs.credentials.outputs.configured == 'true'"
    pulumi = step(live, "pulumi/actions")["with"]
    assert pulumi["command"] == "preview"
    assert pulumi["policyPacks"] == "policy"
    assert pulumi["policyPackConfigs"] == "policy/config/${{ matrix.stack }}.json"
    assert pulumi["comment-on-pr"] is True
    assert live["strategy"]["matrix"]["stack"] == ["staging", "production"]
    assert live["permissions"]["id-token"] == "write"


def test_deploys_staging_then_production_behind_an_environment() -> None:
    jobs = load("deploy.yml")["jobs"]
    assert load("deploy.yml")["on"]["push"]["branches"] == ["main"]
    for stack in ("staging", "production"):
        job = jobs[stack]
        pulumi = step(job, "pulumi/actions")["with"]
        assert pulumi["command"] == "up"
        assert pulumi["stack-name"] == stack
        assert pulumi["policyPackConfigs"] == f"policy/config/{stack}.json"
        assert job["concurrency"] == {"group": f"pulumi-{stack}", "cancel-in-progress": False}
    assert jobs["production"]["needs"] == ["staging"]
    assert jobs["production"]["environment"] == "production"


def test_every_workflow_in_the_folder_is_tested() -> None:
    assert sorted(p.name for p in Path(WORKFLOWS).glob("*.yml")) == [
        "deploy.yml",
        "pull-request.yml",
    ]
