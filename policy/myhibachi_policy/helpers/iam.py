"""GCP IAM resources: the grants of their three shapes, who their members are, and the
public-principal check.

`*IamMember`/`*IAMMember` carry `member` and `role`; `*IamBinding`/`*IAMBinding` carry
`members` and `role`; `*IamPolicy`/`*IAMPolicy` carry `policyData`, a JSON string (or an object)
of `{"bindings": [{"role": ..., "members": [...]}]}`. All three give the same `Grant`s, so a
policy judges what is granted, never how it is written.

Members are judged by what they are (`member_kind`): a service account of the stack's own project
(`gcp:project` in the stack config), a Google-managed service agent, an allowed group or domain
(policy config), or something else: a public principal, a consumer account, another project's
account, a federated identity.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi_policy import (
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
)

from .construction import Report, label, resource_policy
from .values import MISSING, as_str, elements, get, is_unknown

PUBLIC_PRINCIPALS: Final = frozenset({"allUsers", "allAuthenticatedUsers"})
"""Principals that mean everyone (on the internet, or with any Google account)."""

CONSUMER_DOMAINS: Final = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "googlegroups.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "aol.com",
    }
)
"""Domains anyone can get an account in: a grant to one of their accounts is a public grant."""

# Google-managed service agents: `service-<number>@gcp-sa-<service>.iam...`, Cloud SQL's
# `p<number>-<suffix>@gcp-sa-cloud-sql.iam...`, and the legacy agents' fixed domains.
_AGENT_RE: Final = re.compile(
    r"^(?:service-(?:org-|folder-)?\d+|p\d+-[a-z0-9]+)@gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com$"
)
_LEGACY_AGENT_DOMAINS: Final = (
    "cloudservices.gserviceaccount.com",
    "cloudbuild.gserviceaccount.com",
    "compute-system.iam.gserviceaccount.com",
    "container-engine-robot.iam.gserviceaccount.com",
    "containerregistry.iam.gserviceaccount.com",
    "dataflow-service-producer-prod.iam.gserviceaccount.com",
    "gcf-admin-robot.iam.gserviceaccount.com",
    "gs-project-accounts.iam.gserviceaccount.com",
    "serverless-robot-prod.iam.gserviceaccount.com",
)
_LEGACY_AGENT_RE: Final = re.compile(
    r"^(?:service-)?\d+@(?:" + "|".join(re.escape(d) for d in _LEGACY_AGENT_DOMAINS) + r")$"
)

# The project's default compute and App Engine accounts: created with Editor on the project.
_DEFAULT_ACCOUNT_SUFFIXES: Final = (
    "-compute@developer.gserviceaccount.com",
    "@appspot.gserviceaccount.com",
)

_KIND_RE: Final = re.compile(r"(Iam|IAM)(Member|Binding|Policy)$")


def iam_kind(resource_type: str) -> str | None:
    """The IAM shape of a type token: "member", "binding", "policy", or None."""
    match = _KIND_RE.search(resource_type.rsplit(":", 1)[-1])
    return match.group(2).lower() if match else None


def is_gcp_iam(resource_type: str) -> bool:
    """Any GCP IAM member, binding or policy type."""
    return resource_type.startswith("gcp:") and iam_kind(resource_type) is not None


@dataclass(frozen=True)
class Grant:
    """One role granted to some principals; `where` is the property path for messages.

    `unknown` names what could not be read during preview (`role`, `member`, `members`,
    `policyData`): a grant with unknowns may hide anything there.
    """

    role: str | None
    members: tuple[str, ...]
    where: str
    unknown: tuple[str, ...] = ()


def grants(resource_type: str, props: Any) -> list[Grant]:
    """The grants an IAM resource declares; unknown parts are named in `Grant.unknown`."""
    kind = iam_kind(resource_type)
    if kind == "member":
        role, member = get(props, "role"), get(props, "member")
        text = as_str(member)
        unknown = _unknowns(("role", role), ("member", member))
        return [Grant(as_str(role), (text,) if text else (), "member", unknown)]
    if kind == "binding":
        role, members = get(props, "role"), get(props, "members")
        known = _known_strings(members)
        unknown = _unknowns(("role", role), ("members", members))
        if len(known) < len(elements(members)):
            unknown = (*unknown, "members")
        return [Grant(as_str(role), tuple(known), "members", tuple(dict.fromkeys(unknown)))]
    if kind == "policy":
        return _policy_grants(get(props, "policyData"))
    return []


def _unknowns(*pairs: tuple[str, Any]) -> tuple[str, ...]:
    return tuple(name for name, value in pairs if is_unknown(value))


def _known_strings(value: Any) -> list[str]:
    return [item for item in elements(value) if isinstance(item, str) and not is_unknown(item)]


def _policy_grants(policy_data: Any) -> list[Grant]:
    if policy_data is MISSING:
        return []
    if is_unknown(policy_data):
        return [Grant(None, (), "policyData", ("policyData",))]
    document: Any = policy_data
    if isinstance(policy_data, str):
        try:
            document = json.loads(policy_data)
        except ValueError:
            return []
    result = []
    for index, binding in enumerate(elements(get(document, "bindings"))):
        role, members = get(binding, "role"), get(binding, "members")
        known = _known_strings(members)
        unknown = _unknowns(("role", role), ("members", members))
        if len(known) < len(elements(members)):
            unknown = (*unknown, "members")
        result.append(
            Grant(
                as_str(role),
                tuple(known),
                f"policyData.bindings[{index}]",
                tuple(dict.fromkeys(unknown)),
            )
        )
    return result


HIERARCHY_IAM_TYPES: Final = (
    "gcp:projects/iAMMember:IAMMember",
    "gcp:projects/iAMBinding:IAMBinding",
    "gcp:projects/iAMPolicy:IAMPolicy",
    "gcp:folder/iAMMember:IAMMember",
    "gcp:folder/iAMBinding:IAMBinding",
    "gcp:folder/iAMPolicy:IAMPolicy",
    "gcp:organizations/iAMMember:IAMMember",
    "gcp:organizations/iAMBinding:IAMBinding",
    "gcp:organizations/iAMPolicy:IAMPolicy",
)
"""Project-, folder- and organization-level IAM: grants on the resource hierarchy, which reach
every resource below."""


def iam_type_in(types: tuple[str, ...]) -> Callable[[str], bool]:
    """A resource-type test: one of `types`, and an IAM member, binding or policy."""
    return lambda resource_type: resource_type in types and iam_kind(resource_type) is not None


def check_no_public_principals(args: ResourceValidationArgs, report: Report) -> None:
    """No `allUsers` / `allAuthenticatedUsers` in an IAM member, binding or policy."""
    for grant in grants(args.resource_type, args.props):
        public = sorted(PUBLIC_PRINCIPALS.intersection(grant.members))
        if public:
            report(f"{label(args)}: {grant.where} must not grant to {' or '.join(public)}.")


def no_public_principals_policy(
    *, name: str, iam_types: tuple[str, ...]
) -> ResourceValidationPolicy:
    """CIS GCP 5.1 for one resource's IAM members, bindings and policies: no grant to allUsers
    or allAuthenticatedUsers."""
    return resource_policy(
        name=name, resource_types=iam_type_in(iam_types), check=check_no_public_principals
    )


# --- Who a member is ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Allowed:
    """The members a policy config allows besides the project's own accounts and Google's."""

    groups: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()


def member_kind(member: str, project: str, allowed: Allowed) -> tuple[str, bool] | None:
    """None for an allowed member; else (what it is, for messages; whether it is public).

    What it is never quotes the member: only its kind, or a constant principal name.
    """
    if member in PUBLIC_PRINCIPALS:
        return member, True
    prefix, _, identity = member.partition(":")
    identity = identity.split("?", 1)[0].strip().lower()
    if prefix == "serviceAccount":
        if identity.endswith(f"@{project.lower()}.iam.gserviceaccount.com"):
            return None
        if _AGENT_RE.match(identity) or _LEGACY_AGENT_RE.match(identity):
            return None
        if identity.endswith(_DEFAULT_ACCOUNT_SUFFIXES):
            return "a default compute or App Engine service account (it holds Editor)", False
        return "a service account of another project", False
    if prefix in ("user", "group", "domain"):
        domain = identity.rsplit("@", 1)[-1]
        if domain in CONSUMER_DOMAINS:
            return f"a {prefix} in a consumer domain anyone can join", True
        if prefix == "group" and identity in allowed.groups:
            return None
        if domain in allowed.domains:
            return None
        return f"a {prefix} outside the allowed groups and domains", False
    if prefix in ("principal", "principalSet"):
        return "a workload or workforce identity federation principal", False
    if prefix in ("projectOwner", "projectEditor", "projectViewer"):
        return "a convenience member (every holder of a basic role)", False
    if prefix == "deleted":
        return "a deleted principal", False
    return "an unrecognised principal", False


def public_grant_key(resource_type: str, role: str, member: str) -> str:
    """How an explicitly allowed public grant is written in a policy config."""
    return f"{resource_type} {role} {member}"


# --- The stack's project --------------------------------------------------------------------------


def stack_project(args: ResourceValidationArgs | StackValidationArgs) -> str:
    """The stack's GCP project (`gcp:project` in the stack config); not applicable without it."""
    project = pulumi.Config("gcp").get("project")
    if project:
        return project
    reason = "the stack config does not set gcp:project"
    args.not_applicable(reason)
    raise LookupError(reason)


# --- Custom roles ---------------------------------------------------------------------------------

CUSTOM_ROLE_TYPES: Final = (
    "gcp:projects/iAMCustomRole:IAMCustomRole",
    "gcp:organizations/iAMCustomRole:IAMCustomRole",
)
_CUSTOM_ROLE_NAME_RE: Final = re.compile(r"^(projects|organizations)/([^/]+)/roles/([^/]+)$")


def custom_role_name(resource_type: str, props: Any) -> str | None:
    """The name a declared custom role is granted by (`projects/P/roles/ID`), when known."""
    role_id = as_str(get(props, "roleId"))
    scope = "projects" if resource_type.startswith("gcp:projects/") else "organizations"
    owner = as_str(get(props, "project" if scope == "projects" else "orgId"))
    if role_id is None or owner is None:
        return None
    return f"{scope}/{owner}/roles/{role_id}"


def is_custom_role_name(role: str) -> bool:
    return _CUSTOM_ROLE_NAME_RE.match(role) is not None


def permissions(props: Any) -> list[str] | None:
    """A custom role's permissions; None when the list (or one of them) is unknown."""
    raw = get(props, "permissions")
    if is_unknown(raw):
        return None
    result = []
    for item in elements(raw):
        if is_unknown(item):
            return None
        if isinstance(item, str):
            result.append(item)
    return result
