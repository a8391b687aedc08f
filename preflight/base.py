"""Capture the program as it was at a git ref, for `--base REF` diffs.

The base runs in its own process from a temporary worktree: its `settings` and `components` are
other modules than this checkout's, and one Python process can hold only one of each.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from preflight.capture import Capture, CapturedResource


class BaseError(Exception):
    """The base ref could not be checked out or run; the message is one line."""


def capture_at_ref(project_dir: Path, ref: str, stack: str) -> Capture | None:
    """The stack's capture at `ref`, or None when the stack did not exist there."""
    with tempfile.TemporaryDirectory(prefix="preflight-base-") as scratch:
        worktree = Path(scratch) / "base"
        _git(project_dir, "worktree", "add", "--detach", "--quiet", str(worktree), ref)
        try:
            if not (worktree / f"Pulumi.{stack}.yaml").is_file():
                return None
            result = subprocess.run(
                [sys.executable, "-m", "preflight.dump_capture", str(worktree), stack],
                cwd=Path(__file__).resolve().parent.parent,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                last = (result.stderr.strip().splitlines() or ["no output"])[-1]
                raise BaseError(f"the program at {ref} failed for {stack}: {last}")
            return capture_from_json(json.loads(result.stdout))
        finally:
            _git(project_dir, "worktree", "remove", "--force", str(worktree))


def capture_from_json(data: dict[str, Any]) -> Capture:
    """Rebuild a Capture from its JSON form (`dataclasses.asdict`)."""
    resources = [
        CapturedResource(
            **{
                **item,
                "ignore_changes": tuple(item["ignore_changes"]),
                "dependencies": tuple(item["dependencies"]),
            }
        )
        for item in data["resources"]
    ]
    return Capture(
        stack=data["stack"],
        project=data["project"],
        resources=resources,
        stack_urn=data["stack_urn"],
        stack_outputs=data["stack_outputs"],
        warnings=tuple(data["warnings"]),
    )


def _git(project_dir: Path, *args: str) -> None:
    result = subprocess.run(
        ["git", *args], cwd=project_dir, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        message = (result.stderr.strip().splitlines() or ["git failed"])[-1]
        raise BaseError(f"git {args[0]}: {message}")
