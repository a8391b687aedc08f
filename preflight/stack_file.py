"""Read `Pulumi.<stack>.yaml` into the flat string config the CLI would hand the program."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# What a `secure:` value becomes offline: it cannot be decrypted without the stack's key.
SECURE_PLACEHOLDER = "[secure value: not decrypted offline]"


class StackFileError(Exception):
    """The stack file is missing or not valid YAML; the message is one line."""


@dataclass(frozen=True)
class StackConfig:
    """A stack's config as the CLI passes it to the program (objects JSON-encoded)."""

    stack: str
    values: dict[str, str]
    secret_keys: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())


def read_stack_config(project_dir: Path, stack: str) -> StackConfig:
    """Load and flatten `Pulumi.<stack>.yaml` from the project directory."""
    path = project_dir / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        raise StackFileError(f"{path.name}: no such stack file (stacks are Pulumi.<stack>.yaml)")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise StackFileError(f"{path.name}: not valid YAML{where}") from None
    if not isinstance(document, dict) or not isinstance(document.get("config", {}), dict):
        raise StackFileError(f"{path.name}: config: must be an object of keys")
    values: dict[str, str] = {}
    secret_keys: list[str] = []
    warnings: list[str] = []
    for key, value in (document.get("config") or {}).items():
        if _is_secure(value):
            secret_keys.append(str(key))
            warnings.append(
                f"{path.name}: {key}: secure value cannot be decrypted offline; using a placeholder"
            )
            values[str(key)] = SECURE_PLACEHOLDER
            continue
        values[str(key)] = _encode(value)
    return StackConfig(stack, values, tuple(secret_keys), tuple(warnings))


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


def _encode(value: Any) -> str:
    # Strings pass through; everything else is JSON, exactly as the CLI encodes config.
    if isinstance(value, str):
        return value
    return json.dumps(value)
