"""Reading resource properties safely: unknown values, absent properties, provider defaults.

Every policy reads resource properties through `get` / `elements`, never by indexing the
props mapping directly, because:

- during preview a value can be unknown. The SDK hands policies a proxy that raises
  `UnknownValueError` on access to an unknown value (and `key in props` reads the value too);
  direct callers may also pass the raw sentinel strings. `get` turns both into `UNKNOWN`, and
  a policy treats `UNKNOWN` as "cannot decide": no violation;
- an absent property means the provider's default (`PROVIDER_DEFAULTS`), not "compliant";
- a value of the wrong type (a string where an object is expected) must not crash a policy:
  `get` treats it as absent.

Violation messages are built by the policies from resource names, property paths, config
parameters and the stack's own facts only, never from property values: policies see secrets in
plain text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy.proxy import UnknownValueError


class _Sentinel:
    def __init__(self, label: str) -> None:
        self._label = label

    def __repr__(self) -> str:
        return self._label

    def __bool__(self) -> bool:
        return False


UNKNOWN: Final = _Sentinel("UNKNOWN")
"""A value not known until the update runs (preview): policies cannot decide on it."""

MISSING: Final = _Sentinel("MISSING")
"""An absent property (or null, or the wrong type on the way): the provider default applies."""

# The engine's sentinels for unknown values, as the SDK's proxy knows them.
_UNKNOWN_SENTINELS: Final = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "030794c1-ac77-496b-92df-f27374a8bd58",
        "e48ece36-62e2-4504-bad9-02848725956a",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    }
)


def is_unknown(value: Any) -> bool:
    """True for the `UNKNOWN` marker or one of the engine's unknown sentinels."""
    return value is UNKNOWN or (isinstance(value, str) and value in _UNKNOWN_SENTINELS)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def child(value: Any, key: str | int) -> Any:
    """One step of a walk: `UNKNOWN`, `MISSING` or the child value."""
    if is_unknown(value):
        return UNKNOWN
    try:
        if isinstance(key, int):
            if not _is_sequence(value) or not -len(value) <= key < len(value):
                return MISSING
            result = value[key]
        else:
            if not isinstance(value, Mapping):
                return MISSING
            result = value[key]
    except UnknownValueError:
        return UNKNOWN
    except (KeyError, IndexError, TypeError):
        return MISSING
    if result is None:
        return MISSING
    return UNKNOWN if is_unknown(result) else result


def get(value: Any, path: str) -> Any:
    """Walk a dotted path (`settings.ipConfiguration.ipv4Enabled`); see `child`."""
    for key in path.split("."):
        value = child(value, key)
        if value is MISSING or value is UNKNOWN:
            return value
    return value


def elements(value: Any) -> list[Any]:
    """The items of a list (each possibly `UNKNOWN`); [] when absent or not a list.

    Callers check `is_unknown(value)` first when an unknown list must stop the decision.
    """
    if not _is_sequence(value):
        return []
    return [child(value, index) for index in range(len(value))]


def entries(value: Any) -> dict[str, Any]:
    """The entries of a map (values possibly `UNKNOWN`); {} when absent or not a map."""
    if not isinstance(value, Mapping):
        return {}
    return {str(key): child(value, key) for key in list(value)}


def as_bool(value: Any, default: bool | None = None) -> bool | None:
    """A boolean property: `default` when absent, None when unknown or not a boolean.

    The strings "true"/"false" count (config and some providers marshal booleans as strings).
    """
    if value is MISSING:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def as_str(value: Any, default: str | None = None) -> str | None:
    """A string property: `default` when absent, None when unknown or not a string."""
    if value is MISSING:
        return default
    if isinstance(value, str) and not is_unknown(value):
        return value
    return None


def as_number(value: Any, default: float | None = None) -> float | None:
    """A number property (numeric strings count): `default` when absent, None when undecidable."""
    if value is MISSING:
        return default
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and not is_unknown(value):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def strings(value: Any) -> list[str]:
    """The string items of a list, skipping unknown or non-string items."""
    return [item for item in elements(value) if isinstance(item, str) and not is_unknown(item)]


PROVIDER_DEFAULTS: Final[Mapping[str, Mapping[str, Any]]] = {
    # Values the provider (or the API) uses when a property is absent. Mocks and previews do
    # not run the provider's Check, so policies see absent properties and apply these.
    "gcp:sql/databaseInstance:DatabaseInstance": {
        "deletionProtection": True,
        "settings.availabilityType": "ZONAL",
        "settings.backupConfiguration.backupRetentionSettings.retainedBackups": 7,
        "settings.backupConfiguration.enabled": False,
        "settings.backupConfiguration.pointInTimeRecoveryEnabled": False,
        "settings.deletionProtectionEnabled": False,
        "settings.ipConfiguration.ipv4Enabled": True,
        "settings.ipConfiguration.sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
    },
    "gcp:redis/instance:Instance": {
        "authEnabled": False,
        "connectMode": "DIRECT_PEERING",
        "tier": "BASIC",
        "transitEncryptionMode": "DISABLED",
    },
    "gcp:storage/bucket:Bucket": {
        "publicAccessPrevention": "inherited",
        "uniformBucketLevelAccess": False,
        "versioning.enabled": False,
    },
    "gcp:monitoring/alertPolicy:AlertPolicy": {"enabled": True},
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": {
        "httpCheck.useSsl": False,
        "httpCheck.validateSsl": False,
    },
}


def prop(props: Any, resource_type: str, path: str) -> Any:
    """`get`, with the provider default from `PROVIDER_DEFAULTS` when the property is absent."""
    value = get(props, path)
    if value is MISSING:
        return PROVIDER_DEFAULTS.get(resource_type, {}).get(path, MISSING)
    return value


def provider_default_labels(provider_props: Any) -> dict[str, Any]:
    """The GCP provider's `defaultLabels` (an object, or a JSON string as the CLI sends it)."""
    value = get(provider_props, "defaultLabels")
    if isinstance(value, str) and not is_unknown(value):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return entries(value)
