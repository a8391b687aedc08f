"""IAM helpers: one grant whatever the shape, and who a member is."""

from __future__ import annotations

import json

import pytest

from policy.myhibachi_policy.helpers import Allowed, grants, member_kind
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
        ("group:ops@corp.example", True),
        ("group:other@corp.example", False),
        ("user:alice@staff.example", True),
        ("domain:staff.example", True),
        ("user:alice@gmail.com", False),
    ],
)
def test_member_kind(member: str, allowed: bool) -> None:
    rules = Allowed(groups=frozenset({"ops@corp.example"}), domains=frozenset({"staff.example"}))
    assert (member_kind(member, "proj", rules) is None) is allowed
