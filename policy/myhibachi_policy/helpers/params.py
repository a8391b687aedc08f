"""Policy config parameters: typed reads with defaults, and JSON-schema snippets for schemas.

A policy's config holds what is policy (floors, allow-lists, what counts as a kind of alert);
facts the stack file owns are read with `stack_setting` instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import PolicyConfigSchema

from .values import MISSING


def config_value(config: Mapping[str, Any], key: str) -> Any:
    """A policy config value, or `MISSING`."""
    try:
        return config.get(key, MISSING)
    except (AttributeError, TypeError):
        return MISSING


def param_str(config: Mapping[str, Any], key: str, default: str | None = None) -> str | None:
    value = config_value(config, key)
    return value if isinstance(value, str) and value else default


def param_number(config: Mapping[str, Any], key: str, default: float | None = None) -> float | None:
    value = config_value(config, key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default


def param_bool(config: Mapping[str, Any], key: str, default: bool) -> bool:
    value = config_value(config, key)
    return value if isinstance(value, bool) else default


def param_strs(config: Mapping[str, Any], key: str, default: Sequence[str] = ()) -> list[str]:
    value = config_value(config, key)
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str) and item]
    return list(default)


def param_str_map(
    config: Mapping[str, Any], key: str, default: Mapping[str, str]
) -> dict[str, str]:
    """An object of non-empty strings (other entries skipped); `default` when not an object."""
    value = config_value(config, key)
    if not isinstance(value, Mapping):
        return dict(default)
    return {str(k): v for k, v in value.items() if isinstance(v, str) and v}


def min_retention_days(config: Mapping[str, Any], default: int) -> float:
    """The `minRetentionDays` parameter of the retention policies; `default` when unset or 0."""
    return param_number(config, "minRetentionDays", default) or default


def min_retention_days_schema(default: int) -> dict[str, dict[str, Any]]:
    """The schema entry of `minRetentionDays`, whose reader is `min_retention_days`."""
    return {"minRetentionDays": {"type": "integer", "minimum": 1, "default": default}}


def fmt_number(value: float) -> str:
    """A config number for a message: 30.0 -> "30", 0.1 -> "0.1"."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# JSON-schema snippets shared by config schemas.
STRING: Final[dict[str, Any]] = {"type": "string", "minLength": 1}
STRING_LIST: Final[dict[str, Any]] = {"type": "array", "items": {"type": "string", "minLength": 1}}


def schema(
    properties: Mapping[str, Mapping[str, Any]], required: Sequence[str] = ()
) -> PolicyConfigSchema:
    return PolicyConfigSchema(
        properties={key: dict(value) for key, value in properties.items()},
        required=list(required) or None,
    )
