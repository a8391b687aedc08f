"""The Maps key: the three Maps APIs, the given referrers, its key string as a secret version."""

from __future__ import annotations

import pytest

from components.api_keys import MapsApiKey, MapsApiKeyArgs
from preflight.capture import Capture
from preflight.values import is_secret, unwrapped
from tests.components.fixtures import ENV, secret_id
from tests.components.inventory import PROJECT, Scenario, check, run

API_KEY = "gcp:projects/apiKey:ApiKey"
REFERRERS = ("https://www.example.test/*", "https://admin.example.test/*")


def _key(generation: int) -> None:
    MapsApiKey(
        "maps",
        MapsApiKeyArgs(
            allowed_referrers=REFERRERS,
            env=ENV,
            generation=generation,
            key_secret_id=secret_id("global-GOOGLE_MAPS_SERVER_KEY"),
            project=PROJECT,
        ),
    )


SCENARIOS = [
    Scenario("api_keys", "generation-3", lambda: _key(3)),
    Scenario("api_keys", "generation-4", lambda: _key(4)),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_matches_its_inventory(scenario: Scenario) -> None:
    assert check(scenario) == []


@pytest.fixture(scope="module")
def key() -> Capture:
    return run(SCENARIOS[0])


def test_restricted_to_the_three_maps_apis_and_the_given_referrers(key: Capture) -> None:
    restrictions = unwrapped(key.one(API_KEY).inputs)["restrictions"]
    assert sorted(t["service"] for t in restrictions["apiTargets"]) == [
        "geocoding-backend.googleapis.com",
        "maps-backend.googleapis.com",
        "places-backend.googleapis.com",
    ]
    assert restrictions["browserKeyRestrictions"] == {"allowedReferrers": list(REFERRERS)}


def test_key_string_is_written_to_the_given_secret(key: Capture) -> None:
    version = key.one("gcp:secretmanager/secretVersion:SecretVersion")
    assert version.inputs["secret"] == secret_id("global-GOOGLE_MAPS_SERVER_KEY")
    assert is_secret(version.inputs["secretData"])


def test_rotation_is_a_generation_bump_that_replaces_create_first(key: Capture) -> None:
    before, after = key.one(API_KEY), run(SCENARIOS[1]).one(API_KEY)
    # Same logical resource, new key id: Pulumi replaces it, creating the new key first.
    assert after.urn == before.urn
    assert (before.inputs["name"], after.inputs["name"]) == ("test-maps-g3", "test-maps-g4")
    assert after.delete_before_replace is False
