"""IAM policies: who may be granted anything, no basic or privileged roles at the project level,
custom roles judged by their permissions (alone and where granted), no long-lived keys; every
IAM shape gets the same verdict."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import RunWithConfig, stack_document
from tests.policy.support import (
    STACKS,
    UNKNOWN,
    names,
    program_violations,
    res,
    resource_outcome,
    run_stack,
    stack_values,
)

BASIC = "gcp-iam-no-basic-roles"
IMPERSONATION = "gcp-projects-iam-no-service-account-impersonation"
KEY = "gcp-serviceaccount-key-not-allowed"
MEMBERS = "gcp-iam-member-allowed-principals"
PRIVILEGED = "gcp-projects-iam-no-privileged-roles"
CUSTOM_ROLE = "gcp-iam-custom-role-no-privileged-permissions"
CUSTOM_GRANTS = "gcp-projects-iam-custom-role-grants-not-privileged"

PROJECT = "my-hibachi-crm"  # production's gcp:project
OWN_ACCOUNT = f"serviceAccount:api@{PROJECT}.iam.gserviceaccount.com"
SECRET_AGENT = "serviceAccount:service-123456789012@gcp-sa-secretmanager.iam.gserviceaccount.com"
SQL_AGENT = "serviceAccount:p123456789012-abcdef@gcp-sa-cloud-sql.iam.gserviceaccount.com"
GMAIL_USER = "user:" + "someone" + "@gmail.com"
OWN_NUMBER = {"projectNumbers": ["123456789012"]}  # the number SECRET_AGENT and SQL_AGENT carry
OTHER_NUMBER = "987654321098"

PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember"
PROJECT_BINDING = "gcp:projects/iAMBinding:IAMBinding"
PROJECT_POLICY = "gcp:projects/iAMPolicy:IAMPolicy"
FOLDER_MEMBER = "gcp:folder/iAMMember:IAMMember"
ORG_BINDING = "gcp:organizations/iAMBinding:IAMBinding"
SECRET_MEMBER = "gcp:secretmanager/secretIamMember:SecretIamMember"
SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"
RUN_SERVICE_MEMBER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember"
RUN_JOB_MEMBER = "gcp:cloudrunv2/jobIamMember:JobIamMember"
TOPIC_MEMBER = "gcp:pubsub/topicIAMMember:TopicIAMMember"
REPOSITORY_BINDING = "gcp:artifactregistry/repositoryIamBinding:RepositoryIamBinding"
PROJECT_ROLE = "gcp:projects/iAMCustomRole:IAMCustomRole"
ORG_ROLE = "gcp:organizations/iAMCustomRole:IAMCustomRole"


def member(role: str, principal: str, **extra: Any) -> dict[str, Any]:
    return {"project": PROJECT, "role": role, "member": principal, **extra}


def shapes(resource: str, role: str, principal: str) -> list[tuple[str, dict[str, Any]]]:
    """The same grant as a member, a binding and a policy (policyData as JSON and as an object)."""
    base, _, kind = resource.rpartition(":")
    stem = kind.removesuffix("Member")
    binding_type = f"{base.removesuffix('Member')}Binding:{stem}Binding"
    policy_type = f"{base.removesuffix('Member')}Policy:{stem}Policy"
    data = {"bindings": [{"members": [principal], "role": role}]}
    return [
        (resource, {"role": role, "member": principal}),
        (binding_type, {"role": role, "members": [OWN_ACCOUNT, principal]}),
        (policy_type, {"policyData": json.dumps(data)}),
        (policy_type, {"policyData": data}),
    ]


# --- The cases the pack always had ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource_type", "props", "expected"),
    [
        (
            PROJECT_MEMBER,
            {"project": "p", "role": "roles/editor", "member": "user:a@example.com"},
            {BASIC, MEMBERS},
        ),
        (
            SECRET_MEMBER,
            {"secretId": "s", "member": OWN_ACCOUNT, "role": "roles/owner"},
            {BASIC},
        ),
        (
            PROJECT_BINDING,
            {
                "project": "p",
                "role": "roles/iam.serviceAccountUser",
                "members": ["user:a@example.com"],
            },
            {IMPERSONATION, MEMBERS},
        ),
        (
            PROJECT_POLICY,
            {
                "project": "p",
                "policyData": json.dumps(
                    {
                        "bindings": [
                            {
                                "role": "roles/iam.serviceAccountTokenCreator",
                                "members": ["user:a@example.com"],
                            }
                        ]
                    }
                ),
            },
            {IMPERSONATION, MEMBERS},
        ),
        (
            SA_MEMBER,
            {
                "serviceAccountId": "sa",
                "role": "roles/iam.serviceAccountUser",
                "member": "user:a@example.com",
            },
            {MEMBERS},
        ),
        (
            PROJECT_MEMBER,
            {"project": "p", "role": "roles/logging.logWriter", "member": OWN_ACCOUNT},
            set(),
        ),
        ("gcp:serviceaccount/key:Key", {"serviceAccountId": "sa"}, {KEY}),
        # The alternative to a key: the deployer may impersonate the one service account.
        (
            SA_MEMBER,
            {
                "serviceAccountId": "sa",
                "role": "roles/iam.serviceAccountTokenCreator",
                "member": f"serviceAccount:deployer@{PROJECT}.iam.gserviceaccount.com",
            },
            set(),
        ),
    ],
)
def test_iam_resources(resource_type: str, props: dict[str, Any], expected: set[str]) -> None:
    assert names(resource_type, props) == expected


# --- Members --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "principal",
    [
        OWN_ACCOUNT,
        SECRET_AGENT,
        SQL_AGENT,
        "serviceAccount:123456789012@cloudservices.gserviceaccount.com",
        f"serviceAccount:API@{PROJECT.upper()}.iam.gserviceaccount.com",  # case does not matter
    ],
)
def test_own_accounts_and_google_agents_pass(principal: str) -> None:
    props = member("roles/secretmanager.secretAccessor", principal)
    outcome = resource_outcome(SECRET_MEMBER, props, config_override=OWN_NUMBER)
    assert (outcome.violations, MEMBERS in outcome.skipped) == ([], False)


@pytest.mark.parametrize(
    ("principal", "what"),
    [
        (GMAIL_USER, "a user in a consumer domain anyone can join"),
        ("group:" + "fans" + "@googlegroups.com", "a group in a consumer domain anyone can join"),
        ("domain:gmail.com", "a domain in a consumer domain anyone can join"),
        ("allUsers", "allUsers"),
        ("allAuthenticatedUsers", "allAuthenticatedUsers"),
        ("user:a@example.com", "a user outside the allowed groups and domains"),
        (
            "serviceAccount:api@attacker-project.iam.gserviceaccount.com",
            "a service account of another project",
        ),
        (
            # Another project named like a service agent's domain is still another project.
            "serviceAccount:api@gcp-sa-secretmanager.iam.gserviceaccount.com",
            "a service account of another project",
        ),
        (
            "serviceAccount:123-compute@developer.gserviceaccount.com",
            "a default compute or App Engine service account (it holds Editor)",
        ),
        (
            "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/*",
            "a workload or workforce identity federation principal",
        ),
        ("projectViewer:" + PROJECT, "a convenience member (every holder of a basic role)"),
    ],
)
def test_other_members_fail_naming_what_they_are(principal: str, what: str) -> None:
    outcome = resource_outcome(
        SECRET_MEMBER, member("roles/secretmanager.secretAccessor", principal)
    )
    messages = [m for p, m, _ in outcome.violations if p == MEMBERS]
    assert messages == [
        f"SecretIamMember 'subject': member grants roles/secretmanager.secretAccessor to {what}; "
        f"members come only from this project's service accounts ({PROJECT}), Google service "
        "agents, the groups and domains the policy config allows, or an allowedPublicGrants "
        "entry."
    ]
    if principal.startswith(("user:", "group:", "serviceAccount:")):
        assert principal.split(":", 1)[1] not in messages[0]  # the member is never quoted


@pytest.mark.parametrize(
    "resource_type",
    [
        SECRET_MEMBER,
        TOPIC_MEMBER,
        RUN_JOB_MEMBER,
        "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
        "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
        "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember",
        "gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember",
        PROJECT_MEMBER,
        FOLDER_MEMBER,
    ],
)
@pytest.mark.parametrize("principal", ["allUsers", GMAIL_USER])
@pytest.mark.parametrize("stack", STACKS)
def test_public_principals_fail_on_every_iam_type_and_shape(
    resource_type: str, principal: str, stack: str
) -> None:
    for shape, props in shapes(resource_type, "roles/run.invoker", principal):
        assert MEMBERS in names(shape, props, stack=stack), shape


def test_the_allowed_public_grant_is_exactly_type_role_and_member() -> None:
    # The API's public invoker, as the program declares it, is allowed in both stacks' configs.
    invoker = member("roles/run.invoker", "allUsers", name="myhibachi-api", location="r")
    for stack in STACKS:
        assert names(RUN_SERVICE_MEMBER, invoker, stack=stack) == set()
    # The same member with another role, or the same grant on a job or a topic, is not allowed.
    assert names(RUN_SERVICE_MEMBER, {**invoker, "role": "roles/run.developer"}) == {MEMBERS}
    assert names(RUN_JOB_MEMBER, invoker) == {MEMBERS}
    assert names(TOPIC_MEMBER, invoker) == {MEMBERS}
    assert names(RUN_SERVICE_MEMBER, {**invoker, "member": GMAIL_USER}) == {MEMBERS}


def test_allowed_groups_and_domains_come_from_config() -> None:
    group = member("roles/logging.viewer", "group:ops@example.com")
    assert names(PROJECT_MEMBER, group) == {MEMBERS}
    allowed = {"allowedGroups": ["ops@example.com"]}
    assert resource_outcome(PROJECT_MEMBER, group, config_override=allowed).violations == []
    domain = {"allowedDomains": ["example.com"]}
    user = member("roles/logging.viewer", "user:alice@example.com")
    assert resource_outcome(PROJECT_MEMBER, user, config_override=domain).violations == []
    # A consumer domain stays public even when listed.
    consumer = {"allowedDomains": ["gmail.com"]}
    gmail = member("roles/logging.viewer", GMAIL_USER)
    outcome = resource_outcome(PROJECT_MEMBER, gmail, config_override=consumer)
    assert {p for p, _, _ in outcome.violations} == {MEMBERS}


def test_the_project_is_the_stack_file_own() -> None:
    staging_account = "serviceAccount:api@my-hibachi-staging.iam.gserviceaccount.com"
    grant = member("roles/logging.logWriter", staging_account)
    assert names(PROJECT_MEMBER, grant, stack="staging") == set()
    assert names(PROJECT_MEMBER, grant) == {MEMBERS}
    config = {k: v for k, v in stack_values("production").items() if k != "gcp:project"}
    outcome = resource_outcome(PROJECT_MEMBER, grant, program_config=config)
    assert outcome.only_declined() == {MEMBERS: "the stack config does not set gcp:project"}


def test_an_unknown_member_is_not_applicable_but_a_known_bad_one_still_fails() -> None:
    unknown = resource_outcome(SECRET_MEMBER, member("roles/secretmanager.secretAccessor", UNKNOWN))
    assert unknown.violations == []
    assert unknown.skipped[MEMBERS] == "the members of unknown until the update runs: member"
    binding = {"role": "roles/viewer", "members": [UNKNOWN, GMAIL_USER]}
    outcome = resource_outcome(REPOSITORY_BINDING, binding)
    assert {p for p, _, _ in outcome.violations} == {MEMBERS, BASIC}
    assert MEMBERS not in outcome.skipped


def test_unknown_policy_data_is_not_applicable() -> None:
    outcome = resource_outcome(PROJECT_POLICY, {"project": PROJECT, "policyData": UNKNOWN})
    assert outcome.violations == []
    assert set(outcome.skipped) >= {MEMBERS, BASIC, IMPERSONATION, PRIVILEGED}


# --- Privileged roles at the project, folder and organization level -------------------------------


@pytest.mark.parametrize(
    "role",
    [
        "roles/resourcemanager.projectIamAdmin",
        "roles/iam.securityAdmin",
        "roles/iam.serviceAccountKeyAdmin",
        "roles/iam.serviceAccountAdmin",
        "roles/iam.roleAdmin",
        "roles/iam.workloadIdentityUser",
        "roles/iam.serviceAccountOpenIdTokenCreator",
        "roles/secretmanager.secretAccessor",
        "roles/secretmanager.admin",
        "roles/storage.admin",
        "roles/run.admin",
    ],
)
@pytest.mark.parametrize("resource_type", [PROJECT_MEMBER, FOLDER_MEMBER, ORG_BINDING])
def test_privileged_roles_fail_at_the_hierarchy_level(resource_type: str, role: str) -> None:
    for shape, props in shapes(resource_type.replace("Binding", "Member"), role, OWN_ACCOUNT):
        assert names(shape, props) == {PRIVILEGED}, shape
    staging_account = "serviceAccount:api@my-hibachi-staging.iam.gserviceaccount.com"
    assert names(resource_type, member(role, staging_account), stack="staging") >= {PRIVILEGED}


@pytest.mark.parametrize(
    ("resource_type", "role"),
    [
        (SECRET_MEMBER, "roles/secretmanager.secretAccessor"),
        (SA_MEMBER, "roles/iam.workloadIdentityUser"),
        (PROJECT_MEMBER, "roles/cloudsql.client"),
        (PROJECT_MEMBER, "roles/workflows.invoker"),
    ],
)
def test_the_same_roles_on_one_resource_or_narrow_roles_pass(resource_type: str, role: str) -> None:
    assert names(resource_type, member(role, OWN_ACCOUNT)) == set()


def test_an_unknown_role_is_not_applicable() -> None:
    outcome = resource_outcome(PROJECT_MEMBER, member(UNKNOWN, OWN_ACCOUNT))
    assert outcome.violations == []
    assert outcome.skipped[PRIVILEGED] == "the role of unknown until the update runs: member"


def test_hmac_keys_are_keys() -> None:
    outcome = resource_outcome("gcp:storage/hmacKey:HmacKey", {"serviceAccountEmail": "sa"})
    assert [m for p, m, _ in outcome.violations if p == KEY] == [
        "HmacKey 'subject': HMAC keys are not allowed (long-lived credentials); use workload "
        "identity or service account impersonation."
    ]


# --- Custom roles ---------------------------------------------------------------------------------

EXPORTER = ["cloudsql.instances.export", "cloudsql.instances.get"]


def custom_role(permissions: list[str], role_id: str = "prodSqlExporter") -> dict[str, Any]:
    return {"project": PROJECT, "roleId": role_id, "title": "t", "permissions": permissions}


@pytest.mark.parametrize(
    ("permissions", "allows"),
    [
        ([*EXPORTER, "iam.serviceAccounts.actAs"], "service account impersonation"),
        (["iam.serviceAccounts.getAccessToken"], "service account impersonation"),
        (["iam.serviceAccounts.signJwt"], "service account impersonation"),
        (["storage.buckets.setIamPolicy"], "IAM policy changes (*.setIamPolicy)"),
        (["resourcemanager.projects.setIamPolicy"], "IAM policy changes (*.setIamPolicy)"),
        (["iam.serviceAccountKeys.create"], "key creation"),
        (["iam.roles.update"], "role administration"),
    ],
)
@pytest.mark.parametrize("resource_type", [PROJECT_ROLE, ORG_ROLE])
def test_custom_roles_are_judged_by_their_permissions(
    resource_type: str, permissions: list[str], allows: str
) -> None:
    props = {**custom_role(permissions), "orgId": "123"}
    outcome = resource_outcome(resource_type, props)
    assert [m for p, m, _ in outcome.violations if p == CUSTOM_ROLE] == [
        f"{resource_type.rsplit(':', 1)[-1]} 'subject': permissions allow {allows}; a custom "
        "role carries only what its one workload needs."
    ]


def test_a_narrow_custom_role_passes_and_unknown_permissions_are_not_applicable() -> None:
    assert names(PROJECT_ROLE, custom_role(EXPORTER)) == set()
    # Reading secrets is fine in a role granted on one secret; project-wide it is judged below.
    assert names(PROJECT_ROLE, custom_role(["secretmanager.versions.access"])) == set()
    outcome = resource_outcome(PROJECT_ROLE, custom_role([EXPORTER[0], UNKNOWN]))
    assert (
        outcome.skipped[CUSTOM_ROLE] == "the role's permissions are unknown until the update runs"
    )


ROLE_NAME = f"projects/{PROJECT}/roles/prodSqlExporter"


def test_a_project_grant_is_judged_by_the_declared_roles_permissions() -> None:
    grant = res(PROJECT_MEMBER, "grant", member(ROLE_NAME, OWN_ACCOUNT))
    narrow = res(PROJECT_ROLE, "role", custom_role(EXPORTER))
    assert run_stack([narrow, grant], only=CUSTOM_GRANTS) == []
    secrets = res(PROJECT_ROLE, "role", custom_role([*EXPORTER, "secretmanager.versions.access"]))
    assert run_stack([secrets, grant], only=CUSTOM_GRANTS) == [
        (
            CUSTOM_GRANTS,
            "IAMMember 'grant': member grants IAMCustomRole 'role' at the project, folder or "
            "organization level, and its permissions allow reading every secret "
            "(secretmanager.versions.access).",
            grant.urn,
        )
    ]


def test_the_join_holds_for_every_shape_and_for_an_unknown_role() -> None:
    role = res(PROJECT_ROLE, "role", custom_role(["iam.serviceAccounts.actAs"]))
    for shape, props in shapes(PROJECT_MEMBER, ROLE_NAME, OWN_ACCOUNT):
        grant = res(shape, "grant", props)
        assert [p for p, _, _ in run_stack([grant, role], only=CUSTOM_GRANTS)] == [CUSTOM_GRANTS]
    # During preview the role's name is unknown: the grant's dependency on it says which it is.
    pending = res(PROJECT_MEMBER, "grant", member(UNKNOWN, OWN_ACCOUNT))
    pending.property_dependencies["role"] = [role]
    assert [p for p, _, _ in run_stack([pending, role], only=CUSTOM_GRANTS)] == [CUSTOM_GRANTS]


def test_a_project_grant_of_an_undeclared_custom_role_fails() -> None:
    grant = res(PROJECT_MEMBER, "grant", member(f"projects/{PROJECT}/roles/elsewhere", OWN_ACCOUNT))
    [(policy, message, _)] = run_stack([grant], only=CUSTOM_GRANTS)
    assert policy == CUSTOM_GRANTS
    assert "does not declare" in message


def test_the_real_programs_custom_role_grant_passes() -> None:
    grant = res(PROJECT_MEMBER, "grant", member(ROLE_NAME, OWN_ACCOUNT))
    role = res(PROJECT_ROLE, "role", custom_role(EXPORTER))
    assert run_stack([grant, role], only=CUSTOM_GRANTS, stack="staging") == []


# --- The real program, attacked through its stack file --------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_a_consumer_account_as_a_secret_accessor_is_blocked(
    run_with_config: RunWithConfig, stack: str
) -> None:
    document = stack_document(stack)
    catalog = document["config"]["myhibachi:secrets"]["catalog"]
    stripe = next(entry for entry in catalog if entry["name"].endswith("STRIPE_SECRET_KEY"))
    stripe["accessors"] = ["api", GMAIL_USER]
    found = program_violations(run_with_config(stack, document))
    leaked = {(p, n) for p, n in found if p == MEMBERS}
    assert len(leaked) == 1
    [(_, name)] = leaked
    assert name.endswith("STRIPE_SECRET_KEY-user-someone-gmail-com-accessor")


# --- Google-managed accounts: only this project's -------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "what"),
    [
        (
            f"serviceAccount:{OTHER_NUMBER}@cloudbuild.gserviceaccount.com",
            "the legacy Cloud Build account of a project not in projectNumbers",
        ),
        (
            f"serviceAccount:service-{OTHER_NUMBER}@gcp-sa-cloudbuild.iam.gserviceaccount.com",
            "a Google service agent of another project",
        ),
        (
            f"serviceAccount:p{OTHER_NUMBER}-abcdef@gcp-sa-cloud-sql.iam.gserviceaccount.com",
            "a Google service agent of another project",
        ),
        (
            f"serviceAccount:{OTHER_NUMBER}@cloudservices.gserviceaccount.com",
            "a Google service agent of another project",
        ),
        (
            # A prefix or suffix of the project's number is another number.
            "serviceAccount:service-1234567890123@gcp-sa-secretmanager.iam.gserviceaccount.com",
            "a Google service agent of another project",
        ),
    ],
)
def test_another_projects_google_managed_accounts_fail(principal: str, what: str) -> None:
    for shape, grant in shapes(SECRET_MEMBER, "roles/secretmanager.secretAccessor", principal):
        props = {"secretId": "prod-global-STRIPE_SECRET_KEY", **grant}
        outcome = resource_outcome(shape, props, config_override=OWN_NUMBER)
        messages = [m for p, m, _ in outcome.violations if p == MEMBERS]
        assert len(messages) == 1, shape
        assert f"to {what};" in messages[0]
        assert OTHER_NUMBER not in messages[0]


def test_the_legacy_cloud_build_account_is_refused_even_with_no_project_numbers() -> None:
    principal = f"serviceAccount:{OTHER_NUMBER}@cloudbuild.gserviceaccount.com"
    props = member("roles/secretmanager.secretAccessor", principal)
    assert names(SECRET_MEMBER, props) == {MEMBERS}
    # Its own project's number listed, it is that project's account.
    own = {"projectNumbers": [OTHER_NUMBER]}
    assert names(SECRET_MEMBER, props, config_override=own) == set()


def test_with_no_project_numbers_an_agent_grant_could_not_be_verified() -> None:
    agent = f"serviceAccount:service-{OTHER_NUMBER}@gcp-sa-cloudbuild.iam.gserviceaccount.com"
    for shape, props in shapes(SECRET_MEMBER, "roles/secretmanager.secretAccessor", agent):
        outcome = resource_outcome(shape, props)
        assert [p for p, _, _ in outcome.violations if p == MEMBERS] == [], shape
        assert outcome.skipped[MEMBERS].endswith(
            "grants to a service agent; no projectNumbers to tell whose"
        )
    # A known bad member in the same grant still fails.
    binding = {"role": "roles/viewer", "members": [agent, GMAIL_USER]}
    assert MEMBERS in names(SECRET_MEMBER.replace("Member", "Binding"), binding)


def test_project_numbers_must_be_numbers() -> None:
    from preflight.policy_config import PolicyConfigError, parse_policy_config
    from preflight.policy_config import reconcile_policy_config as reconcile
    from tests.policy.support import summaries

    raw = parse_policy_config(json.dumps({MEMBERS: {"projectNumbers": ["my-hibachi-crm"]}}), "x")
    with pytest.raises(PolicyConfigError, match="projectNumbers"):
        reconcile(summaries(), raw, "x")


# --- policyData as the provider reads it ----------------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        {"Bindings": [{"Role": "roles/owner", "Members": [GMAIL_USER]}]},
        {"BINDINGS": [{"ROLE": "roles/owner", "MEMBERS": [GMAIL_USER]}]},
        {
            "bindings": [
                {"role": "roles/viewer", "members": []},
                {"rOLE": "roles/owner", "members": [GMAIL_USER]},
            ]
        },
        {"bindings": [], "Bindings": [{"role": "roles/owner", "members": [GMAIL_USER]}]},
    ],
)
def test_policy_data_keys_in_any_case_are_judged(document: dict[str, Any]) -> None:
    for policy_data in (json.dumps(document), document):
        props = {"project": PROJECT, "policyData": policy_data}
        assert names(PROJECT_POLICY, props) == {BASIC, MEMBERS}


def test_policy_data_in_another_case_that_grants_well_passes() -> None:
    document = {"Bindings": [{"Role": "roles/logging.logWriter", "Members": [OWN_ACCOUNT]}]}
    assert names(PROJECT_POLICY, {"project": PROJECT, "policyData": json.dumps(document)}) == set()


@pytest.mark.parametrize(
    "policy_data",
    ["{not json", '[{"role": "roles/owner"}]', '{"bindings": [{"role": ["roles/owner"]}]}'],
)
def test_policy_data_the_provider_would_refuse_is_a_finding(policy_data: str) -> None:
    props = {"project": PROJECT, "policyData": policy_data}
    decrypt = "gcp-kms-decrypt-groups-only"  # it judges project-level grants too
    assert names(PROJECT_POLICY, props) == {BASIC, MEMBERS, IMPERSONATION, PRIVILEGED, decrypt}
    assert names(SECRET_MEMBER.replace("Member", "Policy"), {"policyData": policy_data}) >= {
        BASIC,
        MEMBERS,
        "gcp-secretmanager-iam-no-public-principals",
    }
    grant = res(PROJECT_POLICY, "grant", props)
    [(policy, message, _)] = run_stack([grant], only=CUSTOM_GRANTS)
    assert (policy, "the custom roles it grants cannot be told" in message) == (CUSTOM_GRANTS, True)


def test_unknown_policy_data_still_could_not_be_verified() -> None:
    outcome = resource_outcome(PROJECT_POLICY, {"project": PROJECT, "policyData": UNKNOWN})
    assert outcome.violations == []
    assert {BASIC, MEMBERS} <= set(outcome.skipped)


# --- Role names however written -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("roles/Owner", {BASIC}),
        ("roles/owner ", {BASIC}),
        (" ROLES/EDITOR", {BASIC}),
        ("roles/viewer\n", {BASIC}),
        ("roles/IAM.serviceAccountUser", {IMPERSONATION}),
        ("roles/iam.serviceaccounttokencreator ", {IMPERSONATION}),
        ("roles/ResourceManager.projectIamAdmin", {PRIVILEGED}),
        (" roles/secretmanager.SecretAccessor", {PRIVILEGED}),
        ("roles/IAM.WorkloadIdentityUser", {PRIVILEGED}),
    ],
)
def test_role_names_are_compared_trimmed_and_case_insensitively(
    role: str, expected: set[str]
) -> None:
    for shape, props in shapes(PROJECT_MEMBER, role, OWN_ACCOUNT):
        assert names(shape, {"project": PROJECT, **props}) == expected, shape


def test_a_custom_role_name_however_written_is_still_judged() -> None:
    role = res(PROJECT_ROLE, "role", custom_role(["iam.serviceAccounts.actAs"]))
    for spelled in (f" {ROLE_NAME}", f"{ROLE_NAME} ", ROLE_NAME.upper()):
        grant = res(PROJECT_MEMBER, "grant", member(spelled, OWN_ACCOUNT))
        assert [p for p, _, _ in run_stack([grant, role], only=CUSTOM_GRANTS)] == [CUSTOM_GRANTS]
