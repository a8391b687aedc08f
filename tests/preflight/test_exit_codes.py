"""One exit-code contract on every path: 0 passes, 1 blocked, 2 bad input (one line, no traceback).

`./preview`, the README's first command, passes preflight's code through unchanged (make would
turn 1 into its own 2).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_DIR, run_preflight, stack_document

BAD_INPUT = {
    "an unknown stack": (["--stack", "qa"], "error: Pulumi.qa.yaml: no such stack file"),
    "an empty --stack": (["--stack", ""], "error: --stack: name at least one stack"),
    "only commas": (["--stack", ",,"], "error: --stack: name at least one stack"),
    "a missing --stack-file": (
        ["--stack-file", "/nonexistent/Pulumi.staging.yaml"],
        "error: Pulumi.staging.yaml: no such stack file",
    ),
    "a misnamed --stack-file": (
        ["--stack-file", "staging.yaml"],
        "error: --stack-file: staging.yaml: a stack file is named Pulumi.<stack>.yaml",
    ),
    "an unknown option": (["--stak", "staging"], "error: unrecognized arguments: --stak"),
    "an unknown format": (["--format", "html"], "error: argument --format: invalid choice"),
    "tfplan of two stacks": (
        ["--stack", "staging,production", "--format", "tfplan"],
        "error: --format tfplan: a Terraform plan holds one stack",
    ),
}


@pytest.mark.parametrize(("args", "expected"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_exits_2_with_one_line(args: list[str], expected: str) -> None:
    result = run_preflight(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(expected), result.stderr


def test_bad_yaml_exits_2(tmp_path: Path) -> None:
    stack_file = tmp_path / "Pulumi.staging.yaml"
    stack_file.write_text("config:\n  myhibachi:env: [staging\n")
    result = run_preflight("--stack-file", str(stack_file))
    assert result.returncode == 2
    assert result.stderr.startswith("error: Pulumi.staging.yaml: myhibachi:env: not valid YAML")
    assert "Traceback" not in result.stderr


def test_a_blocked_change_exits_1_and_a_passing_one_0(tmp_path: Path) -> None:
    document = stack_document("staging")
    document["config"]["myhibachi:database"]["retainedBackups"] = 14  # the policy's floor is 30
    stack_file = tmp_path / "Pulumi.staging.yaml"
    stack_file.write_text(yaml.safe_dump(document))
    blocked = run_preflight("--stack-file", str(stack_file))
    assert blocked.returncode == 1, blocked.stderr
    assert "[mandatory]  gcp-sql-instance-backup-retention" in blocked.stdout
    passing = run_preflight("--stack", "staging")
    assert passing.returncode == 0, passing.stderr


@pytest.fixture
def fake_checkout(tmp_path: Path) -> Path:
    """`./preview` next to a .venv whose python prints its arguments and exits $FAKE_EXIT."""
    shutil.copy2(PROJECT_DIR / "preview", tmp_path / "preview")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text('#!/bin/sh\necho "$@"\nexit "${FAKE_EXIT:-0}"\n')
    python.chmod(0o755)
    (tmp_path / ".venv" / ".installed").touch()
    # The Makefile's stamp rule, already satisfied: ./preview installs nothing here.
    (tmp_path / "Makefile").write_text(".venv/.installed:\n\tfalse\n")
    return tmp_path


def _run_in(
    checkout: Path, command: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command in the checkout, its output captured as text."""
    return subprocess.run(
        command, cwd=checkout, capture_output=True, text=True, check=False, env=env
    )


@pytest.mark.parametrize("code", [0, 1, 2])
def test_preview_passes_the_exit_code_through(fake_checkout: Path, code: int) -> None:
    result = _run_in(
        fake_checkout,
        ["./preview", "production", "--base", "origin/main"],
        env={"PATH": "/usr/bin:/bin", "FAKE_EXIT": str(code)},
    )
    assert result.returncode == code, result.stderr
    assert result.stdout == "-m preflight --stack production --base origin/main\n"


def test_preview_passes_options_without_a_stack(fake_checkout: Path) -> None:
    result = _run_in(fake_checkout, ["./preview", "--stack", "staging,production"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == "-m preflight --stack staging,production\n"


def test_preview_without_a_venv_or_make_is_bad_input(fake_checkout: Path) -> None:
    shutil.rmtree(fake_checkout / ".venv")
    tools = fake_checkout / "bin"  # dirname, and no make
    tools.mkdir()
    dirname = shutil.which("dirname")
    assert dirname is not None
    (tools / "dirname").symlink_to(dirname)
    result = _run_in(fake_checkout, ["/bin/bash", "./preview", "staging"], env={"PATH": str(tools)})
    assert result.returncode == 2
    assert result.stderr.startswith("error: .venv is missing and make is not installed")
