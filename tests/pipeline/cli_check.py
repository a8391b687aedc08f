"""Checks a `pulumi` / `gcloud` command against tests/pipeline/cli_reference.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.pipeline.shell_commands import Command

REFERENCE_FILE = Path(__file__).with_name("cli_reference.yaml")


@dataclass(frozen=True)
class CommandSpec:
    """One listed subcommand: its path, how many arguments it takes, the flags it accepts."""

    path: tuple[str, ...]
    max_args: int | None  # None: any number
    flags: frozenset[str]
    source: str


@dataclass(frozen=True)
class CliSpec:
    """One CLI at its pinned version."""

    name: str
    version: str
    global_flags: frozenset[str]
    commands: dict[tuple[str, ...], CommandSpec]


def load_reference(path: Path = REFERENCE_FILE) -> dict[str, CliSpec]:
    """The reference list, by CLI name."""
    document: dict[str, Any] = yaml.safe_load(path.read_text())
    clis: dict[str, CliSpec] = {}
    for name, cli in document.items():
        commands: dict[tuple[str, ...], CommandSpec] = {}
        for command_path, entry in cli["commands"].items():
            words = tuple(command_path.split())
            args = entry["args"]
            commands[words] = CommandSpec(
                path=words,
                max_args=None if args == "many" else int(args),
                flags=frozenset(entry["flags"]),
                source=entry["source"],
            )
        clis[name] = CliSpec(
            name=name,
            version=str(cli["version"]),
            global_flags=frozenset(cli["global_flags"]),
            commands=commands,
        )
    return clis


def problems(command: Command, reference: dict[str, CliSpec]) -> list[str]:
    """What in the command is not in the reference list (empty: every part is listed)."""
    cli = reference[command.cli]
    words = list(command.words[1:])
    leading: list[str] = []
    for word in words:
        if word.startswith("-"):
            break
        leading.append(word)
    spec = None
    for length in range(len(leading), 0, -1):
        spec = cli.commands.get(tuple(leading[:length]))
        if spec is not None:
            break
    if spec is None:
        return [
            f"`{command.line}`: `{cli.name} {' '.join(leading[:3])}` is not a listed subcommand"
        ]
    found: list[str] = []
    arguments = leading[len(spec.path) :]
    if spec.max_args is not None and len(arguments) > spec.max_args:
        found.append(
            f"`{command.line}`: `{cli.name} {' '.join(spec.path)}` takes at most {spec.max_args} "
            f"argument(s), got {arguments}: an unknown subcommand?"
        )
    for word in words:
        if word == "--" or not word.startswith("-") or word == "-":
            continue
        flag = word.split("=", 1)[0]
        if flag not in spec.flags and flag not in cli.global_flags:
            found.append(
                f"`{command.line}`: `{flag}` is not a listed flag of "
                f"`{cli.name} {' '.join(spec.path)}`"
            )
    return found
