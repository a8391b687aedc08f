"""GitHub workflows: least privilege on pull requests, pinned actions and CLI, queued deploys.

Each rule (tests/pipeline/workflow_rules.py) runs on the real files, where it finds nothing, and
on a bad variant written below as data, where it must find the problem.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT_DIR
from tests.pipeline.workflow_rules import (
    backup_credential_problems,
    codeowners_problems,
    concurrency_groups,
    concurrency_problems,
    deploy_credential_problems,
    groups_can_collide,
    parse,
    pull_request_credential_problems,
    pulumi_cli_problems,
    unpinned_action_problems,
)

WORKFLOWS = PROJECT_DIR / ".github" / "workflows"
CODEOWNERS = PROJECT_DIR / ".github" / "CODEOWNERS"
SDK_VERSION = re.search(  # type: ignore[union-attr]
    r"^pulumi==(\S+)$", (PROJECT_DIR / "requirements.txt").read_text(), re.M
).group(1)
SHA = "3d3c42e5aac5ba805825da76410c181273ba90b1"
# Paths whose changes need an owner's review, one sample per CODEOWNERS concern.
OWNED_PATHS = [
    "policy/__main__.py",
    "policy/config/production.json",
    "policy/myhibachi_policy/feature_flags.py",
    "Pulumi.staging.yaml",
    "Pulumi.production.yaml",
    ".github/CODEOWNERS",
    ".github/workflows/deploy.yml",
    ".github/workflows/pull-request.yml",
    ".github/workflows/code-backup.yml",
    "preflight/change_findings.py",  # the gate's own code: a branch could switch the gate off
    "preview",
    "Makefile",
    ".ci/run",
    "requirements.txt",
    "requirements-dev.txt",
    "scripts/scan.py",
]
WORKFLOW_NAMES = ["pull-request.yml", "deploy.yml", "code-backup.yml"]


def load(name: str) -> dict[str, Any]:
    return parse((WORKFLOWS / name).read_text())


def all_workflows() -> dict[str, dict[str, Any]]:
    return {path.name: parse(path.read_text()) for path in sorted(WORKFLOWS.glob("*.yml"))}


def step(job: dict[str, Any], uses_or_id: str) -> dict[str, Any]:
    return next(
        s
        for s in job["steps"]
        if s.get("id") == uses_or_id or str(s.get("uses", "")).startswith(uses_or_id)
    )


# --- bad variants, as data -------------------------------------------------------------------

# The live preview as it was: the branch's code with the deployer's identity and deploy tokens.
PR_WITH_DEPLOY_CREDENTIALS = f"""
on: {{pull_request: {{branches: [main]}}}}
permissions: {{contents: read}}
jobs:
  live-preview:
    runs-on: ubuntu-latest
    permissions: {{contents: read, id-token: write}}
    steps:
      - uses: google-github-actions/auth@{SHA} # v3.0.0
        with:
          service_account: ${{{{ vars.GCP_DEPLOYER_SERVICE_ACCOUNT }}}}
      - uses: pulumi/actions@{SHA} # v7.0.0
        env:
          CLOUDFLARE_API_TOKEN: ${{{{ secrets.CLOUDFLARE_API_TOKEN }}}}
"""
PREVIEW_FOR_FORKS = f"""
on: pull_request
jobs:
  live-preview:
    environment: preview
    runs-on: ubuntu-latest
    permissions: {{id-token: write}}
    steps:
      - uses: pulumi/actions@{SHA} # v7.0.0
        env: {{CLOUDFLARE_API_TOKEN: "${{{{ secrets.PREVIEW_CLOUDFLARE_API_TOKEN }}}}"}}
"""
PREVIEW_WITH_A_DEPLOY_TOKEN = f"""
on: pull_request
jobs:
  live-preview:
    environment: {{name: preview}}
    if: {"github.event.pull_request.head.repo.full_name == github.repository"}
    runs-on: ubuntu-latest
    steps:
      - uses: pulumi/actions@{SHA} # v7.0.0
        env: {{CLOUDFLARE_API_TOKEN: "${{{{ secrets['CLOUDFLARE_API_TOKEN'] }}}}"}}
"""
PR_TARGET = """
on: pull_request_target
jobs:
  comment: {runs-on: ubuntu-latest, steps: [{run: "true"}]}
"""
PR_WORKFLOW_WIDE_ID_TOKEN = """
on: pull_request
permissions: write-all
jobs:
  checks: {runs-on: ubuntu-latest, steps: [{run: make test}]}
"""
PR_SECRETS_TO_A_REUSABLE_WORKFLOW = """
on: pull_request
jobs:
  call: {uses: ./.github/workflows/deploy.yml, secrets: inherit}
"""
DEPLOY_WITHOUT_ENVIRONMENT = f"""
on: {{push: {{branches: [main]}}, workflow_dispatch: {{}}}}
jobs:
  staging:
    runs-on: ubuntu-latest
    permissions: {{id-token: write}}
    steps:
      - uses: pulumi/actions@{SHA} # v7.0.0
        with: {{command: up, pulumi-version: {SDK_VERSION}}}
"""

# The code backup's job, as it must not be: each variant gives it more than the writer's identity.
BACKUP_JOB = f"""
on: {{schedule: [{{cron: "17 3 * * *"}}]}}
jobs:
  bundle:
    if: github.ref == 'refs/heads/main'
    environment: code-backup
    runs-on: ubuntu-latest
    permissions: {{contents: read, id-token: write}}
    steps:
      - uses: google-github-actions/auth@{SHA} # v3.0.0
        with: {{service_account: "${{{{ vars.PRODUCTION_CODE_BACKUP_SERVICE_ACCOUNT }}}}"}}
"""
BACKUP_VARIANTS = {
    "from any branch": (
        BACKUP_JOB.replace("    if: github.ref == 'refs/heads/main'\n", ""),
        "not restricted to main",
    ),
    "a deploy token": (
        BACKUP_JOB + "        env: {VERCEL_API_TOKEN: '${{ secrets.VERCEL_API_TOKEN }}'}\n",
        "secrets in the code-backup environment",
    ),
    "the deployer": (
        BACKUP_JOB.replace("CODE_BACKUP_SERVICE_ACCOUNT", "GCP_DEPLOYER_SERVICE_ACCOUNT"),
        "refers to the deployer identity",
    ),
    "pulumi": (
        BACKUP_JOB + "      - run: pulumi up --yes\n",
        "runs Pulumi in the code-backup environment",
    ),
    "on pull requests": (
        BACKUP_JOB.replace('{schedule: [{cron: "17 3 * * *"}]}', "pull_request"),
        "from pull request code",
    ),
}


CREDENTIAL_VARIANTS = {
    "deploy credentials in a PR job": (PR_WITH_DEPLOY_CREDENTIALS, "outside the `preview`"),
    "preview also for forks": (PREVIEW_FOR_FORKS, "also for fork pull requests"),
    "a deploy token in preview": (PREVIEW_WITH_A_DEPLOY_TOKEN, "not of the preview environment"),
    "pull_request_target": (PR_TARGET, "pull_request_target"),
    "workflow-wide id-token": (PR_WORKFLOW_WIDE_ID_TOKEN, "id-token: write for every job"),
    "secrets to another workflow": (PR_SECRETS_TO_A_REUSABLE_WORKFLOW, "passes secrets"),
}


@pytest.mark.parametrize("name", WORKFLOW_NAMES)
def test_no_credentials_reach_pull_request_code_but_the_previews(name: str) -> None:
    assert pull_request_credential_problems(name, load(name)) == []


@pytest.mark.parametrize(
    ("text", "expected"), CREDENTIAL_VARIANTS.values(), ids=CREDENTIAL_VARIANTS.keys()
)
def test_credentials_reachable_from_pull_request_code_are_refused(text: str, expected: str) -> None:
    found = pull_request_credential_problems("bad.yml", parse(text))
    assert any(expected in problem for problem in found), found


@pytest.mark.parametrize("name", WORKFLOW_NAMES)
def test_the_code_backup_environment_holds_only_the_writer(name: str) -> None:
    assert backup_credential_problems(name, load(name)) == []


def test_the_code_backup_job_as_written_passes_the_rules() -> None:
    assert backup_credential_problems("bad.yml", parse(BACKUP_JOB)) == []
    assert deploy_credential_problems("bad.yml", parse(BACKUP_JOB)) == []


@pytest.mark.parametrize(("text", "expected"), BACKUP_VARIANTS.values(), ids=BACKUP_VARIANTS.keys())
def test_more_than_the_writer_in_the_code_backup_environment_is_refused(
    text: str, expected: str
) -> None:
    found = backup_credential_problems("bad.yml", parse(text))
    assert any(expected in problem for problem in found), found


def test_deploy_credentials_only_in_deploy_environments_from_main() -> None:
    for name in WORKFLOW_NAMES:
        assert deploy_credential_problems(name, load(name)) == [], name
    found = deploy_credential_problems("bad.yml", parse(DEPLOY_WITHOUT_ENVIRONMENT))
    assert any("outside the staging/production" in p for p in found), found
    assert any("not restricted to main" in p for p in found), found


@pytest.mark.parametrize(
    ("name", "minimum"), [("pull-request.yml", 5), ("deploy.yml", 5), ("code-backup.yml", 1)]
)
def test_every_action_is_pinned_to_a_commit(name: str, minimum: int) -> None:
    text = (WORKFLOWS / name).read_text()
    assert unpinned_action_problems(name, text) == []
    assert text.count("uses: ") >= minimum


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("      - uses: actions/checkout@v4", "not pinned to a full commit SHA"),
        ("      - uses: pulumi/actions@v6 # v6.6.1", "not pinned to a full commit SHA"),
        ("      - uses: 'google-github-actions/auth@7c6bc77' # v3.0.0", "full commit SHA"),
        (f"      - uses: actions/checkout@{SHA}", "no `# vX.Y.Z` comment"),
        ("    uses: octo/reusable/.github/workflows/x.yml@main", "full commit SHA"),
        ("      - uses: docker://alpine:3", "not pinned by digest"),
    ],
)
def test_an_unpinned_action_is_refused(line: str, expected: str) -> None:
    found = unpinned_action_problems("bad.yml", f"jobs:\n  x:\n    steps:\n{line}\n")
    assert len(found) == 1 and expected in found[0], found


def test_previews_and_deploys_never_share_a_concurrency_group() -> None:
    assert concurrency_problems(all_workflows()) == []


BAD_CONCURRENCY = {
    # The live preview as it was: pulumi-<stack>, the deploy's own group.
    "preview in the deploy's group": (
        {"concurrency": {"group": "pulumi-${{ matrix.stack }}", "cancel-in-progress": False}},
        {"concurrency": {"group": "pulumi-staging", "cancel-in-progress": False}},
        "can share a concurrency group",
    ),
    "deploy cancelled in progress": (
        {"concurrency": {"group": "pr-${{ github.event.number }}", "cancel-in-progress": True}},
        {"concurrency": {"group": "pulumi-staging", "cancel-in-progress": True}},
        "cancel-in-progress on a deploy",
    ),
    "deploy without a group": ({}, {}, "no concurrency group"),
}


@pytest.mark.parametrize(
    ("preview_job", "deploy_job", "expected"), BAD_CONCURRENCY.values(), ids=BAD_CONCURRENCY.keys()
)
def test_a_shared_or_cancelling_deploy_group_is_refused(
    preview_job: dict[str, Any], deploy_job: dict[str, Any], expected: str
) -> None:
    deploy_step = {"uses": f"pulumi/actions@{SHA}", "with": {"command": "up"}}
    workflows = {
        "pr.yml": {"on": {"pull_request": {}}, "jobs": {"live": {**preview_job, "steps": []}}},
        "deploy.yml": {
            "on": {"push": {}},
            "jobs": {"staging": {**deploy_job, "steps": [deploy_step]}},
        },
    }
    found = concurrency_problems(workflows)
    assert any(expected in problem for problem in found), found


def test_group_collision_is_judged_on_the_template() -> None:
    assert groups_can_collide("pulumi-${{ matrix.stack }}", "pulumi-production")
    assert groups_can_collide("${{ github.workflow }}", "pulumi-staging")
    assert not groups_can_collide("pull-request-${{ github.event.number }}", "pulumi-staging")
    assert not groups_can_collide("pulumi-staging", "pulumi-production")


@pytest.mark.parametrize("name", ["pull-request.yml", "deploy.yml"])
def test_the_pulumi_cli_is_pinned_to_the_sdk_version(name: str) -> None:
    assert pulumi_cli_problems(name, load(name), SDK_VERSION) == []
    assert f"pulumi-version: {SDK_VERSION}" in (WORKFLOWS / name).read_text()


@pytest.mark.parametrize(
    ("version", "expected"),
    [(None, "not pinned (unset)"), ("^3", "not pinned"), ("3.271.0", "but SDK pulumi==")],
)
def test_an_unpinned_pulumi_cli_is_refused(version: str | None, expected: str) -> None:
    with_: dict[str, Any] = {"command": "preview"}
    if version is not None:
        with_["pulumi-version"] = version
    workflow = {"jobs": {"p": {"steps": [{"uses": f"pulumi/actions@{SHA}", "with": with_}]}}}
    found = pulumi_cli_problems("bad.yml", workflow, SDK_VERSION)
    assert len(found) == 1 and expected in found[0], found


def test_codeowners_own_the_policy_the_stacks_and_the_pipeline() -> None:
    assert codeowners_problems(CODEOWNERS.read_text(), OWNED_PATHS) == []


@pytest.mark.parametrize(
    ("text", "unowned"),
    [
        ("/.github/ @o/devops\n/Pulumi.*.yaml @o/devops\n", "policy/__main__.py"),
        ("* @o/devops\n/Pulumi.production.yaml\n", "Pulumi.production.yaml"),
        (
            "/policy/ @o/sec\n# /.github/ @o/devops\n/Pulumi.*.yaml @o/devops\n",
            ".github/CODEOWNERS",
        ),
    ],
)
def test_a_missing_codeowners_entry_is_refused(text: str, unowned: str) -> None:
    assert f"CODEOWNERS: no owner for {unowned}" in codeowners_problems(text, OWNED_PATHS)


# --- behaviour of the real workflows ---------------------------------------------------------


@pytest.mark.parametrize("name", WORKFLOW_NAMES)
def test_default_permissions_are_read_only(name: str) -> None:
    assert load(name)["permissions"] == {"contents": "read"}


def test_pull_request_runs_preflight_of_both_stacks_against_the_base() -> None:
    job = load("pull-request.yml")["jobs"]["preflight"]
    run = step(job, "preflight")["run"]
    assert "--stack staging,production" in run
    assert '--base "$BASE_REF"' in run
    assert "--format markdown" in run
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    assert job["permissions"] == {"contents": "read"}
    # Fork PRs read the report in the job summary, which needs no write access.
    assert '>> "$GITHUB_STEP_SUMMARY"' in run


def test_the_comment_is_posted_always_and_updated_in_place() -> None:
    jobs = load("pull-request.yml")["jobs"]
    comment_job = jobs["comment"]
    comment = step(comment_job, "actions/github-script")
    script = comment["with"]["script"]
    assert "updateComment" in script
    assert "<!-- myhibachi-preflight -->" in script
    assert comment_job["permissions"] == {"pull-requests": "write"}
    # Also when the gate failed: the comment job follows the preflight job unless cancelled.
    assert comment_job["needs"] == ["preflight"]
    assert "!cancelled()" in comment_job["if"]
    # The gate still fails the preflight job, after the report is written for the comment.
    names = [s.get("name", s.get("uses", "")) for s in jobs["preflight"]["steps"]]
    assert names.index(
        "Fail when the gate blocks, the scanner finds something new, or either errs"
    ) > names.index("Preflight both stacks against the base")
    assert jobs["preflight"]["outputs"]["report"] == "${{ steps.preflight.outputs.report }}"


def test_the_comment_job_is_safe_for_forks_and_other_peoples_comments() -> None:
    comment_job = load("pull-request.yml")["jobs"]["comment"]
    # Skipped for forks, whose token cannot write; a 403 (e.g. Dependabot) is a warning.
    assert (
        "github.event.pull_request.head.repo.full_name == github.repository" in (comment_job["if"])
    )
    script = step(comment_job, "actions/github-script")["with"]["script"]
    assert "error.status !== 403" in script
    # Its own comment only: the Actions bot's, with the marker first.
    assert "'github-actions[bot]'" in script
    assert "c.user.login === author" in script
    assert "c.body.startsWith(marker)" in script
    # It runs none of the branch's code: no checkout, no shell step.
    assert all("run" not in s for s in comment_job["steps"])
    assert not any(
        str(s.get("uses", "")).startswith("actions/checkout") for s in comment_job["steps"]
    )


def test_live_preview_is_read_only_behind_the_preview_environment() -> None:
    live = load("pull-request.yml")["jobs"]["live-preview"]
    assert live["environment"] == "preview"
    assert "vars.LIVE_PREVIEW_ENABLED == 'true'" in live["if"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in live["if"]
    assert live["needs"] == ["preflight"]
    auth = step(live, "google-github-actions/auth")["with"]
    assert "PREVIEWER" in auth["service_account"]
    pulumi = step(live, "pulumi/actions")
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["policyPacks"] == "policy"
    assert pulumi["with"]["policyPackConfigs"] == "policy/config/${{ matrix.stack }}.json"
    # The job summary, not pulumi/actions' comment, which edits any comment with its heading.
    assert pulumi["with"]["comment-on-pr"] is False
    assert pulumi["with"]["comment-on-summary"] is True
    assert set(pulumi["env"].values()) == {
        "${{ secrets.PREVIEW_CLOUDFLARE_API_TOKEN }}",
        "${{ secrets.PREVIEW_VERCEL_API_TOKEN }}",
    }
    assert [m["stack"] for m in live["strategy"]["matrix"]["include"]] == ["staging", "production"]
    assert live["permissions"] == {"contents": "read", "id-token": "write"}


def test_deploys_staging_then_production_behind_an_environment() -> None:
    workflow = load("deploy.yml")
    jobs = workflow["jobs"]
    assert workflow["on"]["push"]["branches"] == ["main"]
    for stack in ("staging", "production"):
        job = jobs[stack]
        pulumi = step(job, "pulumi/actions")["with"]
        assert pulumi["command"] == "up"
        assert pulumi["stack-name"] == stack
        assert pulumi["policyPackConfigs"] == f"policy/config/{stack}.json"
        assert job["concurrency"] == {"group": f"pulumi-{stack}", "cancel-in-progress": False}
        assert job["environment"] == stack
        assert "github.ref == 'refs/heads/main'" in job["if"]
        assert "DEPLOYER" in step(job, "google-github-actions/auth")["with"]["service_account"]
    assert jobs["production"]["needs"] == ["staging"]
    assert jobs["production"]["environment"] == "production"


def test_every_workflow_in_the_folder_is_tested() -> None:
    assert sorted(p.name for p in Path(WORKFLOWS).glob("*.yml")) == [
        "code-backup.yml",
        "deploy.yml",
        "pull-request.yml",
    ]


def test_the_code_backup_bundles_every_ref_nightly_as_the_writer() -> None:
    workflow = load("code-backup.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert workflow["concurrency"] == {"group": "code-backup", "cancel-in-progress": False}
    job = workflow["jobs"]["bundle"]
    assert job["environment"] == "code-backup"
    assert "vars.CODE_BACKUP_ENABLED == 'true'" in job["if"]
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    assert [m["stack"] for m in job["strategy"]["matrix"]["include"]] == ["staging", "production"]
    script = "\n".join(str(s.get("run", "")) for s in job["steps"])
    assert "git clone --mirror" in script
    assert 'bundle create "../$file" --all' in script
    assert "bundle verify" in script
    # Create only: the writer can neither read nor replace, and the upload never overwrites.
    assert "ifGenerationMatch=0" in script
    assert "md5Hash" in script
    auth = step(job, "google-github-actions/auth")["with"]
    assert "CODE_BACKUP_SERVICE_ACCOUNT" in auth["service_account"]
    # The GitHub token never appears on a command line.
    assert "GIT_CONFIG_VALUE_0" in script and "x-access-token:$GITHUB_TOKEN@" not in script


def test_the_code_backup_group_collides_with_no_other_workflow() -> None:
    backup = load("code-backup.yml")["concurrency"]["group"]
    others = [
        (name, str(settings["group"]))
        for name, workflow in all_workflows().items()
        if name != "code-backup.yml"
        for _, settings in concurrency_groups(workflow)
    ]
    assert others
    assert [(n, g) for n, g in others if groups_can_collide(backup, g)] == []
