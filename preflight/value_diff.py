"""Compare two property values, path by path, secrets masked: what a reviewer reads in a diff.

Objects compare key by key. Lists compare element by element, never as a whole:

- same length: by index (`rules[2].expression`);
- elements that are objects sharing an identifying key (`name`, `key`, ...) with unique values:
  by that key (`env[name=LOG_LEVEL].value`), so an insertion does not shift every element;
- otherwise by the longest common alignment (difflib): unchanged elements are skipped, added
  and removed ones are listed at their new and old index.

Text of several lines (a workflow's source, a script) compares line by line, the same way
(`sourceContents[line 11]`). Each change is an `add` (old absent), a `remove` (new absent) or an
`update`.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any, Final, Literal

from preflight.values import is_secret, masked

ChangeKind = Literal["update", "add", "remove"]

# Keys that name a list element, in order of preference.
IDENTITY_KEYS: Final = (
    "name",
    "key",
    "id",
    "ref",
    "displayName",
    "secretId",
    "host",
    "domain",
    "role",
    "member",
    "path",
)


@dataclass(frozen=True)
class PropertyChange:
    """One changed property: its path and old and new values, secrets masked."""

    path: str
    old: Any
    new: Any
    kind: ChangeKind = "update"


def value_changes(old: Any, new: Any, path: str = "") -> list[PropertyChange]:
    """Every changed leaf (or added/removed element) from `old` to `new`."""
    if is_secret(old) or is_secret(new):
        # Compare the plain values, show neither.
        if old != new:
            return [PropertyChange(path, masked(old), masked(new))]
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[PropertyChange] = []
        for key in sorted(set(old) | set(new)):
            child = f"{path}.{key}" if path else str(key)
            if key not in old:
                changes.append(PropertyChange(child, None, masked(new[key]), "add"))
            elif key not in new:
                changes.append(PropertyChange(child, masked(old[key]), None, "remove"))
            else:
                changes.extend(value_changes(old[key], new[key], child))
        return changes
    if isinstance(old, list) and isinstance(new, list):
        return _list_changes(old, new, path)
    if isinstance(old, str) and isinstance(new, str) and old != new and "\n" in old + new:
        return _aligned_changes(old.splitlines(), new.splitlines(), path, "line ")
    if old != new:
        return [PropertyChange(path, masked(old), masked(new))]
    return []


def _list_changes(old: list[Any], new: list[Any], path: str) -> list[PropertyChange]:
    if len(old) == len(new):
        changes: list[PropertyChange] = []
        for index, (old_item, new_item) in enumerate(zip(old, new, strict=True)):
            changes.extend(value_changes(old_item, new_item, f"{path}[{index}]"))
        return changes
    key = _identity_key(old, new)
    if key is not None:
        return _keyed_changes(old, new, path, key)
    return _aligned_changes(old, new, path, "")


def _identity_key(old: list[Any], new: list[Any]) -> str | None:
    """A key every element of both lists has, with unique plain values in each list."""
    items = old + new
    if not items or not all(isinstance(item, dict) and not is_secret(item) for item in items):
        return None
    for key in IDENTITY_KEYS:
        if all(isinstance(item.get(key), str | int) for item in items) and all(
            len({item[key] for item in side}) == len(side) for side in (old, new)
        ):
            return key
    return None


def _keyed_changes(old: list[Any], new: list[Any], path: str, key: str) -> list[PropertyChange]:
    before = {item[key]: item for item in old}
    after = {item[key]: item for item in new}
    changes: list[PropertyChange] = []
    for identity in [item[key] for item in old] + [i[key] for i in new if i[key] not in before]:
        child = f"{path}[{key}={identity}]"
        if identity not in after:
            changes.append(PropertyChange(child, masked(before[identity]), None, "remove"))
        elif identity not in before:
            changes.append(PropertyChange(child, None, masked(after[identity]), "add"))
        else:
            changes.extend(value_changes(before[identity], after[identity], child))
    return changes


def _aligned_changes(old: list[Any], new: list[Any], path: str, unit: str) -> list[PropertyChange]:
    """Changes by the longest common alignment; `unit` prefixes positions (`line ` counts
    from 1, list indexes from 0)."""
    first = 1 if unit else 0
    matcher = difflib.SequenceMatcher(
        None,
        [_fingerprint(item) for item in old],
        [_fingerprint(item) for item in new],
        autojunk=False,
    )
    changes: list[PropertyChange] = []
    for op, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if op == "equal":
            continue
        paired = min(old_end - old_start, new_end - new_start) if op == "replace" else 0
        for offset in range(paired):
            # Changed in place: compare the elements themselves, at their new index.
            changes.extend(
                value_changes(
                    old[old_start + offset],
                    new[new_start + offset],
                    f"{path}[{unit}{new_start + offset + first}]",
                )
            )
        for index in range(old_start + paired, old_end):
            changes.append(
                PropertyChange(f"{path}[{unit}{index + first}]", masked(old[index]), None, "remove")
            )
        for index in range(new_start + paired, new_end):
            changes.append(
                PropertyChange(f"{path}[{unit}{index + first}]", None, masked(new[index]), "add")
            )
    return changes


def _fingerprint(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
