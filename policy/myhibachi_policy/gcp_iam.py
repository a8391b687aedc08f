"""IAM by meaning: who may be granted anything, which roles never go to the whole project, what
a custom role may carry, and no long-lived keys.

Every IAM shape (member, binding, policy with its `policyData` JSON) gives the same grants
(`helpers.grants`), so a verdict never depends on how a grant is written. A custom role is judged
by its permissions, and a project-level grant of a custom role declared in the same stack by that
role's permissions (a stack policy joins the two, by name or, during preview, through the grant's
dependency on the role).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

from .helpers import (
    CUSTOM_ROLE_TYPES,
    HIERARCHY_IAM_TYPES,
    PROJECT_NUMBERS_SCHEMA,
    STRING_LIST,
    UNLISTED_AGENT,
    Allowed,
    Grant,
    Report,
    StackReport,
    canonical_role,
    custom_role_name,
    grants,
    is_custom_role_name,
    is_gcp_iam,
    label,
    member_kind,
    param_strs,
    permissions,
    public_grant_key,
    report_invalid,
    resource_policy,
    role_in,
    schema,
    stack_policy,
    stack_project,
    unless_found,
    unlisted_agents,
)

BASIC_ROLES: Final = frozenset({"roles/owner", "roles/editor", "roles/viewer"})
IMPERSONATION_ROLES: Final = frozenset(
    {"roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator"}
)
# Predefined roles that administer IAM or keys, impersonate, or read every secret; with every
# predefined role whose name ends in "admin" (CIS GCP 1.5: they carry `*.setIamPolicy` or
# administer the service). Basic and impersonation roles have their own policies.
PRIVILEGED_ROLES: Final = frozenset(
    {
        "roles/iam.serviceAccountOpenIdTokenCreator",
        "roles/iam.workloadIdentityUser",
        "roles/secretmanager.secretAccessor",
        "roles/secretmanager.secretVersionManager",
    }
)
SERVICE_ACCOUNT_KEY: Final = "gcp:serviceaccount/key:Key"
HMAC_KEY: Final = "gcp:storage/hmacKey:HmacKey"
IMPERSONATION_PERMISSIONS: Final = frozenset(
    {
        "iam.serviceAccounts.actAs",
        "iam.serviceAccounts.getAccessToken",
        "iam.serviceAccounts.getOpenIdToken",
        "iam.serviceAccounts.implicitDelegation",
        "iam.serviceAccounts.signBlob",
        "iam.serviceAccounts.signJwt",
    }
)
KEY_PERMISSIONS: Final = frozenset({"iam.serviceAccountKeys.create", "storage.hmacKeys.create"})
ROLE_ADMIN_PERMISSIONS: Final = frozenset({"iam.roles.create", "iam.roles.update"})
SECRET_READ_PERMISSIONS: Final = frozenset({"secretmanager.versions.access"})


def _check_basic_roles(args: ResourceValidationArgs, report: Report) -> None:
    found, unknown = False, []
    for grant in grants(args.resource_type, args.props):
        if report_invalid(args, grant, report):
            found = True
        elif role_in(grant.role, BASIC_ROLES):
            found = True
            report(f"{label(args)}: {grant.where} must not use the basic role {grant.role}.")
        elif "role" in grant.unknown or "policyData" in grant.unknown:
            unknown.append(grant.where)
    unless_found(args, found, sorted(set(unknown)), "the role of")


def _check_keys(args: ResourceValidationArgs, report: Report) -> None:
    what = "HMAC keys" if args.resource_type == HMAC_KEY else "user-managed service account keys"
    report(
        f"{label(args)}: {what} are not allowed (long-lived credentials); use workload "
        "identity or service account impersonation."
    )


def _check_impersonation(args: ResourceValidationArgs, report: Report) -> None:
    found, unknown = False, []
    for grant in grants(args.resource_type, args.props):
        if report_invalid(args, grant, report):
            found = True
        elif role_in(grant.role, IMPERSONATION_ROLES):
            found = True
            report(
                f"{label(args)}: {grant.where} must not grant {grant.role} at the project, "
                "folder or organization level; grant it on the one service account instead."
            )
        elif "role" in grant.unknown or "policyData" in grant.unknown:
            unknown.append(grant.where)
    unless_found(args, found, sorted(set(unknown)), "the role of")


def is_privileged_role(role: str) -> bool:
    """A predefined role that must not be granted at the project, folder or organization level
    (names compared trimmed and case-insensitively, as `canonical_role`)."""
    if role_in(role, PRIVILEGED_ROLES):
        return True
    name = canonical_role(role)
    return name.startswith("roles/") and name.rsplit(".", 1)[-1].endswith("admin")


def _check_privileged_roles(args: ResourceValidationArgs, report: Report) -> None:
    found, unknown = False, []
    for grant in grants(args.resource_type, args.props):
        if report_invalid(args, grant, report):
            found = True
            continue
        role = grant.role
        if role is None:
            if "role" in grant.unknown or "policyData" in grant.unknown:
                unknown.append(grant.where)
            continue
        if role_in(role, BASIC_ROLES | IMPERSONATION_ROLES) or not is_privileged_role(role):
            continue
        found = True
        report(
            f"{label(args)}: {grant.where} must not grant {role} at the project, folder or "
            "organization level (it administers IAM, keys or a whole service, impersonates "
            "service accounts, or reads every secret); grant a narrower role, or this one on "
            "the one resource that needs it."
        )
    unless_found(args, found, sorted(set(unknown)), "the role of")


# --- Members --------------------------------------------------------------------------------------


def _allowed(config: Any) -> Allowed:
    return Allowed(
        groups=frozenset(g.lower() for g in param_strs(config, "allowedGroups")),
        domains=frozenset(d.lower() for d in param_strs(config, "allowedDomains")),
        project_numbers=frozenset(param_strs(config, "projectNumbers")),
    )


def _public_allowed(resource_type: str, grant: Grant, member: str, keys: set[str]) -> bool | None:
    """Whether the config allows this public grant; None when the role is unknown and might be."""
    if grant.role is not None:
        return public_grant_key(resource_type, grant.role, member) in keys
    if any(k.startswith(f"{resource_type} ") and k.endswith(f" {member}") for k in keys):
        return None
    return False


def _check_members(args: ResourceValidationArgs, report: Report) -> None:
    project = stack_project(args)
    config = args.get_config()
    allowed = _allowed(config)
    public_keys = set(param_strs(config, "allowedPublicGrants"))
    found, unknown, unlisted = False, [], []
    for grant in grants(args.resource_type, args.props):
        if report_invalid(args, grant, report):
            found = True
            continue
        if {"member", "members", "policyData"} & set(grant.unknown):
            unknown.append(grant.where)
        for member in grant.members:
            kind = member_kind(member, project, allowed)
            if kind is None:
                continue
            what, public = kind
            if what == UNLISTED_AGENT:
                unlisted.append(grant.where)
                continue
            if public:
                verdict = _public_allowed(args.resource_type, grant, member, public_keys)
                if verdict is None:
                    unknown.append(grant.where)
                if verdict is not False:
                    continue
            found = True
            role = grant.role if grant.role and grant.role.startswith("roles/") else "a role"
            report(
                f"{label(args)}: {grant.where} grants {role} to {what}; members come only from "
                f"this project's service accounts ({project}), Google service agents, the groups "
                "and domains the policy config allows, or an allowedPublicGrants entry."
            )
    if not found and unlisted:
        args.not_applicable(unlisted_agents(unlisted))
    unless_found(args, found, sorted(set(unknown)), "the members of")


# --- Custom roles ---------------------------------------------------------------------------------


def _privileged_permissions(perms: Iterable[str], *, granted_project_wide: bool) -> list[str]:
    """What a custom role's permissions allow that is privileged, as the pack names it."""
    perms = set(perms)
    found = []
    if perms & IMPERSONATION_PERMISSIONS:
        found.append("service account impersonation")
    if any(p.endswith(".setIamPolicy") for p in perms):
        found.append("IAM policy changes (*.setIamPolicy)")
    if perms & KEY_PERMISSIONS:
        found.append("key creation")
    if perms & ROLE_ADMIN_PERMISSIONS:
        found.append("role administration")
    if granted_project_wide and perms & SECRET_READ_PERMISSIONS:
        found.append("reading every secret (secretmanager.versions.access)")
    return found


def _check_custom_role(args: ResourceValidationArgs, report: Report) -> None:
    perms = permissions(args.props)
    if perms is None:
        args.not_applicable("the role's permissions are unknown until the update runs")
        return
    found = _privileged_permissions(perms, granted_project_wide=False)
    if found:
        report(
            f"{label(args)}: permissions allow {', '.join(found)}; a custom role carries only "
            "what its one workload needs."
        )


def _declared_roles(resources: list[PolicyResource]) -> dict[str, PolicyResource]:
    roles = {}
    for resource in resources:
        if resource.resource_type in CUSTOM_ROLE_TYPES:
            name = custom_role_name(resource.resource_type, resource.props)
            if name is not None:
                roles[name] = resource
    return roles


def _granted_roles(
    resource: PolicyResource, grant: Grant, declared: dict[str, PolicyResource]
) -> list[PolicyResource] | None:
    """The declared custom roles a grant gives; None for an undeclared custom role."""
    if grant.role is not None:
        if not is_custom_role_name(grant.role):
            return []
        role = declared.get(grant.role.strip())
        return [role] if role is not None else None
    if "role" in grant.unknown or "policyData" in grant.unknown:
        # During preview a role created in the same update is unknown: follow the dependency.
        source = "policyData" if grant.where.startswith("policyData") else "role"
        deps = resource.property_dependencies.get(source) or []
        return [d for d in deps if d.resource_type in CUSTOM_ROLE_TYPES]
    return []


def _check_custom_role_grants(args: StackValidationArgs, report: StackReport) -> None:
    declared = _declared_roles(args.resources)
    for resource in args.resources:
        if resource.resource_type not in HIERARCHY_IAM_TYPES:
            continue
        for grant in grants(resource.resource_type, resource.props):
            if grant.invalid:
                report(
                    f"{label(resource)}: {grant.where} {grant.invalid}: the custom roles it "
                    "grants cannot be told.",
                    resource.urn,
                )
                continue
            roles = _granted_roles(resource, grant, declared)
            if roles is None:
                report(
                    f"{label(resource)}: {grant.where} grants a custom role this stack does not "
                    "declare, at the project, folder or organization level: its permissions "
                    "cannot be judged; declare the role in this stack.",
                    resource.urn,
                )
                continue
            for role in roles:
                perms = permissions(role.props)
                found = _privileged_permissions(perms or (), granted_project_wide=True)
                if found:
                    report(
                        f"{label(resource)}: {grant.where} grants {label(role)} at the project, "
                        f"folder or organization level, and its permissions allow "
                        f"{', '.join(found)}.",
                        resource.urn,
                    )


POLICIES: Final = [
    resource_policy(
        name="gcp-iam-no-basic-roles",
        resource_types=is_gcp_iam,
        check=_check_basic_roles,
    ),
    resource_policy(
        name="gcp-serviceaccount-key-not-allowed",
        resource_types=[SERVICE_ACCOUNT_KEY, HMAC_KEY],
        check=_check_keys,
    ),
    resource_policy(
        name="gcp-projects-iam-no-service-account-impersonation",
        resource_types=HIERARCHY_IAM_TYPES,
        check=_check_impersonation,
    ),
    resource_policy(
        name="gcp-iam-member-allowed-principals",
        resource_types=is_gcp_iam,
        check=_check_members,
        config_schema=schema(
            {
                "allowedGroups": {**STRING_LIST, "default": []},
                "allowedDomains": {**STRING_LIST, "default": []},
                "projectNumbers": PROJECT_NUMBERS_SCHEMA,
                "allowedPublicGrants": {
                    "type": "array",
                    "items": {"type": "string", "pattern": r"^gcp:\S+ roles/\S+ \S+$"},
                    "default": [],
                },
            }
        ),
    ),
    resource_policy(
        name="gcp-projects-iam-no-privileged-roles",
        resource_types=HIERARCHY_IAM_TYPES,
        check=_check_privileged_roles,
    ),
    resource_policy(
        name="gcp-iam-custom-role-no-privileged-permissions",
        resource_types=CUSTOM_ROLE_TYPES,
        check=_check_custom_role,
    ),
    stack_policy(
        name="gcp-projects-iam-custom-role-grants-not-privileged",
        check=_check_custom_role_grants,
    ),
]
