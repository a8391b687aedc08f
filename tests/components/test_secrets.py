"""Secret Manager: the seed's catalog per stack, 90-day rotation with a topic, narrow accessors."""

from __future__ import annotations

import pytest

from preflight.capture import Capture
from preflight.values import unwrapped
from tests.conftest import captured

SECRET = "gcp:secretmanager/secret:Secret"
ACCESSOR = "gcp:secretmanager/secretIamMember:SecretIamMember"

CATALOG = [
    "{env}-backend-DATABASE_URL",
    "{env}-backend-REDIS_URL",
    "{env}-backend-SENTRY_DSN",
    "{env}-frontend-web-NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
    "{env}-global-GOOGLE_MAPS_SERVER_KEY",
    "{env}-global-OPENAI_API_KEY",
    "{env}-global-STRIPE_SECRET_KEY",
]


@pytest.mark.parametrize(("stack", "env"), [("staging", "staging"), ("production", "prod")])
def test_catalog_names_carry_the_stacks_prefix(stack: str, env: str) -> None:
    ids = sorted(r.inputs["secretId"] for r in captured(stack).by_type(SECRET))
    assert ids == [name.format(env=env) for name in CATALOG]


def test_every_secret_rotates_every_90_days_and_notifies_the_topic(any_stack: Capture) -> None:
    topic = any_stack.one("gcp:pubsub/topic:Topic", "secrets-rotation")
    for secret in any_stack.by_type(SECRET):
        assert secret.inputs["rotation"] == {
            "rotationPeriod": "7776000s",
            "nextRotationTime": "2027-02-23T00:00:00Z",
        }, secret.urn
        assert secret.inputs["topics"] == [{"name": topic.id}], secret.urn
        assert "rotation.nextRotationTime" in secret.ignore_changes, secret.urn


def test_secret_manager_agent_may_publish_rotation_notices(any_stack: Capture) -> None:
    publisher = unwrapped(any_stack.one("gcp:pubsub/topicIAMMember:TopicIAMMember").inputs)
    assert publisher["role"] == "roles/pubsub.publisher"
    assert publisher["member"].startswith("serviceAccount:service-")
    assert "@gcp-sa-secretmanager." in publisher["member"]
    # Secrets are created only after the agent can publish, or Secret Manager refuses the topic.
    publisher_urn = any_stack.one("gcp:pubsub/topicIAMMember:TopicIAMMember").urn
    assert all(publisher_urn in s.dependencies for s in any_stack.by_type(SECRET))


def test_accessors_are_per_secret_for_the_api_identity_only(any_stack: Capture) -> None:
    api = any_stack.one("gcp:serviceaccount/account:Account", "identities-api")
    api_member = f"serviceAccount:{api.outputs['email']}"
    bindings = [unwrapped(b.inputs) for b in any_stack.by_type(ACCESSOR)]
    assert {b["role"] for b in bindings} == {"roles/secretmanager.secretAccessor"}
    assert {b["member"] for b in bindings} == {api_member}
    bound = sorted(b["secretId"].split("-", 1)[1] for b in bindings)
    # The publishable key is read at deploy time, not by the API.
    assert bound == sorted(
        name.split("-", 1)[1].format(env="") for name in CATALOG if "PUBLISHABLE" not in name
    )
    # Nothing project-wide.
    assert not any_stack.by_type("gcp:projects/iAMMember:IAMMember") or all(
        "secretmanager" not in unwrapped(m.inputs)["role"]
        for m in any_stack.by_type("gcp:projects/iAMMember:IAMMember")
    )


def test_production_secrets_are_deletion_protected(production: Capture, staging: Capture) -> None:
    assert all(s.inputs["deletionProtection"] is True for s in production.by_type(SECRET))
    assert all(s.inputs["deletionProtection"] is False for s in staging.by_type(SECRET))


def test_no_secret_value_is_declared_for_values_people_type(any_stack: Capture) -> None:
    versions = any_stack.by_type("gcp:secretmanager/secretVersion:SecretVersion")
    written = sorted(v.inputs["secret"].rsplit("/", 1)[-1].split("-", 2)[-1] for v in versions)
    assert written == ["DATABASE_URL", "GOOGLE_MAPS_SERVER_KEY", "REDIS_URL"]
    typed_by_people = ("STRIPE_SECRET_KEY", "OPENAI_API_KEY", "SENTRY_DSN", "PUBLISHABLE_KEY")
    assert not any(v.inputs["secret"].endswith(typed_by_people) for v in versions)
