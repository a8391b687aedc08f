"""Shared helpers: safe property walking, provider defaults, config parameters, secret names.

Every policy reads resource properties through `get` / `elements`, never by indexing the
props mapping directly, because:

- during preview a value can be unknown. The SDK hands policies a proxy that raises
  `UnknownValueError` on access to an unknown value (and `key in props` reads the value too);
  direct callers may also pass the raw sentinel strings. `get` turns both into `UNKNOWN`, and
  a policy treats `UNKNOWN` as "cannot decide": no violation;
- an absent property means the provider's default (`PROVIDER_DEFAULTS`), not "compliant";
- a value of the wrong type (a string where an object is expected) must not crash a policy:
  `get` treats it as absent.

Violation messages are built by the policies from resource names, property paths and config
parameters only, never from property values: policies see secrets in plain text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
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


# --- Provider defaults --------------------------------------------------------------------------

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


# --- Secret-looking names -----------------------------------------------------------------------

_SECRET_WORDS: Final = ("SECRET", "PASSWORD", "PASSWD", "TOKEN", "DSN", "PRIVATE", "CREDENTIAL")
_SECRET_SUFFIXES: Final = ("DATABASE_URL", "REDIS_URL", "CONNECTION_STRING")
_PUBLIC_PREFIX: Final = "NEXT_PUBLIC_"


def looks_secret(name: str) -> bool:
    """Whether an env var name looks like it carries a secret.

    Secret-looking: a `_`-separated word containing SECRET, PASSWORD, PASSWD, TOKEN, DSN,
    PRIVATE or CREDENTIAL; a word ending in KEY or KEYS (API_KEY, APIKEY); a name ending in
    DATABASE_URL, REDIS_URL or CONNECTION_STRING (these URLs embed credentials).
    Not secret, by design: `..._PUBLISHABLE_KEY` (Stripe's publishable key is meant for the
    browser) and `NEXT_PUBLIC_..._URL` (public endpoints such as NEXT_PUBLIC_API_URL).
    """
    upper = name.upper()
    if upper.startswith(_PUBLIC_PREFIX) and upper.endswith("_URL"):
        return False
    words = [word for word in re.split(r"[^A-Z0-9]+", upper) if word]
    for index, word in enumerate(words):
        if any(secret in word for secret in _SECRET_WORDS):
            return True
        if word.endswith(("KEY", "KEYS")):
            publishable = index > 0 and words[index - 1] == "PUBLISHABLE"
            if not publishable:
                return True
    return any(upper.endswith(suffix) for suffix in _SECRET_SUFFIXES)


# --- Config parameters --------------------------------------------------------------------------


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


def fmt_number(value: float) -> str:
    """A config number for a message: 30.0 -> "30", 0.1 -> "0.1"."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# JSON-schema snippets shared by config schemas.
STRING: Final[dict[str, Any]] = {"type": "string", "minLength": 1}
STRING_LIST: Final[dict[str, Any]] = {"type": "array", "items": {"type": "string", "minLength": 1}}
HOST: Final[dict[str, Any]] = {
    "type": "string",
    "pattern": r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
}
HOST_LIST: Final[dict[str, Any]] = {"type": "array", "items": HOST, "minItems": 1}


def schema(
    properties: Mapping[str, Mapping[str, Any]], required: Sequence[str] = ()
) -> PolicyConfigSchema:
    return PolicyConfigSchema(
        properties={key: dict(value) for key, value in properties.items()},
        required=list(required) or None,
    )


# --- Policy construction ------------------------------------------------------------------------

Report = Callable[[str], None]
"""Reports one violation of the resource being validated; the message names no value."""

StackReport = Callable[[str, str | None], None]
"""Reports one violation of a stack policy, optionally against a resource URN."""

ResourceCheck = Callable[[ResourceValidationArgs, Report], None]
StackCheck = Callable[[StackValidationArgs, StackReport], None]

CIS_GCP: Final = "CIS Google Cloud Platform Foundation Benchmark"
CIS_GCP_VERSION: Final = "3.0.0"


def cis(reference: str) -> PolicyComplianceFramework:
    """The CIS GCP benchmark as a policy's compliance framework."""
    return PolicyComplianceFramework(name=CIS_GCP, version=CIS_GCP_VERSION, reference=reference)


def resource_policy(
    *,
    name: str,
    description: str,
    resource_types: Iterable[str] | Callable[[str], bool],
    check: ResourceCheck,
    severity: Severity,
    remediation: str,
    tags: Sequence[str],
    enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY,
    framework: PolicyComplianceFramework | None = None,
    config_schema: PolicyConfigSchema | None = None,
) -> ResourceValidationPolicy:
    """A resource policy that runs `check` only on the given types and never on unknowns.

    An `UnknownValueError` escaping `check` (a value read outside the helpers) means the
    policy cannot decide during preview: it reports nothing rather than failing the preview.
    """
    if callable(resource_types):
        applies: Callable[[str], bool] = resource_types
    else:
        type_set = frozenset(resource_types)
        applies = type_set.__contains__

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if not applies(args.resource_type):
            return
        try:
            check(args, lambda message: report_violation(message, None))
        except UnknownValueError:
            return

    return ResourceValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        enforcement_level=enforcement_level,
        config_schema=config_schema,
        severity=severity,
        framework=framework,
        tags=list(tags),
        remediation_steps=remediation,
    )


def stack_policy(
    *,
    name: str,
    description: str,
    check: StackCheck,
    severity: Severity,
    remediation: str,
    tags: Sequence[str],
    enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY,
    framework: PolicyComplianceFramework | None = None,
    config_schema: PolicyConfigSchema | None = None,
) -> StackValidationPolicy:
    """A stack policy; like `resource_policy`, an escaping unknown means "cannot decide"."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        try:
            check(args, report_violation)
        except UnknownValueError:
            return

    return StackValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        enforcement_level=enforcement_level,
        config_schema=config_schema,
        severity=severity,
        framework=framework,
        tags=list(tags),
        remediation_steps=remediation,
    )


def of_type(resources: Iterable[PolicyResource], *resource_types: str) -> list[PolicyResource]:
    """The stack's resources of the given types, in declaration order."""
    wanted = frozenset(resource_types)
    return [resource for resource in resources if resource.resource_type in wanted]


def label(args: ResourceValidationArgs | PolicyResource) -> str:
    """How messages name a resource: its type's short name and its Pulumi name."""
    kind = args.resource_type.rsplit(":", 1)[-1]
    return f"{kind} '{args.name}'"
