"""Secret Manager: one secret per catalog entry, rotation with a topic, per-secret accessors."""

from __future__ import annotations

import datetime

from components.secrets import SecretCatalog, SecretCatalogArgs
from preflight.capture import Capture
from preflight.values import unwrapped
from settings.secrets import SecretSpec
from tests.components.fixtures import ENV, LABELS, PROJECT, member
from tests.components.inventory import capture_fixture, inventory_test, protection_scenarios, run

SECRET = "gcp:secretmanager/secret:Secret"
ACCESSOR = "gcp:secretmanager/secretIamMember:SecretIamMember"
WORKER = member("fixture-worker")
CATALOG = (
    SecretSpec(name=f"{ENV}-global-PAYMENT_KEY", accessors=("worker",)),
    SecretSpec(name=f"{ENV}-backend-DATABASE_URL", accessors=("worker",), generated_by="database"),
    SecretSpec(name=f"{ENV}-frontend-web-NEXT_PUBLIC_PUBLISHABLE_KEY"),
    SecretSpec(name=f"{ENV}-backend-AUDIT_TOKEN", accessors=("group:auditors@example.test",)),
)


def _catalog(protect: bool) -> None:
    SecretCatalog(
        "secrets",
        SecretCatalogArgs(
            catalog=CATALOG,
            created_on=datetime.date(2031, 1, 1),
            project=PROJECT,
            rotation_days=30,
            identities={"worker": WORKER},
            labels=LABELS,
            protect=protect,
        ),
    )


SCENARIOS = protection_scenarios("secrets", _catalog)


test_matches_its_inventory = inventory_test(SCENARIOS)


catalog = capture_fixture(SCENARIOS[0])


def test_one_secret_per_catalog_entry_with_its_scope_label(catalog: Capture) -> None:
    secrets = {s.inputs["secretId"]: unwrapped(s.inputs) for s in catalog.by_type(SECRET)}
    assert sorted(secrets) == sorted(spec.name for spec in CATALOG)
    assert secrets[f"{ENV}-frontend-web-NEXT_PUBLIC_PUBLISHABLE_KEY"]["labels"] == {
        **LABELS,
        "scope": "frontend-web",
    }


def test_every_secret_rotates_on_schedule_and_notifies_the_topic(catalog: Capture) -> None:
    topic = catalog.one("gcp:pubsub/topic:Topic")
    for secret in catalog.by_type(SECRET):
        assert secret.inputs["rotation"] == {
            "rotationPeriod": f"{30 * 86_400}s",
            # The day after the creation day plus rotation_days (30).
            "nextRotationTime": "2031-01-31T00:00:00Z",
        }, secret.urn
        assert secret.inputs["topics"] == [{"name": topic.id}], secret.urn
        # Secret Manager moves the next rotation forward itself.
        assert "rotation.nextRotationTime" in secret.ignore_changes, secret.urn


def test_secret_manager_agent_may_publish_before_any_secret_exists(catalog: Capture) -> None:
    publisher = catalog.one("gcp:pubsub/topicIAMMember:TopicIAMMember")
    grant = unwrapped(publisher.inputs)
    assert grant["role"] == "roles/pubsub.publisher"
    assert "@gcp-sa-secretmanager." in grant["member"]
    assert all(publisher.urn in s.dependencies for s in catalog.by_type(SECRET))


def test_accessors_are_per_secret_and_name_identities_or_members(catalog: Capture) -> None:
    bindings = sorted(
        (unwrapped(b.inputs)["secretId"], unwrapped(b.inputs)["member"])
        for b in catalog.by_type(ACCESSOR)
    )
    assert bindings == [
        (f"{ENV}-backend-AUDIT_TOKEN", "group:auditors@example.test"),
        (f"{ENV}-backend-DATABASE_URL", WORKER),
        (f"{ENV}-global-PAYMENT_KEY", WORKER),
    ]
    assert {unwrapped(b.inputs)["role"] for b in catalog.by_type(ACCESSOR)} == {
        "roles/secretmanager.secretAccessor"
    }
    assert not catalog.by_type("gcp:projects/iAMMember:IAMMember")


def test_deletion_protection_follows_the_args(catalog: Capture) -> None:
    assert all(s.inputs["deletionProtection"] is True for s in catalog.by_type(SECRET))
    destroyable = run(SCENARIOS[1])
    assert all(s.inputs["deletionProtection"] is False for s in destroyable.by_type(SECRET))


def test_rotation_notices_are_kept_by_a_subscription_that_never_expires(
    catalog: Capture,
) -> None:
    subscription = unwrapped(catalog.one("gcp:pubsub/subscription:Subscription").inputs)
    assert subscription["topic"] == catalog.one("gcp:pubsub/topic:Topic").id
    assert subscription["messageRetentionDuration"] == f"{7 * 86_400}s"
    assert subscription["expirationPolicy"] == {"ttl": ""}


def test_no_secret_version_is_declared(catalog: Capture) -> None:
    # Values people type are added out of band; generated values by their own component.
    assert not catalog.by_type("gcp:secretmanager/secretVersion:SecretVersion")
