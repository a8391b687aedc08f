"""Every `pulumi` and `gcloud` command in the runbooks and the README is in the checked list."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT_DIR
from tests.pipeline.cli_check import REFERENCE_FILE, CliSpec, load_reference, problems
from tests.pipeline.shell_commands import commands_in_markdown

DOCS = [*sorted((PROJECT_DIR / "docs" / "runbooks").glob("*.md")), PROJECT_DIR / "README.md"]


def doc_problems(markdown: str) -> list[str]:
    reference = load_reference()
    return [found for c in commands_in_markdown(markdown) for found in problems(c, reference)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_in_the_docs_is_listed(doc: Path) -> None:
    assert doc_problems(doc.read_text()) == []


def test_the_docs_give_many_commands() -> None:
    # The extraction works: the runbooks hold well over a hundred pulumi/gcloud commands.
    total = sum(len(commands_in_markdown(doc.read_text())) for doc in DOCS)
    assert total > 100, total


def test_commands_are_found_where_a_shell_would_run_them() -> None:
    markdown = """
```sh
# gcloud sql connect in a comment is not a command
SERVICE=$(pulumi stack output apiServiceName)
gcloud run services update "$(pulumi stack output apiServiceName)" \\
  --region="$(pulumi config get gcp:region)" --update-labels=x=y   # trailing comment
for r in a b; do gcloud projects describe "$r"; done
printf '%s' "$V" | gcloud secrets versions add NAME --data-file=-
cat > /tmp/x.yaml <<EOF
gcloud this is heredoc text, not a command
EOF
gcloud sql backups restore <BACKUP_ID> --restore-instance=x
```
"""
    found = [" ".join(c.words) for c in commands_in_markdown(markdown)]
    assert found == [
        "pulumi stack output apiServiceName",
        "pulumi stack output apiServiceName",
        "pulumi config get gcp:region",
        "gcloud run services update $(pulumi stack output apiServiceName) "
        "--region=$(pulumi config get gcp:region) --update-labels=x=y",
        "gcloud projects describe $r",
        "gcloud secrets versions add NAME --data-file=-",
        "gcloud sql backups restore _BACKUP_ID_ --restore-instance=x",
    ]


# Commands the runbooks once gave, or could: each must be refused.
BAD_COMMANDS = {
    "gcloud sql connect": ('gcloud sql connect "$LIVE" --user=myhibachi_app', "not a listed"),
    "pulumi import": (
        "pulumi import gcp:sql/databaseInstance:DatabaseInstance database-instance ID "
        '--parent "$URN"',
        "not a listed subcommand",
    ),
    "a misspelt flag": ("pulumi up --target-dependants --target x", "`--target-dependants`"),
    "a flag of another command": ("pulumi preview --yes", "`--yes` is not a listed flag"),
    "a misspelt subcommand": ("pulumi stack outputt apiUrl", "takes at most 0"),
    "inside $( )": ('echo "$(pulumi stack ouput apiUrl)"', "takes at most 0"),
    "a gcloud flag": ("gcloud run jobs create x --vpc-connector=c", "`--vpc-connector`"),
    "an unknown group": ("gcloud sqladmin instances list", "not a listed subcommand"),
}


@pytest.mark.parametrize(("command", "expected"), BAD_COMMANDS.values(), ids=BAD_COMMANDS.keys())
def test_a_command_not_in_the_list_fails(command: str, expected: str) -> None:
    found = doc_problems(f"```sh\n{command}\n```\n")
    assert found, command
    assert expected in found[0], found


def test_the_pulumi_version_is_the_pinned_cli() -> None:
    pinned = re.search(r"^pulumi==(\S+)$", (PROJECT_DIR / "requirements.txt").read_text(), re.M)
    assert pinned is not None
    assert load_reference()["pulumi"].version == pinned.group(1)


def test_each_entry_cites_the_official_reference() -> None:
    document: dict[str, Any] = yaml.safe_load(REFERENCE_FILE.read_text())
    for cli in document.values():
        for path, entry in cli["commands"].items():
            assert entry["source"].startswith(cli["reference"]), path
            slug = path.replace(" ", "_" if cli["reference"].endswith("commands/") else "/")
            assert slug in entry["source"], (path, entry["source"])


def sdk_tree_problems(cli: CliSpec, tree: dict[str, Any]) -> list[str]:
    """Listed gcloud commands or flags that the SDK's own command tree does not have."""
    found = [f"global {flag}" for flag in cli.global_flags if flag not in tree["flags"]]
    for spec in cli.commands.values():
        node: dict[str, Any] | None = tree
        for word in spec.path:
            node = node["commands"].get(word) if node else None
        if node is None:
            found.append(" ".join(spec.path))
            continue
        for flag in spec.flags:
            negated = "--" + flag.removeprefix("--no-")
            ok = flag in node["flags"] or (
                flag.startswith("--no-") and node["flags"].get(negated) == "bool"
            )
            if not ok:
                found.append(f"{' '.join(spec.path)} {flag}")
    return found


def test_the_sdk_tree_check_catches_an_unknown_entry() -> None:
    tree = {
        "flags": {"--project": "dynamic"},
        "commands": {
            "sql": {
                "flags": {},
                "commands": {
                    "instances": {
                        "flags": {},
                        "commands": {
                            "patch": {"flags": {"--deletion-protection": "bool"}, "commands": {}}
                        },
                    }
                },
            }
        },
    }
    good = load_reference()["gcloud"]
    patch = good.commands[("sql", "instances", "patch")]
    only_patch = CliSpec("gcloud", "0", frozenset({"--project"}), {patch.path: patch})
    assert sdk_tree_problems(only_patch, tree) == []
    connect = type(patch)(("sql", "connect"), 1, frozenset(), patch.source)
    bad_flag = type(patch)(patch.path, 1, frozenset({"--no-such-flag"}), patch.source)
    bad = CliSpec("gcloud", "0", frozenset({"--project"}), {("a",): connect, ("b",): bad_flag})
    assert sorted(sdk_tree_problems(bad, tree)) == [
        "sql connect",
        "sql instances patch --no-such-flag",
    ]


def installed_sdk_tree() -> dict[str, Any] | None:
    gcloud = shutil.which("gcloud")
    if gcloud is None:
        return None
    tree_file = Path(gcloud).resolve().parent.parent / "data" / "cli" / "gcloud_completions.py"
    spec = importlib.util.spec_from_file_location("gcloud_completions", tree_file)
    if not tree_file.exists() or spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tree: dict[str, Any] = module.STATIC_COMPLETION_CLI_TREE
    return tree


def test_every_gcloud_entry_exists_in_the_installed_sdk() -> None:
    tree = installed_sdk_tree()
    if tree is None:
        pytest.skip("no Google Cloud SDK on this machine (the project's image has 528.0.0)")
    assert sdk_tree_problems(load_reference()["gcloud"], tree) == []
