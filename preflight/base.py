"""The project as it was at a git ref, for `--base REF`: its captures, stack config and policy.

One temporary worktree at the ref serves every stack. Each stack's program runs in its own
process (its `settings` and `components` are other modules than this checkout's, and one Python
process can hold only one of each), started as soon as the base is known so that it runs while
this checkout's program does. What the gate compares besides the plan comes from the same
worktree: the stack files, `policy/config/<stack>.json`, the list of files under `policy/` that
differ, and, when the pack's code differs, the base pack's own policies (GetAnalyzerInfo).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from preflight.capture import Capture, CapturedResource
from preflight.policy_config import PolicySummary
from preflight.stack_file import StackFileError, read_stack_config, stack_file_name

PREFLIGHT_DIR = Path(__file__).resolve().parent.parent


class BaseError(Exception):
    """The base ref could not be checked out or run; the message is one line."""


@dataclass
class BaseStack:
    """One stack at the base; `capture` is None when the stack did not exist there."""

    capture: Capture | None
    config: dict[str, str] = field(default_factory=dict)
    policy_config: str | None = None
    """`<pack>/config/<stack>.json` at the base, or None when it did not exist."""


@dataclass
class BaseSnapshot:
    """Everything the comparison needs from the base."""

    ref: str
    commit: str
    stacks: dict[str, BaseStack]
    policy_files: tuple[str, ...] = ()
    """Files under the pack directory that differ between the base and this checkout."""
    pack_policies: tuple[PolicySummary, ...] | None = None
    """The base pack's policies, when its code differs (else the head pack's apply)."""


class BaseCheckout:
    """A worktree at `ref` with its programs running; use as a context manager."""

    def __init__(self, project_dir: Path, ref: str, stacks: list[str], pack_dir: Path) -> None:
        self.project_dir = project_dir
        self.ref = ref
        self.stacks = stacks
        self.pack_path = _relative(pack_dir, project_dir)
        self._scratch = tempfile.mkdtemp(prefix="preflight-base-")
        self.worktree = Path(self._scratch) / "base"
        self._processes: dict[str, subprocess.Popen[str]] = {}
        self._added = False
        self.commit = ""
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    def _start(self) -> None:
        _git(
            self.project_dir, "worktree", "add", "--detach", "--quiet", str(self.worktree), self.ref
        )
        self._added = True
        self.commit = _git(self.worktree, "rev-parse", "HEAD")
        for stack in self.stacks:
            if (self.worktree / stack_file_name(stack)).is_file():
                self._processes[stack] = subprocess.Popen(
                    [sys.executable, "-m", "preflight.dump_capture", str(self.worktree), stack],
                    cwd=PREFLIGHT_DIR,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )

    def __enter__(self) -> BaseCheckout:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def snapshot(self) -> BaseSnapshot:
        """Wait for the base programs and collect what the comparison needs."""
        stacks = {stack: self._stack(stack) for stack in self.stacks}
        policy_files: tuple[str, ...] = ()
        pack_policies = None
        if self.pack_path is not None:
            policy_files = self._changed_files(self.pack_path)
            config_dir = f"{self.pack_path}/config/"
            if any(not path.startswith(config_dir) for path in policy_files):
                pack_policies = self._pack_policies()
        return BaseSnapshot(self.ref, self.commit, stacks, policy_files, pack_policies)

    def _stack(self, stack: str) -> BaseStack:
        process = self._processes.get(stack)
        if process is None:
            return BaseStack(None)
        stdout, stderr = process.communicate()
        if process.returncode != 0:
            last = (stderr.strip().splitlines() or ["no output"])[-1]
            raise BaseError(f"the program at {self.ref} failed for {stack}: {last}")
        try:
            config = read_stack_config(self.worktree, stack).values
        except StackFileError as error:
            raise BaseError(f"the stack file at {self.ref}: {error}") from None
        policy_config = None
        if self.pack_path is not None:
            path = self.worktree / self.pack_path / "config" / f"{stack}.json"
            if path.is_file():
                policy_config = path.read_text(encoding="utf-8")
        return BaseStack(capture_from_json(json.loads(stdout)), config, policy_config)

    def _changed_files(self, under: str) -> tuple[str, ...]:
        tracked = _git(self.project_dir, "diff", "--name-only", self.commit, "--", under)
        untracked = _git(
            self.project_dir, "ls-files", "--others", "--exclude-standard", "--", under
        )
        return tuple(sorted({line for line in (tracked + "\n" + untracked).splitlines() if line}))

    def _pack_policies(self) -> tuple[PolicySummary, ...]:
        from preflight.analyzer import AnalyzerClient
        from preflight.pack_process import AnalyzerError

        assert self.pack_path is not None
        pack_dir = self.worktree / self.pack_path
        try:
            with AnalyzerClient(pack_dir, stack="base") as client:
                return client.analyzer_info().policies
        except AnalyzerError as error:
            raise BaseError(f"the policy pack at {self.ref}: {error}") from None

    def close(self) -> None:
        """Stop what still runs and remove the worktree."""
        for process in self._processes.values():
            if process.poll() is None:
                process.kill()
            process.communicate()
        self._processes = {}
        if self._added:
            self._added = False
            _git(self.project_dir, "worktree", "remove", "--force", str(self.worktree))
        shutil.rmtree(self._scratch, ignore_errors=True)


def capture_from_json(data: dict[str, Any]) -> Capture:
    """Rebuild a Capture from its JSON form (`dataclasses.asdict`)."""
    tuples = ("ignore_changes", "dependencies", "input_dependencies")
    resources = [
        CapturedResource(**{**item, **{key: tuple(item.get(key, ())) for key in tuples}})
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


def git_commit(project_dir: Path) -> str | None:
    """HEAD's commit, with `+` when the working tree differs from it; None outside git."""
    try:
        commit = _git(project_dir, "rev-parse", "HEAD")
        dirty = _git(project_dir, "status", "--porcelain", "--untracked-files=no")
    except (BaseError, OSError):
        return None
    return commit + ("+" if dirty else "")


def _relative(pack_dir: Path, project_dir: Path) -> str | None:
    try:
        return pack_dir.resolve().relative_to(project_dir.resolve()).as_posix()
    except ValueError:
        return None  # a pack outside the project: nothing at the base to compare it with


def _git(project_dir: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=project_dir, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        message = (result.stderr.strip().splitlines() or ["not a commit"])[-1]
        raise BaseError(f"git {args[0]}: {message}")
    return result.stdout.strip()
