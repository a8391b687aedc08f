"""Runbooks: every topic the checklist asks for, with commands that name real stack outputs."""

from __future__ import annotations

import re

import pytest

from preflight.capture import Capture
from tests.conftest import PROJECT_DIR

RUNBOOKS = PROJECT_DIR / "docs" / "runbooks"

TOPICS = {
    "bootstrap.md": [
        "pulumi stack init",
        "--secrets-provider",
        "gcloud kms keys create",
        "gcloud secrets versions add",
        "shred -u",
    ],
    "key-rotation.md": [
        "STRIPE_SECRET_KEY",
        "OPENAI_API_KEY",
        "mapsKeys.server.generation",
        "ONCALL_WEBHOOK_URL",
    ],
    "restore.md": [
        "RTO < 4 hours",
        "RPO < 1 hour",
        "--point-in-time",
        "gcloud sql backups restore",
    ],
    "rollback.md": ["git revert", "update-traffic", "--to-revisions"],
    "disaster-recovery.md": [
        "gcp:region",
        "gcloud sql backups restore",
        # Losing the repository: the newest bundle, fetched and rebuilt into every ref.
        "pulumi stack output codeBackupBucket",
        "gcloud storage cp",
        "git clone --mirror",
        "bundle verify",
    ],
    "pipeline.md": [
        "roles/cloudkms.admin",
        "'roles/cloudtrace.agent'",
        "subject/repo:$REPO:environment:code-backup",
        "CODE_BACKUP_SERVICE_ACCOUNT",
    ],
    "secret-backups.md": ["pulumi stack output secretBackupKey", "breakGlassGroup"],
    "feature-flags.md": ["myhibachi:featureFlags", "./preview production"],
}


@pytest.mark.parametrize(("name", "phrases"), sorted(TOPICS.items()))
def test_runbook_covers_its_topic_with_commands(name: str, phrases: list[str]) -> None:
    text = (RUNBOOKS / name).read_text()
    assert "```sh" in text, f"{name} gives no commands"
    for phrase in phrases:
        assert phrase in text, f"{name} does not mention {phrase!r}"


def test_runbooks_only_name_stack_outputs_that_exist(production: Capture) -> None:
    named = {
        match
        for path in RUNBOOKS.glob("*.md")
        for match in re.findall(r"pulumi stack output (\w+)", path.read_text())
    }
    assert named, "the runbooks read stack outputs"
    assert named <= set(production.stack_outputs), named - set(production.stack_outputs)
