"""Cloud KMS policies: keys rotate within 90 days; decrypt goes to groups, never to a user or a
foreign account, whatever the IAM shape, the level it is granted at, or the role's spelling."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.policy.one_change import DELETE, Case, changed, one_change_test
from tests.policy.support import UNKNOWN, names, resource_outcome

ROTATION = "gcp-kms-cryptokey-rotation"
DECRYPT = "gcp-kms-decrypt-groups-only"
MEMBERS = "gcp-iam-member-allowed-principals"
PROTECTED = "gcp-stateful-resource-protected"
KEY = "gcp:kms/cryptoKey:CryptoKey"
KEY_MEMBER = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
KEY_BINDING = "gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding"
KEY_POLICY = "gcp:kms/cryptoKeyIAMPolicy:CryptoKeyIAMPolicy"
RING_MEMBER = "gcp:kms/keyRingIAMMember:KeyRingIAMMember"
PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember"
FOLDER_BINDING = "gcp:folder/iAMBinding:IAMBinding"

PROJECT = "my-hibachi-crm"  # production's gcp:project
DECRYPTER = "roles/cloudkms.cryptoKeyDecrypter"
GROUP = "group:break-glass@myhibachichef.com"  # allowed in production's policy config
OTHER_GROUP = "group:ops@myhibachichef.com"  # a group the member allow-list does not name
USER = "user:" + "alice" + "@myhibachichef.com"
OWN_ACCOUNT = f"serviceAccount:pulumi-deployer@{PROJECT}.iam.gserviceaccount.com"
FOREIGN_ACCOUNT = "serviceAccount:robot@another-project.iam.gserviceaccount.com"
KMS_AGENT = "serviceAccount:service-123456789012@gcp-sa-cloudkms.iam.gserviceaccount.com"
PUBLIC_GROUP = "group:" + "anyone" + "@googlegroups.com"


def key() -> dict[str, Any]:
    return {
        "keyRing": f"projects/{PROJECT}/locations/us/keyRings/prod-secret-backups",
        "name": "secrets",
        "purpose": "ENCRYPT_DECRYPT",
        "rotationPeriod": "7776000s",
        "labels": {"env": "prod", "app": "myhibachi", "owner": "devops"},
        "deletionPolicy": "PREVENT",
    }


KEY_CASES: list[Case] = [
    ("rotationPeriod", "7776001s", {ROTATION}),
    ("rotationPeriod", "7776000.000000001s", {ROTATION}),
    # Absent: never rotated.
    ("rotationPeriod", DELETE, {ROTATION}),
    # Another notation of the same period passes; another unit is not the API's duration.
    ("rotationPeriod", "7776000.0s", set()),
    ("rotationPeriod", "86401s", set()),
    ("rotationPeriod", "90d", {ROTATION}),
    ("rotationPeriod", "2160h", {ROTATION}),
    # The purpose's default is a symmetric key: it must rotate too.
    ("purpose", DELETE, set()),
    ("deletionPolicy", "DELETE", {PROTECTED}),
]

test_baseline_passes_and_one_change_fails_exactly = one_change_test((KEY, key, KEY_CASES))


def test_the_message_names_the_limit_and_never_the_value() -> None:
    outcome = resource_outcome(KEY, changed(key(), "rotationPeriod", "31536000s"))
    assert [m for p, m, _ in outcome.violations if p == ROTATION] == [
        "CryptoKey 'subject': rotationPeriod must be at most 90 days (7776000s)."
    ]


def test_the_limit_is_the_configs() -> None:
    monthly = changed(key(), "rotationPeriod", "5184000s")  # 60 days
    assert names(KEY, monthly) == set()
    assert ROTATION in names(KEY, monthly, config_override={"maxRotationDays": 30})


@pytest.mark.parametrize("purpose", ["ASYMMETRIC_SIGN", "ASYMMETRIC_DECRYPT", "MAC"])
def test_keys_that_cannot_rotate_automatically_are_not_applicable(purpose: str) -> None:
    props = changed(changed(key(), "purpose", purpose), "rotationPeriod", DELETE)
    outcome = resource_outcome(KEY, props)
    assert ROTATION not in {p for p, _, _ in outcome.violations}
    assert "rotate automatically" in outcome.skipped[ROTATION]


@pytest.mark.parametrize("path", ["rotationPeriod", "purpose"])
def test_an_unknown_period_or_purpose_is_not_applicable(path: str) -> None:
    outcome = resource_outcome(KEY, changed(key(), path, UNKNOWN))
    assert ROTATION not in {p for p, _, _ in outcome.violations}
    assert f"{path} is unknown" in outcome.skipped[ROTATION]


# --- Who may decrypt ------------------------------------------------------------------------


def shapes(member_type: str, role: str, principal: str) -> list[tuple[str, dict[str, Any]]]:
    """The same grant as a member, a binding and a policy (policyData as JSON and as an object)."""
    binding_type = member_type.replace("Member", "Binding")
    policy_type = member_type.replace("Member", "Policy")
    data = {"bindings": [{"members": [principal], "role": role}]}
    target = (
        {"project": PROJECT}
        if member_type.startswith(("gcp:projects/", "gcp:folder/"))
        else {"cryptoKeyId": "k"}
    )
    return [
        (member_type, {**target, "role": role, "member": principal}),
        (binding_type, {**target, "role": role, "members": [GROUP, principal]}),
        (policy_type, {**target, "policyData": json.dumps(data)}),
        (policy_type, {**target, "policyData": data}),
    ]


def _every_shape_and_level(role: str, principal: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        grant
        for member_type in (KEY_MEMBER, RING_MEMBER, PROJECT_MEMBER)
        for grant in shapes(member_type, role, principal)
    ]


@pytest.mark.parametrize(
    "principal", [USER, FOREIGN_ACCOUNT, PUBLIC_GROUP, "allAuthenticatedUsers", "domain:x.test"]
)
@pytest.mark.parametrize(
    "role",
    [
        DECRYPTER,
        "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "roles/cloudkms.cryptoOperator",
        "roles/cloudkms.cryptoKeyDecrypterViaDelegation",
    ],
)
def test_decrypt_to_anyone_but_a_group_or_own_account_is_blocked_in_every_shape(
    role: str, principal: str
) -> None:
    for resource_type, props in _every_shape_and_level(role, principal):
        assert DECRYPT in names(resource_type, props), (resource_type, props)


@pytest.mark.parametrize("principal", [GROUP, OWN_ACCOUNT, KMS_AGENT])
def test_decrypt_to_a_group_or_the_projects_own_identities_passes(principal: str) -> None:
    for resource_type, props in _every_shape_and_level(DECRYPTER, principal):
        assert DECRYPT not in names(resource_type, props), (resource_type, props)


def test_a_group_the_allow_list_does_not_name_is_the_member_policys_call() -> None:
    props = {"cryptoKeyId": "k", "role": DECRYPTER, "member": OTHER_GROUP}
    assert names(KEY_MEMBER, props) == {MEMBERS}


def test_decrypt_never_reaches_a_user_even_of_an_allowed_domain() -> None:
    props = {"cryptoKeyId": "k", "role": DECRYPTER, "member": USER}
    allowed = {"allowedDomains": ["myhibachichef.com"]}
    assert names(KEY_MEMBER, props, config_override=allowed) == {DECRYPT}


def test_encrypt_only_is_not_decrypt() -> None:
    props = {"cryptoKeyId": "k", "role": "roles/cloudkms.cryptoKeyEncrypter", "member": USER}
    assert DECRYPT not in names(KEY_MEMBER, props)


def test_the_message_names_the_kind_of_member_never_the_member() -> None:
    outcome = resource_outcome(FOLDER_BINDING, {"role": DECRYPTER, "members": [USER, GROUP]})
    [message] = [m for p, m, _ in outcome.violations if p == DECRYPT]
    assert "alice" not in message
    assert message.startswith(
        f"IAMBinding 'subject': members grants {DECRYPTER}, which decrypts, to a user"
    )


@pytest.mark.parametrize(
    ("props", "reason"),
    [
        ({"role": UNKNOWN, "member": USER}, "its role is unknown"),
        ({"role": DECRYPTER, "member": UNKNOWN}, "its members are unknown"),
        ({"role": f"projects/{PROJECT}/roles/opener", "member": USER}, "a custom role"),
    ],
)
def test_an_unknown_role_member_or_custom_role_is_not_applicable(
    props: dict[str, Any], reason: str
) -> None:
    outcome = resource_outcome(KEY_MEMBER, {"cryptoKeyId": "k", **props})
    assert DECRYPT not in {p for p, _, _ in outcome.violations}
    assert reason in outcome.skipped[DECRYPT]


def test_a_known_decrypt_to_a_user_fails_whatever_else_is_unknown() -> None:
    props = {"role": DECRYPTER, "members": [UNKNOWN, USER]}
    assert DECRYPT in names(KEY_BINDING, {"cryptoKeyId": "k", **props})


def test_the_programs_key_policy_passes() -> None:
    data = {
        "bindings": [
            {"members": [GROUP], "role": DECRYPTER},
            {"members": [OWN_ACCOUNT], "role": "roles/cloudkms.cryptoKeyEncrypter"},
        ]
    }
    assert names(KEY_POLICY, {"cryptoKeyId": "k", "policyData": json.dumps(data)}) == set()


# --- Role spelling, service agents' numbers, unreadable policies ---------------------------------


@pytest.mark.parametrize(
    "role", ["roles/CloudKMS.cryptoKeyDecrypter", f"{DECRYPTER} ", " roles/cloudkms.cryptooperator"]
)
def test_a_decrypt_role_however_written_still_decrypts(role: str) -> None:
    for resource_type, props in _every_shape_and_level(role, USER):
        assert DECRYPT in names(resource_type, props), (resource_type, props)


def test_only_this_projects_agents_may_decrypt() -> None:
    own = {"projectNumbers": ["123456789012"]}
    foreign = "serviceAccount:service-987654321098@gcp-sa-cloudkms.iam.gserviceaccount.com"
    props = {"cryptoKeyId": "k", "role": DECRYPTER, "member": foreign}
    assert DECRYPT in names(KEY_MEMBER, props, config_override=own)
    mine = resource_outcome(KEY_MEMBER, {**props, "member": KMS_AGENT}, config_override=own)
    assert (mine.violations, DECRYPT in mine.skipped) == ([], False)
    # With no number configured, an agent cannot be told apart: could not verify, not a pass.
    unset = resource_outcome(KEY_MEMBER, {**props, "member": KMS_AGENT})
    assert "sets no projectNumbers" in unset.skipped[DECRYPT]


def test_a_key_policy_the_provider_would_refuse_is_a_finding() -> None:
    outcome = resource_outcome(KEY_POLICY, {"cryptoKeyId": "k", "policyData": "{bindings"})
    assert DECRYPT in {p for p, _, _ in outcome.violations}
