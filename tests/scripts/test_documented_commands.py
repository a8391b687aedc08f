"""Every `secret_backup.py` / `verify_secrets.py` command and `make` target the docs give is real.

The commands are taken from the fenced shell blocks of the runbooks and the README, and parsed
by the scripts' own argument parsers, so a renamed flag or subcommand fails here, not during a
restore.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from scripts import secret_backup, verify_secrets
from tests.conftest import PROJECT_DIR
from tests.pipeline.shell_commands import shell_blocks

DOCS = [*sorted((PROJECT_DIR / "docs" / "runbooks").glob("*.md")), PROJECT_DIR / "README.md"]
PARSERS = {
    "scripts/secret_backup.py": secret_backup.build_parser,
    "scripts/verify_secrets.py": verify_secrets.build_parser,
}
SAMPLE_KEY = "projects/my-hibachi-crm/locations/us-central1/keyRings/r/cryptoKeys/k"


def _lines(markdown: str) -> list[str]:
    lines: list[str] = []
    for block in shell_blocks(markdown):
        joined = block.replace("\\\n", " ")
        lines.extend(line.split(" # ", 1)[0] for line in joined.splitlines())
    return lines


def _filled(word: str, previous: str) -> str:
    # Shell variables and <placeholders> take a value the parser accepts in their place.
    if "$" not in word and not re.search(r"<[\w.-]+>", word):
        return word
    if previous == "--key":
        return SAMPLE_KEY
    if previous == "--stack":
        return "staging"
    return "value"


def documented_commands() -> list[tuple[str, str, list[str]]]:
    found = []
    for doc in DOCS:
        for line in _lines(doc.read_text()):
            for script in PARSERS:
                if script in line:
                    words = shlex.split(line.split(script, 1)[1])
                    args = [_filled(w, words[i - 1] if i else "") for i, w in enumerate(words)]
                    found.append((doc.name, script, args))
    return found


def test_the_docs_give_the_commands() -> None:
    scripts = {script for _, script, _ in documented_commands()}
    assert scripts == set(PARSERS)
    assert len(documented_commands()) >= 10


@pytest.mark.parametrize(
    ("doc", "script", "args"),
    documented_commands(),
    ids=[f"{doc}: {' '.join(args)[:60]}" for doc, _, args in documented_commands()],
)
def test_each_documented_command_parses(doc: str, script: str, args: list[str]) -> None:
    PARSERS[script]().parse_args(args)


def test_a_wrong_flag_would_be_caught(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        secret_backup.build_parser().parse_args(["restore", "--stack", "x", "--input", "a"])
    capsys.readouterr()


def test_documented_make_targets_exist() -> None:
    makefile = (PROJECT_DIR / "Makefile").read_text()
    targets = {
        target
        for doc in DOCS
        for line in _lines(doc.read_text())
        for target in re.findall(r"\bmake ([a-z][\w.-]*-secrets)\b", line)
    }
    assert targets == {"verify-secrets"}
    for target in targets:
        assert f"\n{target}: " in makefile, target
    assert "\nbackup-secrets: " in makefile
    assert "scripts/verify_secrets.py --stack $(STACK)" in makefile


def test_the_runbook_is_linked_from_the_runbook_index() -> None:
    index = (PROJECT_DIR / "docs" / "runbooks" / "README.md").read_text()
    assert "(secret-backups.md)" in index
    assert Path(PROJECT_DIR / "docs" / "runbooks" / "secret-backups.md").is_file()
