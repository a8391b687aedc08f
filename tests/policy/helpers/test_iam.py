"""IAM helpers: one grant whatever the shape, and who a member is."""

from __future__ import annotations

import json

import pytest

from policy.myhibachi_policy.helpers import UNLISTED_AGENT, Allowed, grants, member_kind
from tests.policy.support import UNKNOWN

ROLE = "roles/pubsub.publisher"
MEMBER = "serviceAccount:a@p.iam.gserviceaccount.com"


@pytest.mark.parametrize(
    ("resource_type", "props", "where"),
    [
        ("gcp:pubsub/topicIAMMember:TopicIAMMember", {"role": ROLE, "member": MEMBER}, "member"),
        (
            "gcp:pubsub/topicIAMBinding:TopicIAMBinding",
            {"role": ROLE, "members": [MEMBER]},
            "members",
        ),
        (
            "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy",
            {"policyData": json.dumps({"bindings": [{"members": [MEMBER], "role": ROLE}]})},
            "policyData.bindings[0]",
        ),
        (
            "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy",
            {"policyData": {"bindings": [{"role": ROLE, "members": [MEMBER]}]}},
            "policyData.bindings[0]",
        ),
    ],
)
def test_every_shape_gives_the_same_grant(
    resource_type: str, props: dict[str, object], where: str
) -> None:
    [grant] = grants(resource_type, props)
    assert (grant.role, grant.members, grant.where, grant.unknown) == (ROLE, (MEMBER,), where, ())


def test_unknown_parts_are_named() -> None:
    [member] = grants(
        "gcp:pubsub/topicIAMMember:TopicIAMMember", {"role": UNKNOWN, "member": UNKNOWN}
    )
    assert member.unknown == ("role", "member")
    [binding] = grants(
        "gcp:pubsub/topicIAMBinding:TopicIAMBinding", {"role": ROLE, "members": [MEMBER, UNKNOWN]}
    )
    assert (binding.members, binding.unknown) == ((MEMBER,), ("members",))
    [policy] = grants("gcp:pubsub/topicIAMPolicy:TopicIAMPolicy", {"policyData": UNKNOWN})
    assert policy.unknown == ("policyData",)


@pytest.mark.parametrize(
    ("member", "allowed"),
    [
        ("serviceAccount:x@proj.iam.gserviceaccount.com", True),
        ("serviceAccount:x@other.iam.gserviceaccount.com", False),
        ("serviceAccount:service-1@gcp-sa-pubsub.iam.gserviceaccount.com", True),
        ("serviceAccount:service-org-1@gcp-sa-logging.iam.gserviceaccount.com", True),
        ("serviceAccount:1@cloudbuild.gserviceaccount.com", True),
        ("serviceAccount:evil@gcp-sa-pubsub.iam.gserviceaccount.com", False),
        # Google-managed accounts of another number act for another project.
        ("serviceAccount:service-2@gcp-sa-pubsub.iam.gserviceaccount.com", False),
        ("serviceAccount:SERVICE-2@GCP-SA-CLOUDBUILD.iam.gserviceaccount.com", False),
        ("serviceAccount:service-12@gcp-sa-pubsub.iam.gserviceaccount.com", False),
        ("serviceAccount:service-folder-2@gcp-sa-logging.iam.gserviceaccount.com", False),
        ("serviceAccount:p2-abcdef@gcp-sa-cloud-sql.iam.gserviceaccount.com", False),
        ("serviceAccount:2@cloudbuild.gserviceaccount.com", False),
        ("serviceAccount:2@cloudservices.gserviceaccount.com", False),
        ("serviceAccount:service-2@gs-project-accounts.iam.gserviceaccount.com", False),
        ("serviceAccount:p1-abcdef@gcp-sa-cloud-sql.iam.gserviceaccount.com", True),
        ("serviceAccount: 1@CloudBuild.gserviceaccount.com?uid=3", True),
        ("group:ops@corp.example", True),
        ("group:other@corp.example", False),
        ("user:alice@staff.example", True),
        ("domain:staff.example", True),
        ("user:alice@gmail.com", False),
    ],
)
def test_member_kind(member: str, allowed: bool) -> None:
    rules = Allowed(
        groups=frozenset({"ops@corp.example"}),
        domains=frozenset({"staff.example"}),
        project_numbers=frozenset({"1"}),
    )
    assert (member_kind(member, "proj", rules) is None) is allowed


def test_with_no_project_numbers_an_agent_is_undecided_and_legacy_cloud_build_refused() -> None:
    for agent in (
        "serviceAccount:service-1@gcp-sa-pubsub.iam.gserviceaccount.com",
        "serviceAccount:p1-abcdef@gcp-sa-cloud-sql.iam.gserviceaccount.com",
        "serviceAccount:1@cloudservices.gserviceaccount.com",
    ):
        assert member_kind(agent, "proj", Allowed()) == (UNLISTED_AGENT, False)
    assert member_kind("serviceAccount:1@cloudbuild.gserviceaccount.com", "proj", Allowed()) == (
        "the legacy Cloud Build account of a project not in projectNumbers",
        False,
    )


@pytest.mark.parametrize(
    "principal",
    ["allUsers", "allusers", " allUsers", "ALLAUTHENTICATEDUSERS", "allAuthenticatedUsers "],
)
def test_public_principals_are_known_however_spelled(principal: str) -> None:
    kind = member_kind(principal, "proj", Allowed())
    assert kind is not None
    assert kind[1] is True


# --- policyData as the provider's JSON decoder reads it ------------------------------------------

TOPIC_POLICY = "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy"


@pytest.mark.parametrize(
    "document",
    [
        {"Bindings": [{"Role": ROLE, "Members": [MEMBER]}]},
        {"BINDINGS": [{"ROLE": ROLE, "MEMBERS": [MEMBER]}]},
        {"bInDiNgS": [{"rOlE": ROLE, "mEmBeRs": [MEMBER]}]},
        # encoding/json folds with Unicode simple folding: the long s is an s.
        {"binding\u017f": [{"role": ROLE, "member\u017f": [MEMBER]}]},
    ],
)
def test_policy_data_keys_are_read_case_insensitively(document: dict[str, object]) -> None:
    for policy_data in (document, json.dumps(document), json.dumps(document, ensure_ascii=False)):
        [grant] = grants(TOPIC_POLICY, {"policyData": policy_data})
        assert (grant.role, grant.members, grant.invalid) == (ROLE, (MEMBER,), "")


def test_keys_that_only_look_alike_are_not_read() -> None:
    # Not a case variant: the decoder ignores these keys, and so does the pack.
    document = {"bindingz": [{"role": ROLE, "members": [MEMBER]}], "binding": []}
    assert grants(TOPIC_POLICY, {"policyData": json.dumps(document)}) == []


def test_every_spelling_of_a_key_is_judged() -> None:
    # The decoder keeps the last spelling; the pack judges every one, so order hides nothing.
    evil = "user:" + "mallory" + "@gmail.com"
    for document in (
        {"bindings": [], "Bindings": [{"role": "roles/owner", "members": [evil]}]},
        {"Bindings": [{"role": "roles/owner", "members": [evil]}], "bindings": []},
        {
            "bindings": [
                {"role": ROLE, "Role": "roles/owner", "members": [MEMBER], "MEMBERS": [evil]}
            ]
        },
    ):
        found = grants(TOPIC_POLICY, {"policyData": json.dumps(document)})
        assert any(g.role == "roles/owner" and evil in g.members for g in found), document


@pytest.mark.parametrize(
    ("policy_data", "where", "why"),
    [
        ("{not json", "policyData", "is not valid JSON"),
        ("", "policyData", "is not valid JSON"),
        ('[{"role": "roles/owner"}]', "policyData", "is not a JSON object of bindings"),
        ('"bindings"', "policyData", "is not a JSON object of bindings"),
        (
            '{"bindings": {"role": "roles/owner"}}',
            "policyData.bindings",
            "is not a list of bindings",
        ),
        ('{"bindings": ["roles/owner"]}', "policyData.bindings[0]", "is not a binding object"),
        (
            '{"bindings": [{"role": 1, "members": []}]}',
            "policyData.bindings[0]",
            "has a role that is not a string",
        ),
        (
            '{"bindings": [{"role": "r", "members": "allUsers"}]}',
            "policyData.bindings[0]",
            "has members that are not a list",
        ),
        (
            '{"bindings": [{"role": "r", "members": [1]}]}',
            "policyData.bindings[0]",
            "has a member that is not a string",
        ),
    ],
)
def test_a_document_the_provider_would_refuse_is_invalid(
    policy_data: str, where: str, why: str
) -> None:
    [grant] = grants(TOPIC_POLICY, {"policyData": policy_data})
    assert (grant.where, grant.invalid, grant.role, grant.members) == (where, why, None, ())


def test_an_empty_or_null_document_grants_nothing() -> None:
    for policy_data in ("null", "{}", '{"bindings": null}', '{"etag": "x"}'):
        assert grants(TOPIC_POLICY, {"policyData": policy_data}) == []


def test_unknowns_inside_a_document_are_named() -> None:
    [grant] = grants(
        TOPIC_POLICY,
        {"policyData": {"Bindings": [{"Role": UNKNOWN, "Members": [MEMBER, UNKNOWN]}]}},
    )
    assert (grant.role, grant.members, grant.unknown, grant.invalid) == (
        None,
        (MEMBER,),
        ("role", "members"),
        "",
    )
    [whole] = grants(TOPIC_POLICY, {"policyData": {"bindings": UNKNOWN}})
    assert whole.unknown == ("policyData",)
