"""Protection of every stateful type, both ways: the Pulumi `protect` resource option (no
`pulumi up` or `destroy` deletes it) and the type's own deletion protection (the provider or the
API refuses the delete, whatever tool asks).

`PROTECTIONS` lists each type with the fields it reads and what their absence means. Stateful
types (data, backups, secrets, logins, the audit trail's log bucket, keys and their versions)
need both; where a type has no deletion-protection field of its own, its field is the
provider's `deletionPolicy` (absent means DELETE). Cloud Run holds no data and needs its own
field only, which keeps the public API from an accidental delete. A secret version needs its
`deletionPolicy` only: a generated value (a database URL, a Maps key) is changed by replacing its
version, which the `protect` option would refuse, while DISABLE keeps the old version
recoverable (and the secret itself, which holds every version, is protected both ways).
A stack whose resources are destroyable by design (staging) runs the policy disabled; the
config's `waivers` name the protections the program does not set yet ("<type> <protection>"),
each a known gap to close in the program.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    MISSING,
    Report,
    as_bool,
    as_number,
    as_str,
    get,
    is_unknown,
    label,
    param_strs,
    resource_policy,
    schema,
    unless_found,
)

PROTECT_OPTION: Final = "protect"


@dataclass(frozen=True)
class Field:
    """A deletion-protection field: its path, a sentence for messages, and its test.

    `holds(value)` gets the raw value (MISSING when absent) and says whether it protects, or
    None when it cannot tell.
    """

    path: str
    expected: str
    holds: Callable[[Any], bool | None]


def _true(default: bool) -> Callable[[Any], bool | None]:
    return lambda value: as_bool(value, default)


def _not_true(value: Any) -> bool | None:
    flag = as_bool(value, False)
    return None if flag is None else not flag


def _policy_in(*kept: str) -> Callable[[Any], bool | None]:
    """A `deletionPolicy` test: one of `kept` (absent means DELETE, which deletes)."""

    def holds(value: Any) -> bool | None:
        policy = as_str(value, "DELETE")
        return None if policy is None else policy in kept

    return holds


_kept = _policy_in("ABANDON", "PREVENT")
_KEPT_TEXT: Final = "ABANDON or PREVENT (absent means DELETE)"
_version_kept = _policy_in("DISABLE", "ABANDON", "PREVENT")
_VERSION_KEPT_TEXT: Final = "DISABLE, ABANDON or PREVENT (absent means DELETE)"


def _positive(value: Any) -> bool | None:
    if value is MISSING:
        return False
    number = as_number(value)
    return None if number is None else number > 0


def _bool_field(path: str, default: bool) -> Field:
    return Field(path, f"true (absent means {str(default).lower()})", _true(default))


@dataclass(frozen=True)
class Protection:
    """What protects a type: the `protect` option (stateful types) and its own fields."""

    fields: tuple[Field, ...]
    protect_option: bool = True


PROTECTIONS: Final[Mapping[str, Protection]] = {
    "gcp:alloydb/cluster:Cluster": Protection((_bool_field("deletionProtection", True),)),
    "gcp:alloydb/instance:Instance": Protection(()),
    # Container images the services run: a deleted repository takes every image with it.
    "gcp:artifactregistry/repository:Repository": Protection(
        (Field("deletionPolicy", _KEPT_TEXT, _kept),)
    ),
    "gcp:cloudrunv2/job:Job": Protection(
        (_bool_field("deletionProtection", True),), protect_option=False
    ),
    "gcp:cloudrunv2/service:Service": Protection(
        (_bool_field("deletionProtection", True),), protect_option=False
    ),
    # Destroying the key makes everything it sealed unreadable; a key ring cannot be deleted at
    # all, only forgotten by the state.
    "gcp:kms/cryptoKey:CryptoKey": Protection(
        (Field("deletionPolicy", "PREVENT or ABANDON (absent means DELETE)", _kept),)
    ),
    "gcp:kms/cryptoKeyVersion:CryptoKeyVersion": Protection(
        (Field("deletionPolicy", _KEPT_TEXT, _kept),)
    ),
    "gcp:kms/keyRing:KeyRing": Protection(()),
    # The audit trail: a locked log bucket cannot be deleted while it holds entries younger than
    # its retention.
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": Protection(
        (_bool_field("locked", False),)
    ),
    "gcp:memorystore/instance:Instance": Protection(
        (_bool_field("deletionProtectionEnabled", False),)
    ),
    "gcp:redis/cluster:Cluster": Protection((_bool_field("deletionProtectionEnabled", True),)),
    "gcp:redis/instance:Instance": Protection((_bool_field("deletionProtection", True),)),
    "gcp:secretmanager/regionalSecret:RegionalSecret": Protection(
        (_bool_field("deletionProtection", False),)
    ),
    "gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion": Protection(
        (Field("deletionPolicy", _VERSION_KEPT_TEXT, _version_kept),), protect_option=False
    ),
    "gcp:secretmanager/secret:Secret": Protection((_bool_field("deletionProtection", False),)),
    "gcp:secretmanager/secretVersion:SecretVersion": Protection(
        (Field("deletionPolicy", _VERSION_KEPT_TEXT, _version_kept),), protect_option=False
    ),
    "gcp:sql/database:Database": Protection((Field("deletionPolicy", _KEPT_TEXT, _kept),)),
    "gcp:sql/databaseInstance:DatabaseInstance": Protection(
        (
            _bool_field("deletionProtection", True),
            _bool_field("settings.deletionProtectionEnabled", False),
        )
    ),
    # The application's login: ABANDON leaves it in the database (Postgres refuses to drop a
    # role that owns objects anyway).
    "gcp:sql/user:User": Protection((Field("deletionPolicy", _KEPT_TEXT, _kept),)),
    "gcp:storage/bucket:Bucket": Protection(
        (
            Field("forceDestroy", "not true (absent means false)", _not_true),
            Field("retentionPolicy.retentionPeriod", "a retention period in seconds", _positive),
        )
    ),
}


def waiver_names() -> list[str]:
    """Every protection a config may waive: "<type> protect" and "<type> <field path>"."""
    names = []
    for resource_type, protection in PROTECTIONS.items():
        if protection.protect_option:
            names.append(f"{resource_type} {PROTECT_OPTION}")
        names += [f"{resource_type} {field.path}" for field in protection.fields]
    return names


def _check_protection(args: ResourceValidationArgs, report: Report) -> None:
    protection = PROTECTIONS[args.resource_type]
    waived = set(param_strs(args.get_config(), "waivers"))
    found, unknown, unreadable = False, [], []
    if (
        protection.protect_option
        and f"{args.resource_type} {PROTECT_OPTION}" not in waived
        and not bool(getattr(args.opts, "protect", False))
    ):
        found = True
        report(f"{label(args)}: the `protect` resource option must be set.")
    for field in protection.fields:
        if f"{args.resource_type} {field.path}" in waived:
            continue
        value = get(args.props, field.path)
        if is_unknown(value):
            unknown.append(field.path)
            continue
        holds = field.holds(value)
        if holds is None:
            unreadable.append(field.path)
        elif not holds:
            found = True
            report(f"{label(args)}: {field.path} must be {field.expected}.")
    unless_found(args, found, unknown)
    if not found and unreadable:
        # Not a value the provider documents: neither protected nor unprotected, as far as known.
        args.not_applicable(
            f"{label(args)}: not a value the policy can read: {', '.join(unreadable)}"
        )


POLICIES: Final = [
    resource_policy(
        name="gcp-stateful-resource-protected",
        resource_types=PROTECTIONS.keys(),
        check=_check_protection,
        config_schema=schema(
            {
                "waivers": {
                    "type": "array",
                    "items": {"type": "string", "enum": waiver_names()},
                    "default": [],
                }
            }
        ),
    ),
]
