"""`python -m preflight` registers resources without source positions; nothing else changes."""

from __future__ import annotations

import pytest

from preflight.cli import main
from tests.conftest import run_preflight, run_python

_FRAMES = """
from pathlib import Path
from preflight.capture import skip_source_positions
from tests.registration import program_requests
if {skip}:
    skip_source_positions()
requests = program_requests(Path.cwd(), "staging")
print(max(len(r.get("stackTrace", {{}}).get("frames", [])) for r in requests.resources.values()))
"""


@pytest.mark.parametrize(("skip", "has_frames"), [(False, True), (True, False)])
def test_skipping_leaves_registrations_without_a_stack_trace(skip: bool, has_frames: bool) -> None:
    # In a process of its own: the skip lasts for the rest of the process.
    result = run_python("-c", _FRAMES.format(skip=skip))
    assert result.returncode == 0, result.stderr
    assert (int(result.stdout) > 0) is has_frames


def test_the_plan_is_the_same_with_and_without_source_positions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    arguments = ["--stack", "staging,production", "--format", "json", "--no-policy"]
    without = run_preflight(*arguments)  # the command line skips them
    assert without.returncode == 0, without.stderr
    capsys.readouterr()
    assert main(arguments) == 0  # in this process they are kept
    assert capsys.readouterr().out == without.stdout
