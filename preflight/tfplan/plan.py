"""A stack's Google Cloud resources as a Terraform plan (the `terraform show -json` shape).

Scanners that read Terraform plans (Checkov's `terraform_plan` framework, `trivy config`) can then
judge the Pulumi program. Per resource: `planned_values.root_module.resources[]` (address, type,
name, values), `resource_changes[]` (actions, `after`, `after_unknown`, `after_sensitive`) and
`configuration.root_module.resources[]` (expressions, which tell Trivy blocks from attributes).

- Type tokens and property names come from the bridge's metadata (`schema.py`); nested blocks are
  lists, as Terraform holds them, also where Pulumi flattens one to an object (`maxItemsOne`).
- Values are the inputs the program declared: no provider runs offline, so attributes left unset
  are absent (scanners treat them as they treat an unset attribute in a `.tf` file), and
  computed ones (ids, autonames) are not invented.
- A secret value is replaced by `SECRET_MARKER` and listed in `after_sensitive`; never the value,
  not even hashed. An unknown value is left out of `after` and listed in `after_unknown`.
- The document is deterministic: resources sorted by address, keys sorted, no timestamps.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from preflight.capture import Capture, CapturedResource
from preflight.tfplan.schema import Attribute, Block, resource_schema, terraform_name
from preflight.values import OUTPUT_SIG, RESOURCE_SIG, SIG_KEY, UNKNOWN, is_secret

FORMAT_VERSION = "1.2"
# Scanners require the key; no Terraform ran, and a semver build tag says so.
TERRAFORM_VERSION = "0.0.0+pulumi-preflight"
SECRET_MARKER = "[secret]"
PROVIDERS = {"google": "registry.terraform.io/hashicorp/google"}
_ACTIONS: Mapping[str, list[str]] = {
    "create": ["create"],
    "update": ["update"],
    "replace": ["create", "delete"],  # Pulumi creates the replacement first by default
    "same": ["no-op"],
}
_INVALID_NAME_CHARS = re.compile(r"[^A-Za-z0-9_-]")


class _Absent:
    """An unknown value: left out of `after`."""


_ABSENT: Final = _Absent()


@dataclass
class _Converted:
    """One value in Terraform's terms: `after`, and what `after_unknown`/`after_sensitive` say."""

    after: Any
    unknown: Any = None
    sensitive: Any = None


@dataclass
class ExportedPlan:
    """The plan document, which URN each address stands for, and what could not be mapped."""

    document: dict[str, Any]
    addresses: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    skipped_types: set[str] = field(default_factory=set)


def export_plan(capture: Capture, operations: Mapping[str, str] | None = None) -> ExportedPlan:
    """The plan for one stack; `operations` (URN -> preflight diff operation) sets the actions."""
    exported = ExportedPlan(document={})
    planned: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    configured: list[dict[str, Any]] = []
    taken: set[str] = set()
    for resource in capture.resources:
        schema = resource_schema(resource.type)
        if schema is None:
            if resource.custom:
                exported.skipped_types.add(resource.type)
            continue
        name = _address_name(resource, schema.tf_type, taken)
        identity = {
            "address": f"{schema.tf_type}.{name}",
            "mode": "managed",
            "type": schema.tf_type,
            "name": name,
        }
        exported.addresses[identity["address"]] = resource.urn
        where = f"{resource.type} {resource.name}"
        converted = _object(resource.inputs, schema.block, where, exported.warnings)
        sensitive = converted.sensitive or {}
        provider = {"provider_name": PROVIDERS["google"]}
        planned.append(
            {
                **identity,
                **provider,
                "schema_version": 0,
                "values": converted.after,
                "sensitive_values": sensitive,
            }
        )
        changes.append(
            {
                **identity,
                **provider,
                "change": {
                    "actions": _actions(resource, operations),
                    # Offline only the planned state is known: `before` stays null.
                    "before": None,
                    "after": converted.after,
                    "after_unknown": converted.unknown or {},
                    "before_sensitive": False,
                    "after_sensitive": sensitive,
                },
            }
        )
        expressions = _expressions(converted.after)
        configured.append({**identity, "provider_config_key": "google", "expressions": expressions})
    exported.document = {
        "format_version": FORMAT_VERSION,
        "terraform_version": TERRAFORM_VERSION,
        "errored": False,
        "planned_values": {"root_module": {"resources": _by_address(planned)}},
        "resource_changes": _by_address(changes),
        "configuration": {
            "provider_config": {
                provider: {"name": provider, "full_name": source}
                for provider, source in PROVIDERS.items()
            },
            "root_module": {"resources": _by_address(configured)},
        },
    }
    return exported


def _actions(resource: CapturedResource, operations: Mapping[str, str] | None) -> list[str]:
    """Terraform's actions for the preflight diff's operation (a create without a base)."""
    actions = list(_ACTIONS.get((operations or {}).get(resource.urn, "create"), ["create"]))
    if resource.delete_before_replace and actions == _ACTIONS["replace"]:
        actions.reverse()
    return actions


def render_plan(exported: ExportedPlan) -> str:
    """The document as text: sorted keys, two-space indent, a final newline."""
    return json.dumps(exported.document, indent=2, sort_keys=True) + "\n"


def _by_address(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: str(item["address"]))


def _address_name(resource: CapturedResource, tf_type: str, taken: set[str]) -> str:
    """The Pulumi name as a Terraform identifier, unique within its type."""
    name = _INVALID_NAME_CHARS.sub("_", resource.name)
    if not re.match(r"[A-Za-z_]", name):
        name = f"_{name}"
    if f"{tf_type}.{name}" in taken:
        # Two Pulumi parents may hold children of one name; the URN tells them apart.
        name = f"{name}_{hashlib.sha256(resource.urn.encode()).hexdigest()[:7]}"
    taken.add(f"{tf_type}.{name}")
    return name


def _object(value: dict[str, Any], block: Block, where: str, warnings: list[str]) -> _Converted:
    after: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    sensitive: dict[str, Any] = {}
    for key in sorted(value):
        attribute = block.attribute(key, value[key])
        tf_name = attribute.tf_name if attribute else terraform_name(key)
        converted = _value(value[key], attribute, f"{where}.{key}", warnings)
        if converted.after is not _ABSENT:
            after[tf_name] = converted.after
        if converted.unknown:
            unknown[tf_name] = converted.unknown
        if converted.sensitive:
            sensitive[tf_name] = converted.sensitive
    return _Converted(after, unknown or None, sensitive or None)


def _value(raw: Any, attribute: Attribute | None, where: str, warnings: list[str]) -> _Converted:
    """A property value; `attribute` is its list or block shape, None for scalars and maps."""
    raw = _known_output(raw)
    marked = _engine_marker(raw)
    if marked is not None:
        return marked
    if attribute is not None:
        if attribute.max_items_one:
            inner = _element(raw, attribute.block, where, warnings)
            return _Converted(
                [None if inner.after is _ABSENT else inner.after],
                [inner.unknown] if inner.unknown else None,
                [inner.sensitive] if inner.sensitive else None,
            )
        items = raw if isinstance(raw, list) else [raw]
        return _list([_element(item, attribute.block, where, warnings) for item in items])
    if isinstance(raw, dict):
        # A map (labels, annotations): its keys are data, kept as they are.
        entries = {key: _value(item, None, f"{where}.{key}", warnings) for key, item in raw.items()}
        return _Converted(
            {key: item.after for key, item in entries.items() if item.after is not _ABSENT},
            {key: item.unknown for key, item in entries.items() if item.unknown} or None,
            {key: item.sensitive for key, item in entries.items() if item.sensitive} or None,
        )
    if isinstance(raw, list):
        warnings.append(f"{where}: a list the bridge metadata does not describe, kept as it is")
        return _list([_value(item, None, where, warnings) for item in raw])
    if isinstance(raw, float) and raw.is_integer():
        # Struct numbers are doubles; whole numbers read as the program wrote them.
        return _Converted(int(raw))
    return _Converted(raw)


def _element(raw: Any, block: Block, where: str, warnings: list[str]) -> _Converted:
    raw = _known_output(raw)
    marked = _engine_marker(raw)
    if marked is not None:
        return marked
    if isinstance(raw, dict):
        converted = _object(raw, block, where, warnings)
        return _Converted(converted.after, converted.unknown, converted.sensitive)
    return _value(raw, None, where, warnings)


def _list(items: list[_Converted]) -> _Converted:
    unknown = [item.unknown or False for item in items]
    sensitive = [item.sensitive or False for item in items]
    return _Converted(
        [None if item.after is _ABSENT else item.after for item in items],
        unknown if any(unknown) else None,
        sensitive if any(sensitive) else None,
    )


def _engine_marker(raw: Any) -> _Converted | None:
    """Secrets, unknowns, outputs and resource references; None for an ordinary value."""
    if raw == UNKNOWN:
        return _Converted(_ABSENT, unknown=True)
    if is_secret(raw):
        inner = _engine_marker(raw.get("value"))
        if inner is not None and inner.after is _ABSENT:
            return _Converted(_ABSENT, unknown=True, sensitive=True)
        return _Converted(SECRET_MARKER, sensitive=True)
    if isinstance(raw, dict) and raw.get(SIG_KEY) == OUTPUT_SIG:
        if "value" not in raw:
            return _Converted(_ABSENT, unknown=True, sensitive=bool(raw.get("secret")) or None)
        return _Converted(SECRET_MARKER, sensitive=True)
    if isinstance(raw, dict) and raw.get(SIG_KEY) == RESOURCE_SIG:
        # A resource reference stands for the resource's id, as in Terraform.
        if raw.get("id") in (None, "", UNKNOWN):
            return _Converted(_ABSENT, unknown=True)
        return _Converted(raw["id"])
    return None


def _known_output(raw: Any) -> Any:
    """A known, non-secret output value stands for its value."""
    while (
        isinstance(raw, dict)
        and raw.get(SIG_KEY) == OUTPUT_SIG
        and "value" in raw
        and not raw.get("secret")
    ):
        raw = raw["value"]
    return raw


def _expressions(after: Any) -> Any:
    """Configuration expressions for known values: blocks as lists of expression objects."""
    expressions: dict[str, Any] = {}
    for key, value in after.items():
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            expressions[key] = [_expressions(item) for item in value]
        else:
            expressions[key] = {"constant_value": value}
    return expressions
