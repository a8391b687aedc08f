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
from collections.abc import Callable, Mapping, Sequence
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
# `p<number>-<suffix>@gcp-sa-cloud-sql.iam...`, and the legacy agents' fixed domains. The number
# is the project's (or, for `service-org-`/`service-folder-`, the organization's or folder's):
# an agent of another number acts for another project, whose owner decides what it does.
_AGENT_RE: Final = re.compile(
    r"^(?:service-(?:org-|folder-)?(?P<n1>\d+)|p(?P<n2>\d+)-[a-z0-9]+)"
    r"@gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com$"
)
_LEGACY_AGENT_DOMAINS: Final = (
    "cloudservices.gserviceaccount.com",
    "compute-system.iam.gserviceaccount.com",
    "container-engine-robot.iam.gserviceaccount.com",
    "containerregistry.iam.gserviceaccount.com",
    "dataflow-service-producer-prod.iam.gserviceaccount.com",
    "gcf-admin-robot.iam.gserviceaccount.com",
    "gs-project-accounts.iam.gserviceaccount.com",
    "serverless-robot-prod.iam.gserviceaccount.com",
)
_LEGACY_AGENT_RE: Final = re.compile(
    r"^(?:service-)?(?P<n1>\d+)@(?:" + "|".join(re.escape(d) for d in _LEGACY_AGENT_DOMAINS) + r")$"
)
# The legacy Cloud Build account runs every build its project's users start: it is not a
# service agent but a user-managed account in effect, judged like one (own project or refused).
_LEGACY_CLOUD_BUILD_RE: Final = re.compile(r"^(?P<n1>\d+)@cloudbuild\.gserviceaccount\.com$")

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
    invalid: str = ""
    """Why the provider would refuse the grant's policy document (not JSON, wrong shape): the
    pack cannot read what it grants, and says so as a finding rather than pass it."""


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
            return [Grant(None, (), "policyData", invalid="is not valid JSON")]
    try:
        return _document_grants(document)
    except _UnreadableError as error:
        return [Grant(None, (), error.where, invalid=error.why)]


class _UnreadableError(Exception):
    """A policy document the provider's decoder refuses: `where` in it, and `why`."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where} {why}")
        self.where, self.why = where, why


# The letters whose Unicode simple case folding reaches beyond ASCII: encoding/json matches a
# key to a field with bytes.EqualFold, so the long s (U+017F) and the Kelvin sign (U+212A) count.
_FOLD_ORBITS: Final = {"k": "kK\u212a", "s": "sS\u017f"}


def _folds_to(key: str, field: str) -> bool:
    """Whether encoding/json decodes `key` into the struct field named `field` (lower-case)."""
    return len(key) == len(field) and all(
        char in _FOLD_ORBITS.get(letter, letter + letter.upper())
        for char, letter in zip(key, field, strict=True)
    )


def _field_values(obj: Mapping[str, Any], field: str) -> list[Any]:
    """Every value `obj` gives for `field`, under any key the provider's decoder reads as it.

    The decoder keeps the last such key; the pack judges them all, so no duplicate or ordering
    trick hides a grant (a JSON object's order is not kept once the engine has it as a map).
    """
    return [value for key, value in obj.items() if _folds_to(str(key), field)]


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _document_grants(document: Any) -> list[Grant]:
    """The grants of a policy document `{"bindings": [{"role", "members", ...}]}`, its keys read
    as the provider reads them (Go encoding/json: case-insensitive, exact match preferred)."""
    if document is None:
        return []
    if not isinstance(document, Mapping):
        raise _UnreadableError("policyData", "is not a JSON object of bindings")
    result: list[Grant] = []
    index = 0
    for bindings in _field_values(document, "bindings"):
        if is_unknown(bindings):
            result.append(Grant(None, (), "policyData.bindings", ("policyData",)))
            continue
        if bindings is None:
            continue
        if not _is_list(bindings):
            raise _UnreadableError("policyData.bindings", "is not a list of bindings")
        for binding in bindings:
            result.extend(_binding_grants(binding, f"policyData.bindings[{index}]"))
            index += 1
    return result


def _binding_grants(binding: Any, where: str) -> list[Grant]:
    if is_unknown(binding):
        return [Grant(None, (), where, ("policyData",))]
    if not isinstance(binding, Mapping):
        raise _UnreadableError(where, "is not a binding object")
    roles = _field_values(binding, "role")
    for role in roles:
        if not (role is None or isinstance(role, str)):
            raise _UnreadableError(where, "has a role that is not a string")
    members: list[str] = []
    unknown = [("role" if is_unknown(role) else "") for role in roles]
    for value in _field_values(binding, "members"):
        if is_unknown(value):
            unknown.append("members")
            continue
        if value is None:
            continue
        if not _is_list(value):
            raise _UnreadableError(where, "has members that are not a list")
        for item in value:
            if is_unknown(item):
                unknown.append("members")
            elif isinstance(item, str):
                members.append(item)
            else:
                raise _UnreadableError(where, "has a member that is not a string")
    named = tuple(dict.fromkeys(u for u in unknown if u))
    known_roles = [role for role in roles if isinstance(role, str) and not is_unknown(role)]
    if not known_roles:
        return [Grant(None, tuple(members), where, named)]
    return [Grant(role, tuple(members), where, named) for role in dict.fromkeys(known_roles)]


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


def canonical_role(role: str) -> str:
    """A role name as the checks compare it: trimmed, lower-case (`roles/Owner ` is the basic
    role `roles/owner` to the pack, whatever the API would make of it)."""
    return role.strip().lower()


def role_in(role: str | None, roles: frozenset[str]) -> bool:
    """Whether a grant's role is one of `roles`, compared as `canonical_role` compares."""
    return role is not None and canonical_role(role) in {canonical_role(r) for r in roles}


def public_principal(member: str) -> str | None:
    """`allUsers` or `allAuthenticatedUsers` when the member is one, however cased or padded."""
    folded = member.strip().lower()
    return next((p for p in sorted(PUBLIC_PRINCIPALS) if p.lower() == folded), None)


def report_invalid(args: ResourceValidationArgs, grant: Grant, report: Report) -> bool:
    """Report a grant whose policy document the provider would refuse; True when it was one."""
    if grant.invalid:
        report(
            f"{label(args)}: {grant.where} {grant.invalid}: the provider would refuse it, and "
            "the pack cannot tell what it grants; write a valid IAM policy document."
        )
    return bool(grant.invalid)


def check_no_public_principals(args: ResourceValidationArgs, report: Report) -> None:
    """No `allUsers` / `allAuthenticatedUsers` in an IAM member, binding or policy."""
    for grant in grants(args.resource_type, args.props):
        if report_invalid(args, grant, report):
            continue
        public = sorted({p for m in grant.members if (p := public_principal(m)) is not None})
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
    project_numbers: frozenset[str] = frozenset()
    """The numbers whose Google-managed accounts are this stack's own (policy config
    `projectNumbers`): the project's, and its folder's or organization's for their agents."""


UNLISTED_AGENT: Final = (
    "a Google service agent whose project number the policy config does not list"
)
"""What `member_kind` calls an agent when no project number is configured: it may be this
project's or another's, and the pack cannot tell which (the policy says "could not verify")."""


PROJECT_NUMBERS_SCHEMA: Final = {
    "type": "array",
    "items": {"type": "string", "pattern": r"^[0-9]+$"},
    "uniqueItems": True,
    "default": [],
}
"""`projectNumbers` in a policy config: the numbers whose service agents are this stack's own."""


def unlisted_agents(wheres: list[str]) -> str:
    """The "could not verify" reason for grants to service agents with no `projectNumbers`."""
    # Kept short: the program's own agent grants show it in every preview until numbers are set.
    where = ", ".join(sorted(set(wheres)))
    return f"{where} grants to a service agent; no projectNumbers to tell whose"


def _number(pattern: re.Pattern[str], identity: str) -> str | None:
    match = pattern.match(identity)
    if match is None:
        return None
    return next(n for n in match.groupdict().values() if n is not None)


def member_kind(member: str, project: str, allowed: Allowed) -> tuple[str, bool] | None:
    """None for an allowed member; else (what it is, for messages; whether it is public).

    What it is never quotes the member: only its kind, or a constant principal name. A service
    agent is allowed when its number is one of `allowed.project_numbers`; with none configured
    it is `UNLISTED_AGENT`, which callers treat as undecided.
    """
    public = public_principal(member)
    if public is not None:
        return public, True
    prefix, _, identity = member.partition(":")
    identity = identity.split("?", 1)[0].strip().lower()
    if prefix == "serviceAccount":
        if identity.endswith(f"@{project.lower()}.iam.gserviceaccount.com"):
            return None
        number = _number(_LEGACY_CLOUD_BUILD_RE, identity)
        if number is not None:
            if number in allowed.project_numbers:
                return None
            return "the legacy Cloud Build account of a project not in projectNumbers", False
        number = _number(_AGENT_RE, identity) or _number(_LEGACY_AGENT_RE, identity)
        if number is not None:
            if number in allowed.project_numbers:
                return None
            if not allowed.project_numbers:
                return UNLISTED_AGENT, False
            return "a Google service agent of another project", False
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
    """A custom role's name (`projects/P/roles/ID`), however cased or padded: a grant of one
    is judged by the declared role's permissions, and an unmatched spelling by none."""
    return _CUSTOM_ROLE_NAME_RE.match(canonical_role(role)) is not None


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
