"""The Maps key: three Maps APIs, the stack's own referrers, key string kept as a secret version."""

from __future__ import annotations

import pytest

from preflight.capture import Capture
from preflight.values import is_secret, unwrapped
from tests.conftest import RunWithConfig, captured, stack_document

API_KEY = "gcp:projects/apiKey:ApiKey"


def test_restricted_to_the_three_maps_apis(any_stack: Capture) -> None:
    restrictions = unwrapped(any_stack.one(API_KEY).inputs)["restrictions"]
    assert sorted(t["service"] for t in restrictions["apiTargets"]) == [
        "geocoding-backend.googleapis.com",
        "maps-backend.googleapis.com",
        "places-backend.googleapis.com",
    ]


@pytest.mark.parametrize(
    ("stack", "referrers"),
    [
        ("production", ["https://myhibachichef.com/*", "https://admin.myhibachichef.com/*"]),
        (
            "staging",
            ["https://staging.myhibachichef.com/*", "https://admin-staging.myhibachichef.com/*"],
        ),
    ],
)
def test_referrers_are_the_stacks_own_sites(stack: str, referrers: list[str]) -> None:
    restrictions = unwrapped(captured(stack).one(API_KEY).inputs)["restrictions"]
    assert restrictions["browserKeyRestrictions"] == {"allowedReferrers": referrers}


def test_key_string_is_written_to_the_maps_secret(any_stack: Capture) -> None:
    version = any_stack.one("gcp:secretmanager/secretVersion:SecretVersion", "maps-key-version")
    assert is_secret(version.inputs["secretData"])
    assert version.inputs["secret"].endswith("-global-GOOGLE_MAPS_SERVER_KEY")


def test_rotation_is_a_generation_bump_that_replaces_create_first(
    run_with_config: RunWithConfig,
) -> None:
    document = stack_document("production")
    document["config"]["myhibachi:mapsKey"]["generation"] = 2
    rotated = run_with_config("production", document)
    key = rotated.one(API_KEY)
    before = captured("production").one(API_KEY)
    # Same logical resource, new key id: Pulumi replaces it, creating the new key first.
    assert key.urn == before.urn
    assert before.inputs["name"] == "prod-maps-g1"
    assert key.inputs["name"] == "prod-maps-g2"
    assert key.delete_before_replace is False
