"""Walking every input of a resource, whatever its type: each string leaf (and each map key) with
its property path, and each value unknown during preview.

Paths read like the rest of the pack's messages: `template.containers[0].envs[2].value`. A map key
is reported as its map's path with `key` set, so that a key never has to be quoted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .values import UNKNOWN, child, is_unknown

_MAX_DEPTH: Final = 64  # inputs are trees; a deeper one is not a real resource


@dataclass(frozen=True)
class Leaf:
    """One input: a string (`text`), or `text` None when the value is unknown."""

    path: str
    text: str | None
    key: bool = False


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def leaves(value: Any, path: str = "", depth: int = 0) -> Iterator[Leaf]:
    """Every string leaf and map key under `value`, and every unknown value (text None)."""
    if value is UNKNOWN or is_unknown(value):
        yield Leaf(path, None)
        return
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, str):
        yield Leaf(path, value)
    elif isinstance(value, Mapping):
        for key in list(value):
            name = str(key)
            yield Leaf(path, name, key=True)
            yield from leaves(child(value, name), _join(path, name), depth + 1)
    elif isinstance(value, Sequence) and not isinstance(value, bytes):
        for index in range(len(value)):
            yield from leaves(child(value, index), f"{path}[{index}]", depth + 1)
