"""The README's generated tables match the settings and the policy pack; its commands are real."""

from __future__ import annotations

import re

from tests.conftest import PROJECT_DIR, run_python


def test_generated_tables_match_the_code() -> None:
    result = run_python("scripts/readme_tables.py", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_opens_with_the_two_commands() -> None:
    text = (PROJECT_DIR / "README.md").read_text()
    first_block = re.search(r"```sh\n(.*?)```", text, re.DOTALL)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["./preview staging", "make test"]
    # ./preview runs preflight itself (make would turn its exit code 1 into 2) and is executable.
    preview = PROJECT_DIR / "preview"
    assert preview.stat().st_mode & 0o111
    assert (
        'exec .venv/bin/python -m preflight "${args[@]+"${args[@]}"}" "$@"' in preview.read_text()
    )
    makefile = (PROJECT_DIR / "Makefile").read_text()
    assert "\npreview: " in makefile and "./preview --stack $(STACK)" in makefile
    assert "\ndiff: " in makefile and "./preview --stack $(STACK) --base $(BASE)" in makefile
    assert "\ntest: " in makefile and "-m pytest" in makefile
    ci = (PROJECT_DIR / ".ci" / "run").read_text()
    assert "\nmake test\n" in ci


def test_every_policy_is_in_the_table_once() -> None:
    from policy.myhibachi_policy.index import all_policies

    text = (PROJECT_DIR / "README.md").read_text()
    for policy in all_policies():
        assert text.count(f"| `{policy.name}` |") == 1, policy.name
