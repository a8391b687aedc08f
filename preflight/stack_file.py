"""Read `Pulumi.<stack>.yaml` into the flat string config the CLI would hand the program.

The YAML is read as the CLI reads it (`preflight.stack_yaml`: yaml.v3's rules, duplicate keys and
unsupported tags refused). Keys are `<namespace>:<name>`, as the CLI requires. The CLI hands the
program its config through one environment variable (`PULUMI_CONFIG`), and Linux caps a single
environment string at 128 KiB (MAX_ARG_STRLEN): each value and the whole config are kept well
under that, so that a stack that previews here also starts under the CLI.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from preflight.stack_yaml import StackYamlError, parse_yaml

# What a `secure:` value becomes offline: it cannot be decrypted without the stack's key.
SECURE_PLACEHOLDER = "[secure value: not decrypted offline]"

MAX_FILE_BYTES: Final = 256 * 1024
MAX_VALUE_BYTES: Final = 32 * 1024
MAX_CONFIG_BYTES: Final = 64 * 1024
_KEY: Final = re.compile(r"[A-Za-z0-9_.-]+:[^:\s]+")


class StackFileError(Exception):
    """The stack file is missing or not valid; the message is one line naming file and key."""


@dataclass(frozen=True)
class StackConfig:
    """A stack's config as the CLI passes it to the program (objects JSON-encoded)."""

    stack: str
    values: dict[str, str]
    secret_keys: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    backend_url: str | None = None
    """The stack file's own `backend.url`, when it sets one."""


def stack_file_name(stack: str) -> str:
    """`Pulumi.<stack>.yaml`."""
    return f"Pulumi.{stack}.yaml"


def read_stack_config(project_dir: Path, stack: str) -> StackConfig:
    """Load and flatten `Pulumi.<stack>.yaml` from the project directory."""
    if not stack:
        raise StackFileError("--stack: name a stack (stacks are Pulumi.<stack>.yaml)")
    path = project_dir / stack_file_name(stack)
    if not path.is_file():
        raise StackFileError(f"{path.name}: no such stack file (stacks are Pulumi.<stack>.yaml)")
    document = read_stack_document(path)
    config = document.get("config") or {}
    values: dict[str, str] = {}
    secret_keys: list[str] = []
    warnings: list[str] = []
    for key, value in config.items():
        if not _KEY.fullmatch(key):
            raise StackFileError(
                f"{path.name}: {key}: a config key is <namespace>:<name> (for example "
                f"myhibachi:{key.split(':')[-1] or 'name'}), as the Pulumi CLI requires"
            )
        if _is_secure(value):
            secret_keys.append(key)
            warnings.append(
                f"{path.name}: {key}: secure value cannot be decrypted offline; using a placeholder"
            )
            values[key] = SECURE_PLACEHOLDER
            continue
        try:
            values[key] = _encode(value)
        except ValueError:
            raise StackFileError(
                f"{path.name}: {key}: .inf and .nan have no JSON form; the CLI cannot pass them"
            ) from None
        size = len(values[key].encode())
        if size > MAX_VALUE_BYTES:
            raise StackFileError(
                f"{path.name}: {key}: value is {size} bytes; at most {MAX_VALUE_BYTES} "
                "(the CLI hands config to the program in one environment variable)"
            )
    total = len(json.dumps(values).encode())
    if total > MAX_CONFIG_BYTES:
        raise StackFileError(
            f"{path.name}: config: {total} bytes in all; at most {MAX_CONFIG_BYTES} "
            "(the CLI hands config to the program in one environment variable)"
        )
    return StackConfig(
        stack, values, tuple(secret_keys), tuple(warnings), _backend_url(path.name, document)
    )


def read_stack_document(path: Path) -> dict[str, Any]:
    """The stack file's YAML document (`config` an object), or a one-line StackFileError.

    Read once per run: the stack checks read every stack file next to the one previewed.
    Callers must not change the document.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise StackFileError(
                f"{path.name}: {size} bytes; a stack file is at most {MAX_FILE_BYTES}"
            )
        data = path.read_bytes()
    except OSError as error:
        raise StackFileError(f"{path.name}: cannot read: {error.strerror}") from None
    return _parsed(path.name, data)


@lru_cache(maxsize=16)
def _parsed(name: str, data: bytes) -> dict[str, Any]:
    path = Path(name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StackFileError(f"{path.name}: not UTF-8 text (byte {error.start})") from None
    try:
        document = parse_yaml(text)
    except RecursionError:
        raise StackFileError(f"{path.name}: config: values nested too deeply") from None
    except StackYamlError as problem:
        key = problem.key.removeprefix("config.")
        where = f" (line {problem.line})" if problem.line is not None else ""
        raise StackFileError(
            f"{path.name}: {key + ': ' if key else ''}{problem.problem}{where}"
        ) from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise StackFileError(f"{path.name}: must be an object with a config: key")
    if not isinstance(document.get("config") or {}, dict):
        raise StackFileError(f"{path.name}: config: must be an object of keys")
    return document


def _backend_url(name: str, document: dict[str, Any]) -> str | None:
    backend = document.get("backend")
    if backend is None:
        return None
    url = backend.get("url") if isinstance(backend, dict) else None
    if not isinstance(url, str) or not url:
        raise StackFileError(f"{name}: backend.url: must be a state URL such as gs://bucket")
    return url


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


def _encode(value: Any) -> str:
    # Strings pass through; everything else is JSON, exactly as the CLI encodes config.
    if isinstance(value, str):
        return value
    return json.dumps(value, allow_nan=False)
