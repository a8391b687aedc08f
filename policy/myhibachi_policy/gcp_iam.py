"""IAM: no basic roles, no service account keys, no project-wide impersonation roles."""

from __future__ import annotations

from typing import Final

from pulumi_policy import ResourceValidationArgs, Severity

from .helpers import Report, cis, grants, iam_kind, label, resource_policy

BASIC_ROLES: Final = frozenset({"roles/owner", "roles/editor", "roles/viewer"})
IMPERSONATION_ROLES: Final = frozenset(
    {"roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator"}
)
SERVICE_ACCOUNT_KEY: Final = "gcp:serviceaccount/key:Key"
# Project-, folder- and organization-level IAM (the resource hierarchy, not one resource).
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
_TAGS: Final = ("gcp", "iam")


def _is_gcp_iam(resource_type: str) -> bool:
    return resource_type.startswith("gcp:") and iam_kind(resource_type) is not None


def _check_basic_roles(args: ResourceValidationArgs, report: Report) -> None:
    for grant in grants(args.resource_type, args.props):
        if grant.role in BASIC_ROLES:
            report(f"{label(args)}: {grant.where} must not use the basic role {grant.role}.")


def _check_sa_key(args: ResourceValidationArgs, report: Report) -> None:
    report(
        f"{label(args)}: user-managed service account keys are not allowed; use workload "
        "identity or service account impersonation."
    )


def _check_impersonation(args: ResourceValidationArgs, report: Report) -> None:
    for grant in grants(args.resource_type, args.props):
        if grant.role in IMPERSONATION_ROLES:
            report(
                f"{label(args)}: {grant.where} must not grant {grant.role} at the project, "
                "folder or organization level; grant it on the one service account instead."
            )


POLICIES: Final = [
    resource_policy(
        name="gcp-iam-no-basic-roles",
        description="No IAM member, binding or policy grants a basic role (roles/owner, "
        "roles/editor, roles/viewer) (CIS GCP 1.5).",
        resource_types=_is_gcp_iam,
        check=_check_basic_roles,
        severity=Severity.HIGH,
        remediation="Grant predefined or custom roles with only the permissions needed.",
        tags=[*_TAGS],
        framework=cis("1.5"),
    ),
    resource_policy(
        name="gcp-serviceaccount-key-not-allowed",
        description="No user-managed service account keys (CIS GCP 1.4).",
        resource_types=[SERVICE_ACCOUNT_KEY],
        check=_check_sa_key,
        severity=Severity.HIGH,
        remediation="Remove the key; attach the service account to the workload instead.",
        tags=[*_TAGS],
        framework=cis("1.4"),
    ),
    resource_policy(
        name="gcp-projects-iam-no-service-account-impersonation",
        description="No project-, folder- or organization-level grant of "
        "roles/iam.serviceAccountUser or roles/iam.serviceAccountTokenCreator (CIS GCP 1.6).",
        resource_types=HIERARCHY_IAM_TYPES,
        check=_check_impersonation,
        severity=Severity.HIGH,
        remediation="Grant the role on the specific service account "
        "(gcp.serviceaccount.IAMMember) to the identity that deploys or impersonates it.",
        tags=[*_TAGS],
        framework=cis("1.6"),
    ),
]
