"""Shared fixtures: the real program captured once per stack under the mock runtime."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from preflight.capture import Capture, capture_stack, capture_with_config
from preflight.stack_file import StackConfig, read_stack_config

PROJECT_DIR = Path(__file__).resolve().parent.parent
STACKS = ("staging", "production")

_captures: dict[str, Capture] = {}

RunWithConfig = Callable[[str, dict[str, Any]], Capture]
"""The `run_with_config` fixture: run the program with an edited stack document."""


def captured(stack: str) -> Capture:
    """The program's declarations for a stack; run once per test session."""
    if stack not in _captures:
        _captures[stack] = capture_stack(PROJECT_DIR, stack)
    return _captures[stack]


@pytest.fixture(scope="session")
def staging() -> Capture:
    return captured("staging")


@pytest.fixture(scope="session")
def production() -> Capture:
    return captured("production")


@pytest.fixture(scope="session", params=STACKS)
def any_stack(request: pytest.FixtureRequest) -> Capture:
    return captured(request.param)


def stack_document(stack: str) -> dict[str, Any]:
    """A fresh, editable copy of a stack file's YAML document."""
    return copy.deepcopy(yaml.safe_load((PROJECT_DIR / f"Pulumi.{stack}.yaml").read_text()))


@pytest.fixture
def run_with_config(tmp_path: Path) -> RunWithConfig:
    """Run the program with an edited stack document (written as a test-only stack file)."""

    def run(stack: str, document: dict[str, Any]) -> Capture:
        (tmp_path / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump(document))
        config: StackConfig = read_stack_config(tmp_path, stack)
        return capture_with_config(PROJECT_DIR, config)

    return run


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of this repository's HEAD, as a reviewer's checkout would be."""
    if subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=PROJECT_DIR, capture_output=True, check=False
    ).returncode:
        pytest.skip("not a git checkout")
    target = tmp_path / "repo"
    subprocess.run(["git", "clone", "--quiet", str(PROJECT_DIR), str(target)], check=True)
    return target


def run_python(*args: str, cwd: Path = PROJECT_DIR) -> subprocess.CompletedProcess[str]:
    """`python ARGS` as a user runs it, in a checkout (this one by default)."""
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def run_preflight(*args: str, cwd: Path = PROJECT_DIR) -> subprocess.CompletedProcess[str]:
    """`python -m preflight ARGS` as a user runs it, in a checkout (this one by default)."""
    return run_python("-m", "preflight", *args, cwd=cwd)


def preflight_with_appended(clone: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Production's preflight in `clone` once `code` is appended to its program."""
    with (clone / "__main__.py").open("a") as program:
        program.write(code)
    return run_preflight("--stack", "production", cwd=clone)


def mandatory_findings(output: str) -> list[str]:
    """The lines of a preflight report that name a mandatory violation."""
    return [line for line in output.splitlines() if "[mandatory]" in line]
