"""Read a `--policy-pack-config` file and reconcile it with a pack's policies, as the CLI does.

Semantics follow the CLI (`pkg/resource/analyzer/config.go`): each policy starts from its
default enforcement level and its schema defaults; `all` sets every policy's level; a policy
entry is a level string or an object with `enforcementLevel` plus properties, validated against
the policy's JSON schema. Three deliberate differences, to catch typos: an entry naming no
policy of the pack, a property not in the policy's schema, and a key given twice in one object
are errors.

Needs no analyzer server: the policies can come from GetAnalyzerInfo or from the pack itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from jsonschema import ValidationError

ENFORCEMENT_LEVELS: Final = ("advisory", "mandatory", "remediate", "disabled")

RawPolicyConfig = dict[str, tuple[str | None, dict[str, Any]]]
"""A parsed config document: policy name (or `all`) -> (level or None, properties)."""


class PolicyConfigError(Exception):
    """A policy config file is invalid; the message is one line naming file, policy and key."""


@dataclass(frozen=True)
class PolicySummary:
    """A policy as GetAnalyzerInfo reports it."""

    name: str
    description: str
    enforcement_level: str
    policy_type: str  # "resource" or "stack"
    config_properties: Mapping[str, Any]
    config_required: tuple[str, ...]
    severity: str
    remediation_steps: str = ""


@dataclass(frozen=True)
class PolicyConfig:
    """One policy's reconciled config, as Configure sends it."""

    enforcement_level: str
    properties: Mapping[str, Any] = field(default_factory=dict)


def read_policy_config(path: Path, policies: Sequence[PolicySummary]) -> dict[str, PolicyConfig]:
    """Read a policy config file and reconcile it with the pack's policies."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyConfigError(f"{source}: cannot read: {error.strerror}") from None
    return reconcile_policy_config(policies, parse_policy_config(text, source), source)


def parse_policy_config(text: str, source: str) -> RawPolicyConfig:
    """Parse a `--policy-pack-config` document: name -> (level or None, properties)."""
    if not text.strip():
        return {}
    try:
        parsed = json.loads(text, object_pairs_hook=_Members)
    except json.JSONDecodeError as error:
        raise PolicyConfigError(
            f"{source}: not valid JSON at line {error.lineno}: {error.msg}"
        ) from None
    document = _unique_keys(parsed, source, ())
    if not isinstance(document, dict):
        raise PolicyConfigError(f"{source}: must be an object of policy names")
    result: RawPolicyConfig = {}
    for name, value in document.items():
        if isinstance(value, str):
            result[name] = (_level(value, source, name), {})
        elif isinstance(value, dict):
            properties = dict(value)
            level = properties.pop("enforcementLevel", None)
            if level is not None and not isinstance(level, str):
                raise PolicyConfigError(f"{source}: {name}: enforcementLevel: must be a string")
            result[name] = (_level(level, source, name) if level else None, properties)
        else:
            raise PolicyConfigError(
                f"{source}: {name}: must be an enforcement level string or an object"
            )
    return result


class _Members(list[tuple[str, Any]]):
    """A JSON object's members in document order, duplicates kept (json's default drops them)."""


def _unique_keys(value: Any, source: str, path: tuple[str, ...]) -> Any:
    """`value` with every object as a dict; a key given twice in one object is an error."""
    if isinstance(value, _Members):
        result: dict[str, Any] = {}
        for key, item in value:
            if key in result:
                raise PolicyConfigError(f"{source}: {': '.join((*path, key))}: duplicate key")
            result[key] = _unique_keys(item, source, (*path, key))
        return result
    if isinstance(value, list):
        return [_unique_keys(item, source, path) for item in value]
    return value


def _level(value: str, source: str, name: str) -> str:
    if value not in ENFORCEMENT_LEVELS:
        raise PolicyConfigError(
            f"{source}: {name}: enforcementLevel: {value!r} is not one of "
            f"{', '.join(ENFORCEMENT_LEVELS)}"
        )
    return value


def reconcile_policy_config(
    policies: Sequence[PolicySummary], config: RawPolicyConfig, source: str
) -> dict[str, PolicyConfig]:
    """Defaults, then `all`, then per-policy entries; validated against each config schema."""
    known = {policy.name: policy for policy in policies}
    for name in config:
        if name != "all" and name not in known:
            raise PolicyConfigError(f"{source}: {name}: no such policy in the pack")
    all_level = config.get("all", (None, {}))[0]
    result: dict[str, PolicyConfig] = {}
    for policy in policies:
        level, given = config.get(policy.name, (None, {}))
        properties = {
            key: schema["default"]
            for key, schema in policy.config_properties.items()
            if isinstance(schema, Mapping) and "default" in schema
        }
        for key, value in given.items():
            if key not in policy.config_properties:
                raise PolicyConfigError(
                    f"{source}: {policy.name}: {key}: not a config property of this policy"
                    + (
                        f" (known: {', '.join(sorted(policy.config_properties))})"
                        if policy.config_properties
                        else " (it takes none)"
                    )
                )
            problem = _schema_problem(value, policy.config_properties[key])
            if problem:
                raise PolicyConfigError(f"{source}: {policy.name}: {key}: {problem}")
            properties[key] = value
        for key in policy.config_required:
            if key not in properties:
                raise PolicyConfigError(f"{source}: {policy.name}: {key}: is required")
        result[policy.name] = PolicyConfig(
            level or all_level or policy.enforcement_level, properties
        )
    return result


def _schema_problem(value: Any, schema: Mapping[str, Any]) -> str | None:
    """Why `value` does not match the property's JSON schema (one line), or None."""
    # Imported here: jsonschema takes tens of milliseconds to import, and this runs on the
    # gate's background thread while the program runs, not on the start-up path.
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for

    # The CLI validates config with draft 7 unless a schema names its own draft.
    validator = validator_for(schema, default=Draft7Validator)(schema)
    error = best_match(validator.iter_errors(value))
    if error is None:
        return None
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
    )
    reason = _reason(error)
    return f"{where} {reason}" if where else reason


def _reason(error: ValidationError) -> str:
    """The problem in the project's words where it has them, else jsonschema's, on one line."""
    expected: Any = error.validator_value  # the schema keyword's value, for the message
    match error.validator:
        case "type":
            kinds = [expected] if isinstance(expected, str) else list(expected)
            wanted = " or ".join(f"{'an' if k[0] in 'aeiou' else 'a'} {k}" for k in kinds)
            return f"must be {wanted} (got {type(error.instance).__name__})"
        case "enum":
            return f"must be one of {', '.join(map(str, expected))}"
        case "minLength":
            if expected <= 1:
                return "must not be empty"
            return f"must be at least {expected} characters long"
        case "pattern":
            return f"must match {expected}"
        case "minimum":
            return f"must be at least {expected}"
        case "maximum":
            return f"must be at most {expected}"
        case "exclusiveMinimum":
            return f"must be greater than {expected}"
        case "exclusiveMaximum":
            return f"must be less than {expected}"
        case "minItems":
            return f"must have at least {expected} item(s)"
        case "maxItems":
            return f"must have at most {expected} item(s)"
    return " ".join(error.message.split())


__all__ = [
    "ENFORCEMENT_LEVELS",
    "PolicyConfig",
    "PolicyConfigError",
    "PolicySummary",
    "RawPolicyConfig",
    "parse_policy_config",
    "read_policy_config",
    "reconcile_policy_config",
]
