"""Compare two captures of one stack: what a change creates, updates, replaces and deletes.

The offline run cannot ask a provider plugin for its Diff, so replacement is predicted: a change
to a property in `_REPLACE_ON` (or to `project`, `name`, `region`, `location` anywhere) replaces
the resource, as those fields force replacement in the providers. A resource whose inputs
reference a replaced resource's outputs (the engine's property dependencies) changes with it:
the new resource's outputs are unknown until it exists, so `pulumi preview` shows it as an
update; it is shown so here, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from preflight.capture import Capture, CapturedResource
from preflight.value_diff import PropertyChange, value_changes

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

DEPENDS_ON_REPLACED: Final = "depends on a replaced resource"

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
    deletion_protected: bool = False
    """The provider refuses to delete it (`deletionProtection: true` in the base)."""
    replaced_dependencies: tuple[str, ...] = ()
    """The replaced resources whose outputs its inputs reference."""
    parent: str = ""

    @property
    def dangerous(self) -> bool:
        """A replacement or deletion of something protected or stateful."""
        return self.operation in ("replace", "delete") and (
            self.protected or self.stateful or self.deletion_protected
        )


def diff_captures(base: Capture | None, head: Capture) -> list[ResourceChange]:
    """Per-resource changes from `base` to `head`; with no base, everything is a create."""
    before = {r.urn: r for r in base.resources} if base else {}
    after = {r.urn: r for r in head.resources}
    changes: dict[str, ResourceChange] = {}
    for urn, resource in after.items():
        old = before.get(urn)
        if old is None:
            changes[urn] = _change(resource, "create")
            continue
        properties = tuple(value_changes(old.inputs, resource.inputs))
        if _options(old) != _options(resource):
            properties += (PropertyChange("(options)", _options(old), _options(resource)),)
        if not properties:
            changes[urn] = _change(resource, "same", base=old)
            continue
        reasons = tuple(
            change.path for change in properties if _forces_replacement(resource.type, change.path)
        )
        operation: Operation = "replace" if reasons and resource.custom else "update"
        changes[urn] = _change(resource, operation, properties, reasons, base=old)
    for urn, resource in before.items():
        if urn not in after:
            changes[urn] = _change(resource, "delete", base=resource)
    _mark_dependents(changes, after)
    return sorted(changes.values(), key=lambda c: c.urn)


def output_changes(base: Capture | None, head: Capture) -> list[PropertyChange]:
    """The stack outputs that differ from the base's (all of them as added without a base)."""
    return value_changes(base.stack_outputs if base else {}, head.stack_outputs)


def _mark_dependents(
    changes: dict[str, ResourceChange], after: dict[str, CapturedResource]
) -> None:
    """Unchanged resources whose inputs reference a replaced one change with it."""
    replaced = {urn for urn, change in changes.items() if change.operation == "replace"}
    for urn, change in changes.items():
        resource = after.get(urn)
        if resource is None or change.operation in ("create", "delete", "replace"):
            continue  # already shown as changing for its own reasons
        depends = tuple(dep for dep in resource.input_dependencies if dep in replaced)
        if not depends:
            continue
        operation: Operation = "update" if change.operation == "same" else change.operation
        changes[urn] = replace(change, operation=operation, replaced_dependencies=depends)


def _change(
    resource: CapturedResource,
    operation: Operation,
    properties: tuple[PropertyChange, ...] = (),
    reasons: tuple[str, ...] = (),
    base: CapturedResource | None = None,
) -> ResourceChange:
    # What guards a resource against deletion is what the base declared: the change at hand
    # cannot lift it and delete in the same step.
    guard = base or resource
    return ResourceChange(
        urn=resource.urn,
        type=resource.type,
        name=resource.name,
        operation=operation,
        properties=properties,
        protected=guard.protect,
        stateful=resource.type in STATEFUL_TYPES,
        replace_reasons=reasons,
        deletion_protected=guard.custom and guard.inputs.get("deletionProtection") is True,
        parent=resource.parent,
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


__all__ = [
    "DEPENDS_ON_REPLACED",
    "STATEFUL_TYPES",
    "Operation",
    "PropertyChange",
    "ResourceChange",
    "diff_captures",
    "output_changes",
]
