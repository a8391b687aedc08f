"""Credentials by shape: no input of any resource holds a credential, whatever it is called.

The env var name is only a hint (`gcp-cloudrun-workload-secret-env-from-secret-manager`): a live
Stripe key in `APP_CONFIG`, in a container's `args`, in a workflow's source, in a label or in a
`NEXT_PUBLIC_` Vercel variable is the same leak. So every string input of every resource, map
keys included, is matched against credential formats (`helpers.credential_kinds`).

Skipped are only the fields whose job is to hold a secret and that the provider keeps secret in
state (`CREDENTIAL_STORES`, checked against the installed SDKs by the tests): a Secret Manager
version's `secretData`, a database user's `password`. A Vercel variable's `value` is such a store
only when nothing but the server of a production deployment reads it (`sensitive`, no
`NEXT_PUBLIC_` prefix, targets production only); anywhere else, a credential in it is readable in
the dashboard, a preview build or every browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    Report,
    as_bool,
    as_str,
    credential_kinds,
    elements,
    get,
    is_unknown,
    label,
    leaves,
    resource_policy,
)

CREDENTIAL_STORES: Final[Mapping[str, tuple[str, ...]]] = {
    # type: the top-level inputs that hold a secret, kept secret in state by the provider
    "gcp:alloydb/user:User": ("password", "passwordWo"),
    "gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion": (
        "secretData",
        "secretDataWo",
    ),
    "gcp:secretmanager/secretVersion:SecretVersion": ("secretData", "secretDataWo"),
    "gcp:sql/databaseInstance:DatabaseInstance": ("rootPassword", "rootPasswordWo"),
    "gcp:sql/user:User": ("password", "passwordWo"),
}
VERCEL_VALUE_STORES: Final = (
    "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
    "vercel:index/sharedEnvironmentVariable:SharedEnvironmentVariable",
)
PUBLIC_PREFIX: Final = "NEXT_PUBLIC_"
_MAX_REPORTED_UNKNOWNS: Final = 3


def vercel_value_is_store(props: Any) -> bool:
    """A Vercel variable only a production deployment's server reads, write-only in Vercel."""
    key = as_str(get(props, "key"))
    targets = [as_str(target) for target in elements(get(props, "targets"))]
    custom = get(props, "customEnvironmentIds")
    return (
        as_bool(get(props, "sensitive"), False) is True
        and key is not None
        and not key.upper().startswith(PUBLIC_PREFIX)
        and bool(targets)
        and all(target == "production" for target in targets)
        and not is_unknown(custom)
        and not elements(custom)
    )


def _skipped(args: ResourceValidationArgs) -> frozenset[str]:
    stores = set(CREDENTIAL_STORES.get(args.resource_type, ()))
    if args.resource_type in VERCEL_VALUE_STORES and vercel_value_is_store(args.props):
        stores.update(("value", "valueWo"))
    return frozenset(stores)


def _top(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def _check_credentials(args: ResourceValidationArgs, report: Report) -> None:
    skipped = _skipped(args)
    found, unknown = False, []
    for leaf in leaves(args.props):
        if _top(leaf.path) in skipped:
            continue
        if leaf.text is None:
            # A path built from a key that is itself a credential would quote it.
            path = leaf.path or "(all inputs)"
            unknown.append(path if not credential_kinds(path) else "an input")
            continue
        kinds = credential_kinds(leaf.text)
        if not kinds:
            continue
        found = True
        # A path built from a key that is itself a credential would quote it.
        where = leaf.path if leaf.path and not credential_kinds(leaf.path) else "an input"
        what = f"a key of {where}" if leaf.key else where
        report(
            f"{label(args)}: {what} holds what looks like {' and '.join(kinds)}; keep it in "
            "Secret Manager and pass a reference (Cloud Run valueSource.secretKeyRef, a sensitive "
            "production-only Vercel variable), never the value."
        )
    if not found and unknown:
        shown = ", ".join(unknown[:_MAX_REPORTED_UNKNOWNS])
        more = len(unknown) - _MAX_REPORTED_UNKNOWNS
        extra = f" and {more} more" if more > 0 else ""
        args.not_applicable(
            f"inputs unknown until the update runs could not be checked for credentials: "
            f"{shown}{extra}"
        )


POLICIES: Final = [
    resource_policy(
        name="pack-resource-inputs-no-credentials",
        resource_types=lambda resource_type: True,
        check=_check_credentials,
    ),
]
