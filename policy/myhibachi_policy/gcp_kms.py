"""Cloud KMS: encryption keys rotate, and only groups may decrypt.

A symmetric encryption key rotates at least every `maxRotationDays` (CIS GCP 1.10); keys of other
purposes (asymmetric, MAC, raw) cannot rotate automatically and are not applicable, said.

Decrypt goes to groups, so that who may open what is granted and taken back in one place (the
group), never to a person's own account or another project's identity. Any role that decrypts
(`DECRYPT_ROLES`) counts, wherever it is granted: on a key, on its key ring, or on the project,
folder or organization (which reach every key below). Besides groups, the stack's own service
accounts and Google's service agents may decrypt (a workload or a CMEK-encrypted service that
needs the key). Which groups may be granted anything at all is `gcp-iam-member-allowed-principals`'
allow-list; this policy holds whatever that list allows: decrypt never reaches a user, not even
one of an allowed domain.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    CONSUMER_DOMAINS,
    HIERARCHY_IAM_TYPES,
    MISSING,
    PROJECT_NUMBERS_SCHEMA,
    SECONDS_PER_DAY,
    UNLISTED_AGENT,
    Allowed,
    Report,
    as_str,
    fmt_number,
    get,
    grants,
    is_custom_role_name,
    is_unknown,
    label,
    member_kind,
    param_number,
    param_strs,
    report_invalid,
    resource_policy,
    role_in,
    schema,
    stack_project,
    unknown,
)

CRYPTO_KEY: Final = "gcp:kms/cryptoKey:CryptoKey"
KEY_IAM_TYPES: Final = tuple(
    f"gcp:kms/{stem}{shape}:{stem[0].upper()}{stem[1:]}{shape}"
    for stem in ("cryptoKey", "keyRing")
    for shape in ("IAMMember", "IAMBinding", "IAMPolicy")
)
DECRYPT_IAM_TYPES: Final = (*KEY_IAM_TYPES, *HIERARCHY_IAM_TYPES)
# Predefined roles that carry cloudkms.cryptoKeyVersions.useToDecrypt (or decrypt by delegation).
DECRYPT_ROLES: Final = frozenset(
    {
        "roles/cloudkms.cryptoKeyDecrypter",
        "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "roles/cloudkms.cryptoKeyDecrypterViaDelegation",
        "roles/cloudkms.cryptoKeyEncrypterDecrypterViaDelegation",
        "roles/cloudkms.cryptoOperator",
    }
)
SYMMETRIC: Final = "ENCRYPT_DECRYPT"
# The API's duration: a decimal number of seconds with up to 9 fractional digits, then "s".
_DURATION: Final = re.compile(r"^(\d+(?:\.\d{1,9})?)s$")


# --- Rotation -----------------------------------------------------------------------------------


def _check_rotation(args: ResourceValidationArgs, report: Report) -> None:
    name = label(args)
    purpose = get(args.props, "purpose")
    if is_unknown(purpose):
        args.not_applicable(unknown(name, "purpose"))
    kind = SYMMETRIC if purpose is MISSING else as_str(purpose)
    if kind != SYMMETRIC:
        args.not_applicable(
            f"{name}: only symmetric encryption keys (purpose {SYMMETRIC}) rotate automatically; "
            "a key of another purpose is rotated by hand"
        )
    max_days = param_number(args.get_config(), "maxRotationDays", 90) or 90
    period = get(args.props, "rotationPeriod")
    if is_unknown(period):
        args.not_applicable(unknown(name, "rotationPeriod"))
    wanted = f"at most {fmt_number(max_days)} days ({int(max_days * SECONDS_PER_DAY)}s)"
    if period is MISSING:
        report(f"{name}: rotationPeriod must be set, {wanted} (absent means never rotated).")
        return
    match = _DURATION.match(as_str(period) or "")
    if match is None:
        report(f"{name}: rotationPeriod must be a duration in seconds such as 7776000s, {wanted}.")
        return
    if Decimal(match.group(1)) > Decimal(str(max_days)) * SECONDS_PER_DAY:
        report(f"{name}: rotationPeriod must be {wanted}.")


# --- Who may decrypt --------------------------------------------------------------------------


def _decrypt_refusal(member: str, project: str, allowed: Allowed) -> str | None:
    """Why a member may not decrypt (None: it may); `UNLISTED_AGENT` when it is a service agent
    and no project number is configured. Never quotes the member."""
    prefix, _, identity = member.partition(":")
    domain = identity.split("?", 1)[0].strip().lower().rsplit("@", 1)[-1]
    if prefix == "group":
        if domain in CONSUMER_DOMAINS:
            return "a group in a consumer domain anyone can join"
        return None
    if prefix == "user":
        return "a user (decrypt goes to a group, granted and taken back in one place)"
    kind = member_kind(member, project, allowed)
    return None if kind is None else kind[0]


def _may_decrypt(role: str | None) -> bool:
    """Whether a grant's role may decrypt: a decrypting role, or one the grant cannot tell
    (unknown during preview, or a custom role, whose permissions a grant does not show)."""
    return role is None or role_in(role, DECRYPT_ROLES) or is_custom_role_name(role)


def _check_decrypt(args: ResourceValidationArgs, report: Report) -> None:
    found, undecided = False, []
    every = grants(args.resource_type, args.props)
    for grant in every:
        found = report_invalid(args, grant, report) or found
    relevant = [g for g in every if not g.invalid and _may_decrypt(g.role)]
    # Only a grant that may decrypt needs the stack's project (to tell its own accounts).
    project = stack_project(args) if relevant else ""
    allowed = Allowed(project_numbers=frozenset(param_strs(args.get_config(), "projectNumbers")))
    for grant in relevant:
        where = f"{label(args)}: {grant.where}"
        if {"member", "members", "policyData"} & set(grant.unknown):
            undecided.append(f"{where}: its members are unknown until the update runs")
        refused = {
            reason
            for member in grant.members
            if (reason := _decrypt_refusal(member, project, allowed)) is not None
        }
        if UNLISTED_AGENT in refused:
            refused.discard(UNLISTED_AGENT)
            undecided.append(
                f"{where}: a Google service agent, and the policy config sets no projectNumbers "
                "to tell this project's agents from another project's"
            )
        if not refused:
            continue
        role = grant.role
        if role is None:
            undecided.append(f"{where}: its role is unknown until the update runs")
        elif is_custom_role_name(role):
            undecided.append(
                f"{where}: a custom role, whose permissions (it may decrypt) a grant does not show"
            )
        else:
            found = True
            report(
                f"{where} grants {role}, which decrypts, to {' and '.join(sorted(refused))}; "
                "decrypt goes only to groups (or this project's own service accounts and "
                "Google's service agents)."
            )
    if not found and undecided:
        args.not_applicable(f"could not verify who may decrypt: {'; '.join(undecided[:3])}")


def _rotation_schema() -> Any:
    return schema({"maxRotationDays": {"type": "number", "exclusiveMinimum": 1, "default": 90}})


POLICIES: Final = [
    resource_policy(
        name="gcp-kms-cryptokey-rotation",
        resource_types=[CRYPTO_KEY],
        check=_check_rotation,
        config_schema=_rotation_schema(),
    ),
    resource_policy(
        name="gcp-kms-decrypt-groups-only",
        resource_types=DECRYPT_IAM_TYPES,
        check=_check_decrypt,
        config_schema=schema({"projectNumbers": PROJECT_NUMBERS_SCHEMA}),
    ),
]
