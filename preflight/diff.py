"""Compare two captures of one stack: what a change creates, updates, replaces and deletes.

The offline run cannot ask a provider plugin for its Diff, so replacement is predicted: a change
to a property in `_REPLACE_ON` (or to `project`, `name`, `region`, `location` anywhere) replaces
the resource, as those fields force replacement in the providers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from preflight.capture import Capture, CapturedResource
from preflight.values import is_secret, masked

Operation = Literal["create", "update", "replace", "delete", "same"]

# Properties (top-level input names) whose change replaces the resource, by type.
_REPLACE_ON: dict[str, frozenset[str]] = {
    "gcp:sql/databaseInstance:DatabaseInstance": frozenset({"encryptionKeyName"}),
    "gcp:redis/instance:Instance": frozenset(
        {
            "authorizedNetwork",
            "connectMode",
            "customerManagedKey",
            "locationId",
            "reservedIpRange",
            "tier",
            "transitEncryptionMode",
        }
    ),
    "gcp:secretmanager/secret:Secret": frozenset({"secretId", "replication"}),
    "gcp:secretmanager/secretVersion:SecretVersion": frozenset({"secret", "secretData"}),
    "gcp:sql/database:Database": frozenset({"instance"}),
    "gcp:sql/user:User": frozenset({"instance"}),
    "gcp:storage/bucket:Bucket": frozenset(),
    "gcp:serviceaccount/account:Account": frozenset({"accountId"}),
    "gcp:compute/network:Network": frozenset({"autoCreateSubnetworks"}),
    "gcp:compute/globalAddress:GlobalAddress": frozenset({"prefixLength", "purpose", "network"}),
}
_REPLACE_ANYWHERE = frozenset({"location", "name", "project", "region"})

# Types that hold data: replacing or deleting one loses it.
STATEFUL_TYPES = frozenset(
    {
        "gcp:redis/instance:Instance",
        "gcp:secretmanager/secret:Secret",
        "gcp:sql/database:Database",
        "gcp:sql/databaseInstance:DatabaseInstance",
        "gcp:storage/bucket:Bucket",
    }
)


@dataclass(frozen=True)
class PropertyChange:
    """One changed property: its path and old and new values, secrets masked."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ResourceChange:
    """What happens to one resource."""

    urn: str
    type: str
    name: str
    operation: Operation
    properties: tuple[PropertyChange, ...] = ()
    protected: bool = False
    stateful: bool = False
    replace_reasons: tuple[str, ...] = field(default=())

    @property
    def dangerous(self) -> bool:
        """A replacement or deletion of something protected or stateful."""
        return self.operation in ("replace", "delete") and (self.protected or self.stateful)


def diff_captures(base: Capture | None, head: Capture) -> list[ResourceChange]:
    """Per-resource changes from `base` to `head`; with no base, everything is a create."""
    before = {r.urn: r for r in base.resources} if base else {}
    after = {r.urn: r for r in head.resources}
    changes: list[ResourceChange] = []
    for urn, resource in after.items():
        old = before.get(urn)
        if old is None:
            changes.append(_change(resource, "create"))
            continue
        properties = tuple(_property_changes(old.inputs, resource.inputs, ""))
        if _options(old) != _options(resource):
            properties += (PropertyChange("(options)", _options(old), _options(resource)),)
        if not properties:
            changes.append(_change(resource, "same"))
            continue
        reasons = tuple(
            change.path for change in properties if _forces_replacement(resource.type, change.path)
        )
        operation: Operation = "replace" if reasons and resource.custom else "update"
        changes.append(_change(resource, operation, properties, reasons, protected=old.protect))
    for urn, resource in before.items():
        if urn not in after:
            changes.append(_change(resource, "delete"))
    return sorted(changes, key=lambda c: c.urn)


def _change(
    resource: CapturedResource,
    operation: Operation,
    properties: tuple[PropertyChange, ...] = (),
    reasons: tuple[str, ...] = (),
    protected: bool | None = None,
) -> ResourceChange:
    return ResourceChange(
        urn=resource.urn,
        type=resource.type,
        name=resource.name,
        operation=operation,
        properties=properties,
        protected=resource.protect if protected is None else protected,
        stateful=resource.type in STATEFUL_TYPES,
        replace_reasons=reasons,
    )


def _options(resource: CapturedResource) -> dict[str, Any]:
    return {
        "protect": resource.protect,
        "deleteBeforeReplace": resource.delete_before_replace,
        "ignoreChanges": list(resource.ignore_changes),
    }


def _forces_replacement(type_token: str, path: str) -> bool:
    top = path.split(".", maxsplit=1)[0].split("[", maxsplit=1)[0]
    if top == "(options)":
        return False
    return top in _REPLACE_ON.get(type_token, frozenset()) or (
        top in _REPLACE_ANYWHERE and "." not in path
    )


def _property_changes(old: Any, new: Any, path: str) -> list[PropertyChange]:
    if is_secret(old) or is_secret(new):
        # Compare the plain values, show neither.
        if old != new:
            return [PropertyChange(path, masked(old), masked(new))]
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[PropertyChange] = []
        for key in sorted(set(old) | set(new)):
            child = f"{path}.{key}" if path else key
            if key not in old:
                changes.append(PropertyChange(child, None, masked(new[key])))
            elif key not in new:
                changes.append(PropertyChange(child, masked(old[key]), None))
            else:
                changes.extend(_property_changes(old[key], new[key], child))
        return changes
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        changes = []
        for index, (old_item, new_item) in enumerate(zip(old, new, strict=True)):
            changes.extend(_property_changes(old_item, new_item, f"{path}[{index}]"))
        return changes
    if old != new:
        return [PropertyChange(path, masked(old), masked(new))]
    return []
