"""`--base REF`: the program at a git ref against the working tree shows exactly what changed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import run_preflight


def test_base_head_with_one_uncommitted_change_shows_exactly_it(clone: Path) -> None:
    stack_file = clone / "Pulumi.staging.yaml"
    text = stack_file.read_text()
    assert "    retainedBackups: 30\n" in text
    stack_file.write_text(text.replace("    retainedBackups: 30\n", "    retainedBackups: 14\n"))
    result = run_preflight(
        "--stack", "staging", "--base", "HEAD", "--format", "json", "--no-policy", cwd=clone
    )
    assert result.returncode == 0, result.stderr
    stack = json.loads(result.stdout)["stacks"][0]
    changed = [r for r in stack["resources"] if r["operation"] != "same"]
    assert [(r["name"], r["operation"]) for r in changed] == [("database-instance", "update")]
    assert changed[0]["changes"] == [
        {
            "path": "settings.backupConfiguration.backupRetentionSettings.retainedBackups",
            "old": 30,
            "new": 14,
            "kind": "update",
        }
    ]
    # The temporary worktree is gone again.
    worktrees = subprocess.run(
        ["git", "worktree", "list"], cwd=clone, capture_output=True, text=True, check=True
    )
    assert len(worktrees.stdout.splitlines()) == 1


def test_unknown_base_ref_is_a_one_line_error(clone: Path) -> None:
    result = run_preflight("--stack", "staging", "--base", "no-such-ref", "--no-policy", cwd=clone)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: git worktree: ")
