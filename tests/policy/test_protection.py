"""Protection of stateful resources, both ways: the `protect` option and each type's own field."""

from __future__ import annotations

from typing import Any

import pytest

from policy.myhibachi_policy.protection import PROTECTIONS, waiver_names
from tests.conftest import RunWithConfig, captured, stack_document
from tests.policy import baselines as b
from tests.policy.one_change import DELETE, changed
from tests.policy.support import (
    UNKNOWN,
    config_document,
    names,
    program_violations,
    resource_outcome,
    stack_config,
)

PROTECTED = "gcp-stateful-resource-protected"


def only(resource_type: str, props: dict[str, Any], **kwargs: Any) -> list[str]:
    """The protection policy's messages for one resource (nothing waived unless given)."""
    kwargs.setdefault("config_override", {"waivers": []})
    outcome = resource_outcome(resource_type, props, **kwargs)
    return [message for policy, message, _ in outcome.violations if policy == PROTECTED]


# Each type with its own field set to protect, and that field's unprotected value.
FIELDS: list[tuple[str, str, Any, Any]] = [
    ("gcp:alloydb/cluster:Cluster", "deletionProtection", True, False),
    ("gcp:artifactregistry/repository:Repository", "deletionPolicy", "PREVENT", "DELETE"),
    ("gcp:kms/cryptoKeyVersion:CryptoKeyVersion", "deletionPolicy", "ABANDON", "DELETE"),
    ("gcp:logging/projectBucketConfig:ProjectBucketConfig", "locked", True, False),
    (
        "gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion",
        "deletionPolicy",
        "DISABLE",
        "DELETE",
    ),
    ("gcp:secretmanager/secretVersion:SecretVersion", "deletionPolicy", "DISABLE", "DELETE"),
    ("gcp:sql/user:User", "deletionPolicy", "ABANDON", "DELETE"),
    ("gcp:cloudrunv2/job:Job", "deletionProtection", True, False),
    ("gcp:cloudrunv2/service:Service", "deletionProtection", True, False),
    ("gcp:kms/cryptoKey:CryptoKey", "deletionPolicy", "PREVENT", "DELETE"),
    ("gcp:memorystore/instance:Instance", "deletionProtectionEnabled", True, False),
    ("gcp:redis/cluster:Cluster", "deletionProtectionEnabled", True, False),
    ("gcp:redis/instance:Instance", "deletionProtection", True, False),
    ("gcp:secretmanager/regionalSecret:RegionalSecret", "deletionProtection", True, False),
    ("gcp:secretmanager/secret:Secret", "deletionProtection", True, False),
    ("gcp:sql/database:Database", "deletionPolicy", "ABANDON", "DELETE"),
    ("gcp:sql/databaseInstance:DatabaseInstance", "deletionProtection", True, False),
    ("gcp:storage/bucket:Bucket", "forceDestroy", False, True),
]
COMPLETE: dict[str, dict[str, Any]] = {
    "gcp:sql/databaseInstance:DatabaseInstance": {"settings": {"deletionProtectionEnabled": True}},
    "gcp:storage/bucket:Bucket": {"retentionPolicy": {"retentionPeriod": "2592000"}},
}


def protected(resource_type: str, field: str, value: Any) -> dict[str, Any]:
    return changed(COMPLETE.get(resource_type, {}), field, value)


NO_FIELD = "gcp:alloydb/instance:Instance"  # its cluster holds the data and the field
# A key ring cannot be deleted at all, only forgotten by the state: protect is its protection.
NO_FIELDS = (NO_FIELD, "gcp:kms/keyRing:KeyRing")


SECRET_VERSIONS = (
    "gcp:secretmanager/secretVersion:SecretVersion",
    "gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion",
)


def test_every_type_in_the_table_is_tested() -> None:
    assert {t for t, _, _, _ in FIELDS} | set(NO_FIELDS) == set(PROTECTIONS)


@pytest.mark.parametrize("resource_type", NO_FIELDS)
def test_a_type_without_its_own_field_needs_the_protect_option(resource_type: str) -> None:
    assert only(resource_type, {}) == []
    assert only(resource_type, {}, protect=False) == [
        f"{resource_type.rsplit(':', 1)[-1]} 'subject': the `protect` resource option must be set."
    ]


@pytest.mark.parametrize(("resource_type", "field", "good", "bad"), FIELDS)
def test_each_type_needs_its_own_field(resource_type: str, field: str, good: Any, bad: Any) -> None:
    assert only(resource_type, protected(resource_type, field, good)) == []
    [message] = only(resource_type, protected(resource_type, field, bad))
    assert f": {field} must be " in message


@pytest.mark.parametrize(("resource_type", "field", "good", "bad"), FIELDS)
def test_stateful_types_need_the_protect_option_too(
    resource_type: str, field: str, good: Any, bad: Any
) -> None:
    messages = only(resource_type, protected(resource_type, field, good), protect=False)
    if resource_type.startswith("gcp:cloudrunv2/") or resource_type in SECRET_VERSIONS:
        assert messages == []  # no data, or replaced to rotate: its own field is the protection
    else:
        assert [m.split(": ", 1)[1] for m in messages] == [
            "the `protect` resource option must be set."
        ]


@pytest.mark.parametrize(
    ("resource_type", "field", "expected"),
    [
        ("gcp:secretmanager/secret:Secret", "deletionProtection", "true (absent means false)"),
        (
            "gcp:memorystore/instance:Instance",
            "deletionProtectionEnabled",
            "true (absent means false)",
        ),
        ("gcp:sql/database:Database", "deletionPolicy", "ABANDON or PREVENT (absent means DELETE)"),
        (
            "gcp:kms/cryptoKey:CryptoKey",
            "deletionPolicy",
            "PREVENT or ABANDON (absent means DELETE)",
        ),
        (
            "gcp:storage/bucket:Bucket",
            "retentionPolicy.retentionPeriod",
            "a retention period in seconds",
        ),
    ],
)
def test_absent_means_the_provider_default(resource_type: str, field: str, expected: str) -> None:
    props = protected(resource_type, field, DELETE)
    assert only(resource_type, props) == [
        f"{resource_type.rsplit(':', 1)[-1]} 'subject': {field} must be {expected}."
    ]


@pytest.mark.parametrize(
    ("resource_type", "kept"),
    [
        ("gcp:secretmanager/secretVersion:SecretVersion", ("DISABLE", "ABANDON", "PREVENT")),
        ("gcp:sql/user:User", ("ABANDON", "PREVENT")),
        ("gcp:sql/database:Database", ("ABANDON", "PREVENT")),
    ],
)
def test_a_deletion_policy_protects_only_as_the_provider_spells_it(
    resource_type: str, kept: tuple[str, ...]
) -> None:
    # The provider compares the exact word: "abandon" or " ABANDON" deletes like DELETE does.
    for word in kept:
        assert only(resource_type, {"deletionPolicy": word}) == []
    deleting: tuple[str | None, ...] = ("DELETE", "abandon", " ABANDON", "DISABLED", "", None)
    for value in deleting:
        assert only(resource_type, {"deletionPolicy": value}) != [], value
    # Not a word at all: the provider refuses it; the policy cannot tell what it means.
    outcome = resource_outcome(
        resource_type, {"deletionPolicy": 1}, config_override={"waivers": []}
    )
    assert PROTECTED in outcome.skipped


@pytest.mark.parametrize(
    "resource_type",
    ["gcp:secretmanager/secretVersion:SecretVersion", "gcp:sql/user:User"],
)
def test_an_unknown_deletion_policy_could_not_be_verified(resource_type: str) -> None:
    outcome = resource_outcome(
        resource_type, {"deletionPolicy": UNKNOWN}, config_override={"waivers": []}
    )
    assert [p for p, _, _ in outcome.violations if p == PROTECTED] == []
    assert outcome.skipped[PROTECTED] == "unknown until the update runs: deletionPolicy"


def test_a_secret_version_that_deletes_is_blocked_in_production() -> None:
    # The finding's case: DELETE, and no protect option either.
    messages = only(
        "gcp:secretmanager/secretVersion:SecretVersion", {"deletionPolicy": "DELETE"}, protect=False
    )
    assert messages == [
        "SecretVersion 'subject': deletionPolicy must be DISABLE, ABANDON or PREVENT (absent "
        "means DELETE)."
    ]


@pytest.mark.parametrize(
    "resource_type", ["gcp:redis/instance:Instance", "gcp:cloudrunv2/service:Service"]
)
def test_absent_fields_that_default_to_protected_pass(resource_type: str) -> None:
    assert only(resource_type, {}) == []


def test_an_unknown_field_is_not_applicable_unless_something_known_fails() -> None:
    secret = protected("gcp:secretmanager/secret:Secret", "deletionProtection", UNKNOWN)
    outcome = resource_outcome(
        "gcp:secretmanager/secret:Secret", secret, config_override={"waivers": []}
    )
    assert only("gcp:secretmanager/secret:Secret", secret) == []
    assert outcome.skipped[PROTECTED] == "unknown until the update runs: deletionProtection"
    # Unprotected by option, the unknown field cannot save it.
    assert only("gcp:secretmanager/secret:Secret", secret, protect=False) != []


def test_waivers_are_known_protections_and_switch_only_theirs_off() -> None:
    production = config_document("production")[PROTECTED]
    assert set(production["waivers"]) <= set(waiver_names())
    waived = {"waivers": ["gcp:secretmanager/secret:Secret protect"]}
    secret = protected("gcp:secretmanager/secret:Secret", "deletionProtection", True)
    assert (
        only("gcp:secretmanager/secret:Secret", secret, protect=False, config_override=waived) == []
    )
    unprotected = changed(secret, "deletionProtection", False)
    assert only(
        "gcp:secretmanager/secret:Secret", unprotected, protect=False, config_override=waived
    ) == ["Secret 'subject': deletionProtection must be true (absent means false)."]


def test_mandatory_in_production_disabled_on_staging() -> None:
    assert stack_config("production")[PROTECTED].enforcement_level == "mandatory"
    assert stack_config("staging")[PROTECTED].enforcement_level == "disabled"
    assert names(b.BUCKET, changed(b.bucket(), "forceDestroy", True), stack="staging") == set()


def test_the_real_production_stack_passes() -> None:
    assert {n for p, n in program_violations(captured("production")) if p == PROTECTED} == set()


def test_unprotecting_production_is_blocked_on_every_stateful_resource(
    run_with_config: RunWithConfig,
) -> None:
    document = stack_document("production")
    document["config"]["myhibachi:protectStatefulResources"] = False
    blocked = {
        n for p, n in program_violations(run_with_config("production", document)) if p == PROTECTED
    }
    assert {
        "cache-redis",
        "backups-bucket",
        "database-instance",
        "api-service",
        "api-migrate",
        "audit-bucket",
    } <= blocked
    # Every secret of the production catalog (the stack file's, not restated here).
    catalog = document["config"]["myhibachi:secrets"]["catalog"]
    assert {n for n in blocked if n.startswith("secrets-prod-")} == {
        f"secrets-{entry['name']}" for entry in catalog
    }
