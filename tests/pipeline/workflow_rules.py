"""Least-privilege rules for GitHub workflows and CODEOWNERS; each returns the problems it finds.

The rules read workflow YAML as data, so the tests can run them on the real files (no problem)
and on bad variants (a problem each).
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

PREVIEW_ENVIRONMENT = "preview"
DEPLOY_ENVIRONMENTS = frozenset({"staging", "production"})
# The nightly code backup's environment: each stack's code backup writer, nothing else.
BACKUP_ENVIRONMENT = "code-backup"
SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository"
PREVIEW_SECRET_PREFIX = "PREVIEW_"
_SECRET = re.compile(r"secrets(?:\.([A-Za-z_]\w*)|\[\s*'([^']+)'\s*\])")
_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
_PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
_USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(['\"]?)([^'\"\s#]+)\1\s*(?:#\s*(\S+))?")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def parse(text: str) -> dict[str, Any]:
    """A workflow document; YAML 1.1 reads the bare key `on` as True."""
    document: dict[Any, Any] = yaml.safe_load(text)
    if True in document:
        document["on"] = document.pop(True)
    return document


def triggers(workflow: dict[str, Any]) -> set[str]:
    on = workflow.get("on", {})
    if isinstance(on, str):
        return {on}
    return set(on)


def runs_pull_request_code(workflow: dict[str, Any]) -> bool:
    return bool(triggers(workflow) & {"pull_request", "pull_request_target"})


def _environment(job: dict[str, Any]) -> str | None:
    environment = job.get("environment")
    if isinstance(environment, dict):
        return str(environment.get("name"))
    return None if environment is None else str(environment)


def _grants_id_token(permissions: Any) -> bool:
    if permissions == "write-all":
        return True
    return isinstance(permissions, dict) and permissions.get("id-token") == "write"


def _secrets_named(node: Any) -> set[str]:
    text = json.dumps(node)
    return {a or b for a, b in _SECRET.findall(text)} - {"GITHUB_TOKEN"}


def pull_request_credential_problems(name: str, workflow: dict[str, Any]) -> list[str]:
    """Credentials reachable from pull-request code other than through the `preview` environment.

    A pull-request job may hold a secret (other than GITHUB_TOKEN) or `id-token: write` only
    behind the `preview` environment, for same-repository PRs, with `PREVIEW_*` secrets and no
    deployer variable. `pull_request_target`, workflow-wide secrets or id-token, and passing
    secrets on to another workflow are refused outright.
    """
    if not runs_pull_request_code(workflow):
        return []
    found: list[str] = []
    if "pull_request_target" in triggers(workflow):
        found.append(f"{name}: pull_request_target runs with the repository's secrets")
    if _grants_id_token(workflow.get("permissions")):
        found.append(f"{name}: id-token: write for every job")
    if _secrets_named(workflow.get("env", {})):
        found.append(f"{name}: secrets in the workflow-wide env")
    for job_id, job in workflow.get("jobs", {}).items():
        where = f"{name} > {job_id}"
        secrets = _secrets_named(job)
        id_token = _grants_id_token(job.get("permissions"))
        if "secrets" in job and "uses" in job:
            found.append(f"{where}: passes secrets to another workflow")
        if not secrets and not id_token:
            continue
        if _environment(job) != PREVIEW_ENVIRONMENT:
            found.append(f"{where}: credentials outside the `{PREVIEW_ENVIRONMENT}` environment")
            continue
        if SAME_REPOSITORY not in str(job.get("if", "")):
            found.append(f"{where}: credentials also for fork pull requests")
        foreign = sorted(s for s in secrets if not s.startswith(PREVIEW_SECRET_PREFIX))
        if foreign:
            found.append(f"{where}: secrets not of the preview environment: {foreign}")
        if "DEPLOYER" in json.dumps(job).upper():
            found.append(f"{where}: refers to the deployer identity")
    return found


def deploy_credential_problems(name: str, workflow: dict[str, Any]) -> list[str]:
    """Deploy credentials only in jobs of the `staging`/`production` environments, from main.

    Jobs of the code backup's environment are judged by `backup_credential_problems`.
    """
    if runs_pull_request_code(workflow):
        return []
    found: list[str] = []
    for job_id, job in workflow.get("jobs", {}).items():
        if not _secrets_named(job) and not _grants_id_token(job.get("permissions")):
            continue
        if _environment(job) == BACKUP_ENVIRONMENT:
            continue
        where = f"{name} > {job_id}"
        if _environment(job) not in DEPLOY_ENVIRONMENTS:
            found.append(f"{where}: deploy credentials outside the staging/production environments")
        if "github.ref == 'refs/heads/main'" not in str(job.get("if", "")):
            found.append(f"{where}: deploy credentials not restricted to main")
    return found


def _runs_pulumi(job: dict[str, Any]) -> bool:
    return any(
        str(step.get("uses", "")).startswith("pulumi/actions@")
        or "pulumi " in str(step.get("run", ""))
        for step in job.get("steps", [])
    )


def backup_credential_problems(name: str, workflow: dict[str, Any]) -> list[str]:
    """The `code-backup` environment's jobs hold its writer's identity and nothing more.

    They run from main only, name no secret (the writer authenticates by workload identity),
    never refer to the deployer and never run Pulumi: the environment's identity can add a
    bundle to a bucket, so a job there must not be able to do more.
    """
    found: list[str] = []
    for job_id, job in workflow.get("jobs", {}).items():
        if _environment(job) != BACKUP_ENVIRONMENT:
            continue
        where = f"{name} > {job_id}"
        if runs_pull_request_code(workflow):
            found.append(f"{where}: the {BACKUP_ENVIRONMENT} environment from pull request code")
        if "github.ref == 'refs/heads/main'" not in str(job.get("if", "")):
            found.append(f"{where}: the {BACKUP_ENVIRONMENT} environment not restricted to main")
        secrets = sorted(_secrets_named(job))
        if secrets:
            found.append(f"{where}: secrets in the {BACKUP_ENVIRONMENT} environment: {secrets}")
        if "DEPLOYER" in json.dumps(job).upper():
            found.append(f"{where}: refers to the deployer identity")
        if _runs_pulumi(job):
            found.append(f"{where}: runs Pulumi in the {BACKUP_ENVIRONMENT} environment")
    return found


def unpinned_action_problems(name: str, text: str) -> list[str]:
    """Every `uses:` names a full 40-hex commit, with its version in a trailing comment."""
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _USES_LINE.match(line)
        if match is None:
            continue
        target, comment = match.group(2), match.group(3)
        if target.startswith("./"):
            continue
        if target.startswith("docker://"):
            if "@sha256:" not in target:
                found.append(f"{name}:{number}: {target} is not pinned by digest")
            continue
        if not _PINNED.match(target):
            found.append(f"{name}:{number}: {target} is not pinned to a full commit SHA")
        elif not comment or not re.match(r"^v?\d", comment):
            found.append(f"{name}:{number}: {target} has no `# vX.Y.Z` comment")
    return found


def _concurrency(node: dict[str, Any]) -> dict[str, Any] | None:
    value = node.get("concurrency")
    if value is None:
        return None
    if isinstance(value, str):
        return {"group": value, "cancel-in-progress": False}
    return dict(value)


def concurrency_groups(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, concurrency) for the workflow and each job that sets one."""
    top = _concurrency(workflow)
    if top is not None:
        yield "workflow", top
    for job_id, job in workflow.get("jobs", {}).items():
        found = _concurrency(job)
        if found is not None:
            yield job_id, found


def _pattern(group: str) -> str:
    """The group as a glob: each `${{ … }}` can become any text."""
    return _EXPRESSION.sub("*", group)


def groups_can_collide(first: str, second: str) -> bool:
    """Whether two group templates can ever evaluate to the same name (conservatively)."""
    a, b = _pattern(first), _pattern(second)
    if "*" not in a or "*" not in b:
        return fnmatch.fnmatchcase(a, b) or fnmatch.fnmatchcase(b, a)
    prefix_a, prefix_b = a.split("*", 1)[0], b.split("*", 1)[0]
    suffix_a, suffix_b = a.rsplit("*", 1)[1], b.rsplit("*", 1)[1]
    prefixes = prefix_a.startswith(prefix_b) or prefix_b.startswith(prefix_a)
    suffixes = suffix_a.endswith(suffix_b) or suffix_b.endswith(suffix_a)
    return prefixes and suffixes


def _is_deploy_job(job: dict[str, Any]) -> bool:
    return any(
        str(step.get("uses", "")).startswith("pulumi/actions@")
        and step.get("with", {}).get("command") in {"up", "update", "destroy", "refresh"}
        for step in job.get("steps", [])
    )


def concurrency_problems(workflows: dict[str, dict[str, Any]]) -> list[str]:
    """Deploys queue and are never cancelled; no preview shares a group with a deploy."""
    found: list[str] = []
    preview_groups: list[tuple[str, str]] = []
    deploy_groups: list[tuple[str, str]] = []
    for name, workflow in workflows.items():
        groups = dict(concurrency_groups(workflow))
        if runs_pull_request_code(workflow):
            preview_groups += [(f"{name} > {w}", str(c["group"])) for w, c in groups.items()]
            continue
        for job_id, job in workflow.get("jobs", {}).items():
            if not _is_deploy_job(job):
                continue
            where = f"{name} > {job_id}"
            settings = groups.get(job_id) or groups.get("workflow")
            if settings is None:
                found.append(f"{where}: a deploy with no concurrency group")
                continue
            for level in ("workflow", job_id):
                if groups.get(level, {}).get("cancel-in-progress") not in (False, None):
                    found.append(f"{where}: cancel-in-progress on a deploy ({level})")
            deploy_groups.append((where, str(settings["group"])))
    for preview_where, preview in preview_groups:
        for deploy_where, deploy in deploy_groups:
            if groups_can_collide(preview, deploy):
                found.append(
                    f"{preview_where} ({preview}) can share a concurrency group with "
                    f"{deploy_where} ({deploy})"
                )
    return found


def pulumi_cli_problems(name: str, workflow: dict[str, Any], sdk_version: str) -> list[str]:
    """Every pulumi/actions step pins the CLI to exactly the SDK's version."""
    found: list[str] = []
    for job_id, job in workflow.get("jobs", {}).items():
        for step in job.get("steps", []):
            if not str(step.get("uses", "")).startswith("pulumi/actions@"):
                continue
            version = str(step.get("with", {}).get("pulumi-version", ""))
            where = f"{name} > {job_id}"
            if not _SEMVER.match(version):
                found.append(f"{where}: the Pulumi CLI is not pinned ({version or 'unset'})")
            elif version != sdk_version:
                found.append(f"{where}: Pulumi CLI {version} but SDK pulumi=={sdk_version}")
    return found


def _codeowners_rule_matches(pattern: str, path: str) -> bool:
    anchored = pattern.startswith("/")
    pattern = pattern.lstrip("/")
    if pattern.endswith("/"):
        pattern += "**"
    regex = re.escape(pattern).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    if not anchored and "/" not in pattern.rstrip("/"):
        regex = f"(?:.*/)?{regex}"
    return re.fullmatch(regex, path) is not None


def codeowners_problems(text: str, paths: list[str]) -> list[str]:
    """Each path has at least one owner by the last matching line, as GitHub reads CODEOWNERS."""
    rules: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            rules.append((words[0], words[1:]))
    found: list[str] = []
    for path in paths:
        owners: list[str] | None = None
        for pattern, rule_owners in rules:
            if _codeowners_rule_matches(pattern, path):
                owners = rule_owners
        if not owners:
            found.append(f"CODEOWNERS: no owner for {path}")
    return found
